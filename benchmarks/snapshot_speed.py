"""Seconds to read a registry's files from its work tree and from a commit, in one process.

Usage: python benchmarks/snapshot_speed.py ROOT [--runs 3]

ROOT is a registry in a git repository with a clean checkout (for example one made by
`benchmarks/generate.py`). Times, median of the runs after a warm-up each:
`snapshot.read_worktree(ROOT)`, `snapshot.read_commit(ROOT, "HEAD")` as it is and as it
was (its blobs through one `cat-file --batch` and a pipe, inlined here), and the commit's
blobs alone read three ways: `_git.read_blobs` (one `cat-file --batch` per core, up to
four, through temporary files), one `cat-file` through pipes as before, and git on its
own writing to /dev/null (the floor).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from timing import time_calls
from valreg import _git
from valreg.errors import GitError
from valreg.registry.parse import REGISTRY_FOLDERS
from valreg.registry.snapshot import _screen, cores, read_commit, read_worktree


def _one_cat_file_through_pipes(root: Path, oids: list[str]) -> dict[str, bytes]:
    """`_git.read_blobs` as it was: one `cat-file --batch`, its answer read from a pipe."""
    if not oids:
        return {}
    unique = list(dict.fromkeys(oids))
    out = _git.run_git(
        root, "cat-file", "--batch", input_bytes="".join(f"{o}\n" for o in unique).encode()
    )
    blobs: dict[str, bytes] = {}
    position = 0
    for oid in unique:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].decode().split(" ")
        if len(header) != 3:
            raise GitError(["cat-file", "--batch"], f"unexpected answer for {oid}: {header}", 1)
        size = int(header[2])
        start = header_end + 1
        blobs[oid] = out[start : start + size]
        position = start + size + 1
    return blobs


def _read_commit_through_one_pipe(root: Path, ref: str) -> dict[str, bytes]:
    """`snapshot.read_commit` as it was: the same listing and screening, then the blobs
    through one pipe."""
    entries = _git.list_tree(root, _git.resolve(root, ref), REGISTRY_FOLDERS)
    wanted: dict[str, str] = {}
    for entry in entries:
        entry_kind = {"120000": "link", "160000": "submodule"}.get(entry.mode, "file")
        if _screen(entry.path, entry_kind) == "read":
            wanted[entry.path] = entry.oid
    blobs = _one_cat_file_through_pipes(root, list(wanted.values()))
    return {path: blobs[oid] for path, oid in wanted.items()}


def _git_alone(root: Path, request: IO[bytes]) -> None:
    """One `git cat-file --batch` reading the ids from a file and writing to /dev/null."""
    request.seek(0)
    subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch"],
        stdin=request,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    root: Path = options.root
    worktree, _ = read_worktree(root)
    committed, _ = read_commit(root, "HEAD")
    if committed != worktree or _read_commit_through_one_pipe(root, "HEAD") != worktree:
        raise SystemExit(f"{root} is not a clean checkout of HEAD: the readers disagree")
    tree = _git.list_tree(root, _git.resolve(root, "HEAD"), REGISTRY_FOLDERS)
    oids = list(dict.fromkeys(entry.oid for entry in tree if entry.path in committed))

    def median(way: Callable[[], object]) -> float:
        return statistics.median(time_calls(way, options.runs))

    processes = min(cores(), _git.MAX_CAT_FILES)
    from_worktree = median(lambda: read_worktree(root))
    from_commit = median(lambda: read_commit(root, "HEAD"))
    from_commit_before = median(lambda: _read_commit_through_one_pipe(root, "HEAD"))
    blobs_now = median(lambda: _git.read_blobs(root, oids, processes=cores()))
    blobs_before = median(lambda: _one_cat_file_through_pipes(root, oids))
    with tempfile.TemporaryFile() as request:
        request.write("".join(f"{oid}\n" for oid in oids).encode())
        git_alone = median(lambda: _git_alone(root, request))
    rows = {
        "`read_worktree(root)`": from_worktree,
        '`read_commit(root, "HEAD")`': from_commit,
        '`read_commit(root, "HEAD")` as before: one cat-file through pipes': from_commit_before,
        f"its blobs: `read_blobs`, {processes} cat-file through temporary files": blobs_now,
        "its blobs: one cat-file through pipes (before)": blobs_before,
        "its blobs: git alone, one cat-file to /dev/null": git_alone,
    }
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"{len(worktree):,} files ({len(oids):,} distinct blobs), {cores()} cores, "
        f"median of {options.runs} runs after a warm-up (load average {load})\n"
    )
    print("| reading | median s | × work tree |\n|---|---:|---:|")
    for name, seconds in rows.items():
        print(f"| {name} | {seconds:.3f} | {seconds / from_worktree:.2f} |")


if __name__ == "__main__":
    main()
