"""A sheet of decisions: the CSV that editors prepare in a spreadsheet for `decide --from`.

A header row names the columns (`change`, `decision`, and as needed `reason`, `text`,
`id`; any order, any case). Read as spreadsheets really write it: UTF-8 with or without a
byte order mark, `,` or `;` between cells (Danish Excel writes `;`), CRLF line ends,
quoted cells holding line breaks, and empty rows at the end. No I/O: the caller reads the
bytes. What the rows mean is judged by `decide`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from valreg.registry.diagnostics import close_match

#: The columns a sheet may have; the first two it must have.
COLUMNS = ("change", "decision", "reason", "text", "id")
REQUIRED = ("change", "decision")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row: the line it starts on and its cells, stripped (an empty cell is None)."""

    line: int
    change: str
    decision: str
    reason: str | None = None
    text: str | None = None
    value_id: str | None = None


#: A problem with the sheet as a file: (line, message).
Problem = tuple[int, str]


def read_sheet(data: bytes) -> tuple[list[SheetRow], list[Problem]]:
    """The rows of a sheet, or the problems that keep it from being read."""
    text, problem = _decode(data)
    if problem is not None:
        return [], [problem]
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(header_line), strict=True
    )
    raw: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(cell.strip() for cell in cells):
                raw.append((start, cells))
    except csv.Error as exc:
        return [], [(reader.line_num, f'not valid CSV here ({exc}); check the quotes (")')]
    if not raw:
        return [], [(1, "the file is empty; the first row names the columns: " + _listing())]
    (header_at, header), *body = raw
    columns, problems = _columns(header_at, header)
    if problems:
        return [], problems
    rows = []
    for line, cells in body:
        extra = [cell for i, cell in enumerate(cells) if cell.strip() and i not in columns]
        if extra:
            problems.append(
                (
                    line,
                    f"{len(cells)} cells, but the header names {len(columns)} columns; a text "
                    "with the separator in it must be in quotes",
                )
            )
            continue
        fields = {name: _cell(cells, i) for i, name in columns.items()}
        rows.append(
            SheetRow(
                line,
                fields.get("change") or "",
                fields.get("decision") or "",
                fields.get("reason"),
                fields.get("text"),
                fields.get("id"),
            )
        )
    return rows, problems


def _decode(data: bytes) -> tuple[str, Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", (1, "the file is UTF-16 ('Unicode text'); save it as 'CSV UTF-8'")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", (
            line,
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); in Excel, save the sheet as "
            "'CSV UTF-8' (in Danish Excel: 'CSV UTF-8 (kommasepareret)')",
        )


def _delimiter(header: str) -> str:
    """The separator the header row uses: `;` (Danish Excel), a tab, else `,`."""
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _columns(line: int, header: list[str]) -> tuple[dict[int, str], list[Problem]]:
    """Which column holds which field, by position; or what is wrong with the header."""
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    for i, cell in enumerate(header):
        name = cell.strip().lower()
        if not name:
            continue  # an unnamed column; a value in it is the row's problem
        if name not in COLUMNS:
            match = close_match(name, COLUMNS)
            hint = f"did you mean '{match}'? " if match else ""
            problems.append((line, f"unknown column '{cell.strip()}'; {hint}columns: {_listing()}"))
        elif name in columns.values():
            problems.append((line, f"column '{name}' appears twice"))
        else:
            columns[i] = name
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        problems.append(
            (
                line,
                f"no column {' or '.join(repr(m) for m in missing)}; the first row names the "
                f"columns: {_listing()}",
            )
        )
    return columns, problems


def _cell(cells: list[str], index: int) -> str | None:
    """A cell stripped, with its line breaks as `\\n`; None if empty or missing."""
    if index >= len(cells):
        return None
    value = cells[index].replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def _listing() -> str:
    return ", ".join(COLUMNS) + " (change and decision required)"
