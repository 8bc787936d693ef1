"""`valreg intake`: received answers (tests/data/intake/, all fictional) become proposals
that `valreg check` accepts, with nothing of the answer lost and no contact details kept."""

from __future__ import annotations

import datetime as dt
import email.message
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, git, run_valreg
from factories import init_example
from valreg.errors import Refused
from valreg.registry.diagnostics import Severity
from valreg.registry.parse import parse_file
from valreg.workflow.intake import Request, intake_answers

INTAKE = DATA / "intake"
HOSTILE = INTAKE / "hostile"
ROUND = "eksempel-1"


@pytest.fixture(scope="module")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_example(tmp_path_factory.mktemp("intake") / "example")


@pytest.fixture
def example(example_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of `valreg init --example` (round eksempel-1 open, question q1)."""
    return Path(shutil.copytree(example_template, tmp_path / "example", symlinks=True))


@dataclass(frozen=True)
class Case:
    file: str
    code: int
    submitted: str | None  # None: today (the file carries no date)
    answer: str | None  # a phrase of the q1 answer
    comments: dict[str, str]  # value id → a phrase of the comment on it
    general: tuple[str, ...]  # phrases of the general comment
    personal: tuple[str, ...]  # what must not be in the file


CASES = [
    Case(
        "odense-mail-med-word.eml",
        461,
        "2019-09-26",
        "ramme, når vi reviderer",
        {"boernene-forrest": "børnene også skal høres"},
        ("Hermed Odense Kommunes høringssvar", "behandlet i Børn- og Ungeudvalget"),
        ("Lise Fiktiv Jensen", "65 51 99 99", "lfj@odense.dk", "Chefkonsulent"),
    ),
    Case(
        "aarhus-svar.msg",
        751,
        "2019-09-27",
        "indgå i kvalitetsrapporten",
        {"data-og-viden": "børnenes egne\n   oplevelser"},
        ("sender hermed sit svar", "ingen yderligere bemærkninger"),
        ("Mette Fiktiv", "87 13 00 00", "mfs@aarhus.dk"),
    ),
    Case(
        "kolding-svar-med-citat.txt",
        621,
        None,
        "nye sammenhængende børnepolitik.\n\nDet sker i foråret.",
        {"samarbejde-med-foraeldre": "bedsteforældre"},
        ("svarer mellem linjerne",),
        ("hoering@kl.dk", "post@kolding.dk", "Oprindelig meddelelse", "KL sender hermed"),
    ),
    Case(
        "esbjerg-underskrift.eml",
        561,
        "2019-09-30",  # 23:30 UTC on the 29th is the 30th in Copenhagen
        "dialogen med skolebestyrelserne",
        {"lokalmiljoeet": "foreningslivet"},
        ("Til KL",),
        ("Peter Fiktiv Madsen", "Torvegade 74", "20 30 40 50", "pfm@esbjerg.dk"),
    ),
    Case(
        "herning-svar.docx",
        657,
        None,
        "alle skolebestyrelser",
        {"danner-og-uddanner": "»udvikler«"},
        ("bakker op om sættet",),
        (),
    ),
    Case(
        "issue-formular.md",
        330,
        "2019-09-25",
        '"NO", 0101 og {{ skabelon }} er bare tekst - # ikke en kommentar.',
        {"tvaerprofessionelt-samarbejde": "sundhedsplejen nævnes"},
        (),
        (),
    ),
    Case(
        "issue-event.json",
        330,
        "2019-09-25",
        "bare tekst",
        {"tvaerprofessionelt-samarbejde": "sundhedsplejen nævnes"},
        (),
        (),
    ),
]


def _texts(model: object) -> str:
    changes = getattr(model, "changes", [])
    answers = getattr(model, "answers", [])
    return "\n".join([*(c.text for c in changes if hasattr(c, "text")), *(a.text for a in answers)])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_a_received_answer_becomes_a_proposal_that_checks_clean(example: Path, case: Case) -> None:
    before = set((example / "proposals" / ROUND).iterdir())
    result = run_valreg("intake", str(INTAKE / case.file), cwd=example)
    assert result.returncode == 0, result.stderr
    (written,) = set((example / "proposals" / ROUND).iterdir()) - before
    assert written.name.startswith(f"{case.code}-") and written.suffix == ".yaml"
    assert f"wrote proposals/{ROUND}/{written.name}" in result.stdout

    checked = run_valreg("check", "--format", "json", cwd=example)
    errors = [d for d in json.loads(checked.stdout)["diagnostics"] if d["severity"] == "error"]
    assert errors == [], errors
    parsed = parse_file(f"proposals/{ROUND}/{written.name}", written.read_bytes())
    assert parsed.model is not None
    proposal = parsed.model
    assert int(proposal.municipality) == case.code
    today_or_date = proposal.submitted.isoformat()
    if case.submitted is not None:
        assert today_or_date == case.submitted
    answers = {a.question: a.text for a in proposal.answers}
    if case.answer is not None:
        assert case.answer in answers["q1"]
    comments = [c for c in proposal.changes if c.kind == "comment"]
    for value, phrase in case.comments.items():
        assert any(c.value == value and phrase in c.text for c in comments), (value, comments)
    general = "\n".join(c.text for c in comments if c.value is None)
    for phrase in case.general:
        assert phrase in general
    text = written.read_text(encoding="utf-8")
    for secret in case.personal:
        assert secret not in text
        assert secret not in _texts(proposal)


def test_the_issue_form_gives_approval_sender_and_rationale(example: Path) -> None:
    result = run_valreg("intake", str(INTAKE / "issue-formular.md"), "--dry-run", cwd=example)
    assert result.returncode == 0, result.stderr
    assert "from the form's code" in result.stdout
    assert "approved by: udvalg" in result.stdout
    assert "body: udvalg" in result.stdout and "date: 2019-09-18" in result.stdout
    assert "minutes: https://www.example.dk/referat-fiktivt" in result.stdout
    assert "submitted_by: Uddannelsesudvalget" in result.stdout
    assert "rationale: Sundhedsplejen er ofte den første faglige kontakt" in result.stdout


def test_the_output_says_what_was_recognised_removed_and_left(example: Path) -> None:
    result = run_valreg("intake", str(INTAKE / "esbjerg-underskrift.eml"), "--dry-run", cwd=example)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "municipality: 561 Esbjerg (from the sender's domain esbjerg.dk" in out
    assert "submitted: 2019-09-30 (from the mail's date)" in out
    assert "answer to q1:" in out and "comment on værdi 4 (lokalmiljoeet)" in out
    assert "signature block: Venlig hilsen | Peter Fiktiv Madsen" in out
    assert "kept word for word in a general comment (1)" in out


def test_dry_run_prints_the_file_and_writes_nothing(example: Path) -> None:
    status = git(example, "status", "--porcelain")
    dry = run_valreg("intake", str(INTAKE / "aarhus-svar.msg"), "--dry-run", cwd=example)
    assert dry.returncode == 0, dry.stderr
    assert git(example, "status", "--porcelain") == status
    shown = dry.stdout.split(f"would write proposals/{ROUND}/751-aarhus-2.yaml:\n", 1)[1]
    real = run_valreg("intake", str(INTAKE / "aarhus-svar.msg"), cwd=example)
    assert real.returncode == 0, real.stderr
    assert (example / "proposals" / ROUND / "751-aarhus-2.yaml").read_text("utf-8") == shown


@pytest.mark.parametrize("hostile", sorted(HOSTILE.iterdir()), ids=lambda p: p.name)
def test_a_file_intake_cannot_read_is_refused_with_its_reason(example: Path, hostile: Path) -> None:
    status = git(example, "status", "--porcelain", "--ignored")
    result = run_valreg("intake", str(hostile), cwd=example)
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("valreg: error: "), result.stderr
    assert hostile.name in lines[0] and "Traceback" not in result.stderr
    assert git(example, "status", "--porcelain", "--ignored") == status


def test_one_refused_file_means_none_is_written(example: Path) -> None:
    status = git(example, "status", "--porcelain")
    result = run_valreg(
        "intake", str(INTAKE / "aarhus-svar.msg"), str(HOSTILE / "latin1.txt"), cwd=example
    )
    assert result.returncode == 1 and "latin1.txt" in result.stderr
    assert git(example, "status", "--porcelain") == status


def test_two_answers_of_one_municipality_get_two_names(example: Path) -> None:
    answer = INTAKE / "esbjerg-underskrift.eml"
    result = run_valreg("intake", str(answer), str(answer), cwd=example)
    assert result.returncode == 0, result.stderr
    assert "561-esbjerg-2.yaml" in result.stdout and "561-esbjerg-3.yaml" in result.stdout


def test_a_closed_round_takes_an_answer_only_with_late(example: Path) -> None:
    round_file = example / "registry/rounds" / ROUND / "round.yaml"
    round_file.write_text(round_file.read_text("utf-8") + "closed: true\n", encoding="utf-8")
    answer = str(INTAKE / "esbjerg-underskrift.eml")
    refused = run_valreg("intake", answer, "--round", ROUND, cwd=example)
    assert refused.returncode == 1 and "--late" in refused.stderr
    assert not (example / "proposals" / ROUND / "561-esbjerg-2.yaml").exists()
    late = run_valreg("intake", answer, "--round", ROUND, "--late", cwd=example)
    assert late.returncode == 0, late.stderr
    assert (example / "proposals" / ROUND / "561-esbjerg-2.yaml").is_file()


def test_an_issue_author_must_be_listed_for_the_municipality(example: Path) -> None:
    event = str(INTAKE / "issue-event.json")
    refused = run_valreg("intake", event, "--author", "slagelse-fiktiv", cwd=example)
    assert refused.returncode == 1
    assert "valreg access grant 330 slagelse-fiktiv" in refused.stderr
    granted = run_valreg("access", "grant", "330", "slagelse-fiktiv", cwd=example)
    assert granted.returncode == 0, granted.stderr
    taken = run_valreg("intake", event, "--author", "slagelse-fiktiv", "--dry-run", cwd=example)
    assert taken.returncode == 0, taken.stderr
    assert "the issue's author slagelse-fiktiv, listed for it" in taken.stdout
    # A login listed for another municipality may not answer for Slagelse.
    assert run_valreg("access", "grant", "461", "odense-fiktiv", cwd=example).returncode == 0
    other = run_valreg("intake", event, "--author", "odense-fiktiv", cwd=example)
    assert other.returncode == 1 and "the form names Slagelse (330)" in other.stderr


def test_out_dir_writes_the_file_outside_the_registry(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_valreg(
        "intake", str(INTAKE / "issue-event.json"), "--out-dir", str(out), cwd=example
    )
    assert result.returncode == 0, result.stderr
    # Free in the registry too (it has 330-slagelse.yaml), so the file can go in as it is.
    assert (out / "proposals" / ROUND / "330-slagelse-2.yaml").is_file()
    assert git(example, "status", "--porcelain") == ""


def test_a_listed_mail_domain_names_the_municipality(example: Path, tmp_path: Path) -> None:
    municipalities = example / "registry/municipalities.yaml"
    text = municipalities.read_text("utf-8")
    marker = "name: København\n"
    assert marker in text
    municipalities.write_text(
        text.replace(marker, marker + "  domains: [kk.dk]\n", 1), encoding="utf-8"
    )
    assert run_valreg("check", cwd=example).returncode == 0
    mail = email.message.EmailMessage()
    mail["From"] = "Børne- og Ungdomsforvaltningen <post@buf.kk.dk>"
    mail["Date"] = "Mon, 23 Sep 2019 10:00:00 +0200"
    mail.set_content("Vi har ingen bemærkninger (FIKTIVT EKSEMPEL).")
    answer = tmp_path / "svar.eml"
    answer.write_bytes(bytes(mail))
    result = run_valreg("intake", str(answer), "--dry-run", cwd=example)
    assert result.returncode == 0, result.stderr
    assert "101 København (from the sender's domain buf.kk.dk (listed for it))" in result.stdout


def test_a_domain_that_is_no_domain_fails_check(example: Path) -> None:
    municipalities = example / "registry/municipalities.yaml"
    text = municipalities.read_text("utf-8")
    municipalities.write_text(
        text.replace("name: København\n", "name: København\n  domains: [Kk.dk/x]\n", 1),
        encoding="utf-8",
    )
    result = run_valreg("check", cwd=example)
    assert result.returncode == 1 and "registry/municipalities.yaml:" in result.stdout


def test_an_html_mail_and_a_long_answer_keep_every_word(example: Path, tmp_path: Path) -> None:
    sentences = [f"Sætning nummer {n} om kerneværdierne i Odense Kommune." for n in range(400)]
    mail = email.message.EmailMessage()
    mail["From"] = "post@odense.dk"
    mail["Date"] = "Mon, 23 Sep 2019 10:00:00 +0200"
    mail.set_content(
        "<html><head><style>p {color: red}</style></head><body>"
        + "".join(f"<p>{s}</p>" for s in sentences)
        + "<script>alert(1)</script></body></html>",
        subtype="html",
    )
    answer = tmp_path / "lang.eml"
    answer.write_bytes(bytes(mail))
    result = run_valreg("intake", str(answer), cwd=example)
    assert result.returncode == 0, result.stderr
    assert run_valreg("check", cwd=example).returncode == 0
    written = example / "proposals" / ROUND / "461-odense-2.yaml"
    model = parse_file(f"proposals/{ROUND}/{written.name}", written.read_bytes()).model
    assert model is not None
    texts = [c.text for c in model.changes if c.kind == "comment"]
    assert len(texts) > 1 and all(len(t) <= 2000 for t in texts)
    joined = "\n\n".join(texts)
    assert all(s in joined for s in sentences)
    assert "alert" not in joined and "color" not in joined


def test_a_word_file_that_unpacks_too_large_is_refused(example: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 << 20))
    result = run_valreg("intake", str(bomb), "--municipality", "461", cwd=example)
    assert result.returncode == 1 and "too large" in result.stderr


_TEXT = st.text(
    st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400
) | st.sampled_from(
    [
        "Værdi 3: ja\n\nq1: nej",
        "> Hvordan vil I bruge kerneværdierne i jeres kommune?\n\nSådan.",
        "Med venlig hilsen\nNN\nTlf. 12 34 56 78",
        ": - # NO 0101 {{ x }} <script>\t\u202e\x00\r\n",
        "Spørgsmål 1\n\nSpørgsmål 1\n\npkt. 99 og værdi 0",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_TEXT)
def test_any_text_gives_a_valid_proposal_or_a_refusal(example_template: Path, text: str) -> None:
    """Whatever a mail says, intake writes a valid proposal or refuses; it never crashes."""
    source = example_template.parent / "any.txt"
    source.write_text(text, encoding="utf-8", newline="")
    try:
        (intake,) = intake_answers(
            example_template,
            [source],
            Request(municipality="461"),
            today=dt.date(2019, 9, 20),
            dry_run=True,
        )
    except Refused:
        return
    parsed = parse_file(f"proposals/{ROUND}/{intake.path.name}", intake.text.encode("utf-8"))
    assert parsed.model is not None
    assert [d for d in parsed.diagnostics if d.severity == Severity.ERROR] == []


def test_what_the_approval_field_says_beyond_body_date_and_link_is_kept(
    example: Path, tmp_path: Path
) -> None:
    form = (INTAKE / "issue-formular.md").read_text(encoding="utf-8")
    extra = "Uddannelsesudvalget, 2019-09-18, https://www.example.dk/referat-fiktivt"
    assert extra in form
    answer = tmp_path / "formular.md"
    answer.write_text(
        form.replace(extra, extra + ", med forbehold for økonomien (fiktivt)"), encoding="utf-8"
    )
    result = run_valreg("intake", str(answer), "--dry-run", cwd=example)
    assert result.returncode == 0, result.stderr
    assert "minutes: https://www.example.dk/referat-fiktivt" in result.stdout
    assert "med forbehold for økonomien (fiktivt)" in result.stdout
