"""`valreg decide`: record editors' decisions in the round's decisions.yaml.

One decision on the changes named on the command line, or many at once from a sheet
(`--from FILE`, a CSV that editors prepare in a spreadsheet; see `sheet`). The file is
edited round-trip (comments, order and quoting kept) and written atomically; the result
is read back by the safe reader before it replaces the file. A sheet is all or nothing:
every row is checked first, and one bad row refuses the whole sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valreg import _git
from valreg.errors import Refused, UsageError
from valreg.registry import models
from valreg.registry.diagnostics import close_match
from valreg.registry.models import ALLOWED_DECISIONS, DECISIONS
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot, load_snapshot
from valreg.registry.yamlio import (
    EditableYaml,
    dump_yaml,
    edit_yaml,
    round_trip_yaml,
    safe_scalar,
    set_field,
)
from valreg.transaction import Journal, recover, registry_lock
from valreg.workflow.sheet import SheetRow, read_sheet
from valreg.workflow.state import ChangeRecord, base_version, collect_changes, stale_values

#: Decisions that create the value an add proposes, and so may name it (`--id`).
CREATING = ("accept", "modify")


@dataclass(frozen=True, slots=True)
class Ruling:
    """One decision to record: on which change, what, and with which reason, text and id."""

    change_id: str
    decision: str
    reason: str | None = None
    text: str | None = None
    value_id: str | None = None
    #: The other changes of a combined text (`--combine`).
    combined_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decided:
    change_id: str
    decision: str
    replaced: str | None  # the earlier decision this one replaces
    #: An accepted or modified change written against an older text of a value: the
    #: release it was based on and the values whose text changed since (apply's "stale").
    stale_since: str | None = None
    stale_values: tuple[str, ...] = ()
    kind: str = ""


def decisions_path(round_id: str) -> str:
    return f"registry/rounds/{round_id}/decisions.yaml"


def decide(
    root: Path,
    change_ids: Sequence[str],
    decision: str,
    *,
    reason: str | None = None,
    text: str | None = None,
    value_id: str | None = None,
    combine: bool = False,
    editor: str | None = None,
    today: dt.date,
) -> list[Decided]:
    """Record one decision for each change; returns what was recorded and what it replaced.
    With `combine`, the changes are amendments of one value whose edits touch different
    words: each is decided `modify` with the text that has all their edits (see
    `workflow.combine`), naming the others."""
    if combine:
        return _decide_combined(
            root,
            change_ids,
            decision,
            reason=reason,
            text=text,
            value_id=value_id,
            editor=editor,
            today=today,
        )
    if decision not in DECISIONS:
        raise UsageError(f"decision must be one of {', '.join(DECISIONS)}, not '{decision}'")
    reason = _blank_to_none(reason)
    text = _blank_to_none(text)
    value_id = _blank_to_none(value_id)
    if decision != "accept" and reason is None:
        raise UsageError(f"'{decision}' needs --reason: say why, for the consultation report")
    if decision == "modify" and text is None:
        raise UsageError("'modify' needs --text with the final text of the value")
    if decision != "modify" and text is not None:
        raise UsageError("--text belongs to 'modify' only")
    if value_id is not None:
        if decision not in CREATING:
            raise UsageError("--id names the value an add creates: accept or modify only")
        if len(set(change_ids)) > 1:
            raise UsageError("--id names one new value: decide one change with it")
        problem = _id_form(value_id)
        if problem is not None:
            raise UsageError(f"--id: {problem}")
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        editor = _editor(root, snapshot, editor)
        records = _all_changes(snapshot)
        chosen: list[tuple[ChangeRecord, Ruling]] = []
        for change_id in dict.fromkeys(change_ids):
            record = records.get(change_id)
            if record is None:
                raise UsageError(_unknown(change_id, list(records)))
            problem = _misfit(record, decision)
            if problem is not None:
                raise Refused(problem)
            ruling = Ruling(change_id, decision, reason, text, value_id)
            if value_id is not None:
                given = _ids_given(snapshot, {change_id: value_id})
                problem = _id_problem(snapshot, record, value_id, given)
                if problem is not None:
                    raise Refused(problem)
            chosen.append((record, ruling))
        return _record(root, snapshot, chosen, editor, today)


def _decide_combined(
    root: Path,
    change_ids: Sequence[str],
    decision: str,
    *,
    reason: str | None,
    text: str | None,
    value_id: str | None,
    editor: str | None,
    today: dt.date,
) -> list[Decided]:
    from valreg.workflow.combine import combine as combine_texts

    if decision != "modify":
        raise UsageError(
            f"--combine records one text for several changes: 'modify', not '{decision}'"
        )
    if _blank_to_none(text) is not None:
        raise UsageError("--combine makes the text from the amendments; leave out --text")
    if value_id is not None:
        raise UsageError("--combine combines amendments of an existing value; --id is for adds")
    ids = list(dict.fromkeys(change_ids))
    if len(ids) < 2:
        raise UsageError("--combine needs two or more amendments of one value")
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        editor = _editor(root, snapshot, editor)
        records = _all_changes(snapshot)
        chosen = []
        for change_id in ids:
            record = records.get(change_id)
            if record is None:
                raise UsageError(_unknown(change_id, list(records)))
            if not isinstance(record.change, models.Amend):
                raise Refused(
                    f"{change_id} is {_article(record.kind)} {record.kind} change; --combine "
                    "combines amendments (amend) of one value"
                )
            chosen.append(record)
        values = {r.change.value for r in chosen if isinstance(r.change, models.Amend)}
        if len(values) > 1:
            raise Refused(
                f"the changes amend different values ({', '.join(sorted(values))}); "
                "--combine combines amendments of one value"
            )
        (value,) = values
        parsed = snapshot.values.get(value)
        if parsed is None or parsed.model is None or parsed.model.status != "active":
            raise Refused(f"value '{value}' is not an active value of the work tree")
        for record in chosen:
            round_ = _round_of(snapshot, record)
            stale = stale_values(snapshot, record, round_) if round_ is not None else []
            if stale:
                raise Refused(
                    f"{record.id} was written against an older text of '{value}'; it cannot be "
                    "combined with the current one: decide 'modify' with --text instead"
                )
        amendments = [(r.id, r.change.text) for r in chosen if isinstance(r.change, models.Amend)]
        combination = combine_texts(parsed.model.text, amendments)
        if combination is None or set(combination.members) != set(ids):
            raise Refused(_no_combination(parsed.model.text, amendments))
        said = _blank_to_none(reason) or _combined_reason(snapshot, chosen)
        rulings = [
            (
                r,
                Ruling(
                    r.id, "modify", said, combination.text, None, tuple(i for i in ids if i != r.id)
                ),
            )
            for r in chosen
        ]
        return _record(root, snapshot, rulings, editor, today)


def _round_of(snapshot: Snapshot, record: ChangeRecord) -> models.Round | None:
    parsed = snapshot.rounds.get(record.proposal.folder)
    return parsed.model if parsed is not None else None


def _no_combination(base: str, amendments: Sequence[tuple[str, str]]) -> str:
    """Why amendments do not combine: the first two that collide, with the words."""
    from itertools import combinations

    from valreg.workflow.combine import merge3

    for (a, text_a), (b, text_b) in combinations(amendments, 2):
        merged = merge3(base, text_a, text_b)
        if isinstance(merged, list):
            c = merged[0]
            where = (
                f"'{c.base.strip()}' becomes '{c.ours.strip()}' and '{c.theirs.strip()}'"
                if c.base.strip()
                else f"both insert at one place: '{c.ours.strip()}' and '{c.theirs.strip()}'"
            )
            return (
                f"{a} and {b} change the same words ({where}); leave one out, or decide "
                "'modify' with --text"
            )
    return (
        f"{_listing([key for key, _ in amendments])} cannot be combined in one text; see "
        "`valreg review`, or decide 'modify' with --text"
    )


def _listing(items: Sequence[str]) -> str:
    return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _combined_reason(snapshot: Snapshot, records: Sequence[ChangeRecord]) -> str:
    """The published reason of a combined text, in the registry's language."""
    names = []
    for record in records:
        municipality = snapshot.municipalities.get(record.municipality)
        name = municipality.name if municipality is not None else record.municipality
        if name not in names:
            names.append(name)
    registry = snapshot.registry
    if registry is not None and registry.language == "da":
        listed = f"{', '.join(names[:-1])} og {names[-1]}" if len(names) > 1 else names[0]
        return f"Forslagene fra {listed} er samlet i én formulering, som rummer dem alle."
    return f"The amendments of {_listing(names)} are combined in one text that has them all."


def decide_from_sheet(
    root: Path, path: Path, *, editor: str | None = None, today: dt.date
) -> list[Decided]:
    """Record every decision of a sheet (a CSV with a header row: change, decision,
    reason, text and, optionally, id), or none: any bad row refuses them all, every bad
    row listed as `FILE:LINE: message`."""
    name = str(path)
    rows, problems = read_sheet(path.read_bytes())
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        editor = _editor(root, snapshot, editor)
        records = _all_changes(snapshot)
        if not problems:
            problems = list(_row_problems(snapshot, records, rows))
        if problems:
            listing = "\n".join(f"{name}:{line}: {message}" for line, message in problems)
            bad = len({line for line, _ in problems})
            raise Refused(
                f"{name}: {bad} row{'s' if bad != 1 else ''} cannot be decided; nothing was "
                f"written (fix them and run again):\n{listing}"
            )
        if not rows:
            raise Refused(f"{name}: no decisions in it, only a header row")
        chosen = [(records[row.change], _ruling(row)) for row in rows]
        return _record(root, snapshot, chosen, editor, today)


def _ruling(row: SheetRow) -> Ruling:
    return Ruling(row.change, row.decision.lower(), row.reason, row.text, row.value_id)


def _row_problems(
    snapshot: Snapshot, records: Mapping[str, ChangeRecord], rows: Sequence[SheetRow]
) -> Iterable[tuple[int, str]]:
    """(line, message) for every problem of every row, in row order."""
    first_line: dict[str, int] = {}
    given = _ids_given(snapshot, {r.change: r.value_id for r in rows if r.value_id})
    for row in rows:
        record = records.get(row.change)
        if not row.change:
            yield row.line, "no change id; the column 'change' holds ids like " + _example(records)
        elif record is None:
            yield row.line, _unknown(row.change, list(records))
        elif row.change in first_line:
            yield row.line, f"{row.change} is decided on line {first_line[row.change]} already"
        first_line.setdefault(row.change, row.line)
        decision = row.decision.lower()
        if decision not in DECISIONS:
            yield row.line, _bad_word(row.decision)
            continue
        found = list(_field_problems(row, decision))
        if record is not None:
            found += [
                problem
                for problem in (
                    _misfit(record, decision),
                    _id_problem(snapshot, record, row.value_id, given) if row.value_id else None,
                )
                if problem is not None
            ]
            if not found:  # what the safe reader says of the texts (length, characters)
                found += filter(None, [_entry_problem(record, _ruling(row))])
        yield from ((row.line, problem) for problem in found)


def _field_problems(row: SheetRow, decision: str) -> Iterable[str]:
    """What a row's reason, text and id say against its decision (as single decide does)."""
    if decision != "accept" and row.reason is None:
        yield f"'{decision}' needs a reason (column 'reason'): say why, for the report"
    if decision == "modify" and row.text is None:
        yield "'modify' needs the final text of the value (column 'text')"
    if decision != "modify" and row.text is not None:
        yield (
            "a text belongs to 'modify' only; empty the cell, or decide 'modify' if the "
            "value should get this text instead of the proposed one"
        )
    if row.value_id is not None:
        if decision not in CREATING:
            yield "an id names the value an add creates: accept or modify only"
        problem = _id_form(row.value_id)
        if problem is not None:
            yield problem


#: Decision words as Danish editors may write them, and the word valreg takes.
_DANISH_WORDS = {
    "godkend": "accept",
    "godkendt": "accept",
    "godkendes": "accept",
    "accepter": "accept",
    "accepteret": "accept",
    "afvis": "reject",
    "afvist": "reject",
    "afvises": "reject",
    "ændr": "modify",
    "ændret": "modify",
    "ændres": "modify",
    "tilpas": "modify",
    "tilpasset": "modify",
    "noter": "note",
    "noteret": "note",
    "noteres": "note",
    "til efterretning": "note",
    "taget til efterretning": "note",
}


def _bad_word(word: str) -> str:
    words = ", ".join(DECISIONS[:-1]) + f" or {DECISIONS[-1]}"
    if not word:
        return f"no decision; the column 'decision' takes {words}"
    english = _DANISH_WORDS.get(word.lower())
    if english is not None:
        return f"decision '{word}' is not one valreg knows; write {words} (in English: '{english}')"
    match = close_match(word.lower(), DECISIONS)
    hint = f"did you mean '{match}'? " if match is not None else ""
    return f"decision '{word}' is not one valreg knows; {hint}write {words}"


def _misfit(record: ChangeRecord, decision: str) -> str | None:
    """Why a change cannot take a decision (its kind), or None."""
    if decision in ALLOWED_DECISIONS[record.kind]:
        return None
    return (
        f"{record.id} is a change of kind '{record.kind}'; it can be decided "
        f"{' or '.join(ALLOWED_DECISIONS[record.kind])}, not '{decision}'"
    )


def _id_form(value_id: str) -> str | None:
    """Why a text cannot be a value's id, or None."""
    if re.fullmatch(models.SLUG, value_id):
        return None
    suggestion = models.slugify(value_id)
    like = f", e.g. '{suggestion}'" if suggestion else ""
    return f"id '{value_id}' is not a value id: lowercase a-z, 0-9 and '-'{like}"


def _ids_given(snapshot: Snapshot, planned: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Every value id that decisions give, with the changes that give it: those recorded
    in any round (unless `planned` decides that change again) and those planned."""
    given: dict[str, list[str]] = {}
    for parsed in snapshot.valid("decisions"):
        for decision in parsed.model:
            if decision.id is not None and decision.change not in planned:
                given.setdefault(decision.id, []).append(decision.change)
    for change_id, value_id in planned.items():
        if value_id is not None:
            given.setdefault(value_id, []).append(change_id)
    return given


def _id_problem(
    snapshot: Snapshot, record: ChangeRecord, value_id: str, given: Mapping[str, list[str]]
) -> str | None:
    """Why an add cannot create a value of this id (D607–D609 at decide time), or None."""
    if record.kind != "add":
        return (
            f"an id names the value an add creates; {record.id} is a change of kind "
            f"'{record.kind}', which creates none"
        )
    kept = record.decision is not None and record.decision.id == value_id  # decided again
    if value_id in snapshot.values and not kept:
        return (
            f"id '{value_id}' is taken: there is a value of that id (values/{value_id}.yaml); "
            "ids are never reused, choose another"
        )
    others = [c for c in given.get(value_id, ()) if c != record.id]
    if others:
        return f"id '{value_id}' is given to the value of {others[0]} too; choose another"
    return None


def _entry_problem(record: ChangeRecord, ruling: Ruling) -> str | None:
    """What the safe reader would say against this decision as written (a text too long,
    a control character), or None."""
    entry = _entry(record, ruling, "kl-redaktion", dt.date(2000, 1, 1))
    content = dump_yaml([{k: v for k, v in entry.items() if v is not None}], sequence=2, offset=0)
    parsed = parse_file(decisions_path(record.proposal.folder), content.encode("utf-8"))
    if not parsed.diagnostics:
        return None
    first = parsed.diagnostics[0]
    return f"{first.code} {first.message}"


def _entry(record: ChangeRecord, ruling: Ruling, editor: str, today: dt.date) -> dict[str, Any]:
    return {
        "change": record.id,
        "change_sha256": record.digest,
        "decision": ruling.decision,
        "id": ruling.value_id,
        "text": ruling.text,
        "reason": ruling.reason,
        "date": today,
        "editor": editor,
        "combined_with": list(ruling.combined_with) or None,
    }


def _record(
    root: Path,
    snapshot: Snapshot,
    chosen: Sequence[tuple[ChangeRecord, Ruling]],
    editor: str,
    today: dt.date,
) -> list[Decided]:
    """Write the decisions, each round's file once, all or none (with the lock held)."""
    by_round: dict[str, list[tuple[ChangeRecord, Ruling]]] = {}
    for record, ruling in chosen:
        by_round.setdefault(record.proposal.folder, []).append((record, ruling))
    results: list[Decided] = []
    planned: dict[str, bytes] = {}
    for round_id, pairs in by_round.items():
        content, replaced = _edit(
            root / decisions_path(round_id),
            [_entry(record, ruling, editor, today) for record, ruling in pairs],
        )
        parsed = parse_file(decisions_path(round_id), content)
        if parsed.diagnostics:
            first = parsed.diagnostics[0]
            raise Refused(f"the decision would not be valid: {first.code} {first.message}")
        planned[decisions_path(round_id)] = content
        for (record, ruling), before in zip(pairs, replaced, strict=True):
            results.append(_decided(snapshot, record, ruling.decision, before))
    # Several rounds' files at once: a journal, so that a kill leaves all or none.
    journal = Journal(root, list(planned))
    journal.begin()
    journal.write(planned)
    journal.end()
    return results


def _decided(
    snapshot: Snapshot, record: ChangeRecord, decision: str, replaced: str | None
) -> Decided:
    """What was recorded, with apply's staleness of an accepted or modified change."""
    round_parsed = snapshot.rounds.get(record.proposal.folder)
    round_ = round_parsed.model if round_parsed is not None else None
    stale: list[str] = []
    if decision in CREATING and round_ is not None:
        stale = stale_values(snapshot, record, round_)
    since = base_version(record, round_) if stale and round_ is not None else None
    return Decided(record.id, decision, replaced, since, tuple(stale), record.kind)


def _editor(root: Path, snapshot: Snapshot, editor: str | None) -> str:
    """Who decides: --editor, else `git config valreg.editor`; one of registry.yaml's."""
    registry = snapshot.registry
    if registry is None:
        raise Refused("registry/registry.yaml is missing or invalid; run valreg check")
    editor = editor or _git.config_value(root, "valreg.editor")
    if editor is None:
        raise UsageError(
            "who decides? pass --editor LOGIN or set it once with `git config valreg.editor LOGIN`"
        )
    if editor not in registry.editors:
        raise Refused(
            f"'{editor}' is not an editor of this registry; editors: "
            f"{', '.join(registry.editors) or 'none (add them to registry/registry.yaml)'}"
        )
    return editor


def _all_changes(snapshot: Snapshot) -> dict[str, ChangeRecord]:
    """Every change of every round, by global id."""
    records = {}
    for parsed in snapshot.rounds.values():
        if parsed.model is not None:
            records.update({r.id: r for r in collect_changes(snapshot, parsed.model)})
    return records


def _blank_to_none(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def _example(known: Iterable[str]) -> str:
    return ", ".join(sorted(known)[:3]) or "<round>/<file name>#<id>"


def _unknown(change_id: str, known: list[str]) -> str:
    match = close_match(change_id, known)
    if match is not None:
        return f"no change '{change_id}'; did you mean '{match}'?"
    sample = ", ".join(sorted(known)[:8]) or "none"
    return f"no change '{change_id}'; change ids look like <round>/<file name>#<id>, e.g. {sample}"


_KEY_ORDER = (
    "change",
    "change_sha256",
    "decision",
    "id",
    "text",
    "reason",
    "date",
    "editor",
    "combined_with",
)


def _edit(path: Path, entries: list[dict[str, Any]]) -> tuple[bytes, list[str | None]]:
    """decisions.yaml with each entry added, or replacing the one for the same change;
    with, for each entry, the decision it replaced."""
    from ruamel.yaml.comments import CommentedSeq

    if path.exists():
        document = edit_yaml(path.read_bytes())
    else:
        document = EditableYaml(None, round_trip_yaml(sequence=2, offset=0), "\n", False)
    if not isinstance(document.data, CommentedSeq):  # a new or empty file
        document.data = CommentedSeq()
        document.data.yaml_set_start_comment(
            f"Decisions of the editors on round {path.parent.name}'s changes "
            "(written by valreg decide)."
        )
    items = document.data
    items.fa.set_block_style()
    replaced: list[str | None] = []
    for entry in entries:
        # A date is written as a plain ISO date, the way people write it in these files.
        fields = {k: _field_value(v) for k, v in entry.items() if v is not None}
        existing = next((item for item in items if item.get("change") == entry["change"]), None)
        if existing is None:
            items.append(_mapping(fields))
            replaced.append(None)
            continue
        before = str(existing.get("decision"))
        for key in _KEY_ORDER:
            if key in fields:
                set_field(existing, key, fields[key], _KEY_ORDER)
            elif key in existing:
                del existing[key]
        replaced.append(before)
    return document.dump(), replaced


def _field_value(value: Any) -> Any:
    """A field as written: a date as a plain ISO date, the way people write it in these
    files; a list (combined_with) in block style."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(value, dt.date):
        return value
    if isinstance(value, list):
        items = CommentedSeq(safe_scalar(v) for v in value)
        items.fa.set_block_style()
        return items
    return safe_scalar(value)


def _mapping(fields: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key in _KEY_ORDER:
        if key in fields:
            mapping[key] = fields[key]
    return mapping
