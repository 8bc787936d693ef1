"""Wall time of `valreg changelog V1 V2` on a registry of 10,000 values, 2,000 changed.

Usage: python benchmarks/changelog_speed.py [--values 10000] [--changed 2000] [--runs 5]

Builds a registry with `valreg init` (fictional values with Danish texts, written as
files), releases it as 2019.1 (manifest from `release.active_entries`, commit, annotated
tag), amends, renumbers and retires `--changed` values, releases 2019.2 the same way, and
times `valreg changelog 2019.1 2019.2` in each format (median of the runs after a warm-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fictional import git, value_text
from timing import time_runs

BIN = Path(sys.executable).parent


def _value(i: int, number: int, text: str, *, retired: bool = False) -> str:
    status = "status: retired\n" if retired else ""
    return f"id: vaerdi-{i}\nnumber: {number}\n{status}text: {text}\n"


def _release(root: Path, version: str, previous: str | None) -> None:
    from valreg.registry.snapshot import load_snapshot
    from valreg.registry.yamlio import dump_yaml
    from valreg.versions.release import active_entries, manifest_path

    manifest = {
        "version": version,
        "title": f"Udgave {version} (fiktiv)",
        "status": "draft",
        "date": dt.date(2019, 3, 18),
        "previous": previous,
        "rounds": [],
        "values": active_entries(load_snapshot(root)),
    }
    (root / manifest_path(version)).write_text(dump_yaml(manifest), encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"Release {version}")
    git(root, "tag", "--annotate", "-m", f"Udgave {version}", f"values/{version}")


def build(root: Path, count: int, changed: int) -> None:
    subprocess.run(
        [str(BIN / "valreg"), "init", str(root), "--name", "Fiktive værdier", "--owner", "KL"],
        check=True,
        capture_output=True,
    )
    for path in (root / "values").glob("*.yaml"):
        path.unlink()
    for i in range(1, count + 1):
        (root / f"values/vaerdi-{i}.yaml").write_text(_value(i, i, value_text(i)), encoding="utf-8")
    _release(root, "2019.1", None)
    # Every (count // changed)-th value changes: mostly amended, some retired; the
    # numbers then close up, so every value after the first retired one is renumbered.
    step = count // changed
    touched = set(range(step, count + 1, step))
    retired = {i for n, i in enumerate(sorted(touched)) if n % 10 == 0}
    number = 0
    for i in range(1, count + 1):
        path = root / f"values/vaerdi-{i}.yaml"
        if i in retired:
            path.write_text(_value(i, i, value_text(i), retired=True), encoding="utf-8")
            continue
        number += 1
        text = value_text(i, " og i fritiden") if i in touched else value_text(i)
        path.write_text(_value(i, number, text), encoding="utf-8")
    _release(root, "2019.2", "2019.1")


def _time(root: Path, args: list[str], runs: int) -> float:
    return statistics.median(time_runs([str(BIN / "valreg"), *args], root, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "registry"
        started = time.perf_counter()
        build(root, options.values, options.changed)
        print(
            f"built {options.values} values, {options.changed} changed, in "
            f"{time.perf_counter() - started:.1f} s"
        )
        print("| command | median s |\n|---|---:|")
        for fmt in ("md", "json", "html"):
            args = ["changelog", "2019.1", "2019.2", "--format", fmt]
            print(f"| `valreg {' '.join(args)}` | {_time(root, args, options.runs):.2f} |")


if __name__ == "__main__":
    main()
