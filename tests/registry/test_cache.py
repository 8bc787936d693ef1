"""The parse cache under the git directory: used when valid, never trusted otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import git, run_valreg
from valreg.registry import cache as cache_module
from valreg.registry.cache import (
    CACHE_DIR,
    CHECKED_ONCE,
    STORE_FILE,
    Index,
    IndexEntry,
    ParseCache,
    entry_key,
)
from valreg.registry.diagnostics import make
from valreg.registry.facts import facts_of
from valreg.registry.parse import Parsed, parse_file

VALUE = "values/danner-og-uddanner.yaml"


def _cache(root: Path) -> Path:
    return root / ".git" / CACHE_DIR


def test_check_keeps_a_cache_in_the_git_dir_only(registry: Path) -> None:
    first = run_valreg("check", cwd=registry)
    assert first.returncode == 0
    # The first check of a clone (CI's) fills no cache: it only marks the clone.
    assert not (registry / ".git" / STORE_FILE).exists()
    assert (registry / ".git" / CHECKED_ONCE).is_file()
    second = run_valreg("check", cwd=registry)
    assert (registry / ".git" / STORE_FILE).is_file()
    assert git(registry, "status", "--porcelain", "--ignored") == ""
    third = run_valreg("check", cwd=registry)
    assert first.stdout == second.stdout == third.stdout


def test_the_first_check_of_a_clone_leaves_only_its_marker(registry: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(registry), str(clone))
    before = {p.relative_to(clone / ".git") for p in (clone / ".git").rglob("*")}
    assert run_valreg("check", cwd=clone).returncode == 0
    after = {p.relative_to(clone / ".git") for p in (clone / ".git").rglob("*")}
    assert after - before == {CACHE_DIR, CHECKED_ONCE}


def test_an_edited_file_is_parsed_again(registry: Path) -> None:
    assert run_valreg("check", cwd=registry).returncode == 0
    (registry / VALUE).write_text("id: danner-og-uddanner\nnumber: 1\n", encoding="utf-8")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 1
    assert f"{VALUE}:1:1: error S201 missing required field 'text'" in result.stdout


@pytest.mark.parametrize(
    "lost", [("index.pickle",), ("parsed.sqlite",), ("index.pickle", "parsed.sqlite")]
)
def test_a_cache_missing_parts_still_gives_the_same_result(
    registry: Path, lost: tuple[str, ...]
) -> None:
    (registry / VALUE).write_text("id: danner-og-uddanner\nnumber: 1\n", encoding="utf-8")
    run_valreg("check", cwd=registry)  # the first check of the clone: no cache yet
    first = run_valreg("check", cwd=registry)
    assert "S201" in first.stdout
    for name in lost:
        (_cache(registry) / name).unlink()
    assert run_valreg("check", cwd=registry).stdout == first.stdout
    for name in lost:
        (_cache(registry) / name).unlink(missing_ok=True)
    since = run_valreg("check", "--since", "HEAD", cwd=registry)
    # The same diagnostics (the value, and the files that refer to it, are checked).
    assert since.stdout.splitlines()[:-1] == first.stdout.splitlines()[:-1]


def test_no_cache_keeps_none(registry: Path) -> None:
    assert run_valreg("check", "--no-cache", cwd=registry).returncode == 0
    assert not _cache(registry).exists()


def test_a_corrupt_cache_is_ignored(registry: Path) -> None:
    _cache(registry).mkdir(parents=True)
    for name in ("parsed.sqlite", "index.pickle"):
        (_cache(registry) / name).write_bytes(b"\x80\x05not a pickle")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def _planted(data: bytes) -> Parsed:
    clean = parse_file(VALUE, data)
    return Parsed(
        VALUE, clean.kind, None, clean.document, (make(VALUE, 1, 1, "S202", "planted", da="x"),)
    )


def test_a_cache_from_other_rules_is_not_trusted(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Store, index and facts written under another rules fingerprint are not used."""
    data = (registry / VALUE).read_bytes()
    key = entry_key(VALUE, data)
    git_dir = registry / ".git"
    monkeypatch.setattr(cache_module, "rules_fingerprint", lambda: "another-version")
    old = ParseCache(git_dir)
    old.put(key, _planted(data), facts_of(_planted(data)))
    old.save()
    old.save_index(Index(1, {VALUE: IndexEntry((0, 0, 0, 0), key, "0" * 40)}, {VALUE: key}, ()))
    old.record({VALUE: (key, facts_of(_planted(data)))}, "0" * 40, frozenset())
    # The control: the same rules would use all of it.
    assert old.get(key) is not None
    assert old.index.entries
    assert old.facts() and old.base() is not None
    old.close()
    monkeypatch.undo()
    new = ParseCache(git_dir)
    assert new.get(key) is None
    assert new.index == Index()
    assert new.facts() == {}
    assert new.base() is None
    new.close()
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 0
    assert "planted" not in result.stdout


def test_check_outside_git_works_without_a_cache(tmp_path: Path, registry: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(registry, plain, ignore=shutil.ignore_patterns(".git"))
    result = run_valreg("check", cwd=plain)
    assert result.returncode == 0, result.stderr
    assert not (plain / ".git").exists()
