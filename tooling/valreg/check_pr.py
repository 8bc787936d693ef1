"""`valreg check-pr`: may this pull request be merged for this author?

Decided from `git diff --raw -z --no-renames` between the merge base and the head, never
from a work tree. Who is an editor, which logins belong to which municipality and which
rounds are open are read from the merge base, so a pull request cannot grant itself
rights. Editors may change anything; a municipality's login may only add or modify its
own proposal files in an open round, without touching a change already decided.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from valreg import _git, models
from valreg.checks import PROPOSAL_STEM, check_snapshot
from valreg.diagnostics import Diagnostic, Severity
from valreg.errors import UsageError
from valreg.snapshot import Snapshot, load_snapshot_at
from valreg.state import decisions_of

PROPOSAL_PATH = re.compile(r"proposals/(?P<round>[^/]+)/(?P<stem>[^/]+)\.yaml")


@dataclass(frozen=True, slots=True)
class PathVerdict:
    """One changed path: refused (with why and what to do) or allowed, maybe flagged late."""

    path: str
    status: str
    refused: str | None = None
    late: bool = False


@dataclass(frozen=True, slots=True)
class PrResult:
    actor: str
    role: str  # "editor", "municipality <code> <name>" or "unknown"
    base: str
    head: str
    paths: tuple[PathVerdict, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def refused(self) -> tuple[PathVerdict, ...]:
        return tuple(p for p in self.paths if p.refused)

    @property
    def ok(self) -> bool:
        errors = any(d.severity is Severity.ERROR for d in self.diagnostics)
        return not self.refused and not errors


def check_pr(root: Path, base_ref: str, head_ref: str, actor: str, today: dt.date) -> PrResult:
    """Judge every path the pull request changes, and check its changed registry files."""
    if not re.fullmatch(models.LOGIN, actor):
        raise UsageError(f"--actor '{actor}' is not a login")
    head = _git.resolve(root, head_ref)
    base = _git.merge_base(root, _git.resolve(root, base_ref), head)
    rules = load_snapshot_at(root, base)
    new = load_snapshot_at(root, head)
    changed = _git.changed_between(root, base, head)
    registry = rules.registry
    editors = set(registry.editors) if registry else set()
    if actor in editors:
        verdicts = [_editor_verdict(c) for c in changed]
        role = "editor"
    else:
        municipality = next((m for m in rules.municipalities.values() if actor in m.logins), None)
        role = (
            f"municipality {municipality.code} {municipality.name}" if municipality else "unknown"
        )
        verdicts = [
            _municipality_verdict(
                rules, new, c, municipality=municipality, actor=actor, today=today
            )
            for c in changed
        ]
    touched = {c.path for c in changed}
    diagnostics = tuple(sorted(d for d in check_snapshot(new) if d.path in touched))
    return PrResult(actor, role, base, head, tuple(verdicts), diagnostics)


def _editor_verdict(change: _git.ChangedPath) -> PathVerdict:
    return PathVerdict(change.path, change.status)


def _municipality_verdict(
    rules: Snapshot,
    new: Snapshot,
    change: _git.ChangedPath,
    *,
    municipality: models.Municipality | None,
    actor: str,
    today: dt.date,
) -> PathVerdict:
    path, status = change.path, change.status

    def refuse(why: str) -> PathVerdict:
        return PathVerdict(path, status, refused=why)

    if municipality is None:
        return refuse(
            f"'{actor}' is neither an editor nor listed under a municipality in "
            "registry/municipalities.yaml; ask the editors to add your login, or send the "
            "proposal by e-mail"
        )
    if change.new_mode == "120000":
        return refuse("symbolic links are not allowed; commit the file itself")
    if change.new_mode == "160000" or change.old_mode == "160000":
        return refuse("submodules are not allowed")
    if status == "D":
        return refuse("deleting files is for the editors; ask them if a file must go")
    if change.new_mode == "100755":
        return refuse("executable files are not allowed; remove the executable bit")
    match = PROPOSAL_PATH.fullmatch(path)
    if match is None:
        return refuse(
            "only the editors may change files outside proposals/; put your proposal in "
            "proposals/<round>/<code>-<name>.yaml"
        )
    stem = PROPOSAL_STEM.fullmatch(match["stem"])
    if stem is None or int(stem["code"]) != int(municipality.code):
        return refuse(
            f"{municipality.name} may only submit files named {municipality.code}-<name>.yaml"
        )
    round_parsed = rules.rounds.get(match["round"])
    if round_parsed is None or round_parsed.model is None:
        return refuse(f"round '{match['round']}' does not exist; see registry/rounds/")
    round_: models.Round = round_parsed.model
    if round_.closed:
        return refuse(f"round {round_.id} is closed; it takes no new proposals")
    if status == "M":
        decided = _decided_changes_touched(rules, new, path, round_.id)
        if decided:
            return refuse(
                f"changes already decided may not be edited: {', '.join(decided)}; add a "
                "new file (-2, -3 …) or ask the editors"
            )
    late = status == "A" and today > round_.deadline
    return PathVerdict(path, status, late=late)


def _decided_changes_touched(rules: Snapshot, new: Snapshot, path: str, round_id: str) -> list[str]:
    """Decided changes of the file at the base that are gone or different at the head."""
    before = rules.files.get(path)
    if before is None or before.model is None:
        return []
    decisions = decisions_of(rules, round_id)
    prefix = f"{round_id}/{before.stem}#"
    after = new.files.get(path)
    now = (
        {c.id: models.change_digest(c) for c in after.model.changes}
        if after is not None and after.model is not None
        else {}
    )
    return sorted(
        prefix + c.id
        for c in before.model.changes
        if prefix + c.id in decisions and now.get(c.id) != models.change_digest(c)
    )


def render_text(result: PrResult) -> str:
    lines = [f"pull request by {result.actor} ({result.role}), {len(result.paths)} changed path(s)"]
    for verdict in result.paths:
        if verdict.refused:
            lines.append(f"refused  {verdict.path}: {verdict.refused}")
        elif verdict.late:
            lines.append(f"late     {verdict.path}: added after the round's deadline")
        else:
            lines.append(f"ok       {verdict.path}")
    lines += [
        f"{d.path}:{d.line}:{d.col}: {d.severity} {d.code} {d.message}" for d in result.diagnostics
    ]
    lines.append("may be merged" if result.ok else "may not be merged as it is")
    return "\n".join(lines) + "\n"


def render_json(result: PrResult) -> str:
    payload = {
        "version": 1,
        "actor": result.actor,
        "role": result.role,
        "base": result.base,
        "head": result.head,
        "ok": result.ok,
        "paths": [
            {"path": v.path, "status": v.status, "refused": v.refused, "late": v.late}
            for v in result.paths
        ],
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_github(result: PrResult) -> str:
    """Workflow annotations: one per refused or late path, then the check's diagnostics."""
    from valreg.diagnostics import CheckResult, escape_data, escape_property
    from valreg.diagnostics import render_github as render_diagnostics

    lines = []
    for verdict in result.paths:
        where = f"file={escape_property(verdict.path)},title=check-pr"
        if verdict.refused:
            lines.append(f"::error {where}::{escape_data(verdict.refused)}")
        elif verdict.late:
            lines.append(f"::warning {where}::added after the round's deadline (late)")
    text = "\n".join(lines) + ("\n" if lines else "")
    return text + render_diagnostics(CheckResult(result.diagnostics, len(result.paths)))


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
