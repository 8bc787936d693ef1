"""The safe reader: YAML 1.2 scalars, refusals, positions, and no traceback for any input."""

from __future__ import annotations

import math
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valreg.registry.yamlio import (
    MAX_AUTHORED_BYTES,
    MAX_DEPTH,
    MAX_TEXT,
    Document,
    YamlProblem,
    dump_yaml,
    load_yaml,
)


def loaded(text: str | bytes) -> Any:
    result = load_yaml(text.encode("utf-8") if isinstance(text, str) else text)
    assert isinstance(result, Document), result
    return result.data


def refused(data: bytes) -> YamlProblem:
    result = load_yaml(data)
    assert isinstance(result, YamlProblem), result
    return result


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: NO", "NO"),
        ("a: yes", "yes"),
        ("a: on", "on"),
        ("a: 0101", 101),
        ("a: '0101'", "0101"),
        ("a: 0o17", 15),
        ("a: 0x1F", 31),
        ("a: 1_000", "1_000"),
        ("a: 12:30", "12:30"),
        ("a: 2019-04-23", "2019-04-23"),
        ("a: 2019.10", 2019.1),
        ("a: ~", None),
        ("a:", None),
        ("a: True", True),
        ("a: .inf", math.inf),
        ("a: -.INF", -math.inf),
        ("a: =", "="),
        ("a: æøå", "æøå"),
    ],
)
def test_yaml_1_2_core_scalars(source: str, expected: Any) -> None:
    assert loaded(source) == {"a": expected}


def test_nan_resolves_to_float() -> None:
    assert math.isnan(loaded("a: .nan")["a"])


def test_keys_are_never_resolved() -> None:
    assert loaded("1: x\nnull: y\ntrue: z\n") == {"1": "x", "null": "y", "true": "z"}


def test_bom_and_crlf_load() -> None:
    assert loaded(b"\xef\xbb\xbfa: 1\r\nb: two\r\n") == {"a": 1, "b": "two"}


def test_positions_and_raw_source_of_numbers() -> None:
    result = load_yaml(b"a:\n  - x\n  - {b: 2019.10}\n")
    assert isinstance(result, Document)
    assert result.positions[("a", 1, "b")] == (3, 9)
    assert result.key_positions[("a", 1, "b")] == (3, 6)
    assert result.raw[("a", 1, "b")] == "2019.10"
    assert result.position(("a", 1, "missing")) == (3, 5)


def test_too_large() -> None:
    problem = refused(b"a: b\n" + b"#" * MAX_AUTHORED_BYTES)
    assert (problem.code, problem.line) == ("Y103", 1)


def test_depth_limit_is_exact() -> None:
    assert loaded("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert refused(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)).code == "Y112"


def test_text_limit_is_exact() -> None:
    assert loaded("a: " + "x" * MAX_TEXT)["a"] == "x" * MAX_TEXT
    assert refused(b"a: " + b"x" * (MAX_TEXT + 1)).code == "Y113"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,  # libyaml 0.2.6+ (PyYAML 6.0.4+) stops this at depth 1,000 itself
        "{a: " * 2_000,
        "- " * 2_000 + "x",
        "".join(" " * i + "a:\n" for i in range(1_200)),
        "a:\n" + "  " * 40 + "[" * 40,
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-mappings", "mixed"],
)
def test_deep_nesting_that_would_crash_a_recursive_loader(text: str) -> None:
    problem = refused(text.encode())
    assert problem.code == "Y112"
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert problem.message_da == f"indlejringen er dybere end {MAX_DEPTH} niveauer"


def test_nesting_at_the_limit_is_read() -> None:
    document = load_yaml(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode())
    assert not isinstance(document, YamlProblem)


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    problem = refused(bomb.encode())
    assert (problem.code, problem.line) == ("Y105", 1)


# --- properties --------------------------------------------------------------------------

_safe_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"
        + "".join(chr(c) for c in range(0x80, 0xA0))
        + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\t\r",
    ),
    max_size=60,
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    _safe_text,
    st.sampled_from(
        [
            "NO",
            "yes",
            "on",
            "0101",
            "1_000",
            "12:30",
            "2019-04-23",
            "2019.10",
            "~",
            "null",
            "",
            " x",
            "x ",
            "- x",
            "#x",
            "a: b",
            "<<",
            "'",
            '"',
        ]
    ),
)
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_safe_text, children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_documents)
def test_written_data_loads_back_equal(data: Any) -> None:
    """The tool's writer and its reader agree on every document the reader accepts."""
    text = dump_yaml(data)
    result = load_yaml(text.encode("utf-8"))
    assert isinstance(result, Document), (text, result)
    assert result.data == data


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = load_yaml(data)
    assert isinstance(result, Document | YamlProblem)
    if isinstance(result, YamlProblem):
        assert result.line >= 1 and result.col >= 1 and result.code.startswith("Y")


_yamlish = st.lists(
    st.sampled_from(
        [
            "a",
            ":",
            " ",
            "\n",
            "-",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&x",
            "*x",
            "!!str",
            "!t",
            "%YAML 1.1",
            "---",
            "...",
            "? ",
            "<<",
            "'",
            '"',
            "|",
            ">",
            "#",
            "\t",
            "0101",
            "NO",
            "\\",
            "\u202e",
            "æ",
            "\x00",
            "\r\n",
            "  ",
            "    ",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(_yamlish)
def test_random_yamlish_documents_never_raise(text: str) -> None:
    result = load_yaml(text.encode("utf-8"))
    assert isinstance(result, Document | YamlProblem)


@settings(max_examples=200)
@given(st.text(alphabet=string.printable, max_size=200))
def test_any_parse_result_validates_without_traceback(text: str) -> None:
    """Whatever the reader gives, turning it into a proposal never raises."""
    from valreg.registry.parse import parse_file

    parsed = parse_file("proposals/2019-9/461-odense.yaml", text.encode("utf-8"))
    assert (parsed.model is None) == bool(parsed.diagnostics)


@pytest.mark.parametrize("written", ["101", '"101"', '"0101"', "0101", "'101'"])
def test_municipality_codes_all_mean_the_same(written: str) -> None:
    from valreg.registry.parse import parse_file

    source = f"round: 2019-9\nmunicipality: {written}\nsubmitted: 2019-09-20\n"
    parsed = parse_file("proposals/2019-9/101-koebenhavn.yaml", source.encode())
    assert parsed.diagnostics == ()
    assert parsed.model.municipality == "101"


_FORBIDDEN = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)]
_FORBIDDEN += [chr(c) for c in range(0x80, 0xA0)] + list("\u202a\u202b\u202c\u202d\u202e")
_FORBIDDEN += list("\u2066\u2067\u2068\u2069")


@settings(max_examples=200)
@given(
    before=_safe_text,
    char=st.sampled_from(_FORBIDDEN),
    after=_safe_text,
    as_key=st.booleans(),
)
def test_an_escape_cannot_smuggle_a_control_character(
    before: str, char: str, after: str, as_key: bool
) -> None:
    """A double-quoted scalar written with JSON escapes decodes to the forbidden character:
    refused as if it stood raw in the file, at the scalar's own line."""
    import json

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)[1:-1]

    scalar = f'"{quoted(before)}\\u{ord(char):04X}{quoted(after)}"'
    text = f"a: 1\n{scalar}: 2\n" if as_key else f"a: 1\nb: {scalar}\n"
    problem = refused(text.encode())
    assert problem.code == ("Y115" if "\u202a" <= char <= "\u2069" else "Y114")
    assert (problem.line, problem.col) == (2, 1 if as_key else 4)
    assert "escape" in problem.message
