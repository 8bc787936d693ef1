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


# --- usage ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--bogus",), (), ("--from", "x.csv", "eksempel-1/461-odense#1")])
def test_a_usage_error_shows_decides_own_usage(example: Path, args: tuple[str, ...]) -> None:
    result = run_valreg("decide", *args, *EDITOR, cwd=example)
    assert result.returncode == 2, result
    assert result.stderr.startswith("valreg: error: valreg decide: ")
    assert "\nusage: valreg decide " in result.stderr
    assert "--from FILE" in result.stderr
    assert "usage: valreg [-h]" not in result.stderr
    assert git(example, "status", "--porcelain") == ""


# --- many decisions from a sheet -----------------------------------------------------------


def _sheet(tmp_path: Path, rows: list[str], *, sep: str, newline: str, bom: bool) -> Path:
    """A CSV file as a spreadsheet saves it (outside the registry's work tree)."""
    path = tmp_path / "afgoerelser.csv"
    text = newline.join(row.replace(",", sep) for row in rows) + newline
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


# Cells with the separator or a line break in them are quoted, as spreadsheets do; `,` is
# the separator here and is replaced by the sheet's own.
SHEET = [
    "Change,Decision,Reason,Text",
    "eksempel-1/461-odense#1,Accept,,",
    'eksempel-1/101-koebenhavn#1,reject,"Fiktivt: dækket af Odenses forslag\nse punkt 1",',
    "eksempel-1/101-koebenhavn#2,modify,Kortere (fiktivt),Vi vil digitale redskaber (fiktivt)",
    "eksempel-1/101-koebenhavn#3,note,Noteret (fiktivt),",
    ",,,",
    ",,,",
]


@pytest.mark.parametrize(
    ("sep", "newline", "bom"),
    [(";", "\r\n", True), (",", "\n", False), (";", "\n", False), (",", "\r\n", True)],
    ids=["danish-excel", "plain", "semicolon-lf", "comma-crlf-bom"],
)
def test_a_sheet_decides_everything_at_once(
    example: Path, tmp_path: Path, sep: str, newline: str, bom: bool
) -> None:
    sheet = _sheet(tmp_path, SHEET, sep=sep, newline=newline, bom=bom)
    head = git(example, "rev-parse", "HEAD")
    result = run_valreg("decide", "--from", str(sheet), *EDITOR, cwd=example)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "eksempel-1/461-odense#1: accept\n"
        "eksempel-1/101-koebenhavn#1: reject\n"
        "eksempel-1/101-koebenhavn#2: modify\n"
        "eksempel-1/101-koebenhavn#3: note\n"
    )
    text = _decisions(example)
    assert text.count("- change: ") == 4
    assert "decision: accept\n" in text
    assert "Fiktivt: dækket af Odenses forslag" in text and "se punkt 1" in text
    assert "\r" not in text
    assert "text: Vi vil digitale redskaber (fiktivt)\n" in text
    # Like a single decide: the decisions file is written, the commit is apply's.
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == f"?? {DECISIONS}\n"
    check = run_valreg("check", cwd=example)
    assert check.returncode == 0, check.stdout
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.state import decisions_of

    decided = decisions_of(load_snapshot(example), "eksempel-1")
    assert decided["eksempel-1/101-koebenhavn#1"].reason == (
        "Fiktivt: dækket af Odenses forslag\nse punkt 1"
    )


def test_a_sheet_with_bad_rows_is_refused_whole(example: Path, tmp_path: Path) -> None:
    run_valreg("decide", "eksempel-1/851-aalborg#1", "accept", *EDITOR, cwd=example)
    git(example, "add", DECISIONS)
    git(example, "commit", "--quiet", "-m", "A first decision")
    before = (example / DECISIONS).read_bytes()
    head = git(example, "rev-parse", "HEAD")
    rows = [
        "change;decision;reason;text",
        "eksempel-1/461-odense#1;accept;;",  # 2: fine
        'eksempel-1/101-koebenhavn#1;reject;"Fiktiv\nbegrundelse";',  # 3-4: fine
        "eksempel-1/461-odnese#2;accept;;",  # 5: misspelled change
        "eksempel-1/561-esbjerg#1;godkendt;;",  # 6: Danish word
        "eksempel-1/101-koebenhavn#2;modify;Kortere (fiktivt);",  # 7: no text
        "eksempel-1/461-odense#1;accept;;",  # 8: a second row for a change
        "eksempel-1/101-koebenhavn#3;accept;;",  # 9: a comment cannot be accepted
        "eksempel-1/621-kolding#1;rejekt;Nej (fiktivt);",  # 10: typo
        "eksempel-1/751-aarhus#1;accept;;Ny tekst (fiktiv)",  # 11: text on accept
        "eksempel-1/851-aalborg#1;reject;;",  # 12: reject without a reason
    ]
    sheet = tmp_path / "afgoerelser.csv"
    sheet.write_bytes("\ufeff".encode() + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    result = run_valreg("decide", "--from", str(sheet), *EDITOR, cwd=example)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert f"valreg: error: {sheet}: 8 rows cannot be decided; nothing was written" in (
        result.stderr
    )
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{sheet}:")]
    assert [p.split(":")[1] for p in problems] == [str(n) for n in range(5, 13)]
    stderr = result.stderr
    assert f"{sheet}:5: no change 'eksempel-1/461-odnese#2'; did you mean " in stderr
    assert "'eksempel-1/461-odense#2'?" in stderr
    assert f"{sheet}:6: decision 'godkendt' is not one valreg knows; write accept, " in stderr
    assert "(in English: 'accept')" in stderr
    assert f"{sheet}:7: 'modify' needs the final text of the value (column 'text')" in stderr
    assert f"{sheet}:8: eksempel-1/461-odense#1 is decided on line 2 already" in stderr
    assert f"{sheet}:9: eksempel-1/101-koebenhavn#3 is a change of kind 'comment'" in stderr
    assert f"{sheet}:10: decision 'rejekt' is not one valreg knows; did you mean 'reject'?" in (
        stderr
    )
    assert f"{sheet}:11: a text belongs to 'modify' only" in stderr
    assert f"{sheet}:12: 'reject' needs a reason" in stderr
    assert (example / DECISIONS).read_bytes() == before
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"change,decison\r\neksempel-1/461-odense#1,accept\r\n", ":1: unknown column 'decison'"),
        (b"", ":1: the file is empty"),
        (
            "change;decision;reason\neksempel-1/101-koebenhavn#1;reject;Afvist på mødet\n".encode(
                "cp1252"
            ),
            ":2: not UTF-8 (byte 0xe5); in Excel, save the sheet as 'CSV UTF-8'",
        ),
        (
            b'change,decision,reason\neksempel-1/101-koebenhavn#1,reject,"Fiktivt\n',
            ":2: not valid CSV here",
        ),
        (
            b"change,decision\neksempel-1/461-odense#1,accept,Fiktivt, med komma\n",
            ":2: 4 cells, but the header names 2 columns",
        ),
        (b"change;decision;reason;text\r\n", "no decisions in it"),
    ],
    ids=["unknown-column", "empty", "cp1252", "open-quote", "extra-cells", "header-only"],
)
def test_a_sheet_that_cannot_be_read_is_refused(
    example: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    sheet = tmp_path / "afgoerelser.csv"
    sheet.write_bytes(content)
    result = run_valreg("decide", "--from", str(sheet), *EDITOR, cwd=example)
    assert result.returncode == 1, result
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert git(example, "status", "--porcelain") == ""


def test_a_sheet_replaces_earlier_decisions_and_gives_ids(example: Path, tmp_path: Path) -> None:
    run_valreg("decide", "eksempel-1/461-odense#1", "accept", *EDITOR, cwd=example)
    rows = [
        "change,decision,reason,text,id",
        "eksempel-1/461-odense#1,reject,Fiktivt: alligevel ikke,,",
        "eksempel-1/101-koebenhavn#2,accept,,,digitale-redskaber",
    ]
    sheet = _sheet(tmp_path, rows, sep=",", newline="\n", bom=False)
    result = run_valreg("decide", "--from", str(sheet), *EDITOR, cwd=example)
    assert result.returncode == 0, result.stderr
    assert "eksempel-1/461-odense#1: reject (replaces the earlier decision 'accept')" in (
        result.stdout
    )
    text = _decisions(example)
    assert text.count("- change: eksempel-1/461-odense#1") == 1
    assert "  id: digitale-redskaber\n" in text
    assert run_valreg("check", cwd=example).returncode == 0


# --- a stale change ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "advice"),
    [
        (("accept",), "apply will refuse to accept it as it is: decide 'modify'"),
        (
            ("modify", "--text", "Ny tekst (fiktiv)", "--reason", "Fiktivt"),
            "check that the final text builds on the current one",
        ),
    ],
)
def test_deciding_a_stale_change_warns_and_records(
    example: Path, args: tuple[str, ...], advice: str
) -> None:
    result = run_valreg("decide", "eksempel-1/147-frederiksberg#1", *args, *EDITOR, cwd=example)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"eksempel-1/147-frederiksberg#1: {args[0]}\n"
    assert result.stderr.startswith(
        "valreg: warning: eksempel-1/147-frederiksberg#1 was written against 2019.1, and the "
        "text of data-og-viden has changed since; "
    )
    assert advice in result.stderr
    assert "- change: eksempel-1/147-frederiksberg#1\n" in _decisions(example)


def test_a_stale_change_in_a_sheet_warns_too(example: Path, tmp_path: Path) -> None:
    rows = ["change,decision", "eksempel-1/147-frederiksberg#1,accept"]
    sheet = _sheet(tmp_path, rows, sep=",", newline="\n", bom=False)
    result = run_valreg("decide", "--from", str(sheet), *EDITOR, cwd=example)
    assert result.returncode == 0
    assert "warning: eksempel-1/147-frederiksberg#1 was written against 2019.1" in result.stderr


def test_a_change_that_is_not_stale_gets_no_warning(example: Path) -> None:
    result = run_valreg("decide", "eksempel-1/461-odense#1", "accept", *EDITOR, cwd=example)
    assert result.returncode == 0
    assert result.stderr == ""


# --- the id of an added value --------------------------------------------------------------

ADD = "eksempel-1/101-koebenhavn#2"  # the example round's one add


def test_an_id_for_an_added_value_is_recorded(example: Path) -> None:
    result = run_valreg("decide", ADD, "accept", "--id", "digitale-redskaber", *EDITOR, cwd=example)
    assert result.returncode == 0, result.stderr
    assert "  decision: accept\n  id: digitale-redskaber\n  date: " in _decisions(example)
    assert run_valreg("check", cwd=example).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["eksempel-1/461-odense#1", "accept", "--id", "ny-vaerdi"],
            1,
            "is a change of kind 'amend', which creates none",
        ),
        ([ADD, "reject", "--reason", "Nej", "--id", "ny-vaerdi"], 2, "accept or modify only"),
        ([ADD, "accept", "--id", "Digitale Redskaber"], 2, "e.g. 'digitale-redskaber'"),
        ([ADD, "accept", "--id", "danner-og-uddanner"], 1, "id 'danner-og-uddanner' is taken"),
        ([ADD, "eksempel-1/461-odense#3", "accept", "--id", "ny"], 2, "decide one change"),
    ],
)
def test_a_bad_id_is_refused(example: Path, args: list[str], code: int, message: str) -> None:
    result = run_valreg("decide", *args, *EDITOR, cwd=example)
    assert result.returncode == code, result
    assert message in result.stderr
    assert git(example, "status", "--porcelain") == ""


def test_two_adds_cannot_get_one_id(example: Path) -> None:
    """decide refuses it; a hand-edited decisions.yaml gets D609 from check."""
    proposal = example / "proposals/eksempel-1/175-roedovre.yaml"
    proposal.write_text(
        "# FICTIONAL\nround: eksempel-1\nmunicipality: 175\nsubmitted: 2019-09-20\n"
        "changes:\n"
        '  - id: "1"\n    kind: add\n    after: null\n    text: Vi vil fiktive værdier\n',
        encoding="utf-8",
    )
    second = "eksempel-1/175-roedovre#1"
    assert run_valreg("decide", ADD, "accept", "--id", "ny", *EDITOR, cwd=example).returncode == 0
    refused = run_valreg("decide", second, "accept", "--id", "ny", *EDITOR, cwd=example)
    assert refused.returncode == 1
    assert f"id 'ny' is given to the value of {ADD} too" in refused.stderr
    assert run_valreg("decide", second, "accept", *EDITOR, cwd=example).returncode == 0
    path = example / DECISIONS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"- change: {second}\n", f"- change: {second}\n  id: ny\n"))
    check = run_valreg("check", cwd=example)
    assert check.returncode == 1
    assert f"error D609 id 'ny' is given to the value of {ADD} too" in check.stdout


# --- decide … modify --combine ---------------------------------------------------------------

LEDELSE = (
    "Vi vil dagtilbud og folkeskoler med en stærk faglig ledelse, der er understøttet af en "
    "forvaltning, der sætter rammen"
)
GODE = LEDELSE.replace("Vi vil dagtilbud", "Vi vil gode dagtilbud")
KLAR = LEDELSE.replace("sætter rammen", "sætter en klar ramme")
TRYGGE = LEDELSE.replace("Vi vil dagtilbud", "Vi vil trygge dagtilbud")
BOTH = GODE.replace("sætter rammen", "sætter en klar ramme")
ALBERTSLUND, BALLERUP, VEJLE = (
    "eksempel-1/165-albertslund#1",
    "eksempel-1/151-ballerup#1",
    "eksempel-1/630-vejle#1",
)


@pytest.fixture
def amended(example: Path) -> Path:
    """Three FICTIONAL amendments of staerk-faglig-ledelse, committed: Albertslund's and
    Ballerup's change different words; Vejle's collides with Albertslund's."""
    import json

    for stem, text in (("165-albertslund", GODE), ("151-ballerup", KLAR), ("630-vejle", TRYGGE)):
        (example / f"proposals/eksempel-1/{stem}.yaml").write_text(
            f"# FICTIONAL\nround: eksempel-1\nmunicipality: {stem.split('-')[0]}\n"
            'submitted: 2019-09-20\nchanges:\n  - id: "1"\n    kind: amend\n'
            f"    value: staerk-faglig-ledelse\n    text: {json.dumps(text, ensure_ascii=False)}\n",
            encoding="utf-8",
        )
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "Fictional amendments")
    return example


def test_combine_records_one_text_for_each_change(amended: Path) -> None:
    import yaml

    review = run_valreg("review", "eksempel-1", cwd=amended).stdout
    assert f"! to take it: valreg decide {BALLERUP} {ALBERTSLUND} modify --combine" in review

    result = run_valreg(
        "decide", ALBERTSLUND, BALLERUP, "modify", "--combine", *EDITOR, cwd=amended
    )
    assert result.returncode == 0, result.stderr
    entries = {e["change"]: e for e in yaml.safe_load(_decisions(amended))}
    assert (entries[ALBERTSLUND]["text"], entries[BALLERUP]["text"]) == (BOTH, BOTH)
    assert entries[ALBERTSLUND]["combined_with"] == [BALLERUP]
    assert entries[BALLERUP]["combined_with"] == [ALBERTSLUND]
    assert entries[ALBERTSLUND]["decision"] == "modify"
    assert "Albertslund og Ballerup" in entries[ALBERTSLUND]["reason"]
    assert run_valreg("check", cwd=amended).returncode == 0

    # apply writes the value once, crediting both changes
    git(amended, "add", "--all")
    git(amended, "commit", "--quiet", "-m", "Decisions")
    applied = run_valreg("apply", cwd=amended)
    assert applied.returncode == 0, applied.stderr
    value = (amended / "values/staerk-faglig-ledelse.yaml").read_text("utf-8")
    assert f"text: {BOTH}" in value
    message = git(amended, "log", "-1", "--format=%B")
    assert f"Applies: {BALLERUP}" in message and f"Applies: {ALBERTSLUND}" in message
    assert git(amended, "show", "--name-only", "--format=", "HEAD").split() == [
        "values/staerk-faglig-ledelse.yaml"
    ]

    # the changelog and the report credit every municipality
    import json

    changelog = run_valreg("changelog", "2019.1", "--format", "json", cwd=amended)
    changes = {c["id"]: c for c in json.loads(changelog.stdout)["changes"]}
    for change, other in ((ALBERTSLUND, BALLERUP), (BALLERUP, ALBERTSLUND)):
        assert changes[change]["decision_text"] == "imødekommet ved en samlet formulering"
        assert changes[change]["combined_with"] == [other]
    report = run_valreg("report", "eksempel-1", cwd=amended).stdout
    assert report.count("Imødekommet ved en samlet formulering. Endelig tekst: «" + BOTH) == 2


@pytest.mark.parametrize(
    ("args", "message", "status"),
    [
        (
            (ALBERTSLUND, VEJLE, "modify", "--combine"),
            "both insert at one place: 'gode' and 'trygge'",
            1,
        ),
        ((ALBERTSLUND, "modify", "--combine"), "two or more amendments", 2),
        ((ALBERTSLUND, BALLERUP, "accept", "--combine"), "'modify', not 'accept'", 2),
        ((ALBERTSLUND, BALLERUP, "modify", "--combine", "--text", "x"), "leave out --text", 2),
        (("eksempel-1/461-odense#1", ALBERTSLUND, "modify", "--combine"), "different values", 1),
        (("eksempel-1/461-odense#2", ALBERTSLUND, "modify", "--combine"), "combines amendments", 1),
    ],
)
def test_combine_refusals_write_nothing(
    amended: Path, args: tuple[str, ...], message: str, status: int
) -> None:
    before = _decisions(amended) if (amended / DECISIONS).exists() else None
    result = run_valreg("decide", *args, *EDITOR, cwd=amended)
    assert result.returncode == status, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    after = _decisions(amended) if (amended / DECISIONS).exists() else None
    assert after == before


def test_deciding_one_partner_again_breaks_the_combination(amended: Path) -> None:
    """D610: the other decision still names it, and check says how to mend it."""
    assert (
        run_valreg(
            "decide", ALBERTSLUND, BALLERUP, "modify", "--combine", *EDITOR, cwd=amended
        ).returncode
        == 0
    )
    again = run_valreg("decide", BALLERUP, "accept", *EDITOR, cwd=amended)
    assert again.returncode == 0, again.stderr
    check = run_valreg("check", "--lang", "da", cwd=amended)
    assert check.returncode == 1
    assert "D610" in check.stdout and "modify --combine" in check.stdout
