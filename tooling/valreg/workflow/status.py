"""`valreg status`: who has answered a round, and where its changes stand. No I/O.

The JSON shape (`render_json`) is stable; `version` changes if it ever must:

    {"version": 1,
     "round": {"id", "title", "deadline", "closed", "answered_elsewhere" (int or null),
               "state": "planned" | "open" | "past deadline" | "closed" (`rounds.round_state`)},
     "today": "YYYY-MM-DD", "days_to_deadline": int (negative once it has passed),
     "standings": {"answered", "no_remarks", "late", "no_answer": int},
     "regions": [{"region", "answered", "no_remarks", "late", "no_answer", "total"}],
     "municipalities": [{"code", "name", "region", "standing": a key of "standings"}],
     "changes": {"total": int, "by_kind": {kind: int}, "by_state": {state: int},
                 "by_kind_and_state": {kind: {state: int}}},
     "left_out": [paths of the round's files that fail their schema and are not counted],
     "alike": [{"kind", "value" (null: the top), "identical": bool, "changes": [ids],
                "municipalities": [names]}] (open changes that say the same or nearly
               the same, as `valreg review` groups them)}

Regions and municipalities are in Danish alphabetical order; every kind and state is
present, in the order of `models.CHANGE_KINDS` and `state.DECISION_STATES`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from valreg.danish import danish_key
from valreg.errors import InvalidRegistry
from valreg.registry import models
from valreg.registry.snapshot import MUNICIPALITIES_FILE, Snapshot
from valreg.workflow.rounds import RoundState, state_of
from valreg.workflow.state import (
    DECISION_STATES,
    ChangeRecord,
    DecisionState,
    Standing,
    collect_changes,
    select_round,
    standings,
)

#: Stable keys of the standings in JSON; their words head the text and markdown tables.
STANDING_KEYS = {
    Standing.ANSWERED: "answered",
    Standing.NO_REMARKS: "no_remarks",
    Standing.LATE: "late",
    Standing.NO_ANSWER: "no_answer",
}
_UNKNOWN_REGION = f"(not in {MUNICIPALITIES_FILE})"


@dataclass(frozen=True, slots=True)
class MunicipalityStanding:
    code: str
    name: str
    region: str
    standing: Standing


@dataclass(frozen=True, slots=True)
class AlikeProposals:
    """Changes of one value (or place) that say the same, or nearly the same."""

    kind: str
    value: str | None
    identical: bool
    change_ids: tuple[str, ...]
    municipalities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoundStatus:
    """A round on a given day: every municipality's standing and its changes' states."""

    round_id: str
    title: str
    deadline: dt.date
    closed: bool
    answered_elsewhere: int | None
    today: dt.date
    #: The round's state on `today` (closed once released and past its deadline, too).
    state: RoundState
    #: By region, then name, in Danish alphabetical order.
    municipalities: tuple[MunicipalityStanding, ...]
    #: Number of changes by kind, then decision state; every kind and state is present.
    changes: Mapping[str, Mapping[DecisionState, int]]
    #: The round's files that fail their own schema, so are not counted.
    left_out: tuple[str, ...]
    #: Proposed texts that say the same or nearly the same (review's duplicates), with the
    #: names of the municipalities behind each group.
    alike: tuple[AlikeProposals, ...] = ()

    @property
    def days_to_deadline(self) -> int:
        """Days until the (inclusive) deadline: 0 on its day, negative after it."""
        return (self.deadline - self.today).days

    @property
    def standings(self) -> dict[Standing, int]:
        counts = Counter(m.standing for m in self.municipalities)
        return {standing: counts[standing] for standing in Standing}

    @property
    def regions(self) -> dict[str, dict[Standing, int]]:
        """Standings counted per region, in the order of `municipalities`."""
        return count_by_region(self.municipalities)

    @property
    def by_kind(self) -> dict[str, int]:
        return {kind: sum(states.values()) for kind, states in self.changes.items()}

    @property
    def by_state(self) -> dict[DecisionState, int]:
        return {s: sum(states[s] for states in self.changes.values()) for s in DECISION_STATES}


def round_status(
    snapshot: Snapshot, round_id: str | None, applied_ids: Iterable[str], today: dt.date
) -> RoundStatus:
    """The status of the named round, or of the one open round.

    A proposal file that fails its schema is left out and listed (one broken submission
    must not hide the others); if a file the whole overview rests on is invalid (the
    round, the municipalities, the round's decisions), every figure would be wrong, so
    this refuses with InvalidRegistry.
    """
    round_ = select_round(snapshot, round_id)
    _require_valid(snapshot, MUNICIPALITIES_FILE)
    _require_valid(snapshot, f"registry/rounds/{round_.id}/decisions.yaml")
    municipalities = municipality_standings(snapshot, standings(snapshot, round_))
    changes = {kind: dict.fromkeys(DECISION_STATES, 0) for kind in models.CHANGE_KINDS}
    records = collect_changes(snapshot, round_, applied_ids)
    for record in records:
        changes[record.kind][record.state] += 1
    folder = f"proposals/{round_.id}/"
    left_out = {p.path for p in snapshot.files.values() if p.model is None}
    left_out |= {d.path for d in snapshot.problems}
    return RoundStatus(
        round_id=round_.id,
        title=round_.title,
        deadline=round_.deadline,
        closed=round_.closed,
        answered_elsewhere=round_.answered_elsewhere,
        today=today,
        state=state_of(snapshot, round_, today),
        municipalities=municipalities,
        changes=changes,
        left_out=tuple(sorted(p for p in left_out if p.startswith(folder))),
        alike=_alike(snapshot, records),
    )


def _alike(snapshot: Snapshot, records: Sequence[ChangeRecord]) -> tuple[AlikeProposals, ...]:
    """Review's groups of duplicates and near-duplicates among the changes still open
    (accepted, modified or undecided), with the municipalities' names."""
    from valreg.workflow.review import DEFAULT_SIMILARITY, LIVE_STATES, find_duplicates

    registry = snapshot.registry
    similarity = registry.similarity if registry is not None else DEFAULT_SIMILARITY
    current = {stem: p.model.text for stem, p in snapshot.values.items() if p.model is not None}
    live = [r for r in records if r.state in LIVE_STATES]
    by_id = {r.id: r for r in live}
    found = []
    for d in find_duplicates(live, similarity, current):
        names = []
        for change_id in d.change_ids:
            code = by_id[change_id].municipality
            known = snapshot.municipalities.get(code)
            names.append(known.name if known is not None else code)
        found.append(
            AlikeProposals(d.kind, d.value, d.identical, d.change_ids, tuple(dict.fromkeys(names)))
        )
    return tuple(found)


def municipality_standings(
    snapshot: Snapshot, by_code: Mapping[str, Standing]
) -> tuple[MunicipalityStanding, ...]:
    """The standings of `state.standings` with each municipality's name and region, by
    region, then name, in Danish alphabetical order (status, and the report's and the
    site's figures by region)."""
    known = snapshot.municipalities
    municipalities = [
        MunicipalityStanding(
            code,
            known[code].name if code in known else f"({code})",
            known[code].region if code in known else _UNKNOWN_REGION,
            standing,
        )
        for code, standing in by_code.items()
    ]
    municipalities.sort(key=lambda m: (danish_key(m.region), danish_key(m.name), m.code))
    return tuple(municipalities)


def count_by_region(
    municipalities: Iterable[MunicipalityStanding],
) -> dict[str, dict[Standing, int]]:
    """Standings counted per region (every standing present), in the order met."""
    regions: dict[str, dict[Standing, int]] = {}
    for m in municipalities:
        regions.setdefault(m.region, dict.fromkeys(Standing, 0))[m.standing] += 1
    return regions


def _require_valid(snapshot: Snapshot, path: str) -> None:
    parsed = snapshot.files.get(path)
    if parsed is not None and parsed.model is None:
        raise InvalidRegistry(f"{path} is not valid; run `valreg check`")


# --- rendering ------------------------------------------------------------------------

_Table = tuple[tuple[str, ...], list[tuple[str, ...]]]
_STYLES = {
    Standing.ANSWERED: "green",
    Standing.NO_REMARKS: "cyan",
    Standing.LATE: "yellow",
    Standing.NO_ANSWER: "dim",
}


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _headline(status: RoundStatus) -> str:
    return f"Round {status.round_id} ({status.state}): {status.title}"


def _deadline(status: RoundStatus) -> str:
    days = status.days_to_deadline
    if days > 0:
        when = f"in {_days(days)}"
    elif days == 0:
        when = "today is the last day"
    else:
        when = f"passed {_days(-days)} ago"
    return f"Deadline {status.deadline}: {when} (today is {status.today})."


def _summary(status: RoundStatus) -> str:
    parts = [f"{n} {standing}" for standing, n in status.standings.items()]
    if status.answered_elsewhere is not None:
        parts.append(
            f"{status.answered_elsewhere} answered elsewhere (outside the registry, "
            "not published here)"
        )
    return f"{len(status.municipalities)} municipalities: {'; '.join(parts)}."


def _warning(status: RoundStatus) -> list[str]:
    if not status.left_out:
        return []
    return [
        f"warning: {len(status.left_out)} file(s) of the round fail their schema and are not "
        f"counted: {', '.join(status.left_out)}; run `valreg check`"
    ]


def _municipality_table(status: RoundStatus) -> _Table:
    rows: list[tuple[str, ...]] = [
        (m.region, m.code, m.name, str(m.standing)) for m in status.municipalities
    ]
    return ("region", "code", "municipality", "standing"), rows


def _region_table(status: RoundStatus) -> _Table:
    headers = ("region", *(key.replace("_", " ") for key in STANDING_KEYS.values()), "total")
    rows = [
        (region, *(str(n) for n in counts.values()), str(sum(counts.values())))
        for region, counts in status.regions.items()
    ]
    totals = status.standings.values()
    rows.append(("total", *(str(n) for n in totals), str(len(status.municipalities))))
    return headers, rows


def _change_table(status: RoundStatus) -> _Table:
    rows = [
        (kind, *(str(states[s]) for s in DECISION_STATES), str(status.by_kind[kind]))
        for kind, states in status.changes.items()
    ]
    by_state = status.by_state
    total = sum(by_state.values())
    rows.append(("total", *(str(by_state[s]) for s in DECISION_STATES), str(total)))
    return ("kind", *DECISION_STATES, "total"), rows


def _aligned(table: _Table, *, numeric: bool) -> list[str]:
    """Plain columns; with `numeric`, every column but the first is right-aligned."""
    headers, rows = table
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    return [
        "  ".join(
            cell.rjust(width) if numeric and i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in (headers, *rows)
    ]


def render_text(status: RoundStatus, *, rich: bool) -> str:
    """For people: a rich table for a terminal, else plain aligned text for pipes and grep.

    The summaries come last, where a terminal leaves them in view after the long list.
    """
    if rich:
        return _render_rich(status)
    lines = [_headline(status), _deadline(status), ""]
    lines += [*_aligned(_municipality_table(status), numeric=False), ""]
    lines += [*_aligned(_region_table(status), numeric=True), _summary(status), ""]
    lines += ["Changes by kind and decision state:", *_aligned(_change_table(status), numeric=True)]
    lines += _alike_lines(status, "  ")
    return "\n".join([*lines, *_warning(status)]) + "\n"


def _alike_lines(status: RoundStatus, indent: str) -> list[str]:
    """Who propose the same, or nearly the same (see `valreg review`)."""
    if not status.alike:
        return []
    lines = ["", "Proposals that say the same or nearly the same (see valreg review):"]
    for group in status.alike:
        names = group.municipalities
        who = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]
        how = "the same" if group.identical else "nearly the same"
        where = group.value or "the top of the list"
        lines.append(f"{indent}{group.kind} of {where}: {who} propose {how}")
    return lines


def _render_rich(status: RoundStatus) -> str:
    import io
    from itertools import groupby

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Every cell is Text, not a string: a name with "[" is not rich markup.
    def totals_table(content: _Table, title: str) -> Table:
        headers, rows = content
        result = Table(*headers, title=title, title_justify="left", box=box.SIMPLE_HEAD)
        for column in result.columns[1:]:
            column.justify = "right"
        for i, row in enumerate(rows):  # the last row holds the totals
            result.add_row(
                *map(Text, row),
                style="bold" if i == len(rows) - 1 else None,
                end_section=i == len(rows) - 2,
            )
        return result

    municipalities = Table(*_municipality_table(status)[0], box=box.SIMPLE_HEAD)
    for region, group in groupby(status.municipalities, key=lambda m: m.region):
        members = list(group)
        for i, m in enumerate(members):
            municipalities.add_row(
                Text(region if i == 0 else ""),
                Text(m.code),
                Text(m.name),
                Text(str(m.standing), style=_STYLES[m.standing]),
                end_section=i == len(members) - 1,
            )
    buffer = io.StringIO()
    # Styled as for a terminal; the width is the real terminal's (rich asks the std streams).
    console = Console(file=buffer, force_terminal=True, highlight=False)
    console.print(Text(_headline(status), style="bold"))
    console.print(Text(_deadline(status), style="red" if status.days_to_deadline < 0 else ""))
    console.print(municipalities)
    console.print(totals_table(_region_table(status), "By region"))
    console.print(Text(_summary(status)))
    console.print(totals_table(_change_table(status), "Changes by kind and decision state"))
    for line in _alike_lines(status, "  "):
        console.print(Text(line))
    for line in _warning(status):
        console.print(Text(line, style="bold yellow"))
    return buffer.getvalue()


def _markdown_table(table: _Table, *, numeric: bool) -> list[str]:
    headers, rows = table

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    rule = ["---" if i == 0 or not numeric else "---:" for i in range(len(headers))]
    return [line(headers), "|" + "|".join(rule) + "|", *(line(row) for row in rows)]


def render_markdown(status: RoundStatus) -> str:
    """A markdown document: summaries first, as a reader reads top down."""
    lines = [f"# {_headline(status)}", "", _deadline(status), "", _summary(status), ""]
    lines += [*_warning(status), ""] if status.left_out else []
    lines += ["## By region", "", *_markdown_table(_region_table(status), numeric=True), ""]
    lines += ["## Changes", "", *_markdown_table(_change_table(status), numeric=True), ""]
    lines += ["## Municipalities", "", *_markdown_table(_municipality_table(status), numeric=False)]
    alike = _alike_lines(status, "- ")
    if alike:
        lines += ["", f"## {alike[1].removesuffix(':')}", "", *alike[2:]]
    return "\n".join(lines) + "\n"


def render_json(status: RoundStatus) -> str:
    """The stable JSON shape described at the top of this module."""

    def keyed(counts: Mapping[Standing, int]) -> dict[str, int]:
        return {STANDING_KEYS[standing]: n for standing, n in counts.items()}

    data = {
        "version": 1,
        "round": {
            "id": status.round_id,
            "title": status.title,
            "deadline": status.deadline.isoformat(),
            "closed": status.closed,
            "answered_elsewhere": status.answered_elsewhere,
            "state": str(status.state),
        },
        "today": status.today.isoformat(),
        "days_to_deadline": status.days_to_deadline,
        "standings": keyed(status.standings),
        "regions": [
            {"region": region, **keyed(counts), "total": sum(counts.values())}
            for region, counts in status.regions.items()
        ],
        "municipalities": [
            {
                "code": m.code,
                "name": m.name,
                "region": m.region,
                "standing": STANDING_KEYS[m.standing],
            }
            for m in status.municipalities
        ],
        "changes": {
            "total": sum(status.by_kind.values()),
            "by_kind": status.by_kind,
            "by_state": status.by_state,
            "by_kind_and_state": status.changes,
        },
        "left_out": list(status.left_out),
        "alike": [
            {
                "kind": g.kind,
                "value": g.value,
                "identical": g.identical,
                "changes": list(g.change_ids),
                "municipalities": list(g.municipalities),
            }
            for g in status.alike
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def missing(status: RoundStatus) -> tuple[MunicipalityStanding, ...]:
    """The municipalities with no proposal file in the round (a late answer and one with
    no remarks count as answered)."""
    return tuple(m for m in status.municipalities if m.standing is Standing.NO_ANSWER)


def render_csv(rows: Sequence[MunicipalityStanding]) -> str:
    """One row per municipality, with a header row, for a spreadsheet or a mail merge."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "region", "standing"])
    for m in rows:
        writer.writerow([m.code, m.name, m.region, STANDING_KEYS[m.standing]])
    return out.getvalue()


def render_missing(status: RoundStatus, fmt: str) -> str:
    """`valreg status --missing`: only the municipalities that have not answered."""
    rows = missing(status)
    if fmt == "csv":
        return render_csv(rows)
    if fmt == "json":
        data = {
            "version": 1,
            "round": status.round_id,
            "today": status.today.isoformat(),
            "days_to_deadline": status.days_to_deadline,
            "missing": [{"code": m.code, "name": m.name, "region": m.region} for m in rows],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    table: _Table = (("code", "municipality", "region"), [(m.code, m.name, m.region) for m in rows])
    heading = (
        f"{len(rows)} of {len(status.municipalities)} municipalities have not answered "
        f"round {status.round_id}"
    )
    if fmt == "md":
        return "\n".join([f"# {heading}", "", *_markdown_table(table, numeric=False)]) + "\n"
    return "\n".join([f"{heading}:", *_aligned(table, numeric=False)]) + "\n"
