"""Every diagnostic and every rule can be read in Danish (`--lang da`), with the same codes."""

from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, VALID_REGISTRY, git, run_valreg
from factories import BROKEN_PROPOSAL, CASES, install_case
from valreg.registry.check import check_registry
from valreg.registry.diagnostics import RENDERERS, RULES, CheckResult, Diagnostic, text_line
from valreg.registry.yamlio import MAX_AUTHORED_BYTES, YamlProblem, load_yaml
from valreg.transaction import JOURNAL

PACKAGE = REPO / "tooling" / "valreg"

#: Every way a diagnostic or refusal is made, and the keyword that carries its Danish text.
#: `make` may also get it as its sixth positional argument.
DANISH_KEYWORD = {"make": "da", "_at": "da", "refuse": "da", "YamlProblem": "message_da"}

BROKEN_PATH = "proposals/2019-9/147-frederiksberg.yaml"


def calls_without_danish(source: str, filename: str = "<test>") -> list[str]:
    """Calls that make a diagnostic or refusal without its Danish text, as `file:line name`."""
    missing = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        keywords = {k.arg for k in node.keywords}
        if name == "PathVerdict" and "refused" in keywords:
            wanted = "refused_da"
        elif name in DANISH_KEYWORD:
            wanted = DANISH_KEYWORD[name]
        else:
            continue
        positional = name == "make" and len(node.args) >= 6
        if wanted not in keywords and not positional:
            missing.append(f"{filename}:{node.lineno} {name}")
    return missing


def test_the_source_check_finds_a_missing_danish_text() -> None:
    source = (
        'make(p, 1, 1, "S201", "x")\n'
        'make(p, 1, 1, "S201", "x", da="y")\n'
        'make(p, 1, 1, "S201", "x", "y")\n'
        'diagnostics.make(p, 1, 1, "S201", "x")\n'
        'YamlProblem("Y110", "x", 1, 1)\n'
        '_at(parsed, "P506", "x", "changes", 0)\n'
        'refuse("no")\n'
        'PathVerdict(path, status, refused="no")\n'
        "PathVerdict(path, status)\n"
    )
    assert calls_without_danish(source) == [
        "<test>:1 make",
        "<test>:4 make",
        "<test>:5 YamlProblem",
        "<test>:6 _at",
        "<test>:7 refuse",
        "<test>:8 PathVerdict",
    ]


def test_every_diagnostic_in_the_code_has_its_danish_text() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 20
    missing = [
        finding
        for module in modules
        for finding in calls_without_danish(
            module.read_text(encoding="utf-8"), str(module.relative_to(REPO))
        )
    ]
    assert missing == []


def test_every_rule_has_a_danish_summary() -> None:
    for rule in RULES.values():
        assert rule.summary_da.strip(), rule.code
        assert rule.summary_da != rule.summary, rule.code
    table = (REPO / "docs/rules.md").read_text(encoding="utf-8")
    assert "| P509 | error | e-mail address in a proposal | e-mailadresse i et forslag |" in table


def _assert_danish(result: CheckResult) -> None:
    assert result.diagnostics
    for d in result.diagnostics:
        assert d.message_da.strip(), d
        # The texts share their parameters (names, values, paths) and nothing else.
        assert d.message_da != d.message, d
    text = RENDERERS["text"](result, "da").splitlines()
    assert text[:-1] == [text_line(d, "da") for d in result.diagnostics]
    payload = json.loads(RENDERERS["json"](result, "da"))
    assert [m["message"] for m in payload["diagnostics"]] == [
        d.message_da for d in result.diagnostics
    ]
    assert payload["diagnostics"] == [
        {**d.as_dict(), "message": d.message_da} for d in result.diagnostics
    ]


@pytest.mark.parametrize("expected", CASES, ids=[c.stem for c in CASES])
def test_every_invalid_example_in_danish(expected: Path, tmp_path: Path) -> None:
    root, wanted = install_case(expected, tmp_path)
    result = check_registry(root)
    assert {(d.path, d.code, d.line) for d in result.diagnostics} == wanted
    _assert_danish(result)


def test_refusals_without_an_invalid_example_in_danish(tmp_path: Path) -> None:
    big = load_yaml(b"a: b\n" + b"#" * MAX_AUTHORED_BYTES)
    assert isinstance(big, YamlProblem)
    assert big.code == "Y103"
    assert big.message_da.startswith("filen fylder ")
    root = Path(shutil.copytree(VALID_REGISTRY, tmp_path / "registry"))
    (root / "values/link.yaml").symlink_to(root / "values/danner-og-uddanner.yaml")
    os.mkfifo(root / "values/pipe.yaml")
    git(root, "init", "--quiet")
    journal = root / ".git" / JOURNAL
    journal.parent.mkdir(parents=True)
    journal.write_text("{}", encoding="utf-8")
    result = check_registry(root)
    assert {d.code for d in result.diagnostics} == {"F303", "F304"}
    _assert_danish(result)


def test_danish_is_chosen_per_rendering_not_stored_instead() -> None:
    d = Diagnostic("values/x.yaml", 2, 3, "S202", RULES["S202"].severity, "unknown", "ukendt")
    result = CheckResult((d,), 1)
    assert RENDERERS["text"](result, "en") == (
        "values/x.yaml:2:3: error S202 unknown\n1 error, 0 warnings in 1 file checked\n"
    )
    assert RENDERERS["text"](result, "da") == (
        "values/x.yaml:2:3: fejl S202 ukendt\n1 fil kontrolleret: 1 fejl og 0 advarsler\n"
    )
    assert RENDERERS["text"](CheckResult((), 2), "da") == "2 filer kontrolleret: ingen problemer\n"
    many = RENDERERS["text"](CheckResult((), 1234567), "da")
    assert many == "1.234.567 filer kontrolleret: ingen problemer\n"
    sarif = json.loads(RENDERERS["sarif"](result, "da"))["runs"][0]
    assert sarif["results"][0]["message"]["text"] == "ukendt"
    assert sarif["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == "ukendt felt"


# --- the console script ----------------------------------------------------------------


def test_check_in_danish_in_every_format(registry: Path) -> None:
    (registry / BROKEN_PATH).write_text(BROKEN_PROPOSAL, encoding="utf-8")
    english = run_valreg("check", cwd=registry)
    danish = run_valreg("check", "--lang", "da", cwd=registry)
    assert english.returncode == danish.returncode == 1
    assert english.stdout.startswith(f"{BROKEN_PATH}:7:12: error P506 value 'dannelse' does not")
    assert danish.stdout.startswith(
        f"{BROKEN_PATH}:7:12: fejl P506 værdien 'dannelse' findes ikke; værdier i 2019.1: "
    )
    assert "danner-og-uddanner, " in danish.stdout.splitlines()[0]
    assert danish.stdout.splitlines()[-1].endswith(" kontrolleret: 1 fejl og 0 advarsler")

    result = run_valreg("check", "--format", "json", "--lang", "da", cwd=registry)
    assert result.returncode == 1
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["message"].startswith("værdien 'dannelse' findes ikke; værdier i 2019.1: ")
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == ("P506", 7, 12)
    assert result.stderr.rstrip().endswith(" kontrolleret: 1 fejl og 0 advarsler")

    github = run_valreg("check", "--format", "github", "--lang", "da", cwd=registry)
    assert github.returncode == 1
    assert github.stdout.startswith(
        f"::error file={BROKEN_PATH},line=7,col=12,title=P506::værdien 'dannelse' findes ikke"
    )


def test_check_in_danish_quotes_a_number(registry: Path) -> None:
    (registry / BROKEN_PATH).write_text(
        BROKEN_PROPOSAL.replace('id: "1"', "id: 1").replace("dannelse", "danner-og-uddanner"),
        encoding="utf-8",
    )
    result = run_valreg("check", "--lang", "da", BROKEN_PATH, cwd=registry)
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"{BROKEN_PATH}:5:9: fejl S204 'id' er skrevet som et tal (1), men skal være tekst; "
        'sæt anførselstegn om: id: "1"\n'
    )


@pytest.mark.parametrize("command", [["check"], ["check-pr", "--base", "main", "--actor", "a"]])
def test_an_unknown_language_is_a_usage_error(registry: Path, command: list[str]) -> None:
    result = run_valreg(*command, "--lang", "xx", cwd=registry)
    assert result.returncode == 2
    assert "--lang" in result.stderr
    assert "Traceback" not in result.stderr
