"""Where the time of a cold `valreg check` goes: its stages, and a profile of its functions.

Usage: python benchmarks/profile_check.py ROOT [--top 20]

In one process, on the registry at ROOT: the start-up imports, then each stage of
`check --no-cache` on its own (scan and read the work tree; parse, validate and derive
each file's facts; the rules that read a document's data; the registry's context; the
cross-file rules), beside the floor's two stages (PyYAML's CSafeLoader and
`model_validate`). Then the same check run whole and serially under cProfile: its
functions by their own time. (A parallel check does the per-file stages on both cores;
the profile is of one process, so that every function is in it.)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from pathlib import Path
from typing import cast

started = time.perf_counter()
import yaml  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

from valreg.registry import models  # noqa: E402
from valreg.registry.check import check_files  # noqa: E402
from valreg.registry.facts import build_context, facts_of  # noqa: E402
from valreg.registry.parse import Kind, kind_of, parse_file, warm_up  # noqa: E402
from valreg.registry.rules import check_personal_data, check_snapshot  # noqa: E402
from valreg.registry.snapshot import Snapshot, read_worktree  # noqa: E402
from valreg.registry.typography import check_typography  # noqa: E402

IMPORTS = time.perf_counter() - started


def _timed(label: str, rows: list[tuple[str, float]], started: float) -> float:
    now = time.perf_counter()
    rows.append((label, now - started))
    return now


def stages(root: Path) -> list[tuple[str, float]]:
    rows = [("imports (pydantic, PyYAML, valreg's models and rules)", IMPORTS)]
    t = time.perf_counter()
    warm_up(cast("set[Kind]", set(models.FILE_KINDS)))
    t = _timed("build the validators", rows, t)
    blobs, _ = read_worktree(root)
    items = sorted(blobs.items())
    t = _timed(f"scan and read the work tree ({len(items):,} files)", rows, t)
    for _, data in items:
        yaml.load(data, Loader=yaml.CSafeLoader)
    t = _timed("floor: yaml.load(CSafeLoader) of every file", rows, t)
    adapters = {kind: TypeAdapter(tp) for kind, tp in models.FILE_KINDS.items()}
    loaded = [(kind_of(path), yaml.load(data, Loader=yaml.CSafeLoader)) for path, data in items]
    t = time.perf_counter()
    for kind, data in loaded:
        if kind is not None:
            adapters[kind].validate_python(data)
    t = _timed("floor: model_validate of every file", rows, t)
    parsed = {path: parse_file(path, data) for path, data in items}
    t = _timed("valreg: parse_file (safe reader, refusals, validation)", rows, t)
    facts = {path: facts_of(p) for path, p in parsed.items()}
    t = _timed("valreg: facts_of every file", rows, t)
    for p in parsed.values():
        if p.kind == "proposal":
            list(check_personal_data(p))
        list(check_typography(p))
    t = _timed("valreg: personal data and typography (the rules that read the data)", rows, t)
    context = build_context(facts)
    t = _timed("valreg: the registry's context from the facts", rows, t)
    snapshot = Snapshot(dict(sorted(parsed.items())), given_context=context)
    check_snapshot(snapshot, personal_data=False)
    _timed("valreg: the cross-file rules", rows, t)
    return rows


def profile(root: Path, top: int) -> str:
    blobs, _ = read_worktree(root)
    profiler = cProfile.Profile()
    profiler.enable()
    check_files(blobs, parallel=False)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    print("| stage (one process) | s |\n|---|---:|")
    for label, seconds in stages(args.root):
        print(f"| {label} | {seconds:.3f} |")
    print()
    print(profile(args.root, args.top))


if __name__ == "__main__":
    main()
