"""`valreg propose`: a proposal file that checks clean as written and once uncommented."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import DATA, git, run_valreg
from factories import init_example
from valreg.registry import models
from valreg.registry.models import slugify
from valreg.registry.parse import parse_file
from valreg.workflow.propose import (
    ANSWERS_BLOCK,
    BLOCK_END,
    BLOCK_START,
    CHANGES_BLOCK,
    SENDER_BLOCK,
)

GOLDEN = DATA / "golden" / "propose-461.yaml"
ROUND = "proposals/eksempel-1"
ALL_BLOCKS = (SENDER_BLOCK, ANSWERS_BLOCK, CHANGES_BLOCK)


def _epoch(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> str:
    """SOURCE_DATE_EPOCH for a time of day in Copenhagen."""
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Copenhagen"))
    return str(int(moment.timestamp()))


#: 2019-09-20, within round eksempel-1 (deadline 2019-09-30).
IN_TIME = _epoch(2019, 9, 20)


def propose(
    root: Path, *args: str, epoch: str = IN_TIME, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return run_valreg("propose", *args, cwd=cwd or root, env={"SOURCE_DATE_EPOCH": epoch})


def check(root: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return run_valreg("check", "--no-cache", *paths, cwd=root)


def uncomment(text: str, *blocks: str) -> str:
    """Remove the leading `# ` of every line between the markers of the named blocks."""
    out, inside = [], False
    for line in text.split("\n"):
        if line in {BLOCK_START.format(b) for b in blocks}:
            inside = True
        elif line in {BLOCK_END.format(b) for b in blocks}:
            inside = False
        elif inside:
            assert line.startswith("# "), line
            out.append(line[2:])
            continue
        out.append(line)
    assert not inside, "a block was not closed"
    return "\n".join(out)


def commit_file(root: Path, rel: str, content: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(content, encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"test: {rel}")


def test_writes_a_file_that_checks_clean_under_the_next_free_name(example: Path) -> None:
    result = propose(example, "--municipality", "461")
    assert result.returncode == 0, result.stderr
    written = f"{ROUND}/461-odense-2.yaml"
    assert result.stdout == (
        f"wrote {written}\nnext: edit the file, then run valreg check {written}\n"
    )
    assert git(example, "status", "--porcelain") == f"?? {written}\n"
    checked = check(example, written)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == "1 file checked, no problems\n"
    proposal = parse_file(written, (example / written).read_bytes()).model
    assert proposal == models.Proposal(
        round="eksempel-1",
        municipality="461",
        submitted=dt.date(2019, 9, 20),
        base="2019.1",
    )
    again = propose(example, "--municipality", "461")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"wrote {ROUND}/461-odense-3.yaml\n")
    # A municipality without a file yet gets the plain name; the code may have a leading 0.
    first = propose(example, "--municipality", "0173", cwd=example / "values")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"wrote {example.resolve()}/{ROUND}/173-lyngby-taarbaek.yaml\n")
    assert "municipality: 173\n" in (example / ROUND / "173-lyngby-taarbaek.yaml").read_text()


def test_danish_guidance_values_and_questions(example: Path) -> None:
    assert propose(example, "--municipality", "461").returncode == 0
    text = (example / ROUND / "461-odense-2.yaml").read_text(encoding="utf-8")
    assert "\t" not in text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert text.startswith(
        "# Høringssvar fra Odense (kommunekode 461) til runden eksempel-1:\n"
        "# Fiktivt eksempel: høring over første bud\n"
        "# Frist: 2019-09-30 (svar senest den dag).\n"
    )
    lines = text.splitlines()
    for key in ("round", "municipality", "submitted", "base"):
        line = next(i for i, line in enumerate(lines) if line.startswith(f"{key}: "))
        assert lines[line - 1].startswith("# "), f"no comment explains {key}"
    prose = " ".join(text.replace("#", " ").split())
    for explained in (
        "submitted_by er",
        "approved_by er",
        "body er udvalg",
        "date (datoen for godkendelsen)",
        "minutes (et link til referatet)",
        "question er spørgsmålets id, text jeres svar",
        "et id, der er unikt i filen",
        "en kind (ændringens art)",
        "en rationale (begrundelse)",
    ):
        assert explained in prose
    for value in (example / "values").glob("*.yaml"):
        assert f". {value.stem}" in text, value.stem
    # data-og-viden was edited after 2019.1: its current text is shown, and that it changed.
    assert "#  6. data-og-viden (teksten er rettet efter udgave 2019.1)\n" in text
    assert "(fiktiv redaktionel rettelse)" in text
    assert "# q1: Hvordan vil I bruge kerneværdierne i jeres kommune? (fiktivt spørgsmål)\n" in text
    for kind in models.CHANGE_KINDS:
        assert f"#   # {kind}: " in text
        assert f"#     kind: {kind}\n" in text


@pytest.mark.parametrize("blocks", [(CHANGES_BLOCK,), (ANSWERS_BLOCK,), ALL_BLOCKS])
def test_uncommented_examples_still_check_clean(example: Path, blocks: tuple[str, ...]) -> None:
    assert propose(example, "--municipality", "461").returncode == 0
    path = example / ROUND / "461-odense-2.yaml"
    path.write_text(uncomment(path.read_text(encoding="utf-8"), *blocks), encoding="utf-8")
    checked = check(example, f"{ROUND}/461-odense-2.yaml")
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == "1 file checked, no problems\n"
    proposal = parse_file(f"{ROUND}/461-odense-2.yaml", path.read_bytes()).model
    if CHANGES_BLOCK in blocks:
        assert tuple(c.kind for c in proposal.changes) == models.CHANGE_KINDS
        assert all("(eksempel)" in (c.rationale or "") for c in proposal.changes)
    if ANSWERS_BLOCK in blocks:
        assert [a.question for a in proposal.answers] == ["q1"]
    if SENDER_BLOCK in blocks:
        assert proposal.approved_by is not None and proposal.approved_by.body == "udvalg"


def test_golden_file_for_odense(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "461.yaml"
    result = propose(example, "--municipality", "461", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8"), (
        "the generated proposal differs from the golden file; if the change is intended, "
        f"regenerate it: rm {GOLDEN} && valreg init /tmp/golden-example --example && "
        f"SOURCE_DATE_EPOCH={IN_TIME} valreg propose --root /tmp/golden-example "
        f"--municipality 461 --out {GOLDEN}"
    )


def test_out_writes_a_new_file_outside_the_registry(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "svar.yaml"
    result = propose(example, "--municipality", "461", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}\nnext: edit the file, then put it into")
    assert git(example, "status", "--porcelain") == ""
    (example / ROUND / "461-odense-svar.yaml").write_bytes(out.read_bytes())
    assert check(example, f"{ROUND}/461-odense-svar.yaml").returncode == 0
    # Inside the registry, --out must name a proposal of this round and municipality.
    inside = propose(example, "--municipality", "461", "--out", f"{ROUND}/461-mit-svar.yaml")
    assert inside.returncode == 0, inside.stderr
    assert check(example, f"{ROUND}/461-mit-svar.yaml").returncode == 0


@pytest.mark.parametrize(
    ("args", "epoch", "status", "message"),
    [
        (
            ["--municipality", "999"],
            IN_TIME,
            2,
            "municipality 999 is not in this registry; look the code up in "
            "registry/municipalities.yaml (e.g. 101 København, 147 Frederiksberg, 151 Ballerup)",
        ),
        (["--municipality", "Odense"], IN_TIME, 2, "did you mean 461 (Odense)?"),
        (["--municipality", "461", "--round", "nope"], IN_TIME, 2, "round 'nope' does not exist"),
        (
            ["--municipality", "461"],
            _epoch(2019, 10, 1, 0, 30),  # 30 minutes past the deadline day, in Copenhagen
            1,
            "round eksempel-1's deadline was 2019-09-30 (today is 2019-10-01); to submit late "
            "anyway, pass --late",
        ),
        (["--municipality", "461", "--out", "values/x.yaml"], IN_TIME, 2, "inside the registry"),
        (
            ["--municipality", "461", "--out", f"{ROUND}/147-frederiksberg-2.yaml"],
            IN_TIME,
            2,
            f"must be {ROUND}/461-<name>.yaml",
        ),
        (["--municipality", "461", "--out", f"{ROUND}/461-odense.yaml"], IN_TIME, 2, "exists"),
        (["--municipality", "461", "--out", "nowhere/x.yaml"], IN_TIME, 2, "does not exist"),
    ],
)
def test_refusals_write_nothing(
    example: Path, args: list[str], epoch: str, status: int, message: str
) -> None:
    before = git(example, "status", "--porcelain", "--ignored")
    result = propose(example, *args, epoch=epoch)
    assert result.returncode == status, result
    assert result.stderr.startswith("valreg: error: ")
    assert message in result.stderr
    assert result.stdout == ""
    assert git(example, "status", "--porcelain", "--ignored") == before == ""


def test_deadline_day_counts_in_copenhagen_and_late_allows_after(example: Path) -> None:
    last_minute = propose(example, "--municipality", "461", epoch=_epoch(2019, 9, 30, 23, 30))
    assert last_minute.returncode == 0, last_minute.stderr
    assert "submitted: 2019-09-30\n" in (example / ROUND / "461-odense-2.yaml").read_text()
    late = propose(example, "--municipality", "461", "--late", epoch=_epoch(2019, 10, 5))
    assert late.returncode == 0, late.stderr
    assert "submitted: 2019-10-05\n" in (example / ROUND / "461-odense-3.yaml").read_text()
    checked = check(example, f"{ROUND}/461-odense-3.yaml")
    assert checked.returncode == 0
    assert "warning P508 submitted 2019-10-05, after the deadline 2019-09-30" in checked.stdout


def test_a_closed_round_takes_no_proposals(example: Path) -> None:
    round_file = example / "registry/rounds/eksempel-1/round.yaml"
    commit_file(
        example,
        "registry/rounds/eksempel-1/round.yaml",
        round_file.read_text(encoding="utf-8") + "closed: true\n",
    )
    named = propose(example, "--municipality", "461", "--round", "eksempel-1", "--late")
    assert named.returncode == 1
    assert "round eksempel-1 is closed and takes no new proposals" in named.stderr
    unnamed = propose(example, "--municipality", "461")
    assert unnamed.returncode == 2
    assert "no round is open; name the round: eksempel-1 (closed)" in unnamed.stderr
    assert git(example, "status", "--porcelain", "--ignored") == ""


def test_a_round_without_base_lists_the_current_values(example: Path) -> None:
    commit_file(
        example,
        "registry/rounds/spoergsmaal/round.yaml",
        "id: spoergsmaal\ntitle: Fiktive spørgsmål\ndeadline: 2019-12-31\nquestions:\n"
        "  - id: q1\n    text: Første spørgsmål?\n  - id: q2\n    text: Andet spørgsmål?\n",
    )
    two_open = propose(example, "--municipality", "461")
    assert two_open.returncode == 2
    assert "more than one round is open" in two_open.stderr
    result = propose(example, "--municipality", "461", "--round", "spoergsmaal")
    assert result.returncode == 0, result.stderr
    path = example / "proposals/spoergsmaal/461-odense.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nbase:" not in text
    assert "# Værdierne, som de står nu" in text
    assert "(fiktiv redaktionel rettelse)" in text and "rettet efter" not in text
    assert "# q2: Andet spørgsmål?\n" in text
    path.write_text(uncomment(text, *ALL_BLOCKS), encoding="utf-8")
    checked = check(example, "proposals/spoergsmaal/461-odense.yaml")
    assert checked.stdout == "1 file checked, no problems\n"
    model = parse_file("proposals/spoergsmaal/461-odense.yaml", path.read_bytes()).model
    assert [a.question for a in model.answers] == ["q1", "q2"]


def test_a_registry_without_values_gets_the_examples_it_can_hold(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert run_valreg("init", str(root)).returncode == 0
    commit_file(
        root,
        "registry/municipalities.yaml",
        '- code: "851"\n  name: Aalborg\n  region: Region Nordjylland\n',
    )
    commit_file(
        root,
        "registry/rounds/r1/round.yaml",
        "id: r1\ntitle: Første runde\ndeadline: 2019-12-31\n",
    )
    result = propose(root, "--municipality", "851")
    assert result.returncode == 0, result.stderr
    path = root / "proposals/r1/851-aalborg.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# (Der er ingen værdier endnu.)\n" in text
    assert "# Runden stiller ingen spørgsmål.\n" in text
    path.write_text(uncomment(text, SENDER_BLOCK, CHANGES_BLOCK), encoding="utf-8")
    assert check(root, "proposals/r1/851-aalborg.yaml").returncode == 0
    model = parse_file("proposals/r1/851-aalborg.yaml", path.read_bytes()).model
    assert [c.kind for c in model.changes] == ["add", "comment"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Odense", "odense"),
        ("Lyngby-Taarbæk", "lyngby-taarbaek"),
        ("Høje-Taastrup", "hoeje-taastrup"),
        ("Ærø", "aeroe"),
        ("Brøndby", "broendby"),
        ("København", "koebenhavn"),
        ("Tårnby", "taarnby"),
        ("A\u030arhus", "aarhus"),  # å written as a + combining ring
        ("Île d'Émile", "ile-d-emile"),
        ("  ", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_value_retired_since_the_base_is_listed_but_not_used(example: Path) -> None:
    value = example / "values/sammenhaeng-til-ungdomsuddannelse.yaml"
    commit_file(
        example,
        "values/sammenhaeng-til-ungdomsuddannelse.yaml",
        value.read_text(encoding="utf-8") + "status: retired\n",
    )
    assert propose(example, "--municipality", "461").returncode == 0
    path = example / ROUND / "461-odense-2.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# 11. sammenhaeng-til-ungdomsuddannelse (udgået efter udgave 2019.1)\n" in text
    path.write_text(uncomment(text, CHANGES_BLOCK), encoding="utf-8")
    assert check(example, f"{ROUND}/461-odense-2.yaml").returncode == 0
    model = parse_file(f"{ROUND}/461-odense-2.yaml", path.read_bytes()).model
    assert "sammenhaeng-til-ungdomsuddannelse" not in str(model.changes)
    assert model.changes[1].after == "initiativer-nedefra"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("registry/releases/2019.1.yaml", "base release 2019.1 is missing or invalid"),
        ("values/lokalmiljoeet.yaml", "values/lokalmiljoeet.yaml (in release 2019.1) is missing"),
        ("registry/municipalities.yaml", "registry/municipalities.yaml is missing or invalid"),
    ],
)
def test_an_invalid_registry_is_refused(example: Path, broken: str, message: str) -> None:
    (example / broken).write_text("- [\n", encoding="utf-8")
    before = git(example, "status", "--porcelain")
    result = propose(example, "--municipality", "461")
    assert result.returncode == 1, result
    assert message in result.stderr and "run valreg check" in result.stderr
    assert git(example, "status", "--porcelain") == before


def test_a_big_registry_lists_a_part_and_stays_under_the_size_limit(tmp_path: Path) -> None:
    from valreg.registry.snapshot import load_snapshot
    from valreg.registry.yamlio import MAX_AUTHORED_BYTES
    from valreg.workflow.propose import MAX_LISTED, render_proposal
    from valreg.workflow.state import select_round

    root = tmp_path / "example"
    init_example(root)
    long_text = "Vi vil dagtilbud og folkeskoler, der " + "styrker fællesskabet " * 90
    for n in range(12, 2_012):
        (root / f"values/v{n}.yaml").write_text(
            f"id: v{n}\nnumber: {n}\ntext: {long_text}(fiktiv {n})\n", encoding="utf-8"
        )
    round_file = root / "registry/rounds/eksempel-1/round.yaml"  # no base: list today's values
    round_file.write_text(
        round_file.read_text(encoding="utf-8").replace('base: "2019.1"\n', ""), encoding="utf-8"
    )
    snapshot = load_snapshot(root)
    municipality = snapshot.municipalities["461"]
    text = render_proposal(
        snapshot, select_round(snapshot, None), municipality, dt.date(2019, 9, 20)
    )
    assert len(text.encode("utf-8")) < MAX_AUTHORED_BYTES
    assert f"… og {2_011 - MAX_LISTED} værdier mere" in text
    parsed = parse_file("proposals/eksempel-1/461-odense-2.yaml", text.encode("utf-8"))
    assert parsed.diagnostics == ()
