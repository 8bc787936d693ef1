"""The timing loop the benchmark scripts share: one warm-up run (the page cache and
Python's bytecode cache filled), then the wall time of each of `runs` runs."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def time_calls(call: Callable[[], object], runs: int) -> list[float]:
    """Seconds per call of `call` in this process, after a warm-up call."""
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def time_runs(command: list[str], cwd: Path, runs: int, *, check: bool = True) -> list[float]:
    """Seconds per run of `command` in `cwd`, after a warm-up; with `check`, a run that
    fails stops the benchmark (a failing command would be timed as a fast one)."""
    return time_calls(
        lambda: subprocess.run(command, cwd=cwd, check=check, capture_output=True), runs
    )
