"""The parse cache under the git directory: used when valid, never trusted otherwise."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from conftest import git, run_valreg
from valreg.cache import CACHE_FILE, entry_key
from valreg.diagnostics import make
from valreg.parse import parse_file

VALUE = "values/danner-og-uddanner.yaml"


def _cache(root: Path) -> Path:
    return root / ".git" / CACHE_FILE


def test_check_keeps_a_cache_in_the_git_dir_only(registry: Path) -> None:
    first = run_valreg("check", cwd=registry)
    assert first.returncode == 0
    assert _cache(registry).is_file()
    assert git(registry, "status", "--porcelain", "--ignored") == ""
    second = run_valreg("check", cwd=registry)
    assert second.stdout == first.stdout


def test_an_edited_file_is_parsed_again(registry: Path) -> None:
    assert run_valreg("check", cwd=registry).returncode == 0
    (registry / VALUE).write_text("id: danner-og-uddanner\nnumber: 1\n", encoding="utf-8")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 1
    assert f"{VALUE}:1:1: error S201 missing required field 'text'" in result.stdout


def test_no_cache_keeps_none(registry: Path) -> None:
    assert run_valreg("check", "--no-cache", cwd=registry).returncode == 0
    assert not _cache(registry).exists()


def test_a_corrupt_cache_is_ignored(registry: Path) -> None:
    _cache(registry).parent.mkdir(parents=True)
    _cache(registry).write_bytes(b"\x80\x05not a pickle")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_a_cache_from_other_rules_is_not_trusted(registry: Path) -> None:
    """An entry written under another rules fingerprint must not be used."""
    data = (registry / VALUE).read_bytes()
    clean = parse_file(VALUE, data)
    planted = type(clean)(
        VALUE,
        clean.kind,
        None,
        clean.document,
        (make(VALUE, 1, 1, "S202", "planted", da="plantet"),),
    )
    payload = {"rules": "another-version", "entries": {entry_key(VALUE, data): planted}}
    _cache(registry).parent.mkdir(parents=True)
    _cache(registry).write_bytes(pickle.dumps(payload))
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 0
    assert "planted" not in result.stdout


def test_check_outside_git_works_without_a_cache(tmp_path: Path, registry: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(registry, plain, ignore=shutil.ignore_patterns(".git"))
    result = run_valreg("check", cwd=plain)
    assert result.returncode == 0, result.stderr
    assert not (plain / ".git").exists()
