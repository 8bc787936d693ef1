"""`valreg check-pr`: may this pull request be merged for this author?

Decided from `git diff --raw -z --no-renames` between the merge base and the head, never
from a work tree. Who is an editor, which logins belong to which municipality and which
rounds are open are read from the merge base, so a pull request cannot grant itself
rights. Editors may change anything; a municipality's login may only add or modify its
own proposal files in an open round, without touching a change already decided.
Every refusal says why in English and in Danish; the renderers take `lang`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from valreg import _git
from valreg.errors import UsageError
from valreg.registry import models
from valreg.registry.diagnostics import Diagnostic, Lang, Severity, close_match, text_line
from valreg.registry.rules import PROPOSAL_STEM, check_snapshot
from valreg.registry.snapshot import Snapshot, load_snapshot_at
from valreg.workflow.state import decisions_of

PROPOSAL_PATH = re.compile(r"proposals/(?P<round>[^/]+)/(?P<stem>[^/]+)\.yaml")


@dataclass(frozen=True, slots=True)
class PathVerdict:
    """One changed path: refused (with why and what to do, in English and in Danish) or
    allowed, maybe flagged late."""

    path: str
    status: str
    refused: str | None = None
    late: bool = False
    refused_da: str | None = None

    def reason(self, lang: Lang = "en") -> str | None:
        """Why the path is refused, in `lang`; None if it is not."""
        return self.refused_da if lang == "da" else self.refused


@dataclass(frozen=True, slots=True)
class PrResult:
    actor: str
    role: str  # "editor", "municipality <code> <name>" or "unknown"
    role_da: str  # "redaktør", "kommune <code> <name>" or "ukendt"
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
        role, role_da = "editor", "redaktør"
    else:
        municipality = next((m for m in rules.municipalities.values() if actor in m.logins), None)
        if municipality is None:
            role, role_da = "unknown", "ukendt"
        else:
            role = f"municipality {municipality.code} {municipality.name}"
            role_da = f"kommune {municipality.code} {municipality.name}"
        verdicts = [
            _municipality_verdict(
                rules, new, c, municipality=municipality, actor=actor, today=today
            )
            for c in changed
        ]
    touched = {c.path for c in changed}
    diagnostics = tuple(sorted(d for d in check_snapshot(new) if d.path in touched))
    return PrResult(actor, role, role_da, base, head, tuple(verdicts), diagnostics)


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

    def refuse(why: str, *, da: str) -> PathVerdict:
        return PathVerdict(path, status, refused=why, refused_da=da)

    if municipality is None:
        return refuse(
            f"'{actor}' is neither an editor nor listed under a municipality in "
            "registry/municipalities.yaml; ask the editors to add your login, or send the "
            "proposal by e-mail",
            da=f"'{actor}' er hverken redaktør eller opført under en kommune i "
            "registry/municipalities.yaml; bed redaktionen om at tilføje jeres GitHub-bruger, "
            "eller send høringssvaret pr. e-mail",
        )
    if change.new_mode == "120000":
        return refuse(
            "symbolic links are not allowed; commit the file itself",
            da="symbolske links er ikke tilladt; læg selve filen ind",
        )
    if change.new_mode == "160000" or change.old_mode == "160000":
        return refuse("submodules are not allowed", da="submoduler er ikke tilladt")
    if status == "D":
        return refuse(
            "deleting files is for the editors; ask them if a file must go",
            da="kun redaktionen kan slette filer; spørg dem, hvis en fil skal fjernes",
        )
    if change.new_mode == "100755":
        return refuse(
            "executable files are not allowed; remove the executable bit",
            da="eksekverbare filer er ikke tilladt; fjern eksekveringsretten (executable bit)",
        )
    match = PROPOSAL_PATH.fullmatch(path)
    if match is None:
        return refuse(
            "only the editors may change files outside proposals/; put your proposal in "
            "proposals/<round>/<code>-<name>.yaml",
            da="kun redaktionen må ændre filer uden for proposals/; læg jeres høringssvar i "
            "proposals/<runde>/<kode>-<navn>.yaml",
        )
    stem = PROPOSAL_STEM.fullmatch(match["stem"])
    if stem is None or int(stem["code"]) != int(municipality.code):
        return refuse(
            f"{municipality.name} may only submit files named {municipality.code}-<name>.yaml",
            da=f"{municipality.name} må kun indsende filer med navnet "
            f"{municipality.code}-<navn>.yaml",
        )
    round_parsed = rules.rounds.get(match["round"])
    if round_parsed is None or round_parsed.model is None:
        en, da = _no_such_round(match["round"], rules)
        return refuse(en, da=da)
    round_: models.Round = round_parsed.model
    if round_.closed:
        return refuse(
            f"round {round_.id} is closed; it takes no new proposals",
            da=f"runde {round_.id} er lukket; den tager ikke imod flere høringssvar",
        )
    if status == "M":
        decided = _decided_changes_touched(rules, new, path, round_.id)
        if decided:
            return refuse(
                f"changes already decided may not be edited: {', '.join(decided)}; add a "
                "new file (-2, -3 …) or ask the editors",
                da=f"ændringer, der allerede er afgjort, må ikke rettes: {', '.join(decided)}; "
                "tilføj en ny fil (-2, -3 …), eller spørg redaktionen",
            )
    late = status == "A" and today > round_.deadline
    return PathVerdict(path, status, late=late)


def _no_such_round(round_id: str, rules: Snapshot) -> tuple[str, str]:
    """Why a proposal's folder is refused, in English and Danish: the round meant, if one
    is close."""
    meant = close_match(round_id, rules.rounds)
    if meant is not None:
        return (
            f"round '{round_id}' does not exist; did you mean '{meant}'? Move the file to "
            f"proposals/{meant}/",
            f"runden '{round_id}' findes ikke; mente I '{meant}'? Flyt filen til "
            f"proposals/{meant}/",
        )
    return (
        f"round '{round_id}' does not exist; see registry/rounds/",
        f"runden '{round_id}' findes ikke; se registry/rounds/",
    )


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


_WORDS = {
    "en": {
        "refused": "refused  ",
        "late": "late     ",
        "ok": "ok       ",
        "late_text": "added after the round's deadline",
        "late_note": "added after the round's deadline (late)",
        "merged": "may be merged",
        "not_merged": "may not be merged as it is",
    },
    "da": {
        "refused": "afvist   ",
        "late": "for sent ",
        "ok": "ok       ",
        "late_text": "tilføjet efter rundens frist",
        "late_note": "tilføjet efter rundens frist (for sent)",
        "merged": "kan flettes ind",
        "not_merged": "kan ikke flettes ind, som den er",
    },
}


def _header(result: PrResult, lang: Lang) -> str:
    n = len(result.paths)
    if lang == "da":
        paths = f"{n} {'ændret sti' if n == 1 else 'ændrede stier'}"
        return f"pull request fra {result.actor} ({result.role_da}), {paths}"
    return f"pull request by {result.actor} ({result.role}), {n} changed path(s)"


def render_text(result: PrResult, lang: Lang = "en") -> str:
    words = _WORDS[lang]
    lines = [_header(result, lang)]
    for verdict in result.paths:
        if verdict.refused:
            lines.append(f"{words['refused']}{verdict.path}: {verdict.reason(lang)}")
        elif verdict.late:
            lines.append(f"{words['late']}{verdict.path}: {words['late_text']}")
        else:
            lines.append(f"{words['ok']}{verdict.path}")
    lines += [text_line(d, lang) for d in result.diagnostics]
    lines.append(words["merged"] if result.ok else words["not_merged"])
    return "\n".join(lines) + "\n"


def render_json(result: PrResult, lang: Lang = "en") -> str:
    """The stable JSON shape (`version` 1); `refused` and each `message` are in `lang`."""
    payload = {
        "version": 1,
        "actor": result.actor,
        "role": result.role,
        "base": result.base,
        "head": result.head,
        "ok": result.ok,
        "paths": [
            {"path": v.path, "status": v.status, "refused": v.reason(lang), "late": v.late}
            for v in result.paths
        ],
        "diagnostics": [d.as_dict(lang) for d in result.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_github(result: PrResult, lang: Lang = "en") -> str:
    """Workflow annotations: one per refused or late path, then the check's diagnostics."""
    from valreg.registry.diagnostics import CheckResult, escape_data, escape_property
    from valreg.registry.diagnostics import render_github as render_diagnostics

    lines = []
    for verdict in result.paths:
        where = f"file={escape_property(verdict.path)},title=check-pr"
        reason = verdict.reason(lang)
        if reason:
            lines.append(f"::error {where}::{escape_data(reason)}")
        elif verdict.late:
            lines.append(f"::warning {where}::{_WORDS[lang]['late_note']}")
    text = "\n".join(lines) + ("\n" if lines else "")
    return text + render_diagnostics(CheckResult(result.diagnostics, len(result.paths)), lang)


RENDERERS: dict[str, Callable[[PrResult, Lang], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
