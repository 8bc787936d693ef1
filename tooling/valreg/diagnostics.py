"""Diagnostics as data, the table of rule codes, and the text/json/github/sarif renderers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from valreg import __version__


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding: where (registry-relative POSIX path, 1-based line and column) and what."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    summary: str


def _rules(*rows: tuple[str, str, str]) -> dict[str, Rule]:
    return {code: Rule(code, Severity(sev), summary) for code, sev, summary in rows}


#: Every rule valreg checks. Codes are stable: never reuse or renumber one.
RULES: dict[str, Rule] = _rules(
    # Y: the safe YAML reader
    ("Y101", "error", "YAML syntax error"),
    ("Y102", "error", "file is not UTF-8"),
    ("Y103", "error", "file is too large"),
    ("Y104", "error", "YAML directive (%YAML, %TAG)"),
    ("Y105", "error", "anchor or alias"),
    ("Y106", "error", "tag (!!python/…, !foo …)"),
    ("Y107", "error", "merge key (<<)"),
    ("Y108", "error", "complex mapping key"),
    ("Y109", "error", "duplicate key"),
    ("Y110", "error", "tab used for indentation"),
    ("Y111", "error", "more than one YAML document"),
    ("Y112", "error", "nesting deeper than 32 levels"),
    ("Y113", "error", "text longer than 2,000 characters"),
    ("Y114", "error", "control character"),
    ("Y115", "error", "bidirectional control character"),
    # S: one file against its schema
    ("S201", "error", "required field missing"),
    ("S202", "error", "unknown field"),
    ("S203", "error", "wrong type or invalid value"),
    ("S204", "error", "a number or boolean where text is expected: quote it"),
    ("S205", "error", "empty or blank text"),
    ("S206", "error", "id, version, code or login in the wrong form"),
    ("S207", "error", "not an ISO date (YYYY-MM-DD)"),
    ("S208", "error", "file is empty or has the wrong top-level shape"),
    ("S209", "error", "field not allowed in this context"),
    # F: files and layout
    ("F301", "error", "unexpected file in a registry folder"),
    ("F302", "error", "required registry file missing"),
    ("F303", "error", "symbolic link, special or unreadable file in the registry"),
    ("F304", "error", "an interrupted apply has not been finished or rolled back"),
    # V: values
    ("V401", "error", "value id differs from its file name"),
    ("V402", "error", "two active values share a number"),
    ("V403", "error", "active values are not numbered 1..N"),
    ("V404", "error", "merged_into names an unknown value"),
    ("V405", "error", "merged_into or retired_in on an active value"),
    # P: proposals
    ("P501", "error", "proposal file name is not <code>-<slug>.yaml"),
    ("P502", "error", "proposal's round differs from its folder"),
    ("P503", "error", "proposal's round does not exist"),
    ("P504", "error", "unknown municipality code"),
    ("P505", "error", "municipality differs from the file name's code"),
    ("P506", "error", "change names a value that does not exist"),
    ("P507", "error", "change id used twice in one proposal"),
    ("P508", "warning", "proposal submitted after the round's deadline (late)"),
    ("P509", "error", "e-mail address in a proposal"),
    ("P510", "error", "phone number in a proposal"),
    ("P511", "error", "answer to a question the round does not ask"),
    ("P512", "error", "base version is not a release"),
    ("P513", "error", "two answers to one question in one proposal"),
    # D: decisions
    ("D601", "error", "decision names a change that does not exist"),
    ("D602", "error", "decided change was edited after the decision (stale)"),
    ("D603", "error", "decision does not fit the change's kind"),
    ("D604", "error", "editor is not listed in registry.yaml"),
    ("D605", "error", "change decided twice"),
    ("D606", "error", "decision in another round's file"),
    # R: registry, rounds, releases, municipalities
    ("R701", "error", "round id differs from its folder"),
    ("R702", "error", "round's base is not a release"),
    ("R703", "error", "round opens after its deadline"),
    ("R704", "error", "question id used twice"),
    ("R705", "error", "release file name differs from its version"),
    ("R706", "error", "release names a value that does not exist"),
    ("R707", "error", "release lists a value twice or is not numbered 1..N"),
    ("R708", "error", "release's previous version is not a release"),
    ("R709", "error", "release includes a round that does not exist"),
    ("R710", "error", "adoption record missing on an adopted release, or present on a draft"),
    ("R711", "error", "municipality code or name used twice"),
    ("R712", "error", "release's previous version is not the release before it"),
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
        "| code | severity | rule |",
        "|---|---|---|",
    ]
    lines += [f"| {r.code} | {r.severity} | {r.summary} |" for r in RULES.values()]
    return "\n".join(lines) + "\n"


def make(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    """A diagnostic with its rule's severity."""
    return Diagnostic(path, line, col, code, RULES[code].severity, message)


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    files = _plural(result.files, "file")
    if not result.diagnostics:
        return f"{files} checked, no problems"
    return (
        f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
        f" in {files} checked"
    )


def render_text(result: CheckResult) -> str:
    lines = [
        f"{d.path}:{d.line}:{d.col}: {d.severity} {d.code} {d.message}" for d in result.diagnostics
    ]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def render_json(result: CheckResult) -> str:
    payload = {
        "version": 1,
        "tool": {"name": "valreg", "version": __version__},
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    lines = [
        f"::{d.severity} file={escape_property(d.path)},line={d.line},col={d.col},"
        f"title={escape_property(d.code)}::{escape_data(d.message)}"
        for d in result.diagnostics
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(result: CheckResult) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it."""
    used = sorted({d.code for d in result.diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": RULES[code].summary},
            "defaultConfiguration": {"level": RULES[code].severity.value},
        }
        for code in used
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": d.message},
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


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(diagnostics)))
