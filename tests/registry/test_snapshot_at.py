"""A snapshot read from a commit equals the one read from the same clean work tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import VALID_REGISTRY, git, make_repo
from valreg import _git
from valreg.errors import GitError, UsageError
from valreg.registry.rules import check_snapshot
from valreg.registry.snapshot import (
    Snapshot,
    load_snapshot,
    load_snapshot_at,
    read_commit,
    read_worktree,
)


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


#: Contents that could trip the parsing of `cat-file --batch`'s answer: nothing at all, no
#: final newline, a line that looks like an answer's header, bytes that are not UTF-8.
_AWKWARD = (b"", b"id: x", b"0123 blob 5\nmissing\n\n", b"\xff\x00\r\n\xfe")


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid registry with enough more files, all distinct, that `read_blobs` splits
    them among several `cat-file` processes."""
    root = make_repo(VALID_REGISTRY, tmp_path_factory.mktemp("large") / "registry")
    for i in range(_git.SPLIT_THRESHOLD + 200):
        content = _AWKWARD[i] if i < len(_AWKWARD) else f"id: extra-{i}\n".encode() * (i % 7)
        (root / f"values/extra-{i}.yaml").write_bytes(content)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "many values")
    return root


def _tree(root: Path) -> dict[str, str]:
    """Path → blob id of every file committed in HEAD."""
    entries = _git.list_tree(root, _git.resolve(root, "HEAD"), ("registry", "values", "proposals"))
    return {e.path: e.oid for e in entries}


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_blobs_read_in_parts_are_the_blobs(large: Path, processes: int) -> None:
    tree = _tree(large)
    oids = list(tree.values())
    assert len(set(oids)) >= _git.SPLIT_THRESHOLD
    blobs = _git.read_blobs(large, [*oids, *oids[:5]], processes=processes)
    assert list(blobs) == list(dict.fromkeys(oids))
    # The checkout is clean, so each file's bytes are its blob's.
    assert {path: blobs[oid] for path, oid in tree.items()} == {
        path: (large / path).read_bytes() for path in tree
    }
    # git's own word on the awkward ones and a few others (one process each is slow).
    awkward = [f"values/extra-{i}.yaml" for i in range(len(_AWKWARD))]
    for path in [*awkward, *list(tree)[:: len(tree) // 5]]:
        shown = subprocess.run(
            ["git", "-C", str(large), "cat-file", "blob", tree[path]],
            capture_output=True,
            check=True,
        ).stdout
        assert blobs[tree[path]] == shown, path


def test_blobs_are_read_by_name_too(large: Path) -> None:
    tree = _tree(large)
    names = [f"HEAD:{path}" for path in tree]
    blobs = _git.read_blobs(large, names, processes=2)
    assert [blobs[name] for name in names] == [(large / path).read_bytes() for path in tree]


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("missing", ["0" * 40, "HEAD:values/nope.yaml"])
def test_a_missing_blob_is_a_git_error(large: Path, processes: int, missing: str) -> None:
    oids = list(_tree(large).values())
    middle = len(oids) // 2
    with pytest.raises(GitError, match="missing"):
        _git.read_blobs(large, [*oids[:middle], missing, *oids[middle:]], processes=processes)


def test_a_failing_cat_file_is_a_git_error_with_its_message(tmp_path: Path) -> None:
    oids = [f"{i:040x}" for i in range(_git.SPLIT_THRESHOLD)]
    with pytest.raises(GitError) as raised:
        _git.read_blobs(tmp_path / "nowhere", oids, processes=2)
    assert raised.value.command[-2:] == ["cat-file", "--batch"]
    assert raised.value.returncode != 0
    assert "nowhere" in raised.value.stderr  # git's own message names the folder


def test_a_commit_is_read_as_its_clean_checkout(large: Path) -> None:
    blobs, problems = read_commit(large, "HEAD")
    assert len(blobs) > _git.SPLIT_THRESHOLD
    assert (blobs, problems) == read_worktree(large)
