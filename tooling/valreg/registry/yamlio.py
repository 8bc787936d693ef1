"""The one YAML factory: the safe reader for untrusted files and the round-trip writer.

The reader is built on libyaml's *events* (PyYAML's C parser), not on a loader: it
sees every anchor, alias, tag and directive and can refuse them, keeps the source
position of every node, and constructs plain Python values itself by the YAML 1.2
core schema (libyaml is a YAML 1.1 parser; only scalar resolution differs, and that
is done here). Everything it accepts is a tree of dict, list, str, int, float, bool
and None.

The writer is ruamel.yaml's round-trip dumper, configured once, for files valreg
writes or edits; it quotes strings a YAML 1.1 reader would misread.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from valreg.danish import danish_number
from valreg.registry.syntax import explain_syntax_error

if TYPE_CHECKING:
    from ruamel.yaml import YAML

#: A path into a loaded document: mapping keys and sequence indices.
Path = tuple[str | int, ...]

MAX_DEPTH = 32
MAX_TEXT = 2000
#: Files people write (values, proposals) and files editors generate (manifests …).
MAX_AUTHORED_BYTES = 1 << 20
MAX_GENERATED_BYTES = 32 << 20

# C0 controls except tab, LF and CR; DEL; C1 controls; bidirectional overrides.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Why the reader refused a file: a rule code, a message in English and in Danish, and
    a 1-based position."""

    code: str
    message: str
    line: int
    col: int
    message_da: str


class _Located(NamedTuple):
    positions: dict[Path, tuple[int, int]]
    key_positions: dict[Path, tuple[int, int]]
    raw: dict[Path, str]


class Document:
    """A loaded file: its data, and where each node came from (1-based line, column).

    The positions are found again from the source text when first asked for: only a
    diagnostic needs them, and keeping every node's position for every file of a large
    registry costs more time and memory than reading the few files that have one twice.
    """

    __slots__ = ("_located", "data", "text")

    def __init__(self, data: Any, text: str) -> None:
        self.data = data
        self.text = text
        self._located: _Located | None = None

    def _locate(self) -> _Located:
        if self._located is None:
            located = _build(self.text, track=True)[1]
            assert located is not None
            self._located = located
        return self._located

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        return self._locate().positions

    @property
    def key_positions(self) -> dict[Path, tuple[int, int]]:
        return self._locate().key_positions

    @property
    def raw(self) -> dict[Path, str]:
        """Source text of plain scalars that did not resolve to a string (`2019.10`…)."""
        return self._locate().raw

    def __getstate__(self) -> tuple[Any, str]:
        return self.data, self.text

    def __setstate__(self, state: tuple[Any, str]) -> None:
        self.data, self.text = state
        self._located = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.data, self.text) == (other.data, other.text)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Document({self.data!r})"

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the node at `path`, or of its nearest ancestor that exists."""
        probe = path
        while True:
            if key and probe in self.key_positions:
                return self.key_positions[probe]
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


class _Refusal(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT10.fullmatch(text):
            return int(text)
        if _INT8.fullmatch(text):
            return int(text[2:], 8)
        if _INT16.fullmatch(text):
            return int(text[2:], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return -math.inf if first == "-" else math.inf
        if _NAN.fullmatch(text):
            return math.nan
    return text


def _line_of(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refusal(
            YamlProblem(
                "Y102",
                "file is UTF-16; save it as UTF-8",
                1,
                1,
                message_da="filen er gemt som UTF-16; gem den som UTF-8",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace")
        line, col = _line_of(before, len(before))
        raise _Refusal(
            YamlProblem(
                "Y102",
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                line,
                col,
                message_da=f"filen er ikke gyldig UTF-8 (byte 0x{data[exc.start]:02x}); "
                "gem den som UTF-8",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _forbidden_char(char: str, line: int, col: int, *, escaped: bool = False) -> YamlProblem:
    """Y115 for a bidirectional control, Y114 for any other control character; `escaped`
    when a double-quoted scalar's escape (`\\e`, `\\x1b`, `\\u202E`) decoded to it."""
    how = " (written as an escape)" if escaped else ""
    how_da = " (skrevet som escape-sekvens)" if escaped else ""
    if "\u202a" <= char <= "\u2069":
        return YamlProblem(
            "Y115",
            f"bidirectional control character U+{ord(char):04X}{how} is not allowed "
            "(it can make text display differently from what it says); remove it",
            line,
            col,
            message_da=f"tegnet U+{ord(char):04X}{how_da} styrer skriveretningen og er ikke "
            "tilladt (det kan få teksten til at se anderledes ud, end den er); fjern det",
        )
    return YamlProblem(
        "Y114",
        f"control character U+{ord(char):04X}{how} is not allowed; remove it",
        line,
        col,
        message_da=f"kontroltegnet U+{ord(char):04X}{how_da} er ikke tilladt; fjern det",
    )


def _scan(text: str) -> None:
    """Refusals that are cheapest to find in the raw text, before parsing."""
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        raise _Refusal(_forbidden_char(bad.group(), *_line_of(text, bad.start())))
    tab = _TAB_INDENT.search(text)
    if tab:
        line, col = _line_of(text, tab.end() - 1)
        raise _Refusal(
            YamlProblem(
                "Y110",
                "tab used for indentation; indent with spaces",
                line,
                col,
                message_da="tabulator brugt til indrykning; ryk ind med mellemrum",
            )
        )


#: Paths and positions repeat from file to file (every proposal has ("changes", 0, "kind")),
#: so the reader keeps one copy of each: less memory, and smaller pickles for the cache.
_SHARED: dict[Any, Any] = {}
_SHARED_LIMIT = 500_000
_share = _SHARED.setdefault


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    position = (mark.line + 1, mark.column + 1)
    return _share(position, position)  # type: ignore[no-any-return]


def _node_placer(
    stack: list[list[Any]], located: _Located | None
) -> tuple[Callable[[Any, Any], Path | None], list[Any]]:
    """`place(value, event)`, which puts a finished node into the open collection on top of
    `stack` (or makes it the document's root), and the one-item list that holds the root."""
    track = located is not None
    positions, key_positions, _ = located or ({}, {}, {})
    root: list[Any] = [None]

    def place(value: Any, event: Any) -> Path | None:
        """Put a finished node into its parent; returns its path (None for a key)."""
        if not stack:
            root[0] = value
            if track:
                positions[()] = _mark(event)
            return ()
        parent = stack[-1]
        container, path = parent[0], parent[1]
        if isinstance(container, list):
            if not track:
                container.append(value)
                return ()  # any path but None: positions are not kept
            child: Path = (*path, len(container))
            child = _share(child, child)
            container.append(value)
            positions[child] = _mark(event)
            return child
        if parent[2] is None:  # this node is a key
            if not isinstance(value, str):
                _refuse_key_not_text(event)
            if value in parent[3]:
                _refuse_duplicate_key(event, value)
            parent[3].add(value)
            parent[2] = value
            if track:
                key_path = (*path, value)
                key_positions[_share(key_path, key_path)] = _mark(event)
            return None
        key = parent[2]
        parent[2] = None
        if not track:
            container[key] = value
            return ()
        child = (*path, key)
        child = _share(child, child)
        container[key] = value
        positions[child] = _mark(event)
        return child

    return place, root


#: Plain scalars that are not text in YAML 1.2's core schema, or may not be.
_NOT_TEXT = _NULL | _TRUE | _FALSE


def _build_data(text: str) -> Any:
    """`_build` without positions, its node placing written out (every cold check reads
    every file with it): the same data and refusals (a test holds them equal on any text)."""
    import yaml
    from yaml._yaml import CParser

    scalar_event, stream_end = yaml.ScalarEvent, yaml.StreamEndEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    # Each open collection: [container, pending key (mappings only; None: a key is next)]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    next_event: Callable[[], Any] = CParser(text).get_event
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            value: Any = event.value
            if len(value) > MAX_TEXT:
                _refuse_too_long(event)
            if event.style == '"':
                decoded = _FORBIDDEN_CHARS.search(value)
                if decoded:
                    raise _Refusal(_forbidden_char(decoded.group(), *_mark(event), escaped=True))
            plain = event.implicit[0]
            if stack:
                top = stack[-1]
                container = top[0]
                is_map = type(container) is dict
                if is_map and top[1] is None:  # a key: every earlier one is in the mapping
                    if plain and value == "<<":
                        _refuse_merge_key(event)
                    if value in container:
                        _refuse_duplicate_key(event, value)
                    top[1] = value
                    continue
                if plain and (value in _NOT_TEXT or not value[0].isalpha()):
                    value = resolve_plain(value)
                if is_map:
                    container[top[1]] = value
                    top[1] = None
                else:
                    container.append(value)
                continue
            root = resolve_plain(value) if plain else value
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            new: Any = {} if kind is mapping_start else []
            if stack:
                top = stack[-1]
                container = top[0]
                is_map = type(container) is dict
                if is_map and top[1] is None:
                    _refuse_complex_key(event)
                if len(stack) >= MAX_DEPTH:
                    _refuse_too_deep(event)
                if is_map:
                    container[top[1]] = new
                    top[1] = None
                else:
                    container.append(new)
            else:
                root = new
            stack.append([new, None])
        elif kind is mapping_end or kind is sequence_end:
            stack.pop()
        elif kind is stream_end:
            return root
        elif kind is yaml.AliasEvent:
            _refuse_alias(event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                _refuse_second_document(event)
            if event.version is not None or event.tags:
                _refuse_directives(event)


def _build(text: str, *, track: bool = False) -> tuple[Any, _Located | None]:
    """The data of a YAML text, refusing what DESIGN.md lists; with `track`, also every
    node's position (the refusals are the same either way)."""
    import yaml  # PyYAML with libyaml: imported only when a file is read
    from yaml._yaml import CParser

    located = _Located({}, {}, {}) if track else None
    raw = located.raw if located is not None else {}
    # Each open collection: [container, path, pending key (mappings), set of seen keys]
    stack: list[list[Any]] = []
    place, root = _node_placer(stack, located)
    documents = 0

    # libyaml's parser itself, without a loader around it: one C call per event.
    next_event: Callable[[], Any] = CParser(text).get_event
    while True:
        event = next_event()
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            break
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
            value: Any = event.value
            if len(value) > MAX_TEXT:
                _refuse_too_long(event)
            # Escapes decode only in double quotes; every other style was scanned raw.
            if event.style == '"':
                decoded = _FORBIDDEN_CHARS.search(value)
                if decoded:
                    raise _Refusal(_forbidden_char(decoded.group(), *_mark(event), escaped=True))
            plain = event.implicit[0]
            if is_key:
                if plain and value == "<<":
                    _refuse_merge_key(event)
                place(value, event)
                continue
            resolved = resolve_plain(value) if plain else value
            child = place(resolved, event)
            if track and plain and not isinstance(resolved, str) and child is not None:
                raw[child] = value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_anchor_or_tag(event)
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                _refuse_complex_key(event)
            if len(stack) >= MAX_DEPTH:
                _refuse_too_deep(event)
            container: Any = {} if kind is yaml.MappingStartEvent else []
            path = place(container, event)
            assert path is not None
            stack.append([container, path, None, set()])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
        elif kind is yaml.AliasEvent:
            _refuse_alias(event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                _refuse_second_document(event)
            if event.version is not None or event.tags:
                _refuse_directives(event)
    return root[0], located


# --- refusals found while building: called only when a file is refused -------------------


def _refuse(code: str, message: str, event: Any, *, da: str) -> NoReturn:
    line, col = _mark(event)
    raise _Refusal(YamlProblem(code, message, line, col, message_da=da))


def _refuse_anchor_or_tag(event: Any) -> NoReturn:
    """Y105 for an anchor (checked first), else Y106 for a tag."""
    if event.anchor is not None:
        _refuse("Y105", _ANCHOR, event, da=_ANCHOR_DA)
    _refuse("Y106", _tag_message(event.tag), event, da=_tag_message_da(event.tag))


def _refuse_alias(event: Any) -> NoReturn:
    _refuse(
        "Y105",
        "aliases (*name) are not allowed; write the value out (quote text that starts with '*')",
        event,
        da="aliasser (*navn) er ikke tilladt; skriv værdien helt ud (sæt anførselstegn "
        "om tekst, der begynder med '*')",
    )


def _refuse_too_long(event: Any) -> NoReturn:
    length = len(event.value)
    _refuse(
        "Y113",
        f"text is {length} characters long; at most {MAX_TEXT}",
        event,
        da=f"teksten er {length} tegn lang; højst {MAX_TEXT}",
    )


def _refuse_merge_key(event: Any) -> NoReturn:
    _refuse(
        "Y107",
        "merge keys (<<) are not allowed; write the fields out",
        event,
        da="flettefelter (<<) er ikke tilladt; skriv felterne ud",
    )


def _refuse_key_not_text(event: Any) -> NoReturn:
    _refuse("Y108", "mapping keys must be plain text", event, da=_PLAIN_KEYS_DA)


def _refuse_complex_key(event: Any) -> NoReturn:
    _refuse(
        "Y108",
        "complex mapping keys (? [ … ]) are not allowed; use plain text keys",
        event,
        da="sammensatte feltnavne (? [ … ]) er ikke tilladt; brug almindelig tekst som feltnavn",
    )


def _refuse_duplicate_key(event: Any, key: str) -> NoReturn:
    _refuse(
        "Y109",
        f"key '{key}' appears twice in this mapping; keep one",
        event,
        da=f"feltet '{key}' står to gange på samme niveau; behold den ene",
    )


def _refuse_too_deep(event: Any) -> NoReturn:
    line, col = _mark(event)
    raise _Refusal(_too_deep(line, col))


def _refuse_second_document(event: Any) -> NoReturn:
    _refuse(
        "Y111",
        "a file holds one YAML document; remove the second '---'",
        event,
        da="en fil rummer ét YAML-dokument; fjern den anden '---'",
    )


def _refuse_directives(event: Any) -> NoReturn:
    _refuse(
        "Y104",
        "directives (%YAML, %TAG) are not allowed; delete the line (valreg always reads YAML 1.2)",
        event,
        da="direktiver (%YAML, %TAG) er ikke tilladt; slet linjen (valreg læser altid YAML 1.2)",
    )


_ANCHOR = "anchors (&name) are not allowed; write the value out (quote text that starts with '&')"
_ANCHOR_DA = (
    "ankre (&navn) er ikke tilladt; skriv værdien helt ud (sæt anførselstegn om tekst, der "
    "begynder med '&')"
)
_PLAIN_KEYS_DA = "feltnavne skal være almindelig tekst"
_SYNTAX_HINT = (
    "check the indentation, and put text that contains ': ' or ' #', or starts with "
    "'*', '&', '!', '%', '@', '`', '[' or '{', in quotes"
)
_SYNTAX_HINT_DA = (
    "tjek indrykningen, og sæt anførselstegn om tekst, der indeholder ': ' eller ' #' "
    "eller begynder med '*', '&', '!', '%', '@', '`', '[' eller '{'"
)


#: How libyaml (0.2.6 and newer) words hitting its own nesting limit.
_LIBYAML_DEPTH = "exceeded maximum nesting depth"


def _too_deep(line: int, col: int) -> YamlProblem:
    return YamlProblem(
        "Y112",
        f"nesting is deeper than {MAX_DEPTH} levels",
        line,
        col,
        message_da=f"indlejringen er dybere end {MAX_DEPTH} niveauer",
    )


def _shown_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _tag_message(tag: str) -> str:
    shown = _shown_tag(tag)
    return f"tags ({shown}) are not allowed; remove the tag (quote the text if it needs it)"


def _tag_message_da(tag: str) -> str:
    shown = _shown_tag(tag)
    return (
        f"mærkater ({shown}) er ikke tilladt; fjern mærkatet (sæt anførselstegn om teksten, "
        "hvis den har brug for det)"
    )


def load_yaml(data: bytes, *, limit: int = MAX_AUTHORED_BYTES) -> Document | YamlProblem:
    """Read untrusted YAML bytes into plain data with positions, or say why not.

    Never raises for any input: every refusal comes back as one `YamlProblem`.
    """
    if len(data) > limit:
        return YamlProblem(
            "Y103",
            f"file is {len(data):,} bytes; at most {limit:,} bytes are allowed",
            1,
            1,
            message_da=f"filen fylder {danish_number(len(data))} bytes; højst "
            f"{danish_number(limit)} bytes er tilladt",
        )
    if len(_SHARED) > _SHARED_LIMIT:
        _SHARED.clear()
    text = ""
    try:
        text = _decode(data)
        _scan(text)
        return Document(_build_data(text), text)
    except _Refusal as refusal:
        return refusal.problem
    except Exception as exc:  # libyaml's errors, and anything else it may leak
        return _syntax_problem(text, exc)


def _syntax_problem(text: str, exc: Exception) -> YamlProblem:
    """Y101 (or Y110, Y116, Y118) for libyaml's error: the mistake, on the line to change."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
    if _LIBYAML_DEPTH in str(problem):
        # libyaml 0.2.6 and newer (PyYAML 6.0.4 on) stop at 1,000 levels on their own,
        # and their scanner reads ahead far enough to get there before the reader sees
        # the 33rd level: the same refusal as the reader's, where libyaml stopped.
        return _too_deep(line, col)
    try:
        found = explain_syntax_error(text, exc)
    except Exception:  # an explanation must never cost the diagnostic
        context = getattr(exc, "context", None)
        message = f"{context}, {problem}" if context else str(problem)
        return YamlProblem(
            "Y101",
            f"YAML syntax error: {message}; {_SYNTAX_HINT}",
            line,
            col,
            message_da=f"YAML-syntaksfejl: valreg kan ikke læse filen her; {_SYNTAX_HINT_DA}",
        )
    return YamlProblem(
        found.code, found.message, found.line, found.col, message_da=found.message_da
    )


# --- writing -------------------------------------------------------------------------

# Strings that a YAML 1.1 reader (PyYAML, many editors and CI tools) would not read as
# strings when unquoted: booleans, octal/sexagesimal/underscored numbers, timestamps.
_YAML11_SPECIAL = re.compile(
    r"""(?x)
    y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |~|null|Null|NULL|<<|=
    |[-+]?(0b[0-1_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)
    |[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*
    |[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?
    """
)


def round_trip_yaml(*, mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """A ruamel.yaml instance for files valreg writes or edits, one configuration for all."""
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # never write anchors: the reader refuses them

    yaml = YAML(typ="rt")
    yaml.Representer = Representer
    yaml.version = None  # write no %YAML directive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long text onto several lines
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.allow_unicode = True
    return yaml


def safe_scalar(value: Any) -> Any:
    """Quote a string that a YAML 1.1 reader would take for a boolean, number or date.

    Applied to the values valreg writes, never to untouched ones, so an edit changes only
    the lines it means to change.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str) and _YAML11_SPECIAL.fullmatch(value):
        return DoubleQuotedScalarString(value)
    return value


def _quote_ambiguous(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _quote_ambiguous(item) for key, item in data.items()}
    if isinstance(data, list):
        return [_quote_ambiguous(item) for item in data]
    return safe_scalar(data)


def dump_yaml(data: Any, *, sequence: int = 4, offset: int = 2) -> str:
    """Plain data as a new YAML file that the safe reader accepts and YAML 1.1 reads alike."""
    out = io.StringIO()
    round_trip_yaml(sequence=sequence, offset=offset).dump(_quote_ambiguous(data), out)
    return out.getvalue()


@dataclass(slots=True)
class EditableYaml:
    """A file opened for a round-trip edit: comments, order, quoting and line ends kept."""

    data: Any
    yaml: YAML
    newline: str
    bom: bool

    def dump(self) -> bytes:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        text = out.getvalue()
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")


def edit_yaml(data: bytes) -> EditableYaml:
    """Open a file that valreg has already read safely, for editing.

    The indentation of sequences is taken from the file itself, so that dumping it again
    reproduces its untouched lines byte for byte.
    """
    from ruamel.yaml.util import load_yaml_guess_indent

    text = data.decode("utf-8")
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    if block_seq_indent is not None and indent is not None:
        yaml = round_trip_yaml(sequence=indent, offset=block_seq_indent)
    elif indent is not None:
        yaml = round_trip_yaml(mapping=indent)
    else:
        yaml = round_trip_yaml()
    return EditableYaml(yaml.load(text), yaml, newline, bom)


def set_field(mapping: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set a key of a round-trip mapping; a new key goes where `order` puts it."""
    if key in mapping:
        mapping[key] = value
        return
    earlier = order[: order.index(key)] if key in order else order
    mapping.insert(sum(k in mapping for k in earlier), key, value)


def document_strings(
    data: Any, *, skip_keys: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text (not the keys) in loaded YAML data with its path, in document order;
    values under a key in `skip_keys` are left out (e.g. a link is not free text)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            items = [(item, (*path, key)) for key, item in node.items() if key not in skip_keys]
            stack.extend(reversed(items))
        elif isinstance(node, list):
            stack.extend(reversed([(item, (*path, i)) for i, item in enumerate(node)]))
