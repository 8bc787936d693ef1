"""All-or-nothing writes across files: a lock, a journal and recovery, under the git dir.

A writing command takes the lock (`.git/valreg/lock`; a lock whose process is gone is
stale and taken over; taking it also clears the temporary files of writers that died in
`.git/valreg/tmp`, where writes inside the registry make theirs), then records in a
journal every file it will touch, with its original bytes, and HEAD. If the process dies
before the journal is removed, the next writing command (or `valreg status`) finishes or
rolls back: if HEAD moved, the commit was made and the journal is just removed;
otherwise every file is restored and the index entries the command staged are reset. A
test-only fault hook
(VALREG_FAULT_STEP=N) kills the process at its N-th step, to prove that.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from valreg import _git
from valreg.atomic import alive, remove_leftovers, write_atomic
from valreg.errors import GitError, Refused

LOCK = Path("valreg") / "lock"
JOURNAL = Path("valreg") / "journal.json"
SCRATCH = Path("valreg") / "tmp"


def state_dir(root: Path) -> Path:
    """`.git/valreg` of the registry at `root`; writing commands need a git repository."""
    git_dir = _git.git_dir(root)
    if git_dir is None:
        raise Refused(f"{root} is not a git repository; valreg records its work in git")
    return git_dir


def scratch_dir(root: Path) -> Path | None:
    """Where writes inside the registry make their temporary files: under the git dir, so
    that a writer killed mid-write leaves nothing in the work tree (None outside a git
    repository: then beside the file)."""
    git_dir = _git.git_dir(root)
    return git_dir / SCRATCH if git_dir is not None else None


# --- the lock -----------------------------------------------------------------------------


@contextlib.contextmanager
def registry_lock(root: Path) -> Iterator[None]:
    """Hold the registry's write lock; a second writer is refused, a dead holder's lock freed."""
    path = state_dir(root) / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    me = f"{os.getpid()} {socket.gethostname()}\n"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = path.read_text(encoding="utf-8", errors="replace").split()
            pid = int(holder[0]) if holder and holder[0].isdigit() else None
            same_host = len(holder) > 1 and holder[1] == socket.gethostname()
            if pid is not None and same_host and not alive(pid):
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            raise Refused(
                f"another valreg command (process {pid or '?'}) is writing to this registry; "
                f"wait for it to finish, or delete {path} if no valreg is running"
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(me)
        break
    remove_leftovers(path.parent / SCRATCH.name)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


# --- the journal --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recovery:
    """What recovery did with an interrupted command's journal."""

    action: str  # "rolled back" | "completed"
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PendingTag:
    """A tag the command makes after its commit, at the commit that adds `path`: if the
    process dies between the two, recovery makes it."""

    name: str
    message: str
    sign: bool
    path: str


class Journal:
    """Records the originals of the files a command writes, so the command can be undone."""

    def __init__(self, root: Path, paths: list[str], tag: PendingTag | None = None) -> None:
        self.root = root
        self.file = state_dir(root) / JOURNAL
        self.paths = paths
        self.tag = tag
        self.step = 0

    def begin(self) -> None:
        originals = {}
        for rel in self.paths:
            path = self.root / rel
            originals[rel] = base64.b64encode(path.read_bytes()).decode() if path.exists() else None
        staged = set(_git.staged_paths(self.root, self.paths))
        record: dict[str, object] = {
            "head": _git.head(self.root),
            "files": originals,
            "staged_before": sorted(staged),
        }
        if self.tag is not None:
            record["tag"] = {
                "name": self.tag.name,
                "message": self.tag.message,
                "sign": self.tag.sign,
                "path": self.tag.path,
            }
        write_atomic(self.file, json.dumps(record, indent=1), scratch=scratch_dir(self.root))
        self.checkpoint()

    def write(self, files: dict[str, bytes]) -> None:
        """Write each file atomically, one step each."""
        scratch = scratch_dir(self.root)
        for rel, content in files.items():
            write_atomic(self.root / rel, content, scratch=scratch)
            self.checkpoint()

    def checkpoint(self) -> None:
        """A step boundary: where the test-only fault hook may kill the process."""
        self.step += 1
        if os.environ.get("VALREG_FAULT_STEP") == str(self.step):
            os.kill(os.getpid(), signal.SIGKILL)

    def end(self) -> None:
        self.file.unlink(missing_ok=True)
        self.checkpoint()


def refuse_dirty_work_tree(root: Path, doing: str) -> None:
    """Refuse (nothing written) when the work tree has uncommitted changes: a command that
    commits and tags must hold only its own files."""
    dirty = _git.changed_paths(root, ["."])
    if dirty:
        raise Refused(
            f"the work tree has uncommitted changes ({', '.join(dirty[:5])}); commit or "
            f"stash them before {doing}"
        )


def commit_files(
    root: Path, files: dict[str, bytes], message: str, *, tag: PendingTag | None = None
) -> str:
    """Write `files`, commit just them (whatever else is staged stays staged) and make
    `tag` at that commit, all or nothing: a kill is undone (or, after the commit, finished)
    by recovery, and a commit git refuses (a hook) is rolled back. Call it with the lock
    held; returns the commit id."""
    paths = list(files)
    journal = Journal(root, paths, tag=tag)
    journal.begin()
    journal.write(files)
    _git.stage(root, paths)
    journal.checkpoint()
    try:
        commit = _git.commit(root, message, only=paths)
    except GitError as exc:
        recover(root)
        raise Refused(f"git could not commit ({exc.stderr}); nothing was changed") from None
    journal.checkpoint()
    if tag is not None:
        _git.create_tag(root, tag.name, commit, tag.message, sign=tag.sign)
    journal.end()
    return commit


def pending_journal(root: Path) -> Path | None:
    """The journal of an interrupted command, if there is one."""
    git_dir = _git.git_dir(root)
    if git_dir is None:
        return None
    path = git_dir / JOURNAL
    return path if path.exists() else None


def recover(root: Path) -> Recovery | None:
    """Finish or roll back an interrupted command (call with the lock held)."""
    path = pending_journal(root)
    if path is None:
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        files: dict[str, str | None] = record["files"]
        head: str | None = record["head"]
        staged_before = set(record["staged_before"])
    except (OSError, ValueError, KeyError, TypeError):
        # Written atomically, so unreadable means it was never completed: nothing was touched.
        path.unlink(missing_ok=True)
        return Recovery("rolled back", ())
    for rel in files:  # a scratch folder on another file system leaves them beside
        remove_leftovers((root / rel).parent, (root / rel).name)
    if _git.head(root) != head:
        made = _finish_tag(root, record.get("tag"))
        path.unlink()
        return Recovery("completed", (*files, *made))
    for rel, original in files.items():
        target = root / rel
        if original is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, base64.b64decode(original), scratch=scratch_dir(root))
    unstage = [rel for rel in files if rel not in staged_before]
    if unstage:
        _git.unstage(root, unstage)
    path.unlink()
    return Recovery("rolled back", tuple(files))


def _finish_tag(root: Path, tag: object) -> tuple[str, ...]:
    """Make the tag a command committed for but died before making; returns it, if made."""
    if not isinstance(tag, dict):
        return ()
    name, message, path = tag.get("name"), tag.get("message"), tag.get("path")
    if not (isinstance(name, str) and isinstance(message, str) and isinstance(path, str)):
        return ()  # not a journal valreg wrote
    if _git.tag_exists(root, name):
        return ()
    commit = _git.commit_adding(root, path)
    if commit is None:
        return ()
    _git.create_tag(root, name, commit, message, sign=tag.get("sign") is True)
    return (f"tag {name}",)
