"""`valreg report`: the consultation report (høringsnotat) of a round, in Danish.

Laid out as the "kommenteret høringsoversigt" of Justitsministeriets *Vejledning om
lovkvalitet*: Høringen (what was sent to whom, when, and who answered), Høringssvarene
(value by value: the text sent out, what the municipalities proposed, the editors'
comment and the resulting text), Spørgsmål (the answers to the round's questions) and
Sammenfatning (counts).

`build_report` reads the registry (the work tree, and the round's base release from
git); the renderers (Markdown, one standalone HTML page, a Word document) do no I/O.
Every text from the registry is untrusted: the renderers escape it, and only http(s)
and relative URLs become links. Editors' logins are never read into the report.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from valreg.danish import danish_date, danish_key
from valreg.errors import InvalidRegistry
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.snapshot import Snapshot, load_snapshot_at
from valreg.versions.release import release_commit, tag_name
from valreg.workflow.apply import WorkingSet, chosen_changes
from valreg.workflow.review import escape_markdown, find_conflicts, normalise_text
from valreg.workflow.state import ChangeRecord, Standing, collect_changes, select_round, standings

Decision = Literal["accept", "modify", "reject", "note"]
#: A change's decision as the report counts it; "undecided" also covers a decision that
#: no longer matches its change (the change was edited after it).
DecisionKey = Literal["accept", "modify", "reject", "note", "undecided"]
DECISION_KEYS: tuple[DecisionKey, ...] = ("accept", "modify", "reject", "note", "undecided")
DECISION_WORDS: dict[DecisionKey, str] = {
    "accept": "Imødekommet",
    "modify": "Delvist imødekommet",
    "reject": "Ikke imødekommet",
    "note": "Taget til efterretning",
    "undecided": "Ikke afgjort endnu",
}
KIND_WORDS = {
    "amend": "Ændret tekst",
    "add": "Ny værdi",
    "remove": "Værdien udgår",
    "merge": "Sammenlægning",
    "move": "Ny placering",
    "comment": "Bemærkning",
}
STANDING_WORDS = {
    Standing.ANSWERED: "Svaret",
    Standing.NO_REMARKS: "Svaret uden bemærkninger",
    Standing.LATE: "Svaret efter fristen",
    Standing.NO_ANSWER: "Ikke svaret",
}
ApprovalKey = Literal["udvalg", "forvaltning", "ikke oplyst"]
APPROVAL_KEYS: tuple[ApprovalKey, ...] = ("udvalg", "forvaltning", "ikke oplyst")
APPROVAL_WORDS: dict[ApprovalKey, str] = {
    "udvalg": "godkendt politisk (udvalg)",
    "forvaltning": "godkendt administrativt (forvaltning)",
    "ikke oplyst": "ikke oplyst",
}
SECTIONS = ("Høringen", "Høringssvarene", "Spørgsmål", "Sammenfatning")


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved a submission: a committee (udvalg) or the administration (forvaltning)."""

    body: Literal["udvalg", "forvaltning"]
    date: dt.date | None
    minutes: str | None


@dataclass(frozen=True, slots=True)
class Respondent:
    """One consulted municipality and how it answered."""

    code: str
    name: str
    standing: Standing
    #: The dates of its submissions, oldest first (empty: no answer).
    submitted: tuple[dt.date, ...]
    #: The offices or committees that sent them (never a person).
    submitted_by: tuple[str, ...]
    approvals: tuple[Approval, ...]

    @property
    def answered(self) -> bool:
        return self.standing is not Standing.NO_ANSWER

    @property
    def approval(self) -> ApprovalKey | None:
        """The strongest approval stated: udvalg before forvaltning; None without answer."""
        if not self.answered:
            return None
        bodies = {a.body for a in self.approvals}
        for body in ("udvalg", "forvaltning"):
            if body in bodies:
                return body
        return "ikke oplyst"


@dataclass(frozen=True, slots=True)
class Hearing:
    """Høringen: what was sent out, to whom, when, and who answered."""

    base: str | None
    base_title: str | None
    base_date: dt.date | None
    base_url: str | None
    opens: dt.date | None
    deadline: dt.date
    #: Respondents in Danish alphabetical order of name.
    respondents: tuple[Respondent, ...]
    answered_elsewhere: int | None

    @property
    def days(self) -> int | None:
        """The length of the period, counting both the first and the last day: the
        deadline is inclusive, so a period from 18 March to 23 April 2019 is 37 days."""
        if self.opens is None:
            return None
        return (self.deadline - self.opens).days + 1


@dataclass(frozen=True, slots=True)
class Proposer:
    code: str
    name: str
    late: bool
    rationale: str | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The editors' comment on the changes of a group that were decided alike."""

    decision: DecisionKey
    #: The final text of a modify.
    text: str | None
    reason: str | None
    #: Whom it concerns, when the group's changes were decided differently (else empty).
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProposalGroup:
    """Changes of one kind, at one place, with one text (NFC, whitespace normalised),
    proposed by one or more municipalities."""

    kind: str
    #: The existing values it is about (merge: the survivor first).
    values: tuple[str, ...]
    #: Add and move: the value it follows (None: first).
    after: str | None
    #: The proposed text (the first proposer's wording).
    text: str | None
    #: In Danish alphabetical order.
    proposers: tuple[Proposer, ...]
    change_ids: tuple[str, ...]
    verdicts: tuple[Verdict, ...]


OutcomeStatus = Literal["kept", "retired", "added", "not-added", "undecided", "conflict"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a value is after the round's accepted and modified changes."""

    status: OutcomeStatus
    number: int | None = None
    text: str | None = None
    #: Retired by a merge into this value.
    merged_into: str | None = None
    #: Changes about it are not decided yet, so it may still change.
    pending: bool = False


@dataclass(frozen=True, slots=True)
class ValueItem:
    """One value of the base release (or one proposed new value) with what was said."""

    #: None for a proposed new value.
    id: str | None
    #: Its number in the base release (None: new, or not in the base release).
    number: int | None
    title: str | None
    #: Its text in the base release (None: new, or not in the base release).
    text: str | None
    proposals: tuple[ProposalGroup, ...]
    comments: tuple[ProposalGroup, ...]
    #: Values whose merge proposal (shown under them) includes this one.
    merged_with: tuple[str, ...]
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class ResultValue:
    number: int
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Answer:
    code: str
    name: str
    late: bool
    text: str


@dataclass(frozen=True, slots=True)
class QuestionAnswers:
    id: str
    #: None for answers to a question the round does not ask.
    text: str | None
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Summary:
    """Sammenfatning: the counts."""

    standings: Mapping[Standing, int]
    answered_elsewhere: int | None
    submissions: int
    #: Answering municipalities by their strongest approval.
    approvals: Mapping[ApprovalKey, int]
    #: Changes by kind (every kind of `models.CHANGE_KINDS`), then decision.
    changes: Mapping[str, Mapping[DecisionKey, int]]

    @property
    def by_kind(self) -> dict[str, int]:
        return {kind: sum(decisions.values()) for kind, decisions in self.changes.items()}

    @property
    def by_decision(self) -> dict[DecisionKey, int]:
        return {d: sum(c[d] for c in self.changes.values()) for d in DECISION_KEYS}

    @property
    def total_changes(self) -> int:
        return sum(self.by_kind.values())


@dataclass(frozen=True)
class Report:
    """The høringsnotat of one round, as data."""

    registry: str
    owner: str
    round_id: str
    title: str
    closed: bool
    today: dt.date
    hearing: Hearing
    #: Høringssvarene, value by value in the base release's order, each proposed new
    #: value after the value it would follow; empty for a round without a base release.
    items: tuple[ValueItem, ...]
    #: Comments about no particular value.
    general_comments: tuple[ProposalGroup, ...]
    #: The whole set after the round's accepted and modified changes, in order.
    result: tuple[ResultValue, ...]
    questions: tuple[QuestionAnswers, ...]
    summary: Summary
    #: Numbers of the base release's values, to name them.
    numbers: Mapping[str, int]
    #: Numbers after the round's decisions.
    new_numbers: Mapping[str, int]


# --- building -----------------------------------------------------------------------------


def build_report(
    root: Path,
    round_id: str | None,
    *,
    today: dt.date,
    release_url: Callable[[str], str | None] | None = None,
    worktree: Snapshot | None = None,
    releases: Mapping[str, Snapshot] | None = None,
) -> Report:
    """The report of the named round (None: the one open round). Refuses an invalid
    registry; reads the base release's values from git; writes nothing.

    A caller that has loaded them already (the site) passes the work tree's snapshot,
    checked valid, and the snapshots of the releases' commits by version.
    """
    snapshot = worktree if worktree is not None else load_valid_snapshot(root, "a report")
    round_ = select_round(snapshot, round_id)
    registry = snapshot.registry
    base_release: models.Release | None = None
    base_values: dict[str, models.Value] = {}
    if round_.base is not None:
        parsed = snapshot.releases.get(round_.base)
        base_release = parsed.model if parsed is not None else None
        base_snapshot = (releases or {}).get(round_.base)
        if base_snapshot is None:
            commit = release_commit(root, tag_name(snapshot, round_.base), round_.base)
            base_snapshot = load_snapshot_at(root, commit)
        base_values = _values_of_release(base_snapshot, round_.base)
    url = release_url(round_.base) if release_url is not None and round_.base else None
    records = collect_changes(snapshot, round_)  # decisions, whether applied or not
    hearing = Hearing(
        base=round_.base,
        base_title=base_release.title if base_release else None,
        base_date=base_release.date if base_release else None,
        base_url=url,
        opens=round_.opens,
        deadline=round_.deadline,
        respondents=respondents_of(snapshot, round_),
        answered_elsewhere=round_.answered_elsewhere,
    )
    planner = _Planner(snapshot, base_values, records)
    items, general = planner.items() if round_.base is not None else ((), ())
    result = planner.result() if round_.base is not None else ()
    return Report(
        registry=registry.name if registry is not None else "",
        owner=registry.owner if registry is not None else "",
        round_id=round_.id,
        title=round_.title,
        closed=round_.closed,
        today=today,
        hearing=hearing,
        items=items,
        general_comments=general,
        result=result,
        questions=_questions(snapshot, round_),
        summary=_summary(snapshot, round_, hearing, records),
        numbers={v: base_values[v].number for v in planner.base_order},
        new_numbers=planner.new_numbers,
    )


def _values_of_release(snapshot: Snapshot, version: str) -> dict[str, models.Value]:
    """The active values of a release, from the commit that made it."""
    parsed = snapshot.releases.get(version)
    if parsed is None or parsed.model is None:
        raise InvalidRegistry(
            f"registry/releases/{version}.yaml is not a valid manifest in its release "
            "commit; run `valreg verify`"
        )
    listed = {entry.id for entry in parsed.model.values}
    values = {
        stem: p.model
        for stem, p in snapshot.values.items()
        if p.model is not None and stem in listed and p.model.status == "active"
    }
    missing = sorted(listed - set(values))
    if missing:
        raise InvalidRegistry(
            f"release {version} lists values its commit does not hold: {', '.join(missing)}; "
            "run `valreg verify`"
        )
    return values


def _name(snapshot: Snapshot, code: str) -> str:
    known = snapshot.municipalities.get(code)
    return known.name if known is not None else f"kommune {code}"


def respondents_of(snapshot: Snapshot, round_: models.Round) -> tuple[Respondent, ...]:
    """Every consulted municipality with its standing, submissions and approvals, in
    Danish alphabetical order (the report's list, and the site's round page)."""
    proposals: dict[str, list[models.Proposal]] = defaultdict(list)
    for parsed in snapshot.valid("proposal"):
        if parsed.folder == round_.id:
            proposals[parsed.model.municipality].append(parsed.model)
    respondents = []
    for code, standing in standings(snapshot, round_).items():
        mine = sorted(proposals.get(code, []), key=lambda p: p.submitted)
        approvals = (
            Approval(p.approved_by.body, p.approved_by.date, p.approved_by.minutes)
            for p in mine
            if p.approved_by is not None
        )
        respondents.append(
            Respondent(
                code=code,
                name=_name(snapshot, code),
                standing=standing,
                submitted=tuple(dict.fromkeys(p.submitted for p in mine)),
                submitted_by=tuple(dict.fromkeys(p.submitted_by for p in mine if p.submitted_by)),
                approvals=tuple(dict.fromkeys(approvals)),
            )
        )
    return tuple(sorted(respondents, key=lambda r: (danish_key(r.name), r.code)))


def _decision_of(record: ChangeRecord) -> tuple[DecisionKey, str | None, str | None]:
    """(decision, final text of a modify, reason); a stale decision counts as none."""
    decision = record.decision
    if decision is None or record.decision_is_stale:
        return "undecided", None, None
    return decision.decision, decision.text, decision.reason


def _group_key(record: ChangeRecord) -> tuple[str, tuple[str | None, ...], str | None]:
    change = record.change
    text = getattr(change, "text", None)
    target: tuple[str | None, ...]
    if isinstance(change, models.Add):
        target = (change.after,)
    elif isinstance(change, models.Move):
        target = (change.value, change.after)
    else:
        target = record.touched_values
    return record.kind, target, normalise_text(text) if text is not None else None


def _group(snapshot: Snapshot, records: Sequence[ChangeRecord]) -> list[ProposalGroup]:
    """Changes of the same kind, place and text as one group each, in kind order, then
    in the order of their first change."""
    grouped: dict[tuple[str, tuple[str | None, ...], str | None], list[ChangeRecord]] = {}
    for record in records:
        grouped.setdefault(_group_key(record), []).append(record)
    groups = []
    for members in grouped.values():
        first = members[0].change
        proposers = sorted(
            {
                r.municipality: Proposer(
                    r.municipality,
                    _name(snapshot, r.municipality),
                    r.late,
                    r.change.rationale,
                )
                for r in members
            }.values(),
            key=lambda p: (danish_key(p.name), p.code),
        )
        by_verdict: dict[tuple[DecisionKey, str | None, str | None], list[str]] = {}
        for record in sorted(members, key=lambda r: danish_key(_name(snapshot, r.municipality))):
            names = by_verdict.setdefault(_decision_of(record), [])
            name = _name(snapshot, record.municipality)
            if name not in names:
                names.append(name)
        alike = len(by_verdict) == 1
        verdicts = tuple(
            Verdict(decision, text, reason, () if alike else tuple(names))
            for (decision, text, reason), names in sorted(
                by_verdict.items(), key=lambda item: DECISION_KEYS.index(item[0][0])
            )
        )
        groups.append(
            ProposalGroup(
                kind=members[0].kind,
                values=members[0].touched_values,
                after=first.after if isinstance(first, models.Add | models.Move) else None,
                text=getattr(first, "text", None),
                proposers=tuple(proposers),
                change_ids=tuple(r.id for r in members),
                verdicts=verdicts,
            )
        )
    return sorted(groups, key=lambda g: models.CHANGE_KINDS.index(g.kind))


class _Planner:
    """The round's accepted and modified changes applied, in memory, to the base release's
    values (with apply's own planning), and the items of Høringssvarene."""

    def __init__(
        self,
        snapshot: Snapshot,
        base_values: Mapping[str, models.Value],
        records: Sequence[ChangeRecord],
    ) -> None:
        self.snapshot = snapshot
        self.base = dict(base_values)
        self.records = records
        self.base_order = [v.id for v in sorted(self.base.values(), key=lambda v: v.number)]
        chosen = chosen_changes(records)
        self.working = WorkingSet(self.base)
        conflicts = find_conflicts(chosen, snapshot)
        # Accepted changes that contradict each other: apply refuses them, and the report
        # cannot say what the value becomes until the editors settle it.
        self.blocked = {cid for c in conflicts for cid in c.change_ids}
        pending = [r for r in chosen if r.id not in self.blocked and not self.working.in_effect(r)]
        taken = set(self.working.values)
        for record in pending:
            if not all(v in self.working.order for v in record.touched_values):
                self.blocked.add(record.id)  # its value went in an earlier change
                continue
            self.working.apply(record, taken)
        self.new_numbers = {v: i + 1 for i, v in enumerate(self.working.order)}
        self.touching: dict[str, list[ChangeRecord]] = defaultdict(list)
        for record in records:
            if record.alters_the_set:
                for value_id in record.touched_values:
                    self.touching[value_id].append(record)

    def result(self) -> tuple[ResultValue, ...]:
        return tuple(
            ResultValue(self.new_numbers[v], v, self.working.texts[v]) for v in self.working.order
        )

    def items(self) -> tuple[tuple[ValueItem, ...], tuple[ProposalGroup, ...]]:
        about: dict[str, list[ChangeRecord]] = defaultdict(list)
        comments: dict[str, list[ChangeRecord]] = defaultdict(list)
        general: list[ChangeRecord] = []
        adds: dict[str | None, list[ChangeRecord]] = defaultdict(list)
        merged_with: dict[str, list[str]] = defaultdict(list)
        for record in self.records:
            change = record.change
            if isinstance(change, models.Add):
                adds[change.after].append(record)
            elif isinstance(change, models.Comment):
                if change.value is None:
                    general.append(record)
                else:
                    comments[change.value].append(record)
            else:
                survivor, *others = record.touched_values
                about[survivor].append(record)
                for other in others:
                    if survivor not in merged_with[other]:
                        merged_with[other].append(survivor)
        elsewhere = sorted(
            ({*about, *comments, *merged_with} - set(self.base_order)), key=danish_key
        )
        items: list[ValueItem] = []
        placed: set[str | None] = set()

        def place_adds(after: str | None) -> None:
            placed.add(after)
            for group in _group(self.snapshot, adds.get(after, [])):
                items.append(
                    ValueItem(None, None, None, None, (group,), (), (), self._added(group))
                )

        place_adds(None)
        for value_id in [*self.base_order, *elsewhere]:
            value = self.base.get(value_id)
            items.append(
                ValueItem(
                    id=value_id,
                    number=value.number if value else None,
                    title=value.title if value else None,
                    text=value.text if value else None,
                    proposals=tuple(_group(self.snapshot, about.get(value_id, []))),
                    comments=tuple(_group(self.snapshot, comments.get(value_id, []))),
                    merged_with=tuple(merged_with.get(value_id, [])),
                    outcome=self._kept(value_id),
                )
            )
            place_adds(value_id)
        for after in sorted((a for a in adds if a not in placed), key=lambda a: a or ""):
            place_adds(after)
        return tuple(items), tuple(_group(self.snapshot, general))

    def _kept(self, value_id: str) -> Outcome:
        touching = self.touching.get(value_id, [])
        if any(r.id in self.blocked for r in touching):
            return Outcome("conflict")
        pending = any(r.state == "undecided" for r in touching)
        if value_id in self.working.retired:
            into = self.working.retired[value_id]
            return Outcome("retired", merged_into=into, pending=pending)
        if value_id not in self.working.order:
            return Outcome("retired", pending=pending)
        return Outcome(
            "kept",
            number=self.new_numbers[value_id],
            text=self.working.texts[value_id],
            pending=pending,
        )

    def _added(self, group: ProposalGroup) -> Outcome:
        if self.blocked.intersection(group.change_ids):
            return Outcome("conflict")
        new = [self.working.added[c] for c in group.change_ids if c in self.working.added]
        undecided = any(v.decision == "undecided" for v in group.verdicts)
        if new:
            return Outcome(
                "added",
                number=self.new_numbers.get(new[0]),
                text=self.working.texts[new[0]],
                pending=undecided,
            )
        return Outcome("undecided" if undecided else "not-added")


def _questions(snapshot: Snapshot, round_: models.Round) -> tuple[QuestionAnswers, ...]:
    """Every question of the round with its answers (Danish order of municipality), then
    answers to questions the round does not ask."""
    answers: dict[str, list[Answer]] = defaultdict(list)
    for parsed in snapshot.valid("proposal"):
        if parsed.folder != round_.id:
            continue
        proposal: models.Proposal = parsed.model
        for answer in proposal.answers:
            answers[answer.question].append(
                Answer(
                    proposal.municipality,
                    _name(snapshot, proposal.municipality),
                    proposal.submitted > round_.deadline,
                    answer.text,
                )
            )
    asked = {q.id: q.text for q in round_.questions}
    ids = [*asked, *sorted(set(answers) - set(asked))]
    return tuple(
        QuestionAnswers(
            q,
            asked.get(q),
            tuple(sorted(answers.get(q, []), key=lambda a: (danish_key(a.name), a.code))),
        )
        for q in ids
    )


def _summary(
    snapshot: Snapshot, round_: models.Round, hearing: Hearing, records: Sequence[ChangeRecord]
) -> Summary:
    counted = Counter(r.standing for r in hearing.respondents)
    approvals = Counter(r.approval for r in hearing.respondents if r.approval is not None)
    changes: dict[str, dict[DecisionKey, int]] = {
        kind: dict.fromkeys(DECISION_KEYS, 0) for kind in models.CHANGE_KINDS
    }
    for record in records:
        changes[record.kind][_decision_of(record)[0]] += 1
    submissions = sum(1 for p in snapshot.valid("proposal") if p.folder == round_.id)
    return Summary(
        standings={s: counted[s] for s in Standing},
        answered_elsewhere=round_.answered_elsewhere,
        submissions=submissions,
        approvals={key: approvals[key] for key in APPROVAL_KEYS},
        changes=changes,
    )


# --- words shared by the renderers (plain text; each renderer escapes it) -----------------


def safe_url(url: str | None) -> str | None:
    """`url` if it may become a link: http(s), or a relative path; never `javascript:`,
    `data:` or anything with spaces or control characters a browser would strip."""
    if url is None or not url or re.search(r"[\s\x00-\x1f\x7f\\]", url):
        return None
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return url
    if scheme == "" and ":" not in url.split("/", 1)[0]:
        return url
    return None


def listing(names: Sequence[str]) -> str:
    """`A`, `A og B`, `A, B og C`."""
    return f"{', '.join(names[:-1])} og {names[-1]}" if len(names) > 1 else "".join(names)


def days_word(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dage"


def value_name(report: Report, value_id: str) -> str:
    """`nr. 3 (samarbejde-med-foraeldre)`, or the id alone for a value not in the base."""
    number = report.numbers.get(value_id)
    return f"nr. {number} ({value_id})" if number is not None else value_id


def item_heading(item: ValueItem) -> str:
    if item.id is None:
        return KIND_WORDS["add"] + " (forslag)"
    name = f"{item.title} ({item.id})" if item.title else item.id
    return f"{item.number}. {name}" if item.number is not None else f"{name} (ikke i udgaven)"


def group_heading(report: Report, group: ProposalGroup) -> str:
    """What a group proposes, in a few words: `Sammenlægning af nr. 3 (…) og nr. 4 (…)`."""
    where = "først" if group.after is None else f"efter {value_name(report, group.after)}"
    if group.kind == "merge":
        return f"Sammenlægning af {listing([value_name(report, v) for v in group.values])}"
    if group.kind == "move":
        return f"Ny placering: {where}"
    if group.kind == "add":
        return f"Ny værdi {where}"
    return KIND_WORDS[group.kind]


def proposer_names(group: ProposalGroup) -> str:
    return listing([f"{p.name} (efter fristen)" if p.late else p.name for p in group.proposers])


def text_label(group: ProposalGroup) -> str:
    return "Bemærkning" if group.kind == "comment" else "Foreslået tekst"


def verdict_sentence(verdict: Verdict) -> str:
    """`Delvist imødekommet. Endelig tekst: «…». Begrundelse: …`"""
    said = DECISION_WORDS[verdict.decision] + "."
    if verdict.text is not None:
        said += f" Endelig tekst: «{verdict.text}»."
    if verdict.reason:
        said += f" Begrundelse: {verdict.reason}"
    return said


def verdict_label(verdict: Verdict) -> str:
    who = f" til {listing(verdict.names)}" if verdict.names else ""
    return f"Redaktionens kommentar{who}"


def merged_sentence(report: Report, item: ValueItem) -> str:
    return (
        "Indgår i forslaget om sammenlægning under "
        f"{listing([value_name(report, v) for v in item.merged_with])}."
    )


def outcome_sentence(report: Report, item: ValueItem) -> str:
    """The resulting text in words (without the text itself, which follows it)."""
    outcome = item.outcome
    if outcome.status == "conflict":
        return (
            "Kan ikke opgøres: de imødekomne forslag om værdien er indbyrdes modstridende "
            "og skal afklares først."
        )
    if outcome.status == "retired":
        if outcome.merged_into is not None:
            number = report.new_numbers.get(outcome.merged_into)
            into = f"nr. {number} ({outcome.merged_into})" if number else outcome.merged_into
            return f"Udgår; lagt sammen med {into}."
        return "Udgår."
    if outcome.status == "not-added":
        return "Optages ikke."
    if outcome.status == "undecided":
        return "Ikke afgjort endnu."
    if outcome.status == "added":
        return f"Ny værdi nr. {outcome.number}:"
    unchanged_text = item.text is not None and normalise_text(item.text) == normalise_text(
        outcome.text or ""
    )
    if unchanged_text and outcome.number == item.number:
        return f"Uændret, nr. {outcome.number}:"
    what = "uændret tekst" if unchanged_text else "ny tekst"
    if outcome.number != item.number:
        what += f", nyt nr. {outcome.number}"
        if item.number is not None:
            what += f" (før nr. {item.number})"
    return f"{what[0].upper()}{what[1:]}:"


def pending_sentence(item: ValueItem) -> str | None:
    if not item.outcome.pending:
        return None
    return "Der er forslag om værdien, som ikke er afgjort endnu, så resultatet kan ændre sig."


def period_sentence(hearing: Hearing) -> str:
    if hearing.opens is None or hearing.days is None:
        return f"Høringsfrist: {danish_date(hearing.deadline)}."
    return (
        f"Høringsperiode: {danish_date(hearing.opens)} – {danish_date(hearing.deadline)} "
        f"({days_word(hearing.days)}, begge dage medregnet)."
    )


def sent_out(report: Report) -> str:
    """The sentence before the link to the base release (or the whole sentence without)."""
    parties = f"de {len(report.hearing.respondents)} kommuner"
    if report.hearing.base is None:
        return (
            f"Høringen omfattede ingen udgave af værdierne; {parties} blev bedt om at "
            "besvare spørgsmålene nedenfor."
        )
    return f"Sendt i høring hos {parties}:"


def base_label(hearing: Hearing) -> str:
    label = f"udgave {hearing.base}"
    if hearing.base_title:
        label += f" «{hearing.base_title}»"
    return label


def base_after(hearing: Hearing) -> str:
    """What follows the link to the base release: ` af 18. marts 2019.` or `.`"""
    return f" af {danish_date(hearing.base_date)}." if hearing.base_date else "."


def answers_sentence(report: Report) -> str:
    summary = report.summary
    counts = summary.standings
    answered = sum(n for s, n in counts.items() if s is not Standing.NO_ANSWER)
    total = sum(counts.values())
    return (
        f"{answered} af {total} kommuner har svaret i registret: "
        f"{counts[Standing.ANSWERED]} med bemærkninger eller svar på spørgsmålene, "
        f"{counts[Standing.NO_REMARKS]} uden bemærkninger og "
        f"{counts[Standing.LATE]} efter fristen; {counts[Standing.NO_ANSWER]} har ikke svaret."
    )


def elsewhere_sentence(report: Report) -> str | None:
    n = report.hearing.answered_elsewhere
    if n is None:
        return None
    svar = "høringssvar"
    return f"Derudover er der modtaget {n} {svar} uden for registret, som ikke offentliggøres her."


def approval_sentence(report: Report) -> str:
    counts = report.summary.approvals
    return (
        f"Godkendelse af svarene: {counts['udvalg']} godkendt politisk (udvalg), "
        f"{counts['forvaltning']} godkendt administrativt (forvaltning), "
        f"{counts['ikke oplyst']} ikke oplyst."
    )


def approval_text(approval: Approval) -> str:
    """`godkendt politisk (udvalg) den 17. september 2019` (the minutes link is separate)."""
    said = APPROVAL_WORDS[approval.body]
    if approval.date is not None:
        said += f" den {danish_date(approval.date)}"
    return said


def status_line(report: Report) -> str:
    made = f"Notatet er udarbejdet den {danish_date(report.today)}"
    if report.closed:
        return f"{made}."
    return f"{made}; høringsrunden er ikke lukket, så notatet viser stillingen på den dag."


def no_items_sentence(report: Report) -> str:
    if report.hearing.base is None:
        said = (
            "Høringen omfattede ingen udgave af værdierne, så der er ingen forslag til "
            "ændringer at gennemgå."
        )
        total = report.summary.total_changes
        if total:  # a proposal may name its own base; without the round's, none is shown
            said += (
                f" Der er alligevel indsendt {total} ændringsforslag; de er talt med i "
                "sammenfatningen, men gennemgås ikke her."
            )
        return said
    return ""


def intro_items(report: Report) -> str:
    return (
        f"Værdierne gennemgås i rækkefølgen fra {base_label(report.hearing)}. Under hver "
        "værdi står teksten, der blev sendt i høring, kommunernes forslag (forslag med samme "
        "indhold er samlet), redaktionens kommentar og den tekst, værdien får efter "
        "afgørelserne."
    )


def respondent_cells(respondent: Respondent) -> tuple[str, str, str, str]:
    """Svar, Modtaget, Afsender, Godkendelse (the minutes link is separate)."""
    if not respondent.answered:
        return STANDING_WORDS[respondent.standing], "–", "–", "–"
    approvals = [approval_text(a) for a in respondent.approvals] or ["ikke oplyst"]
    return (
        STANDING_WORDS[respondent.standing],
        ", ".join(danish_date(d) for d in respondent.submitted),
        "; ".join(respondent.submitted_by) or "–",
        "; ".join(approvals),
    )


def standing_rows(report: Report) -> list[tuple[str, int]]:
    rows = [(STANDING_WORDS[s], n) for s, n in report.summary.standings.items()]
    if report.summary.answered_elsewhere is not None:
        rows.append(("Svar uden for registret", report.summary.answered_elsewhere))
    rows.append(("Indsendte høringssvar i registret", report.summary.submissions))
    return rows


def approval_rows(report: Report) -> list[tuple[str, int]]:
    return [(APPROVAL_WORDS[k].capitalize(), n) for k, n in report.summary.approvals.items()]


def change_rows(report: Report) -> list[tuple[str, list[int], int]]:
    """One row per kind: counts per decision (in DECISION_KEYS order) and the total."""
    summary = report.summary
    rows = [
        (KIND_WORDS[kind], [decisions[d] for d in DECISION_KEYS], summary.by_kind[kind])
        for kind, decisions in summary.changes.items()
    ]
    by_decision = summary.by_decision
    rows.append(("I alt", [by_decision[d] for d in DECISION_KEYS], summary.total_changes))
    return rows


def document_title(report: Report) -> str:
    return f"Høringsnotat: {report.title}"


def subtitle(report: Report) -> str:
    return f"{report.registry}, {report.owner}. Høringsrunde {report.round_id}"


# --- Markdown -----------------------------------------------------------------------------


def _flat(text: str) -> str:
    """Untrusted text on one line with Markdown's active characters escaped (and `&`, so
    an entity cannot spell a tag), so it cannot open a link, an image or HTML."""
    return escape_markdown(" ".join(text.split())).replace("&", "&amp;")


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def _md_url(url: str) -> str:
    """A URL as a Markdown link destination: characters that could end it percent-encoded."""
    return urllib.parse.quote(url, safe=":/?#@!$&*+,;=%~-._")


def _md_link(label: str, url: str | None) -> str:
    href = safe_url(url)
    return f"[{label}]({_md_url(href)})" if href is not None else label


def _md_minutes(respondent: Respondent) -> str:
    links = [safe_url(a.minutes) for a in respondent.approvals]
    return "".join(f" ([referat]({_md_url(href)}))" for href in links if href is not None)


def _md_group(report: Report, group: ProposalGroup) -> str:
    lines = [f"**{_flat(group_heading(report, group))}** – fra {_flat(proposer_names(group))}"]
    if group.text is not None:
        lines.append(f"{text_label(group)}: «{_flat(group.text)}»")
    lines += [
        f"Begrundelse fra {_flat(p.name)}: {_flat(p.rationale)}"
        for p in group.proposers
        if p.rationale
    ]
    lines += [f"*{_flat(verdict_label(v))}:* {_flat(verdict_sentence(v))}" for v in group.verdicts]
    return "- " + "  \n  ".join(lines)


def render_markdown(report: Report) -> str:
    """For GitHub: Danish, every registry text escaped."""
    hearing = report.hearing
    out = [
        f"# {_flat(document_title(report))}",
        "",
        f"{_flat(subtitle(report))}. {_flat(status_line(report))}",
        "",
        "## Høringen",
        "",
    ]
    if hearing.base is not None:
        link = _md_link(_flat(base_label(hearing)), hearing.base_url)
        after = base_after(hearing)
        out.append(
            f"{_flat(sent_out(report))} {link}{' ' if after[0] == ' ' else ''}{_flat(after)}"
        )
    else:
        out.append(_flat(sent_out(report)))
    out += ["", _flat(period_sentence(hearing)), "", _flat(answers_sentence(report))]
    elsewhere = elsewhere_sentence(report)
    if elsewhere:
        out += ["", _flat(elsewhere)]
    out += ["", _flat(approval_sentence(report)), "", "### Høringsparter", ""]
    out += ["| Kommune | Svar | Modtaget | Afsender | Godkendelse |", "|---|---|---|---|---|"]
    for r in hearing.respondents:
        standing, received, sender, approval = respondent_cells(r)
        out.append(
            f"| {_cell(r.name)} | {_cell(standing)} | {_cell(received)} | {_cell(sender)} | "
            f"{_cell(approval)}{_md_minutes(r)} |"
        )
    out += ["", "## Høringssvarene", ""]
    if hearing.base is None:
        out.append(_flat(no_items_sentence(report)))
    else:
        out.append(_flat(intro_items(report)))
    for item in report.items:
        out += ["", f"### {_flat(item_heading(item))}", ""]
        if item.text is not None:
            out += [f"**Tekst i høringsudgaven:** {_flat(item.text)}", ""]
        if item.merged_with:
            out += [_flat(merged_sentence(report, item)), ""]
        if item.proposals:
            out += ["**Forslag:**", "", *(_md_group(report, g) for g in item.proposals), ""]
        elif item.id is not None and not item.merged_with:
            out += ["Ingen forslag.", ""]
        if item.comments:
            out += ["**Bemærkninger:**", "", *(_md_group(report, g) for g in item.comments), ""]
        result = f"**Resultat:** {_flat(outcome_sentence(report, item))}"
        if item.outcome.text is not None:
            result += f" {_flat(item.outcome.text)}"
        out.append(result)
        pending = pending_sentence(item)
        if pending:
            out += ["", f"*{_flat(pending)}*"]
    if report.general_comments:
        out += ["", "### Generelle bemærkninger", ""]
        out += [_md_group(report, g) for g in report.general_comments]
    if report.result:
        out += ["", "### Værdierne efter afgørelserne", ""]
        out += [f"{v.number}. {_flat(v.text)} ({_flat(v.id)})" for v in report.result]
    out += ["", "## Spørgsmål", ""]
    if not report.questions:
        out.append("Høringen stillede ingen spørgsmål.")
    for question in report.questions:
        out += [f"### {_flat(question_heading(question))}", ""]
        out += [f"- **{_flat(answer_name(a))}:** {_flat(a.text)}" for a in question.answers]
        if not question.answers:
            out.append("Ingen svar.")
        out.append("")
    if report.questions:
        out.pop()
    out += ["", "## Sammenfatning", "", "| Svar | Antal |", "|---|---:|"]
    out += [f"| {_cell(label)} | {n} |" for label, n in standing_rows(report)]
    out += ["", "| Godkendelse af svarene | Antal |", "|---|---:|"]
    out += [f"| {_cell(label)} | {n} |" for label, n in approval_rows(report)]
    decisions = " | ".join(DECISION_WORDS[d] for d in DECISION_KEYS)
    out += ["", f"| Forslag | {decisions} | I alt |", "|---" + "|---:" * 6 + "|"]
    out += [
        f"| {label} | {' | '.join(str(n) for n in counts)} | {total} |"
        for label, counts, total in change_rows(report)
    ]
    return "\n".join(out) + "\n"


def question_heading(question: QuestionAnswers) -> str:
    return f"{question.id}: {question.text or '(ikke et spørgsmål i denne høring)'}"


def answer_name(answer: Answer) -> str:
    return f"{answer.name} (efter fristen)" if answer.late else answer.name


# --- HTML ---------------------------------------------------------------------------------


def render_html(report: Report) -> str:
    """One standalone, accessible page in Danish: inline CSS, no scripts, text escaped."""
    from valreg.publishing.html import html_environment

    environment = html_environment()
    environment.filters["safe_url"] = safe_url
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report,
        hearing=report.hearing,
        title=document_title(report),
        subtitle=subtitle(report),
        status_line=status_line(report),
        sent_out=sent_out(report),
        base_label=base_label(report.hearing),
        base_after=base_after(report.hearing),
        period=period_sentence(report.hearing),
        answers=answers_sentence(report),
        elsewhere=elsewhere_sentence(report),
        approvals=approval_sentence(report),
        respondent_cells=respondent_cells,
        intro_items=intro_items(report) if report.hearing.base else no_items_sentence(report),
        item_heading=item_heading,
        group_heading=lambda g: group_heading(report, g),
        proposer_names=proposer_names,
        text_label=text_label,
        verdict_label=verdict_label,
        verdict_sentence=verdict_sentence,
        merged_sentence=lambda i: merged_sentence(report, i),
        outcome_sentence=lambda i: outcome_sentence(report, i),
        pending_sentence=pending_sentence,
        question_heading=question_heading,
        answer_name=answer_name,
        standing_rows=standing_rows(report),
        approval_rows=approval_rows(report),
        decision_words=[DECISION_WORDS[d] for d in DECISION_KEYS],
        change_rows=change_rows(report),
    )


# --- Word ---------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold (Word refuses the document); the loader refuses them in
#: registry text already, so this only guards a Report built by other code.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


#: A run of text in a Word document: (text, bold) or (text, bold, URL it links to).
_Run = tuple[str, bool] | tuple[str, bool, str]
#: A table cell: plain text, or runs.
_Cell = str | Sequence[_Run]


class _Links:
    """External hyperlinks of a Word document: each http(s) URL gets one relationship."""

    def __init__(self, relate: Callable[[str], str]) -> None:
        self._relate = relate
        self._ids: dict[str, str] = {}

    def id_of(self, url: str) -> str | None:
        """The relationship id for `url`, or None when it may not become a link (only
        absolute http(s) URLs: a relative one means nothing inside a document)."""
        if safe_url(url) is None or not re.match(r"https?://", url, re.IGNORECASE):
            return None
        if url not in self._ids:
            self._ids[url] = self._relate(url)
        return self._ids[url]


def _w_runs(runs: Sequence[_Run], links: _Links) -> str:
    """WordprocessingML runs: the text escaped, line breaks as <w:br/>, bold where asked,
    a run with a URL as a hyperlink (blue, underlined)."""
    out = []
    for text, bold, *url in runs:
        lines = [escape(line) for line in _docx_text(text).split("\n")]
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
        rid = links.id_of(url[0]) if url else None
        if rid is None:
            out.append(f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}{body}</w:r>")
            continue
        style = f'{"<w:b/>" if bold else ""}<w:color w:val="0563C1"/><w:u w:val="single"/>'
        out.append(
            f'<w:hyperlink r:id="{rid}"><w:r><w:rPr>{style}</w:rPr>{body}</w:r></w:hyperlink>'
        )
    return "".join(out)


def _w_paragraph(runs: Sequence[_Run], links: _Links, style_id: str | None = None) -> str:
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    return f"<w:p>{style}{_w_runs(runs, links)}</w:p>"


def _w_table(
    headers: Sequence[str], rows: Iterable[Sequence[_Cell]], width: int, links: _Links
) -> str:
    """A table in the template's "Table Grid" style, columns of equal width (twips); the
    header row repeats on every page."""
    column = width // len(headers)

    def row(cells: Sequence[_Cell], *, header: bool) -> str:
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{column}" w:type="dxa"/></w:tcPr>'
            f"{_w_paragraph([(cell, header)] if isinstance(cell, str) else cell, links)}</w:tc>"
            for cell in cells
        )
        return f"<w:tr>{properties}{tcs}</w:tr>"

    grid = "".join(f'<w:gridCol w:w="{column}"/>' for _ in headers)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + row(headers, header=True)
        + "".join(row(cells, header=False) for cells in rows)
        + "</w:tbl>"
    )


def render_docx(report: Report) -> bytes:
    """A Word document for a committee's agenda: headings, paragraphs and tables (texts
    are plain runs, so nothing in them is read as markup; only the base release's and
    the minutes' http(s) URLs become links).

    python-docx makes the package (styles, properties, parts); the body is written as
    WordprocessingML and parsed once, because python-docx's per-paragraph calls search the
    whole body and every style each time, which made a report of 1,000 values take seconds.
    """
    import docx
    from docx.document import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document: Document = docx.Document()
    core = document.core_properties
    core.title = _docx_text(document_title(report))
    core.language = "da-DK"
    core.author = _docx_text(report.owner)
    # A fixed date keeps the document reproducible (SOURCE_DATE_EPOCH reaches `today`).
    moment = dt.datetime.combine(report.today, dt.time(12, 0))
    core.created = core.modified = moment
    core.last_modified_by = ""
    core.revision = 1
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    twips = int(width) // 635  # EMU per twip
    body: list[str] = []
    links = _Links(
        lambda url: document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    )

    def heading(text: str, level: int) -> None:
        style = "Title" if level == 0 else f"Heading{level}"
        body.append(_w_paragraph([(text, False)], links, style))

    def paragraph(*runs: _Run) -> None:
        body.append(_w_paragraph(runs, links))

    def table(headers: Sequence[str], rows: Iterable[Sequence[_Cell]]) -> None:
        body.append(_w_table(headers, rows, twips, links))

    def group_rows(groups: Iterable[ProposalGroup]) -> list[tuple[str, str, str]]:
        rows = []
        for group in groups:
            said = [group_heading(report, group)]
            if group.text is not None:
                said.append(f"{text_label(group)}: «{group.text}»")
            said += [
                f"Begrundelse fra {p.name}: {p.rationale}" for p in group.proposers if p.rationale
            ]
            comment = [
                (f"{listing(v.names)}: " if v.names else "") + verdict_sentence(v)
                for v in group.verdicts
            ]
            rows.append(("\n".join(said), proposer_names(group), "\n".join(comment)))
        return rows

    hearing = report.hearing
    heading(document_title(report), 0)
    paragraph((f"{subtitle(report)}. {status_line(report)}", False))

    heading("Høringen", 1)
    if hearing.base is not None:
        url = safe_url(hearing.base_url)
        label = base_label(hearing)
        if url is not None and links.id_of(url) is not None:
            paragraph(
                (f"{sent_out(report)} ", False), (label, False, url), (base_after(hearing), False)
            )
        else:
            shown = f" ({url})" if url else ""
            paragraph((f"{sent_out(report)} {label}{shown}{base_after(hearing)}", False))
    else:
        paragraph((sent_out(report), False))
    paragraph((period_sentence(hearing), False))
    paragraph((answers_sentence(report), False))
    elsewhere = elsewhere_sentence(report)
    if elsewhere:
        paragraph((elsewhere, False))
    paragraph((approval_sentence(report), False))
    heading("Høringsparter", 2)
    respondent_rows: list[tuple[_Cell, ...]] = []
    for r in hearing.respondents:
        standing, received, sender, approval = respondent_cells(r)
        runs: list[_Run] = [(approval, False)]
        for minutes in (safe_url(a.minutes) for a in r.approvals):
            if minutes is not None:
                runs += [(" (", False), ("referat", False, minutes), (f": {minutes})", False)]
        respondent_rows.append((r.name, standing, received, sender, runs))
    table(("Kommune", "Svar", "Modtaget", "Afsender", "Godkendelse"), respondent_rows)

    heading("Høringssvarene", 1)
    paragraph((intro_items(report) if hearing.base else no_items_sentence(report), False))
    for item in report.items:
        heading(item_heading(item), 2)
        if item.text is not None:
            paragraph(("Tekst i høringsudgaven: ", True), (item.text, False))
        if item.merged_with:
            paragraph((merged_sentence(report, item), False))
        groups = [*item.proposals, *item.comments]
        if groups:
            table(("Forslag", "Fra", "Redaktionens kommentar"), group_rows(groups))
        elif item.id is not None and not item.merged_with:
            paragraph(("Ingen forslag.", False))
        result = outcome_sentence(report, item)
        if item.outcome.text is not None:
            result += f" {item.outcome.text}"
        paragraph(("Resultat: ", True), (result, False))
        pending = pending_sentence(item)
        if pending:
            paragraph((pending, False))
    if report.general_comments:
        heading("Generelle bemærkninger", 2)
        table(("Bemærkning", "Fra", "Redaktionens kommentar"), group_rows(report.general_comments))
    if report.result:
        heading("Værdierne efter afgørelserne", 2)
        table(("Nr.", "Tekst"), [(str(v.number), v.text) for v in report.result])

    heading("Spørgsmål", 1)
    if not report.questions:
        paragraph(("Høringen stillede ingen spørgsmål.", False))
    for question in report.questions:
        heading(question_heading(question), 2)
        if question.answers:
            table(("Kommune", "Svar"), [(answer_name(a), a.text) for a in question.answers])
        else:
            paragraph(("Ingen svar.", False))

    heading("Sammenfatning", 1)
    table(("Svar", "Antal"), [(label, str(n)) for label, n in standing_rows(report)])
    paragraph()
    table(
        ("Godkendelse af svarene", "Antal"),
        [(label, str(n)) for label, n in approval_rows(report)],
    )
    paragraph()
    table(
        ("Forslag", *(DECISION_WORDS[d] for d in DECISION_KEYS), "I alt"),
        [
            (label, *(str(n) for n in counts), str(total))
            for label, counts, total in change_rows(report)
        ],
    )
    fragment = parse_xml(f"<w:body {nsdecls('w', 'r')}>{''.join(body)}</w:body>")
    section_properties = document.element.body.sectPr
    for element in list(fragment):
        section_properties.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue(), report.today)


def _reproducible_zip(data: bytes, day: dt.date) -> bytes:
    """The same archive with every entry dated `day`, so that the same report gives the
    same bytes (zipfile stamps entries with the current time)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 12, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "docx": render_docx,
}
