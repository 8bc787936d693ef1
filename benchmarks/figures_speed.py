"""What the answers-by-region figures add to the site: for N rounds, the figures laid out
and drawn as SVG twice (the round's page and its høringsnotat in HTML) and as PNG once
(the høringsnotat in Word), on the example round's 98 standings.

Usage: python benchmarks/figures_speed.py [--rounds 5] [--runs 5]

Prints the best and the median of the runs, after one warm-up (the map data loaded, the
fonts opened), in seconds for all the rounds together.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import time_calls

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from valreg.publishing.map.figures import region_figures
    from valreg.publishing.map.png import render_png
    from valreg.publishing.map.svg import render_svg
    from valreg.publishing.report.wording import STANDING_WORDS
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.state import select_round, standings
    from valreg.workflow.status import municipality_standings

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "example"
        subprocess.run([str(BIN / "valreg"), "init", str(root), "--example"], check=True)
        snapshot = load_snapshot(root)
        round_ = select_round(snapshot, "eksempel-1")
        by_region = municipality_standings(snapshot, standings(snapshot, round_))

    def svg() -> None:
        for _ in range(args.rounds):
            for page in ("runde", "notat"):
                figures = region_figures(by_region, STANDING_WORDS)
                render_svg(figures.bars, f"{page}-soejler")
                assert figures.map is not None
                render_svg(figures.map, f"{page}-kort")

    def png() -> None:
        for _ in range(args.rounds):
            figures = region_figures(by_region, STANDING_WORDS)
            render_png(figures.bars, 1200)
            assert figures.map is not None
            render_png(figures.map, 1000)

    print(f"{'what, for ' + str(args.rounds) + ' rounds':<52} {'best s':>8} {'median s':>9}")
    for label, call in (
        ("figures as inline SVG, 2 pages a round", svg),
        ("figures as PNG, 1 Word report a round", png),
    ):
        samples = time_calls(call, args.runs)
        print(f"{label:<52} {min(samples):>8.3f} {statistics.median(samples):>9.3f}")


if __name__ == "__main__":
    main()
