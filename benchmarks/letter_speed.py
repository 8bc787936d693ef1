"""Wall time of 98 Word letters, one per municipality (`valreg letter --per-municipality`).

Usage: python benchmarks/letter_speed.py [--runs 5]

Makes the example registry (`valreg init --example`: KL's 11 values, the fictional round
eksempel-1, 98 municipalities) in a temporary folder and times, after a warm-up:

- `valreg letter eksempel-1 --format docx --per-municipality DIR`: the whole command, from
  a cold start, 98 .docx files written;
- the same with `--format md` and `--format html`;
- the alternative an editor would otherwise script: python-docx building each letter
  (`Document()`, one `add_paragraph` per line of the filled-in Markdown, a numbered list
  for the values, `save`), 98 times in one process, with the command's own Markdown as
  input, so that only the Word writing differs;
- the other alternative: 98 runs of `valreg letter … --format docx --out FILE`.

The goal (#17) is under 5 s for the 98 Word letters.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import time_calls, time_runs

BIN = Path(sys.executable).parent
ROUND = "eksempel-1"


def _valreg(*args: str, cwd: Path) -> list[str]:
    return [str(BIN / "valreg"), *args]


def _python_docx_letters(markdown: dict[str, str], out: Path) -> None:
    import docx

    out.mkdir(parents=True, exist_ok=True)
    for stem, text in markdown.items():
        document = docx.Document()
        for line in text.splitlines():
            if not line.strip():
                continue
            if line.startswith("#"):
                document.add_heading(line.lstrip("# "), level=line.count("#", 0, 3))
            elif line[:1].isdigit() and ". " in line[:4]:
                document.add_paragraph(line.split(". ", 1)[1], style="List Number")
            elif line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)
        document.save(str(out / f"{stem}.docx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="valreg-letters-"))
    try:
        root = work / "example"
        subprocess.run([str(BIN / "valreg"), "init", str(root), "--example"], check=True)
        rows: list[tuple[str, list[float]]] = []
        for fmt in ("docx", "md", "html"):
            out = work / f"letters-{fmt}"
            command = _valreg(
                "letter", ROUND, "--format", fmt, "--per-municipality", str(out), cwd=root
            )

            def write_letters(command: list[str] = command, out: Path = out) -> None:
                shutil.rmtree(out, ignore_errors=True)
                subprocess.run(command, cwd=root, check=True, capture_output=True)

            samples = time_calls(write_letters, args.runs)
            assert len(list(out.iterdir())) == 98, "not 98 letters"
            rows.append((f"valreg letter --per-municipality, {fmt} (98 files)", samples))
        markdown = {p.stem: p.read_text("utf-8") for p in sorted((work / "letters-md").iterdir())}
        rows.append(
            (
                "python-docx, Document() + add_paragraph + save, 98 in one process",
                time_calls(lambda: _python_docx_letters(markdown, work / "alt"), args.runs),
            )
        )
        single = work / "one.docx"
        one = time_runs(
            _valreg("letter", ROUND, "--format", "docx", "--out", str(single), cwd=root),
            root,
            max(1, args.runs // 2),
        )
        rows.append(
            ("98 × `valreg letter --format docx --out FILE` (one run × 98)", [t * 98 for t in one])
        )
        print(f"{'what':<72} {'best s':>8} {'median s':>9}")
        for label, samples in rows:
            print(f"{label:<72} {min(samples):>8.3f} {statistics.median(samples):>9.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
