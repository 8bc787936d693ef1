"""Snapshot: every file of a registry, read and typed, with where each came from.

Reading is split from parsing: a source yields (path, bytes) pairs, `parse_file`
turns each into a model. Only this module touches the file system for reading.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat as stat_module
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from valreg import _git
from valreg.errors import UsageError
from valreg.registry import facts, models
from valreg.registry.diagnostics import Diagnostic, make
from valreg.registry.facts import (
    Context,
    FileFacts,
    build_context,
    facts_of,
)
from valreg.registry.parse import (
    REGISTRY_FOLDERS,
    Parsed,
    is_ignored,
    is_utf8,
    kind_of,
    parse_file,
    shown_path,
    unknown_file,
)

if TYPE_CHECKING:
    from valreg.registry.cache import Index, ParseCache, Stat
REGISTRY_FILE = facts.REGISTRY_FILE
MUNICIPALITIES_FILE = facts.MUNICIPALITIES_FILE
REQUIRED_FILES = (REGISTRY_FILE, MUNICIPALITIES_FILE)


@dataclass(frozen=True)
class Snapshot:
    """Registry files of one state of a registry (its work tree or a commit), parsed.

    Usually every file; `check --since` makes one with only the files it reports on (and
    the small files every rule consults), with `facts` of all files beside them.
    """

    files: dict[str, Parsed]
    #: Problems with the set of files itself: unknown files, symlinks, missing files.
    problems: tuple[Diagnostic, ...] = ()
    #: Facts derived from the files, computed once (see `state.release_hashes`).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: The cross-file facts of every file of the registry (default: from `files`).
    facts: dict[str, FileFacts] | None = field(default=None, compare=False, repr=False)
    #: The registry's context, when it was built elsewhere (by `check.check_files`).
    given_context: Context | None = field(default=None, compare=False, repr=False)

    @cached_property
    def context(self) -> Context:
        """What the cross-file rules know about the whole registry."""
        if self.given_context is not None:
            return self.given_context
        facts = self.facts
        if facts is None:
            facts = {path: facts_of(parsed) for path, parsed in self.files.items()}
        return build_context(facts)

    @cached_property
    def registry(self) -> models.Registry | None:
        parsed = self.files.get(REGISTRY_FILE)
        return parsed.model if parsed is not None else None

    @cached_property
    def municipalities(self) -> dict[str, models.Municipality]:
        parsed = self.files.get(MUNICIPALITIES_FILE)
        if parsed is None or parsed.model is None:
            return {}
        return {m.code: m for m in parsed.model}

    @cached_property
    def values(self) -> dict[str, Parsed]:
        """Value files by file stem (which is the value's id when the file is valid)."""
        return {p.stem: p for p in self.files.values() if p.kind == "value"}

    @cached_property
    def rounds(self) -> dict[str, Parsed]:
        """Round files by folder name."""
        return {p.folder: p for p in self.files.values() if p.kind == "round"}

    @cached_property
    def releases(self) -> dict[str, Parsed]:
        """Release manifests by file stem."""
        return {p.stem: p for p in self.files.values() if p.kind == "release"}

    @cached_property
    def adoptions(self) -> dict[str, Parsed]:
        """Adoption files (`registry/releases/<version>.adoption.yaml`) by the version in
        their file name."""
        return {
            facts.adoption_version(p.path): p for p in self.files.values() if p.kind == "adoption"
        }

    def of_kind(self, kind: str) -> list[Parsed]:
        return [p for p in self.files.values() if p.kind == kind]

    def valid(self, kind: str) -> list[Parsed]:
        """The files of one kind that passed their own schema."""
        return [p for p in self.files.values() if p.kind == kind and p.model is not None]


def find_root(start: Path) -> Path:
    """The registry enclosing `start`: the nearest folder holding registry/registry.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / REGISTRY_FILE).is_file():
            return folder
        if (folder / ".git").exists():
            break
    raise UsageError(
        f"no registry found at {start} or above it (looked for {REGISTRY_FILE}); "
        "pass --root DIR, or create one with `valreg init DIR`"
    )


def _walk(root: Path, folder: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    base = root / folder
    if not base.is_dir():
        return
    stack = [(folder, base)]
    while stack:
        rel, path = stack.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                child = f"{rel}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    stack.append((child, Path(entry.path)))
                else:
                    yield child, entry


# Why a path under a registry folder is not read as registry data, by kind of entry.
_NOT_DATA = {
    "link": (
        "symbolic links are not allowed; commit the file itself",
        "symbolske links er ikke tilladt; læg selve filen ind",
    ),
    "submodule": ("submodules are not allowed", "submoduler er ikke tilladt"),
    "special": (
        "not a regular file (a pipe, socket or device)",
        "ikke en almindelig fil (en pipe, en socket eller en enhed)",
    ),
}


def _screen(path: str, entry_kind: str) -> Diagnostic | Literal["read", "ignore"]:
    """A path's fate: read it as registry data, ignore it, or a diagnostic saying why not.

    `entry_kind` is "file", "link", "submodule" or "special"; both readers (work tree
    and commit) call this, so they refuse the same things in the same words.
    """
    if not is_utf8(path):
        return make(
            shown_path(path),
            1,
            1,
            "F301",
            "file name is not valid UTF-8; rename the file",
            da="filnavnet er ikke gyldig UTF-8; omdøb filen",
        )
    if entry_kind in _NOT_DATA:
        english, danish = _NOT_DATA[entry_kind]
        return make(path, 1, 1, "F303", english, da=danish)
    if is_ignored(path):
        return "ignore"
    if kind_of(path) is None:
        return unknown_file(path)
    return "read"


@dataclass
class WorktreeScan:
    """The registry files of a work tree: each file's content key (and, when scanned for
    the cache, git blob id), the bytes of those that had to be read, and the entries that
    cannot be registry data."""

    keys: dict[str, str] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    oids: dict[str, str] = field(default_factory=dict)

    def screen(self, path: str, entry_kind: str) -> bool:
        """Whether to read this entry as registry data (a problem is noted if not)."""
        fate = _screen(path, entry_kind)
        if isinstance(fate, Diagnostic):
            self.problems.append(fate)
        return fate == "read"

    def take(
        self, root: Path, path: str, stat: Stat, index: Index | None, *, read: bool = True
    ) -> None:
        """Take in one registry file: read it (unless not `read`), and hash it for the
        cache when given an `index`, unless the index vouches for it."""
        known = index.known(path, stat) if index is not None else None
        if known is not None:
            key, oid = known.key, known.blob
        elif not read:
            key = oid = ""
        else:
            data = read_file(root, path)
            if isinstance(data, Diagnostic):
                self.problems.append(data)
                return
            self.blobs[path] = data
            if index is None:
                key = oid = ""
            else:
                from valreg.registry.cache import blob_id, entry_key

                key, oid = entry_key(path, data), blob_id(data)
        self.keys[path] = key
        self.stats[path] = stat
        if index is not None:
            self.oids[path] = oid

    def unreadable(self, path: str, exc: OSError) -> None:
        self.problems.append(unreadable(path, exc))


def unreadable(path: str, exc: OSError) -> Diagnostic:
    """F303 for a registry file that could not be read."""
    return make(
        path, 1, 1, "F303", f"cannot be read: {exc.strerror}", da=f"kan ikke læses: {exc.strerror}"
    )


def read_file(root: Path, path: str) -> bytes | Diagnostic:
    """A registry file's bytes, or F303 saying why they could not be read."""
    try:
        with open(root / path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return unreadable(path, exc)


def scan_worktree(root: Path, index: Index | None = None, *, read: bool = True) -> WorktreeScan:
    """Every registry file under `root`: read and hashed, unless `index` vouches for it;
    without `read`, only found (its bytes are read later, by the process that checks it)."""
    scan = WorktreeScan()
    for folder in REGISTRY_FOLDERS:
        for rel, entry in _walk(root, folder):
            if entry.is_symlink():
                entry_kind = "link"
            elif entry.is_file(follow_symlinks=False):
                entry_kind = "file"
            else:
                entry_kind = "special"
            # A regular file the index knows was read last time: its name is fine.
            known = entry_kind == "file" and index is not None and rel in index.entries
            if not known and not scan.screen(rel, entry_kind):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                scan.unreadable(rel, exc)
                continue
            stat = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
            scan.take(root, rel, stat, index, read=read)
    return scan


def scan_paths(root: Path, paths: Iterable[str]) -> WorktreeScan:
    """Only these paths of the work tree (those in registry folders), each as
    `scan_worktree` would see it, read and hashed for the cache. A path that is not there
    (or is a folder, or lies beyond a symbolic link) is simply not among the keys."""
    from valreg.registry.cache import Index

    scan = WorktreeScan()
    for path in sorted(paths):
        parts = path.split("/")
        if parts[0] not in REGISTRY_FOLDERS or len(parts) < 2:
            continue
        if any(os.path.islink(root.joinpath(*parts[:i])) for i in range(2, len(parts))):
            continue  # the walk reports the link, and does not follow it
        try:
            info = os.lstat(root / path)
        except OSError:  # gone, or a parent is no longer a folder
            continue
        if stat_module.S_ISDIR(info.st_mode):
            continue
        if stat_module.S_ISLNK(info.st_mode):
            entry_kind = "link"
        elif stat_module.S_ISREG(info.st_mode):
            entry_kind = "file"
        else:
            entry_kind = "special"
        if scan.screen(path, entry_kind):
            stat = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
            scan.take(root, path, stat, Index())
    return scan


def read_worktree(root: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every registry file under `root` as bytes, and the files that cannot be registry data."""
    scan = scan_worktree(root)
    return scan.blobs, scan.problems


class SharedParses:
    """Parse results kept in memory for one command that reads several commits, so a file
    with the same path and bytes in several (a release manifest, an unchanged value) is
    parsed once. Nothing is written."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[Parsed, FileFacts]] = {}

    def get(self, key: str) -> tuple[Parsed, FileFacts] | None:
        return self._parsed.get(key)

    def put(self, key: str, parsed: Parsed, facts: FileFacts) -> None:
        self._parsed[key] = (parsed, facts)

    def save(self) -> None:
        """Nothing to keep: the results live as long as the command."""


#: Below this many files one process is used: starting workers costs more than it saves
#: on a small registry (2,000 is the issue's suggestion, not yet tuned by measurement).
PARALLEL_THRESHOLD = 2000


def _parse_chunk(items: list[tuple[str, bytes]]) -> list[tuple[Parsed, FileFacts]]:
    results = []
    with no_gc():
        for path, data in items:
            parsed = parse_file(path, data)
            results.append((parsed, facts_of(parsed)))
    return results


def cores() -> int:
    """How many processes can run at once: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Without the cycle collector: parsed files hold no cycles, and a collection would
    walk all of them again and again as they accumulate (a fifth of a large check)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_files(
    items: list[tuple[str, bytes]], *, parallel: bool | None = None
) -> list[tuple[Parsed, FileFacts]]:
    """Parse files and derive their facts, in order; on every core when there are many
    (`parallel` forces either way). The results are the same either way."""
    workers = cores()
    if parallel is None:
        parallel = len(items) >= PARALLEL_THRESHOLD and workers > 1
    if not parallel or len(items) < 2:
        return _parse_chunk(items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from valreg.registry.parse import warm_up

    warm_up({kind for path, _ in items if (kind := kind_of(path)) is not None})
    workers = max(2, workers)
    # Several chunks per worker, so that one slow chunk does not leave a core idle.
    size = max(1, -(-len(items) // (workers * 4)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    # fork: the workers start with every module imported and every validator built.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [result for chunk in pool.map(_parse_chunk, chunks) for result in chunk]


def missing_files(paths: Iterable[str]) -> list[Diagnostic]:
    """Required files that are not among `paths`, and round folders without round.yaml."""
    present = set(paths)
    problems = []
    for required in REQUIRED_FILES:
        if required not in present:
            problems.append(
                make(
                    required,
                    1,
                    1,
                    "F302",
                    f"{required} is missing; every registry needs it",
                    da=f"{required} mangler; alle registre skal have den",
                )
            )
    round_folders = {p.split("/")[2] for p in present if p.startswith("registry/rounds/")}
    for folder in sorted(round_folders):
        round_file = f"registry/rounds/{folder}/round.yaml"
        if round_file not in present:
            problems.append(
                make(
                    round_file,
                    1,
                    1,
                    "F302",
                    f"round folder '{folder}' has no round.yaml",
                    da=f"rundemappen '{folder}' har ingen round.yaml",
                )
            )
    return problems


def parse_snapshot(
    blobs: dict[str, bytes],
    problems: list[Diagnostic],
    cache: ParseCache | SharedParses | None = None,
) -> Snapshot:
    """Parse every file (from the cache where it holds the same bytes); note missing files."""
    from valreg.registry.cache import entry_key

    found: dict[str, tuple[Parsed, FileFacts]] = {}
    misses: list[tuple[str, bytes]] = []
    keys: dict[str, str] = {}
    for path, data in sorted(blobs.items()):
        if cache is not None:
            keys[path] = key = entry_key(path, data)
            hit = cache.get(key)
            if hit is not None:
                found[path] = hit
                continue
        misses.append((path, data))
    for parsed, file_facts in parse_files(misses):
        found[parsed.path] = (parsed, file_facts)
        if cache is not None:
            cache.put(keys[parsed.path], parsed, file_facts)
    if cache is not None:
        cache.save()
    files = {path: found[path][0] for path in sorted(found)}
    facts = {path: found[path][1] for path in files}
    return Snapshot(files, (*problems, *missing_files(files)), facts=facts)


def read_commit(root: Path, ref: str) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every registry file of a commit, from git's object store (no checkout)."""
    commit = _git.resolve(root, ref)
    entries = _git.list_tree(root, commit, REGISTRY_FOLDERS)
    problems: list[Diagnostic] = []
    wanted: dict[str, str] = {}
    for entry in entries:
        entry_kind = {"120000": "link", "160000": "submodule"}.get(entry.mode, "file")
        fate = _screen(entry.path, entry_kind)
        if isinstance(fate, Diagnostic):
            problems.append(fate)
        elif fate == "read":
            wanted[entry.path] = entry.oid
    blobs = _git.read_blobs(root, list(wanted.values()), processes=cores())
    return {path: blobs[oid] for path, oid in wanted.items()}, problems


def load_snapshot_at(root: Path, ref: str, shared: SharedParses | None = None) -> Snapshot:
    """Read and parse the registry as it is in commit `ref`, without touching the work tree
    (reusing what `shared` parsed from other commits)."""
    blobs, problems = read_commit(root, ref)
    return parse_snapshot(blobs, problems, shared)


def load_snapshot(root: Path, *, use_cache: bool = False) -> Snapshot:
    """Read and parse the registry in the work tree at `root`.

    With `use_cache`, parse results are kept under the git directory, if there is one.
    """
    blobs, problems = read_worktree(root)
    cache = None
    if use_cache:
        from valreg.registry.cache import ParseCache

        git_dir = _git.git_dir(root)
        cache = ParseCache(git_dir) if git_dir is not None else None
    return parse_snapshot(blobs, problems, cache)
