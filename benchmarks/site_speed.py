"""Wall time of `valreg site` on a registry of 1,000 values, 10 releases and 5 rounds.

Usage: python benchmarks/site_speed.py [--values 1000] [--releases 10] [--rounds 5] [--runs 3]

Builds (deterministically, in a temporary folder) a registry with `valreg init`: fictional
values with Danish texts, then releases in git (manifest from `release.active_entries`,
commit, annotated tag). Every other release follows a round: 20 municipalities propose
5 amendments each, the editors accept them (decisions.yaml with each change's sha256),
and one commit applies them with `Applies:` trailers, as `valreg apply` would. Releases
without a round carry editorial amendments. The last release is adopted. Then it times
`valreg site --out DIR` (best and median of the runs, after a warm-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fictional import git, value_text
from timing import time_runs

BIN = Path(sys.executable).parent
EDITOR = "redaktion"
RESPONDENTS = 20
CHANGES_EACH = 5


def _dump(path: Path, data: Any) -> None:
    from valreg.registry.yamlio import dump_yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_yaml(data), encoding="utf-8")


def _write_value(root: Path, i: int, text: str) -> None:
    _dump(root / f"values/vaerdi-{i}.yaml", {"id": f"vaerdi-{i}", "number": i, "text": text})


def _release(
    root: Path,
    version: str,
    previous: str | None,
    rounds: list[str],
    date: dt.date,
    *,
    adopted: bool,
) -> None:
    from valreg.registry.snapshot import load_snapshot
    from valreg.versions.release import active_entries, manifest_path

    manifest: dict[str, Any] = {
        "version": version,
        "title": f"Udgave {version} (fiktiv)",
        "status": "adopted" if adopted else "draft",
        "date": date,
        "previous": previous,
        "rounds": rounds,
    }
    if adopted:
        manifest["adopted_by"] = {"body": "Fiktivt udvalg", "date": date}
    manifest["values"] = active_entries(load_snapshot(root))
    _dump(root / manifest_path(version), manifest)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"Release {version}")
    git(root, "tag", "--annotate", "-m", f"Udgave {version}", f"values/{version}")


# The municipalities that answer a round, by code (from the example registry's list).
# fmt: off
CODES = (
    "101", "147", "151", "153", "155", "157", "159", "161", "163", "165",
    "167", "169", "173", "175", "183", "185", "187", "190", "201", "210",
)
# fmt: on


def _round(
    root: Path,
    round_id: str,
    *,
    base: str,
    opens: dt.date,
    first_value: int,
    texts: dict[int, str],
) -> None:
    """A closed round with 20 proposals of 5 amendments, all accepted and applied."""
    _dump(
        root / f"registry/rounds/{round_id}/round.yaml",
        {
            "id": round_id,
            "title": f"Fiktiv høring {round_id}",
            "base": base,
            "opens": opens,
            "deadline": opens + dt.timedelta(days=28),
            "closed": True,
            "answered_elsewhere": 3,
        },
    )
    decisions, applied = [], []
    value = first_value
    for code in CODES[:RESPONDENTS]:
        changes = []
        for n in range(1, CHANGES_EACH + 1):
            text = value_text(value, f" og i fritiden ({round_id})")
            changes.append(
                {
                    "id": str(n),
                    "kind": "amend",
                    "value": f"vaerdi-{value}",
                    "text": text,
                    "rationale": "Fritiden hører med. (fiktivt)",
                }
            )
            change_id = f"{round_id}/{code}-kommune#{n}"
            decisions.append(_accepted(change_id, changes[-1], opens + dt.timedelta(days=40)))
            applied.append(change_id)
            texts[value] = text
            value += 1
        _dump(
            root / f"proposals/{round_id}/{code}-kommune.yaml",
            {
                "round": round_id,
                "municipality": code,
                "submitted": opens + dt.timedelta(days=20),
                "changes": changes,
            },
        )
    _dump(root / f"registry/rounds/{round_id}/decisions.yaml", decisions)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"Round {round_id} and its decisions")
    for i in range(first_value, value):
        _write_value(root, i, texts[i])
    trailers = "\n".join(f"Applies: {c}" for c in applied)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"Apply round {round_id}\n\n{trailers}")


def _accepted(change_id: str, change: dict[str, Any], date: dt.date) -> dict[str, Any]:
    """The editors' decision to accept an amendment, with the change's sha256."""
    from valreg.registry import models

    return {
        "change": change_id,
        "change_sha256": models.change_digest(models.Amend.model_validate(change)),
        "decision": "accept",
        "date": date,
        "editor": EDITOR,
    }


def build(root: Path, count: int, releases: int, rounds: int) -> None:
    from valreg.publishing.scaffold import EXAMPLE

    subprocess.run(
        [str(BIN / "valreg"), "init", str(root), "--name", "Fiktive værdier", "--owner", "KL"],
        check=True,
        capture_output=True,
    )
    _dump(
        root / "registry/registry.yaml",
        {
            "name": "Fiktive værdier",
            "owner": "KL",
            "language": "da",
            "tag_prefix": "values/",
            "versioning": "calendar",
            "editors": [EDITOR],
        },
    )
    shutil.copy(
        EXAMPLE / "base/registry/municipalities.yaml", root / "registry/municipalities.yaml"
    )
    texts = {i: value_text(i) for i in range(1, count + 1)}
    for i, text in texts.items():
        _write_value(root, i, text)
    previous = None
    made_rounds = 0
    for n in range(1, releases + 1):
        version = f"2019.{n}"
        date = dt.date(2019, 1, 1) + dt.timedelta(days=30 * n)
        included = []
        if n > 1 and n % 2 == 0 and made_rounds < rounds:
            made_rounds += 1
            round_id = f"2019-{made_rounds}"
            first = (made_rounds - 1) * RESPONDENTS * CHANGES_EACH % count + 1
            _round(
                root,
                round_id,
                base=previous or "2019.1",
                opens=date - dt.timedelta(days=50),
                first_value=first,
                texts=texts,
            )
            included.append(round_id)
        elif n > 1:
            for i in range(n * 37 % count + 1, n * 37 % count + 51):  # 50 editorial edits
                texts[i] = value_text(i, f" (redaktionelt {version})")
                _write_value(root, i, texts[i])
        _release(root, version, previous, included, date, adopted=n == releases)
        previous = version


def _time(root: Path, out: Path, runs: int) -> list[float]:
    return time_runs([str(BIN / "valreg"), "site", "--out", str(out)], root, runs)


def _report_share(root: Path, rounds: int) -> dict[str, float]:
    """In-process seconds spent on the embedded høringsnotater (all rounds), by step."""
    from valreg.publishing.report import build_report
    from valreg.publishing.report.docx import render_docx
    from valreg.publishing.report.html import render_html
    from valreg.publishing.report.markdown import render_markdown

    spent = {"build_report": 0.0, "render_html + render_markdown": 0.0, "render_docx": 0.0}
    for n in range(1, rounds + 1):
        start = time.perf_counter()
        built = build_report(root, f"2019-{n}", today=dt.date(2020, 1, 1))
        built_at = time.perf_counter()
        render_html(built)
        render_markdown(built)
        rendered_at = time.perf_counter()
        render_docx(built)
        spent["build_report"] += built_at - start
        spent["render_html + render_markdown"] += rendered_at - built_at
        spent["render_docx"] += time.perf_counter() - rendered_at
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000)
    parser.add_argument("--releases", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "registry"
        started = time.perf_counter()
        build(root, options.values, options.releases, options.rounds)
        checked = subprocess.run(
            [str(BIN / "valreg"), "check"], cwd=root, capture_output=True, text=True, check=False
        )
        if checked.returncode != 0:
            sys.exit(f"the generated registry does not check clean:\n{checked.stdout}")
        print(
            f"built {options.values} values, {options.releases} releases and {options.rounds} "
            f"rounds in {time.perf_counter() - started:.1f} s"
        )
        out = Path(folder) / "site"
        times = _time(root, out, options.runs)
        pages = sum(1 for p in out.rglob("*.html"))
        print("\n| command | pages | best s | median s |\n|---|---:|---:|---:|")
        print(
            f"| `valreg site --out DIR` | {pages} | {min(times):.2f} | "
            f"{statistics.median(times):.2f} |"
        )
        print(
            f"\nthe {options.rounds} høringsnotater on their own, in-process, as `valreg report` "
            "makes them (each loads the registry; the site shares one load):"
        )
        print("\n| step | s |\n|---|---:|")
        for step, seconds in _report_share(root, options.rounds).items():
            print(f"| {step} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
