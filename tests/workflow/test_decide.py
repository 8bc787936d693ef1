"""`valreg decide` on the example registry: what it records, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, run_valreg

DECISIONS = "registry/rounds/eksempel-1/decisions.yaml"
EDITOR = ("--editor", "kl-redaktion")


def _decisions(root: Path) -> str:
    return (root / DECISIONS).read_text(encoding="utf-8")


def test_decisions_are_recorded_with_the_change_hash(example: Path) -> None:
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.state import collect_changes, select_round

    result = run_valreg(
        "decide",
        "eksempel-1/461-odense#1",
        "accept",
        *EDITOR,
        cwd=example,
        env={"SOURCE_DATE_EPOCH": "1570000000"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "eksempel-1/461-odense#1: accept\n"
    snapshot = load_snapshot(example)
    (record,) = [
        r
        for r in collect_changes(snapshot, select_round(snapshot, None))
        if r.id == "eksempel-1/461-odense#1"
    ]
    assert record.decision is not None
    assert record.decision.change_sha256 == record.digest
    assert record.decision.date.isoformat() == "2019-10-02"
    assert record.state == "accepted"
    assert "- change: eksempel-1/461-odense#1\n" in _decisions(example)
    assert run_valreg("check", cwd=example).returncode == 0


def test_deciding_again_replaces_and_keeps_comments(example: Path) -> None:
    run_valreg("decide", "eksempel-1/461-odense#1", "accept", *EDITOR, cwd=example)
    path = example / DECISIONS
    path.write_text(
        path.read_text(encoding="utf-8") + "# noteret på mødet (fiktivt)\n", encoding="utf-8"
    )
    run_valreg(
        "decide",
        "eksempel-1/101-koebenhavn#3",
        "note",
        "--reason",
        "Fiktivt noteret",
        *EDITOR,
        cwd=example,
    )
    again = run_valreg(
        "decide",
        "eksempel-1/461-odense#1",
        "modify",
        "--text",
        "Ny tekst (fiktiv)",
        "--reason",
        "Kortere (fiktivt)",
        *EDITOR,
        cwd=example,
    )
    assert again.returncode == 0
    assert "replaces the earlier decision 'accept'" in again.stdout
    text = _decisions(example)
    assert text.count("- change: eksempel-1/461-odense#1") == 1
    assert "# noteret på mødet (fiktivt)\n- change: eksempel-1/101-koebenhavn#3" in text
    first = text.split("- change: ")[1]
    keys = [line.split(":")[0].strip() for line in first.splitlines()[1:] if line[0] != "#"]
    assert keys == ["change_sha256", "decision", "text", "reason", "date", "editor"]


def test_editor_from_git_config(example: Path) -> None:
    git(example, "config", "valreg.editor", "kl-redaktion")
    assert run_valreg("decide", "eksempel-1/461-odense#1", "accept", cwd=example).returncode == 0
    assert "editor: kl-redaktion" in _decisions(example)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["eksempel-1/461-odense#1", "reject"], 2, "needs --reason"),
        (["eksempel-1/461-odense#1", "modify", "--reason", "x"], 2, "needs --text"),
        (["eksempel-1/461-odense#1", "accept", "--text", "x"], 2, "--text belongs to 'modify'"),
        (
            ["eksempel-1/751-aarhus#1", "modify", "--text", "x", "--reason", "y"],
            1,
            "change of kind 'remove'",
        ),
        (["eksempel-1/101-koebenhavn#3", "accept"], 1, "can be decided note or reject"),
        (["eksempel-1/461-odense#3", "accept"], 2, "no change 'eksempel-1/461-odense#3'"),
        (["eksempel-1/461-odense#1", "approve"], 2, "the decision comes last"),
        (["eksempel-1/461-odense#1", "accept", "--editor", "someone"], 1, "not an editor"),
        (["eksempel-1/461-odense#1", "reject", "--reason", "   "], 2, "needs --reason"),
    ],
)
def test_refusals_write_nothing(example: Path, args: list[str], code: int, message: str) -> None:
    extra = [] if "--editor" in args else list(EDITOR)
    result = run_valreg("decide", *args, *extra, cwd=example)
    assert result.returncode == code, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert git(example, "status", "--porcelain") == ""


def test_without_an_editor_it_asks_for_one(example: Path) -> None:
    result = run_valreg("decide", "eksempel-1/461-odense#1", "accept", cwd=example)
    assert result.returncode == 2
    assert "git config valreg.editor" in result.stderr
    assert git(example, "status", "--porcelain") == ""


def test_an_edited_change_makes_its_decision_stale(example: Path) -> None:
    run_valreg("decide", "eksempel-1/851-aalborg#1", "accept", *EDITOR, cwd=example)
    proposal = example / "proposals/eksempel-1/851-aalborg.yaml"
    proposal.write_text(
        proposal.read_text(encoding="utf-8").replace("i hverdagen", "hver dag"), encoding="utf-8"
    )
    result = run_valreg("check", cwd=example)
    assert result.returncode == 1
    assert "error D602 change 'eksempel-1/851-aalborg#1' was edited after it was decided" in (
        result.stdout
    )
