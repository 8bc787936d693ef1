"""Wall time of `valreg --help` and `valreg check` on this repository, beside alternatives.

Usage: python benchmarks/cli_speed.py [--runs N] [--json FILE]

Each command runs N times (after one warm-up run); the table shows the median and
the fastest run, and each command's ratio to `valreg check`. The alternatives are
what a user could run instead on the same files: a bare Python start (the floor of
any Python CLI) and check-jsonschema with valreg's exported schemas (schema-only,
no cross-file rules). `python -X importtime` shows where start-up time goes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from timing import time_runs

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _time(command: list[str], runs: int) -> tuple[float, float]:
    samples = time_runs(command, REPO, runs, check=False)
    return statistics.median(samples), min(samples)


def _schema_runs() -> list[str]:
    """One shell command running check-jsonschema once per file kind of this registry."""
    kinds = {
        "value": "values/*.yaml",
        "release": "registry/releases/*.yaml",
        "round": "registry/rounds/*/round.yaml",
        "registry": "registry/registry.yaml",
        "municipalities": "registry/municipalities.yaml",
    }
    tool = BIN / "check-jsonschema"
    parts = [
        f"{tool} --schemafile registry/schema/{kind}.schema.json {files}"
        for kind, files in kinds.items()
    ]
    return ["sh", "-c", " && ".join(parts)]


def _import_profile() -> list[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import valreg.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines()[1:]:
        _, cumulative, name = line.split("|")  # "import time: self | cumulative | name"
        rows.append((int(cumulative), name.rstrip()))
    return sorted(rows, reverse=True)[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()

    valreg = str(BIN / "valreg")
    commands = {
        "python -c pass (start-up floor)": [sys.executable, "-c", "pass"],
        "valreg --help": [valreg, "--help"],
        "valreg check": [valreg, "check"],
        "valreg check --format json": [valreg, "check", "--format", "json"],
    }
    if shutil.which(str(BIN / "check-jsonschema")):
        commands["check-jsonschema, 5 kinds (alternative)"] = _schema_runs()

    figures = {name: _time(command, args.runs) for name, command in commands.items()}
    reference = figures["valreg check"][0]
    print(f"{'command':<42} {'median s':>9} {'min s':>7} {'× check':>8}")
    for name, (median, fastest) in figures.items():
        print(f"{name:<42} {median:>9.3f} {fastest:>7.3f} {median / reference:>8.2f}")
    print("\nslowest imports of `import valreg.cli` (cumulative µs):")
    for micros, name in _import_profile():
        print(f"  {micros:>8}  {name}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {name: {"median_s": m, "min_s": f} for name, (m, f) in figures.items()}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
