"""`valreg decide`: record editors' decisions in the round's decisions.yaml.

The file is edited round-trip (comments, order and quoting kept) and written
atomically; the result is read back by the safe reader before it replaces the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valreg import _git
from valreg.errors import Refused, UsageError
from valreg.registry.models import ALLOWED_DECISIONS, DECISIONS
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot, load_snapshot
from valreg.registry.yamlio import EditableYaml, edit_yaml, round_trip_yaml, safe_scalar, set_field
from valreg.transaction import Journal, recover, registry_lock
from valreg.workflow.state import ChangeRecord, collect_changes


@dataclass(frozen=True, slots=True)
class Decided:
    change_id: str
    decision: str
    replaced: str | None  # the earlier decision this one replaces


def decisions_path(round_id: str) -> str:
    return f"registry/rounds/{round_id}/decisions.yaml"


def decide(
    root: Path,
    change_ids: Sequence[str],
    decision: str,
    *,
    reason: str | None = None,
    text: str | None = None,
    editor: str | None = None,
    today: dt.date,
) -> list[Decided]:
    """Record one decision for each change; returns what was recorded and what it replaced."""
    if decision not in DECISIONS:
        raise UsageError(f"decision must be one of {', '.join(DECISIONS)}, not '{decision}'")
    reason = _blank_to_none(reason)
    text = _blank_to_none(text)
    if decision != "accept" and reason is None:
        raise UsageError(f"'{decision}' needs --reason: say why, for the consultation report")
    if decision == "modify" and text is None:
        raise UsageError("'modify' needs --text with the final text of the value")
    if decision != "modify" and text is not None:
        raise UsageError("--text belongs to 'modify' only")
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        editor = _editor(root, snapshot, editor)
        by_round = _records_by_round(snapshot, change_ids, decision)
        results: list[Decided] = []
        planned: dict[str, bytes] = {}
        for round_id, round_records in by_round.items():
            content, decided = _edit(
                root / decisions_path(round_id),
                [
                    {
                        "change": r.id,
                        "change_sha256": r.digest,
                        "decision": decision,
                        "text": text,
                        "reason": reason,
                        "date": today,
                        "editor": editor,
                    }
                    for r in round_records
                ],
            )
            parsed = parse_file(decisions_path(round_id), content)
            if parsed.diagnostics:
                first = parsed.diagnostics[0]
                raise Refused(f"the decision would not be valid: {first.code} {first.message}")
            planned[decisions_path(round_id)] = content
            results.extend(decided)
        # Several rounds' files at once: a journal, so that a kill leaves all or none.
        journal = Journal(root, list(planned))
        journal.begin()
        journal.write(planned)
        journal.end()
        return results


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


def _records_by_round(
    snapshot: Snapshot, change_ids: Sequence[str], decision: str
) -> dict[str, list[ChangeRecord]]:
    """The named changes, by round; an unknown change or a decision its kind cannot take
    is refused."""
    records = {}
    for parsed in snapshot.rounds.values():
        if parsed.model is not None:
            records.update({r.id: r for r in collect_changes(snapshot, parsed.model)})
    by_round: dict[str, list[ChangeRecord]] = {}
    for change_id in dict.fromkeys(change_ids):
        record = records.get(change_id)
        if record is None:
            raise UsageError(_unknown(change_id, list(records)))
        if decision not in ALLOWED_DECISIONS[record.kind]:
            raise Refused(
                f"{change_id} is a change of kind '{record.kind}'; it can be decided "
                f"{' or '.join(ALLOWED_DECISIONS[record.kind])}, not '{decision}'"
            )
        by_round.setdefault(record.proposal.folder, []).append(record)
    return by_round


def _blank_to_none(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def _unknown(change_id: str, known: list[str]) -> str:
    sample = ", ".join(sorted(known)[:8]) or "none"
    return f"no change '{change_id}'; change ids look like <round>/<file name>#<id>, e.g. {sample}"


_KEY_ORDER = ("change", "change_sha256", "decision", "text", "reason", "date", "editor")


def _edit(path: Path, entries: list[dict[str, Any]]) -> tuple[bytes, list[Decided]]:
    """decisions.yaml with each entry added, or replacing the one for the same change."""
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
    decided = []
    for entry in entries:
        # A date is written as a plain ISO date, the way people write it in these files.
        fields = {
            k: v if isinstance(v, dt.date) else safe_scalar(v)
            for k, v in entry.items()
            if v is not None
        }
        existing = next((item for item in items if item.get("change") == entry["change"]), None)
        if existing is None:
            items.append(_mapping(fields))
            decided.append(Decided(entry["change"], entry["decision"], None))
            continue
        before = str(existing.get("decision"))
        for key in _KEY_ORDER:
            if key in fields:
                set_field(existing, key, fields[key], _KEY_ORDER)
            elif key in existing:
                del existing[key]
        decided.append(Decided(entry["change"], entry["decision"], before))
    return document.dump(), decided


def _mapping(fields: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key in _KEY_ORDER:
        if key in fields:
            mapping[key] = fields[key]
    return mapping
