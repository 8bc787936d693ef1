"""`valreg intake`: an answer received by e-mail, Word or the issue form becomes a draft proposal.

`intake_answers` reads each file (`inbox`), takes out quoted history, signatures and
contact details (`scrub`), places each paragraph at a question, a value or the general
comment (`placing`), and writes the same file `valreg propose` would name, with the same
schema, that `valreg check` accepts. It knows the municipality from `--municipality`, the
issue's author, the form, the sender's mail domain or the municipality's name in the
text, and says which. Every file is read and built before any is written: a refusal
leaves the registry as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from valreg.atomic import write_atomic
from valreg.errors import Refused, UsageError
from valreg.registry import models
from valreg.registry.diagnostics import Severity
from valreg.registry.models import slugify
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot, load_snapshot
from valreg.registry.yamlio import MAX_AUTHORED_BYTES, MAX_TEXT, Document, dump_yaml, load_yaml
from valreg.transaction import recover, registry_lock, scratch_dir
from valreg.workflow.access import find_municipality as named_municipality
from valreg.workflow.inbox import Part, Received, Unreadable, read_received
from valreg.workflow.placing import GENERAL, Placed, place
from valreg.workflow.propose import Listed, find_municipality, free_path, listed_values
from valreg.workflow.scrub import OwnWords, own_words
from valreg.workflow.state import select_round

FORM_FILE = ".github/ISSUE_TEMPLATE/forslag.yml"
#: The proposal form's labels (`valreg init` writes the form), used when the registry has
#: no form file of its own.
FORM_LABELS = {
    "Kommune og kommunekode": "kommune",
    "Høringsrunde": "runde",
    "Dato for indsendelse": "indsendt",
    "Hvad foreslår I?": "art",
    "Ændringsforslagene": "forslag",
    "Begrundelse": "begrundelse",
    "Svar på rundens spørgsmål": "svar",
    "Godkendt af": "godkendt",
    "Bekræftelse": "bekraeftelse",
}
#: Room left in a text for the marks the loader counts beyond the characters.
_TEXT_ROOM = MAX_TEXT - 50


@dataclass(slots=True)
class Intake:
    """One received answer as a draft proposal: the file, and what was recognised."""

    source: str
    kind: str
    path: Path
    text: str
    municipality: models.Municipality
    municipality_from: str
    submitted: dt.date
    submitted_from: str
    round: models.Round
    recognised: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # what went into the general comment
    removed: list[str] = field(default_factory=list)  # personal data, for the editor only
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Request:
    """What the editor asked for on the command line."""

    round_id: str | None = None
    municipality: str | None = None
    author: str | None = None
    late: bool = False


def intake_answers(
    root: Path,
    files: Sequence[Path],
    request: Request,
    *,
    today: dt.date,
    dry_run: bool = False,
    out_dir: Path | None = None,
) -> list[Intake]:
    """Read every file into a draft proposal; unless `dry_run`, write them all.

    Each file becomes its own proposal file, under `proposals/<round>/` of the registry,
    or of `out_dir` when given. Any refusal raises before anything is written.
    """
    if not files:
        raise UsageError("name at least one received file (.eml, .msg, .docx, .txt, .md, .json)")
    root = root.resolve()
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        labels = form_labels(root)
        target = (out_dir or root).resolve()
        taken: set[Path] = set()
        intakes = []
        for path in files:
            received = read_received(path, labels)
            intake = _intake_one(
                snapshot, received, request, today=today, root=root, target=target, taken=taken
            )
            taken.add(intake.path)
            intakes.append(intake)
        if not dry_run:
            for intake in intakes:
                _write(root, intake)
        return intakes


def form_labels(root: Path) -> dict[str, str]:
    """The registry's own issue form's labels and ids; the built-in ones without it."""
    path = root / FORM_FILE
    loaded = load_yaml(path.read_bytes()) if path.is_file() else None
    form = loaded.data if isinstance(loaded, Document) else None
    labels = {}
    body = form.get("body") if isinstance(form, dict) else None
    for item in body if isinstance(body, list) else []:
        attributes = item.get("attributes") if isinstance(item, dict) else None
        label = attributes.get("label") if isinstance(attributes, dict) else None
        if isinstance(label, str) and isinstance(item.get("id"), str):
            labels[label] = item["id"]
    return labels or dict(FORM_LABELS)


def _write(root: Path, intake: Intake) -> None:
    intake.path.parent.mkdir(parents=True, exist_ok=True)
    inside = intake.path.is_relative_to(root)
    write_atomic(intake.path, intake.text, scratch=scratch_dir(root) if inside else None)


def _intake_one(
    snapshot: Snapshot,
    received: Received,
    request: Request,
    *,
    today: dt.date,
    root: Path,
    target: Path,
    taken: set[Path],
) -> Intake:
    form = received.form or {}
    if received.form is None and not any(part.text.strip() for part in received.parts):
        raise Unreadable(f"{received.source}: holds no text; is it the right file?")
    round_ = _round(snapshot, received, request)
    municipality, found_by = _municipality(snapshot, received, request, form)
    submitted, submitted_from = _submitted(received, form, today)
    stem = f"{municipality.code}-{slugify(municipality.name) or 'kommune'}"
    path = _free_name(root, target, round_.id, stem, taken)
    intake = Intake(
        source=received.source,
        kind=received.kind,
        path=path,
        text="",
        municipality=municipality,
        municipality_from=found_by,
        submitted=submitted,
        submitted_from=submitted_from,
        round=round_,
    )
    intake.notes += [f"not read: attachment {name}" for name in received.skipped]
    if submitted > round_.deadline:
        intake.notes.append(
            f"late: submitted {submitted}, after the deadline {round_.deadline}; valreg check "
            "will show it as late"
        )
    data = _proposal(snapshot, received, round_, municipality, intake)
    intake.text = _render(data, intake)
    _verify(intake)
    return intake


def _free_name(root: Path, target: Path, round_id: str, stem: str, taken: Collection[Path]) -> Path:
    """A name free in the registry's round folder and, with --out-dir, in that folder too,
    so that a file written elsewhere can be put into the registry as it is."""
    inside = root / "proposals" / round_id
    outside = target / "proposals" / round_id
    names = {inside / p.name for p in taken}
    while True:
        path = free_path(inside, stem, names)
        if not (outside / path.name).exists():
            return outside / path.name
        names.add(path)


def _round(snapshot: Snapshot, received: Received, request: Request) -> models.Round:
    named = (received.form or {}).get("runde", "").strip() or None
    if named is not None and request.round_id is not None and named != request.round_id:
        raise Refused(
            f"{received.source}: the form names round '{named}', not {request.round_id}; "
            "leave out --round, or ask the municipality which round it answers"
        )
    try:
        round_ = select_round(snapshot, request.round_id or named)
    except UsageError as exc:
        if request.round_id is not None:
            raise
        raise Refused(f"{received.source}: the form names round '{named}': {exc}") from None
    if round_.closed and not request.late:
        raise Refused(
            f"round {round_.id} is closed; to record an answer that reached you anyway, pass "
            "--late (the editors will see it as late)"
        )
    return round_


def _municipality(
    snapshot: Snapshot, received: Received, request: Request, form: dict[str, str]
) -> tuple[models.Municipality, str]:
    """The municipality that answers, and how it was known."""
    listed = _by_login(snapshot, request.author) if request.author is not None else None
    if request.municipality is not None:
        chosen = find_municipality(snapshot, request.municipality)
        how = "--municipality"
    elif listed is not None:
        chosen, how = listed, f"the issue's author {request.author}, listed for it"
    else:
        found = _from_form(snapshot, form, received.source)
        found = found or _from_domain(snapshot, received.sender)
        found = found or _from_text(snapshot, received)
        if found is None:
            raise Refused(
                f"{received.source}: cannot tell which municipality sent the answer (no known "
                "mail domain, and no '<name> Kommune' in the text); name it with "
                "--municipality CODE"
            )
        chosen, how = found
    if request.author is not None and (listed is None or listed.code != chosen.code):
        raise Refused(
            f"{received.source}: {request.author} is not listed for {chosen.name} "
            f"({chosen.code}) in registry/municipalities.yaml; an editor can add the login "
            f"with `valreg access grant {chosen.code} {request.author}`"
        )
    form_named = _from_form(snapshot, form, received.source)
    if form_named is not None and form_named[0].code != chosen.code:
        raise Refused(
            f"{received.source}: the form names {form_named[0].name} ({form_named[0].code}), "
            f"but the answer is from {chosen.name} ({chosen.code}, by {how})"
        )
    return chosen, how


def _by_login(snapshot: Snapshot, login: str | None) -> models.Municipality | None:
    wanted = (login or "").casefold()
    for municipality in snapshot.municipalities.values():
        if wanted in (known.casefold() for known in municipality.logins):
            return municipality
    return None


def _from_form(
    snapshot: Snapshot, form: dict[str, str], source: str
) -> tuple[models.Municipality, str] | None:
    field_ = form.get("kommune", "").strip()
    if not field_:
        return None
    code = re.search(r"(?<![0-9])[0-9]{3,4}(?![0-9])", field_)
    if code is not None and f"{int(code.group(0)):03d}" in snapshot.municipalities:
        return snapshot.municipalities[f"{int(code.group(0)):03d}"], "the form's code"
    name = " ".join(re.sub(r"\b[Kk]ommune\b|[0-9,]", " ", field_).split())
    try:
        return named_municipality(list(snapshot.municipalities.values()), name), "the form's name"
    except Refused as exc:
        raise Refused(
            f"{source}: the form names '{field_}', which is no code or name in "
            f"registry/municipalities.yaml ({exc}); pass --municipality CODE"
        ) from None


def _from_domain(snapshot: Snapshot, sender: str | None) -> tuple[models.Municipality, str] | None:
    if sender is None or "@" not in sender:
        return None
    domain = sender.rsplit("@", 1)[1].lower()
    for municipality in snapshot.municipalities.values():
        for known in municipality.domains:
            if domain == known or domain.endswith("." + known):
                return municipality, f"the sender's domain {domain} (listed for it)"
    labels = domain.split(".")
    if len(labels) >= 2 and labels[-1] == "dk":
        for municipality in snapshot.municipalities.values():
            if slugify(municipality.name).replace("-", "") == labels[-2].replace("-", ""):
                return municipality, f"the sender's domain {domain} (its name)"
    return None


def _from_text(snapshot: Snapshot, received: Received) -> tuple[models.Municipality, str] | None:
    """A single municipality named as '<name> Kommune' (or '<name>s Kommune') in the text."""
    texts = [part.text for part in received.parts]
    found: dict[str, models.Municipality] = {}
    for municipality in snapshot.municipalities.values():
        pattern = re.compile(
            rf"(?<!\w){re.escape(municipality.name)}s?\s+(?:[Kk]ommune|Regionskommune)(?!\w)"
        )
        if any(pattern.search(text) for text in texts):
            found[municipality.code] = municipality
    if len(found) == 1:
        (only,) = found.values()
        return only, f"its name in the text ('{only.name} Kommune')"
    if len(found) > 1:
        names = ", ".join(f"{m.name} ({m.code})" for m in found.values())
        raise Refused(
            f"{received.source}: the text names several municipalities ({names}); name the "
            "one that answers with --municipality CODE"
        )
    return None


def _submitted(received: Received, form: dict[str, str], today: dt.date) -> tuple[dt.date, str]:
    written = form.get("indsendt", "").strip()
    if written:
        match = re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", written)
        try:
            return dt.date.fromisoformat(match.group(0) if match else ""), "the form's date"
        except ValueError:
            pass
    if received.sent is not None:
        source = "the issue's date" if received.kind == "issue form" else "the mail's date"
        return received.sent.date(), source
    return today, "today (the file carries no date: correct it if the answer came earlier)"


# --- the proposal ------------------------------------------------------------------------


def _proposal(
    snapshot: Snapshot,
    received: Received,
    round_: models.Round,
    municipality: models.Municipality,
    intake: Intake,
) -> dict[str, Any]:
    values = listed_values(snapshot, round_)
    placed = Placed()
    data: dict[str, Any] = {
        "round": round_.id,
        "municipality": int(municipality.code),
        "submitted": intake.submitted,
    }
    if round_.base is not None:
        data["base"] = round_.base
    parts = list(received.parts)
    if received.form is not None:
        parts = _form_parts(received.form, data, intake)
    for part in parts:
        words = own_words(part.text)
        _note_scrub(part, words, intake)
        place(words.items, round_.questions, values, placed)
    rationale = (received.form or {}).get("begrundelse", "").strip()
    changes, answers = _changes_and_answers(placed, values, round_, rationale, intake)
    if changes:
        data["changes"] = changes
    if answers:
        data["answers"] = answers
    return data


def _note_scrub(part: Part, words: OwnWords, intake: Intake) -> None:
    where = "" if part.label in ("body", "text", "document") else f" ({part.label})"
    intake.removed += [f"{item}{where}" for item in words.removed]
    intake.notes += [f"{note}{where}" for note in words.notes]


def _form_parts(form: dict[str, str], data: dict[str, Any], intake: Intake) -> list[Part]:
    """The form's text fields as parts; its approval field as `approved_by`."""
    approval = form.get("godkendt", "").strip()
    parts = [Part("forslag", form.get("forslag", "")), Part("svar", form.get("svar", ""))]
    if approval:
        approved, office, rest = _approval(approval)
        if approved is not None:
            data["approved_by"] = approved
            intake.recognised.append(f"approved by: {approved['body']} (from the form)")
        if office is not None:
            data["submitted_by"] = office
            intake.recognised.append(f"submitted by: {office}")
        if rest:
            parts.append(Part("godkendt", rest))
    chosen = form.get("art", "").strip()
    if chosen:
        intake.recognised.append("the form's choices: " + " · ".join(chosen.split("\n")))
    return parts


#: Words that make a name an office or a committee, not a person.
_BODY = re.compile(
    r"udvalg|forvaltning|direktion|byråd|kommunalbestyrelse|center|afdeling|sekretariat|stab", re.I
)


def _approval(text: str) -> tuple[dict[str, Any] | None, str | None, str]:
    """`approved_by`, the approving office's name, and any text left (verbatim)."""
    date = re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)
    url = re.search(r"https?://[^\s,]+", text)
    first = text.split(",", maxsplit=1)[0].strip()
    if not re.search(
        r"udvalg|byråd|kommunalbestyrelse|forvaltning|direktion|administration", text, re.I
    ):
        return None, None, text
    body = (
        "forvaltning"
        if re.search(r"forvaltning|direktion|administration", first, re.I)
        else "udvalg"
    )
    approved: dict[str, Any] = {"body": body}
    taken: list[str] = []
    if date is not None:
        with contextlib.suppress(ValueError):
            approved["date"] = dt.date.fromisoformat(date.group(0))
            taken.append(date.group(0))
    if url is not None:
        approved["minutes"] = url.group(0)
        taken.append(url.group(0))
    office = first if _BODY.search(first) and len(first) <= 200 else None
    if office is not None:
        taken.append(office)
    # Whatever else the field says is kept, word for word.
    rest = text
    for piece in taken:
        rest = rest.replace(piece, "", 1)
    rest = rest.strip(" ,;.\n")
    return approved, office, rest if re.search(r"\w", rest) else ""


def _changes_and_answers(
    placed: Placed,
    values: list[Listed],
    round_: models.Round,
    rationale: str,
    intake: Intake,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    number = {v.id: v.number for v in values}
    changes: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    general: list[str] = []
    value_targets = [t for t in placed.texts if t.value is not None]
    for target in placed.texts:
        texts = placed.texts[target]
        how = "; ".join(placed.how.get(target, []))
        if target.question is not None:
            _answer(target.question, texts, how, answers=answers, general=general, intake=intake)
        elif target.value is not None:
            for chunk in _chunks("\n\n".join(texts)):
                change: dict[str, Any] = {"kind": "comment", "value": target.value, "text": chunk}
                if len(value_targets) == 1 and not changes and 0 < len(rationale) <= _TEXT_ROOM:
                    change["rationale"] = rationale
                changes.append(change)
            intake.recognised.append(
                f"comment on værdi {number[target.value]} ({target.value}): {how or 'named'}"
            )
    if rationale and not (len(value_targets) == 1 and len(rationale) <= _TEXT_ROOM):
        general.append(rationale)
    general = [*placed.texts.get(GENERAL, []), *general]
    for chunk in _chunks("\n\n".join(general)):
        changes.append({"kind": "comment", "text": chunk})
        intake.left.append(chunk)
    changes = [{"id": str(index), **change} for index, change in enumerate(changes, start=1)]
    order = {q.id: i for i, q in enumerate(round_.questions)}
    answers.sort(key=lambda a: order.get(a["question"], len(order)))
    return changes, answers


def _answer(
    question: str,
    texts: list[str],
    how: str,
    *,
    answers: list[dict[str, Any]],
    general: list[str],
    intake: Intake,
) -> None:
    text = "\n\n".join(texts)
    if not text.strip():
        intake.notes.append(f"question {question} is named ({how}) but has no answer text")
        return
    chunks = _chunks(text)
    answers.append({"question": question, "text": chunks[0]})
    general.extend(chunks[1:])
    more = f", the rest ({len(chunks) - 1} part(s)) in the general comment" if chunks[1:] else ""
    intake.recognised.append(f"answer to {question}: {how}{more}")


def _chunks(text: str) -> list[str]:
    """`text` in pieces a text field takes, cut between paragraphs, else lines or words."""
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    while len(text) > _TEXT_ROOM:
        cuts = (text.rfind(sep, 0, _TEXT_ROOM) for sep in ("\n\n", "\n", " "))
        cut = next((c for c in cuts if c > _TEXT_ROOM // 2), _TEXT_ROOM)
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*chunks, text]


# --- the file ----------------------------------------------------------------------------


def _render(data: dict[str, Any], intake: Intake) -> str:
    kind = {"e-mail": "en e-mail", "Outlook e-mail": "en e-mail fra Outlook"}.get(
        intake.kind,
        {"Word document": "et Word-dokument", "issue form": "formularen på GitHub"}.get(
            intake.kind, "en tekstfil"
        ),
    )
    header = [
        f"# Høringssvar fra {intake.municipality.name} til runden {intake.round.id}, lagt ind "
        f"af valreg intake fra {kind}.",
        "# En kladde: redaktionen læser den igennem mod det oprindelige svar, før den bliver "
        "lagt i registret.",
        "# Kontaktoplysninger og underskrift er fjernet; tekst, der ikke hører til et spørgsmål "
        "eller en værdi, står ordret i en generel bemærkning.",
    ]
    return "\n".join(header) + "\n" + dump_yaml(data)


def _verify(intake: Intake) -> None:
    """The file must read back as the data, as a valid proposal: anything else is a bug."""
    size = len(intake.text.encode("utf-8"))
    if size > MAX_AUTHORED_BYTES:
        raise Refused(
            f"{intake.source}: the answer makes a proposal of {size:,} bytes, more than the "
            f"{MAX_AUTHORED_BYTES:,} a proposal may have; split the answer into several files"
        )
    name = intake.path.name
    parsed = parse_file(f"proposals/{intake.round.id}/{name}", intake.text.encode("utf-8"))
    problems = [d for d in parsed.diagnostics if d.severity == Severity.ERROR]
    if parsed.model is None or problems:
        shown = "; ".join(f"{d.code} {d.message}" for d in problems) or "no model"
        raise Unreadable(
            f"{intake.source}: the draft would not be a valid proposal ({shown}); please "
            "report this, and write the proposal with valreg propose"
        )
