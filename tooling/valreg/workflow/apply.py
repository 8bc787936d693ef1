"""`valreg apply`: the accepted and modified changes of a round → value files → one commit.

The plan is made in memory first (in a fixed order: amend, merge, remove, add, move;
within a kind by change id), refused as a whole if anything is off, and only then
written, all-or-nothing under the registry lock and journal (see `transaction`). A
change already in effect (applied by a squash merge or by hand) is skipped, so apply
never applies anything twice.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from valreg import _git
from valreg.atomic import write_atomic
from valreg.errors import Refused
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.snapshot import Snapshot
from valreg.registry.yamlio import dump_yaml, edit_yaml, safe_scalar, set_field
from valreg.transaction import Journal, recover, registry_lock, state_dir
from valreg.workflow.decide import decisions_path
from valreg.workflow.review import find_conflicts
from valreg.workflow.state import ChangeRecord, collect_changes, select_round, stale_values

KIND_ORDER = ("amend", "merge", "remove", "add", "move")
MESSAGE_FILE = "valreg/apply-message.txt"


@dataclass(frozen=True, slots=True)
class Step:
    change_id: str
    decision: str
    summary: str


@dataclass(frozen=True)
class ApplyPlan:
    """What apply will do: the changes in order, what it skips, and the files it writes."""

    round_id: str
    steps: tuple[Step, ...]
    skipped: tuple[tuple[str, str], ...]
    #: New content of each file written, by registry path, and its content before (None: new).
    files: dict[str, bytes] = field(default_factory=dict)
    originals: dict[str, bytes | None] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The commit message, with one `Applies:` trailer per applied change."""
        count = len(self.steps)
        lines = [f"Apply {count} change{'s' if count != 1 else ''} from round {self.round_id}", ""]
        lines += [f"- {s.change_id}: {s.summary} ({s.decision})" for s in self.steps]
        lines += ["", *(f"Applies: {s.change_id}" for s in self.steps)]
        return "\n".join(lines) + "\n"

    def diff(self) -> str:
        """A unified diff of every file the plan writes."""
        chunks: list[str] = []
        for path, new in self.files.items():
            old = self.originals.get(path)
            chunks.extend(
                difflib.unified_diff(
                    (old or b"").decode("utf-8").splitlines(keepends=True),
                    new.decode("utf-8").splitlines(keepends=True),
                    fromfile=f"a/{path}" if old is not None else "/dev/null",
                    tofile=f"b/{path}",
                )
            )
        return "".join(chunks)


@dataclass(frozen=True, slots=True)
class ApplyResult:
    plan: ApplyPlan
    commit: str | None  # None with --dry-run or --no-commit
    message_file: Path | None  # with --no-commit: the prepared commit message


# --- planning -------------------------------------------------------------------------

# Words that every value of KL's set shares, or that carry no meaning in an id.
# fmt: off
_FILLER = frozenset({
    "vi", "vil", "og", "der", "som", "hvor", "med", "en", "et", "at", "i", "pa", "af", "til",
    "for", "de", "det", "den", "er", "bade", "dagtilbud", "folkeskoler", "skal", "kan", "har",
    "om", "fra", "sa", "sig", "sin", "sine", "deres", "alle", "the", "and", "of", "to", "a",
})
# fmt: on


def fresh_value_id(text: str, taken: set[str]) -> str:
    """A readable slug for a new value from its text, never one already used or retired."""
    words = [w for w in models.slugify(text).split("-") if w and w not in _FILLER]
    base = "-".join(words[:4]) or "vaerdi"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def chosen_changes(records: Iterable[ChangeRecord]) -> list[ChangeRecord]:
    """The accepted and modified changes that alter the set, in the order apply applies
    them (by kind, then change id)."""
    return sorted(
        (r for r in records if r.state in ("accepted", "modified") and r.alters_the_set),
        key=lambda r: (KIND_ORDER.index(r.kind), r.id),
    )


class WorkingSet:
    """The value set as a plan changes it, in memory: texts, retirements and order.

    Pure: `apply` plans a round against the work tree's values, `report` against the
    values of the round's base release.
    """

    def __init__(self, values: Mapping[str, models.Value]) -> None:
        self.values: dict[str, models.Value] = dict(values)
        active = [v for v in self.values.values() if v.status == "active"]
        self.order = [v.id for v in sorted(active, key=lambda v: v.number)]
        self.texts = {v.id: v.text for v in self.values.values()}
        self.retired: dict[str, str | None] = {}  # id → merged_into
        self.new_ids: list[str] = []
        self.merged_into = {v.id: v.merged_into for v in self.values.values() if v.merged_into}
        self.added: dict[str, str] = {}  # change id → the id of the value it added

    def position_after(self, after: str | None) -> int:
        """Where a value placed after `after` goes; follows a merged value to its survivor."""
        while after is not None and after not in self.order:
            after = self.merged_into.get(after) or self.retired.get(after)
            if after is None:
                return len(self.order)
        return 0 if after is None else self.order.index(after) + 1

    def in_effect(self, record: ChangeRecord) -> bool:
        change, text = record.change, record.final_text
        if isinstance(change, models.Amend):
            return self.texts.get(change.value) == text
        if isinstance(change, models.Remove):
            return change.value not in self.order
        if isinstance(change, models.Merge):
            first, *others = change.values
            return self.texts.get(first) == text and all(
                self.merged_into.get(o) == first and o not in self.order for o in others
            )
        if isinstance(change, models.Add):
            return any(self.texts.get(v) == text for v in self.order)
        if isinstance(change, models.Move):
            if change.value not in self.order:
                return False
            rest = [v for v in self.order if v != change.value]
            if change.after is not None and change.after not in rest:
                return False
            target = 0 if change.after is None else rest.index(change.after) + 1
            return self.order.index(change.value) == target
        return False

    def apply(self, record: ChangeRecord, taken: set[str]) -> str:
        """Apply one change; returns its one-line summary."""
        change, text = record.change, record.final_text
        if isinstance(change, models.Amend):
            self.texts[change.value] = text or ""
            return f"amend {change.value}"
        if isinstance(change, models.Merge):
            first, *others = change.values
            self.texts[first] = text or ""
            for other in others:
                self.retired[other] = first
                self.merged_into[other] = first
                self.order.remove(other)
            return f"merge {', '.join(others)} into {first}"
        if isinstance(change, models.Remove):
            self.retired[change.value] = None
            self.order.remove(change.value)
            return f"remove {change.value}"
        if isinstance(change, models.Add):
            new_id = record.new_value_id or fresh_value_id(text or "", taken)
            if new_id in taken:  # an id the editors gave (`check` has D608 for this)
                raise Refused(
                    f"{record.id} would add value '{new_id}', but that id is taken; decide it "
                    "again with another --id"
                )
            taken.add(new_id)
            self.new_ids.append(new_id)
            self.added[record.id] = new_id
            self.texts[new_id] = text or ""
            self.order.insert(self.position_after(change.after), new_id)
            return f"add {new_id} after {change.after or '(first)'}"
        assert isinstance(change, models.Move)
        self.order.remove(change.value)
        self.order.insert(self.position_after(change.after), change.value)
        return f"move {change.value} after {change.after or '(first)'}"


def plan_apply(root: Path, snapshot: Snapshot, round_id: str | None) -> ApplyPlan:
    """Plan the round's accepted changes, or refuse (writing nothing) with what to do."""
    round_ = select_round(snapshot, round_id)
    records = collect_changes(snapshot, round_, _git.applied_change_ids(root))
    stale_decisions = [r.id for r in records if r.decision_is_stale and not r.applied]
    if stale_decisions:
        raise Refused(
            f"{len(stale_decisions)} decision(s) no longer match their change, which was "
            f"edited after the decision: {', '.join(stale_decisions)}; decide them again "
            "(valreg decide)"
        )
    chosen = chosen_changes(records)
    working = WorkingSet(
        {stem: p.model for stem, p in snapshot.values.items() if p.model is not None}
    )
    skipped = [(r.id, "already in effect") for r in chosen if working.in_effect(r)]
    pending = [r for r in chosen if not working.in_effect(r)]
    stale = [
        f"{r.id} ({', '.join(stale_values(snapshot, r, round_))})"
        for r in pending
        if r.state == "accepted"
        and r.kind in ("amend", "merge")
        and stale_values(snapshot, r, round_)
    ]
    if stale:
        raise Refused(
            "accepted changes were written against an older text of the value: "
            f"{'; '.join(stale)}; decide them 'modify' with the final text instead"
        )
    _refuse_retired(pending, working)
    _refuse_conflicts(pending, snapshot)
    taken = set(working.values)
    steps = []
    for record in pending:
        summary = working.apply(record, taken)
        decision = record.decision.decision if record.decision else ""
        steps.append(Step(record.id, decision, summary))
    files, originals = _render_files(root, snapshot, working)
    return ApplyPlan(round_.id, tuple(steps), tuple(skipped), files, originals)


def _refuse_retired(chosen: list[ChangeRecord], working: WorkingSet) -> None:
    """A retired value's file is history: no accepted change may rewrite it."""
    found = []
    for record in chosen:
        for value_id in record.touched_values:
            value = working.values.get(value_id)
            if value is not None and value.status == "retired":
                where = f"merged into {value.merged_into}" if value.merged_into else "retired"
                when = f" in {value.retired_in}" if value.retired_in else ""
                found.append(f"{record.id} ({value_id}, {where}{when})")
    if found:
        raise Refused(
            f"accepted changes touch values that are no longer in the set: {'; '.join(found)}; "
            "reject them, or modify the value they went into instead (valreg decide)"
        )


def _refuse_conflicts(chosen: list[ChangeRecord], snapshot: Snapshot) -> None:
    conflicts = find_conflicts(chosen, snapshot)
    if conflicts:
        listing = "; ".join(c.message for c in conflicts)
        raise Refused(
            f"accepted changes conflict: {listing}; reject or modify changes until no "
            "conflict is left (valreg decide), then apply again"
        )


def _render_files(
    root: Path, snapshot: Snapshot, working: WorkingSet
) -> tuple[dict[str, bytes], dict[str, bytes | None]]:
    numbers = {value_id: i + 1 for i, value_id in enumerate(working.order)}
    files: dict[str, bytes] = {}
    originals: dict[str, bytes | None] = {}
    for value_id, value in sorted(working.values.items()):
        wanted: dict[str, Any] = {}
        if working.texts[value_id] != value.text:
            wanted["text"] = working.texts[value_id]
        if value_id in numbers and numbers[value_id] != value.number:
            wanted["number"] = numbers[value_id]
        if value_id in working.retired:
            wanted["status"] = "retired"
            if working.retired[value_id] is not None:
                wanted["merged_into"] = working.retired[value_id]
        if not wanted:
            continue
        path = f"values/{value_id}.yaml"
        original = (root / path).read_bytes()
        document = edit_yaml(original)
        for key, new in wanted.items():
            set_field(document.data, key, safe_scalar(new), models.VALUE_KEYS)
        files[path] = document.dump()
        originals[path] = original
    for value_id in working.new_ids:
        path = f"values/{value_id}.yaml"
        content = {"id": value_id, "number": numbers[value_id], "text": working.texts[value_id]}
        files[path] = dump_yaml(content).encode("utf-8")
        originals[path] = None
    return files, originals


# --- doing ------------------------------------------------------------------------------


def apply_round(
    root: Path, round_id: str | None, *, dry_run: bool = False, commit: bool = True
) -> ApplyResult:
    """Apply a round's accepted changes: one commit, or staged edits with `commit=False`."""
    with registry_lock(root):
        recover(root)
        snapshot = load_valid_snapshot(root, "applying")
        plan = plan_apply(root, snapshot, round_id)
        if dry_run or not plan.steps:
            return ApplyResult(plan, None, None)
        decisions = decisions_path(plan.round_id)
        dirty = [p for p in _git.changed_paths(root, list(plan.files)) if p != decisions]
        if dirty:
            raise Refused(
                f"files apply would write have uncommitted changes: {', '.join(dirty)}; "
                "commit or stash them first"
            )
        journal = Journal(root, [*plan.files, decisions])
        journal.begin()
        journal.write(plan.files)
        staged = [*plan.files]
        if (root / decisions).exists() and _git.changed_paths(root, [decisions]):
            staged.append(decisions)
        _git.stage(root, staged)
        journal.checkpoint()
        if not commit:
            message_file = state_dir(root) / MESSAGE_FILE
            write_atomic(message_file, plan.message)
            journal.end()
            return ApplyResult(plan, None, message_file)
        commit_id = _git.commit(root, plan.message)
        journal.checkpoint()
        journal.end()
        return ApplyResult(plan, commit_id, None)
