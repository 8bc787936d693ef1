"""`valreg check-pr` on real branches: who may change what."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import git, run_valreg
from factories import init_example

BEFORE_DEADLINE = {"SOURCE_DATE_EPOCH": "1568592000"}  # 2019-09-16
PROPOSAL = "round: eksempel-1\nmunicipality: 461\nsubmitted: 2019-09-16\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pr") / "example"
    init_example(root)
    path = root / "registry/municipalities.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '- code: "461"\n  name: Odense\n  region: Region Syddanmark\n',
        '- code: "461"\n  name: Odense\n  region: Region Syddanmark\n  logins: [odense-boern]\n',
    )
    path.write_text(text, encoding="utf-8")
    decisions = root / "registry/rounds/eksempel-1/decisions.yaml"
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Logins for Odense")
    result = run_valreg(
        "decide", "eksempel-1/461-odense#1", "accept", "--editor", "kl-redaktion", cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert decisions.exists()
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "A decision")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    root = Path(shutil.copytree(template, tmp_path / "example", symlinks=True))
    git(root, "checkout", "--quiet", "-b", "pr")
    return root


def commit(root: Path, message: str = "pr") -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message)


def check_pr(
    root: Path, actor: str, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_valreg(
        "check-pr", "--base", "main", "--actor", actor, *extra, cwd=root, env=env or BEFORE_DEADLINE
    )


def test_a_municipality_adds_its_own_proposal(repo: Path) -> None:
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    commit(repo)
    result = check_pr(repo, "odense-boern")
    assert result.returncode == 0, result.stdout
    assert "ok       proposals/eksempel-1/461-odense-2.yaml" in result.stdout
    assert result.stdout.endswith("may be merged\n")


def test_after_the_deadline_it_is_flagged_late_not_refused(repo: Path) -> None:
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    commit(repo)
    result = check_pr(repo, "odense-boern", env={"SOURCE_DATE_EPOCH": "1570000000"})
    assert result.returncode == 0
    assert "late     proposals/eksempel-1/461-odense-2.yaml" in result.stdout


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("proposals/eksempel-1/101-koebenhavn-2.yaml", "may only submit files named 461-"),
        ("values/ny.yaml", "only the editors may change files outside proposals/"),
        ("registry/registry.yaml", "only the editors"),
        (".github/workflows/x.yml", "only the editors"),
        ("tooling/valreg/x.py", "only the editors"),
        ("proposals/eksempel-9/461-odense.yaml", "round 'eksempel-9' does not exist"),
        ("proposals/eksempel-1/461-odense æ 2.yaml", "may only submit files named 461-"),
    ],
)
def test_what_a_municipality_may_not_add(repo: Path, path: str, reason: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PROPOSAL, encoding="utf-8")
    commit(repo)
    result = check_pr(repo, "odense-boern")
    assert result.returncode == 1
    assert f"refused  {path}: " in result.stdout
    assert reason in result.stdout
    assert "Traceback" not in result.stderr


def test_deletion_rename_symlink_and_executable_are_refused(repo: Path) -> None:
    git(repo, "rm", "--quiet", "proposals/eksempel-1/860-hjoerring.yaml")
    git(repo, "mv", "values/lokalmiljoeet.yaml", "proposals/eksempel-1/461-flyttet.yaml")
    os.symlink("../../values/danner-og-uddanner.yaml", repo / "proposals/eksempel-1/461-link.yaml")
    exe = repo / "proposals/eksempel-1/461-exe.yaml"
    exe.write_text(PROPOSAL, encoding="utf-8")
    exe.chmod(0o755)
    commit(repo)
    result = check_pr(repo, "odense-boern", "--format", "json")
    assert result.returncode == 1
    verdicts = {p["path"]: p["refused"] for p in json.loads(result.stdout)["paths"]}
    assert "deleting files" in verdicts["proposals/eksempel-1/860-hjoerring.yaml"]
    assert "deleting files" in verdicts["values/lokalmiljoeet.yaml"]
    assert verdicts["proposals/eksempel-1/461-link.yaml"].startswith("symbolic links")
    assert verdicts["proposals/eksempel-1/461-exe.yaml"].startswith("executable files")


def test_a_decided_change_may_not_be_edited(repo: Path) -> None:
    path = repo / "proposals/eksempel-1/461-odense.yaml"
    undecided = path.read_text(encoding="utf-8").replace("To værdier siger", "To værdier siger nok")
    path.write_text(undecided, encoding="utf-8")
    commit(repo, "edit the undecided merge")
    assert check_pr(repo, "odense-boern").returncode == 0
    path.write_text(
        path.read_text(encoding="utf-8").replace("og udvikler", "og opdrager"), encoding="utf-8"
    )
    commit(repo, "edit the decided amend")
    result = check_pr(repo, "odense-boern")
    assert result.returncode == 1
    assert "changes already decided may not be edited: eksempel-1/461-odense#1" in result.stdout


def test_a_closed_round_takes_nothing(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "main")
    round_file = repo / "registry/rounds/eksempel-1/round.yaml"
    round_file.write_text(
        round_file.read_text(encoding="utf-8") + "closed: true\n", encoding="utf-8"
    )
    commit(repo, "close")
    git(repo, "checkout", "--quiet", "-B", "pr")
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    commit(repo)
    result = check_pr(repo, "odense-boern")
    assert result.returncode == 1
    assert "round eksempel-1 is closed" in result.stdout


def test_a_pull_request_cannot_grant_itself_rights(repo: Path) -> None:
    path = repo / "registry/municipalities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "logins: [odense-boern]", "logins: [odense-boern, snyder]"
        ),
        encoding="utf-8",
    )
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    registry = repo / "registry/registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "editors: [kl-redaktion]", "editors: [kl-redaktion, snyder]"
        ),
        encoding="utf-8",
    )
    commit(repo)
    result = check_pr(repo, "snyder")
    assert result.returncode == 1
    assert "pull request by snyder (unknown)" in result.stdout
    assert result.stdout.count("refused  ") == 3


def test_an_editor_may_change_anything(repo: Path) -> None:
    value = repo / "values/danner-og-uddanner.yaml"
    value.write_text(
        value.read_text(encoding="utf-8").replace("danner og", "danner, og"), encoding="utf-8"
    )
    commit(repo)
    result = check_pr(repo, "kl-redaktion")
    assert result.returncode == 0, result.stdout
    assert "(editor)" in result.stdout


def test_changed_files_are_checked_too(repo: Path) -> None:
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(
        PROPOSAL + 'changes:\n  - id: "1"\n    kind: amend\n    value: dannelse\n'
        "    text: Fiktiv\n",
        encoding="utf-8",
    )
    commit(repo)
    result = check_pr(repo, "odense-boern", "--format", "github")
    assert result.returncode == 1
    assert "::error file=proposals/eksempel-1/461-odense-2.yaml,line=7,col=12,title=P506::" in (
        result.stdout
    )


def test_bad_refs_and_actors_are_usage_errors(repo: Path) -> None:
    assert run_valreg("check-pr", "--base", "--output=x", "--actor", "a", cwd=repo).returncode == 2
    assert run_valreg("check-pr", "--base", "main", "--actor", "a b", cwd=repo).returncode == 2


def test_refusals_in_danish(repo: Path) -> None:
    (repo / "values/ny.yaml").write_text("id: ny\n", encoding="utf-8")
    (repo / "proposals/eksempel-1/101-koebenhavn-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    git(repo, "rm", "--quiet", "proposals/eksempel-1/860-hjoerring.yaml")
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(
        PROPOSAL + 'changes:\n  - id: "1"\n    kind: amend\n    value: dannelse\n'
        "    text: Fiktiv\n",
        encoding="utf-8",
    )
    commit(repo)
    english = check_pr(repo, "odense-boern")
    result = check_pr(repo, "odense-boern", "--lang", "da")
    assert english.returncode == result.returncode == 1
    assert english.stdout.count("refused  ") == result.stdout.count("afvist   ") == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "pull request fra odense-boern (kommune 461 Odense), 4 ændrede stier"
    assert (
        "afvist   values/ny.yaml: kun redaktionen må ændre filer uden for proposals/; læg jeres "
        "høringssvar i proposals/<runde>/<kode>-<navn>.yaml"
    ) in lines
    assert (
        "afvist   proposals/eksempel-1/101-koebenhavn-2.yaml: Odense må kun indsende filer med "
        "navnet 461-<navn>.yaml"
    ) in lines
    assert (
        "afvist   proposals/eksempel-1/860-hjoerring.yaml: kun redaktionen kan slette filer; "
        "spørg dem, hvis en fil skal fjernes"
    ) in lines
    assert "ok       proposals/eksempel-1/461-odense-2.yaml" in lines
    assert any(
        line.startswith("proposals/eksempel-1/461-odense-2.yaml:7:12: fejl P506 værdien ")
        for line in lines
    )
    assert lines[-1] == "kan ikke flettes ind, som den er"

    payload = json.loads(check_pr(repo, "odense-boern", "--format", "json", "--lang", "da").stdout)
    refused = {p["path"]: p["refused"] for p in payload["paths"]}
    assert refused["values/ny.yaml"].startswith("kun redaktionen må ændre filer")
    assert refused["proposals/eksempel-1/461-odense-2.yaml"] is None
    assert payload["role"] == "municipality 461 Odense"
    messages = {d["code"]: d["message"] for d in payload["diagnostics"]}
    assert messages["P506"].startswith("værdien 'dannelse' findes ikke")
    assert messages["P505"].startswith("kommunen 461 passer ikke med koden 101 i filnavnet")

    github = check_pr(repo, "odense-boern", "--format", "github", "--lang", "da").stdout
    assert "::error file=values/ny.yaml,title=check-pr::kun redaktionen må ændre filer" in github
    assert (
        "::error file=proposals/eksempel-1/461-odense-2.yaml,line=7,col=12,title=P506::værdien "
    ) in github


def test_allowed_and_late_in_danish(repo: Path) -> None:
    (repo / "proposals/eksempel-1/461-odense-2.yaml").write_text(PROPOSAL, encoding="utf-8")
    commit(repo)
    result = check_pr(repo, "odense-boern", "--lang", "da")
    assert result.returncode == 0, result.stdout
    assert result.stdout.endswith(
        "ok       proposals/eksempel-1/461-odense-2.yaml\nkan flettes ind\n"
    )
    late = check_pr(
        repo, "odense-boern", "--lang", "da", env={"SOURCE_DATE_EPOCH": "1570000000"}
    ).stdout
    assert "for sent proposals/eksempel-1/461-odense-2.yaml: tilføjet efter rundens frist\n" in late
    unknown = check_pr(repo, "snyder", "--lang", "da")
    assert unknown.stdout.startswith("pull request fra snyder (ukendt), 1 ændret sti\n")
    assert "'snyder' er hverken redaktør eller opført under en kommune" in unknown.stdout
