"""`valreg apply` end to end on the example round, its refusals, and crash safety."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import git, run_valreg
from factories import EDITOR, ROUND, decide, decide_everything, state


def values(root: Path) -> dict[str, tuple[int, str, str]]:
    from valreg.registry.snapshot import load_snapshot

    snapshot = load_snapshot(root)
    return {
        stem: (p.model.number, p.model.status, p.model.text) for stem, p in snapshot.values.items()
    }


def test_the_example_round_end_to_end(example: Path) -> None:
    decide_everything(example)
    result = run_valreg("apply", cwd=example)
    assert result.returncode == 0, result.stderr
    assert "committed" in result.stdout
    after = values(example)
    active = sorted((n, v) for v, (n, status, _) in after.items() if status == "active")
    assert [v for _, v in active] == [
        "initiativer-nedefra",
        "danner-og-uddanner",
        "boernene-forrest",
        "samarbejde-med-foraeldre",
        "data-og-viden",
        "bruger-digitale-redskaber-omtanke",
        "staerk-faglig-ledelse",
        "dygtige-fagprofessionelle",
        "tvaerprofessionelt-samarbejde",
        "sammenhaeng-til-ungdomsuddannelse",
    ]
    assert [n for n, _ in active] == list(range(1, 11))
    assert after["danner-og-uddanner"][2].endswith("udvikler (fiktivt forslag)")
    assert after["forskning-af-hoej-kvalitet"][1] == "retired"
    assert after["lokalmiljoeet"][1] == "retired"
    assert "merged_into: samarbejde-med-foraeldre" in (
        example / "values/lokalmiljoeet.yaml"
    ).read_text(encoding="utf-8")
    assert after["data-og-viden"][2].endswith("(fiktiv, redigeret)")
    trailers = git(example, "log", "-1", "--format=%(trailers:key=Applies,valueonly)").split()
    assert sorted(trailers) == sorted(
        f"{ROUND}/{c}"
        for c in (
            "461-odense#1",
            "461-odense#2",
            "751-aarhus#1",
            "561-esbjerg#1",
            "621-kolding#1",
            "101-koebenhavn#2",
            "147-frederiksberg#1",
        )
    )
    assert git(example, "status", "--porcelain") == ""
    assert "registry/rounds/eksempel-1/decisions.yaml" in git(
        example, "show", "--name-only", "--format=", "HEAD"
    )
    check = run_valreg("check", cwd=example)
    assert check.returncode == 0, check.stdout
    again = run_valreg("apply", cwd=example)
    assert again.returncode == 0
    assert again.stdout == f"nothing to apply in round {ROUND}\n"


def test_a_squash_merged_apply_is_recognised(example: Path) -> None:
    decide_everything(example)
    assert run_valreg("apply", cwd=example).returncode == 0
    git(example, "reset", "--soft", "HEAD~1")
    git(example, "commit", "--quiet", "-m", "Squashed by hand, no trailers")
    before = state(example)
    result = run_valreg("apply", cwd=example)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("already in effect") == 7
    assert state(example) == before


def test_dry_run_writes_nothing(example: Path) -> None:
    decide_everything(example)
    before = state(example)
    result = run_valreg("apply", "--dry-run", cwd=example)
    assert result.returncode == 0
    assert "+text: Vi vil dagtilbud og folkeskoler, der både danner, uddanner og udvikler" in (
        result.stdout
    )
    assert "Applies: eksempel-1/461-odense#1" in result.stdout
    assert state(example) == before


def test_no_commit_stages_and_prepares_the_message(example: Path) -> None:
    decide_everything(example)
    head = git(example, "rev-parse", "HEAD")
    result = run_valreg("apply", "--no-commit", cwd=example)
    assert result.returncode == 0, result.stderr
    assert git(example, "rev-parse", "HEAD") == head
    assert "values/lokalmiljoeet.yaml" in git(example, "diff", "--cached", "--name-only")
    message = example / ".git/valreg/apply-message.txt"
    assert "Applies: eksempel-1/751-aarhus#1" in message.read_text(encoding="utf-8")
    git(example, "commit", "--quiet", "--file", str(message))
    assert "eksempel-1/751-aarhus#1" in git(
        example, "log", "-1", "--format=%(trailers:key=Applies,valueonly)"
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("conflict", "accepted changes conflict"),
        ("stale", "written against an older text"),
        ("dirty", "uncommitted changes: values/danner-og-uddanner.yaml"),
        ("invalid", "run `valreg check`"),
        ("edited", "run `valreg check`"),
    ],
)
def test_refusals_write_nothing(example: Path, setup: str, message: str) -> None:
    decide(example, "accept", "461-odense#1")
    if setup == "conflict":
        decide(example, "accept", "101-koebenhavn#1")
    elif setup == "stale":
        decide(example, "accept", "147-frederiksberg#1")
    elif setup == "dirty":
        path = example / "values/danner-og-uddanner.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "# a local note\n", encoding="utf-8")
    elif setup == "invalid":
        (example / "values/ny.yaml").write_text("id: ny\n", encoding="utf-8")
    elif setup == "edited":
        proposal = example / "proposals/eksempel-1/461-odense.yaml"
        proposal.write_text(
            proposal.read_text(encoding="utf-8").replace("og udvikler", "og opdrager"),
            encoding="utf-8",
        )
    before = state(example)
    result = run_valreg("apply", cwd=example)
    assert result.returncode == 1, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert state(example) == before


def test_an_edit_changes_only_its_lines(example: Path) -> None:
    path = example / "values/danner-og-uddanner.yaml"
    original = (
        "# Værdi nummer 1 (kommentar bevares)\r\n"
        "id: danner-og-uddanner   # slug\r\n"
        "number: 1\r\n"
        "text: 'Vi vil dagtilbud og folkeskoler, der både danner og uddanner'\r\n"
        'title: "Dannelse"  # fiktiv titel\r\n'
    ).encode()
    path.write_bytes(original)
    git(example, "commit", "--quiet", "-am", "Fictional comment and title")
    decide(example, "accept", "461-odense#1")
    assert run_valreg("apply", cwd=example).returncode == 0
    # Only the text line changes, and it keeps its quoting style.
    expected = original.replace(
        "der både danner og uddanner'".encode(),
        "der både danner, uddanner og udvikler (fiktivt forslag)'".encode(),
    )
    assert path.read_bytes() == expected


def test_a_second_writer_is_refused_and_a_stale_lock_freed(example: Path) -> None:
    decide(example, "accept", "461-odense#1")
    lock = example / ".git/valreg/lock"
    holder = subprocess.Popen(["sleep", "30"])
    try:
        lock.write_text(f"{holder.pid} {os.uname().nodename}\n", encoding="utf-8")
        busy = run_valreg("apply", cwd=example)
        assert busy.returncode == 1
        assert f"another valreg command (process {holder.pid})" in busy.stderr
    finally:
        holder.kill()
        holder.wait()
    freed = run_valreg("apply", cwd=example)
    assert freed.returncode == 0, freed.stderr
    assert not lock.exists()


def test_killed_at_every_step_ends_as_before_or_applied(example: Path, tmp_path: Path) -> None:
    decide_everything(example)
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "Decisions")
    reference = tmp_path / "reference"
    git(tmp_path, "clone", "--quiet", str(example), str(reference))
    assert run_valreg("apply", cwd=reference).returncode == 0
    applied_tree = git(reference, "rev-parse", "HEAD^{tree}")
    before = state(example)
    head = git(example, "rev-parse", "HEAD")
    step = 1
    while True:
        trial = tmp_path / f"trial-{step}"
        git(tmp_path, "clone", "--quiet", str(example), str(trial))
        git(trial, "config", "user.name", "Test Editor")
        killed = run_valreg("apply", cwd=trial, env={"VALREG_FAULT_STEP": str(step)})
        if killed.returncode == 0:
            break
        assert killed.returncode == -9, killed.stderr
        check = run_valreg("check", cwd=trial)
        journal_left = (trial / ".git/valreg/journal.json").exists()
        assert ("F304" in check.stdout) == journal_left
        recovered = run_valreg("status", cwd=trial)
        assert recovered.returncode == 0, recovered.stderr
        assert not (trial / ".git/valreg/journal.json").exists()
        if git(trial, "rev-parse", "HEAD") == head:
            assert git(trial, "status", "--porcelain") == ""
            assert values(trial) == values(example)
        else:
            assert git(trial, "rev-parse", "HEAD^{tree}") == applied_tree
            assert git(trial, "status", "--porcelain") == ""
        step += 1
    assert step > 5, "the fault hook never fired"
    assert state(example) == before


ADD = "101-koebenhavn#2"  # the example round's one add


def test_an_id_decided_for_an_added_value_is_its_file_name(example: Path) -> None:
    decide_everything(example)
    decided = run_valreg(
        "decide", f"{ROUND}/{ADD}", "accept", "--id", "digitale-redskaber", *EDITOR, cwd=example
    )
    assert decided.returncode == 0, decided.stderr
    result = run_valreg("apply", cwd=example)
    assert result.returncode == 0, result.stderr
    assert f"- {ROUND}/{ADD}: add digitale-redskaber after data-og-viden (accept)" in (
        result.stdout
    )
    after = values(example)
    assert "bruger-digitale-redskaber-omtanke" not in after  # the id apply would have made
    number, status, text = after["digitale-redskaber"]
    assert (number, status) == (6, "active")
    assert text.startswith("Vi vil dagtilbud og folkeskoler, der bruger digitale redskaber")
    assert (
        (example / "values/digitale-redskaber.yaml")
        .read_text(encoding="utf-8")
        .startswith("id: digitale-redskaber\n")
    )
    assert run_valreg("check", cwd=example).returncode == 0
    # Released, the round's decision still names the value it made: no D608 for it.
    released = run_valreg("release", "2019.2", cwd=example, env={"SOURCE_DATE_EPOCH": "1574000000"})
    assert released.returncode == 0, released.stderr
    check = run_valreg("check", cwd=example)
    assert check.returncode == 0, check.stdout
    assert "D60" not in check.stdout


def test_an_id_taken_since_the_decision_is_refused(example: Path) -> None:
    decide(example, "accept", "461-odense#1")
    result = run_valreg(
        "decide",
        f"{ROUND}/{ADD}",
        "accept",
        "--id",
        "digitale-redskaber",
        "--editor",
        "kl-redaktion",
        cwd=example,
    )
    assert result.returncode == 0, result.stderr
    # Someone adds a value of that id by hand before the round is applied.
    (example / "values/digitale-redskaber.yaml").write_text(
        "# FICTIONAL\nid: digitale-redskaber\nnumber: 12\ntext: Vi vil en fiktiv værdi\n",
        encoding="utf-8",
    )
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "A fictional value by hand")
    before = state(example)
    refused = run_valreg("apply", cwd=example)
    assert refused.returncode == 1, refused
    assert f"{ROUND}/{ADD} would add value 'digitale-redskaber', but that id is taken" in (
        refused.stderr
    )
    assert state(example) == before
