"""Rounds: their state on a given day, and the commands that write them (`valreg round`).

`round_state` is the one answer to "is this round open?" for everything that shows a
round (`round list`, `status`, the report, the site): a round is *closed* when its file
says so, or when its deadline has passed and a release includes its decisions (the
round's work is done and published, whether or not anyone set `closed`); otherwise it
is *planned* before it opens, *open* until its deadline and *past deadline* after it.

`open_round`, `extend_round` and `close_round` write `registry/rounds/<id>/round.yaml`
(new, or edited round-trip so its comments and order are kept) under the registry's
lock and journal, and make one commit of just those files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from valreg import _git
from valreg.errors import InvalidRegistry, Refused
from valreg.registry import models
from valreg.registry.diagnostics import close_match
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot, load_snapshot
from valreg.registry.yamlio import dump_yaml, edit_yaml, set_field
from valreg.transaction import commit_files, recover, registry_lock
from valreg.workflow.state import Standing, standings


class RoundState(StrEnum):
    """Where a round stands on a given day."""

    PLANNED = "planned"
    OPEN = "open"
    PAST_DEADLINE = "past deadline"
    CLOSED = "closed"


def released_rounds(snapshot: Snapshot) -> frozenset[str]:
    """The rounds whose decisions a release includes (its manifest's `rounds`)."""
    return frozenset(
        round_id for parsed in snapshot.valid("release") for round_id in parsed.model.rounds
    )


def round_state(round_: models.Round, today: dt.date, *, released: bool = False) -> RoundState:
    """The round's state on `today`; `released`: a release includes its decisions."""
    if round_.closed:
        return RoundState.CLOSED
    if today > round_.deadline:
        return RoundState.CLOSED if released else RoundState.PAST_DEADLINE
    if round_.opens is not None and today < round_.opens:
        return RoundState.PLANNED
    return RoundState.OPEN


def state_of(snapshot: Snapshot, round_: models.Round, today: dt.date) -> RoundState:
    """`round_state` with what the snapshot's releases say about the round."""
    return round_state(round_, today, released=round_.id in released_rounds(snapshot))


# --- round list ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """One line of `valreg round list`."""

    id: str
    title: str
    base: str | None
    opens: dt.date | None
    deadline: dt.date
    state: RoundState
    #: Days until the (inclusive) deadline: 0 on its day, negative after it.
    days_left: int
    #: Municipalities with a proposal file in the round (late and no remarks included).
    answered: int
    municipalities: int
    answered_elsewhere: int | None


def list_rounds(snapshot: Snapshot, today: dt.date) -> list[RoundSummary]:
    """Every valid round, oldest first (by opening day, else deadline, then id)."""
    released = released_rounds(snapshot)
    rounds: list[models.Round] = [p.model for p in snapshot.valid("round")]
    rounds.sort(key=lambda r: (r.opens or r.deadline, r.deadline, r.id))
    summaries = []
    for round_ in rounds:
        standing = standings(snapshot, round_)
        summaries.append(
            RoundSummary(
                id=round_.id,
                title=round_.title,
                base=round_.base,
                opens=round_.opens,
                deadline=round_.deadline,
                state=round_state(round_, today, released=round_.id in released),
                days_left=(round_.deadline - today).days,
                answered=sum(s is not Standing.NO_ANSWER for s in standing.values()),
                municipalities=len(standing),
                answered_elsewhere=round_.answered_elsewhere,
            )
        )
    return summaries


def _days_left(summary: RoundSummary) -> str:
    if summary.state is RoundState.CLOSED:
        return "-"
    if summary.days_left < 0:
        return "passed"
    return "today" if summary.days_left == 0 else str(summary.days_left)


def render_list_text(summaries: Sequence[RoundSummary]) -> str:
    """An aligned table: id, title, base, opens, deadline, days left, answers, state."""
    if not summaries:
        return "no rounds yet; open one with `valreg round open ID --deadline DATE`\n"
    header = ("id", "title", "base", "opens", "deadline", "days left", "answers", "state")
    rows = [header]
    for s in summaries:
        answers = f"{s.answered}/{s.municipalities}"
        if s.answered_elsewhere is not None:
            answers += f" (+{s.answered_elsewhere} elsewhere)"
        title = s.title if len(s.title) <= 40 else s.title[:39] + "…"
        opens = s.opens.isoformat() if s.opens else "-"
        deadline = s.deadline.isoformat()
        rows.append(
            (s.id, title, s.base or "-", opens, deadline, _days_left(s), answers, str(s.state))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_list_json(summaries: Sequence[RoundSummary], today: dt.date) -> str:
    """The stable JSON shape (`version` 1): {"version", "today", "rounds": [{"id", "title",
    "base", "opens", "deadline", "days_left", "answered", "municipalities",
    "answered_elsewhere", "state"}]}; dates ISO, absent ones null."""
    payload = {
        "version": 1,
        "today": today.isoformat(),
        "rounds": [
            {
                "id": s.id,
                "title": s.title,
                "base": s.base,
                "opens": s.opens.isoformat() if s.opens else None,
                "deadline": s.deadline.isoformat(),
                "days_left": s.days_left,
                "answered": s.answered,
                "municipalities": s.municipalities,
                "answered_elsewhere": s.answered_elsewhere,
                "state": str(s.state),
            }
            for s in summaries
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# --- writing ------------------------------------------------------------------------------


def round_path(round_id: str) -> str:
    return f"registry/rounds/{round_id}/round.yaml"


@dataclass(frozen=True, slots=True)
class RoundWritten:
    """What a `round` command wrote and committed."""

    round_id: str
    commit: str
    paths: tuple[str, ...]
    message: str


#: Files written beside a new round.yaml (the letter, the proposal folder's README), by
#: path, made from the registry and the new round: publishing's, passed in by the caller.
Documents = Callable[[Snapshot, models.Round], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class RoundSpec:
    """What `round open` is asked to open."""

    id: str
    deadline: dt.date
    base: str | None = None
    opens: dt.date | None = None
    title: str | None = None
    questions: tuple[str, ...] = ()
    #: Enter a historical round: a deadline in the past is allowed.
    record: bool = False


def open_round(
    root: Path, spec: RoundSpec, *, today: dt.date, documents: Documents | None = None
) -> RoundWritten:
    """Write a new round.yaml (and the `documents`) and commit them; refuses an id that
    exists or is malformed, a deadline not after the opening day or (unless
    `spec.record`) in the past, an unknown base, and a round with nothing to answer."""
    if not re.fullmatch(models.ROUND_ID, spec.id):
        raise Refused(
            f"round id '{spec.id}' is malformed; use lowercase a-z, 0-9 and '-', e.g. 2020-1"
        )
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        if snapshot.registry is None:
            raise InvalidRegistry("registry/registry.yaml is missing or invalid; run valreg check")
        _refuse_existing(root, snapshot, spec.id)
        opens = spec.opens or today
        _refuse_dates(spec, opens, today)
        _refuse_base(snapshot, spec)
        text = render_round(spec, opens, today)
        parsed = parse_file(round_path(spec.id), text.encode("utf-8"))
        if parsed.diagnostics:
            first = parsed.diagnostics[0]
            raise Refused(f"the round would not be valid: {first.code} {first.message}")
        files = {round_path(spec.id): text}
        if documents is not None:
            files.update(documents(snapshot, parsed.model))
        message = (
            f"Open round {spec.id}: {parsed.model.title}\n\n"
            f"Deadline {spec.deadline.isoformat()}"
            + (f", base release {spec.base}" if spec.base else "")
            + (f", {len(spec.questions)} question(s)" if spec.questions else "")
            + f". Written by valreg round open: {', '.join(files)}.\n"
        )
        return _commit(root, spec.id, {p: t.encode("utf-8") for p, t in files.items()}, message)


def _refuse_existing(root: Path, snapshot: Snapshot, round_id: str) -> None:
    """A round's id is taken once its folder or its proposal folder holds a file."""
    for folder in (f"registry/rounds/{round_id}", f"proposals/{round_id}"):
        path = root / folder
        if path.is_symlink() or path.is_file() or (path.is_dir() and any(path.iterdir())):
            rounds = ", ".join(sorted(snapshot.rounds)) or "none"
            raise Refused(
                f"round {round_id} exists already ({folder}/ is taken); rounds: {rounds}; "
                "choose a new id, or use `valreg round extend` or `round close` on it"
            )


def _refuse_dates(spec: RoundSpec, opens: dt.date, today: dt.date) -> None:
    if spec.deadline <= opens:
        raise Refused(
            f"the deadline {spec.deadline} is not after the round opens ({opens}); give a "
            "later --deadline (or an earlier --opens)"
        )
    if spec.deadline < today and not spec.record:
        raise Refused(
            f"the deadline {spec.deadline} has passed (today is {today}); to enter a "
            "historical round, pass --record"
        )


def _refuse_base(snapshot: Snapshot, spec: RoundSpec) -> None:
    blank = [i for i, q in enumerate(spec.questions, start=1) if not q.strip()]
    if blank:
        raise Refused(f"--question number {blank[0]} is blank; write the question, or leave it out")
    if spec.base is None:
        if not spec.questions:
            raise Refused(
                "the round has nothing to answer: give --base VERSION (the release sent out "
                "for comments) or at least one --question"
            )
        return
    releases = sorted((p.model.version for p in snapshot.valid("release")), key=models.version_key)
    if spec.base not in releases:
        match = close_match(spec.base, releases)
        hint = f"did you mean {match}? " if match else ""
        raise Refused(
            f"--base {spec.base} is not a release; {hint}releases: {', '.join(releases) or 'none'}"
        )


def _field(key: str, value: object) -> str:
    return dump_yaml({key: value}).rstrip("\n")


def render_round(spec: RoundSpec, opens: dt.date, today: dt.date) -> str:
    """The new round.yaml: every field with a comment saying what it is for."""
    title = spec.title or (
        f"Høring over udgave {spec.base}" if spec.base else f"Høringsrunde {spec.id}"
    )
    lines = [
        f"# Consultation round {spec.id}, opened with `valreg round open` on {today}.",
        "# letter.md beside this file is the letter (høringsbrev) `valreg letter` renders;",
        "# `valreg round extend` moves the deadline and `valreg round close` closes the round.",
        "# The round's id: the same as its folder and as the folder of its proposals.",
        _field("id", spec.id),
        "# The round's public title (in the registry's language).",
        _field("title", title),
    ]
    if spec.base is not None:
        lines += ["# The release sent out for comments.", _field("base", spec.base)]
    lines += [
        "# The first day of the round.",
        _field("opens", opens),
        "# The last day for answers, inclusive (Europe/Copenhagen).",
        _field("deadline", spec.deadline),
        "# true once the round takes no new proposals.",
        _field("closed", False),
    ]
    if spec.questions:
        questions = [{"id": f"q{i}", "text": q} for i, q in enumerate(spec.questions, start=1)]
        lines += [
            "# The questions the municipalities answer (answers name a question by its id).",
            dump_yaml({"questions": questions}, sequence=4, offset=2).rstrip("\n"),
        ]
    return "\n".join(lines) + "\n"


def _valid_round(snapshot: Snapshot, round_id: str) -> models.Round:
    parsed = snapshot.rounds.get(round_id)
    if parsed is None:
        match = close_match(round_id, snapshot.rounds)
        hint = f"did you mean {match}? " if match else ""
        raise Refused(
            f"round '{round_id}' does not exist; {hint}rounds: "
            f"{', '.join(sorted(snapshot.rounds)) or 'none'}"
        )
    if parsed.model is None:
        raise InvalidRegistry(f"{round_path(round_id)} is not valid; run valreg check")
    model: models.Round = parsed.model
    return model


def extend_round(
    root: Path, round_id: str, deadline: dt.date, *, today: dt.date, record: bool = False
) -> RoundWritten:
    """Move an open round's deadline later; refuses a closed round, a deadline not after
    the current one and (unless `record`) one in the past."""
    with registry_lock(root):
        recover(root)
        round_ = _valid_round(load_snapshot(root), round_id)
        if round_.closed:
            raise Refused(f"round {round_id} is closed; a closed round's deadline stays")
        if deadline <= round_.deadline:
            raise Refused(
                f"the new deadline {deadline} is not after the current one "
                f"({round_.deadline}); `round extend` only moves a deadline later"
            )
        if deadline < today and not record:
            raise Refused(f"the deadline {deadline} has passed (today is {today})")
        content = _edited(root, round_id, "deadline", deadline)
        message = (
            f"Extend round {round_id}'s deadline to {deadline}\n\n"
            f"The deadline was {round_.deadline}. Written by valreg round extend.\n"
        )
        return _commit(root, round_id, {round_path(round_id): content}, message)


def close_round(root: Path, round_id: str) -> RoundWritten:
    """Close a round: it takes no new proposals (`closed: true`)."""
    with registry_lock(root):
        recover(root)
        round_ = _valid_round(load_snapshot(root), round_id)
        if round_.closed:
            raise Refused(f"round {round_id} is closed already")
        content = _edited(root, round_id, "closed", True)
        message = (
            f"Close round {round_id}\n\nThe round takes no new proposals. "
            "Written by valreg round close.\n"
        )
        return _commit(root, round_id, {round_path(round_id): content}, message)


def _edited(root: Path, round_id: str, key: str, value: object) -> bytes:
    """round.yaml with one field set, everything else (comments, order, quoting) kept."""
    path = round_path(round_id)
    if _git.changed_paths(root, [path]):
        raise Refused(f"{path} has uncommitted changes; commit or discard them first")
    document = edit_yaml((root / path).read_bytes())
    set_field(document.data, key, value, tuple(models.Round.model_fields))
    content = document.dump()
    problems = parse_file(path, content).diagnostics
    if problems:
        raise Refused(f"the round would not be valid: {problems[0].code} {problems[0].message}")
    return content


def _commit(root: Path, round_id: str, files: dict[str, bytes], message: str) -> RoundWritten:
    """Write the files and commit just them, all or nothing (the journal undoes a kill)."""
    commit = commit_files(root, files, message)
    return RoundWritten(round_id, commit, tuple(files), message)


__all__ = [
    "RoundSpec",
    "RoundState",
    "RoundSummary",
    "RoundWritten",
    "close_round",
    "extend_round",
    "list_rounds",
    "open_round",
    "round_state",
    "state_of",
]
