"""The fast safe reader agrees with ruamel.yaml's round-trip reader (used for edits), and
its position-tracking pass (run only when a diagnostic needs a position) agrees with the
fast pass, on every file of the real, example and test registries and every invalid case.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, REPO, VALID_REGISTRY
from factories import init_example
from valreg.registry.yamlio import (
    Document,
    YamlProblem,
    _build,
    _build_data,
    edit_yaml,
    load_yaml,
)


def _plain(data: Any) -> Any:
    """ruamel's round-trip data as plain Python; its timestamps as the text they were."""
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(item) for item in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    return str(data)


def _registry_files(root: Path) -> list[Path]:
    return sorted(
        p for folder in ("registry", "values", "proposals") for p in (root / folder).rglob("*.yaml")
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "registry"
    init_example(root)
    return root


def test_both_readers_read_the_same_values(example: Path) -> None:
    files = _registry_files(REPO) + _registry_files(example) + _registry_files(VALID_REGISTRY)
    assert len(files) > 40
    for path in files:
        data = path.read_bytes()
        loaded = load_yaml(data, limit=32 << 20)
        assert isinstance(loaded, Document), (path, loaded)
        assert loaded.data == _plain(edit_yaml(data).data), path


def _outcome(text: str, *, track: bool) -> tuple[Any, str | None]:
    """What the tracking pass (`_build`) or the fast one (`_build_data`) returns, or the
    repr of what it raised (a refusal, a syntax error)."""
    try:
        built: Any = _build(text, track=True) if track else _build_data(text)
    except Exception as exc:
        return None, repr(getattr(exc, "problem", None) or type(exc).__name__)
    return built, None


def test_positions_are_found_again_for_the_same_data(example: Path) -> None:
    """The fast pass keeps no positions; the second pass must read the same tree and
    refuse the same things, or a diagnostic could point at the wrong place."""
    files = _registry_files(example) + _registry_files(VALID_REGISTRY)
    files += sorted(p for p in (DATA / "invalid").iterdir() if p.suffix != ".expected")
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        fast, refused = _outcome(text, track=False)
        again, refused_again = _outcome(text, track=True)
        assert refused_again == refused, path
        if refused is not None:
            continue
        data, located = again
        assert data == fast, path
        assert data == _build(text)[0], path
        assert located is not None
        if data is not None:
            assert located.positions[()] >= (1, 1)
        loaded = load_yaml(path.read_bytes(), limit=32 << 20)
        if isinstance(loaded, YamlProblem):
            continue
        for where, (line, col) in loaded.positions.items():
            assert line >= 1 and col >= 1, (path, where)


_YAMLISH = st.text(alphabet="ab1:-\n #&*!<>{}[],'\"~.?|", max_size=60)


@settings(max_examples=3000, deadline=None)
@given(text=_YAMLISH | st.sampled_from(["a: 1\na: 2\n", "<<: {a: 1}\n", "- &x a\n- *x\n"]))
def test_the_fast_pass_reads_and_refuses_as_the_tracking_pass(text: str) -> None:
    """Any text: the same data, or the same refusal at the same place, from both passes."""
    tracked, refused = _outcome(text, track=True)
    expected = (tracked[0], None) if refused is None else (None, refused)
    assert _outcome(text, track=False) == expected
