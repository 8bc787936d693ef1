"""What `check` keeps under the git directory so that unchanged files are not read again.

All of it is tied to a fingerprint of the code that decides a result (reader, models,
parser, rules, rule table, the check and snapshot modules, this module) and of the
pydantic version, and ignored entirely after any change to them. In one SQLite database
(`parsed.sqlite`):

- the store (`parsed`): each parsed file and its cross-file facts, keyed by the sha256 of
  the file's path and bytes (an edited file is simply a miss);
- the facts (`files`, `refs`): every file's content key and facts as the last check saw
  them, and who refers to whom, so that `check --since` reads only the rows it needs;
- the base (`state`): the registry's `Context` made from those facts, and a commit C
  with the paths D whose row may differ from C's content. Every other path's row is the
  facts of its content in C, so the rows that can be stale now are among D, the paths
  git says differ between C and the work tree, and the untracked files: `check --since`
  hashes only those, and never looks at the rest of the work tree.

Beside it, the index (`index.pickle`), like git's: for each path its size, mtime, inode,
ctime, content key and git blob id, so a full check does not even read an unchanged file;
and the result of the last full check with the content keys it was made from. A file
whose mtime or ctime is not safely older than the index's scan could have changed within
the timestamp's granularity after it was hashed ("racy"), so it is hashed again.

A cache that cannot be read is ignored and one that cannot be written is skipped:
either way `check` gives the same result as without a cache (`--no-cache`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from valreg.atomic import write_atomic
from valreg.registry.diagnostics import Diagnostic
from valreg.registry.facts import Context, FileFacts, build_context, proposal_of, update_context
from valreg.registry.parse import Parsed, is_utf8

CACHE_DIR = Path("valreg")
STORE_FILE = CACHE_DIR / "parsed.sqlite"
INDEX_FILE = CACHE_DIR / "index.pickle"
#: Left by the first `valreg check` of a clone, which fills no cache (`check.cache_wanted`).
CHECKED_ONCE = CACHE_DIR / "checked-once"
#: Files earlier versions kept, removed when the facts are next written.
_LEGACY_FILES = (CACHE_DIR / "facts.pickle", CACHE_DIR / "parse-cache.pickle")
_RULE_MODULES = (
    "yamlio.py",
    "models.py",
    "parse.py",
    "diagnostics.py",
    "facts.py",
    "rules.py",
    "check.py",
    "snapshot.py",
    "cache.py",
)
#: A file changed less than this long before the index's scan is hashed again.
RACY_NS = 2_000_000_000
#: Paths per SQL statement (SQLite's limit on parameters is 999 in old versions).
_CHUNK = 500
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (rules TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data BLOB)",
    "CREATE TABLE IF NOT EXISTS files "
    "(path TEXT PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, facts BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS refs (ref TEXT, path TEXT, PRIMARY KEY (ref, path)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, data BLOB)",
)
_TABLES = ("parsed", "files", "refs", "state", "meta")
T = TypeVar("T")


def rules_fingerprint() -> str:
    import pydantic

    digest = hashlib.sha256(pydantic.VERSION.encode())
    package = Path(__file__).parent
    for name in _RULE_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def entry_key(path: str, data: bytes) -> str:
    return hashlib.sha256(path.encode("utf-8") + b"\0" + data).hexdigest()


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (`git hash-object`)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


#: (size, mtime_ns, inode, ctime_ns) of a file, as `os.stat` gives them.
Stat = tuple[int, int, int, int]


class IndexEntry(NamedTuple):
    stat: Stat
    key: str
    #: The file's git blob id.
    blob: str


@dataclass
class Index:
    """The work tree as the last check saw it."""

    #: When that check began to look at the files (time.time_ns()).
    scanned_ns: int = 0
    entries: dict[str, IndexEntry] = field(default_factory=dict)
    #: The last full check: its files' content keys, and its diagnostics (without the
    #: problems of the file set itself, which are found afresh every time).
    result_keys: dict[str, str] | None = None
    result: tuple[Diagnostic, ...] = ()

    def known(self, path: str, stat: Stat) -> IndexEntry | None:
        """The entry of `path` if its stat is unchanged and not racy."""
        entry = self.entries.get(path)
        if entry is None or entry.stat != stat:
            return None
        _size, mtime_ns, _inode, ctime_ns = stat
        if max(mtime_ns, ctime_ns) >= self.scanned_ns - RACY_NS:
            return None
        return entry


class CacheDamaged(Exception):
    """The cache's facts cannot be read as they were written: whoever needs all of them
    checks without the cache."""


#: One file's row: its content key and its facts.
Row = tuple[str, FileFacts]


@dataclass(frozen=True)
class Base:
    """The commit the facts were last compared with (see the module's docstring)."""

    commit: str
    #: Paths whose row may differ from their content in `commit` (absent counts).
    dirty: frozenset[str]
    #: The registry's context, made from the rows.
    context: Context


class ParseCache:
    """The store, the facts and the index of one git directory."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self.store_file = git_dir / STORE_FILE
        self.index_file = git_dir / INDEX_FILE
        self.fingerprint = rules_fingerprint()
        self._db: sqlite3.Connection | None = None
        self._db_failed = False
        self._new: dict[str, bytes] = {}

    # --- the index -----------------------------------------------------------------------

    @cached_property
    def index(self) -> Index:
        """The index as the last check left it (read when first asked for)."""
        try:
            with self.index_file.open("rb") as handle:
                # The file lives in the git directory, as trusted as the repository's hooks.
                payload: Any = pickle.load(handle)
        except Exception:  # absent, truncated, from an older valreg: start afresh
            return Index()
        if not isinstance(payload, dict) or payload.get("rules") != self.fingerprint:
            return Index()
        index = payload.get("data")
        return index if isinstance(index, Index) else Index()

    def save_index(self, index: Index) -> None:
        payload = {"rules": self.fingerprint, "data": index}
        # In a read-only clone check works the same, only without a cache.
        with contextlib.suppress(OSError):
            write_atomic(self.index_file, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))

    # --- the database --------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._db_failed:
            return self._db
        try:
            self.store_file.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.store_file, timeout=10, isolation_level=None)
            # A write-ahead log: readers do not wait for a writer, and a commit needs no
            # sync; a crash can lose the last transactions, never the database's
            # consistency (each transaction keeps the rows, the context and the base
            # together).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                db.execute(statement)
            row = db.execute("SELECT rules FROM meta").fetchone()
            if row is None or row[0] != self.fingerprint:
                db.execute("BEGIN IMMEDIATE")
                for table in _TABLES:
                    db.execute(f"DELETE FROM {table}")
                db.execute("INSERT INTO meta VALUES (?)", (self.fingerprint,))
                db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            self._db_failed = True
            return None
        self._db = db
        return db

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """`work` in one write transaction (a savepoint inside `locked`). If it fails the
        database is left as it was: a database error is swallowed (None), as for any
        cache that cannot be written."""
        db = self._connect()
        if db is None:
            return None
        nested = db.in_transaction
        try:
            db.execute("SAVEPOINT work" if nested else "BEGIN IMMEDIATE")
            result = work(db)
            db.execute("RELEASE work" if nested else "COMMIT")
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK TO work" if nested else "ROLLBACK")
                if nested:
                    db.execute("RELEASE work")
            if isinstance(error, sqlite3.Error | CacheDamaged):
                return None
            raise
        return result

    @contextlib.contextmanager
    def locked(self) -> Iterator[bool]:
        """Hold the cache's write lock for the block, so that what it reads stays as it
        was and no other valreg writes meanwhile; yields whether the lock was taken (not
        if the cache cannot be used, or another valreg held it for too long)."""
        db = self._connect()
        try:
            if db is not None:
                db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error:
            db = None
        if db is None:
            yield False
            return
        try:
            yield True
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        with contextlib.suppress(sqlite3.Error):
            db.execute("COMMIT")

    # --- the store -----------------------------------------------------------------------

    def get(self, key: str) -> tuple[Parsed, FileFacts] | None:
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT data FROM parsed WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            entry: Any = pickle.loads(row[0])
        except Exception:  # a damaged entry is a miss
            return None
        if (
            isinstance(entry, tuple)
            and len(entry) == 2
            and isinstance(entry[0], Parsed)
            and isinstance(entry[1], FileFacts)
        ):
            return entry[0], entry[1]
        return None

    def put(self, key: str, parsed: Parsed, facts: FileFacts) -> None:
        self.put_pickled(key, pickle.dumps((parsed, facts), protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, key: str, data: bytes) -> None:
        """An entry already pickled (by a worker process) as (Parsed, FileFacts)."""
        self._new[key] = data

    def save(self, keep: set[str] | None = None) -> None:
        """Write the new entries; with `keep`, drop the entries of files no longer seen
        once they outnumber the live ones."""
        if self._new:
            new = list(self._new.items())
            self._transaction(
                lambda db: db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", new)
            )
            self._new.clear()
        db = self._connect()
        if keep is None or db is None:
            return
        try:
            (count,) = db.execute("SELECT count(*) FROM parsed").fetchone()
        except sqlite3.Error:
            return
        if count > 2 * len(keep) + 1000:

            def prune(db: sqlite3.Connection) -> None:
                stale = [k for (k,) in db.execute("SELECT key FROM parsed") if k not in keep]
                db.executemany("DELETE FROM parsed WHERE key = ?", [(k,) for k in stale])

            self._transaction(prune)

    # --- the facts -----------------------------------------------------------------------

    def facts(self) -> dict[str, Row]:
        """Each file's content key and facts, as the last check saw them (none if they
        cannot be read)."""
        try:
            return self._rows("SELECT path, key, facts FROM files", ())
        except CacheDamaged:
            return {}

    def facts_of(self, paths: Iterable[str]) -> dict[str, Row]:
        """The rows of these paths (those that have one); CacheDamaged if they cannot be
        read: a row missed would be taken for a file that is not there."""
        found: dict[str, Row] = {}
        for chunk in _chunks(_storable(paths)):
            marks = ",".join("?" * len(chunk))
            found.update(
                self._rows(f"SELECT path, key, facts FROM files WHERE path IN ({marks})", chunk)
            )
        return found

    def facts_under(self, prefix: str) -> dict[str, Row]:
        """The rows of every path that starts with `prefix` (which ends in `/`)."""
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return self._rows(
            "SELECT path, key, facts FROM files WHERE path >= ? AND path < ?", (prefix, after)
        )

    def _rows(self, query: str, parameters: Iterable[str]) -> dict[str, Row]:
        db = self._connect()
        if db is None:
            raise CacheDamaged("the cache's database cannot be opened")
        try:
            fetched = db.execute(query, tuple(parameters)).fetchall()
            rows = {path: (key, pickle.loads(data)) for path, key, data in fetched}
        except Exception as error:  # the database, or a row that does not load
            raise CacheDamaged(str(error)) from error
        if not all(isinstance(facts, FileFacts) for _, facts in rows.values()):
            raise CacheDamaged("a row of facts is not a FileFacts")
        return rows

    def view(self) -> StoredFacts:
        return StoredFacts(self)

    def base(self) -> Base | None:
        """The base the rows were last compared with, if there is one."""
        db = self._connect()
        if db is None:
            return None
        try:
            stored = dict(db.execute("SELECT name, data FROM state").fetchall())
            commit, dirty = pickle.loads(stored["base"])
            context = pickle.loads(stored["context"])
        except Exception:  # none yet, or damaged
            return None
        if not (isinstance(commit, str) and isinstance(dirty, frozenset)):
            return None
        if not isinstance(context, Context):
            return None
        return Base(commit, dirty, dataclasses.replace(context, changes=StoredChanges(self)))

    def record(
        self,
        rows: dict[str, Row],
        commit: str | None,
        dirty: frozenset[str],
        context: Context | None = None,
    ) -> None:
        """Make the rows those of a whole registry, with `commit` and `dirty` as the base
        (none when `commit` is None: the fast `--since` is then not used); `context` is
        the rows' context, if the caller has it already."""
        if context is None:
            context = build_context({path: facts for path, (_, facts) in rows.items()})

        def write(db: sqlite3.Connection) -> None:
            before = dict(db.execute("SELECT path, key FROM files").fetchall())
            gone = [p for p in before if p not in rows]
            changed = {p: row for p, row in rows.items() if before.get(p) != row[0]}
            self._write_rows(db, self.facts_of([*gone, *changed]), gone, changed)
            if commit is None:
                db.execute("DELETE FROM state")
            else:
                self._write_state(db, context, commit, dirty)

        self._transaction(write)
        for legacy in _LEGACY_FILES:
            with contextlib.suppress(OSError):
                (self.git_dir / legacy).unlink(missing_ok=True)

    def update(self, rows: Mapping[str, Row | None]) -> Base | None:
        """Replace the rows of some paths (None: the file is gone) and bring the context up
        to date; the paths join the base's dirty paths. None if there is no base."""

        def write(db: sqlite3.Connection) -> Base | None:
            base = self.base()
            if base is None:
                return None
            old = self.facts_of(rows)
            gone = [p for p, row in rows.items() if row is None and p in old]
            changed = {p: row for p, row in rows.items() if row is not None and old.get(p) != row}
            self._write_rows(db, old, gone, changed)
            context = update_context(
                base.context,
                {p: old[p][1] for p in [*gone, *changed] if p in old},
                {p: row[1] for p, row in changed.items()},
                base.context.changes,
            )
            dirty = base.dirty.union(rows)
            self._write_state(db, context, base.commit, dirty)
            return Base(base.commit, dirty, context)

        return self._transaction(write)

    def _write_rows(
        self,
        db: sqlite3.Connection,
        old: Mapping[str, Row],
        gone: Iterable[str],
        changed: Mapping[str, Row],
    ) -> None:
        """Delete the rows of `gone`, write those of `changed`; `old` holds their rows."""
        db.executemany(
            "DELETE FROM refs WHERE ref = ? AND path = ?",
            [(ref, path) for path in [*gone, *changed] if path in old for ref in old[path][1].refs],
        )
        db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
        db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            [
                (path, key, facts.kind, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
                for path, (key, facts) in changed.items()
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO refs VALUES (?, ?)",
            [(ref, path) for path, (_, facts) in changed.items() for ref in facts.refs],
        )

    def _write_state(
        self, db: sqlite3.Connection, context: Context, commit: str, dirty: frozenset[str]
    ) -> None:
        kept = dataclasses.replace(context, changes={})  # the changes are in the rows
        db.executemany(
            "INSERT OR REPLACE INTO state VALUES (?, ?)",
            [
                ("base", pickle.dumps((commit, dirty), protocol=pickle.HIGHEST_PROTOCOL)),
                ("context", pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)),
            ],
        )

    def _select_paths(self, query: str, parameters: Iterable[str]) -> set[str]:
        db = self._connect()
        if db is None:
            raise CacheDamaged("the cache's database cannot be opened")
        try:
            return {path for (path,) in db.execute(query, tuple(parameters))}
        except sqlite3.Error as error:
            raise CacheDamaged(str(error)) from error

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class StoredFacts:
    """`facts.FactsView` over the cache's tables."""

    def __init__(self, cache: ParseCache) -> None:
        self.cache = cache

    def referring(self, paths: set[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(_storable(paths)):
            marks = ",".join("?" * len(chunk))
            found |= self.cache._select_paths(
                f"SELECT path FROM refs WHERE ref IN ({marks})", chunk
            )
        return found

    def of_kind(self, kind: str) -> set[str]:
        return self.cache._select_paths("SELECT path FROM files WHERE kind = ?", (kind,))


class StoredChanges:
    """`Context.changes` read from the proposals' rows when asked (the registry's changes
    are too many to load for a check of a few files)."""

    def __init__(self, cache: ParseCache) -> None:
        self.cache = cache

    def get(self, global_id: str, /) -> tuple[str, bytes] | None:
        found = proposal_of(global_id)
        if found is None:
            return None
        path, change_id = found
        row = self.cache.facts_of([path]).get(path)
        if row is None or row[1].kind != "proposal" or not row[1].valid:
            return None
        # The first of duplicates, as build_context keeps it.
        return next(((k, d) for c, k, d in row[1].changes if c == change_id), None)


def _storable(paths: Iterable[str]) -> list[str]:
    """Paths as SQLite takes them, in order. One that is not valid UTF-8 has no row and no
    file refers to it: it is never registry data (F301)."""
    return sorted(path for path in set(paths) if is_utf8(path))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
