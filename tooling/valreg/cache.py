"""What `check` keeps under the git directory so that unchanged files are not read again.

Three parts, all tied to a fingerprint of the code that decides a result (reader,
models, parser, rules, rule table, the check and snapshot modules, this module) and of
the pydantic version, and ignored entirely after any change to them:

- the store (`parsed.sqlite`): each parsed file and its cross-file facts, keyed by the
  sha256 of the file's path and bytes (an edited file is simply a miss);
- the index (`index.pickle`), like git's: for each path its size, mtime, inode and ctime
  and its content key, so an unchanged file is not even read; and the result of the last
  full check with the content keys it was made from;
- the facts (`facts.pickle`) of every file of the last check, with their content keys:
  what `check --since` needs to know about the files it does not read.

A file whose mtime or ctime is not safely older than the index's scan could have changed
within the timestamp's granularity after it was hashed ("racy"), so it is hashed again.
A cache that cannot be read is ignored and one that cannot be written is skipped:
either way `check` gives the same result as without a cache (`--no-cache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from valreg.atomic import write_atomic
from valreg.diagnostics import Diagnostic
from valreg.facts import FileFacts
from valreg.parse import Parsed

CACHE_DIR = Path("valreg")
STORE_FILE = CACHE_DIR / "parsed.sqlite"
INDEX_FILE = CACHE_DIR / "index.pickle"
FACTS_FILE = CACHE_DIR / "facts.pickle"
_RULE_MODULES = (
    "yamlio.py",
    "models.py",
    "parse.py",
    "diagnostics.py",
    "facts.py",
    "checks.py",
    "check.py",
    "snapshot.py",
    "cache.py",
)
#: A file changed less than this long before the index's scan is hashed again.
RACY_NS = 2_000_000_000


def rules_fingerprint() -> str:
    import pydantic

    digest = hashlib.sha256(pydantic.VERSION.encode())
    package = Path(__file__).parent
    for name in _RULE_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def entry_key(path: str, data: bytes) -> str:
    return hashlib.sha256(path.encode("utf-8") + b"\0" + data).hexdigest()


#: (size, mtime_ns, inode, ctime_ns) of a file, as `os.stat` gives them.
Stat = tuple[int, int, int, int]


class IndexEntry(NamedTuple):
    stat: Stat
    key: str


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

    def known_key(self, path: str, stat: Stat) -> str | None:
        """The content key of `path` if its stat is unchanged and not racy."""
        entry = self.entries.get(path)
        if entry is None or entry.stat != stat:
            return None
        _size, mtime_ns, _inode, ctime_ns = stat
        if max(mtime_ns, ctime_ns) >= self.scanned_ns - RACY_NS:
            return None
        return entry.key


class ParseCache:
    """The store and the index of one git directory."""

    def __init__(self, git_dir: Path) -> None:
        self.store_file = git_dir / STORE_FILE
        self.index_file = git_dir / INDEX_FILE
        self.facts_file = git_dir / FACTS_FILE
        self.fingerprint = rules_fingerprint()
        self.index = self._read_index()
        self._db: sqlite3.Connection | None = None
        self._db_failed = False
        self._new: dict[str, bytes] = {}

    # --- the index -----------------------------------------------------------------------

    def _load(self, file: Path) -> Any:
        try:
            with file.open("rb") as handle:
                # The file lives in the git directory, as trusted as the repository's hooks.
                payload: Any = pickle.load(handle)
        except Exception:  # absent, truncated, from an older valreg: start afresh
            return None
        if not isinstance(payload, dict) or payload.get("rules") != self.fingerprint:
            return None
        return payload.get("data")

    def _dump(self, file: Path, data: Any) -> None:
        payload = {"rules": self.fingerprint, "data": data}
        # In a read-only clone check works the same, only without a cache.
        with contextlib.suppress(OSError):
            write_atomic(file, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))

    def _read_index(self) -> Index:
        index = self._load(self.index_file)
        return index if isinstance(index, Index) else Index()

    def save_index(self, index: Index) -> None:
        self._dump(self.index_file, index)

    def facts(self) -> dict[str, tuple[str, FileFacts]]:
        """Each file's content key and facts, as the last check saw them."""
        facts = self._load(self.facts_file)
        return facts if isinstance(facts, dict) else {}

    def save_facts(self, facts: dict[str, tuple[str, FileFacts]]) -> None:
        self._dump(self.facts_file, facts)

    # --- the store -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._db_failed:
            return self._db
        try:
            self.store_file.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.store_file, timeout=10, isolation_level=None)
            db.execute("CREATE TABLE IF NOT EXISTS meta (rules TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data BLOB)")
            row = db.execute("SELECT rules FROM meta").fetchone()
            if row is None or row[0] != self.fingerprint:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM parsed")
                db.execute("DELETE FROM meta")
                db.execute("INSERT INTO meta VALUES (?)", (self.fingerprint,))
                db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            self._db_failed = True
            return None
        self._db = db
        return db

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
        db = self._connect()
        if db is None:
            return
        try:
            if self._new:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR REPLACE INTO parsed VALUES (?, ?)", list(self._new.items())
                )
                db.execute("COMMIT")
                self._new.clear()
            if keep is not None:
                (count,) = db.execute("SELECT count(*) FROM parsed").fetchone()
                if count > 2 * len(keep) + 1000:
                    db.execute("BEGIN IMMEDIATE")
                    stale = [k for (k,) in db.execute("SELECT key FROM parsed") if k not in keep]
                    db.executemany("DELETE FROM parsed WHERE key = ?", [(k,) for k in stale])
                    db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
