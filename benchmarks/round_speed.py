"""Wall time of `valreg status` and `valreg review` on a round of 98 proposals × 10 changes.

Usage: python benchmarks/round_speed.py [--runs N] [--changes 10]

Builds a registry with `valreg init --example` (KL's 11 values), replaces its round's
proposals by one synthetic proposal per municipality with N changes each (every kind,
texts with æøå, marked fictional; each amendment inserts one word into the value's text,
which word and where depending on the municipality, so that review has amendments to
combine, collisions and near-duplicates to find), commits it, and times each command (median of the
runs after one warm-up), beside `valreg check` on the same registry.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import time_runs

BIN = Path(sys.executable).parent
KINDS = ("amend", "amend", "amend", "add", "remove", "merge", "move", "comment", "amend", "add")


#: Words an amendment inserts; which one, and where, depends on the municipality, so that
#: some amendments of a value combine, some collide and some say nearly the same.
INSERTED = ("gode", "trygge", "stærke", "fælles", "lokale")


def _amended(current: str, code: int, i: int) -> str:
    """The value's text with one word inserted, as a municipality's amendment would."""
    words = current.split()
    place = (code * 7 + i) % len(words)
    return " ".join([*words[:place], INSERTED[code % len(INSERTED)], *words[place:]])


def _change(i: int, kind: str, values: list[str], texts: dict[str, str], code: int) -> str:
    value = values[i % len(values)]
    other = values[(i + 3) % len(values)]
    text = f"Fiktiv tekst {i} om børn, unge og fællesskab på skolen i kommunen (æøå)"
    if kind == "amend":
        amended = _amended(texts[value], code, i)
        return f'  - id: "{i}"\n    kind: amend\n    value: {value}\n    text: "{amended}"\n'
    if kind == "add":
        return f'  - id: "{i}"\n    kind: add\n    after: {value}\n    text: {text}\n'
    if kind == "remove":
        return f'  - id: "{i}"\n    kind: remove\n    value: {value}\n'
    if kind == "merge":
        return f'  - id: "{i}"\n    kind: merge\n    values: [{value}, {other}]\n    text: {text}\n'
    if kind == "move":
        return f'  - id: "{i}"\n    kind: move\n    value: {value}\n    after: null\n'
    return f'  - id: "{i}"\n    kind: comment\n    value: {value}\n    text: {text}\n'


def build(root: Path, changes: int) -> None:
    subprocess.run(
        [str(BIN / "valreg"), "init", str(root), "--example"], check=True, capture_output=True
    )
    from valreg.registry.snapshot import load_snapshot

    snapshot = load_snapshot(root)
    values = sorted(snapshot.values)
    texts = {v: p.model.text for v, p in snapshot.values.items() if p.model is not None}
    folder = root / "proposals/eksempel-1"
    shutil.rmtree(folder)
    folder.mkdir()
    for code, municipality in sorted(snapshot.municipalities.items()):
        body = "".join(
            _change(i, KINDS[i % len(KINDS)], values, texts, int(code))
            for i in range(1, changes + 1)
        )
        (folder / f"{code}-kommune.yaml").write_text(
            f"# FICTIONAL benchmark proposal for {municipality.name}\n"
            f"round: eksempel-1\nmunicipality: {code}\nsubmitted: 2019-09-20\nchanges:\n{body}",
            encoding="utf-8",
        )
    subprocess.run(["git", "-C", str(root), "add", "--all"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "commit", "--quiet", "-m", "benchmark round"], check=True
    )


def _time(command: list[str], root: Path, runs: int) -> float:
    return statistics.median(time_runs(command, root, runs, check=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "registry"
        build(root, args.changes)
        valreg = str(BIN / "valreg")
        commands = {
            "valreg check": [valreg, "check"],
            "valreg status": [valreg, "status"],
            "valreg status --format json": [valreg, "status", "--format", "json"],
            "valreg review": [valreg, "review"],
            "valreg review --format json": [valreg, "review", "--format", "json"],
        }
        figures = {name: _time(command, root, args.runs) for name, command in commands.items()}
        review = subprocess.run(
            [valreg, "review", "--format", "json"], cwd=root, capture_output=True, check=False
        )
        summary = json.loads(review.stdout)["summary"]
    print(f"98 proposals × {args.changes} changes ({98 * args.changes} changes)")
    print(
        f"review found {summary['conflicts']} conflicts, {summary['duplicates']} groups of "
        f"duplicates or near-duplicates, {summary['combinations']} values with amendments "
        "that combine"
    )
    print(f"{'command':<30} {'median s':>9}")
    for name, seconds in figures.items():
        print(f"{name:<30} {seconds:>9.3f}")


if __name__ == "__main__":
    main()
