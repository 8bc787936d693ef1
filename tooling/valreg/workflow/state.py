"""Derived state of a round: its changes, their decisions, what is applied, who answered.

Nothing here is stored; it follows from the files and git history. No I/O: the ids
of applied changes (from `Applies:` trailers) are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from valreg.errors import InvalidRegistry, UsageError
from valreg.registry import models
from valreg.registry.diagnostics import close_match
from valreg.registry.parse import Parsed
from valreg.registry.snapshot import Snapshot


class Standing(StrEnum):
    """A municipality's standing in a round."""

    ANSWERED = "answered"
    NO_REMARKS = "answered, no remarks"
    LATE = "late"
    NO_ANSWER = "no answer"


DecisionState = Literal["undecided", "accepted", "modified", "rejected", "noted", "applied"]
DECISION_STATES: tuple[DecisionState, ...] = (
    "undecided",
    "accepted",
    "modified",
    "rejected",
    "noted",
    "applied",
)
_STATE_OF = {"accept": "accepted", "modify": "modified", "reject": "rejected", "note": "noted"}


def global_id(parsed: Parsed, change_id: str) -> str:
    """A change's id across the registry: `<round>/<file stem>#<id>`."""
    return f"{parsed.folder}/{parsed.stem}#{change_id}"


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One proposed change with everything derived about it."""

    id: str
    proposal: Parsed
    index: int
    change: models.Change
    municipality: str
    submitted: dt.date
    late: bool
    digest: str
    decision: models.Decision | None
    applied: bool

    @property
    def kind(self) -> str:
        return self.change.kind

    @property
    def decision_is_stale(self) -> bool:
        """The change was edited after it was decided."""
        return self.decision is not None and self.decision.change_sha256 != self.digest

    @property
    def state(self) -> DecisionState:
        if self.applied:
            return "applied"
        if self.decision is None or self.decision_is_stale:
            return "undecided"
        return _STATE_OF[self.decision.decision]  # type: ignore[return-value]

    @property
    def final_text(self) -> str | None:
        """The text the change gives its value: the editors' if they modified it."""
        if (
            self.decision is not None
            and self.decision.decision == "modify"
            and not self.decision_is_stale
        ):
            return self.decision.text
        return getattr(self.change, "text", None)

    @property
    def new_value_id(self) -> str | None:
        """The id the editors gave the value an add creates (`decide --id`), if any."""
        if self.decision is None or self.decision_is_stale:
            return None
        return self.decision.id

    @property
    def alters_the_set(self) -> bool:
        return self.change.kind != "comment"

    @property
    def touched_values(self) -> tuple[str, ...]:
        """The existing values this change is about, in the change's own order."""
        change = self.change
        if isinstance(change, models.Merge):
            return tuple(change.values)
        value = getattr(change, "value", None)
        return (value,) if value is not None else ()


def select_round(snapshot: Snapshot, round_id: str | None) -> models.Round:
    """The named round, or the one open round; otherwise a usage error listing the rounds."""
    rounds: dict[str, models.Round] = {
        folder: p.model for folder, p in snapshot.rounds.items() if p.model is not None
    }
    listing = (
        ", ".join(
            f"{r.id} ({'closed' if r.closed else 'open'})"
            for r in sorted(rounds.values(), key=lambda r: r.id)
        )
        or "none"
    )
    if round_id is not None:
        if round_id in snapshot.rounds and round_id not in rounds:
            raise InvalidRegistry(
                f"registry/rounds/{round_id}/round.yaml is not valid; run `valreg check`"
            )
        if round_id not in rounds:
            meant = close_match(round_id, rounds)
            if meant is not None:
                raise UsageError(f"round '{round_id}' does not exist; did you mean '{meant}'?")
            raise UsageError(f"round '{round_id}' does not exist; rounds: {listing}")
        return rounds[round_id]
    open_rounds = [r for r in rounds.values() if not r.closed]
    if len(open_rounds) == 1:
        return open_rounds[0]
    why = "no round is open" if not open_rounds else "more than one round is open"
    raise UsageError(f"{why}; name the round: {listing}")


def proposals_of(snapshot: Snapshot, round_id: str) -> list[Parsed]:
    """The valid proposal files of a round, in path order."""
    return sorted(
        (p for p in snapshot.valid("proposal") if p.folder == round_id), key=lambda p: p.path
    )


def decisions_of(snapshot: Snapshot, round_id: str) -> dict[str, models.Decision]:
    """The round's decisions by change id (the last one wins if a change is decided twice)."""
    parsed = snapshot.files.get(f"registry/rounds/{round_id}/decisions.yaml")
    if parsed is None or parsed.model is None:
        return {}
    return {d.change: d for d in parsed.model}


def collect_changes(
    snapshot: Snapshot, round_: models.Round, applied_ids: Iterable[str] = ()
) -> list[ChangeRecord]:
    """Every change proposed in a round, in file and change order."""
    applied = set(applied_ids)
    decisions = decisions_of(snapshot, round_.id)
    records = []
    for parsed in proposals_of(snapshot, round_.id):
        proposal: models.Proposal = parsed.model
        for index, change in enumerate(proposal.changes):
            change_id = global_id(parsed, change.id)
            records.append(
                ChangeRecord(
                    id=change_id,
                    proposal=parsed,
                    index=index,
                    change=change,
                    municipality=proposal.municipality,
                    submitted=proposal.submitted,
                    late=proposal.submitted > round_.deadline,
                    digest=models.change_digest(change),
                    decision=decisions.get(change_id),
                    applied=change_id in applied,
                )
            )
    return records


def standings(snapshot: Snapshot, round_: models.Round) -> dict[str, Standing]:
    """Every municipality's standing in the round, by code."""
    result = dict.fromkeys(snapshot.municipalities, Standing.NO_ANSWER)
    by_code: dict[str, list[models.Proposal]] = {}
    for parsed in proposals_of(snapshot, round_.id):
        by_code.setdefault(parsed.model.municipality, []).append(parsed.model)
    for code, proposals in by_code.items():
        if all(p.submitted > round_.deadline for p in proposals):
            result[code] = Standing.LATE
        elif any(p.changes or p.answers for p in proposals):
            result[code] = Standing.ANSWERED
        else:
            result[code] = Standing.NO_REMARKS
    return result


def base_version(record: ChangeRecord, round_: models.Round) -> str | None:
    """The release a change was written against: its proposal's base, else the round's."""
    proposal: models.Proposal = record.proposal.model
    return proposal.base or round_.base


def stale_values(snapshot: Snapshot, record: ChangeRecord, round_: models.Round) -> list[str]:
    """The values a change touches whose text changed since its base release.

    A release manifest records each value's sha256, so a value whose current text hashes
    differently was edited after the proposal's author read it.
    """
    version = base_version(record, round_)
    released = release_hashes(snapshot, version) if version else None
    if released is None:
        return []
    stale = []
    for value_id in record.touched_values:
        parsed = snapshot.values.get(value_id)
        if parsed is None or parsed.model is None or value_id not in released:
            continue
        if models.text_digest(parsed.model.text) != released[value_id]:
            stale.append(value_id)
    return stale


def release_hashes(snapshot: Snapshot, version: str) -> dict[str, str] | None:
    """A release's value ids and text hashes, or None if there is no such valid release."""
    memo = snapshot.memo.setdefault("release_hashes", {})
    if version not in memo:
        release = snapshot.releases.get(version)
        memo[version] = (
            None
            if release is None or release.model is None
            else {entry.id: entry.sha256 for entry in release.model.values}
        )
    result: dict[str, str] | None = memo[version]
    return result
