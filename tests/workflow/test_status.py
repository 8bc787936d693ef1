"""`valreg status` on the example round: standings, regions, deadline, changes, formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import git, run_valreg

ROUND_FILE = "registry/rounds/eksempel-1/round.yaml"
DECISIONS = "registry/rounds/eksempel-1/decisions.yaml"
#: Noon UTC on days around the example round's deadline (2019-09-30).
SEPT_25, SEPT_29, SEPT_30, OCT_3 = "1569412800", "1569758400", "1569844800", "1570104000"
NO_DECISIONS = {
    "undecided": 0,
    "accepted": 0,
    "modified": 0,
    "rejected": 0,
    "noted": 0,
    "applied": 0,
}


def status_json(root: Path, *args: str, epoch: str = SEPT_25) -> dict[str, Any]:
    result = run_valreg(
        "status", "--format", "json", *args, cwd=root, env={"SOURCE_DATE_EPOCH": epoch}
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def standing_of(data: dict[str, Any]) -> dict[str, str]:
    return {m["code"]: m["standing"] for m in data["municipalities"]}


def test_the_example_round_in_json(example: Path) -> None:
    data = status_json(example)
    assert data["version"] == 1
    assert data["round"] == {
        "id": "eksempel-1",
        "title": "Fiktivt eksempel: høring over første bud",
        "deadline": "2019-09-30",
        "closed": False,
        "answered_elsewhere": None,
        "state": "open",
    }
    assert (data["today"], data["days_to_deadline"]) == ("2019-09-25", 5)
    assert data["alike"] == [
        {
            "kind": "amend",
            "value": "boernene-forrest",
            "identical": True,
            "changes": ["eksempel-1/621-kolding#1", "eksempel-1/657-herning#1"],
            "municipalities": ["Kolding", "Herning"],
        }
    ]
    assert data["standings"] == {"answered": 8, "no_remarks": 1, "late": 1, "no_answer": 88}
    standing = standing_of(data)
    assert len(standing) == 98
    assert (standing["330"], standing["860"], standing["101"]) == (
        "late",
        "no_remarks",
        "answered",
    )
    answered = {"101", "147", "461", "561", "621", "657", "751", "851"}
    assert {code for code, s in standing.items() if s == "answered"} == answered
    regions = {r["region"]: r for r in data["regions"]}
    assert {name: r["total"] for name, r in regions.items()} == {
        "Region Hovedstaden": 29,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
    }
    assert regions["Region Sjælland"]["late"] == 1
    assert regions["Region Nordjylland"]["no_remarks"] == 1
    for key in ("answered", "no_remarks", "late", "no_answer", "total"):
        assert sum(r[key] for r in data["regions"]) == (
            98 if key == "total" else data["standings"][key]
        )
    changes = data["changes"]
    assert changes["total"] == 12
    assert changes["by_kind"] == {
        "amend": 6,
        "add": 1,
        "remove": 1,
        "merge": 1,
        "move": 1,
        "comment": 2,
    }
    assert changes["by_state"] == {**NO_DECISIONS, "undecided": 12}
    assert changes["by_kind_and_state"]["amend"] == {**NO_DECISIONS, "undecided": 6}
    assert data["left_out"] == []


def test_municipalities_in_danish_order_by_region(example: Path) -> None:
    rows = status_json(example)["municipalities"]
    assert [r["region"] for r in rows] == sorted(r["region"] for r in rows)
    nordjylland = [r["name"] for r in rows if r["region"] == "Region Nordjylland"]
    assert nordjylland[-2:] == ["Vesthimmerlands", "Aalborg"]  # Aa is Å, the last letter
    syddanmark = [r["name"] for r in rows if r["region"] == "Region Syddanmark"]
    assert syddanmark[-3:] == ["Vejle", "Ærø", "Aabenraa"]


def test_danish_key() -> None:
    from valreg.danish import danish_key

    names = ["Åby", "Aabenraa", "Øster", "Ærø", "vejle", "Albertslund", "Ølstykke"]
    names += ["Faaborg-Midtfyn", "Furesø", "Faxe", "Høje-Taastrup", "Høje-Tbstrup"]
    assert sorted(names, key=danish_key) == [
        "Albertslund",
        "Faxe",
        "Furesø",
        "Faaborg-Midtfyn",  # "aa" is "å" inside a name too
        "Høje-Tbstrup",
        "Høje-Taastrup",
        "vejle",
        "Ærø",
        "Ølstykke",
        "Øster",
        "Aabenraa",
        "Åby",
    ]


def test_plain_text_when_piped(example: Path) -> None:
    result = run_valreg("status", cwd=example, env={"SOURCE_DATE_EPOCH": SEPT_25})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "\x1b[" not in out and "─" not in out
    lines = out.splitlines()
    assert lines[:2] == [
        "Round eksempel-1 (open): Fiktivt eksempel: høring over første bud",
        "Deadline 2019-09-30: in 5 days (today is 2019-09-25).",
    ]
    rows = {tuple(re.split(r"\s{2,}", line)) for line in lines}
    assert ("Region Sjælland", "330", "Slagelse", "late") in rows
    assert ("Region Nordjylland", "860", "Hjørring", "answered, no remarks") in rows
    assert ("Region Hovedstaden", "101", "København", "answered") in rows
    assert ("total", "8", "1", "1", "88", "98") in rows
    assert ("amend", "6", "0", "0", "0", "0", "0", "6") in rows
    assert ("total", "12", "0", "0", "0", "0", "0", "12") in rows
    assert "98 municipalities: 8 answered; 1 answered, no remarks; 1 late; 88 no answer." in lines
    # Aligned: every municipality row has its standing in the same column.
    starts = {line.index(s) for line in lines if (s := line.split("  ")[-1]) == "no answer"}
    assert len(starts) == 1


def test_the_rich_table(example: Path) -> None:
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.status import render_text, round_status

    status = round_status(load_snapshot(example), None, set(), dt.date(2019, 10, 3))
    out = render_text(status, rich=True)
    assert "\x1b[" in out and "─" in out
    for name in ("København", "Slagelse", "Hjørring", "Aabenraa", "Ærø"):
        assert name in out
    assert "Deadline 2019-09-30: passed 3 days ago" in out
    assert "answered, no remarks" in out


def test_markdown(example: Path) -> None:
    result = run_valreg("status", "--format", "md", cwd=example, env={"SOURCE_DATE_EPOCH": SEPT_25})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Round eksempel-1 (open): Fiktivt eksempel: høring over første bud"
    for heading in ("## By region", "## Changes", "## Municipalities"):
        assert heading in lines
    assert "| region | answered | no remarks | late | no answer | total |" in lines
    assert "|---|---:|---:|---:|---:|---:|" in lines
    assert "| total | 8 | 1 | 1 | 88 | 98 |" in lines
    assert "| comment | 2 | 0 | 0 | 0 | 0 | 0 | 2 |" in lines
    assert "| Region Sjælland | 330 | Slagelse | late |" in lines
    assert sum(line.startswith("| Region ") for line in lines) == 98 + 5


@pytest.mark.parametrize(
    ("epoch", "days", "phrase"),
    [
        (SEPT_29, 1, "in 1 day"),
        (SEPT_30, 0, "today is the last day"),
        (OCT_3, -3, "passed 3 days ago"),
    ],
)
def test_days_to_the_deadline(example: Path, epoch: str, days: int, phrase: str) -> None:
    assert status_json(example, epoch=epoch)["days_to_deadline"] == days
    text = run_valreg("status", cwd=example, env={"SOURCE_DATE_EPOCH": epoch}).stdout
    assert text.splitlines()[1].startswith(f"Deadline 2019-09-30: {phrase} (today is ")


def test_answered_elsewhere_is_shown_beside_the_standings(example: Path) -> None:
    round_file = example / ROUND_FILE
    round_file.write_text(
        round_file.read_text(encoding="utf-8") + "answered_elsewhere: 22\n", encoding="utf-8"
    )
    assert status_json(example)["round"]["answered_elsewhere"] == 22
    elsewhere = "22 answered elsewhere (outside the registry, not published here)"
    for fmt in ("text", "md"):
        out = run_valreg("status", "--format", fmt, cwd=example).stdout
        assert f"88 no answer; {elsewhere}." in out


def _decision(change_id: str, decision: str, digest: str, extra: str = "") -> str:
    return (
        f"- change: {change_id}\n  change_sha256: {digest}\n  decision: {decision}\n"
        f"{extra}  date: 2019-10-05\n  editor: kl-redaktion\n"
    )


def test_decision_states_and_applied_changes(example: Path) -> None:
    from valreg.registry.models import change_digest
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.state import collect_changes, select_round

    snapshot = load_snapshot(example)
    digests = {
        r.id.removeprefix("eksempel-1/"): change_digest(r.change)
        for r in collect_changes(snapshot, select_round(snapshot, None))
    }
    reason = "  reason: Fiktiv begrundelse\n"
    (example / DECISIONS).write_text(
        "# FICTIONAL decisions, written by hand in a test\n"
        + _decision("eksempel-1/461-odense#1", "accept", digests["461-odense#1"])
        + _decision("eksempel-1/751-aarhus#1", "accept", digests["751-aarhus#1"])
        + _decision(
            "eksempel-1/101-koebenhavn#2",
            "modify",
            digests["101-koebenhavn#2"],
            "  text: Vi vil dagtilbud og folkeskoler med digital omtanke (fiktivt)\n" + reason,
        )
        + _decision("eksempel-1/621-kolding#1", "reject", digests["621-kolding#1"], reason)
        + _decision("eksempel-1/330-slagelse#1", "reject", digests["330-slagelse#1"], reason)
        + _decision("eksempel-1/101-koebenhavn#3", "note", digests["101-koebenhavn#3"], reason)
        # A decision on an earlier wording of the change is stale: undecided again.
        + _decision("eksempel-1/657-herning#1", "accept", "f" * 64),
        encoding="utf-8",
    )
    changes = status_json(example)["changes"]
    assert changes["by_state"] == {
        "undecided": 6,
        "accepted": 2,
        "modified": 1,
        "rejected": 2,
        "noted": 1,
        "applied": 0,
    }
    assert changes["by_kind_and_state"]["comment"] == {**NO_DECISIONS, "rejected": 1, "noted": 1}
    assert changes["by_kind_and_state"]["amend"] == {
        **NO_DECISIONS,
        "undecided": 4,
        "accepted": 1,
        "rejected": 1,
    }

    git(example, "add", "--all")
    git(
        example,
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        "Apply a change by hand (fictional)",
        "-m",
        "Applies: eksempel-1/461-odense#1",
    )
    after = status_json(example)["changes"]
    assert after["by_state"] == {**changes["by_state"], "accepted": 1, "applied": 1}
    assert after["by_kind_and_state"]["amend"]["applied"] == 1
    text = run_valreg("status", cwd=example).stdout
    assert re.search(r"^total +6 +1 +1 +2 +1 +1 +12$", text, re.MULTILINE)


def test_a_named_closed_round_and_the_root_option(example: Path, tmp_path: Path) -> None:
    round_file = example / ROUND_FILE
    round_file.write_text(
        round_file.read_text(encoding="utf-8") + "closed: true\n", encoding="utf-8"
    )
    data = status_json(tmp_path, "eksempel-1", "--root", str(example))
    assert data["round"]["closed"] is True
    assert data["standings"]["answered"] == 8
    text = run_valreg("status", "eksempel-1", "--root", str(example), cwd=tmp_path).stdout
    assert text.startswith("Round eksempel-1 (closed): ")


def _add_round(root: Path, round_id: str, extra: str = "") -> None:
    folder = root / "registry/rounds" / round_id
    folder.mkdir(parents=True)
    (folder / "round.yaml").write_text(
        f"id: {round_id}\ntitle: Fiktiv runde\ndeadline: 2019-12-01\n{extra}", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("", ["nope"], "round 'nope' does not exist; rounds: eksempel-1 (open)"),
        ("closed", [], "no round is open; name the round: eksempel-1 (closed)"),
        (
            "second",
            [],
            "more than one round is open; name the round: eksempel-1 (open), eksempel-2 (open)",
        ),
    ],
)
def test_usage_errors(example: Path, setup: str, args: list[str], message: str) -> None:
    if setup == "closed":
        round_file = example / ROUND_FILE
        round_file.write_text(
            round_file.read_text(encoding="utf-8") + "closed: true\n", encoding="utf-8"
        )
    if setup == "second":
        _add_round(example, "eksempel-2")
    result = run_valreg("status", *args, cwd=example)
    assert result.returncode == 2
    assert result.stderr == f"valreg: error: {message}\n"
    assert result.stdout == ""
    bad_format = run_valreg("status", "--format", "html", cwd=example)
    assert bad_format.returncode == 2
    assert "invalid choice: 'html'" in bad_format.stderr


def test_a_round_without_proposals(example: Path) -> None:
    shutil.rmtree(example / "proposals/eksempel-1")
    data = status_json(example)
    assert data["standings"] == {"answered": 0, "no_remarks": 0, "late": 0, "no_answer": 98}
    assert data["changes"]["total"] == 0
    assert data["changes"]["by_kind"]["amend"] == 0


def test_a_registry_without_municipalities_or_proposals(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    assert run_valreg("init", str(root)).returncode == 0
    _add_round(root, "r1")
    data = status_json(root)
    assert data["municipalities"] == [] and data["regions"] == []
    assert data["standings"] == {"answered": 0, "no_remarks": 0, "late": 0, "no_answer": 0}
    assert data["changes"]["total"] == 0
    for fmt in ("text", "md"):
        result = run_valreg("status", "--format", fmt, cwd=root)
        assert result.returncode == 0, result.stderr
        assert "0 municipalities: 0 answered;" in result.stdout


def test_an_invalid_proposal_is_left_out_and_named(example: Path) -> None:
    broken = "proposals/eksempel-1/147-frederiksberg.yaml"
    (example / broken).write_text(
        "round: eksempel-1\nmunicipality: 147\nsubmitted: 2019-09-18\nchanges:\n"
        "  - id: '1'\n    kind: rewrite\n",
        encoding="utf-8",
    )
    (example / "proposals/eksempel-1/173-lyngby.yml").write_text("x: 1\n", encoding="utf-8")
    data = status_json(example)
    assert data["left_out"] == [broken, "proposals/eksempel-1/173-lyngby.yml"]
    assert standing_of(data)["147"] == "no_answer"
    assert data["standings"]["answered"] == 7
    assert data["changes"]["total"] == 11
    warning = (
        "warning: 2 file(s) of the round fail their schema and are not counted: "
        f"{broken}, proposals/eksempel-1/173-lyngby.yml; run `valreg check`"
    )
    for fmt in ("text", "md"):
        result = run_valreg("status", "--format", fmt, cwd=example)
        assert result.returncode == 0
        assert warning in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("path", "content", "args"),
    [
        (DECISIONS, "- change: nonsense\n", []),
        ("registry/municipalities.yaml", "- code: abc\n", []),
        (ROUND_FILE, "id: eksempel-1\ntitle: Fiktiv\ndeadline: 30. september\n", ["eksempel-1"]),
    ],
)
def test_an_invalid_file_the_overview_rests_on_is_refused(
    example: Path, path: str, content: str, args: list[str]
) -> None:
    (example / path).write_text(content, encoding="utf-8")
    result = run_valreg("status", *args, cwd=example)
    assert result.returncode == 1
    assert result.stderr == (f"valreg: error: {path} is not valid; run `valreg check`\n")
    assert result.stdout == ""


def test_a_proposal_from_an_unknown_municipality_is_shown_apart(example: Path) -> None:
    (example / "proposals/eksempel-1/999-fiktiv.yaml").write_text(
        "round: eksempel-1\nmunicipality: 999\nsubmitted: 2019-09-20\n", encoding="utf-8"
    )
    data = status_json(example)
    assert data["municipalities"][0] == {
        "code": "999",
        "name": "(999)",
        "region": "(not in registry/municipalities.yaml)",
        "standing": "no_remarks",
    }
    assert data["standings"]["no_remarks"] == 2
    assert sum(r["total"] for r in data["regions"]) == 99


def test_missing_lists_only_who_has_no_proposal_file(example: Path) -> None:
    """Late answers and answers with no remarks count as answered; as CSV (header row),
    JSON and text, for a reminder's mail merge."""
    full = json.loads(run_valreg("status", "--format", "json", cwd=example).stdout)
    expected = [
        (m["code"], m["name"], m["region"])
        for m in full["municipalities"]
        if m["standing"] == "no_answer"
    ]
    answered = {m["standing"] for m in full["municipalities"]} - {"no_answer"}
    assert {"late", "no_remarks", "answered"} <= answered  # the example has each kind

    result = run_valreg("status", "--missing", "--format", "csv", cwd=example)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["code", "name", "region", "standing"]
    assert [tuple(r[:3]) for r in rows[1:]] == expected
    assert {r[3] for r in rows[1:]} == {"no_answer"}

    data = json.loads(run_valreg("status", "--missing", "--format", "json", cwd=example).stdout)
    assert [(m["code"], m["name"], m["region"]) for m in data["missing"]] == expected

    text = run_valreg("status", "--missing", cwd=example).stdout
    assert text.startswith(f"{len(expected)} of {len(full['municipalities'])} municipalities")
    assert all(name in text for _, name, _ in expected)
    assert "Odense" not in text  # Odense has answered


def test_csv_has_every_municipality_with_its_standing(example: Path) -> None:
    result = run_valreg("status", "--format", "csv", cwd=example)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    full = json.loads(run_valreg("status", "--format", "json", cwd=example).stdout)
    assert [dict(r) for r in rows] == [
        {"code": m["code"], "name": m["name"], "region": m["region"], "standing": m["standing"]}
        for m in full["municipalities"]
    ]
