"""Atomic file writes: a temporary file, fsync, then rename.

The temporary file is named `.<name>.<pid>.<random>.tmp`. It lives beside the target,
or in a scratch folder on the same file system (writers inside a registry use
`.git/valreg/tmp`), so that a writer killed between writing and renaming leaves nothing
in the work tree; `remove_leftovers` clears a dead writer's files from such a folder.
A test-only hook (VALREG_FAULT_RENAME=<file name>) kills the process right there.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
from pathlib import Path

#: `.<name>.<pid>.<random>.tmp`, as `write_atomic` names its temporary files.
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>[0-9]+)\.[^.]+\.tmp$")


def write_atomic(path: Path, data: str | bytes, *, scratch: Path | None = None) -> None:
    """Replace `path` with `data` so that readers see the old or the new file, never half.

    With `scratch`, the temporary file is made there when it is on the same file system
    as `path` (a rename cannot cross file systems), and beside `path` otherwise.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
        if scratch.stat().st_dev == folder.stat().st_dev:
            folder = scratch
    fd, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if os.environ.get("VALREG_FAULT_RENAME") == path.name:  # tests: die before renaming
            os.kill(os.getpid(), signal.SIGKILL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def alive(pid: int) -> bool:
    """Whether process `pid` runs (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_leftovers(folder: Path, name: str = "*") -> list[Path]:
    """Delete the temporary files that dead writers left in `folder` (of target `name`);
    returns them. A live writer's files are kept."""
    removed = []
    for path in folder.glob(f".{name}.*.tmp") if folder.is_dir() else ():
        match = _TEMPORARY.match(path.name)
        if match and not alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
