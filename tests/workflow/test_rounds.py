"""`valreg round open|extend|close|list`: a round's life without hand-written YAML (#17).

Every step runs the real command in a real git repository: one commit of just the files it
writes, and on refusal exit 1, one line, nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import git, run_valreg
from factories import init_example
from valreg.registry.check import check_registry

#: 2030-01-01 12:00 UTC: the day every step of these tests runs on.
NEW_YEAR_2030 = "1893499200"
ON_THE_DAY = {"SOURCE_DATE_EPOCH": NEW_YEAR_2030}
QUESTION = "Hvordan bruger I værdierne i jeres kommune? (fiktivt spørgsmål)"


def valreg(root: Path, *args: str) -> Any:
    return run_valreg(*args, cwd=root, env=ON_THE_DAY)


def errors(root: Path) -> list[str]:
    """What `check` refuses (the example's late answer is a warning, and stays one)."""
    found = check_registry(root).diagnostics
    return [f"{d.path}:{d.line} {d.code}" for d in found if d.severity.value == "error"]


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def changed_in_head(root: Path) -> list[str]:
    return sorted(git(root, "show", "--name-only", "--format=", "HEAD").split())


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example with its fictional round eksempel-1 closed by `valreg round close`."""
    root = init_example(tmp_path / "example")
    closed = valreg(root, "round", "close", "eksempel-1")
    assert closed.returncode == 0, closed.stderr
    return root


def open_round(root: Path, *extra: str) -> None:
    result = valreg(
        root,
        "round",
        "open",
        "2030-1",
        "--deadline",
        "2030-03-01",
        "--base",
        "2019.1",
        "--question",
        QUESTION,
        *extra,
    )
    assert result.returncode == 0, result.stderr


def test_the_life_of_a_round(example: Path) -> None:
    """open → letter → propose → status → extend → close, each a commit of its own files."""
    open_round(example)
    assert changed_in_head(example) == [
        "proposals/2030-1/README.md",
        "registry/rounds/2030-1/letter.md",
        "registry/rounds/2030-1/round.yaml",
    ]
    assert git(example, "log", "-1", "--format=%s").startswith("Open round 2030-1")
    assert git(example, "status", "--porcelain") == ""
    assert errors(example) == []
    round_yaml = (example / "registry/rounds/2030-1/round.yaml").read_text("utf-8")
    assert round_yaml.startswith("# ")  # commented for the editor who reads it later
    assert 'base: "2019.1"' in round_yaml and "deadline: 2030-03-01" in round_yaml
    assert "opens: 2030-01-01" in round_yaml and QUESTION in round_yaml
    readme = (example / "proposals/2030-1/README.md").read_text("utf-8")
    assert "1. marts 2030" in readme and "2030-1" in readme

    letter = valreg(example, "letter", "2030-1")
    assert letter.returncode == 0, letter.stderr
    assert "1. marts 2030" in letter.stdout and f"*{QUESTION}*" in letter.stdout
    assert "1. Vi vil dagtilbud og folkeskoler, der både danner og uddanner" in letter.stdout

    proposed = valreg(example, "propose", "--municipality", "461", "--round", "2030-1")
    assert proposed.returncode == 0, proposed.stderr
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "Odense answers")
    status = json.loads(valreg(example, "status", "2030-1", "--format", "json").stdout)
    assert status["standings"]["answered"] + status["standings"]["no_remarks"] == 1
    listed = rounds(example)["2030-1"]
    assert (listed["answered"], listed["municipalities"], listed["days_left"]) == (1, 98, 59)
    assert listed["state"] == "open"

    before = round_yaml
    extended = valreg(example, "round", "extend", "2030-1", "--deadline", "2030-04-01")
    assert extended.returncode == 0, extended.stderr
    assert changed_in_head(example) == ["registry/rounds/2030-1/round.yaml"]
    after = (example / "registry/rounds/2030-1/round.yaml").read_text("utf-8")
    assert after == before.replace("deadline: 2030-03-01", "deadline: 2030-04-01")
    assert rounds(example)["2030-1"]["deadline"] == "2030-04-01"

    closed = valreg(example, "round", "close", "2030-1")
    assert closed.returncode == 0, closed.stderr
    assert rounds(example)["2030-1"]["state"] == "closed"
    assert errors(example) == []
    late = valreg(example, "propose", "--municipality", "751", "--round", "2030-1")
    assert late.returncode == 1 and "closed" in late.stderr


def rounds(root: Path) -> dict[str, dict[str, Any]]:
    result = valreg(root, "round", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in json.loads(result.stdout)["rounds"]}


def test_round_list_as_a_table(example: Path) -> None:
    open_round(example)
    result = valreg(example, "round", "list")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == [
        "id",
        "title",
        "base",
        "opens",
        "deadline",
        "days",
        "left",
        "answers",
        "state",
    ]
    by_id = {row.split()[0]: row for row in rows}
    assert "0/98" in by_id["2030-1"] and by_id["2030-1"].rstrip().endswith("open")
    assert "10/98" in by_id["eksempel-1"] and by_id["eksempel-1"].rstrip().endswith("closed")


def test_an_edit_keeps_the_editors_comments_and_order(example: Path) -> None:
    path = example / "registry/rounds/eksempel-1/round.yaml"
    text = path.read_text("utf-8").replace("closed: true\n", "closed: false\n")
    text = text.replace("deadline: 2019-09-30", "deadline: 2019-09-30  # as in the letter")
    path.write_text("# a note of the editors\n" + text, encoding="utf-8")
    git(example, "commit", "--quiet", "-am", "reopen by hand")
    before = path.read_text("utf-8")
    result = run_valreg(
        "round",
        "extend",
        "eksempel-1",
        "--deadline",
        "2019-10-07",
        cwd=example,
        env={"SOURCE_DATE_EPOCH": "1569888000"},  # 2019-10-01: the deadline has passed
    )
    assert result.returncode == 0, result.stderr
    assert path.read_text("utf-8") == before.replace(
        "deadline: 2019-09-30  # as in the letter", "deadline: 2019-10-07  # as in the letter"
    )


def test_a_historical_round_with_record(example: Path) -> None:
    result = valreg(
        example,
        "round",
        "open",
        "2019-9",
        "--opens",
        "2019-10-01",
        "--deadline",
        "2019-11-01",
        "--base",
        "2019.1",
        "--record",
    )
    assert result.returncode == 0, result.stderr
    assert rounds(example)["2019-9"]["state"] in ("past deadline", "closed")
    assert errors(example) == []


OPEN = ("round", "open")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((*OPEN, "eksempel-1", "--deadline", "2030-03-01", "--base", "2019.1"), "exists"),
        ((*OPEN, "2030_1", "--deadline", "2030-03-01", "--base", "2019.1"), "malformed"),
        ((*OPEN, "Runde-1", "--deadline", "2030-03-01", "--base", "2019.1"), "malformed"),
        ((*OPEN, "../x", "--deadline", "2030-03-01", "--base", "2019.1"), "malformed"),
        (
            (
                *OPEN,
                "2030-1",
                "--opens",
                "2030-03-01",
                "--deadline",
                "2030-03-01",
                "--base",
                "2019.1",
            ),
            "not after",
        ),
        ((*OPEN, "2030-1", "--deadline", "2030-03-01", "--base", "2031.1"), "not a release"),
        ((*OPEN, "2030-1", "--deadline", "2030-03-01"), "nothing to answer"),
        (
            (
                *OPEN,
                "2030-1",
                "--opens",
                "2029-11-01",
                "--deadline",
                "2029-12-01",
                "--base",
                "2019.1",
            ),
            "--record",
        ),
        ((*OPEN, "2030-1", "--deadline", "2030-03-01", "--question", " "), "question"),
        (("round", "extend", "eksempel-1", "--deadline", "2030-03-01"), "closed"),
        (("round", "extend", "eksempel-9", "--deadline", "2030-03-01"), "eksempel-1"),
        (("round", "close", "eksempel-1"), "closed already"),
        (("round", "close", "eksempel-9"), "eksempel-1"),
    ],
)
def test_refusals_write_nothing(example: Path, args: tuple[str, ...], reason: str) -> None:
    before = head(example)
    result = valreg(example, *args)
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert head(example) == before
    assert git(example, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_date_in_danish_is_a_usage_error(example: Path) -> None:
    before = head(example)
    result = valreg(example, *OPEN, "2030-1", "--deadline", "1. marts 2030", "--base", "2019.1")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    assert head(example) == before and not (example / "registry/rounds/2030-1").exists()


def test_extend_refuses_an_earlier_deadline(example: Path) -> None:
    open_round(example)
    before = head(example)
    result = valreg(example, "round", "extend", "2030-1", "--deadline", "2030-02-01")
    assert result.returncode == 1 and "not after the current one" in result.stderr
    assert head(example) == before


def test_an_init_registry_gets_the_same_commands(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    assert run_valreg("init", str(root)).returncode == 0
    assert "no rounds yet" in valreg(root, "round", "list").stdout
    result = valreg(
        root, "round", "open", "2030-1", "--deadline", "2030-03-01", "--question", QUESTION
    )
    assert result.returncode == 0, result.stderr
    assert errors(root) == []
    letter = valreg(root, "letter", "2030-1", "--format", "html")
    assert letter.returncode == 0, letter.stderr
    assert '<html lang="en">' in letter.stdout or '<html lang="da">' in letter.stdout


def test_check_pr_takes_a_proposal_in_a_round_opened_this_way(example: Path) -> None:
    open_round(example)
    git(example, "checkout", "--quiet", "-b", "forslag")
    (example / "proposals/2030-1/751-aarhus.yaml").write_text(
        "round: 2030-1\nmunicipality: 751\nsubmitted: 2030-01-01\n", encoding="utf-8"
    )
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "Aarhus answers")
    result = valreg(example, "check-pr", "--base", "main", "--actor", "eksempel-aarhus")
    assert result.returncode == 0, result.stdout + result.stderr
    other = valreg(example, "check-pr", "--base", "main", "--actor", "eksempel-koebenhavn")
    assert other.returncode == 1
