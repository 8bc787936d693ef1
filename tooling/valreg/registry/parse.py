"""One file's bytes → its typed model, or diagnostics with line and column. No I/O.

Which model a file holds follows from its path in the registry. Pydantic's error
locations are mapped back to YAML source positions, and its messages are rewritten
into ones that say what to do, in English and in Danish.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError

from valreg.registry import models
from valreg.registry.diagnostics import Diagnostic, close_match, make
from valreg.registry.syntax import (
    ODD_SPACE,
    TYPOGRAPHIC_QUOTE,
    space_name,
    without_typography,
)
from valreg.registry.yamlio import (
    MAX_AUTHORED_BYTES,
    MAX_GENERATED_BYTES,
    Document,
    Path,
    YamlProblem,
    load_yaml,
)

Kind = Literal[
    "registry", "municipalities", "round", "decisions", "release", "adoption", "value", "proposal"
]

_ROUTES: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"registry/registry\.yaml"), "registry"),
    (re.compile(r"registry/municipalities\.yaml"), "municipalities"),
    (re.compile(r"registry/rounds/[^/]+/round\.yaml"), "round"),
    (re.compile(r"registry/rounds/[^/]+/decisions\.yaml"), "decisions"),
    # before the manifests: `2019.2.adoption.yaml` would match their pattern too
    (re.compile(r"registry/releases/[^/]+\.adoption\.yaml"), "adoption"),
    (re.compile(r"registry/releases/[^/]+\.yaml"), "release"),
    (re.compile(r"values/[^/]+\.yaml"), "value"),
    (re.compile(r"proposals/[^/]+/[^/]+\.yaml"), "proposal"),
)
#: Top-level folders whose every file valreg must understand.
REGISTRY_FOLDERS = ("registry", "values", "proposals")
#: Not registry data, but at home in its folders: the JSON Schemas, `.gitkeep`, a round's
#: letter (`valreg letter` reads it) and the README that explains a round's proposal folder.
_IGNORED = re.compile(
    r"registry/schema/[^/]+\.schema\.json|(.*/)?\.gitkeep"
    r"|registry/rounds/[^/]+/letter\.md|proposals/[^/]+/README\.md"
)

_EXPECTED_FILES = (
    "values/<id>.yaml, proposals/<round>/<code>-<name>.yaml, registry/registry.yaml, "
    "registry/municipalities.yaml, registry/rounds/<round>/round.yaml or decisions.yaml, "
    "registry/releases/<version>.yaml or <version>.adoption.yaml"
)
_EXPECTED_FILES_DA = (
    "values/<id>.yaml, proposals/<runde>/<kode>-<navn>.yaml, registry/registry.yaml, "
    "registry/municipalities.yaml, registry/rounds/<runde>/round.yaml eller decisions.yaml, "
    "registry/releases/<version>.yaml eller <version>.adoption.yaml"
)


def kind_of(path: str) -> Kind | None:
    """The file kind at a registry-relative POSIX path, or None if valreg has no such file."""
    for pattern, kind in _ROUTES:
        if pattern.fullmatch(path):
            return kind
    return None


def is_utf8(name: str) -> bool:
    """Whether a path, as the os and git give it, is valid UTF-8 (no registry file's name
    can be anything else)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a file name come back as surrogates
        return False
    return True


def shown_path(path: str) -> str:
    """A path as diagnostics name it: any byte that is not UTF-8 shown as U+FFFD."""
    if is_utf8(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_ignored(path: str) -> bool:
    """Files that may sit in registry folders without being registry data."""
    return _IGNORED.fullmatch(path) is not None


def unknown_file(path: str) -> Diagnostic:
    if path.endswith(".yml") and kind_of(path.removesuffix(".yml") + ".yaml"):
        message = "registry files end in .yaml; rename it to .yaml"
        da = "registerfiler ender på .yaml; omdøb filen til .yaml"
    else:
        message = f"valreg does not know this file; registry folders hold only {_EXPECTED_FILES}"
        da = f"valreg kender ikke denne fil; registermapperne rummer kun {_EXPECTED_FILES_DA}"
    return make(path, 1, 1, "F301", message, da=da)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file as read: its model (None if invalid), its document, and what was wrong."""

    path: str
    kind: Kind
    model: Any
    document: Document | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def stem(self) -> str:
        """The file name without `.yaml`: a value's id, a proposal's `<code>-<name>`."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".yaml")

    @property
    def folder(self) -> str:
        """The folder the file is in: a proposal's or round file's round."""
        return self.path.split("/")[-2]

    def position(self, *loc: str | int, key: bool = False) -> tuple[int, int]:
        if self.document is None:
            return (1, 1)
        return self.document.position(tuple(loc), key=key)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled without the model, which is validated again when loaded: pydantic models
        # pickle slowly, and validating the document gives the same model.
        valid = self.model is not None
        return (_unpickle, (self.path, self.kind, self.document, self.diagnostics, valid))


def _unpickle(
    path: str,
    kind: Kind,
    document: Document | None,
    diagnostics: tuple[Diagnostic, ...],
    valid: bool,
) -> Parsed:
    model = _adapter(kind).validate_python(document.data) if valid and document else None
    return Parsed(path, kind, model, document, diagnostics)


@cache
def _adapter(kind: Kind) -> TypeAdapter[Any]:
    return TypeAdapter(models.FILE_KINDS[kind])


def warm_up(kinds: set[Kind]) -> None:
    """Build the validators of these kinds now (before worker processes are forked)."""
    for kind in sorted(kinds):
        _adapter(kind)


def parse_file(path: str, data: bytes) -> Parsed:
    """Parse and validate one file of the given registry path."""
    kind = kind_of(path)
    if kind is None:
        raise ValueError(f"not a registry file: {path}")
    limit = MAX_AUTHORED_BYTES if kind in ("value", "proposal") else MAX_GENERATED_BYTES
    loaded = load_yaml(data, limit=limit)
    if isinstance(loaded, YamlProblem):
        diagnostic = make(
            path, loaded.line, loaded.col, loaded.code, loaded.message, da=loaded.message_da
        )
        return Parsed(path, kind, None, None, (diagnostic,))
    if loaded.data is None:
        diagnostic = make(
            path,
            1,
            1,
            "S208",
            f"file is empty; expected {_shape(kind)}",
            da=f"filen er tom; der skal stå {_shape_da(kind)}",
        )
        return Parsed(path, kind, None, loaded, (diagnostic,))
    try:
        model = _adapter(kind).validate_python(loaded.data)
    except ValidationError as exc:
        strays, covered = _stray_dashes(path, kind, loaded)
        diagnostics = tuple(
            _translate(path, kind, loaded, error)
            for error in exc.errors()
            if tuple(error["loc"][:2]) not in covered
        )
        return Parsed(path, kind, None, loaded, (*strays, *diagnostics))
    return Parsed(path, kind, model, loaded, ())


#: The lists of a proposal and the field that starts each of their items.
_ITEM_LISTS = (("changes", "id"), ("answers", "question"))


def _stray_dashes(
    path: str, kind: Kind, doc: Document
) -> tuple[list[Diagnostic], set[tuple[str | int, ...]]]:
    """S212: a '-' before a field that belongs to the item above (people put one on every
    line of a change), and the items whose own errors that explains."""
    found: list[Diagnostic] = []
    covered: set[tuple[str | int, ...]] = set()
    data = doc.data
    if kind != "proposal" or not isinstance(data, dict):
        return found, covered
    for list_key, first in _ITEM_LISTS:
        items = data.get(list_key)
        if not isinstance(items, list):
            continue
        owner: int | None = None
        keys: set[str] = set()
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                owner = None
                continue
            if owner is None or first in item or len(item) != 1 or keys & item.keys():
                owner, keys = i, set(item)
                continue
            (field,) = item
            keys.add(field)
            covered |= {(list_key, owner), (list_key, i)}
            line, col = doc.position((list_key, i))
            found.append(
                make(
                    path,
                    line,
                    max(col - 2, 1),
                    "S212",
                    f"this '-' starts a new item, but '{field}' belongs to the item above "
                    f"(line {doc.position((list_key, owner))[0]}); delete the '-' and indent "
                    f"'{field}' like '{first}'",
                    da=f"denne '-' begynder et nyt punkt, men '{field}' hører til punktet "
                    f"ovenfor (linje {doc.position((list_key, owner))[0]}); slet '-', og ryk "
                    f"'{field}' ind som '{first}'",
                )
            )
    return found, covered


def _shape(kind: Kind) -> str:
    if kind in ("municipalities", "decisions"):
        return "a list of entries"
    return "a mapping of fields"


def _shape_da(kind: Kind) -> str:
    if kind in ("municipalities", "decisions"):
        return "en liste af punkter"
    return "en række felter"


# --- pydantic errors → diagnostics ---------------------------------------------------

#: What a pattern asks for, in English and in Danish.
_PATTERN_HINTS = {
    models.SLUG: (
        "a lowercase slug of a-z, 0-9 and '-' (e.g. 'danner-og-uddanner')",
        "et kort navn af små bogstaver a-z, 0-9 og '-' (fx 'danner-og-uddanner')",
    ),
    models.ROUND_ID: (
        "a round id of a-z, 0-9 and '-' (e.g. '2019-1')",
        "et runde-id af a-z, 0-9 og '-' (fx '2019-1')",
    ),
    models.CALENDAR_VERSION: (
        'a calendar version YYYY.N in quotes (e.g. "2019.1")',
        'en version ÅÅÅÅ.N i anførselstegn (fx "2019.1")',
    ),
    models.CHANGE_ID: (
        "a change id of letters, digits, '.', '_' or '-' (e.g. \"1\")",
        "et ændrings-id af bogstaver, cifre, '.', '_' eller '-' (fx \"1\")",
    ),
    models.LOGIN: (
        "a GitHub login (letters, digits and single '-')",
        "et GitHub-login (bogstaver, cifre og enkelte '-')",
    ),
    models.SHA256: (
        "a sha256 of 64 lowercase hex digits",
        "en sha256 på 64 hexadecimale cifre med små bogstaver",
    ),
    models.GLOBAL_CHANGE_ID: (
        "a change id '<round>/<file name>#<id>' (e.g. 2019-1/461-odense#1)",
        "et ændrings-id '<runde>/<filnavn>#<id>' (fx 2019-1/461-odense#1)",
    ),
    models.URL: (
        "a web address starting with https:// or http://",
        "en webadresse, der begynder med https:// eller http://",
    ),
    models.LANGUAGE: (
        "a two- or three-letter language code (e.g. da)",
        "en sprogkode på to eller tre bogstaver (fx da)",
    ),
    models.TAG_PREFIX: (
        "a tag prefix of letters, digits, '.', '_', '/' or '-' (e.g. values/)",
        "et tag-præfiks af bogstaver, cifre, '.', '_', '/' eller '-' (fx values/)",
    ),
    models.EMAIL: (
        "an e-mail address of an office (e.g. post@example.org)",
        "en e-mailadresse til et kontor (fx post@example.org)",
    ),
    models.BRANCH: (
        "a git branch name (e.g. main)",
        "et navn på en git-gren (fx main)",
    ),
}

# Our validators raise ValueError("<reason>") or ValueError("<reason>:<field>"); the field
# names the key the diagnostic points at.
_VALUE_ERRORS = {
    "blank_text": (
        "S205",
        "text is blank; write the text or remove the field",
        "teksten er tom; skriv teksten, eller fjern feltet",
    ),
    "not_iso_date": (
        "S207",
        "not an ISO date; write YYYY-MM-DD, e.g. 2019-04-23",
        "ikke en dato; skriv ÅÅÅÅ-MM-DD, fx 2019-04-23",
    ),
    "not_code": (
        "S206",
        "not a municipality code; write the official code, e.g. 461",
        "ikke en kommunekode; skriv den officielle kode, fx 461",
    ),
    "modify_needs_text": (
        "S201",
        "decision 'modify' needs the final text in 'text'",
        "afgørelsen 'modify' skal have den endelige tekst i 'text'",
    ),
    "text_only_on_modify": (
        "S209",
        "'text' belongs to 'modify' decisions only; remove it",
        "'text' hører kun til afgørelsen 'modify'; fjern feltet",
    ),
    "combined_only_on_modify": (
        "S209",
        "'combined_with' belongs to 'modify' decisions only; remove it",
        "'combined_with' hører kun til afgørelsen 'modify'; fjern feltet",
    ),
    "reason_required": (
        "S201",
        "a 'reason' is required for reject, modify and note",
        "en begrundelse i 'reason' er påkrævet ved reject, modify og note",
    ),
    "merge_repeats_value": (
        "S203",
        "a merge names the same value twice; name each once",
        "en sammenlægning henviser til den samme værdi to gange; henvis til hver værdi én gang",
    ),
    "adoption_missing": (
        "R710",
        "an adopted release needs 'adopted_by' with the adopting body and date",
        "en vedtaget udgave skal have 'adopted_by' med det organ, der vedtog den, og datoen",
    ),
    "adoption_on_draft": (
        "R710",
        "a draft release has no 'adopted_by'; remove it or set status: adopted",
        "et udkast har ingen 'adopted_by'; fjern feltet, eller skriv status: adopted",
    ),
    "active_with_retirement": (
        "V405",
        "'merged_into' and 'retired_in' belong to retired values; set status: retired or "
        "remove them",
        "'merged_into' og 'retired_in' hører til udgåede værdier; skriv status: retired, "
        "eller fjern felterne",
    ),
}


def _field_name(loc: Path) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return names[-1] if names else "file"


#: A diagnostic's code and its message in English and in Danish.
_Wording = tuple[str, str, str]

_SHAPE_ERRORS = ("model_type", "model_attributes_type", "dict_type", "list_type")
_CONSTRAINT_ERRORS = ("literal_error", "int_type", "too_short", "greater_than_equal")


def _translate(path: str, kind: Kind, doc: Document, error: Any) -> Diagnostic:
    """One pydantic error as a diagnostic that says what to do, at the node it is about."""
    loc = tuple(error["loc"])
    # A discriminated union puts the tag ('amend') into the location; the YAML has none.
    data_loc = _data_loc(kind, loc)
    etype: str = error["type"]
    name = _field_name(data_loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    key = False
    if etype == "missing":
        wording = _missing_wording(name)
    elif etype == "extra_forbidden":
        key = True
        wording = _unknown_field_wording(kind, loc, name)
    elif etype == "value_error":
        wording, data_loc, key = _value_error_wording(doc, data_loc, name, error)
    elif etype == "string_pattern_mismatch":
        hint, hint_da = _PATTERN_HINTS.get(ctx["pattern"], (ctx["pattern"], ctx["pattern"]))
        wording = (
            "S206",
            f"'{name}' is {value!r}; expected {hint}",
            f"'{name}' er {value!r}; der skal stå {hint_da}",
        )
    elif etype in ("union_tag_invalid", "union_tag_not_found"):
        wording = _change_kind_wording(etype, ctx)
        if etype == "union_tag_invalid":
            data_loc = (*data_loc, "kind")
    elif etype in _SHAPE_ERRORS:
        wording = _shape_wording(kind, etype, data_loc, name, value)
    elif etype in ("string_type", "bool_type"):
        wording = _scalar_type_wording(etype, name, value)
    elif etype in _CONSTRAINT_ERRORS:
        wording = _constraint_wording(etype, name, error)
    else:
        wording = _pydantic_wording(name, error)
    wording = _typography_wording(etype, name, value, error) or wording
    code, message, da = wording
    line, col = doc.position(data_loc, key=key)
    return make(path, line, col, code, message, da=da)


def _pydantic_wording(name: str, error: Any) -> _Wording:
    """Pydantic's own words, for errors not rewritten: they stay English in both texts."""
    return "S203", error["msg"], f"'{name}' har en ugyldig værdi: {error['msg']}"


def _missing_wording(name: str) -> _Wording:
    message, da = f"missing required field '{name}'", f"det påkrævede felt '{name}' mangler"
    if name == "after":
        message += " (the value it follows; after: null puts it first)"
        da += " (den værdi, den nye skal stå efter; after: null sætter den først)"
    return "S201", message, da


def _unknown_field_wording(kind: Kind, loc: tuple[Any, ...], name: str) -> _Wording:
    """A field the model does not have: the one meant, if one is close (or the Danish word
    for one), or else the fields it does have there."""
    fields = _allowed_fields(kind, loc[:-1])
    cleaned = without_typography(name)
    if TYPOGRAPHIC_QUOTE.search(name) and cleaned in fields:
        return (
            "S210",
            f"the field name '{name}' is written with typographic quotes, probably from Word; "
            f"write it without quotes: {cleaned}:",
            f"feltnavnet '{name}' er skrevet med typografiske anførselstegn, nok fra Word; "
            f"skriv det uden anførselstegn: {cleaned}:",
        )
    space = ODD_SPACE.search(name)
    if space is not None:
        en, da = space_name(space.group())
        shown = ODD_SPACE.sub("", name).strip()
        fix = f": {shown}:" if shown in fields else ""
        return (
            "S211",
            f"the field name '{shown}' holds a {en}, invisible, but part of the name to YAML "
            f"(often copied from Word or a web page); delete it{fix}",
            f"feltnavnet '{shown}' indeholder et {da}, som ikke kan ses, men for YAML er en del "
            f"af navnet (ofte kopieret fra Word eller en hjemmeside); slet det{fix}",
        )
    meant = _DANISH_FIELDS.get(name.lower()) or close_match(name, fields)
    if meant is not None and meant in fields:
        return (
            "S202",
            f"unknown field '{name}'; did you mean '{meant}'?",
            f"ukendt felt '{name}'; mente I '{meant}'?",
        )
    allowed = ", ".join(fields)
    message, da = f"unknown field '{name}'", f"ukendt felt '{name}'"
    if allowed:
        message += f"; allowed here: {allowed}"
        da += f"; tilladt her: {allowed}"
    return "S202", message, da


#: Danish words people write for the field names (which are English): the field meant.
_DANISH_FIELDS = {
    "begrundelse": "rationale",
    "tekst": "text",
    "titel": "title",
    "værdi": "value",
    "vaerdi": "value",
    "værdier": "values",
    "vaerdier": "values",
    "kommune": "municipality",
    "kommunekode": "municipality",
    "runde": "round",
    "indsendt": "submitted",
    "dato": "date",
    "efter": "after",
    "art": "kind",
    "type": "kind",
    "ændringer": "changes",
    "aendringer": "changes",
    "svar": "answers",
    "spørgsmål": "question",
    "spoergsmaal": "question",
    "basis": "base",
    "indsendt_af": "submitted_by",
    "godkendt_af": "approved_by",
    "organ": "body",
    "referat": "minutes",
    "nummer": "number",
    "frist": "deadline",
}

#: Errors about an id, code, date, version or fixed word, whose value may hold typographic
#: quotes or an odd space pasted from Word.
_FORM_ERRORS = ("string_pattern_mismatch", "literal_error", "union_tag_invalid", "value_error")


def _typography_wording(etype: str, name: str, value: Any, error: Any) -> _Wording | None:
    """S210/S211: an id, code, date, version or fixed word with typographic quotes or an
    odd space in it, which the person cannot see is wrong; None for any other error."""
    if etype not in _FORM_ERRORS:
        return None
    ctx = error.get("ctx") or {}
    if etype == "union_tag_invalid":
        name, value = "kind", ctx.get("tag")
    elif etype == "value_error" and str(ctx.get("error")) not in ("not_iso_date", "not_code"):
        return None
    if not isinstance(value, str):
        return None
    fixed = f'{name}: "{without_typography(value)}"'
    quote = TYPOGRAPHIC_QUOTE.search(value)
    if quote is not None:
        return (
            "S210",
            f"'{name}' is written with typographic quotes ({quote.group()}), probably from Word; "
            f"write it with straight quotes: {fixed}",
            f"'{name}' er skrevet med typografiske anførselstegn ({quote.group()}), nok fra "
            f"Word; skriv det med lige anførselstegn: {fixed}",
        )
    space = ODD_SPACE.search(value)
    if space is None:
        return None
    en, da = space_name(space.group())
    return (
        "S211",
        f"'{name}' holds a {en}, invisible, but it makes the value wrong (often copied from "
        f"Word or a web page); delete it: {fixed}",
        f"'{name}' indeholder et {da}, som ikke kan ses, men gør værdien forkert (ofte "
        f"kopieret fra Word eller en hjemmeside); slet det: {fixed}",
    )


def _value_error_wording(
    doc: Document, data_loc: Path, name: str, error: Any
) -> tuple[_Wording, Path, bool]:
    """A validator's error (its reason names the wording, and may name the field it is
    about), with the path to point at and whether to point at that path's key."""
    reason = str((error.get("ctx") or {})["error"])
    if reason == "number_not_text":
        value = error.get("input")
        raw = doc.raw.get(data_loc, str(value))
        return (
            (
                "S204",
                f"'{name}' is written as a {_yaml_type(value)} ({raw}), but must be text; "
                f'quote it: {name}: "{raw}"',
                f"'{name}' er skrevet som {_yaml_type_da(value)} ({raw}), men skal være tekst; "
                f'sæt anførselstegn om: {name}: "{raw}"',
            ),
            data_loc,
            False,
        )
    reason, _, field = reason.partition(":")
    wording = _VALUE_ERRORS.get(reason) or _pydantic_wording(name, error)
    if field and (*data_loc, field) in doc.positions:
        return wording, (*data_loc, field), True
    return wording, data_loc, False


def _change_kind_wording(etype: str, ctx: dict[str, Any]) -> _Wording:
    """A change whose 'kind' is unknown (union_tag_invalid) or missing."""
    kinds = ", ".join(models.CHANGE_KINDS)
    if etype == "union_tag_invalid":
        return (
            "S203",
            f"unknown change kind {ctx['tag']!r}; expected one of {kinds}",
            f"ukendt art af ændring {ctx['tag']!r}; skriv en af {kinds}",
        )
    return (
        "S201",
        f"missing required field 'kind' (one of {kinds})",
        f"det påkrævede felt 'kind' mangler (en af {kinds})",
    )


def _shape_wording(kind: Kind, etype: str, data_loc: Path, name: str, value: Any) -> _Wording:
    """A node (or the whole file) that holds the wrong kind of collection or a scalar."""
    got, got_da = _yaml_type(value), _yaml_type_da(value)
    if not data_loc:
        return (
            "S208",
            f"file holds {got}; expected {_shape(kind)}",
            f"filen indeholder {got_da}; der skal stå {_shape_da(kind)}",
        )
    is_list = etype == "list_type"
    wanted = "a list" if is_list else "a mapping of fields"
    wanted_da = "en liste" if is_list else "en række felter"
    return (
        "S203",
        f"'{name}' holds {got}; expected {wanted}",
        f"'{name}' indeholder {got_da}; der skal stå {wanted_da}",
    )


def _scalar_type_wording(etype: str, name: str, value: Any) -> _Wording:
    """A field that should hold text (string_type) or a boolean (bool_type)."""
    if etype == "bool_type":
        return (
            "S203",
            f"'{name}' is {value!r}; write true or false",
            f"'{name}' er {value!r}; skriv true eller false",
        )
    if value is None:
        return (
            "S205",
            f"'{name}' is empty; write the text or remove the field",
            f"'{name}' er tom; skriv teksten, eller fjern feltet",
        )
    return (
        "S203",
        f"'{name}' holds {_yaml_type(value)}; expected text",
        f"'{name}' indeholder {_yaml_type_da(value)}; der skal stå tekst",
    )


def _constraint_wording(etype: str, name: str, error: Any) -> _Wording:
    """A value that breaks a simple constraint: a literal, an integer, a length, a minimum."""
    if etype == "too_short" and name == "values":
        return (
            "S203",
            "a merge names two or more values: the first survives, the others retire",
            "en sammenlægning henviser til to eller flere værdier: den første består, de "
            "andre udgår",
        )
    value = error.get("input")
    message = f"'{name}': {error['msg'][0].lower()}{error['msg'][1:]}"
    da = f"'{name}': {_constraint_da(etype, error.get('ctx') or {})}"
    if isinstance(value, str | int | float | bool):
        message += f" (found {value!r})"
        da += f" (her står {value!r})"
    return "S203", message, da


def _constraint_da(etype: str, ctx: dict[str, Any]) -> str:
    """Pydantic's message for a simple constraint, said in Danish."""
    if etype == "literal_error":
        expected = str(ctx["expected"])
        head, sep, last = expected.rpartition(" or ")
        return f"skal være {head} eller {last}" if sep else f"skal være {expected}"
    if etype == "int_type":
        return "skal være et helt tal"
    if etype == "too_short":
        n = int(ctx["min_length"])
        return f"skal have mindst {n} {'punkt' if n == 1 else 'punkter'}"
    return f"skal være mindst {ctx['ge']}"


def _yaml_type(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _yaml_type_da(value: Any) -> str:
    if value is None:
        return "ingenting (null)"
    if isinstance(value, bool):
        return "en sandhedsværdi"
    if isinstance(value, int | float):
        return "et tal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "en række felter"
    return type(value).__name__


def _walk(kind: Kind, loc: tuple[Any, ...]) -> tuple[Path, Any]:
    """Follow a pydantic loc through the model types: the data path and the type there."""
    tp: Any = models.FILE_KINDS[kind]
    path: list[str | int] = []
    for part in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if origin is list:
            tp = typing.get_args(tp)[0]
            path.append(part)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            path.append(part)
            tp = field.annotation if field is not None else None
        elif _union_members(tp):
            # discriminated union: the loc part names the tag, not a data key
            members = {
                typing.get_args(m.model_fields["kind"].annotation)[0]: m for m in _union_members(tp)
            }
            tp = members.get(part)
        else:
            path.append(part)
            tp = None
    return tuple(path), tp


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _unwrap(rest[0])
    return tp


def _union_members(tp: Any) -> list[type[BaseModel]]:
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return []
    members = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
    return members if all("kind" in m.model_fields for m in members) else []


def _data_loc(kind: Kind, loc: tuple[Any, ...]) -> Path:
    return _walk(kind, loc)[0]


def _allowed_fields(kind: Kind, loc: tuple[Any, ...]) -> list[str]:
    tp = _unwrap(_walk(kind, loc)[1])
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []
