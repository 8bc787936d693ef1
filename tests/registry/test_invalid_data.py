"""Every file in tests/data/invalid/ gives exactly the diagnostics listed beside it.

Each case is two files: `<name>.expected` and the data file `<name>.<ext>`. The
expected file names where the data goes in a copy of the valid test registry
(`path: …`) and lists the diagnostics as `CODE LINE` (on that path) or
`CODE LINE other/path` (on another file). Lines starting with '#' are comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID_REGISTRY, git
from factories import CASES, install_case, read_case
from valreg.registry.check import check_registry


def test_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("expected", CASES, ids=[c.stem for c in CASES])
def test_invalid_case(expected: Path, tmp_path: Path) -> None:
    root, wanted = install_case(expected, tmp_path)
    result = check_registry(root)
    found = {(d.path, d.code, d.line) for d in result.diagnostics}
    assert found == wanted
    for diagnostic in result.diagnostics:
        assert diagnostic.message
        assert diagnostic.col >= 1
    # The cached path finds exactly the same, when it fills the cache and when it reads it.
    git(root, "init", "--quiet")
    filled = check_registry(root, use_cache=True)
    assert (root / ".git/valreg/parsed.sqlite").is_file()
    assert (root / ".git/valreg/index.pickle").is_file()
    assert check_registry(root, use_cache=True) == filled == result


@pytest.mark.parametrize("expected", CASES, ids=[c.stem for c in CASES])
def test_invalid_case_since(expected: Path, tmp_path: Path) -> None:
    """`check --since` with a cache made before the file came (which reads only what git
    names) finds what `--since` without a cache does, and all the case says of its file."""
    root, wanted = install_case(expected, tmp_path)
    target = read_case(expected)[1]
    data = (root / target).read_bytes()
    original = VALID_REGISTRY / target
    if original.is_file():
        (root / target).write_bytes(original.read_bytes())
    else:
        (root / target).unlink()
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "valid")
    assert check_registry(root, use_cache=True).diagnostics == ()  # the cache's base
    (root / target).write_bytes(data)
    since = check_registry(root, since="HEAD", use_cache=True)
    assert since == check_registry(root, since="HEAD")
    assert {w for w in wanted if w[0] == target} <= {
        (d.path, d.code, d.line) for d in since.diagnostics
    }


def test_every_rule_has_an_invalid_example() -> None:
    from valreg.registry.diagnostics import RULES

    covered = set()
    for expected in CASES:
        covered |= {code for _, code, _ in read_case(expected)[2]}
    # Refusals that cannot live in a small committed file are tested in test_loader.py;
    # P515 needs a release that retired a value (tests/workflow/test_retired.py); D609 two
    # adds in one round, which the test registry lacks (tests/workflow/test_decide.py); R715
    # an adopted manifest beside its adoption file (tests/versions/test_adopt.py).
    tested_elsewhere = {"Y103", "F303", "F304", "P515", "D609", "R715"}
    assert set(RULES) - covered - tested_elsewhere == set()
