"""Diagnostics as data, the table of rule codes, and the text/json/github/sarif renderers.

Every diagnostic carries its message in English and in Danish (municipal staff read
them); the renderers take `lang` ("en", the default, or "da") and pick one.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from valreg import __version__
from valreg.danish import danish_number

Lang = Literal["en", "da"]
#: The languages diagnostics can be shown in (`--lang`).
LANGUAGES: tuple[Lang, ...] = ("en", "da")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding: where (registry-relative POSIX path, 1-based line and column) and what,
    in English (`message`) and in Danish (`message_da`)."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    message_da: str

    def text(self, lang: Lang = "en") -> str:
        """The message in `lang`."""
        return self.message_da if lang == "da" else self.message

    def as_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """The JSON shape of a diagnostic; `message` is in `lang`, the keys never change."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.text(lang),
        }


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    summary_da: str


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {code: Rule(code, Severity(sev), en, da) for code, sev, en, da in rows}


#: Every rule valreg checks. Codes are stable: never reuse or renumber one.
RULES: dict[str, Rule] = _rules(
    # Y: the safe YAML reader
    ("Y101", "error", "YAML syntax error", "YAML-syntaksfejl"),
    ("Y102", "error", "file is not UTF-8", "filen er ikke gemt som UTF-8"),
    ("Y103", "error", "file is too large", "filen er for stor"),
    ("Y104", "error", "YAML directive (%YAML, %TAG)", "YAML-direktiv (%YAML, %TAG)"),
    ("Y105", "error", "anchor or alias", "anker eller alias (&navn, *navn)"),
    ("Y106", "error", "tag (!!python/…, !foo …)", "mærkat (tag) som !!python/… eller !foo …"),
    ("Y107", "error", "merge key (<<)", "flettefelt (<<)"),
    ("Y108", "error", "complex mapping key", "sammensat feltnavn"),
    ("Y109", "error", "duplicate key", "samme felt to gange"),
    ("Y110", "error", "tab used for indentation", "tabulator brugt til indrykning"),
    ("Y111", "error", "more than one YAML document", "mere end ét YAML-dokument i filen"),
    ("Y112", "error", "nesting deeper than 32 levels", "indlejring dybere end 32 niveauer"),
    ("Y113", "error", "text longer than 2,000 characters", "tekst længere end 2.000 tegn"),
    ("Y114", "error", "control character", "kontroltegn"),
    ("Y115", "error", "bidirectional control character", "tegn, der styrer skriveretningen"),
    (
        "Y116",
        "error",
        "typographic quotes (“ ”) where YAML needs straight quotes",
        "typografiske anførselstegn (“ ”), hvor YAML skal have lige anførselstegn",
    ),
    (
        "Y117",
        "warning",
        "text wrapped in typographic quotes, which stay part of it",
        "tekst i typografiske anførselstegn, som bliver en del af teksten",
    ),
    (
        "Y118",
        "error",
        "non-breaking or invisible space where YAML needs an ordinary space",
        "hårdt eller usynligt mellemrum, hvor YAML skal have et almindeligt mellemrum",
    ),
    # S: one file against its schema
    ("S201", "error", "required field missing", "påkrævet felt mangler"),
    ("S202", "error", "unknown field", "ukendt felt"),
    ("S203", "error", "wrong type or invalid value", "forkert type eller ugyldig værdi"),
    (
        "S204",
        "error",
        "a number or boolean where text is expected: quote it",
        "et tal eller en sandhedsværdi, hvor der skal stå tekst: sæt anførselstegn om",
    ),
    ("S205", "error", "empty or blank text", "tom tekst"),
    (
        "S206",
        "error",
        "id, version, code or login in the wrong form",
        "id, version, kode eller login i forkert form",
    ),
    ("S207", "error", "not an ISO date (YYYY-MM-DD)", "ikke en dato på formen ÅÅÅÅ-MM-DD"),
    (
        "S208",
        "error",
        "file is empty or has the wrong top-level shape",
        "filen er tom eller forkert opbygget øverst",
    ),
    ("S209", "error", "field not allowed in this context", "feltet er ikke tilladt her"),
    (
        "S210",
        "error",
        "typographic quotes in an id, code, date, version or field name",
        "typografiske anførselstegn i et id, en kode, en dato, en version eller et feltnavn",
    ),
    (
        "S211",
        "error",
        "non-breaking or invisible space in an id, code, date, version or field name",
        "hårdt eller usynligt mellemrum i et id, en kode, en dato, en version eller et feltnavn",
    ),
    (
        "S212",
        "error",
        "a '-' before a field that belongs to the item above",
        "en '-' foran et felt, der hører til punktet ovenfor",
    ),
    # F: files and layout
    ("F301", "error", "unexpected file in a registry folder", "uventet fil i en registermappe"),
    ("F302", "error", "required registry file missing", "påkrævet registerfil mangler"),
    (
        "F303",
        "error",
        "symbolic link, special or unreadable file in the registry",
        "symbolsk link, speciel fil eller fil, der ikke kan læses",
    ),
    (
        "F304",
        "error",
        "an interrupted apply has not been finished or rolled back",
        "en afbrudt apply er hverken gjort færdig eller rullet tilbage",
    ),
    # V: values
    (
        "V401",
        "error",
        "value id differs from its file name",
        "værdiens id passer ikke med filnavnet",
    ),
    ("V402", "error", "two active values share a number", "to aktive værdier har samme nummer"),
    (
        "V403",
        "error",
        "active values are not numbered 1..N",
        "de aktive værdier er ikke nummereret 1..N",
    ),
    (
        "V404",
        "error",
        "merged_into names an unknown value",
        "merged_into henviser til en ukendt værdi",
    ),
    (
        "V405",
        "error",
        "merged_into or retired_in on an active value",
        "merged_into eller retired_in på en aktiv værdi",
    ),
    # P: proposals
    (
        "P501",
        "error",
        "proposal file name is not <code>-<slug>.yaml",
        "forslagets filnavn er ikke <kode>-<navn>.yaml",
    ),
    (
        "P502",
        "error",
        "proposal's round differs from its folder",
        "forslagets runde passer ikke med mappen",
    ),
    ("P503", "error", "proposal's round does not exist", "forslagets runde findes ikke"),
    ("P504", "error", "unknown municipality code", "ukendt kommunekode"),
    (
        "P505",
        "error",
        "municipality differs from the file name's code",
        "kommunen passer ikke med koden i filnavnet",
    ),
    (
        "P506",
        "error",
        "change names a value that does not exist",
        "ændringen henviser til en værdi, der ikke findes",
    ),
    (
        "P507",
        "error",
        "change id used twice in one proposal",
        "samme ændrings-id brugt to gange i ét forslag",
    ),
    (
        "P508",
        "warning",
        "proposal submitted after the round's deadline (late)",
        "forslaget er indsendt efter rundens frist (for sent)",
    ),
    ("P509", "error", "e-mail address in a proposal", "e-mailadresse i et forslag"),
    ("P510", "error", "phone number in a proposal", "telefonnummer i et forslag"),
    (
        "P511",
        "error",
        "answer to a question the round does not ask",
        "svar på et spørgsmål, som runden ikke stiller",
    ),
    ("P512", "error", "base version is not a release", "basisudgaven findes ikke"),
    (
        "P513",
        "error",
        "two answers to one question in one proposal",
        "to svar på samme spørgsmål i ét forslag",
    ),
    (
        "P514",
        "warning",
        "proposal dated before its round opened",
        "forslaget er dateret, før runden åbnede",
    ),
    (
        "P515",
        "error",
        "change names a value that was retired before the proposal's base",
        "ændringen henviser til en værdi, der var udgået før forslagets basisudgave",
    ),
    (
        "P516",
        "warning",
        "submitted_by or approved_by looks like a person's name, not an office or committee",
        "submitted_by eller approved_by ligner et personnavn, ikke en forvaltning eller et udvalg",
    ),
    # D: decisions
    (
        "D601",
        "error",
        "decision names a change that does not exist",
        "afgørelsen henviser til en ændring, der ikke findes",
    ),
    (
        "D602",
        "error",
        "decided change was edited after the decision (stale)",
        "en afgjort ændring er rettet efter afgørelsen (forældet)",
    ),
    (
        "D603",
        "error",
        "decision does not fit the change's kind",
        "afgørelsen passer ikke til ændringens art",
    ),
    (
        "D604",
        "error",
        "editor is not listed in registry.yaml",
        "redaktøren står ikke i registry.yaml",
    ),
    ("D605", "error", "change decided twice", "ændringen er afgjort to gange"),
    ("D606", "error", "decision in another round's file", "afgørelsen står i en anden rundes fil"),
    (
        "D607",
        "error",
        "value id on a decision that adds no value",
        "værdi-id på en afgørelse, der ikke tilføjer en værdi",
    ),
    (
        "D608",
        "error",
        "new value's id is already a value's id",
        "den nye værdis id er allerede en værdis id",
    ),
    (
        "D609",
        "error",
        "new value's id is given by another decision too",
        "den nye værdis id er også givet af en anden afgørelse",
    ),
    (
        "D610",
        "error",
        "combined decisions disagree (not each 'modify' with the same text, naming the others)",
        "samlede afgørelser passer ikke sammen (ikke alle 'modify' med samme tekst, der "
        "henviser til hinanden)",
    ),
    # R: registry, rounds, releases, municipalities
    ("R701", "error", "round id differs from its folder", "rundens id passer ikke med mappen"),
    ("R702", "error", "round's base is not a release", "rundens basis er ikke en udgave"),
    ("R703", "error", "round opens after its deadline", "runden åbner efter sin frist"),
    ("R704", "error", "question id used twice", "samme spørgsmåls-id brugt to gange"),
    (
        "R705",
        "error",
        "release file name differs from its version",
        "udgavens filnavn passer ikke med udgavens nummer",
    ),
    (
        "R706",
        "error",
        "release names a value that does not exist",
        "udgaven henviser til en værdi, der ikke findes",
    ),
    (
        "R707",
        "error",
        "release lists a value twice or is not numbered 1..N",
        "udgaven har en værdi to gange eller er ikke nummereret 1..N",
    ),
    (
        "R708",
        "error",
        "release's previous version is not a release",
        "udgavens forrige version er ikke en udgave",
    ),
    (
        "R709",
        "error",
        "release includes a round that does not exist",
        "udgaven omfatter en runde, der ikke findes",
    ),
    (
        "R710",
        "error",
        "adoption record missing on an adopted release, or present on a draft",
        "vedtagelse mangler på en vedtaget udgave eller står på et udkast",
    ),
    (
        "R711",
        "error",
        "municipality code or name used twice",
        "kommunekode eller kommunenavn brugt to gange",
    ),
    (
        "R712",
        "error",
        "release's previous version is not the release before it",
        "udgavens forrige version er ikke udgaven lige før",
    ),
    (
        "R713",
        "error",
        "adoption file's version differs from its file name",
        "vedtagelsesfilens version passer ikke med filnavnet",
    ),
    (
        "R714",
        "error",
        "adoption file for a release that does not exist",
        "vedtagelsesfil for en udgave, der ikke findes",
    ),
    (
        "R715",
        "error",
        "adoption file for a release whose manifest is already adopted",
        "vedtagelsesfil for en udgave, der allerede er vedtaget i sit manifest",
    ),
    (
        "R716",
        "error",
        "release adopted before it was released",
        "udgaven er vedtaget, før den blev udgivet",
    ),
    (
        "R720",
        "warning",
        "the editors' contact looks like a person, not an office",
        "redaktionens kontakt ligner en person, ikke et kontor",
    ),
)


def rules_markdown() -> str:
    """The rule table for docs/rules.md (a test keeps the file current)."""
    lines = [
        "# Rule codes",
        "",
        "Every diagnostic of `valreg check` carries one of these codes. They are stable:",
        "a code is never renumbered or reused. Generated from `valreg/diagnostics.py`;",
        "do not edit.",
        "",
        "| code | severity | rule | regel (dansk) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.code} | {r.severity} | {r.summary} | {r.summary_da} |" for r in RULES.values()]
    return "\n".join(lines) + "\n"


def make(path: str, line: int, col: int, code: str, message: str, *, da: str) -> Diagnostic:
    """A diagnostic with its rule's severity, its message in English and Danish (`da`)."""
    return Diagnostic(path, line, col, code, RULES[code].severity, message, da)


# --- summary and renderers ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `check` found: the sorted diagnostics and how many files were read."""

    diagnostics: tuple[Diagnostic, ...]
    files: int

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def failed(self, *, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def close_match(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate close enough to `word` to be what was meant, or None.

    For "did you mean …?": a misspelled id, code, round or field name. Case and the
    Danish letters are compared as written; `difflib`'s ratio must reach 0.75, or the
    word must differ only in case.
    """
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.75)
    return found[0] if found else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count_da(n: int, one: str, many: str) -> str:
    return f"{danish_number(n)} {one if n == 1 else many}"


def summary_line(result: CheckResult, lang: Lang = "en") -> str:
    if lang == "da":
        files = _count_da(result.files, "fil", "filer")
        if not result.diagnostics:
            return f"{files} kontrolleret: ingen problemer"
        return (
            f"{files} kontrolleret: {_count_da(result.errors, 'fejl', 'fejl')} og "
            f"{_count_da(result.warnings, 'advarsel', 'advarsler')}"
        )
    files = _plural(result.files, "file")
    if not result.diagnostics:
        return f"{files} checked, no problems"
    return (
        f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
        f" in {files} checked"
    )


_SEVERITY_DA = {Severity.ERROR: "fejl", Severity.WARNING: "advarsel"}


def text_line(d: Diagnostic, lang: Lang = "en") -> str:
    """`path:line:col: severity CODE message`, the severity word in `lang` too; on one
    line whatever the file's name holds (a newline or a bidi control is shown escaped)."""
    severity = _SEVERITY_DA[d.severity] if lang == "da" else d.severity.value
    return _printable(f"{d.path}:{d.line}:{d.col}: {severity} {d.code} {d.text(lang)}")


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render_text(result: CheckResult, lang: Lang = "en") -> str:
    lines = [text_line(d, lang) for d in result.diagnostics]
    lines.append(summary_line(result, lang))
    return "\n".join(lines) + "\n"


def render_json(result: CheckResult, lang: Lang = "en") -> str:
    """The stable JSON shape (`version` 1); each `message` is in `lang`, nothing else differs."""
    payload = {
        "version": 1,
        "tool": {"name": "valreg", "version": __version__},
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
        "diagnostics": [d.as_dict(lang) for d in result.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult, lang: Lang = "en") -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic, its text in `lang`."""
    lines = [
        f"::{d.severity} file={escape_property(d.path)},line={d.line},col={d.col},"
        f"title={escape_property(d.code)}::{escape_data(d.text(lang))}"
        for d in result.diagnostics
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(result: CheckResult, lang: Lang = "en") -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it; rule and result texts in `lang`."""
    used = sorted({d.code for d in result.diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {
                "text": RULES[code].summary_da if lang == "da" else RULES[code].summary
            },
            "defaultConfiguration": {"level": RULES[code].severity.value},
        }
        for code in used
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": d.text(lang)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line, "startColumn": d.col},
                    }
                }
            ],
        }
        for d in result.diagnostics
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "valreg",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[CheckResult, Lang], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(diagnostics)))
