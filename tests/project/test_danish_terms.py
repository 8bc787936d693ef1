"""Danish as a public authority publishes it: the glossary (docs/da-ordliste.md) holds.

Its *Skriv ikke* column lists, per concept, the variants that drifted in; this searches
every Danish template, every Danish message in the code, every public Markdown file and
the golden outputs for them, so that drift fails CI with the file, the line and the term
to use instead.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from conftest import REPO
from valreg.danish import danish_date, danish_number, genitive

GLOSSARY = REPO / "docs/da-ordliste.md"
PACKAGE = REPO / "tooling/valreg"
TEMPLATES = PACKAGE / "publishing/templates"
#: Templates written in English, or with English comments (workflows, configuration).
ENGLISH_TEMPLATES = {
    "CONTRIBUTING.en.md.j2",
    "README.en.md.j2",
    "pull_request_template.en.md.j2",
    "check.yml.j2",
    "release.yml.j2",
    "intake.yml.j2",
    "pages.yml.j2",
    "dependabot.yml.j2",
    "pre-commit-config.yaml.j2",
    "proposal.yml.j2",
}
#: Words that mark a string in the code as Danish (two of them, or æ, ø or å).
DANISH_WORDS = frozenset(
    {
        "og",
        "ikke",
        "der",
        "til",
        "af",
        "på",
        "med",
        "som",
        "er",
        "en",
        "et",
        "har",
        "kan",
        "skal",
        "jeres",
        "eller",
        "for",
        "den",
        "det",
        "de",
        "i",
        "fra",
        "filen",
        "værdien",
        "runden",
        "kommunen",
    }
)


@dataclass(frozen=True)
class Rejected:
    concept: str
    write: str
    pattern: re.Pattern[str]
    variant: str


def _rejected() -> list[Rejected]:
    """Every backticked item of the glossary's *Skriv ikke* columns, as a whole-word,
    case-insensitive pattern."""
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[2] in ("Skriv ikke", "---"):
            continue
        for variant in re.findall(r"`([^`]+)`", cells[2]):
            pattern = re.compile(rf"(?<![\w-])(?:{variant})(?![\w-])", re.IGNORECASE)
            found.append(Rejected(cells[0], cells[1], pattern, variant))
    return found


REJECTED = _rejected()

#: What is not prose: template expressions and tags, HTML tags, code spans, URLs, paths.
_NOT_PROSE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\[\[.*?\]\]|\[%.*?%\]|<[^>]*>|`[^`]*`"
    r"|https?://\S+|\S*/\S*|\([^()\s]*\.html[^()]*\)"
)


def _prose(line: str) -> str:
    return _NOT_PROSE.sub(" ", line)


def _looks_danish(text: str) -> bool:
    if re.search(r"[æøåÆØÅ]", text):
        return True
    return len(DANISH_WORDS.intersection(re.findall(r"\w+", text.lower()))) >= 2


def _template_lines() -> Iterator[tuple[str, int, str]]:
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".j2", ".js") or path.name in ENGLISH_TEMPLATES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield str(path.relative_to(REPO)), n, _prose(line)


def _markdown_lines() -> Iterator[tuple[str, int, str]]:
    """The public Markdown (and GitHub forms) of this registry and of the example. (The
    real rounds' letters are KL's own words, from the sources, and stay as KL wrote them.)"""
    paths = [
        REPO / "CONTRIBUTING.md",
        REPO / ".github/pull_request_template.md",
        REPO / ".github/ISSUE_TEMPLATE/forslag.yml",
        *sorted((REPO / "proposals").glob("*/README.md")),
        *sorted((PACKAGE / "publishing/example").rglob("*.md")),
        *sorted((PACKAGE / "publishing/example").rglob("*.yaml")),
    ]
    for path in paths:
        yaml = path.suffix in (".yaml", ".yml")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if yaml and not _looks_danish(line):
                continue  # the example's YAML has English comments for developers
            text = _YAML_KEY.sub(" ", line) if yaml else line  # a field's name is not prose
            yield str(path.relative_to(REPO)), n, _prose(text)


_YAML_KEY = re.compile(r"^\s*(?:-\s+)?[\w.-]+:(?=\s|$)")
#: The recorded command outputs that are Danish (the others are the CLI's English).
DANISH_COMMANDS = (
    "12-propose",
    "23-changelog",
    "25-changelog-html",
    "30-changelog-released",
    "31-report",
    "32-report-html",
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the constants that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))  # attribute docstrings (`#:` is a comment)
    return found


def _code_strings() -> Iterator[tuple[str, int, str]]:
    """The Danish strings of the code: every string constant (f-strings with `{}` for
    what they fill in) that looks Danish, except docstrings."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        inside: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside.update(id(v) for v in node.values)
                text = "".join(
                    str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skip or id(node) in inside:
                    continue
                text = node.value
            else:
                continue
            for line in text.splitlines():
                if _looks_danish(line):
                    yield str(path.relative_to(REPO)), node.lineno, _prose(line)


def _golden_lines() -> Iterator[tuple[str, int, str]]:
    """What the commands print and write, as recorded: every Danish line."""
    for path in sorted((REPO / "tests/data/golden").rglob("*")):
        if not path.is_file() or path.suffix == ".json":
            continue
        if path.parent.name == "commands" and not path.name.startswith(DANISH_COMMANDS):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _looks_danish(line):
                yield str(path.relative_to(REPO)), n, _prose(line)


SOURCES = {
    "templates": _template_lines,
    "markdown": _markdown_lines,
    "code": _code_strings,
    "golden": _golden_lines,
}


def test_the_glossary_lists_rejected_variants_for_every_concept() -> None:
    concepts = {r.concept for r in REJECTED}
    assert len(concepts) >= 20, concepts
    for needed in ("høringssvar", "ændringsforslag", "udgave", "imødekommet", "pr. e-mail"):
        assert any(needed in r.write for r in REJECTED), needed


@pytest.mark.parametrize("source", SOURCES)
def test_no_rejected_variant_in_public_danish(source: str) -> None:
    hits = []
    for path, line, text in SOURCES[source]():
        for rejected in REJECTED:
            match = rejected.pattern.search(text)
            if match:
                hits.append(f"{path}:{line}: «{match[0]}» – write {rejected.write}")
    assert not hits, "\n".join(hits)


def test_the_search_finds_what_it_must() -> None:
    """The checker itself: a rejected word in prose is found; in a path, a URL, code or a
    template expression it is not."""
    found = [r.variant for r in REJECTED if r.pattern.search(_prose("Se udgivelsen, du"))]
    assert found == ["udgivelse\\w*", "du"]
    for text in ("se `f.eks.`", "{{ udgivelse }}", "../udgivelser/2019.2.html", "[[ dit ]]"):
        assert not any(r.pattern.search(_prose(text)) for r in REJECTED), text
    assert _looks_danish("Filen er ikke gyldig") and not _looks_danish("the file is not valid")


def test_templates_write_a_genitive_with_the_helper() -> None:
    """`{{ owner }}s` would write «KLs»; the `genitive` filter writes «KL's»."""
    for path, line, raw in _raw_template_lines():
        assert not re.search(r"(\}\}|\]\])s\b", raw), f"{path}:{line}"


def _raw_template_lines() -> Iterator[tuple[str, int, str]]:
    for path in sorted(TEMPLATES.rglob("*.j2")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield str(path.relative_to(REPO)), n, line


def test_danish_numbers_and_dates_come_from_one_helper() -> None:
    assert danish_number(1234567) == "1.234.567"
    assert danish_number(999) == "999"
    assert danish_number(-1000) == "-1.000"
    assert danish_date(dt.date(2019, 11, 1)) == "1. november 2019"


def test_no_danish_message_groups_thousands_with_commas() -> None:
    """`f"{n:,}"` writes 1,234,567; a Danish message uses `danish_number`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg in ("da", "message_da"):
                for part in ast.walk(node.value):
                    spec = part.format_spec if isinstance(part, ast.FormattedValue) else None
                    if spec is not None and "," in ast.unparse(spec):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_genitive() -> None:
    assert [genitive(n) for n in ("KL", "Odense", "Aarhus", "Furesø", "BUPL")] == [
        "KL's",
        "Odenses",
        "Aarhus'",
        "Furesøs",
        "BUPL's",
    ]
