"""Exported JSON Schemas: committed copies are current, and real files validate with them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, VALID_REGISTRY, run_valreg
from valreg.publishing.schema import SCHEMA_KINDS, render_schema, schema_file_name
from valreg.registry.parse import kind_of

SCHEMA_DIR = REPO / "registry" / "schema"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schema_is_current(kind: str) -> None:
    committed = (SCHEMA_DIR / schema_file_name(kind)).read_text(encoding="utf-8")
    assert committed == render_schema(kind), (
        f"registry/schema/{schema_file_name(kind)} is stale; run "
        "`valreg schema --write registry/schema`"
    )


def test_the_command_offers_every_kind() -> None:
    """The parser keeps its own list of kinds (so that it need not import pydantic)."""
    from valreg.cli import schema as command

    assert command.SCHEMA_KINDS == SCHEMA_KINDS


def test_cli_prints_and_writes_the_same_schema(tmp_path: Path) -> None:
    printed = run_valreg("schema", "proposal")
    assert printed.returncode == 0
    assert printed.stdout == render_schema("proposal")
    written = run_valreg("schema", "--write", str(tmp_path))
    assert written.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        schema_file_name(k) for k in SCHEMA_KINDS
    )


def _registry_files(root: Path) -> dict[str, list[Path]]:
    by_kind: dict[str, list[Path]] = {}
    for path in sorted(root.rglob("*.yaml")):
        kind = kind_of(path.relative_to(root).as_posix())
        if kind is not None:
            by_kind.setdefault(kind, []).append(path)
    return by_kind


@pytest.mark.parametrize("root", [REPO, VALID_REGISTRY], ids=["real", "valid-test"])
def test_every_file_validates_with_check_jsonschema(root: Path) -> None:
    by_kind = _registry_files(root)
    assert {"registry", "municipalities", "round", "release", "value"} <= set(by_kind)
    for kind, paths in by_kind.items():
        result = subprocess.run(
            [
                str(CHECK_JSONSCHEMA),
                "--schemafile",
                str(SCHEMA_DIR / schema_file_name(kind)),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_what_valreg_rejects(tmp_path: Path) -> None:
    """The schemas are not vacuous: an unknown field and an unquoted version fail."""
    bad = tmp_path / "2019.1.yaml"
    bad.write_text(
        "version: 2019.10\ntitle: x\nstatus: draft\ndate: 2019-03-18\n"
        "previous: null\nvalues: []\nextra: 1\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMA_DIR / "release.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "version" in result.stdout and "extra" in result.stdout
