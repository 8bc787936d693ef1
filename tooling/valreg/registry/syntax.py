"""Why a file is not YAML, said so that the person who wrote it can fix it.

libyaml says where it gave up, in its own English ("mapping values are not allowed in
this context"), and often on the line after the mistake. `explain_syntax_error` recognises
the mistakes people make by hand — a missing space after ':', a missing ':', indentation,
an unclosed quote, a stray '-', a text that needs quotes, typographic quotes from Word, a
non-breaking space — points at the line to change and says what to write there, in
English and in Danish; libyaml's own words follow the English text as a detail.

It also names the characters that look like quotes or spaces but are not YAML's
(`TYPOGRAPHIC_QUOTES`, `ODD_SPACES`), for the reader and for the schema's messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

#: Quotes that word processors put in place of " and ': YAML reads them as text.
TYPOGRAPHIC_QUOTES = "“”„‟‘’‚‛«»‹›"
_OPENERS = "“”„‟‘’‚‛«»‹›"
_CLOSERS = "“”‟‘’‛«»‹›"
#: Spaces YAML does not take for a space: no-break, fixed-width and invisible ones.
ODD_SPACES = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
TYPOGRAPHIC_QUOTE = re.compile(f"[{TYPOGRAPHIC_QUOTES}]")

_SPACE_NAMES = {
    "\u00a0": ("non-breaking space", "hårdt mellemrum"),
    "\u2007": ("figure space (a non-breaking space)", "tal-mellemrum (et hårdt mellemrum)"),
    "\u202f": ("narrow non-breaking space", "smalt hårdt mellemrum"),
    "\u200b": ("zero-width space", "usynligt mellemrum med nulbredde"),
    "\u2060": ("word joiner (an invisible character)", "usynligt ordbindetegn"),
    "\ufeff": ("zero-width no-break space (an invisible character)", "usynligt hårdt mellemrum"),
}


def space_name(char: str) -> tuple[str, str]:
    """What an odd space is called, in English and in Danish, with its code point."""
    en, da = _SPACE_NAMES.get(char, ("special space", "særligt mellemrum"))
    return f"{en} (U+{ord(char):04X})", f"{da} (U+{ord(char):04X})"


def wrapped_in_typographic_quotes(text: str) -> bool:
    """Whether a text starts and ends with typographic quotes, as if they quoted it."""
    return len(text) >= 2 and text[0] in _OPENERS and text[-1] in _CLOSERS


def without_typography(text: str) -> str:
    """The text without typographic quotes and odd spaces around it or inside it."""
    return ODD_SPACE.sub("", TYPOGRAPHIC_QUOTE.sub("", text)).strip()


@dataclass(frozen=True, slots=True)
class Explanation:
    """A syntax error as a diagnostic's parts: code, where, and the message in both languages."""

    code: str
    line: int
    col: int
    message: str
    message_da: str


@dataclass(frozen=True, slots=True)
class _Failure:
    """What libyaml said, and what the explanations need to read around it."""

    problem: str
    context: str
    line: int  # where libyaml gave up (1-based)
    col: int
    context_line: int  # where the construct it was reading began (1-based; 0 if none)
    context_col: int
    lines: list[str]
    #: The last scalar read before the error: (style, start line, start col, end line).
    scalar: tuple[str | None, int, int, int] | None

    def text(self, line: int) -> str:
        return self.lines[line - 1].rstrip("\r") if 0 < line <= len(self.lines) else ""

    @property
    def raw(self) -> str:
        return f"{self.context}, {self.problem}" if self.context else self.problem


_Finder = Callable[[_Failure], "Explanation | None"]

_HINT = (
    "check the indentation, and put text that contains ': ' or ' #', or starts with "
    "'*', '&', '!', '%', '@', '`', '[' or '{', in quotes"
)
_HINT_DA = (
    "tjek indrykningen, og sæt anførselstegn om tekst, der indeholder ': ' eller ' #' "
    "eller begynder med '*', '&', '!', '%', '@', '`', '[' eller '{'"
)
# A line that holds a field: indentation, any '- ', the key, ':' and what follows.
_FIELD = re.compile(
    r"^(?P<indent>[ ]*(?:-[ ]+)*)(?P<key>[^\s:#'\"{}\[\],&*!|>%@`-][^:#]*?):(?P<rest>(?:[ \t].*)?)$"
)


def explain_syntax_error(text: str, exc: BaseException) -> Explanation:
    """libyaml's error `exc` on `text` as the mistake to fix, where to fix it, and how."""
    failure = _failure(text, exc)
    for finder in _FINDERS:
        found = finder(failure)
        if found is not None:
            detail = f" [libyaml: {failure.raw}]"
            return Explanation(
                found.code, found.line, found.col, found.message + detail, found.message_da
            )
    return Explanation(
        "Y101",
        failure.line,
        failure.col,
        f"YAML syntax error: {failure.raw}; {_HINT}",
        f"YAML-syntaksfejl: valreg kan ikke læse filen her; {_HINT_DA}",
    )


def _failure(text: str, exc: BaseException) -> _Failure:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    context_mark = getattr(exc, "context_mark", None)
    context_line, context_col = (
        (context_mark.line + 1, context_mark.column + 1) if context_mark else (0, 0)
    )
    problem = str(getattr(exc, "problem", None) or exc or type(exc).__name__)
    return _Failure(
        problem,
        str(getattr(exc, "context", None) or ""),
        line,
        col,
        context_line,
        context_col,
        text.splitlines(),
        _last_scalar(text),
    )


def _last_scalar(text: str) -> tuple[str | None, int, int, int] | None:
    """The last scalar libyaml read before it stopped (the file is read again, as far as
    it goes: only a refused file gets here)."""
    import yaml
    from yaml._yaml import CParser

    parser = CParser(text)
    last = None
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark, event.end_mark
                if start is not None and end is not None:
                    last = (event.style, start.line + 1, start.column + 1, end.line + 1)
            elif isinstance(event, yaml.StreamEndEvent):
                return last
    except Exception:  # the error being explained, or one that comes first
        return last


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(text: str) -> str:
    """A text in the quotes that need no escape: double, or single if it holds a '"'."""
    if '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _previous_line(failure: _Failure, line: int) -> int:
    """The nearest line before `line` that holds something (not blank, not a comment)."""
    for number in range(line - 1, 0, -1):
        stripped = failure.text(number).strip()
        if stripped and not stripped.startswith("#"):
            return number
    return 0


@cache
def _field_names() -> frozenset[str]:
    from pydantic import BaseModel

    from valreg.registry import models

    return frozenset(
        name
        for item in vars(models).values()
        if isinstance(item, type) and issubclass(item, BaseModel)
        for name in item.model_fields
    )


def _explained(line: int, col: int, en: str, da: str) -> Explanation:
    return Explanation("Y101", line, col, en, da)


# --- typographic quotes and odd spaces -------------------------------------------------


def _typographic(failure: _Failure) -> Explanation | None:
    """Y116: a text in typographic quotes, which YAML does not read as quotes, breaks the
    line (a ': ' or ' #' inside it)."""
    for line in dict.fromkeys((failure.context_line, failure.line)):
        match = _FIELD.match(failure.text(line))
        value = match["rest"].strip() if match else failure.text(line).strip().lstrip("- ")
        if not value or value[0] not in _OPENERS:
            continue
        col = failure.text(line).index(value) + 1
        inner = value[1:-1] if value[-1] in _CLOSERS else value[1:]
        key = f"{match['key']}: " if match else "- "
        fixed = f"{key}{_quoted(_shorten(inner))}"
        return Explanation(
            "Y116",
            line,
            col,
            f"the text is in typographic quotes ({value[0]} …), probably from Word; YAML does "
            'not read them as quotes, so the text breaks the file. Use straight quotes (" or '
            f"'): {fixed}",
            f"teksten står i typografiske anførselstegn ({value[0]} …), nok fra Word; YAML "
            "læser dem ikke som anførselstegn, så teksten ødelægger filen. Brug lige "
            f"anførselstegn (\" eller '): {fixed}",
        )
    return None


# An odd space where a line's structure needs an ordinary one: in its indentation, in
# place of the space after a '-' or after a field name's ':', or in the field name.
_KEY_START = r"[^\s:#'\"{}\[\],&*!|>%@`-]"
_ODD_SPACE_IN_STRUCTURE = re.compile(
    r"^[ ]*(?:-[ ]+)*(?P<after>-"
    rf"|{_KEY_START}[^:#]*:"
    rf"|{_KEY_START}[^:#]*?(?=[{ODD_SPACES}][^:#]*:(?:[ \t]|$)))?"
    f"(?P<odd>[{ODD_SPACES}])"
)


def _odd_space(failure: _Failure) -> Explanation | None:
    """Y118: an odd space in the structure of the line libyaml stopped at, or of the line
    where what it was reading began."""
    for line in dict.fromkeys((failure.context_line, failure.line)):
        found = _ODD_SPACE_IN_STRUCTURE.match(failure.text(line))
        if found is None:
            continue
        after = found["after"] or ""
        where, where_da = (
            ("the indentation of this line holds", "i indrykningen af linjen står")
            if not after
            else ("the space after '-' is", "mellemrummet efter '-' er")
            if after == "-"
            else ("the space after ':' is", "mellemrummet efter ':' er")
            if after.endswith(":")
            else (f"the field name '{after}' holds", f"i feltnavnet '{after}' står")
        )
        en, da = space_name(found["odd"])
        return Explanation(
            "Y118",
            line,
            found.start("odd") + 1,
            f"{where} a {en}, often copied from Word or a web page; YAML does not take it "
            "for a space. Delete it and type an ordinary space where one is needed",
            f"{where_da} et {da}, ofte kopieret fra Word eller en hjemmeside; YAML læser "
            "det ikke som et mellemrum. Slet det, og skriv et almindeligt mellemrum, hvor der "
            "skal være et",
        )
    return None


# --- quotes ----------------------------------------------------------------------------


def _unclosed_quote(failure: _Failure) -> Explanation | None:
    """A quote never closed (libyaml reads to the end of the file), or closed only by the
    next quote some lines further on."""
    if failure.context == "while scanning a quoted scalar" and "escape" not in failure.problem:
        line, col = failure.context_line, failure.context_col
    elif (
        failure.scalar is not None
        and failure.scalar[0] in ('"', "'")
        and failure.scalar[1] < failure.scalar[3] == failure.line
    ):
        line, col = failure.scalar[1], failure.scalar[2]
    else:
        return None
    quote = failure.text(line)[col - 1 : col] or '"'
    return _explained(
        line,
        col,
        f"the quote {quote} that starts this text is not closed on this line; end the text "
        f"with {quote}",
        f"anførselstegnet {quote}, som teksten begynder med, bliver ikke afsluttet på linjen; "
        f"afslut teksten med {quote}",
    )


def _text_after_quote(failure: _Failure) -> Explanation | None:
    """Text after a closing quote: a quote inside the text, or a text only partly quoted."""
    scalar = failure.scalar
    if scalar is None or scalar[0] not in ('"', "'") or scalar[1] != failure.line:
        return None
    if failure.problem != "did not find expected key":
        return None
    line, col = scalar[1], scalar[2]
    source = failure.text(line)
    quote = source[col - 1 : col]
    rest = source[col - 1 :].rstrip()
    if rest.endswith(quote) and rest.count(quote) > 2:
        other = "'" if quote == '"' else '"'
        inner = rest[1:-1]
        fixed = (
            f"{other}{inner}{other}" if other not in inner else f"'{inner.replace(chr(39), '')}'"
        )
        return _explained(
            line,
            col,
            f"the text holds a {quote} of its own, which ends it early; quote the text with "
            f"{other} instead: {_shorten(fixed, 60)}",
            f"teksten indeholder selv et {quote}, som afslutter den for tidligt; sæt i stedet "
            f"{other} om teksten: {_shorten(fixed, 60)}",
        )
    return _explained(
        line,
        col,
        f"text follows the closing quote {quote}; put all of the text inside the quotes",
        f"der står tekst efter det afsluttende {quote}; sæt hele teksten inden for "
        "anførselstegnene",
    )


def _bad_escape(failure: _Failure) -> Explanation | None:
    if failure.context != "while parsing a quoted scalar":
        return None
    return _explained(
        failure.line,
        failure.col,
        "a backslash (\\) inside double quotes starts an escape such as \\n; quote the text "
        "with ' instead, or write \\\\ for a backslash",
        "en omvendt skråstreg (\\) inden for dobbelte anførselstegn starter en "
        "escape-sekvens som \\n; sæt i stedet ' om teksten, eller skriv \\\\ for en "
        "omvendt skråstreg",
    )


# --- texts that need quotes ------------------------------------------------------------

_RESERVED_CONTEXTS = {
    "while scanning an alias": "*",
    "while scanning an anchor": "&",
    "while scanning a tag": "!",
    "while scanning a block scalar": "|",
}


def _reserved_start(failure: _Failure) -> Explanation | None:
    """A text that starts with a character YAML reserves (*, &, !, |, >, %, @, `, [, {)."""
    if failure.context in _RESERVED_CONTEXTS:
        line, col = failure.context_line, failure.context_col
    elif failure.problem == "found character that cannot start any token":
        line, col = failure.line, failure.col
    elif failure.problem == "did not find expected key":
        line, col = failure.line, 0
    else:
        return None
    match = _FIELD.match(failure.text(line))
    if match is None:
        return None
    value = match["rest"].strip()
    if not value or value[0] not in "*&!|>%@`[{":
        return None
    if col == 0 and value[0] not in "[{":
        return None
    col = len(failure.text(line)) - len(match["rest"].lstrip()) + 1
    fixed = f"{match['key']}: {_quoted(_shorten(value))}"
    return _explained(
        line,
        col,
        f"a text that starts with '{value[0]}' must be in quotes: {fixed}",
        f"en tekst, der begynder med '{value[0]}', skal stå i anførselstegn: {fixed}",
    )


def _tab(failure: _Failure) -> Explanation | None:
    if failure.problem != "found character that cannot start any token":
        return None
    if failure.text(failure.line)[failure.col - 1 : failure.col] != "\t":
        return None
    return Explanation(
        "Y110",
        failure.line,
        failure.col,
        "a tab where YAML needs spaces; replace the tab with spaces",
        "en tabulator, hvor YAML skal have mellemrum; erstat tabulatoren med mellemrum",
    )


def _colon_in_text(failure: _Failure, match: re.Match[str], line: int) -> Explanation:
    value = match["rest"].strip()
    col = len(failure.text(line)) - len(match["rest"].lstrip()) + 1
    fixed = f"{match['key']}: {_quoted(_shorten(value))}"
    return _explained(
        line,
        col,
        f"the text holds ': ' (a colon and a space), which YAML reads as a new field; put "
        f"the text in quotes: {fixed}",
        f"teksten indeholder ': ' (kolon og mellemrum), som YAML læser som et nyt felt; sæt "
        f"anførselstegn om teksten: {fixed}",
    )


# --- lines that are not 'field: value' -------------------------------------------------


def _not_a_field(failure: _Failure, line: int) -> Explanation:
    """A line that is neither 'field: value' nor a list item: a missing space after ':',
    a missing ':', a text's second line without indentation, or something else."""
    source = failure.text(line)
    stripped = source.lstrip(" ")
    col = len(source) - len(stripped) + 1
    word = re.match(r"(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*)(:?)(.*)$", stripped)
    if word is not None and word[2] and word[3][:1] not in ("", " "):
        key, rest = word[1], word[3]
        at = col + stripped.index(":") + 1
        fixed = f"{key}: {_shorten(rest)}"
        return _explained(
            line,
            at,
            f"missing space after ':'; YAML needs a space between the field name and its "
            f"value: {fixed}",
            f"der mangler et mellemrum efter ':'; YAML skal have et mellemrum mellem "
            f"feltnavnet og værdien: {fixed}",
        )
    if word is not None and word[1] in _field_names() and word[3].startswith(" "):
        key, rest = word[1], word[3].strip()
        fixed = f"{key}: {_shorten(rest)}"
        return _explained(
            line,
            col + stripped.index(key) + len(key),
            f"missing ':' after the field name '{key}': {fixed}",
            f"der mangler ':' efter feltnavnet '{key}': {fixed}",
        )
    previous = _previous_line(failure, line)
    above = _FIELD.match(failure.text(previous)) if previous else None
    if above is not None and above["rest"].strip() and above["rest"].strip()[0] not in "\"'|>":
        key = above["key"]
        return _explained(
            line,
            col,
            f"this line looks like the rest of the text of '{key}' on line {previous}; indent "
            f"it further than '{key}', or write the whole text on one line",
            f"linjen ser ud til at være resten af teksten i '{key}' på linje {previous}; ryk "
            f"den længere ind end '{key}', eller skriv hele teksten på én linje",
        )
    return _explained(
        line,
        col,
        "this line is neither 'field: value' nor a list item '- …'; add the field name and "
        "':', or delete the line",
        "linjen er hverken 'felt: værdi' eller et punkt '- …' i en liste; skriv feltnavnet og "
        "':', eller slet linjen",
    )


def _simple_key(failure: _Failure) -> Explanation | None:
    """libyaml's "could not find expected ':'": reported on the line after the one that
    has no ':' where one was due."""
    if failure.problem != "could not find expected ':'" or not failure.context_line:
        return None
    return _not_a_field(failure, failure.context_line)


def _indentation(failure: _Failure, line: int, col: int, key: str) -> Explanation:
    previous = _previous_line(failure, line)
    above = _FIELD.match(failure.text(previous)) if previous else None
    if above is None:
        return _explained(
            line,
            col,
            f"'{key}' is not indented like the fields around it; line up the fields of one "
            "level under each other, with spaces",
            f"'{key}' er ikke rykket ind som felterne omkring det; stil felterne på samme "
            "niveau lige under hinanden, med mellemrum",
        )
    their = len(above["indent"])
    mine = col - 1
    how, how_da = ("further", "længere") if mine > their else ("less", "mindre")
    return _explained(
        line,
        col,
        f"'{key}' is indented {how} ({mine} spaces) than '{above['key']}' on line {previous} "
        f"({their}); fields of one level start in the same column",
        f"'{key}' er rykket {how_da} ind ({mine} mellemrum) end '{above['key']}' på linje "
        f"{previous} ({their}); felter på samme niveau begynder i samme kolonne",
    )


def _mapping_values(failure: _Failure) -> Explanation | None:
    """libyaml's "mapping values are not allowed here": a ': ' inside a text, or a field on
    a line that continues the line before (too deep an indentation, or no ':' above)."""
    if failure.problem != "mapping values are not allowed in this context":
        return None
    line = failure.line
    source = failure.text(line)
    match = _FIELD.match(source)
    if match is None:
        return None
    colon = len(match["indent"]) + len(match["key"])
    if colon + 1 != failure.col:  # a second ': ' on the line: the text holds one
        return _colon_in_text(failure, match, line)
    previous = _previous_line(failure, line)
    above = failure.text(previous)
    if previous and _FIELD.match(above) is None and not above.lstrip().startswith("-"):
        return _not_a_field(failure, previous)
    return _indentation(failure, line, len(match["indent"]) + 1, match["key"].strip())


def _expected_key(failure: _Failure) -> Explanation | None:
    """libyaml's "did not find expected key": a stray '-', a '-' without a space after it,
    a line without a field name, or a field indented unlike its neighbours."""
    if failure.problem != "did not find expected key":
        return None
    line, col = failure.line, failure.col
    char = failure.text(line)[col - 1 : col]
    if char == "-":
        return _explained(
            line,
            col,
            "a '-' starts a list item here, in the middle of a group of fields; delete the "
            "'-' (in a list of changes, only the first field of each change has one)",
            "en '-' begynder her et nyt punkt midt i en gruppe af felter; slet '-' (i en "
            "liste af ændringer har kun det første felt i hver ændring en '-')",
        )
    if char == ":":
        return _explained(
            line,
            col,
            "the field name before ':' is missing",
            "feltnavnet før ':' mangler",
        )
    for number in range(max(failure.context_line, 1), line + 1):
        dash = re.match(r"^[ ]*-(?=[^\s-])", failure.text(number))
        if dash is not None:
            fixed = f"- {failure.text(number)[dash.end() :].strip()}"
            return _explained(
                number,
                dash.end(),
                f"missing space after '-': {_shorten(fixed)}",
                f"der mangler et mellemrum efter '-': {_shorten(fixed)}",
            )
    match = _FIELD.match(failure.text(line))
    if match is not None:
        return _indentation(failure, line, len(match["indent"]) + 1, match["key"].strip())
    return None


def _block_collection(failure: _Failure) -> Explanation | None:
    """libyaml's "did not find expected '-' indicator": a field indented less than the
    fields above it, but more than their parent."""
    if failure.problem != "did not find expected '-' indicator":
        return None
    match = _FIELD.match(failure.text(failure.line))
    if match is None:
        return None
    return _indentation(failure, failure.line, len(match["indent"]) + 1, match["key"].strip())


def _flow(failure: _Failure) -> Explanation | None:
    if failure.context not in ("while parsing a flow sequence", "while parsing a flow mapping"):
        return None
    bracket, closing = ("[", "]") if "sequence" in failure.context else ("{", "}")
    return _explained(
        failure.context_line,
        failure.context_col,
        f"the list that starts with '{bracket}' here is not closed with '{closing}' on this "
        f"line; close it, or put a text that starts with '{bracket}' in quotes",
        f"listen, der begynder med '{bracket}' her, bliver ikke lukket med '{closing}' på "
        f"linjen; luk den, eller sæt anførselstegn om en tekst, der begynder med '{bracket}'",
    )


_FINDERS: tuple[_Finder, ...] = (
    _odd_space,
    _typographic,
    _unclosed_quote,
    _bad_escape,
    _tab,
    _reserved_start,
    _text_after_quote,
    _simple_key,
    _mapping_values,
    _expected_key,
    _block_collection,
    _flow,
)
