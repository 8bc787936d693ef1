"""A snapshot read from a commit equals the one read from the same clean work tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import git
from valreg.checks import check_snapshot
from valreg.errors import UsageError
from valreg.snapshot import Snapshot, load_snapshot, load_snapshot_at


def _models(snapshot: Snapshot) -> dict[str, object]:
    return {path: (p.model, p.diagnostics) for path, p in snapshot.files.items()}


def test_commit_and_work_tree_agree(registry: Path) -> None:
    at_head = load_snapshot_at(registry, "HEAD")
    assert _models(at_head) == _models(load_snapshot(registry))
    assert check_snapshot(at_head) == []


def test_an_old_commit_is_read_without_touching_the_work_tree(registry: Path) -> None:
    value = registry / "values/danner-og-uddanner.yaml"
    value.write_text(
        value.read_text(encoding="utf-8").replace("number: 1", "number: 99"), encoding="utf-8"
    )
    git(registry, "commit", "--quiet", "-am", "renumber")
    before = value.read_bytes()
    old = load_snapshot_at(registry, "HEAD~1")
    assert old.values["danner-og-uddanner"].model.number == 1
    assert load_snapshot_at(registry, "HEAD").values["danner-og-uddanner"].model.number == 99
    assert value.read_bytes() == before
    assert git(registry, "status", "--porcelain") == ""


def test_links_and_odd_names_in_a_commit_are_diagnosed(registry: Path) -> None:
    (registry / "values/link.yaml").symlink_to("danner-og-uddanner.yaml")
    with open(os.path.join(os.fsencode(registry / "values"), b"x\xff.yaml"), "wb") as handle:
        handle.write(b"id: x\n")
    git(registry, "add", "--all")
    git(registry, "commit", "--quiet", "-m", "hostile")
    codes = {(d.path, d.code) for d in check_snapshot(load_snapshot_at(registry, "HEAD"))}
    assert ("values/link.yaml", "F303") in codes
    assert ("values/x\ufffd.yaml", "F301") in codes


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "nope", "HEAD..HEAD", "a b"])
def test_bad_refs_are_usage_errors(registry: Path, ref: str) -> None:
    with pytest.raises(UsageError):
        load_snapshot_at(registry, ref)
