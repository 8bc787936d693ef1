"""The workflows' own commands, as written in the workflow files, run with bash in a fresh
clone of the example registry: a municipality's pull request, checked as GitHub would check
it (a merge of the pull request into its base, `origin/<base>` from the clone), a release
tag, verified and built, an issue's proposal file placed, checked, committed and pushed (to
a local remote), and the site for Pages. The same commands, not a mock of GitHub; what only
GitHub can answer (`valreg intake` on a real event, `gh`) is not run here."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, VALREG, git, run_valreg
from factories import init_example

CHECK_WORKFLOW = REPO / ".github/workflows/check.yml"
RELEASE_WORKFLOW = REPO / ".github/workflows/release.yml"
INTAKE_WORKFLOW = REPO / ".github/workflows/intake.yml"
PAGES_WORKFLOW = REPO / ".github/workflows/pages.yml"
AUTHOR = "odense-boern"
EDITOR = "kl-redaktion"  # the example registry's editor
PROPOSAL = """\
round: eksempel-1
municipality: 461
submitted: 2019-09-16
changes:
  - id: "1"
    kind: comment
    text: Et fiktivt forslag fra en pull request.
"""
#: What GitHub puts in for each expression the steps' `env:` read.
EXPRESSIONS = {
    "${{ github.base_ref }}": "main",
    "${{ github.event.pull_request.user.login }}": AUTHOR,
    "${{ github.ref_name }}": "values/2019.2",
    "${{ steps.verify.outputs.version }}": "2019.2",
    "${{ github.event.issue.user.login }}": AUTHOR,
    "${{ github.event.issue.number }}": "7",
    "${{ github.token }}": "not-a-token",
    "${{ steps.place.outputs.path }}": "proposals/eksempel-1/461-odense-2.yaml",
    "${{ steps.pages.outputs.base_url }}": "https://kl.example.invalid/vaerdier",
}


def steps_of(workflow: Path) -> dict[str, dict[str, Any]]:
    """Every step with an id, over all jobs of the workflow."""
    loaded = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return {
        step["id"]: step for job in loaded["jobs"].values() for step in job["steps"] if "id" in step
    }


def job_steps(workflow: Path, job: str) -> dict[str, dict[str, Any]]:
    """The steps with an id of one job of the workflow."""
    loaded = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return {step["id"]: step for step in loaded["jobs"][job]["steps"] if "id" in step}


def run_step(
    step: dict[str, Any],
    cwd: Path,
    github_env: dict[str, str],
    expressions: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a step's `run:` text as GitHub's default shell does (`bash -e`), with its env
    (`expressions`: what GitHub would put in, where it differs from EXPRESSIONS)."""
    env = {**os.environ, **github_env, "PATH": f"{VALREG.parent}{os.pathsep}{os.environ['PATH']}"}
    known = {**EXPRESSIONS, **(expressions or {})}
    for name, expression in step.get("env", {}).items():
        assert expression in known, f"the test does not know what {expression} is"
        env[name] = known[expression]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example registry with a login for Odense, as the repository on GitHub."""
    root = tmp_path_factory.mktemp("upstream") / "example"
    init_example(root)
    path = root / "registry/municipalities.yaml"
    odense = '- code: "461"\n  name: Odense\n  region: Region Syddanmark\n'
    text = path.read_text(encoding="utf-8")
    assert odense in text
    path.write_text(text.replace(odense, f"{odense}  logins: [{AUTHOR}]\n"), encoding="utf-8")
    git(root, "commit", "--quiet", "--all", "-m", "Login for Odense")
    return root


def pull_request(upstream: Path, tmp_path: Path, files: dict[str, str]) -> Path:
    """A fresh clone checked out as GitHub checks out a pull request: base merged with it."""
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "--quiet", str(upstream), str(fork))
    git(fork, "checkout", "--quiet", "-b", "forslag")
    for path, text in files.items():
        (fork / path).write_text(text, encoding="utf-8")
    git(fork, "add", "--all")
    git(fork, "commit", "--quiet", "-m", "Forslag fra Odense (fiktivt)")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(upstream), str(clone))
    git(clone, "fetch", "--quiet", str(fork), "forslag:refs/remotes/pull/1/head")
    git(clone, "checkout", "--quiet", "--detach", "origin/main")
    git(clone, "merge", "--quiet", "--no-ff", "--no-edit", "refs/remotes/pull/1/head")
    return clone


@pytest.fixture
def summary(tmp_path: Path) -> Path:
    path = tmp_path / "step-summary.md"
    path.write_text("", encoding="utf-8")
    return path


def test_a_municipality_pull_request_passes_check_and_check_pr(
    upstream: Path, tmp_path: Path, summary: Path
) -> None:
    clone = pull_request(upstream, tmp_path, {"proposals/eksempel-1/461-odense-2.yaml": PROPOSAL})
    steps = steps_of(CHECK_WORKFLOW)
    github_env = {"GITHUB_STEP_SUMMARY": str(summary)}

    check = run_step(steps["check"], clone, github_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "::error" not in check.stdout

    check_pr = run_step(steps["check-pr"], clone, github_env)
    assert check_pr.returncode == 0, check_pr.stdout + check_pr.stderr
    # The workflow passes --lang da: municipal staff read these lines.
    assert f"pull request fra {AUTHOR} (kommune 461 Odense)" in check_pr.stdout
    assert "proposals/eksempel-1/461-odense-2.yaml" in check_pr.stdout
    assert check_pr.stdout.endswith("kan flettes ind\n")


def test_check_pr_refuses_what_the_author_may_not_change(
    upstream: Path, tmp_path: Path, summary: Path
) -> None:
    value = (upstream / "values/danner-og-uddanner.yaml").read_text(encoding="utf-8")
    clone = pull_request(
        upstream,
        tmp_path,
        {"values/danner-og-uddanner.yaml": value.replace("danner og", "danner, og")},
    )
    steps = steps_of(CHECK_WORKFLOW)
    check_pr = run_step(steps["check-pr"], clone, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert check_pr.returncode == 1
    assert "afvist   values/danner-og-uddanner.yaml: kun redaktionen må ændre filer" in (
        check_pr.stdout
    )


def test_a_broken_proposal_fails_the_check_with_an_annotation(
    upstream: Path, tmp_path: Path, summary: Path
) -> None:
    broken = PROPOSAL.replace("kind: comment", "kind: amend\n    value: dannelse")
    clone = pull_request(upstream, tmp_path, {"proposals/eksempel-1/461-odense-2.yaml": broken})
    check = run_step(steps_of(CHECK_WORKFLOW)["check"], clone, {})
    assert check.returncode == 1
    assert "::error file=proposals/eksempel-1/461-odense-2.yaml,line=7," in check.stdout
    assert "title=P506::" in check.stdout


def test_the_changelog_of_the_pull_request_goes_to_the_job_summary(
    upstream: Path, tmp_path: Path, summary: Path
) -> None:
    clone = pull_request(upstream, tmp_path, {"proposals/eksempel-1/461-odense-2.yaml": PROPOSAL})
    summary.write_text("earlier step\n", encoding="utf-8")
    changelog = run_step(
        steps_of(CHECK_WORKFLOW)["changelog"], clone, {"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert changelog.returncode == 0, changelog.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n"), "the step must append, not overwrite"
    assert len(written) > len("earlier step\n") and "2019.1" in written


@pytest.fixture(scope="module")
def released(upstream: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of the example with a second release, 2019.2, which includes the decisions
    of round eksempel-1, checked out at its tag."""
    root = tmp_path_factory.mktemp("released") / "example"
    git(upstream.parent, "clone", "--quiet", str(upstream), str(root))
    decided = run_valreg(
        "decide",
        "eksempel-1/101-koebenhavn#1",
        "reject",
        "--reason",
        "Fiktiv afgørelse.",
        "--editor",
        EDITOR,
        cwd=root,
    )
    assert decided.returncode == 0, decided.stderr
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Decide a change of eksempel-1")
    result = run_valreg("release", "2019.2", cwd=root)
    assert result.returncode == 0, result.stderr
    clone = root.parent / "clone"
    git(root.parent, "clone", "--quiet", str(root), str(clone))
    git(clone, "checkout", "--quiet", "--detach", "values/2019.2")
    return clone


def test_the_release_workflow_verifies_the_tag(released: Path, tmp_path: Path) -> None:
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    verify = run_step(
        steps_of(RELEASE_WORKFLOW)["verify"], released, {"GITHUB_OUTPUT": str(output)}
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout == "2019.2: ok (tag values/2019.2)\n"
    assert output.read_text(encoding="utf-8") == "version=2019.2\n"


def test_the_release_workflow_builds_the_release_files(released: Path, tmp_path: Path) -> None:
    build = run_step(steps_of(RELEASE_WORKFLOW)["build"], released, {})
    assert build.returncode == 0, build.stdout + build.stderr
    dist = released / "dist"
    assert sorted(p.name for p in dist.iterdir()) == [
        "aendringer-2019.2.html",
        "aendringer-2019.2.md",
        "hoeringsnotat-eksempel-1.docx",
        "hoeringsnotat-eksempel-1.html",
        "hoeringsnotat-eksempel-1.md",
        "manifest-2019.2.yaml",
        "site-2019.2.tar.gz",
    ]
    manifest = (released / "registry/releases/2019.2.yaml").read_bytes()
    assert yaml.safe_load(manifest)["rounds"] == ["eksempel-1"]
    assert (dist / "manifest-2019.2.yaml").read_bytes() == manifest
    assert "2019.1" in (dist / "aendringer-2019.2.md").read_text(encoding="utf-8")
    assert (dist / "aendringer-2019.2.html").read_text(encoding="utf-8").lstrip().startswith("<")
    # The høringsnotat, in each format, is the one `valreg report` makes at the tag.
    for suffix in ("md", "html", "docx"):
        out = tmp_path / f"report.{suffix}"
        made = run_valreg(
            "report", "eksempel-1", "--format", suffix, "--out", str(out), cwd=released
        )
        assert made.returncode == 0, made.stderr
        assert (dist / f"hoeringsnotat-eksempel-1.{suffix}").read_bytes() == out.read_bytes()
    assert "Fiktiv afgørelse." in (dist / "hoeringsnotat-eksempel-1.md").read_text(encoding="utf-8")
    # The site, packed: its pages for the new release and the round are in the archive.
    with tarfile.open(dist / "site-2019.2.tar.gz") as archive:
        names = set(archive.getnames())
    assert {
        "site-2019.2/index.html",
        "site-2019.2/udgivelser/2019.2.html",
        "site-2019.2/runder/eksempel-1/hoeringsnotat.docx",
        "site-2019.2/feed.xml",
    } <= names


# --- intake.yml: an issue's proposal file, placed, checked, committed, pushed ----------------

ISSUE_FILE = "proposals/eksempel-1/461-odense-2.yaml"


@pytest.fixture
def runner(tmp_path: Path) -> dict[str, str]:
    """$RUNNER_TEMP, with valreg intake's folder, and $GITHUB_OUTPUT, as GitHub gives them."""
    (tmp_path / "runner/intake").mkdir(parents=True)
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    return {"RUNNER_TEMP": str(tmp_path / "runner"), "GITHUB_OUTPUT": str(output)}


def intake_wrote(runner: dict[str, str], files: dict[str, str]) -> None:
    """What `valreg intake --out-dir "$RUNNER_TEMP/intake"` would have written."""
    for path, text in files.items():
        target = Path(runner["RUNNER_TEMP"]) / "intake" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def clone_of(upstream: Path, tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(upstream), str(clone))
    return clone


def test_intake_checks_the_issues_file_as_a_pull_request_from_its_author(
    upstream: Path, tmp_path: Path, runner: dict[str, str]
) -> None:
    clone = clone_of(upstream, tmp_path)
    intake_wrote(runner, {ISSUE_FILE: PROPOSAL})
    steps = job_steps(INTAKE_WORKFLOW, "intake")

    place = run_step(steps["place"], clone, runner)
    assert place.returncode == 0, place.stdout + place.stderr
    assert Path(runner["GITHUB_OUTPUT"]).read_text(encoding="utf-8") == f"path={ISSUE_FILE}\n"
    assert (clone / ISSUE_FILE).read_text(encoding="utf-8") == PROPOSAL

    check = run_step(steps["check"], clone, runner)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "::error" not in check.stdout

    check_pr = run_step(steps["check-pr"], clone, runner)
    assert check_pr.returncode == 0, check_pr.stdout + check_pr.stderr
    assert f"pull request fra {AUTHOR} (kommune 461 Odense)" in check_pr.stdout
    assert check_pr.stdout.endswith("kan flettes ind\n")
    # The commit that check-pr judged stays in the runner's checkout: nothing is pushed.
    assert git(clone, "status", "--porcelain", "--branch").startswith("## main...origin/main [")


def test_intake_refuses_a_file_for_another_municipality(
    upstream: Path, tmp_path: Path, runner: dict[str, str]
) -> None:
    other = "proposals/eksempel-1/101-koebenhavn-2.yaml"
    clone = clone_of(upstream, tmp_path)
    intake_wrote(runner, {other: PROPOSAL.replace("municipality: 461", "municipality: 101")})
    steps = job_steps(INTAKE_WORKFLOW, "intake")
    assert run_step(steps["place"], clone, runner).returncode == 0
    check_pr = run_step(
        steps["check-pr"], clone, runner, {"${{ steps.place.outputs.path }}": other}
    )
    assert check_pr.returncode == 1, check_pr.stdout
    assert f"afvist   {other}" in check_pr.stdout


@pytest.mark.parametrize("job", ["intake", "pull-request"])
@pytest.mark.parametrize(
    "case",
    ["nothing", "two files", "values/x.yaml", "no code", "capitals", "a symlink", "existing"],
)
def test_intake_places_only_one_new_proposal_file(
    upstream: Path, tmp_path: Path, runner: dict[str, str], job: str, case: str
) -> None:
    """Both jobs take from valreg intake's folder exactly one regular file with a proposal
    file's path, and never one that the default branch already has."""
    written = {
        "nothing": {},
        "two files": {ISSUE_FILE: PROPOSAL, "proposals/eksempel-1/461-odense-3.yaml": PROPOSAL},
        "values/x.yaml": {"values/x.yaml": "id: x\n"},
        "no code": {"proposals/eksempel-1/odense.yaml": PROPOSAL},
        "capitals": {"proposals/eksempel-1/461-Odense.yaml": PROPOSAL},
        "a symlink": {},
        "existing": {"proposals/eksempel-1/461-odense.yaml": PROPOSAL},
    }[case]
    intake_wrote(runner, written)
    if case == "a symlink":
        target = Path(runner["RUNNER_TEMP"]) / "intake" / ISSUE_FILE
        target.parent.mkdir(parents=True)
        target.symlink_to("/etc/hostname")
    clone = clone_of(upstream, tmp_path)
    place = run_step(job_steps(INTAKE_WORKFLOW, job)["place"], clone, runner)
    assert place.returncode == 1, place.stdout + place.stderr
    expected = "already exists on the default branch" if case == "existing" else "exactly one"
    assert place.stdout.startswith("::error::") and expected in place.stdout
    assert git(clone, "status", "--porcelain") == ""
    assert Path(runner["GITHUB_OUTPUT"]).read_text(encoding="utf-8") == ""


def test_intake_commits_and_pushes_the_file_on_its_own_branch_once(
    upstream: Path, tmp_path: Path, runner: dict[str, str]
) -> None:
    """The pull request's job: the file on the new branch intake/issue-7, committed by
    github-actions[bot], pushed to the remote (here a local one, so no token is asked
    for); a second push of the same issue is refused."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(upstream), str(remote))
    clone = clone_of(remote, tmp_path)
    intake_wrote(runner, {ISSUE_FILE: PROPOSAL})
    steps = job_steps(INTAKE_WORKFLOW, "pull-request")
    for name in ("place", "commit", "push"):
        result = run_step(steps[name], clone, runner)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    assert git(clone, "log", "-1", "--format=%an <%ae>%n%s") == (
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\n"
        "Høringssvar fra issue #7\n"
    )
    assert git(remote, "diff", "--name-status", "main", "intake/issue-7") == f"A\t{ISSUE_FILE}\n"

    again = run_step(steps["push"], clone, runner)
    assert again.returncode == 1
    assert again.stdout == (
        "::error::the branch intake/issue-7 already exists; an editor must look at the issue\n"
    )


# --- pages.yml: the site for GitHub Pages --------------------------------------------------


def test_the_pages_workflow_builds_the_site_with_its_address(
    released: Path, tmp_path: Path
) -> None:
    site = run_step(job_steps(PAGES_WORKFLOW, "build")["site"], released, {})
    assert site.returncode == 0, site.stdout + site.stderr
    out = released / "_site"
    assert {"index.html", "feed.xml", "udgivelser/2019.2.html"} <= {
        str(p.relative_to(out)) for p in out.rglob("*")
    }
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "https://kl.example.invalid/vaerdier/udgivelser/2019.2.html" in feed
