"""`valreg propose`: a proposal file for a municipality to fill in, valid as it stands.

`render_proposal` builds the text without I/O; `write_proposal` picks a free file name
and writes it atomically. The file is read by municipal staff, so its comments are
Danish. Everything meant to be uncommented sits between marker lines and is YAML
written by the project's writer, so removing the leading `# ` keeps the file valid.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from valreg.atomic import write_atomic
from valreg.errors import InvalidRegistry, Refused, UsageError
from valreg.registry import models
from valreg.registry.diagnostics import close_match
from valreg.registry.models import slugify
from valreg.registry.rules import PROPOSAL_STEM
from valreg.registry.snapshot import MUNICIPALITIES_FILE, Snapshot, load_snapshot
from valreg.registry.yamlio import dump_yaml
from valreg.transaction import recover, registry_lock, scratch_dir
from valreg.workflow.state import select_round

#: Marker lines around each block that is meant to be uncommented: `# ---- <navn>: start ----`.
BLOCK_START = "# ---- {}: start ----"
BLOCK_END = "# ---- {}: slut ----"
SENDER_BLOCK = "afsender"
ANSWERS_BLOCK = "svar"
CHANGES_BLOCK = "eksempler på ændringer"

WIDTH = 100
#: Values listed in the file at most: a big registry would otherwise make the file larger
#: than the 1 MiB the reader accepts for a proposal.
MAX_LISTED = 300

_CODE: TypeAdapter[str] = TypeAdapter(models.MunicipalityCode)


def find_municipality(snapshot: Snapshot, code: str) -> models.Municipality:
    """The municipality with `code` (461, "0461" …); a usage error says how to find codes."""
    parsed = snapshot.files.get(MUNICIPALITIES_FILE)
    if parsed is None or parsed.model is None:
        raise InvalidRegistry(f"{MUNICIPALITIES_FILE} is missing or invalid; run valreg check")
    known = snapshot.municipalities
    sample = ", ".join(f"{m.code} {m.name}" for m in list(known.values())[:3])
    where = f"look the code up in {MUNICIPALITIES_FILE} (e.g. {sample or 'none listed yet'})"
    try:
        normal = _CODE.validate_python(code.strip())
    except ValidationError:
        by_name = {slugify(m.name): m for m in known.values()}
        spelled = close_match(slugify(code), by_name) if slugify(code) not in by_name else None
        named = by_name.get(spelled or slugify(code))
        hint = f"did you mean {named.code} ({named.name})? " if named else ""
        raise UsageError(
            f"'{code}' is not a municipality code (a number such as 461); {hint}{where}"
        ) from None
    if normal not in known:
        raise UsageError(f"municipality {normal} is not in this registry; {where}")
    return known[normal]


# --- the text ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listed:
    """A value as the proposal file lists it."""

    id: str
    number: int
    text: str
    active: bool
    note: str  # why the text differs from what the base release sent out, or ""


def _one_line(text: str) -> str:
    """Text for a comment: every run of whitespace (line breaks, tabs) becomes one space."""
    return " ".join(text.split())


def _comment(text: str, prefix: str = "# ", width: int = WIDTH) -> list[str]:
    """`text` as comment lines of at most `width` characters (a long word stays whole)."""
    return textwrap.wrap(
        _one_line(text),
        width=width,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _field(key: str, value: Any) -> str:
    """One `key: value` line, quoted by the project's writer where YAML needs it."""
    return dump_yaml({key: value}).rstrip("\n")


def _block(name: str, yaml_text: str) -> list[str]:
    """YAML commented out between marker lines; removing each `# ` brings it back."""
    lines = [f"# {line}" for line in yaml_text.rstrip("\n").split("\n")]
    return [BLOCK_START.format(name), *lines, BLOCK_END.format(name)]


def listed_values(snapshot: Snapshot, round_: models.Round) -> list[Listed]:
    """The base release's values with their current text; without a base, the active ones."""
    if round_.base is None:
        current = sorted(
            (p.model for p in snapshot.valid("value") if p.model.status == "active"),
            key=lambda v: v.number,
        )
        return [Listed(v.id, v.number, v.text, True, "") for v in current]
    release = snapshot.releases.get(round_.base)
    if release is None or release.model is None:
        raise InvalidRegistry(
            f"round {round_.id}'s base release {round_.base} is missing or invalid; "
            "run valreg check"
        )
    listed = []
    for entry in release.model.values:
        parsed = snapshot.values.get(entry.id)
        if parsed is None or parsed.model is None:
            raise InvalidRegistry(
                f"values/{entry.id}.yaml (in release {round_.base}) is missing or invalid; "
                "run valreg check"
            )
        value: models.Value = parsed.model
        if value.status == "retired":
            note = f"udgået efter udgave {round_.base}"
        elif models.text_digest(value.text) != entry.sha256:
            note = f"teksten er rettet efter udgave {round_.base}"
        else:
            note = ""
        listed.append(Listed(value.id, entry.number, value.text, value.status == "active", note))
    return listed


#: What each kind of change does and which fields it takes, shown above its example.
_KIND_HELP = {
    "amend": "amend: ny tekst til en værdi. value er værdiens id, text den nye tekst.",
    "add": "add: en ny værdi. after er id'et på værdien før den (null: først), text dens tekst.",
    "remove": "remove: fjern en værdi. value er værdiens id.",
    "merge": "merge: slå værdier sammen. values er deres id'er; den første beholder id og "
    "nummer og får text, de andre udgår.",
    "move": "move: flyt en værdi. value er værdiens id, after id'et på værdien, den skal stå "
    "efter (null: først).",
    "comment": "comment: en bemærkning, der ikke ændrer noget. value (valgfri) er værdiens id.",
}


_COMMENT = {"text": "Jeres bemærkning (eksempel)", "rationale": "Hvorfor I skriver det (eksempel)"}


def _example_changes(ids: list[str]) -> list[dict[str, Any]]:
    """One example change of each kind, on real value ids, in CHANGE_KINDS order.

    The kinds pick different values where there are enough, so the examples do not
    collide. With fewer than two values only add and comment can be shown.
    """
    add = {
        "kind": "add",
        "after": ids[-1] if ids else None,
        "text": "Teksten til den nye værdi (eksempel)",
        "rationale": "Hvorfor værdien mangler (eksempel)",
    }
    if len(ids) < 2:
        return [add, {"kind": "comment", **_COMMENT}]

    def pick(i: int) -> str:
        return ids[i % len(ids)]

    return [
        {
            "kind": "amend",
            "value": pick(0),
            "text": "Den nye tekst til værdien (eksempel)",
            "rationale": "Hvorfor I foreslår ændringen (eksempel)",
        },
        add,
        {"kind": "remove", "value": pick(5), "rationale": "Hvorfor den bør udgå (eksempel)"},
        {
            "kind": "merge",
            "values": [pick(2), pick(3)],
            "text": "Teksten til den sammenlagte værdi (eksempel)",
            "rationale": "Hvorfor de hører sammen (eksempel)",
        },
        {
            "kind": "move",
            "value": pick(4),
            "after": pick(0) if pick(4) != pick(0) else None,
            "rationale": "Hvorfor den skal stå et andet sted (eksempel)",
        },
        {"kind": "comment", "value": pick(1), **_COMMENT},
    ]


def render_proposal(
    snapshot: Snapshot, round_: models.Round, municipality: models.Municipality, today: dt.date
) -> str:
    """The proposal file's text: valid as it stands ("no remarks"), with Danish guidance."""
    listed = listed_values(snapshot, round_)
    lines = [
        *_comment(
            f"Høringssvar fra {municipality.name} (kommunekode {municipality.code}) til runden "
            f"{round_.id}:"
        ),
        *_comment(round_.title),
        f"# Frist: {round_.deadline.isoformat()} (svar senest den dag).",
        "#",
        *_comment(
            "Filen er gyldig, som den står: uden ændringer og svar betyder den "
            '"ingen bemærkninger". Linjer, der begynder med #, er kommentarer og bliver '
            'ikke læst. Fjern "# " forrest på de linjer mellem en start- og en slut-linje, '
            "I vil bruge, og ret teksterne. Ret ikke i indrykningen, og ryk ind med "
            "mellemrum, ikke tabulator."
        ),
        *_comment(
            "Skriv ikke navne, e-mailadresser eller telefonnumre på personer: svaret bliver "
            "offentligt."
        ),
        *_comment("Kontrollér filen, før I sender den: valreg check <filens sti>"),
        "",
        "# Runden, svaret hører til (det samme som mappen under proposals/).",
        _field("round", round_.id),
        "# Kommunens kode (det samme som tallet forrest i filnavnet).",
        _field("municipality", int(municipality.code)),
        *_comment(
            "Datoen, svaret er sendt (år-måned-dag); ret den, hvis I sender det en anden dag. "
            "Et svar efter fristen bliver vist som for sent."
        ),
        _field("submitted", today),
    ]
    if round_.base is not None:
        lines += [
            "# Den udgave af værdierne, svaret tager udgangspunkt i (se værdierne herunder).",
            _field("base", round_.base),
        ]
    lines += [
        "",
        *_comment(
            "Valgfrit: submitted_by er den del af kommunen, der afgiver svaret – et kontor "
            "eller et udvalg, aldrig en person. approved_by er den, der har godkendt svaret: "
            "body er udvalg (et politisk udvalg) eller forvaltning; date (datoen for "
            "godkendelsen) og minutes (et link til referatet) er valgfrie."
        ),
        *_block(
            SENDER_BLOCK,
            dump_yaml(
                {
                    "submitted_by": "Børne- og Ungeforvaltningen (eksempel)",
                    "approved_by": {
                        "body": "udvalg",
                        "date": today,
                        "minutes": "https://www.example.dk/referat",
                    },
                }
            ),
        ),
        "",
        *_values_section(round_, listed),
        "",
        *_answers_section(round_),
        "",
        *_changes_section([v.id for v in listed if v.active]),
    ]
    return "\n".join(lines) + "\n"


def _values_section(round_: models.Round, listed: list[Listed]) -> list[str]:
    if round_.base is not None:
        intro = f"Værdierne i udgave {round_.base}: nummer, id og den nuværende tekst."
    else:
        intro = "Værdierne, som de står nu (runden har ingen udgave at tage udgangspunkt i)."
    lines = _comment(f"{intro} En ændring henviser til en værdi med dens id.")
    if not listed:
        return [*lines, "# (Der er ingen værdier endnu.)"]
    digits = len(str(max(v.number for v in listed)))
    for value in listed[:MAX_LISTED]:
        note = f" ({value.note})" if value.note else ""
        lines.append("#")
        lines.append(f"# {value.number:>{digits}}. {value.id}{note}")
        lines.extend(_comment(value.text, prefix="# " + " " * (digits + 2)))
    if len(listed) > MAX_LISTED:
        lines.append("#")
        lines.extend(
            _comment(
                f"… og {len(listed) - MAX_LISTED} værdier mere; se dem i mappen values/ "
                "(filnavnet er værdiens id)."
            )
        )
    return lines


def _answers_section(round_: models.Round) -> list[str]:
    if not round_.questions:
        return ["# Runden stiller ingen spørgsmål."]
    lines = _comment(
        'Rundens spørgsmål. I svarer ved at fjerne "# " forrest på linjerne mellem start og '
        "slut og skrive jeres svar i stedet for eksempelteksten: question er spørgsmålets "
        "id, text jeres svar. Et spørgsmål, I ikke vil svare på, sletter I (begge linjer)."
    )
    for question in round_.questions:
        lines.append("#")
        lines.extend(_comment(f"{question.id}: {question.text}"))
    answers = [
        {"question": q.id, "text": f"Jeres svar på spørgsmål {q.id} (eksempel)"}
        for q in round_.questions
    ]
    return [*lines, "#", *_block(ANSWERS_BLOCK, dump_yaml({"answers": answers}))]


def _changes_section(ids: list[str]) -> list[str]:
    examples = _example_changes(ids)
    lines = _comment(
        'Forslag til ændringer. Hver ændring har et id, der er unikt i filen ("1", "2" … '
        "i anførselstegn), en kind (ændringens art) og kan have en rationale (begrundelse). "
        'Herunder er et eksempel på hver art; fjern "# " forrest på changes: og på de '
        "ændringer, I vil foreslå, ret dem, og slet resten."
    )
    if len(examples) < len(models.CHANGE_KINDS):
        lines += _comment("Der er for få værdier til eksempler på amend, remove, merge og move.")
    body = ["changes:"]
    for number, example in enumerate(examples, start=1):
        # Inside the block: after uncommenting, an indented comment within the list.
        body += _comment(_KIND_HELP[example["kind"]], prefix="  # ", width=WIDTH - 2)
        body.append(dump_yaml([{"id": str(number), **example}]).rstrip("\n"))
    return [*lines, *_block(CHANGES_BLOCK, "\n".join(body))]


# --- the file ------------------------------------------------------------------------------


def write_proposal(
    root: Path,
    code: str,
    *,
    round_id: str | None = None,
    out: Path | None = None,
    late: bool = False,
    today: dt.date,
) -> Path:
    """Write a new proposal file for a municipality; returns its path. Never overwrites.

    By default the file is proposals/<round>/<code>-<slug>.yaml, or the first free
    `-2`, `-3` … after it. A closed round, or one past its deadline without `late`,
    is refused.
    """
    root = root.resolve()
    with registry_lock(root):
        recover(root)
        snapshot = load_snapshot(root)
        municipality = find_municipality(snapshot, code)
        round_ = select_round(snapshot, round_id)
        if round_.closed:
            raise Refused(
                f"round {round_.id} is closed and takes no new proposals; name an open "
                "round with --round, or ask the editors"
            )
        if today > round_.deadline and not late:
            raise Refused(
                f"round {round_.id}'s deadline was {round_.deadline} (today is {today}); "
                "to submit late anyway, pass --late (the editors will see it as late)"
            )
        stem = f"{municipality.code}-{slugify(municipality.name) or 'kommune'}"
        folder = root / "proposals" / round_.id
        if out is None:
            path = free_path(folder, stem)
        else:
            path = _checked_out(root, out, folder, municipality.code)
        inside = path.resolve().is_relative_to(root.resolve())
        scratch = scratch_dir(root) if inside else None
        write_atomic(path, render_proposal(snapshot, round_, municipality, today), scratch=scratch)
        return path


def free_path(folder: Path, stem: str, taken: Collection[Path] = ()) -> Path:
    """`<stem>.yaml` in `folder`, or the first of `<stem>-2.yaml`, `<stem>-3.yaml` … not
    taken (on disk, or in `taken`: files about to be written)."""
    candidate = folder / f"{stem}.yaml"
    number = 1
    while candidate.exists() or candidate.is_symlink() or candidate in taken:
        number += 1
        candidate = folder / f"{stem}-{number}.yaml"
    return candidate


def _checked_out(root: Path, out: Path, folder: Path, code: str) -> Path:
    """The --out path, if it is new and, inside the registry, where a proposal belongs."""
    if out.exists() or out.is_symlink():
        raise UsageError(f"{out} already exists; valreg propose never overwrites a file")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent} does not exist; create the folder first")
    path = out.parent.resolve() / out.name
    if path.is_relative_to(root):
        match = PROPOSAL_STEM.fullmatch(path.stem)
        if not (
            path.parent == folder
            and path.suffix == ".yaml"
            and match is not None
            and int(match["code"]) == int(code)
        ):
            raise UsageError(
                f"{out} is inside the registry, where this proposal must be "
                f"{folder.relative_to(root).as_posix()}/{code}-<name>.yaml; leave out --out "
                "to get a free name there"
            )
    return path
