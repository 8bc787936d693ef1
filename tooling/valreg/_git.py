"""The only module that runs git. Every call checks its status and raises `GitError`.

Commits and tags are made with the git command line (it honours the user's signing
configuration and hooks); GitPython is not needed for the calls made so far.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from valreg.errors import GitError, UsageError


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Read-only commands must not take the index lock while another command writes.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env.setdefault("LC_ALL", "C")
    return env


def _run(
    root: Path,
    args: tuple[str, ...],
    *,
    input_bytes: bytes | None = None,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | int = subprocess.PIPE,
) -> bytes:
    """Run `git -C root ARGS…`; its standard output when that is a pipe, else b""."""
    command = ["git", "-C", str(root), *args]
    try:
        proc = subprocess.run(
            command,
            input=input_bytes,
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=_env(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError(command, "git is not installed or not on PATH", 127) from None
    if proc.returncode != 0:
        raise GitError(command, proc.stderr.decode("utf-8", "replace"), proc.returncode)
    return proc.stdout or b""


def run_git(root: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    """Run `git -C root ARGS…` and return its standard output."""
    return _run(root, args, input_bytes=input_bytes)


def _run_git_through_files(root: Path, *args: str, input_bytes: bytes) -> bytes:
    """`run_git` with standard input and output in temporary files instead of pipes.

    For a large answer this is much faster: git writes without waiting for a reader to
    make room in a pipe, and Python reads the whole answer in one call at the end.
    """
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stdout:
        stdin.write(input_bytes)
        stdin.seek(0)
        _run(root, args, stdin=stdin, stdout=stdout)
        stdout.seek(0)
        return stdout.read()


def git_dir(root: Path) -> Path | None:
    """The git directory of the work tree at `root`, or None if it is not in one."""
    try:
        out = run_git(root, "rev-parse", "--absolute-git-dir")
    except GitError:
        return None
    return Path(out.decode("utf-8").strip())


def applied_change_ids(root: Path) -> set[str]:
    """Change ids named in `Applies:` trailers of the commits reachable from HEAD."""
    commit = head(root)
    if commit is None:
        return set()  # not a repository, or no commit yet
    return set(applied_between(root, None, commit))


def applied_between(root: Path, start: str | None, end: str) -> list[str]:
    """Change ids in `Applies:` trailers of the commits in `start..end`, oldest first
    (all of `end`'s history when `start` is None). Both are commit ids from `resolve`."""
    spec = f"{start}..{end}" if start is not None else end
    out = run_git(
        root,
        "log",
        "--reverse",
        "--format=%H%x00%(trailers:key=Applies,valueonly)%x00",
        "--end-of-options",
        spec,
        "--",
    )
    fields = out.decode("utf-8").split("\0")
    # Records are `<sha>\0<one trailer value per line>\0`, each followed by a newline.
    ids = [line.strip() for trailers in fields[1::2] for line in trailers.splitlines()]
    return list(dict.fromkeys(i for i in ids if i))


def commit_time(root: Path, commit: str) -> int:
    """A commit's committer time, in seconds since 1970."""
    return int(run_git(root, "show", "--no-patch", "--format=%ct", commit, "--").decode().strip())


REF_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@{}~^-]*")


@dataclass(frozen=True, slots=True)
class TreeEntry:
    path: str
    mode: str
    oid: str


def resolve(root: Path, ref: str) -> str:
    """The commit id a ref names; refuses anything that could be read as an option."""
    if not REF_PATTERN.fullmatch(ref) or ".." in ref:
        raise UsageError(f"'{ref}' is not a git ref valreg accepts")
    try:
        out = run_git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except GitError:
        raise UsageError(f"'{ref}' names no commit in this repository") from None
    return out.decode().strip()


def list_tree(root: Path, commit: str, folders: tuple[str, ...]) -> list[TreeEntry]:
    """Every entry under `folders` in a commit's tree (modes show links and submodules)."""
    out = run_git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *folders)
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, oid = meta.decode().split(" ")
        entries.append(TreeEntry(path.decode("utf-8", "surrogateescape"), mode, oid))
    return entries


#: From this many distinct objects on, `read_blobs` shares them among several `cat-file`
#: processes; below it one process takes under 50 ms, and a second would save little.
SPLIT_THRESHOLD = 1000
#: At most this many `cat-file` processes at once, however many cores there are (the gain
#: was measured on two cores only).
MAX_CAT_FILES = 4


def read_blobs(root: Path, names: list[str], *, processes: int = 1) -> dict[str, bytes]:
    """The content of many objects (ids or `<commit>:<path>` names) by name, read by one
    `git cat-file --batch`, or by up to `processes` of them at once when there are many."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return {}
    parts = min(processes, MAX_CAT_FILES) if len(unique) >= SPLIT_THRESHOLD else 1
    if parts <= 1:
        return _cat_file(root, unique)
    size = -(-len(unique) // parts)
    shares = [unique[i : i + size] for i in range(0, len(unique), size)]
    # Threads are enough: each one waits for its git process, which does the work.
    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        answers = list(pool.map(lambda share: _cat_file(root, share), shares))
    return {name: blob for answer in answers for name, blob in answer.items()}


def _cat_file(root: Path, names: list[str]) -> dict[str, bytes]:
    """One `git cat-file --batch` for distinct `names`; any name it cannot find is a
    GitError (git itself answers `<name> missing` and exits 0)."""
    request = "".join(f"{name}\n" for name in names).encode()
    out = _run_git_through_files(root, "cat-file", "--batch", input_bytes=request)
    blobs: dict[str, bytes] = {}
    position = 0
    for name in names:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].decode().split(" ")
        if len(header) != 3:
            raise GitError(["cat-file", "--batch"], f"unexpected answer for {name}: {header}", 1)
        size = int(header[2])
        start = header_end + 1
        blobs[name] = out[start : start + size]
        position = start + size + 1  # the content is followed by a newline
    return blobs


def object_type(root: Path, name: str) -> str | None:
    """`commit`, `tag` … for an existing object name, None if there is none."""
    try:
        return run_git(root, "cat-file", "-t", "--end-of-options", name).decode().strip()
    except GitError:
        return None


def tag_exists(root: Path, tag: str) -> bool:
    return object_type(root, f"refs/tags/{tag}") is not None


def commit_adding(root: Path, path: str) -> str | None:
    """The first commit (from HEAD's history) that added `path`, or None."""
    try:
        out = run_git(root, "log", "--diff-filter=A", "--format=%H", "HEAD", "--", path)
    except GitError:
        return None
    commits = out.decode().split()
    return commits[-1] if commits else None


def create_tag(root: Path, tag: str, commit: str, message: str, *, sign: bool) -> None:
    """An annotated tag (signed with the user's GPG or SSH setup when `sign`)."""
    run_git(
        root,
        "tag",
        "--sign" if sign else "--annotate",
        "--file=-",
        tag,
        commit,
        input_bytes=message.encode("utf-8"),
    )


def tag_is_signed(root: Path, tag: str) -> bool:
    body = run_git(root, "cat-file", "tag", f"refs/tags/{tag}")
    return b"-----BEGIN PGP SIGNATURE-----" in body or b"-----BEGIN SSH SIGNATURE-----" in body


def verify_tag(root: Path, tag: str) -> tuple[bool, str]:
    """git's own verdict on a signed tag (its exit status) and who signed it."""
    command = ["git", "-C", str(root), "verify-tag", "--raw", f"refs/tags/{tag}"]
    proc = subprocess.run(command, capture_output=True, env=_env(), check=False)
    said = proc.stderr.decode("utf-8", "replace")
    match = re.search(r'Good "git" signature for (\S+)', said) or re.search(
        r"GOODSIG \S+ (.+)", said
    )
    if match:
        return proc.returncode == 0, match.group(1).strip()
    lines = said.strip().splitlines()
    return proc.returncode == 0, lines[-1] if lines else "no signature information"


@dataclass(frozen=True, slots=True)
class ChangedPath:
    """One line of `git diff --raw`: modes, status (A, M, D, T) and path."""

    old_mode: str
    new_mode: str
    status: str
    path: str


def merge_base(root: Path, a: str, b: str) -> str:
    try:
        return run_git(root, "merge-base", a, b).decode().strip()
    except GitError:
        raise UsageError(f"{a[:12]} and {b[:12]} have no common history") from None


def changed_between(root: Path, base: str, head: str) -> list[ChangedPath]:
    """Every path changed from `base` to `head`; a rename is a deletion and an addition."""
    out = run_git(root, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, head)
    fields = out.split(b"\0")
    changed = []
    for meta, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        if not meta:
            continue
        old_mode, new_mode, _old, _new, status = meta.decode().lstrip(":").split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        changed.append(ChangedPath(old_mode, new_mode, status[0], path))
    return changed


def init_repository(root: Path) -> None:
    """A new repository with `main` as its first branch."""
    run_git(root, "init", "--quiet", "--initial-branch=main")


def head(root: Path) -> str | None:
    """The commit id of HEAD, or None before the first commit."""
    try:
        return run_git(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip()
    except GitError:
        return None


def config_value(root: Path, key: str) -> str | None:
    """A git config value as git sees it in this repository, or None if unset."""
    try:
        return run_git(root, "config", "--get", key).decode("utf-8").strip() or None
    except GitError:
        return None


def _paths(out: bytes) -> list[str]:
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def staged_paths(root: Path, paths: list[str]) -> list[str]:
    """Those of `paths` whose index entry differs from HEAD."""
    if not paths:
        return []
    return _paths(run_git(root, "diff", "--cached", "--name-only", "-z", "--", *paths))


def changed_paths(root: Path, paths: list[str]) -> list[str]:
    """Those of `paths` with uncommitted changes: staged, unstaged or untracked."""
    if not paths:
        return []
    out = run_git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    entries = out.decode("utf-8", "surrogateescape").split("\0")
    changed = []
    skip = False
    for entry in entries:
        if skip or not entry:
            skip = False
            continue
        status, path = entry[:2], entry[3:]
        changed.append(path)
        skip = "R" in status or "C" in status  # a rename is followed by its old path
    return changed


def stage(root: Path, paths: list[str]) -> None:
    run_git(root, "add", "--", *paths)


def unstage(root: Path, paths: list[str]) -> None:
    """Reset the index entries of `paths` to HEAD (dropping new files from the index)."""
    if head(root) is None:
        run_git(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *paths)
    else:
        run_git(root, "reset", "--quiet", "--", *paths)


def commit(root: Path, message: str, *, only: list[str] | None = None) -> str:
    """Commit what is staged with `message` (the user's hooks and signing apply); with
    `only`, those paths as they are in the work tree and nothing else that is staged."""
    paths = ["--only", "--", *only] if only else []
    run_git(root, "commit", "--quiet", "--file=-", *paths, input_bytes=message.encode("utf-8"))
    return run_git(root, "rev-parse", "HEAD").decode().strip()


def commit_all(root: Path, message: str) -> str:
    """Stage everything in the work tree and commit it; returns the new commit id."""
    run_git(root, "add", "--all", "--", ".")
    run_git(root, "commit", "--quiet", "-m", message)
    return run_git(root, "rev-parse", "HEAD").decode().strip()


@dataclass(frozen=True)
class Changes:
    """What differs in the work tree from a commit (paths relative to the root)."""

    #: Committed since, staged, unstaged, deleted or untracked (but not ignored).
    paths: list[str]
    #: Those of `paths` that are files both in the commit and in the work tree.
    edited: list[str]
    #: What differs between an earlier commit (`base`) and this one; None if `base` is not
    #: in the repository (any more), empty if it was not asked for.
    moved: list[str] | None
    #: Untracked files that git ignores.
    ignored: list[str]


def changes_since(
    root: Path, ref: str, base: str | None = None, folders: tuple[str, ...] = ()
) -> Changes:
    """What differs in the work tree (in `folders`, or all of it) from commit `ref`; with
    `base`, also what differs between `base` and `ref`. The git commands run side by
    side."""
    commit = resolve(root, ref)
    commands = [
        ("diff", "--name-status", "-z", "--no-renames", "--relative", commit, "--", *folders),
        ("ls-files", "--others", "-z", "--", *folders),  # the ignored ones too
    ]
    if base is not None:
        commands.append(
            (
                "diff",
                "--name-only",
                "-z",
                "--no-renames",
                "--relative",
                base,
                commit,
                "--",
                *folders,
            )
        )
    outputs = _run_side_by_side(root, commands)
    tracked, untracked = outputs[0], outputs[1]
    if isinstance(tracked, GitError):
        raise tracked
    if isinstance(untracked, GitError):
        raise untracked
    # `<status>\0<path>\0` for each path; M: modified, T: its type changed (a file
    # became a link …), A and D.
    fields = _paths(tracked)
    status = dict(zip(fields[1::2], fields[0::2], strict=True))
    others = _paths(untracked)
    ignored = _ignored(root, others) if others else set()
    paths = sorted(status.keys() | (set(others) - ignored))
    edited = sorted(path for path, letter in status.items() if letter == "M")
    moved: list[str] | None = []
    if base is not None:
        moved = None if isinstance(outputs[2], GitError) else _paths(outputs[2])
    return Changes(paths, edited, moved, sorted(ignored))


def _ignored(root: Path, paths: list[str]) -> set[str]:
    """Those of these untracked paths that git ignores (.gitignore and the like)."""
    request = b"".join(path.encode("utf-8", "surrogateescape") + b"\0" for path in paths)
    try:
        out = _run(root, ("check-ignore", "-z", "--stdin"), input_bytes=request)
    except GitError as failure:
        if failure.returncode == 1:  # none of them is ignored
            return set()
        raise
    return set(_paths(out))


def _run_side_by_side(root: Path, commands: list[tuple[str, ...]]) -> list[bytes | GitError]:
    """Several read-only git commands at once; each one's output, or its failure."""

    def attempt(args: tuple[str, ...]) -> bytes | GitError:
        try:
            return _run(root, args)
        except GitError as failure:
            return failure

    # Threads are enough: each one waits for its git process, which does the work.
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(attempt, commands))
