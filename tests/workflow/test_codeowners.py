"""`valreg codeowners`: .github/CODEOWNERS from the editors, and a test that it is current."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_valreg
from valreg.workflow.codeowners import CODEOWNERS_FILE, load_registry, render_codeowners


def test_committed_codeowners_is_current() -> None:
    committed = (REPO / CODEOWNERS_FILE).read_text(encoding="utf-8")
    assert committed == render_codeowners(load_registry(REPO)), (
        f"{CODEOWNERS_FILE} is stale; run `valreg codeowners`"
    )


def test_every_editor_owns_everything(registry: Path) -> None:
    # The test registry has two editors: kl-redaktion and anden-redaktoer.
    owners = [
        line
        for line in render_codeowners(load_registry(registry)).splitlines()
        if line and not line.startswith("#")
    ]
    assert owners == ["* @kl-redaktion @anden-redaktoer"]


def test_check_reports_stale_and_writes_nothing(registry: Path) -> None:
    target = registry / CODEOWNERS_FILE
    result = run_valreg("codeowners", "--check", cwd=registry)
    assert result.returncode == 1
    assert "stale; run: valreg codeowners" in result.stderr
    assert not target.exists()

    result = run_valreg("codeowners", cwd=registry)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {CODEOWNERS_FILE}\n"
    first = target.read_bytes()
    assert run_valreg("codeowners", "--check", cwd=registry).returncode == 0

    target.write_text(first.decode("utf-8") + "/values/ @someone\n", encoding="utf-8")
    assert run_valreg("codeowners", "--check", cwd=registry).returncode == 1
    assert run_valreg("codeowners", cwd=registry).returncode == 0
    assert target.read_bytes() == first
    assert [p.name for p in target.parent.iterdir()] == ["CODEOWNERS"]  # no temporary left


def test_no_editors_means_no_owner_line(registry: Path) -> None:
    path = registry / "registry/registry.yaml"
    text = path.read_text(encoding="utf-8")
    editors = next(line for line in text.splitlines() if line.startswith("editors:"))
    path.write_text(text.replace(editors, "editors: []"), encoding="utf-8")
    rendered = render_codeowners(load_registry(registry))
    assert all(line.startswith("#") for line in rendered.splitlines() if line)
    assert "lists no editors" in rendered


def test_an_invalid_registry_is_refused_with_its_line(registry: Path) -> None:
    path = registry / "registry/registry.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "editors: [x]\n", encoding="utf-8")
    result = run_valreg("codeowners", cwd=registry)
    assert result.returncode == 1
    assert "registry/registry.yaml:" in result.stderr and "Y109" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (registry / CODEOWNERS_FILE).exists()
