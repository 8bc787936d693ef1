"""`valreg review`: per value, its current text and each change as a word diff. No I/O.

It also flags what the editors must settle before they decide: conflicts between
changes, stale changes (written against an older text) and duplicates (the same text
from several municipalities). `find_conflicts` is shared with `apply`, which calls it on
the accepted changes alone, so it works on any subset of a round's changes.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from valreg.errors import UsageError
from valreg.registry import models
from valreg.registry.snapshot import Snapshot
from valreg.workflow.alike import group_alike
from valreg.workflow.combine import combine
from valreg.workflow.state import (
    ChangeRecord,
    DecisionState,
    base_version,
    collect_changes,
    proposals_of,
    select_round,
    stale_values,
)

#: States in which a change may still take effect; rejected and noted ones never conflict.
LIVE_STATES: frozenset[DecisionState] = frozenset({"undecided", "accepted", "modified"})
#: Kinds whose text can be proposed twice (and so be a duplicate).
TEXT_KINDS = ("amend", "add", "merge")
#: registry.yaml's `similarity` when it says nothing.
DEFAULT_SIMILARITY: int = models.Registry.model_fields["similarity"].default


# --- word diff ----------------------------------------------------------------------------

DiffOp = Literal["equal", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A run of words, separated by single spaces, that is kept, deleted or inserted."""

    op: DiffOp
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The word-level diff from `old` to `new`: words are split on whitespace (punctuation
    stays attached) and compared in Unicode NFC, so a decomposed å equals a composed one.
    """
    a = unicodedata.normalize("NFC", old).split()
    b = unicodedata.normalize("NFC", new).split()
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(DiffPart("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(DiffPart("insert", " ".join(b[j1:j2])))
    return parts


def normalise_text(text: str) -> str:
    """A text as duplicates and conflicts compare it: NFC, whitespace runs as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def given_text(record: ChangeRecord) -> str | None:
    """The text a change would give: the editors' if they modified it and the decision
    still holds, else the proposal's own."""
    if record.decision_is_stale:
        return getattr(record.change, "text", None)
    return record.final_text


# --- conflicts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """Changes that cannot all take effect as proposed: one conflict per value and kind,
    naming every change involved (in file order).

    `kind` is one of: different-texts, different-positions, amend-vs-remove,
    merge-with-removed, move-of-removed, move-after-removed, add-after-removed,
    change-of-merged-value, adds-after-same-value. `value` is the value they contend
    for (None: the top of the list, for adds placed first).
    """

    kind: str
    change_ids: tuple[str, ...]
    value: str | None
    message: str


def find_conflicts(records: Iterable[ChangeRecord], snapshot: Snapshot) -> list[Conflict]:
    """Conflicts among the changes that may still take effect (accepted, modified or
    undecided), in the order of the values they are about."""
    live = [r for r in records if r.state in LIVE_STATES and r.alters_the_set]
    conflicts = [
        *_different_texts(live),
        *_different_positions(live),
        *_removed_value_conflicts(live),
        *_merged_value_conflicts(live),
        *_adds_after_same_value(live),
    ]
    numbers = {stem: p.model.number for stem, p in snapshot.values.items() if p.model is not None}

    def order(conflict: Conflict) -> tuple[int, str, str]:
        position = 0 if conflict.value is None else numbers.get(conflict.value, 1_000_000)
        return position, conflict.value or "", conflict.kind

    return sorted(conflicts, key=order)


def _listing(ids: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return f"{', '.join(ids[:-1])} and {ids[-1]}" if len(ids) > 1 else "".join(ids)


def _ids(records: Iterable[ChangeRecord]) -> tuple[str, ...]:
    return tuple(r.id for r in records)


def _disagree(records: list[ChangeRecord], key: Callable[[ChangeRecord], object]) -> bool:
    return len({key(r) for r in records}) > 1


def _normalised_text(record: ChangeRecord) -> str:
    return normalise_text(given_text(record) or "")


def _different_texts(live: list[ChangeRecord]) -> Iterator[Conflict]:
    """Amends and merges that give one value different texts."""
    by_value: dict[str, list[ChangeRecord]] = defaultdict(list)
    for record in live:
        change = record.change
        if isinstance(change, models.Amend):
            by_value[change.value].append(record)
        elif isinstance(change, models.Merge):
            by_value[change.values[0]].append(record)  # the survivor takes the text
    for value_id, group in by_value.items():
        if _disagree(group, _normalised_text):
            ids = _ids(group)
            message = f"{_listing(ids)} give '{value_id}' different texts"
            yield Conflict("different-texts", ids, value_id, message)


def _different_positions(live: list[ChangeRecord]) -> Iterator[Conflict]:
    moves: dict[str, list[ChangeRecord]] = defaultdict(list)
    for record in live:
        if isinstance(record.change, models.Move):
            moves[record.change.value].append(record)
    for value_id, group in moves.items():
        if _disagree(
            group, lambda r: r.change.after if isinstance(r.change, models.Move) else None
        ):
            ids = _ids(group)
            message = f"{_listing(ids)} move '{value_id}' to different places"
            yield Conflict("different-positions", ids, value_id, message)


def _adds_after_same_value(live: list[ChangeRecord]) -> Iterator[Conflict]:
    adds: dict[str | None, list[ChangeRecord]] = defaultdict(list)
    for record in live:
        if isinstance(record.change, models.Add):
            adds[record.change.after].append(record)
    for after, group in adds.items():
        if _disagree(group, _normalised_text):
            ids = _ids(group)
            place = f"after '{after}'" if after is not None else "at the top"
            message = f"{_listing(ids)} add different values {place}"
            yield Conflict("adds-after-same-value", ids, after, message)


#: What a change does to a value that another change removes: (conflict kind, phrase).
_AGAINST_REMOVE = {
    "amend": ("amend-vs-remove", "amended"),
    "merge": ("merge-with-removed", "merged"),
    "move": ("move-of-removed", "moved"),
    "move-after": ("move-after-removed", "a value is moved after it"),
    "add-after": ("add-after-removed", "a value is added after it"),
}


def _removed_value_conflicts(live: list[ChangeRecord]) -> Iterator[Conflict]:
    """Changes that amend, merge or move a removed value, or place a value after it."""
    removes: dict[str, list[ChangeRecord]] = defaultdict(list)
    involved: dict[tuple[str, str], list[ChangeRecord]] = defaultdict(list)  # (what, value)
    for record in live:
        change = record.change
        if isinstance(change, models.Remove):
            removes[change.value].append(record)
        elif isinstance(change, models.Amend):
            involved["amend", change.value].append(record)
        elif isinstance(change, models.Merge):
            for value_id in change.values:
                involved["merge", value_id].append(record)
        elif isinstance(change, models.Move):
            involved["move", change.value].append(record)
            if change.after is not None:
                involved["move-after", change.after].append(record)
        elif isinstance(change, models.Add) and change.after is not None:
            involved["add-after", change.after].append(record)
    for (what, value_id), group in involved.items():
        removers = _ids(removes.get(value_id, ()))
        if removers:
            kind, phrase = _AGAINST_REMOVE[what]
            ids = _ids(group)
            message = (
                f"'{value_id}' is removed by {_listing(removers)}, but {phrase} by {_listing(ids)}"
            )
            yield Conflict(kind, ids + removers, value_id, message)


def _merged_value_conflicts(live: list[ChangeRecord]) -> Iterator[Conflict]:
    """A value that a merge retires, while other changes keep it (amend, move, a merge
    it survives) or merge it into another value. Removes are `merge-with-removed`."""
    touching: dict[str, list[ChangeRecord]] = defaultdict(list)
    merged_away: dict[str, None] = {}  # in file order
    for record in live:
        if isinstance(record.change, models.Remove):
            continue
        for value_id in record.touched_values:
            touching[value_id].append(record)
            if _retires_into(record, value_id) is not None:
                merged_away[value_id] = None
    for value_id in merged_away:
        group = touching[value_id]
        fates = [_retires_into(r, value_id) for r in group]  # None: the change keeps it
        if len(set(fates)) == 1:
            continue
        targets = [f"'{t}'" for t in dict.fromkeys(fates) if t is not None]
        mergers = [r.id for r, t in zip(group, fates, strict=True) if t is not None]
        others = [r.id for r, t in zip(group, fates, strict=True) if t is None]
        message = f"'{value_id}' is merged into {_listing(targets)} by {_listing(mergers)}"
        if others:
            message += f", but changed otherwise by {_listing(others)}"
        yield Conflict("change-of-merged-value", _ids(group), value_id, message)


def _retires_into(record: ChangeRecord, value_id: str) -> str | None:
    """The value a merge retires `value_id` into, if it does."""
    change = record.change
    if isinstance(change, models.Merge) and value_id in change.values[1:]:
        return change.values[0]
    return None


# --- duplicates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Changes of one kind and place whose texts say the same: identical (after
    normalising), or alike by registry.yaml's `similarity` (`workflow.alike`)."""

    kind: str
    value: str | None  # the value they are shown under (for adds: the one they follow)
    text: str  # the first member's, which the others are shown against
    change_ids: tuple[str, ...]
    identical: bool = True


def find_duplicates(
    records: Iterable[ChangeRecord],
    similarity: int = DEFAULT_SIMILARITY,
    current: Mapping[str, str] | None = None,
) -> list[Duplicate]:
    """Groups of two or more amends, adds or merges with the same target whose texts are
    alike (identical ones included), in the order of their first members. `current` are
    the values' texts by id: amends and merges of a value are compared by what they
    change in it."""
    by_target: dict[tuple[str, tuple[str | None, ...]], list[tuple[str, str]]] = defaultdict(list)
    for record in records:
        text = given_text(record)
        if record.kind not in TEXT_KINDS or text is None:
            continue
        change = record.change
        target: tuple[str | None, ...] = (
            (change.after,) if isinstance(change, models.Add) else record.touched_values
        )
        by_target[(record.kind, target)].append((record.id, text))
    found = []
    for (kind, target), items in by_target.items():
        texts = dict(items)
        base = (current or {}).get(target[0] or "") if kind in ("amend", "merge") else None
        for group in group_alike(items, similarity, base):
            first = normalise_text(texts[group.keys[0]])
            found.append(Duplicate(kind, target[0], first, group.keys, group.identical))
    return found


# --- combinable amendments -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Collided:
    """An amendment left out of a combination: the member it collides with, and the words
    of the current text that both change (`base`), as the member and as this change has them."""

    change_id: str
    with_id: str
    base: str
    member_words: str
    own_words: str


@dataclass(frozen=True, slots=True)
class Combined:
    """Amendments of one value that change different words, and the text with them all."""

    value: str
    change_ids: tuple[str, ...]
    text: str
    diff: tuple[DiffPart, ...]  # against the value's current text
    conflicting: tuple[Collided, ...]


def find_combinations(
    records: Iterable[ChangeRecord], snapshot: Snapshot, round_: models.Round
) -> list[Combined]:
    """For each value with two or more live amendments of its current text that give
    different texts: the largest set that combines (a word-level three-way merge).
    Stale amendments (written against an older text) are left to the editors."""
    by_value: dict[str, list[ChangeRecord]] = defaultdict(list)
    for record in records:
        live = record.state in LIVE_STATES and isinstance(record.change, models.Amend)
        if live and not stale_values(snapshot, record, round_):
            by_value[record.touched_values[0]].append(record)
    found = []
    for value_id, group in by_value.items():
        parsed = snapshot.values.get(value_id)
        if parsed is None or parsed.model is None or parsed.model.status != "active":
            continue
        texts = [(r.id, given_text(r) or "") for r in group]
        if len({normalise_text(text) for _, text in texts}) < 2:
            continue
        combination = combine(parsed.model.text, texts)
        if combination is None:
            continue
        left_out = tuple(
            Collided(key, other, c.base.strip(), c.ours.strip(), c.theirs.strip())
            for key, other, c in combination.conflicting
        )
        diff = tuple(word_diff(parsed.model.text, combination.text))
        found.append(Combined(value_id, combination.members, combination.text, diff, left_out))
    return found


def _settled_by(conflict: Conflict, combinations: Sequence[Combined]) -> bool:
    """Whether a conflict of different texts is only amendments that combine."""
    return conflict.kind == "different-texts" and any(
        c.value == conflict.value and set(conflict.change_ids) <= set(c.change_ids)
        for c in combinations
    )


# --- the review -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a move takes a value: 1-based positions in the current list of values."""

    old: int | None
    new: int | None


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One change as shown under one value (a merge appears under each of its values)."""

    id: str
    kind: str
    municipality: Municipality
    proposal: str
    late: bool
    state: DecisionState
    rationale: str | None
    reason: str | None  # the editors' reason, if a decision holds
    text: str | None  # the text the change gives (a comment's text for comments)
    proposed_text: str | None  # the municipality's text, when the editors modified it
    diff: tuple[DiffPart, ...]  # against the value's current text; empty for moves, comments
    values: tuple[str, ...]  # the existing values it touches
    after: str | None  # add and move: the value it follows (None: first)
    position: Position | None  # move only
    stale_since: str | None  # the base release, if the value's text changed since


@dataclass(frozen=True, slots=True)
class ValueReview:
    id: str
    number: int | None
    title: str | None
    status: Literal["active", "retired", "unknown"]
    text: str | None  # current text; None for a value that does not exist
    changes: tuple[ChangeEntry, ...]
    #: Where a retired value went: the value it was merged into, and the release.
    merged_into: str | None = None
    retired_in: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerEntry:
    municipality: Municipality
    proposal: str
    late: bool
    text: str


@dataclass(frozen=True, slots=True)
class QuestionReview:
    id: str
    text: str | None  # None for a question the round does not ask
    answers: tuple[AnswerEntry, ...]  # answers that say nearly the same stand together
    #: Groups of answers that say nearly the same, as indexes into `answers`.
    alike: tuple[tuple[int, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Review:
    round_id: str
    round_title: str
    base: str | None
    answered_elsewhere: int | None  # answers received outside the registry, not shown
    value_filter: str | None
    first: tuple[ChangeEntry, ...]  # adds placed before the first value
    values: tuple[ValueReview, ...]
    comments: tuple[ChangeEntry, ...]  # comments about no particular value
    questions: tuple[QuestionReview, ...]
    conflicts: tuple[Conflict, ...]
    duplicates: tuple[Duplicate, ...]
    #: Amendments of one value that change different words: can be combined.
    combinations: tuple[Combined, ...]
    #: The round's files that failed to load, so what they hold is not shown.
    invalid_files: tuple[str, ...]

    def entries(self) -> Iterator[ChangeEntry]:
        """Every entry shown; a merge once per value it touches."""
        yield from self.first
        for value in self.values:
            yield from value.changes
        yield from self.comments

    @property
    def change_ids(self) -> tuple[str, ...]:
        """The changes shown, each once."""
        return tuple(dict.fromkeys(e.id for e in self.entries()))

    @property
    def stale_ids(self) -> tuple[str, ...]:
        """The changes shown that were written against an older text of their value."""
        return tuple(dict.fromkeys(e.id for e in self.entries() if e.stale_since))


def review_round(
    snapshot: Snapshot, round_id: str | None, applied_ids: Iterable[str], value: str | None = None
) -> Review:
    """The review of a round (default: the one open round), or of one value's changes."""
    round_ = select_round(snapshot, round_id)
    if value is not None and value not in snapshot.values:
        raise UsageError(
            f"value '{value}' does not exist; values: {', '.join(sorted(snapshot.values))}"
        )
    records = collect_changes(snapshot, round_, applied_ids)
    builder = _EntryBuilder(snapshot, round_)
    sections: dict[str | None, list[ChangeEntry]] = defaultdict(list)
    comments: list[ChangeEntry] = []
    for record in records:
        for value_id in record.touched_values:
            sections[value_id].append(builder.entry(record, value_id))
        if record.kind == "comment" and not record.touched_values:
            comments.append(builder.entry(record, None))
    for record in records:  # an add follows what is said about the value it comes after
        if isinstance(record.change, models.Add):
            sections[record.change.after].append(builder.entry(record, None))

    similarity = (
        snapshot.registry.similarity if snapshot.registry is not None else DEFAULT_SIMILARITY
    )
    current = {stem: parsed.model.text for stem, parsed in snapshot.values.items() if parsed.model}
    duplicates = find_duplicates(records, similarity, current)
    combinations = find_combinations(records, snapshot, round_)
    whole = value is None  # with a value, only its section: no top, comments or answers
    touched_elsewhere = sorted(v for v in sections if v is not None and v not in builder.order)
    values = tuple(
        builder.value_review(value_id, _together(sections.get(value_id, []), duplicates))
        for value_id in [*builder.order, *touched_elsewhere]  # retired or unknown values last
        if whole or value_id == value
    )
    first = tuple(_together(sections[None], duplicates)) if whole else ()
    loose = tuple(comments) if whole else ()
    shown = {e.id for entries in (first, loose, *(v.changes for v in values)) for e in entries}
    return Review(
        round_id=round_.id,
        round_title=round_.title,
        base=round_.base,
        answered_elsewhere=round_.answered_elsewhere,
        value_filter=value,
        first=first,
        values=values,
        comments=loose,
        questions=_questions(snapshot, round_, similarity) if whole else (),
        conflicts=tuple(
            c
            for c in find_conflicts(records, snapshot)
            if shown.intersection(c.change_ids) and not _settled_by(c, combinations)
        ),
        duplicates=tuple(d for d in duplicates if shown.intersection(d.change_ids)),
        combinations=tuple(c for c in combinations if whole or c.value == value),
        invalid_files=_invalid_files(snapshot, round_.id),
    )


class _EntryBuilder:
    """Turns change records into entries (municipality names, diffs, positions, staleness)
    and values into sections, against the current values."""

    def __init__(self, snapshot: Snapshot, round_: models.Round) -> None:
        self.snapshot = snapshot
        self.round = round_
        self.current: dict[str, models.Value] = {
            stem: p.model for stem, p in snapshot.values.items() if p.model is not None
        }
        active = sorted(
            (v for v in self.current.values() if v.status == "active"), key=lambda v: v.number
        )
        self.order = [v.id for v in active]  # the active values, by number

    def entry(self, record: ChangeRecord, value_id: str | None) -> ChangeEntry:
        change = record.change
        decision = None if record.decision_is_stale else record.decision
        text = given_text(record)
        own_text = getattr(change, "text", None)
        stale = value_id is not None and value_id in stale_values(self.snapshot, record, self.round)
        return ChangeEntry(
            id=record.id,
            kind=record.kind,
            municipality=_municipality(self.snapshot, record.municipality),
            proposal=record.proposal.path,
            late=record.late,
            state=record.state,
            rationale=change.rationale,
            reason=decision.reason if decision is not None else None,
            text=text,
            proposed_text=own_text if text != own_text else None,
            diff=tuple(self._diff(record, value_id, text)),
            values=record.touched_values,
            after=change.after if isinstance(change, models.Add | models.Move) else None,
            position=self._position(change) if isinstance(change, models.Move) else None,
            stale_since=base_version(record, self.round) if stale else None,
        )

    def value_review(self, value_id: str, changes: list[ChangeEntry]) -> ValueReview:
        value = self.current.get(value_id)
        if value is None:
            return ValueReview(value_id, None, None, "unknown", None, tuple(changes))
        # A retired value keeps its last number in its file; it is not in the set.
        number = value.number if value.status == "active" else None
        return ValueReview(
            value.id,
            number,
            value.title,
            value.status,
            value.text,
            tuple(changes),
            value.merged_into,
            value.retired_in,
        )

    def _diff(self, record: ChangeRecord, value_id: str | None, text: str | None) -> list[DiffPart]:
        current = self.current.get(value_id or "")
        old = current.text if current is not None else ""
        if record.kind in ("amend", "merge"):
            return word_diff(old, text or "")
        if record.kind == "add":
            return word_diff("", text or "")
        if record.kind == "remove":
            return word_diff(old, "")
        return []

    def _position(self, move: models.Move) -> Position:
        old = self.order.index(move.value) + 1 if move.value in self.order else None
        rest = [v for v in self.order if v != move.value]
        if move.after is None:
            return Position(old, 1)
        new = rest.index(move.after) + 2 if move.after in rest else None
        return Position(old, new)


def _municipality(snapshot: Snapshot, code: str) -> Municipality:
    known = snapshot.municipalities.get(code)
    return Municipality(code, known.name if known is not None else "unknown municipality")


def _together(entries: list[ChangeEntry], duplicates: Sequence[Duplicate]) -> list[ChangeEntry]:
    """The entries in their order, but each duplicate beside the first of its group."""
    first_of = {cid: d.change_ids[0] for d in duplicates for cid in d.change_ids}
    index = {e.id: i for i, e in enumerate(entries)}
    return sorted(
        entries, key=lambda e: (index.get(first_of.get(e.id, e.id), index[e.id]), index[e.id])
    )


def _questions(
    snapshot: Snapshot, round_: models.Round, similarity: int
) -> tuple[QuestionReview, ...]:
    """Every question of the round with its answers, then answers to unknown questions."""
    answers: dict[str, list[AnswerEntry]] = defaultdict(list)
    for parsed in proposals_of(snapshot, round_.id):
        proposal: models.Proposal = parsed.model
        for answer in proposal.answers:
            answers[answer.question].append(
                AnswerEntry(
                    _municipality(snapshot, proposal.municipality),
                    parsed.path,
                    proposal.submitted > round_.deadline,
                    answer.text,
                )
            )
    asked = {q.id: q.text for q in round_.questions}
    ids = [*asked, *sorted(set(answers) - set(asked))]
    return tuple(_question_review(q, asked.get(q), answers.get(q, []), similarity) for q in ids)


def _question_review(
    question_id: str, text: str | None, answers: list[AnswerEntry], similarity: int
) -> QuestionReview:
    """The answers in their order, but each group that says nearly the same together,
    where its first member stands."""
    groups = group_alike([(str(i), a.text) for i, a in enumerate(answers)], similarity)
    first_of = {int(k): int(g.keys[0]) for g in groups for k in g.keys}
    order = sorted(range(len(answers)), key=lambda i: (first_of.get(i, i), i))
    place = {old: new for new, old in enumerate(order)}
    alike = tuple(tuple(place[int(k)] for k in g.keys) for g in groups)
    return QuestionReview(question_id, text, tuple(answers[i] for i in order), alike)


def _invalid_files(snapshot: Snapshot, round_id: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            p.path
            for p in snapshot.files.values()
            if p.model is None
            and (
                (p.kind == "proposal" and p.folder == round_id)
                or p.path == f"registry/rounds/{round_id}/decisions.yaml"
            )
        )
    )


# --- rendering ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """How a format marks each kind of diff part, and whether a replacement's two halves
    touch (`[-old-]{+new+}`, as `git diff --word-diff=plain` writes it)."""

    marks: dict[DiffOp, tuple[str, str]]
    escape: Callable[[str], str]
    tight: bool


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_~[]<>"})


def _md(text: str) -> str:
    """Text with the characters that Markdown would read as emphasis, code or links escaped."""
    return text.translate(_MD_SPECIAL)


_TEXT = _Style({"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}, str, True)
_MARKDOWN = _Style({"equal": ("", ""), "delete": ("~~", "~~"), "insert": ("**", "**")}, _md, False)


def _render_diff(parts: Iterable[DiffPart], style: _Style) -> str:
    out: list[str] = []
    previous: DiffOp | None = None
    for part in parts:
        replacing = previous == "delete" and part.op == "insert"
        if previous is not None and not (style.tight and replacing):
            out.append(" ")
        start, end = style.marks[part.op]
        out.append(f"{start}{style.escape(part.text)}{end}")
        previous = part.op
    return "".join(out)


def markdown_diff(parts: Iterable[DiffPart]) -> str:
    """A word diff in Markdown, as `review --format md` shows it: ~~removed~~ **added**."""
    return _render_diff(parts, _MARKDOWN)


def escape_markdown(text: str) -> str:
    """Text with the characters Markdown would read as emphasis, code or links escaped."""
    return _md(text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _title(review: Review) -> str:
    base = f", base {review.base}" if review.base else ""
    scope = f", value {review.value_filter} only" if review.value_filter else ""
    return f"Round {review.round_id}: {review.round_title}{base}{scope}"


def _summary(review: Review) -> list[str]:
    """The counts, and the round's files that could not be shown."""
    lines = [
        f"{_plural(len(review.change_ids), 'change')}: "
        f"{_plural(len(review.conflicts), 'conflict')}, "
        f"{_plural(len(review.stale_ids), 'stale change')}, "
        f"{_plural(len(review.duplicates), 'group')} of duplicates"
    ]
    if review.combinations:
        lines[0] += (
            f", {_plural(len(review.combinations), 'value')} with amendments that can be combined"
        )
    if review.answered_elsewhere:
        lines.append(
            f"{_plural(review.answered_elsewhere, 'answer')} received outside the registry, "
            "not shown"
        )
    if review.invalid_files:
        lines.append(
            f"not shown because invalid (run valreg check): {', '.join(review.invalid_files)}"
        )
    return lines


def _action(entry: ChangeEntry) -> str:
    """What a change does, in a few words: `merge a + b into a`, `move from position 7 to 1`."""
    place = f"after '{entry.after}'" if entry.after is not None else "first"
    if entry.kind == "add":
        return f"add {place}"
    if entry.kind == "merge":
        return f"merge {' + '.join(entry.values)} into {entry.values[0]}"
    if entry.kind == "move" and entry.position is not None:
        old, new = entry.position.old or "?", entry.position.new or "?"
        return f"move from position {old} to {new} ({place})"
    return entry.kind


def _byline(entry: ChangeEntry) -> str:
    late = ", late" if entry.late else ""
    return f"{_action(entry)} by {entry.municipality}, {entry.state}{late}"


def _stale(entry: ChangeEntry) -> str | None:
    if entry.stale_since is None:
        return None
    return (
        f"stale: the value's text changed since {entry.stale_since}, which this change is based on"
    )


def _details(entry: ChangeEntry) -> list[tuple[str, str]]:
    """The labelled lines under a change's diff."""
    details = [
        ("comment", entry.text if entry.kind == "comment" else None),
        ("proposed", entry.proposed_text),
        ("rationale", entry.rationale),
        ("reason", entry.reason),
    ]
    return [(label, text) for label, text in details if text is not None]


@dataclass(frozen=True, slots=True)
class _Section:
    heading: str
    text: str | None
    entries: tuple[ChangeEntry, ...]
    flags: tuple[str, ...]  # conflicts and duplicates, as sentences
    empty: str | None  # what to say when there are no entries (None: say nothing)
    combined: Combined | None = None


def _sections(review: Review) -> Iterator[_Section]:
    """The review in reading order: adds placed first, each value, loose comments."""
    names = {e.id: e.municipality.name for e in review.entries()}
    conflicts_of: dict[str | None, list[Conflict]] = defaultdict(list)
    for conflict in review.conflicts:
        conflicts_of[conflict.value].append(conflict)
    duplicate_of = {cid: d for d in review.duplicates for cid in d.change_ids}

    def flags(value_id: str | None, entries: tuple[ChangeEntry, ...]) -> tuple[str, ...]:
        duplicates = dict.fromkeys(duplicate_of[e.id] for e in entries if e.id in duplicate_of)
        return (
            *(f"conflict ({c.kind}): {c.message}" for c in conflicts_of[value_id]),
            *(
                f"{'duplicate' if d.identical else 'near-duplicate'}: "
                f"{_listing(d.change_ids)} propose "
                f"{'the same text' if d.identical else 'nearly the same text'} "
                f"({', '.join(dict.fromkeys(names.get(cid, cid) for cid in d.change_ids))})"
                for d in duplicates
            ),
        )

    if review.first:
        yield _Section("At the top", None, review.first, flags(None, review.first), None)
    for value in review.values:
        number = f"{value.number}. " if value.number is not None else ""
        title = f" ({value.title})" if value.title else ""
        heading = f"{number}{value.id}{title}{_fate(value)}"
        combined = next((c for c in review.combinations if c.value == value.id), None)
        yield _Section(
            heading,
            value.text,
            value.changes,
            flags(value.id, value.changes),
            "no changes",
            combined,
        )
    if review.comments:
        yield _Section("Comments on the whole set", None, review.comments, (), None)


def _fate(value: ValueReview) -> str:
    """A heading's note on a value outside the set: retired (where to), or unknown."""
    if value.status == "unknown":
        return " [no such value]"
    if value.status == "active":
        return ""
    when = f" in {value.retired_in}" if value.retired_in else ", not yet released"
    where = f"merged into {value.merged_into}" if value.merged_into else "retired"
    return f" [{where}{when}: not in the set, cannot be changed]"


def _combined_lines(combined: Combined) -> tuple[str, list[str]]:
    """The combination's lead sentence, and a line for each amendment it leaves out."""
    lead = (
        f"can be combined: {_listing(combined.change_ids)} change different words; "
        "the combined text against the current one:"
    )
    rest = [
        f"conflicting: {c.change_id} collides with {c.with_id} on "
        f"'{c.base}': '{c.member_words}' against '{c.own_words}'"
        for c in combined.conflicting
    ]
    rest.append(f"to take it: valreg decide {' '.join(combined.change_ids)} modify --combine")
    return lead, rest


def _same_text_as(review: Review) -> dict[str, str]:
    """For every identical duplicate but the first of its group: the first's change id."""
    return {
        cid: d.change_ids[0] for d in review.duplicates if d.identical for cid in d.change_ids[1:]
    }


def _alike_to(review: Review) -> dict[str, Duplicate]:
    """For every near-duplicate but the first of its group: the group (its first text is
    what the member is shown against)."""
    return {cid: d for d in review.duplicates if not d.identical for cid in d.change_ids[1:]}


def _against_first(duplicate: Duplicate, entry: ChangeEntry) -> tuple[DiffPart, ...]:
    return tuple(word_diff(duplicate.text, entry.text or ""))


def _alike_answers(question: QuestionReview) -> list[str]:
    return [
        f"alike: {_listing([str(question.answers[i].municipality) for i in group])} "
        "answer nearly the same"
        for group in question.alike
    ]


def _question_heading(question: QuestionReview) -> str:
    return f"Question {question.id}: {question.text or '(not a question of this round)'}"


def render_text(review: Review) -> str:
    """For a terminal: diffs as `[-removed-]{+added+}`, flags on lines starting with `!`."""
    same_as, alike_to = _same_text_as(review), _alike_to(review)
    out = [_title(review), *_summary(review)]
    for section in _sections(review):
        out += ["", section.heading]
        if section.text is not None:
            out.append(f"   {section.text}")
        out += [f"   ! {flag}" for flag in section.flags]
        if section.combined is not None:
            lead, rest = _combined_lines(section.combined)
            out += [f"   ! {lead}", f"       {_render_diff(section.combined.diff, _TEXT)}"]
            out += [f"   ! {line}" for line in rest]
        for entry in section.entries:
            out.append(f"   * {entry.id}: {_byline(entry)}")
            stale = _stale(entry)
            if stale is not None:
                out.append(f"       ! {stale}")
            if entry.id in same_as:
                out.append(f"       same text as {same_as[entry.id]}")
            elif entry.id in alike_to:
                group = alike_to[entry.id]
                out.append(f"       nearly the same as {group.change_ids[0]}:")
                out.append(f"       {_render_diff(_against_first(group, entry), _TEXT)}")
            elif entry.diff:
                out.append(f"       {_render_diff(entry.diff, _TEXT)}")
            out += [f"       {label}: {text}" for label, text in _details(entry)]
        if not section.entries and section.empty:
            out.append(f"   {section.empty}")
    for question in review.questions:
        out += ["", _question_heading(question)]
        out += [f"   ! {line}" for line in _alike_answers(question)]
        out += [
            f"   * {a.municipality}{', late' if a.late else ''}: {a.text}" for a in question.answers
        ]
        if not question.answers:
            out.append("   no answers")
    return "\n".join(out) + "\n"


def render_markdown(review: Review) -> str:
    """For a pull request or a meeting's papers: diffs as ~~removed~~ **added**."""
    same_as, alike_to = _same_text_as(review), _alike_to(review)
    out = [f"# {_md(_title(review))}", "", *(f"{_md(line)}  " for line in _summary(review))]
    for section in _sections(review):
        out += ["", f"## {_md(section.heading)}", ""]
        if section.text is not None:
            out += [f"> {_md(section.text)}", ""]
        out += [f"- **{_md(flag)}**" for flag in section.flags]
        if section.combined is not None:
            lead, rest = _combined_lines(section.combined)
            out.append(f"- **{_md(lead)}**  \n  {_render_diff(section.combined.diff, _MARKDOWN)}")
            out += [f"- **{_md(line)}**" for line in rest]
        if section.flags or section.combined is not None:
            out.append("")
        for entry in section.entries:
            lines = [f"`{entry.id}`: {_md(_byline(entry))}"]
            stale = _stale(entry)
            if stale is not None:
                lines.append(f"**{_md(stale)}**")
            if entry.id in same_as:
                lines.append(f"same text as `{same_as[entry.id]}`")
            elif entry.id in alike_to:
                group = alike_to[entry.id]
                lines.append(
                    f"nearly the same as `{group.change_ids[0]}`: "
                    f"{_render_diff(_against_first(group, entry), _MARKDOWN)}"
                )
            elif entry.diff:
                lines.append(_render_diff(entry.diff, _MARKDOWN))
            lines += [f"*{label}:* {_md(text)}" for label, text in _details(entry)]
            out.append("- " + "  \n  ".join(lines))
        if not section.entries and section.empty:
            out.append(f"*{section.empty}*")
    for question in review.questions:
        out += ["", f"## {_md(_question_heading(question))}", ""]
        out += [f"**{_md(line)}**  " for line in _alike_answers(question)]
        out += [
            f"- {_md(str(a.municipality))}{' (late)' if a.late else ''}: {_md(a.text)}"
            for a in question.answers
        ]
        if not question.answers:
            out.append("*no answers*")
    return "\n".join(out) + "\n"


def _entry_json(entry: ChangeEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "municipality": {"code": entry.municipality.code, "name": entry.municipality.name},
        "proposal": entry.proposal,
        "late": entry.late,
        "state": entry.state,
        "values": list(entry.values),
        "after": entry.after,
        "position": (
            {"old": entry.position.old, "new": entry.position.new}
            if entry.position is not None
            else None
        ),
        "text": entry.text,
        "proposed_text": entry.proposed_text,
        "diff": [{"op": part.op, "text": part.text} for part in entry.diff],
        "stale_since": entry.stale_since,
        "rationale": entry.rationale,
        "reason": entry.reason,
    }


def _combined_json(c: Combined) -> dict[str, Any]:
    return {
        "value": c.value,
        "changes": list(c.change_ids),
        "text": c.text,
        "diff": [{"op": part.op, "text": part.text} for part in c.diff],
        "conflicting": [
            {
                "change": x.change_id,
                "with": x.with_id,
                "base": x.base,
                "with_words": x.member_words,
                "words": x.own_words,
            }
            for x in c.conflicting
        ],
    }


def _question_json(q: QuestionReview) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "answers": [
            {
                "municipality": {"code": a.municipality.code, "name": a.municipality.name},
                "proposal": a.proposal,
                "late": a.late,
                "text": a.text,
            }
            for a in q.answers
        ],
        "alike": [[q.answers[i].proposal for i in group] for group in q.alike],
    }


def render_json(review: Review) -> str:
    """For scripts; the shape is stable and documented in docs/review.md (`version` 1)."""
    payload = {
        "version": 1,
        "round": {
            "id": review.round_id,
            "title": review.round_title,
            "base": review.base,
            "answered_elsewhere": review.answered_elsewhere,
        },
        "value_filter": review.value_filter,
        "summary": {
            "changes": len(review.change_ids),
            "conflicts": len(review.conflicts),
            "stale": len(review.stale_ids),
            "duplicates": len(review.duplicates),
            "combinations": len(review.combinations),
        },
        "invalid_files": list(review.invalid_files),
        "combinations": [_combined_json(c) for c in review.combinations],
        "first": [_entry_json(e) for e in review.first],
        "values": [
            {
                "id": v.id,
                "number": v.number,
                "title": v.title,
                "status": v.status,
                "merged_into": v.merged_into,
                "retired_in": v.retired_in,
                "text": v.text,
                "changes": [_entry_json(e) for e in v.changes],
            }
            for v in review.values
        ],
        "comments": [_entry_json(e) for e in review.comments],
        "questions": [_question_json(q) for q in review.questions],
        "conflicts": [
            {"kind": c.kind, "value": c.value, "changes": list(c.change_ids), "message": c.message}
            for c in review.conflicts
        ],
        "duplicates": [
            {
                "kind": d.kind,
                "value": d.value,
                "text": d.text,
                "changes": list(d.change_ids),
                "identical": d.identical,
            }
            for d in review.duplicates
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Review], str]] = {
    "text": render_text,
    "md": render_markdown,
    "json": render_json,
}
