"""Time valreg beside the alternatives on synthetic registries, in one run; print a table.

Usage: python benchmarks/run.py [--sizes 1k,10k,30k] [--kinds large,real] [--runs 3]
       [--skip yamllint,…] [--json FILE] [--keep DIR]

For each size and kind of registry (files: a third values, two thirds proposals, made by
generate.py; `large` files of about 1.3 KB, `real` files of real size: values 100–250
bytes, proposals 300–600 bytes) it times, as subprocesses from a cold start:

- `valreg check --no-cache` (cold), the first `valreg check` in a fresh clone (what CI
  runs: no cache yet), and `valreg check` again (warm: nothing changed);
- `valreg check --since HEAD~1` after a commit that changes 10 files (warm cache);
- reading every file of the registry from the work tree and from the commit, in one
  process (`read_worktree` and `read_commit`: bytes only, no parsing);
- the floor: one process that reads every file's bytes, `yaml.load(data,
  Loader=yaml.CSafeLoader)` and `model_validate`s it with valreg's models (no refusals,
  no positions, no cross-file rules);
- check-jsonschema with the exported schemas on values and proposals, and
  `yamllint -d relaxed` on the same files (each once: they are slow);
- the peak memory of the cold check (the sum of its processes' PSS, sampled every 20 ms).

Then, once: `valreg --help`, `valreg changelog 2019.1 2019.2` between two releases of a
10,000-value registry, `valreg status` and `valreg review` on a round of 98 proposals,
and `valreg site --out DIR` on 1,000 values with 10 releases and 5 rounds (if the command
exists). Each valreg figure is the median of --runs runs; the table shows each row's
ratio to the floor of its size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
VALREG = str(BIN / "valreg")
SIZES = {"1k": 1_000, "10k": 10_000, "30k": 30_000}
# As an installed valreg runs: its bytecode written once, not compiled on every start
# (this machine's shells set PYTHONDONTWRITEBYTECODE).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "SOURCE_DATE_EPOCH": "1577836800",
}

SNAPSHOT = """
import json, statistics, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from timing import time_calls
from valreg.registry.snapshot import read_commit, read_worktree
root, runs = Path(sys.argv[1]), int(sys.argv[2])
times = {
    "worktree": time_calls(lambda: read_worktree(root), runs),
    "commit": time_calls(lambda: read_commit(root, "HEAD"), runs),
}
print(json.dumps({name: statistics.median(samples) for name, samples in times.items()}))
"""

FLOOR = """
import os, sys, yaml
from pydantic import TypeAdapter
from valreg.registry import models
from valreg.registry.parse import kind_of
adapters = {kind: TypeAdapter(tp) for kind, tp in models.FILE_KINDS.items()}
invalid = 0
for folder in ("registry", "values", "proposals"):
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            kind = kind_of(path)
            if kind is None:
                continue
            with open(path, "rb") as handle:
                data = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
            try:
                adapters[kind].validate_python(data)
            except Exception:
                invalid += 1
sys.exit(1 if invalid else 0)
"""


def _tree_memory(pid: int) -> int:
    """Memory of a process and its descendants, in bytes: the sum of their proportional
    set sizes (a page shared by a parent and its forked worker counts once, not twice)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(
                int(line.split()[1]) * 1024
                for line in rollup.splitlines()
                if line.startswith("Pss:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path, *, memory: bool = False) -> tuple[float, int]:
    """Wall time of one run, and (with `memory`) the peak resident memory of its tree."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if memory:

        def sample() -> None:
            nonlocal peak
            while proc.poll() is None:
                peak = max(peak, _tree_memory(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    if memory:
        sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {stderr.decode()[-500:]}")
    return elapsed, peak


def median(command: list[str], cwd: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        samples.append(run(command, cwd)[0])
    return statistics.median(samples)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=ENV)


def _edit_ten(root: Path, round_no: int) -> None:
    """Change 10 files (5 values, 5 proposals: a text in each, marked with `round_no`, so
    every round changes them again) and commit them."""
    values = [root / f"values/vaerdi-{i * 7}.yaml" for i in range(1, 6)]
    # Five proposals with a text to change (a real-sized one may hold only a removal).
    proposals = [
        path
        for path in sorted((root / "proposals").glob("*/*.yaml"))
        if "(fiktivt forslag" in path.read_text(encoding="utf-8")
    ][:5]
    marks = (
        (values, r"\((?:rettet \d+, )?fiktiv værdi", f"(rettet {round_no}, fiktiv værdi"),
        (
            proposals,
            r"\(fiktivt forslag(?:, rettet \d+)?\)",
            f"(fiktivt forslag, rettet {round_no})",
        ),
    )
    for paths, pattern, mark in marks:
        for path in paths:
            text, count = re.subn(pattern, mark, path.read_text(encoding="utf-8"), count=1)
            if not count:
                raise RuntimeError(f"{path}: nothing to change for the --since benchmark")
            path.write_text(text, encoding="utf-8")
    _git(root, "commit", "--quiet", "--no-verify", "-am", f"ten files changed ({round_no})")


def _check_files(root: Path, kind: str) -> list[str]:
    pattern = "values/*.yaml" if kind == "value" else "proposals/*/*.yaml"
    return sorted(str(p.relative_to(root)) for p in root.glob(pattern))


def _fresh_clone_check(root: Path, runs: int) -> float:
    """The first `valreg check` in a new clone of `root` (the clone itself not timed)."""
    times = []
    for n in range(runs):
        clone = root.parent / f"{root.name}-clone-{n}"
        subprocess.run(["git", "clone", "--quiet", str(root), str(clone)], check=True)
        os.sync()  # the clone's files written out first: time the check, not the disk
        times.append(run([VALREG, "check"], clone)[0])
        shutil.rmtree(clone)
    return statistics.median(times)


def measure_size(
    name: str, total: int, workdir: Path, runs: int, skip: set[str], *, real: bool = False
) -> dict[str, float]:
    values, proposals = total // 3, total - total // 3
    root = workdir / f"registry-{name}{'-real' if real else ''}"
    started = time.perf_counter()
    generate(root, values, proposals, real=real)
    print(
        f"[{name}] generated {values} values + {proposals} proposals "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    rows: dict[str, float] = {}
    rows["floor (read + CSafeLoader + model_validate, one process)"] = median(
        [sys.executable, "-c", FLOOR], root, runs
    )
    rows["valreg check --no-cache (cold)"] = median([VALREG, "check", "--no-cache"], root, runs)
    reads = json.loads(
        subprocess.run(
            [sys.executable, "-c", SNAPSHOT, str(root), str(runs), str(HERE)],
            check=True,
            capture_output=True,
            env=ENV,
            text=True,
        ).stdout
    )
    rows["read the registry's files: work tree (read_worktree, in one process)"] = reads["worktree"]
    rows["read the registry's files: commit HEAD (read_commit, in one process)"] = reads["commit"]
    rows["valreg check, first run in a fresh clone (what CI runs)"] = _fresh_clone_check(root, runs)
    run([VALREG, "check"], root)
    run([VALREG, "check"], root)
    rows["valreg check (warm, nothing changed)"] = median([VALREG, "check"], root, runs)
    since = []
    for n in range(runs):
        _edit_ten(root, n)
        since.append(run([VALREG, "check", "--since", "HEAD~1"], root)[0])
    rows["valreg check --since HEAD~1 (10 files changed, warm cache)"] = statistics.median(since)
    run([VALREG, "check"], root)
    _, peak = run([VALREG, "check", "--no-cache"], root, memory=True)
    rows["peak memory of check --no-cache, MB (PSS, all processes)"] = peak / 1e6
    if "check-jsonschema" not in skip:
        schema = root / "registry/schema"
        elapsed = 0.0
        for kind in ("value", "proposal"):
            command = [
                str(BIN / "check-jsonschema"),
                "--schemafile",
                str(schema / f"{kind}.schema.json"),
                *_check_files(root, kind),
            ]
            elapsed += run(command, root)[0]
        rows["check-jsonschema, values + proposals (schema only)"] = elapsed
    if "yamllint" not in skip:
        files = _check_files(root, "value") + _check_files(root, "proposal")
        rows["yamllint -d relaxed, values + proposals"] = run(
            [str(BIN / "yamllint"), "-d", "relaxed", *files], root
        )[0]
    return rows


def measure_commands(workdir: Path, runs: int) -> dict[str, float]:
    rows: dict[str, float] = {}
    rows["valreg --help"] = median([VALREG, "--help"], workdir, max(runs, 5))
    big = workdir / "changelog-10k"
    generate(big, 10_000, 98, releases=2)
    rows["valreg changelog 2019.1 2019.2 (10,000 values)"] = median(
        [VALREG, "changelog", "2019.1", "2019.2"], big, runs
    )
    round_root = workdir / "round-98"
    generate(round_root, 100, 98, rounds=1)
    run([VALREG, "check"], round_root)
    rows["valreg status (98 proposals)"] = median([VALREG, "status"], round_root, runs)
    rows["valreg review (98 proposals)"] = median([VALREG, "review"], round_root, runs)
    site_root = workdir / "site-1k"
    generate(site_root, 1_000, 490, releases=10, rounds=5)
    try:
        rows["valreg site (1,000 values, 10 releases, 5 rounds)"] = median(
            [VALREG, "site", "--out", str(workdir / "site-out")], site_root, runs
        )
    except RuntimeError as exc:
        print(f"valreg site: not measured ({str(exc)[-200:].strip()})", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,30k")
    parser.add_argument(
        "--kinds", default="large,real", help="large (1.3 KB files), real (real-sized files)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip", default="", help="comma-separated: yamllint, check-jsonschema, commands"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="build the registries here and keep them")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for kind in args.kinds.split(","):
            for name in args.sizes.split(","):
                label = f"{name} {kind}"
                figures[label] = measure_size(
                    name, SIZES[name], workdir, args.runs, skip, real=kind == "real"
                )
                _print(label, figures[label])
        if "commands" not in skip:
            figures["commands"] = measure_commands(workdir, args.runs)
            _print("commands", figures["commands"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _print(name: str, rows: dict[str, float]) -> None:
    floor = next((v for k, v in rows.items() if k.startswith("floor")), None)
    print(f"\n| {name} | s | × floor |\n|---|---:|---:|")
    for label, value in rows.items():
        ratio = f"{value / floor:.2f}" if floor and "MB" not in label else ""
        shown = f"{value:.0f}" if "MB" in label else f"{value:.3f}"
        print(f"| {label} | {shown} | {ratio} |")
    print(flush=True)


if __name__ == "__main__":
    main()
