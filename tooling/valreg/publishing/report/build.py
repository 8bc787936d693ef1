"""The høringsnotat of a round as plain typed data: `build_report` and what it returns.

Laid out as the "kommenteret høringsoversigt" of Justitsministeriets *Vejledning om
lovkvalitet*: Høringen (what was sent to whom, when, and who answered), Høringssvarene
(value by value: the text sent out, what the municipalities proposed, the editors'
comment and the resulting text), Spørgsmål (the answers to the round's questions) and
Sammenfatning (counts).

`build_report` reads the registry (the work tree, and the round's base release from
git) and formats nothing: the words are in `wording`, the renderers beside it. Texts
from the registry are kept as they are (untrusted; each renderer escapes them). Editors'
logins are never read into the report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from valreg.danish import danish_key
from valreg.errors import InvalidRegistry
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.snapshot import Snapshot, load_snapshot_at
from valreg.versions.adoption import ReleaseState, release_state
from valreg.versions.release import release_commit, tag_name
from valreg.workflow.apply import WorkingSet, chosen_changes
from valreg.workflow.review import DEFAULT_SIMILARITY, find_conflicts, normalise_text
from valreg.workflow.rounds import RoundState, state_of
from valreg.workflow.state import ChangeRecord, Standing, collect_changes, select_round, standings
from valreg.workflow.status import MunicipalityStanding, municipality_standings

Decision = Literal["accept", "modify", "reject", "note"]
#: A change's decision as the report counts it; "undecided" also covers a decision that
#: no longer matches its change (the change was edited after it).
DecisionKey = Literal["accept", "modify", "reject", "note", "undecided"]
DECISION_KEYS: tuple[DecisionKey, ...] = ("accept", "modify", "reject", "note", "undecided")
ApprovalKey = Literal["udvalg", "forvaltning", "ikke oplyst"]
APPROVAL_KEYS: tuple[ApprovalKey, ...] = ("udvalg", "forvaltning", "ikke oplyst")


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
    #: The final text of a modify, or of an accept combined with others in one text.
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
class AlikeSet:
    """Proposals (or answers) that say nearly the same (registry.yaml's `similarity`): the
    municipalities behind them, and where they are in their list, the first being the
    text the others are shown against."""

    names: tuple[str, ...]
    #: Indices into the item's `proposals` (or the question's `answers`), first first.
    members: tuple[int, ...]


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
    #: Different proposals here that say nearly the same.
    alike: tuple[AlikeSet, ...] = ()


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
    #: Answers that say nearly the same.
    alike: tuple[AlikeSet, ...] = ()


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


@dataclass(frozen=True, slots=True)
class Publication:
    """A release that includes the round's decisions, and its status now (adopted in its
    manifest or since, by `valreg adopt`)."""

    version: str
    title: str
    date: dt.date
    url: str | None
    state: ReleaseState


@dataclass(frozen=True)
class Report:
    """The høringsnotat of one round, as data."""

    registry: str
    owner: str
    round_id: str
    title: str
    #: Closed as `workflow.rounds.round_state` says: by its file, or released and past
    #: its deadline.
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
    #: The releases that include the round's decisions, oldest first.
    releases: tuple[Publication, ...] = ()
    #: Every municipality consulted with its region and standing, by region (the
    #: figures of the answers by region).
    by_region: tuple[MunicipalityStanding, ...] = ()


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
        closed=state_of(snapshot, round_, today) is RoundState.CLOSED,
        today=today,
        hearing=hearing,
        items=items,
        general_comments=general,
        result=result,
        questions=_questions(snapshot, round_),
        summary=_summary(snapshot, round_, hearing, records),
        numbers={v: base_values[v].number for v in planner.base_order},
        new_numbers=planner.new_numbers,
        releases=_publications(snapshot, round_, release_url),
        by_region=municipality_standings(snapshot, standings(snapshot, round_)),
    )


def _publications(
    snapshot: Snapshot, round_: models.Round, release_url: Callable[[str], str | None] | None
) -> tuple[Publication, ...]:
    """The releases whose manifests include the round, with their status now."""
    including = sorted(
        (p.model for p in snapshot.valid("release") if round_.id in p.model.rounds),
        key=lambda r: models.version_key(r.version),
    )
    return tuple(
        Publication(
            r.version,
            r.title,
            r.date,
            release_url(r.version) if release_url is not None else None,
            release_state(snapshot, r),
        )
        for r in including
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
    if decision.combined_with:  # all of its edits kept, in one text with others'
        return "accept", decision.text, decision.reason
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


def _similarity(snapshot: Snapshot) -> int:
    registry = snapshot.registry
    return registry.similarity if registry is not None else DEFAULT_SIMILARITY


def _alike(
    snapshot: Snapshot, groups: Sequence[ProposalGroup], base: str | None
) -> tuple[AlikeSet, ...]:
    """The proposal groups of one value that say nearly the same (amends and merges by what
    they change in `base`), with the municipalities behind each set."""
    from valreg.workflow.alike import group_alike

    found = []
    by_place: dict[tuple[str, tuple[str | None, ...]], list[tuple[str, str]]] = {}
    for i, group in enumerate(groups):
        if group.text is not None and group.kind in ("amend", "merge", "add"):
            by_place.setdefault((group.kind, group.values), []).append((str(i), group.text))
    for (kind, _), items in by_place.items():
        edited = base if kind in ("amend", "merge") else None
        for alike in group_alike(items, _similarity(snapshot), edited):
            members = tuple(int(k) for k in alike.keys)
            names = [p.name for i in members for p in groups[i].proposers]
            found.append(AlikeSet(tuple(sorted(dict.fromkeys(names), key=danish_key)), members))
    return tuple(found)


def _alike_answers(snapshot: Snapshot, answers: Sequence[Answer]) -> tuple[AlikeSet, ...]:
    """The answers to one question that say nearly the same."""
    from valreg.workflow.alike import group_alike

    items = [(str(i), a.text) for i, a in enumerate(answers)]
    groups = group_alike(items, _similarity(snapshot))
    return tuple(
        AlikeSet(tuple(answers[int(k)].name for k in group.keys), tuple(int(k) for k in group.keys))
        for group in groups
    )


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
            proposals = tuple(_group(self.snapshot, about.get(value_id, [])))
            items.append(
                ValueItem(
                    id=value_id,
                    number=value.number if value else None,
                    title=value.title if value else None,
                    text=value.text if value else None,
                    alike=_alike(self.snapshot, proposals, value.text if value else None),
                    proposals=proposals,
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
    out = []
    for q in [*asked, *sorted(set(answers) - set(asked))]:
        given = sorted(answers.get(q, []), key=lambda a: (danish_key(a.name), a.code))
        out.append(QuestionAnswers(q, asked.get(q), tuple(given), _alike_answers(snapshot, given)))
    return tuple(out)


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
