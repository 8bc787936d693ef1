"""A content-addressed cache of parsed files under the git directory.

An entry is keyed by the sha256 of a file's path and bytes, so an edited file is
simply a miss. The whole cache is tied to a fingerprint of the code that decides a
file's parse result (reader, models, parser, rule table) and of the pydantic version:
after any change to them every entry is ignored. A cache that cannot be read is
ignored; one that cannot be written is skipped. Either way `check` gives the same
result as without a cache (`--no-cache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path
from typing import Any

from valreg.atomic import write_atomic
from valreg.parse import Parsed

CACHE_FILE = Path("valreg") / "parse-cache.pickle"
_RULE_MODULES = ("yamlio.py", "models.py", "parse.py", "diagnostics.py", "cache.py")


def rules_fingerprint() -> str:
    import pydantic

    digest = hashlib.sha256(pydantic.VERSION.encode())
    package = Path(__file__).parent
    for name in _RULE_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def entry_key(path: str, data: bytes) -> str:
    return hashlib.sha256(path.encode("utf-8") + b"\0" + data).hexdigest()


class ParseCache:
    """Parsed files from earlier runs; `save` keeps only the entries used in this run."""

    def __init__(self, git_dir: Path) -> None:
        self.file = git_dir / CACHE_FILE
        self.fingerprint = rules_fingerprint()
        self._old: dict[str, Parsed] = self._read()
        self._used: dict[str, Parsed] = {}

    def _read(self) -> dict[str, Parsed]:
        try:
            with self.file.open("rb") as handle:
                # The file lives in the git directory, as trusted as the repository's hooks.
                payload: Any = pickle.load(handle)
        except Exception:  # absent, truncated, from an older valreg: start afresh
            return {}
        if not isinstance(payload, dict) or payload.get("rules") != self.fingerprint:
            return {}
        entries = payload.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Parsed | None:
        parsed = self._old.get(key)
        if isinstance(parsed, Parsed):
            self._used[key] = parsed
            return parsed
        return None

    def put(self, key: str, parsed: Parsed) -> None:
        self._used[key] = parsed

    def save(self) -> None:
        if self._used.keys() == self._old.keys():
            return
        payload = {"rules": self.fingerprint, "entries": self._used}
        # In a read-only clone check works the same, only without a cache.
        with contextlib.suppress(OSError):
            write_atomic(self.file, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
