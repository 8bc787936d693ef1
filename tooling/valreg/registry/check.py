"""The `check` command: load a registry, run every rule, keep what the caller asked about.

Three scopes: every file (the default), the files named and what they refer to (PATHS),
or the files changed since a commit and the files that depend on them (`--since`). With
the cache (see `valreg.cache`), unchanged files are neither read nor parsed: their
cross-file facts come from the cache, a full check of an unchanged registry returns the
last result, and `--since` reads only the files git names.
"""

from __future__ import annotations

import pickle
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from valreg import _git
from valreg.errors import GitError, InvalidRegistry, UsageError
from valreg.registry.diagnostics import (
    CheckResult,
    Diagnostic,
    Severity,
    make,
    sort_diagnostics,
    text_line,
)
from valreg.registry.facts import (
    Context,
    FactsView,
    FileFacts,
    adoption_version,
    build_context,
    dependants,
    facts_of,
    release_path,
)
from valreg.registry.parse import (
    REGISTRY_FOLDERS,
    Parsed,
    is_utf8,
    kind_of,
    parse_file,
    shown_path,
    warm_up,
)
from valreg.registry.rules import check_personal_data, check_snapshot
from valreg.registry.snapshot import (
    MUNICIPALITIES_FILE,
    PARALLEL_THRESHOLD,
    REGISTRY_FILE,
    Snapshot,
    WorktreeScan,
    cores,
    load_snapshot,
    missing_files,
    no_gc,
    parse_files,
    read_file,
    scan_paths,
    scan_worktree,
)
from valreg.registry.typography import check_typography
from valreg.transaction import pending_journal

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from valreg.registry.cache import Base, Index, IndexEntry, ParseCache, Row


def cache_wanted(root: Path) -> bool:
    """Whether `valreg check` should use (and so fill) the cache at `root`.

    Not in the first check of a clone: filling the cache costs more than the check itself
    (every parse result and every file's facts written to SQLite), and a CI job's fresh
    clone is thrown away after one check. The first check leaves only a marker; from the
    second on, in a clone that is kept, the cache is filled and used. Outside git there
    is no cache.
    """
    git_dir = _git.git_dir(root)
    if git_dir is None:
        return False
    from valreg.registry.cache import CHECKED_ONCE, INDEX_FILE, STORE_FILE

    if any((git_dir / name).exists() for name in (CHECKED_ONCE, STORE_FILE, INDEX_FILE)):
        return True
    try:
        (git_dir / CHECKED_ONCE).parent.mkdir(exist_ok=True)
        (git_dir / CHECKED_ONCE).touch()
    except OSError:
        pass  # a read-only clone: never a cache
    return False


def check_registry(
    root: Path,
    paths: Sequence[Path] = (),
    *,
    use_cache: bool = False,
    since: str | None = None,
) -> CheckResult:
    """Check the registry at `root`; with `paths`, report on them and what they refer to;
    with `since` (a git ref), report on the files changed since that commit (committed,
    staged, unstaged, untracked, deleted) and on every file that depends on one of them
    (`facts.dependants`).

    With `use_cache`, unchanged files are not read or parsed again (see `valreg.cache`).
    The result is the same with and without the cache.
    """
    if paths and since is not None:
        raise UsageError("give PATHS or --since, not both")
    if paths:
        snapshot = load_snapshot(root, use_cache=use_cache)
        every_path = set(snapshot.files) | {d.path for d in snapshot.problems}
        selected = _select(root, paths, every_path)
        wanted = selected | _referenced(snapshot, selected)
        diagnostics = [d for d in _check_all(root, snapshot) if d.path in wanted]
        return CheckResult(sort_diagnostics(diagnostics), len(selected))
    git_dir = _git.git_dir(root) if since is not None or use_cache else None
    if since is not None and git_dir is None:
        raise UsageError("--since needs a git repository; run check without it")
    cache = _open_cache(git_dir) if use_cache and git_dir is not None else None
    try:
        return _check(root, cache, since)
    finally:
        if cache is not None:
            cache.close()


def _check(root: Path, cache: ParseCache | None, since: str | None) -> CheckResult:
    """Every file, or the files changed since `since` and their dependants: with a cache
    that has a base, reading only what git names (holding the cache's lock meanwhile);
    else with the stat index, or reading everything."""
    changed = None
    if since is not None and cache is not None:
        with cache.locked() as held:
            base = cache.base() if held else None
            changes = _git.changes_since(
                root, since, base.commit if base is not None else None, REGISTRY_FOLDERS
            )
            changed = Changed.of(changes)
            if base is not None and changes.moved is not None:
                also = [*changes.moved, *changes.ignored]
                from valreg.registry.cache import CacheDamaged

                with no_gc():
                    try:
                        outcome = _check_since_cached(root, cache, base, changed, also)
                    except CacheDamaged:
                        outcome = None
                if outcome is not None:
                    return outcome
    elif since is not None:
        changed = Changed.of(_git.changes_since(root, since, folders=REGISTRY_FOLDERS))
    if cache is not None:
        return _check_cached(root, cache, changed)
    # The files are found here and read by the processes that check them: on a large
    # registry both cores read as well as parse.
    scan = scan_worktree(root, read=False)
    facts, found, _ = check_files(dict.fromkeys(scan.keys), root=root)
    # Diagnostics of a file without facts say that it could not be read: problems of the
    # file set, as when the work tree is read in one go.
    unread = [d for d in found if d.code == "F303" and d.path not in facts]
    diagnostics = [d for d in found if d.code != "F303" or d.path in facts]
    problems = [*scan.problems, *unread, *missing_files(facts)]
    return _scoped(root, facts, diagnostics, problems, changed)


def _scoped(
    root: Path,
    facts: dict[str, FileFacts],
    diagnostics: list[Diagnostic],
    problems: list[Diagnostic],
    changed: Changed | None,
) -> CheckResult:
    """The result of a check of every file, narrowed to the changed files and their
    dependants when `changed` is given."""
    every_path = set(facts) | {d.path for d in problems}
    found = [*diagnostics, *problems]
    files = len(every_path)
    if changed is not None:
        wanted = changed.scope(facts)
        found = [d for d in found if d.path in wanted]
        files = len(wanted & every_path)
    return CheckResult(sort_diagnostics(found + _journal(root)), files)


def check_files(
    blobs: Mapping[str, bytes | None],
    *,
    root: Path | None = None,
    parallel: bool | None = None,
    keep: bool = False,
) -> tuple[dict[str, FileFacts], list[Diagnostic], dict[str, bytes]]:
    """Parse and check every file of a registry: each file's facts and all diagnostics
    (without the problems of the file set itself), and with `keep` each file's parse
    result pickled for the cache. Empties `blobs`: each file's bytes are let go once it
    is parsed (a large registry's bytes are tens of megabytes). A file given as None is
    read from `root` by the process that checks it; one that cannot be read has an F303
    diagnostic and no facts.

    On every core when there are many files (`parallel` forces either way; the result is
    the same): each process parses a share of the files, the facts of all of them are
    gathered into the registry's `Context`, and each process checks its own share with it.
    Parsed files never cross between processes; only facts and diagnostics do.
    """
    items = sorted(blobs.items())
    if isinstance(blobs, dict):
        blobs.clear()
    with no_gc():
        return _check_files(items, root, parallel=parallel, keep=keep)


def _check_files(
    items: list[tuple[str, bytes | None]], root: Path | None, *, parallel: bool | None, keep: bool
) -> tuple[dict[str, FileFacts], list[Diagnostic], dict[str, bytes]]:
    workers = cores()
    import multiprocessing

    if parallel is None:
        parallel = len(items) >= PARALLEL_THRESHOLD and workers > 1
    # The files every process consults are read and parsed here, before any fork.
    unread: list[Diagnostic] = []
    consulted: dict[str, Parsed] = {}
    for path, data in items:
        if _consulted(path):
            read = _read(root, path, data)
            if isinstance(read, bytes):
                consulted[path] = parse_file(path, read)
            else:
                unread.append(read)
    if unread:
        failed = {d.path for d in unread}
        items = [item for item in items if item[0] not in failed]
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        facts, diagnostics, kept = _Share(items, consulted, root).run_alone(keep=keep)
        return facts, [*unread, *diagnostics], kept

    warm_up({kind for path, _ in items if (kind := kind_of(path)) is not None})
    workers = max(2, workers)
    shares = [_Share(items[i::workers], consulted, root) for i in range(workers)]
    del items[:]  # each share holds its files' bytes until it has parsed them
    # fork: the workers start with the files read, every module imported and every
    # validator built.
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for share in shares[1:]:
        mine, theirs = context.Pipe()
        process = context.Process(target=share.serve, args=(theirs, keep), daemon=True)
        process.start()
        theirs.close()
        share.items = []  # the worker has its own copy now
        pipes.append(mine)
        processes.append(process)
    try:
        facts = shares[0].parse(keep=keep)
        for pipe in pipes:
            facts.update(pipe.recv())
        facts = dict(sorted(facts.items()))
        registry_context = build_context(facts)
        for pipe in pipes:
            pipe.send(registry_context)
        diagnostics = shares[0].check(registry_context)
        kept = shares[0].pickled() if keep else {}
        for pipe in pipes:
            their_diagnostics, their_kept = pipe.recv()
            diagnostics += their_diagnostics
            kept.update(their_kept)
    except EOFError:
        _stop(processes)
        raise RuntimeError("a worker process of valreg check ended unexpectedly") from None
    except BaseException:  # Ctrl-C (KeyboardInterrupt) included: no worker outlives us
        _stop(processes)
        raise
    finally:
        for process in processes:
            process.join()
    return facts, [*unread, *diagnostics], kept


def _stop(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()


class _Share:
    """The files one process parses and checks."""

    def __init__(
        self,
        items: list[tuple[str, bytes | None]],
        consulted: dict[str, Parsed],
        root: Path | None,
    ) -> None:
        self.items = items
        self.consulted = consulted
        self.root = root
        self.files: dict[str, Parsed] = {}
        self.facts: dict[str, FileFacts] = {}
        # Found while parsing: personal data, typography, a file that could not be read.
        self.early: list[Diagnostic] = []
        self.kept: dict[str, bytes] = {}

    def parse(self, *, keep: bool = False) -> dict[str, FileFacts]:
        """Parse the share's files; run the one rule that reads a document's data (personal
        data) and let the data of valid files go: the models hold what the other rules
        need, and the data of 30k files is a sixth of the memory."""
        for path, data in self.items:
            parsed = self.consulted.get(path)
            if parsed is None:
                read = _read(self.root, path, data)
                if not isinstance(read, bytes):
                    self.early.append(read)  # F303: the file has no facts
                    continue
                parsed = parse_file(path, read)
            self.files[path] = parsed
            self.facts[path] = facts_of(parsed)
            if parsed.kind == "proposal":
                self.early.extend(check_personal_data(parsed))
            self.early.extend(check_typography(parsed))
            if keep:
                entry = (parsed, self.facts[path])
                self.kept[path] = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
            if parsed.model is not None and parsed.document is not None:
                parsed.document.data = None
        self.items = []  # the bytes are no longer needed
        return dict(self.facts)

    def check(self, context: Context) -> list[Diagnostic]:
        files = {**self.consulted, **self.files}
        snapshot = Snapshot(dict(sorted(files.items())), given_context=context)
        found = check_snapshot(snapshot, personal_data=False)
        return [d for d in found if d.path in self.files] + self.early

    def pickled(self) -> dict[str, bytes]:
        return self.kept

    def run_alone(
        self, *, keep: bool
    ) -> tuple[dict[str, FileFacts], list[Diagnostic], dict[str, bytes]]:
        facts = self.parse(keep=keep)
        diagnostics = self.check(build_context(facts))
        return facts, diagnostics, self.pickled() if keep else {}

    def serve(self, pipe: Connection, keep: bool) -> None:
        """A worker: send the facts, receive the context, send the diagnostics. Ctrl-C is
        the parent's to handle (it stops the workers); a parent gone is the end."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            pipe.send(self.parse(keep=keep))
            context = pipe.recv()
            pipe.send((self.check(context), self.pickled() if keep else {}))
            pipe.close()
        except (EOFError, OSError):
            pass


_PREFIXES = tuple(f"{folder}/" for folder in REGISTRY_FOLDERS)


@dataclass(frozen=True)
class Changed:
    """The registry paths changed since the commit `--since` names, and those of them
    that were only edited (files before and after)."""

    paths: frozenset[str]
    edited: frozenset[str]

    @classmethod
    def of(cls, changes: _git.Changes) -> Changed:
        def registry(paths: list[str]) -> frozenset[str]:
            # A name that is not UTF-8 also as its diagnostic (F301) names it.
            ours = [p for p in paths if p.startswith(_PREFIXES)]
            return frozenset([*ours, *(shown_path(p) for p in ours if not is_utf8(p))])

        return cls(registry(changes.paths), registry(changes.edited))

    def scope(
        self, facts: Mapping[str, FileFacts] | FactsView, context: Context | None = None
    ) -> set[str]:
        """The changed files and the files whose diagnostics the change can alter."""
        return dependants(facts, self.paths, context, edited=self.edited) | self.paths


def _open_cache(git_dir: Path) -> ParseCache:
    from valreg.registry.cache import ParseCache

    return ParseCache(git_dir)


def _check_cached(root: Path, cache: ParseCache, changed: Changed | None) -> CheckResult:
    """A check that reads and parses only what the cache cannot vouch for."""
    from valreg.registry.cache import Index

    index = cache.index
    scanned_ns = time.time_ns()
    scan = scan_worktree(root, index)
    problems = [*scan.problems, *missing_files(scan.keys)]
    if changed is None and index.result_keys == scan.keys:  # nothing changed since
        return _last_result(root, cache, index, scan, problems=problems, scanned_ns=scanned_ns)
    stored = cache.facts()
    facts, unknown = _vouched_facts(stored, scan.keys)
    # Few files unknown: parse them, and check only what they can affect. Many (or no
    # earlier full check): check every file as without a cache, and fill the cache.
    whole = (changed is None and index.result_keys is None) or len(unknown) >= PARALLEL_THRESHOLD
    parsed: dict[str, Parsed] = {}
    todo: set[str] = set()
    if not whole:
        parsed = _parse_unknown(root, cache, scan, unknown, facts)
        context = build_context(facts)
        todo = _to_check_again(changed, index, scan.keys, facts, context)
        whole = len(todo) >= PARALLEL_THRESHOLD
    every_path = set(scan.keys) | {d.path for d in problems}
    result, result_keys = index.result, index.result_keys
    if whole:
        facts, diagnostics = _check_every_file(root, cache, scan)
        result, result_keys = tuple(diagnostics), dict(scan.keys)
        outcome = _scoped(root, facts, diagnostics, problems, changed)
    elif changed is not None:
        found = _check_some(
            root, cache, context, parsed, keys=scan.keys, blobs=scan.blobs, wanted=todo
        )
        found += [d for d in problems if d.path in todo]
        outcome = CheckResult(sort_diagnostics(found + _journal(root)), len(todo & every_path))
    else:
        kept_result = [d for d in result if d.path not in todo and d.path in scan.keys]
        fresh = _check_some(
            root, cache, context, parsed, keys=scan.keys, blobs=scan.blobs, wanted=todo
        )
        result, result_keys = tuple(kept_result + fresh), dict(scan.keys)
        found = [*result, *problems, *_journal(root)]
        outcome = CheckResult(sort_diagnostics(found), len(every_path))
    cache.save(keep=set(scan.keys.values()))
    if scan.blobs or unknown or result_keys != index.result_keys:
        cache.save_index(Index(scanned_ns, _entries(scan), result_keys, result))
    rows = {path: (key, facts[path]) for path, key in scan.keys.items()}
    _record(
        root,
        cache,
        rows,
        scan.oids,
        rows_changed=bool(unknown) or stored.keys() != rows.keys(),
        # The context of these rows, unless check_files made it (and kept it to itself).
        context=None if whole else context,
    )
    return outcome


def _last_result(
    root: Path,
    cache: ParseCache,
    index: Index,
    scan: WorktreeScan,
    *,
    problems: list[Diagnostic],
    scanned_ns: int,
) -> CheckResult:
    """The last full check's result, when no file has changed since it."""
    from valreg.registry.cache import Index

    if scan.blobs:  # files hashed again (racy) are now safely older than this scan
        cache.save_index(Index(scanned_ns, _entries(scan), index.result_keys, index.result))
    every_path = set(scan.keys) | {d.path for d in problems}
    found = [*index.result, *problems, *_journal(root)]
    return CheckResult(sort_diagnostics(found), len(every_path))


def _vouched_facts(
    stored: dict[str, Row], keys: dict[str, str]
) -> tuple[dict[str, FileFacts], list[str]]:
    """The facts of the files whose content the cache knows, and the paths of the others."""
    facts: dict[str, FileFacts] = {}
    unknown = []
    for path, key in keys.items():
        known = stored.get(path)
        if known is not None and known[0] == key:
            facts[path] = known[1]
        else:
            unknown.append(path)
    return facts, unknown


def _parse_unknown(
    root: Path,
    cache: ParseCache,
    scan: WorktreeScan,
    unknown: list[str],
    facts: dict[str, FileFacts],
) -> dict[str, Parsed]:
    """The parse results of the `unknown` files, from the store or parsed afresh (and then
    stored); their facts go into `facts`."""
    parsed: dict[str, Parsed] = {}
    misses = []
    for path in unknown:
        hit = cache.get(scan.keys[path])
        if hit is not None:
            parsed[path], facts[path] = hit
        else:  # the index vouched for it, but its facts and parse result are gone
            data = scan.blobs[path] if path in scan.blobs else (root / path).read_bytes()
            misses.append((path, data))
    for new, new_facts in parse_files(misses):
        parsed[new.path], facts[new.path] = new, new_facts
        cache.put(scan.keys[new.path], new, new_facts)
    return parsed


def _to_check_again(
    changed: Changed | None,
    index: Index,
    keys: dict[str, str],
    facts: dict[str, FileFacts],
    context: Context,
) -> set[str]:
    """The files a partial check checks: with `changed`, those it can affect; else the files
    changed since the last full check, their dependants, and every file that had a
    diagnostic (it may be gone now); the rest of the last result stands."""
    if changed is not None:
        return changed.scope(facts, context)
    before = index.result_keys or {}
    since_last = Changed(
        frozenset(p for p in before.keys() | keys.keys() if before.get(p) != keys.get(p)),
        frozenset(p for p in before.keys() & keys.keys() if before[p] != keys[p]),
    )
    return since_last.scope(facts, context) | {d.path for d in index.result}


def _check_every_file(
    root: Path, cache: ParseCache, scan: WorktreeScan
) -> tuple[dict[str, FileFacts], list[Diagnostic]]:
    """Check every file as without a cache, and fill the cache with their parse results."""
    blobs = {p: scan.blobs[p] if p in scan.blobs else (root / p).read_bytes() for p in scan.keys}
    scan.blobs = dict.fromkeys(scan.blobs, b"")  # keep only which files were read
    facts, diagnostics, kept = check_files(blobs, keep=True)
    for path, data in kept.items():
        cache.put_pickled(scan.keys[path], data)
    return facts, diagnostics


def _entries(scan: WorktreeScan) -> dict[str, IndexEntry]:
    from valreg.registry.cache import IndexEntry

    return {
        path: IndexEntry(scan.stats[path], key, scan.oids[path]) for path, key in scan.keys.items()
    }


def _record(
    root: Path,
    cache: ParseCache,
    rows: dict[str, Row],
    oids: dict[str, str],
    *,
    rows_changed: bool,
    context: Context | None,
) -> None:
    """Keep every file's facts in the cache, with HEAD as their base: the paths whose
    content (git blob id) differs from HEAD's are the dirty ones. Skipped when neither
    the rows nor HEAD changed since the base."""
    commit = _git.head(root)
    if not rows_changed:
        base = cache.base()
        if base is not None and base.commit == commit:
            return
    dirty: set[str] = set()
    if commit is not None:
        try:
            tree = {
                entry.path: entry.oid
                for entry in _git.list_tree(root, commit, REGISTRY_FOLDERS)
                if entry.mode != "160000"  # a submodule: never registry data
            }
        except GitError:
            commit, tree = None, {}
        dirty = {p for p, oid in oids.items() if tree.get(p) != oid} | (tree.keys() - oids.keys())
    cache.record(rows, commit, frozenset(dirty), context)


def _check_since_cached(
    root: Path, cache: ParseCache, base: Base, changed: Changed, also: list[str]
) -> CheckResult | None:
    """`check --since` that reads only what can have changed since the cache's `base`
    (see `valreg.cache`): the `changed` files, the files that differ between the base's
    commit and the one `--since` names or are ignored by git (`also`), and the base's
    dirty files; not the whole work tree. None when that is too many files for this to
    pay; the caller then checks as without it."""
    candidates = {p for p in (*changed.paths, *also, *base.dirty) if p.startswith(_PREFIXES)}
    if len(candidates) >= PARALLEL_THRESHOLD:
        return None
    scan = scan_paths(root, candidates)
    rows = cache.facts_of(candidates)
    updates: dict[str, Row | None] = {p: None for p in rows if p not in scan.keys}
    parsed: dict[str, Parsed] = {}
    misses = []
    for path, key in scan.keys.items():
        row = rows.get(path)
        if row is not None and row[0] == key:
            continue
        hit = cache.get(key)
        if hit is not None:
            parsed[path] = hit[0]
            updates[path] = (key, hit[1])
        else:
            misses.append((path, scan.blobs[path]))
    for new, new_facts in parse_files(misses):
        parsed[new.path] = new
        updates[new.path] = (scan.keys[new.path], new_facts)
        cache.put(scan.keys[new.path], new, new_facts)
    if updates:
        updated = cache.update(updates)
        if updated is None:  # the cache cannot be written
            return None
        base = updated
    todo = changed.scope(cache.view(), base.context)
    if len(todo) >= PARALLEL_THRESHOLD:
        return None  # a check of every file, on every core, is faster
    # The files to check, and those every rule consults (all in registry/).
    registry = cache.facts_under("registry/")
    keys = {path: key for path, (key, _) in {**cache.facts_of(todo), **registry}.items()}
    problems = [*scan.problems, *missing_files(registry)]
    found = _check_some(root, cache, base.context, parsed, keys=keys, blobs=scan.blobs, wanted=todo)
    found += [d for d in problems if d.path in todo]
    cache.save()
    every_path = keys.keys() | {d.path for d in problems}
    return CheckResult(sort_diagnostics(found + _journal(root)), len(todo & every_path))


def _check_some(
    root: Path,
    cache: ParseCache,
    context: Context,
    parsed: dict[str, Parsed],
    *,
    keys: Mapping[str, str],
    blobs: Mapping[str, bytes],
    wanted: set[str],
) -> list[Diagnostic]:
    """The diagnostics of the `wanted` files (those among `keys`, which maps each file to
    its content key), with the whole registry's `context`; loads only them and the small
    files every rule consults, from `parsed`, the store, `blobs` or the work tree."""
    needed = {p for p in keys if p in wanted or _consulted(p)}
    files: dict[str, Parsed] = {}
    unread: list[tuple[str, bytes]] = []
    for path in sorted(needed):
        if path in parsed:
            files[path] = parsed[path]
        elif (hit := cache.get(keys[path])) is not None:
            files[path] = hit[0]
        else:  # vouched for by the index, but gone from the store: read it again
            data = blobs[path] if path in blobs else (root / path).read_bytes()
            unread.append((path, data))
    for new, new_facts in parse_files(unread):
        files[new.path] = new
        cache.put(keys[new.path], new, new_facts)
    snapshot = Snapshot(dict(sorted(files.items())), given_context=context)
    return [d for d in check_snapshot(snapshot) if d.path in wanted]


def _read(root: Path | None, path: str, data: bytes | None) -> bytes | Diagnostic:
    """The file's bytes as given, or read from `root`."""
    if data is not None:
        return data
    if root is None:
        raise ValueError(f"{path}: no bytes given and no root to read it from")
    return read_file(root, path)


def _consulted(path: str) -> bool:
    """Files whose models the cross-file rules read, whoever is checked."""
    return path in (REGISTRY_FILE, MUNICIPALITIES_FILE) or (
        path.startswith("registry/rounds/") and path.endswith("/round.yaml")
    )


def _journal(root: Path) -> list[Diagnostic]:
    """F304 when an interrupted command is waiting to be finished."""
    journal = pending_journal(root)
    if journal is None:
        return []
    return [
        make(
            REGISTRY_FILE,
            1,
            1,
            "F304",
            f"an interrupted apply left {journal}; run `valreg status` (or any writing "
            "command) to finish or roll it back",
            da=f"en afbrudt apply har efterladt {journal}; kør `valreg status` (eller en "
            "anden kommando, der skriver) for at gøre den færdig eller rulle den tilbage",
        )
    ]


def _check_all(root: Path, snapshot: Snapshot) -> list[Diagnostic]:
    """Every rule, and whether an interrupted command is waiting to be finished."""
    return check_snapshot(snapshot) + _journal(root)


#: How many errors a refusal lists before it says how many more there are.
_SHOWN_ERRORS = 10


def load_valid_snapshot(root: Path, purpose: str) -> Snapshot:
    """The registry's snapshot, or InvalidRegistry if `valreg check` finds errors in it."""
    snapshot = load_snapshot(root, use_cache=True)
    errors = [d for d in _check_all(root, snapshot) if d.severity is Severity.ERROR]
    if errors:
        shown = [f"  {text_line(d)}" for d in sort_diagnostics(errors)[:_SHOWN_ERRORS]]
        more = len(errors) - len(shown)
        raise InvalidRegistry(
            "\n".join(
                [
                    f"the registry has {len(errors)} error(s); run `valreg check` and fix them "
                    f"before {purpose}:",
                    *shown,
                    *([f"  … and {more} more"] if more > 0 else []),
                ]
            )
        )
    return snapshot


def _select(root: Path, paths: Sequence[Path], every_path: set[str]) -> set[str]:
    root = root.resolve()
    selected: set[str] = set()
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"{given}: no such file or directory")
        absolute = given.parent.resolve() / given.name if given.is_symlink() else given.resolve()
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{given} is outside the registry at {root}") from None
        if relative == ".":
            return set(every_path)
        prefix = relative + "/"
        selected |= {p for p in every_path if p == relative or p.startswith(prefix)}
    return selected


def _referenced(snapshot: Snapshot, selected: set[str]) -> set[str]:
    """The files that the selected files depend on, whose problems matter to them."""
    refs = {REGISTRY_FILE}
    for path in selected:
        parsed = snapshot.files.get(path)
        if parsed is None:
            continue
        if parsed.kind == "adoption":
            refs.add(release_path(adoption_version(path)))
        if parsed.kind in ("proposal", "decisions"):
            folder = path.split("/")[-2]
            refs.add(f"registry/rounds/{folder}/round.yaml")
        if parsed.kind == "proposal" and parsed.model is not None:
            refs.add(MUNICIPALITIES_FILE)
            base = parsed.model.base
            if base is not None:
                refs.add(f"registry/releases/{base}.yaml")
            for change in parsed.model.changes:
                for name in ("value", "after"):
                    value_id = getattr(change, name, None)
                    if value_id is not None:
                        refs.add(f"values/{value_id}.yaml")
                refs.update(f"values/{v}.yaml" for v in getattr(change, "values", ()))
    return refs
