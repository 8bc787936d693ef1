"""`valreg report` (the høringsnotat) on real repositories: golden files for Markdown and
HTML, the Word document read back, the real registry's rounds, Danish order, the day
count, hostile text, no editor's login, atomic --out and exit codes."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from conftest import DATA, REPO, VALREG, HtmlPage, assert_golden, git, parse_html, run_valreg
from factories import decide_everything, init_example
from valreg.danish import danish_key
from valreg.publishing.report import Report, build_report
from valreg.publishing.report.build import Approval, Hearing
from valreg.publishing.report.docx import render_docx
from valreg.publishing.report.html import render_html
from valreg.publishing.report.markdown import render_markdown
from valreg.publishing.report.wording import DECISION_WORDS, STANDING_WORDS, safe_url
from valreg.registry.snapshot import load_snapshot
from valreg.workflow.state import Standing, select_round, standings

GOLDEN = DATA / "golden"
EPOCH = "1574000000"  # 2019-11-17
TODAY = dt.date(2019, 11, 17)
EDITOR_LOGIN = "kl-redaktion"
SECTIONS = ["Høringen", "Høringssvarene", "Spørgsmål", "Sammenfatning"]
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "link": "[x](javascript:alert(1))",
    "image": "![billede](https://example.invalid/x.png)",
    "html_entity": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "pipe": "a | b",
}
# A FICTIONAL proposal whose every text is hostile (round eksempel-1, Middelfart).
HOSTILE_PROPOSAL = f"""\
# FICTIONAL hostile proposal for the tests.
round: eksempel-1
municipality: 410
submitted: 2019-09-28
submitted_by: '{HOSTILE["pipe"]} <b>udvalg</b> (fiktivt)'
approved_by:
  body: udvalg
  date: 2019-09-26
  minutes: 'https://example.invalid/referat?a="><script>alert(1)</script>'
changes:
  - id: "1"
    kind: amend
    value: staerk-faglig-ledelse
    text: '{HOSTILE["script"]} (fiktivt)'
    rationale: '{HOSTILE["image"]} (fiktivt)'
  - id: "2"
    kind: add
    after: null
    text: '{HOSTILE["img"].replace("'", "''")} (fiktivt)'
  - id: "3"
    kind: comment
    text: '{HOSTILE["link"]} {HOSTILE["html_entity"]} (fiktivt)'
answers:
  - question: q1
    text: '{HOSTILE["script"]} (fiktivt svar)'
"""
# The same text as Odense's, with a decomposed å and extra spaces.
VEJLE_PROPOSAL = """\
# FICTIONAL example proposal for the tests.
round: eksempel-1
municipality: 630
submitted: 2019-09-29
changes:
  - id: "1"
    kind: amend
    value: danner-og-uddanner
    text: "Vi vil dagtilbud og folkeskoler,  der ba\u030ade danner,
      uddanner og udvikler (fiktivt forslag)"
"""


def report(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """`valreg report ARGS` at EPOCH; it succeeds and never names an editor."""
    result = run_valreg("report", *args, cwd=root, env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    assert result.returncode == 0, result.stderr
    assert EDITOR_LOGIN not in result.stdout
    return result.stdout


def report_bytes(root: Path, *args: str) -> bytes:
    """`valreg report ARGS` with its standard output as bytes (a pipe, not a terminal)."""
    result = subprocess.run(
        [str(VALREG), "report", *args],
        cwd=root,
        capture_output=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def decided_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example round with a decision of every kind on every change (not applied)."""
    root = tmp_path_factory.mktemp("decided") / "example"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        init_example(root)
        decide_everything(root)
        yield root


@pytest.fixture(scope="module")
def hostile_template(decided_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """…plus a hostile proposal, a duplicate written differently, and a hostile reason."""
    root = Path(shutil.copytree(decided_template, tmp_path_factory.mktemp("hostile") / "ex"))
    folder = root / "proposals/eksempel-1"
    (folder / "410-middelfart.yaml").write_text(HOSTILE_PROPOSAL, encoding="utf-8")
    (folder / "630-vejle.yaml").write_text(VEJLE_PROPOSAL, encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Fictional hostile proposals")
    result = run_valreg(
        "decide",
        "eksempel-1/410-middelfart#3",
        "reject",
        "--reason",
        f"{HOSTILE['script']} (fiktivt)",
        "--editor",
        EDITOR_LOGIN,
        cwd=root,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_files(decided_template: Path, fmt: str) -> None:
    output = report(decided_template, "eksempel-1", "--format", fmt)
    golden = GOLDEN / f"report-example.{fmt}"
    assert_golden(output, golden)


def test_every_decision_in_the_library_report(decided_template: Path) -> None:
    built = build_report(decided_template, None, today=TODAY)
    assert built.round_id == "eksempel-1" and built.hearing.days == 29
    items = {item.id: item for item in built.items}
    (forrest,) = items["boernene-forrest"].proposals
    assert [p.name for p in forrest.proposers] == ["Herning", "Kolding"]
    assert [(v.decision, v.names) for v in forrest.verdicts] == [
        ("accept", ("Kolding",)),
        ("reject", ("Herning",)),
    ]
    assert items["forskning-af-hoej-kvalitet"].outcome.status == "retired"
    assert items["lokalmiljoeet"].outcome.merged_into == "samarbejde-med-foraeldre"
    assert items["lokalmiljoeet"].merged_with == ("samarbejde-med-foraeldre",)
    assert items["initiativer-nedefra"].outcome.number == 1
    data = items["data-og-viden"]
    assert data.outcome.text == data.proposals[0].verdicts[0].text  # modify's final text
    assert data.text is not None and "lykkes bedre" in data.text  # the 2019.1 text
    (added,) = [item for item in built.items if item.id is None]
    assert added.outcome.status == "added" and added.outcome.number == 6
    assert added.proposals[0].verdicts[0].decision == "modify"
    assert [c.verdicts[0].decision for c in built.general_comments] == ["note"]
    assert built.summary.approvals == {"udvalg": 2, "forvaltning": 1, "ikke oplyst": 7}
    assert built.summary.by_decision == {
        "accept": 5,
        "modify": 2,
        "reject": 3,
        "note": 2,
        "undecided": 0,
    }
    assert [r.number for r in built.result] == list(range(1, 11))
    odense = next(r for r in built.hearing.respondents if r.name == "Odense")
    assert odense.approvals == (Approval("udvalg", dt.date(2019, 9, 17), None),)
    md = render_markdown(built)
    assert "*Redaktionens kommentar til Herning:* Ikke imødekommet." in md
    assert "godkendt politisk (udvalg) den 17. september 2019" in md
    assert "**Resultat:** Udgår; lagt sammen med nr. 4 (samarbejde-med-foraeldre)." in md
    for words in DECISION_WORDS.values():
        assert words in md


def test_the_same_report_after_apply(decided_template: Path, tmp_path: Path) -> None:
    """The resulting texts are computed from the base release, so applying the decisions
    changes nothing in the report."""
    root = Path(shutil.copytree(decided_template, tmp_path / "applied"))
    before = report(root)
    assert run_valreg("apply", cwd=root, env={"SOURCE_DATE_EPOCH": EPOCH}).returncode == 0
    assert report(root) == before


def test_the_word_document(decided_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "notat.docx"
    result = run_valreg(
        "report", "--format", "docx", "--out", str(out), cwd=decided_template,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout == ""
    data = out.read_bytes()
    assert report_bytes(decided_template, "--format", "docx") == data  # a pipe, reproducible
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style is not None]
    assert [text for style, text in headings if style == "Heading 1"] == SECTIONS
    assert ("Title", "Høringsnotat: Fiktivt eksempel: høring over første bud") in headings
    assert ("Heading 2", "1. danner-og-uddanner") in headings
    respondents = document.tables[0]
    assert len(respondents.rows) == 99
    assert [c.text for c in respondents.rows[0].cells] == [
        "Kommune",
        "Svar",
        "Modtaget",
        "Afsender",
        "Godkendelse",
    ]
    snapshot = load_snapshot(decided_template)
    expected = standings(snapshot, select_round(snapshot, "eksempel-1"))
    by_name = {snapshot.municipalities[code].name: s for code, s in expected.items()}
    rows = [[c.text for c in row.cells] for row in respondents.rows[1:]]
    assert {row[0]: row[1] for row in rows} == {n: STANDING_WORDS[s] for n, s in by_name.items()}
    names = [row[0] for row in rows]
    assert names == sorted(names, key=danish_key)
    odense = next(row for row in rows if row[0] == "Odense")
    assert odense[4] == "godkendt politisk (udvalg) den 17. september 2019"
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert any("Delvist imødekommet. Endelig tekst:" in text for text in cells)
    assert any("Herning: Ikke imødekommet." in text for text in cells)


def test_the_real_registry(tmp_path: Path) -> None:
    first = build_report(REPO, "2019-1", today=TODAY)
    hearing = first.hearing
    assert (hearing.base, hearing.days, hearing.answered_elsewhere) == ("2019.1", 37, 22)
    assert len(hearing.respondents) == 98
    assert {r.standing for r in hearing.respondents} == {Standing.NO_ANSWER}
    values = {p.model.id: p.model.text for p in load_snapshot(REPO).valid("value")}
    assert {i.id: i.text for i in first.items} == values
    assert all(i.outcome.status == "kept" and not i.proposals for i in first.items)
    md = render_markdown(first)
    assert "Høringsperiode: 18. marts 2019 – 23. april 2019 (37 dage, begge dage medregnet)." in md
    assert (
        "Derudover er der modtaget 22 høringssvar uden for registret, som ikke offentliggøres "
        "her." in md
    )
    names = [r.name for r in hearing.respondents]
    order = [names.index(n) for n in ("Odense", "Vejle", "Ærø", "Aabenraa", "Aalborg", "Aarhus")]
    assert order == sorted(order) and names[-3:] == ["Aabenraa", "Aalborg", "Aarhus"]

    second = build_report(REPO, "2019-2", today=TODAY)
    assert second.hearing.base is None and second.items == () and second.result == ()
    assert [q.id for q in second.questions] == ["q1", "q2"]
    md = render_markdown(second)
    assert "Høringsfrist: 1. november 2019." in md
    assert "Høringen omfattede ingen udgave af værdierne, så der er ingen forslag" in md
    for text in (md, render_html(second)):
        assert "ingen udgave af værdierne" in text
    assert docx.Document(io.BytesIO(render_docx(second))).tables

    # Through the CLI: no round is open, so it must be named.
    refused = run_valreg("report", "--root", str(REPO))
    assert refused.returncode == 2
    assert "no round is open; name the round: 2019-1 (closed), 2019-2 (closed)" in refused.stderr
    assert "## Spørgsmål" in report(tmp_path, "2019-2", "--root", str(REPO))


def test_danish_alphabetical_order() -> None:
    names = ["Aarhus", "Vejle", "Åby", "Ølstykke", "Aabenraa", "Odense", "Ærø", "Aalborg"]
    assert sorted(names, key=danish_key) == [
        "Odense",
        "Vejle",
        "Ærø",
        "Ølstykke",
        "Aabenraa",
        "Åby",  # Aa is Å: Åb… before Ål…
        "Aalborg",
        "Aarhus",
    ]
    assert danish_key("Aabenraa") == danish_key("Åbenrå")


@pytest.mark.parametrize(
    ("opens", "deadline", "days"),
    [
        (dt.date(2019, 3, 18), dt.date(2019, 4, 23), 37),  # 14 days of March, 23 of April
        (dt.date(2019, 9, 2), dt.date(2019, 9, 30), 29),
        (dt.date(2019, 9, 30), dt.date(2019, 9, 30), 1),  # one day: both ends count
        (None, dt.date(2019, 11, 1), None),
    ],
)
def test_the_period_counts_both_ends(opens: dt.date | None, deadline: dt.date, days: int) -> None:
    hearing = Hearing(None, None, None, None, opens, deadline, (), None)
    assert hearing.days == days


def _assert_no_active_content(page: HtmlPage) -> None:
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert not [a for _, a in page.tags if any(k.startswith("on") or k == "src" for k in a)]
    for _tag, attrs in page.tags:
        href = attrs.get("href")
        if href is not None:
            assert re.match(r"(https?://|registry/releases/)", href), href


def test_hostile_text_is_only_text(hostile_template: Path, tmp_path: Path) -> None:
    md = report(hostile_template)
    assert not re.search(r"(?<!\\)<", md)  # every < is escaped
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert r"\[x\](javascript:alert(1))" in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)  # as GitHub would read it
    page = parse_html(rendered)
    _assert_no_active_content(page)
    shown = " ".join("".join(page.text).split())
    for text in HOSTILE.values():
        assert text in shown, text
    (row,) = [line for line in md.splitlines() if line.startswith("| Middelfart |")]
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # its pipe does not add a column
    assert "https://example.invalid/referat?a=%22%3E%3Cscript%3Ealert%281%29%3C/script%3E" in md

    html = report(hostile_template, "--format", "html")
    page = parse_html(html)
    _assert_no_active_content(page)
    names = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "da"}) in page.tags and names.count("h1") == 1
    assert names.count("main") == 1 and "link" not in names
    assert names.count("caption") == names.count("table") == 5  # with "Svar efter region"
    assert all(a.get("scope") in ("col", "row") for tag, a in page.tags if tag == "th")
    headings = [int(tag[1]) for tag in names if re.fullmatch(r"h[1-6]", tag)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;lt;script&amp;gt;" in html  # an entity in a text stays text
    text = "".join(page.text)
    for hostile in HOSTILE.values():
        assert hostile in text, hostile

    document = docx.Document(io.BytesIO(report_bytes(hostile_template, "--format", "docx")))
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for hostile in (HOSTILE["script"], HOSTILE["img"], HOSTILE["link"]):
        assert hostile in cells

    # The duplicate with a decomposed å and extra spaces joins Odense's.
    built = build_report(hostile_template, None, today=TODAY)
    danner = next(i for i in built.items if i.id == "danner-og-uddanner")
    assert [[p.name for p in g.proposers] for g in danner.proposals] == [
        ["København"],
        ["Odense", "Vejle"],
    ]
    verdicts = danner.proposals[1].verdicts
    assert [(v.decision, v.names) for v in verdicts] == [
        ("accept", ("Odense",)),
        ("undecided", ("Vejle",)),
    ]
    assert "\u030a" not in (danner.proposals[1].text or "")  # Odense's wording is shown


def test_docx_links_only_absolute_http_urls(hostile_template: Path) -> None:
    """Minutes links are Word hyperlinks (their URL in the relationship, escaped by the
    XML writer); the base release's default link is relative, so it stays text; with
    --base-url it is a hyperlink too."""
    minutes = 'https://example.invalid/referat?a="><script>alert(1)</script>'

    def hyperlinks(data: bytes) -> tuple[dict[str, str], list[str]]:
        document = docx.Document(io.BytesIO(data))
        targets = {
            rid: rel.target_ref
            for rid, rel in document.part.rels.items()
            if rel.reltype.endswith("/hyperlink")
        }
        body = document.element.body
        used = [h.get(qn("r:id")) for h in body.iter(qn("w:hyperlink"))]
        return targets, used

    targets, used = hyperlinks(report_bytes(hostile_template, "--format", "docx"))
    assert [targets[rid] for rid in used] == [minutes]
    with_site = report_bytes(
        hostile_template, "--format", "docx", "--base-url", "https://vaerdier.example.invalid"
    )
    targets, used = hyperlinks(with_site)
    assert [targets[rid] for rid in used] == [
        "https://vaerdier.example.invalid/udgivelser/2019.1.html",
        minutes,
    ]


def test_only_http_links_in_any_format(decided_template: Path) -> None:
    """The model refuses a `javascript:` URL in minutes (check fails, so the report does);
    a Report built by other code with one still gets no link in any format."""
    root = decided_template
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("JavaScript:alert(1)") is None
    assert safe_url(" javascript:alert(1)") is None
    assert safe_url("java\tscript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("https://example.invalid/x") == "https://example.invalid/x"
    assert safe_url("../../udgivelser/2019.1.html") == "../../udgivelser/2019.1.html"
    built = build_report(root, None, today=TODAY, release_url=lambda v: "javascript:alert(1)")
    evil = Approval("udvalg", None, "javascript:alert(2)")
    respondents = tuple(replace(r, approvals=(evil,)) for r in built.hearing.respondents)
    hostile: Report = replace(built, hearing=replace(built.hearing, respondents=respondents))
    md = render_markdown(hostile)
    assert "javascript:" not in md
    html = render_html(hostile)
    assert "javascript:" not in html
    _assert_no_active_content(parse_html(html))
    with zipfile.ZipFile(io.BytesIO(render_docx(hostile))) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert b"javascript:" not in xml

    site = build_report(root, None, today=TODAY, release_url=lambda v: f"../../udgivelser/{v}.html")
    assert '<a href="../../udgivelser/2019.1.html">udgave 2019.1' in render_html(site)


def test_check_refuses_a_javascript_url_in_minutes(decided_template: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(decided_template, tmp_path / "ex"))
    proposal = root / "proposals/eksempel-1/461-odense.yaml"
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(
        text.replace(
            "  date: 2019-09-17\n", "  date: 2019-09-17\n  minutes: javascript:alert(1)\n"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "site" / "notat.html"
    result = run_valreg("report", "--format", "html", "--out", str(out), cwd=root)
    assert result.returncode == 1
    assert "proposals/eksempel-1/461-odense.yaml:" in result.stderr and "error" in result.stderr
    assert result.stdout == "" and not out.exists() and not out.parent.exists()


def test_no_editor_login_in_any_format(hostile_template: Path) -> None:
    assert EDITOR_LOGIN in (hostile_template / "registry/registry.yaml").read_text("utf-8")
    assert EDITOR_LOGIN in (
        hostile_template / "registry/rounds/eksempel-1/decisions.yaml"
    ).read_text("utf-8")
    for fmt in ("md", "html"):
        output = report(hostile_template, "--format", fmt)
        assert EDITOR_LOGIN not in output and "Test Editor" not in output
    with zipfile.ZipFile(io.BytesIO(report_bytes(hostile_template, "--format", "docx"))) as z:
        xml = b"".join(z.read(name) for name in z.namelist())
    assert EDITOR_LOGIN.encode() not in xml and b"Test Editor" not in xml


def test_out_is_written_atomically(decided_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "notat.md"
    out.parent.mkdir()
    out.write_text("an old report that is replaced whole\n", encoding="utf-8")
    result = run_valreg("report", "--out", str(out), cwd=decided_template,
                        env={"SOURCE_DATE_EPOCH": EPOCH})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    assert out.read_text(encoding="utf-8") == report(decided_template)
    assert sorted(p.name for p in out.parent.iterdir()) == ["notat.md"]  # no temporary file

    missing = tmp_path / "out" / "other.md"
    refused = run_valreg("report", "nope", "--out", str(missing), cwd=decided_template)
    assert refused.returncode == 2
    assert "round 'nope' does not exist; rounds: eksempel-1 (open)" in refused.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["notat.md"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "invalid choice"),
        (["--base-url", "javascript:alert(1)"], "give an http(s) URL"),
        (["--root", "/nonexistent"], "no registry/registry.yaml there"),
    ],
)
def test_usage_errors(decided_template: Path, args: list[str], message: str) -> None:
    result = run_valreg("report", *args, cwd=decided_template)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_base_url_links_the_site(decided_template: Path) -> None:
    md = report(decided_template, "--base-url", "https://example.invalid/vaerdier/")
    assert "(https://example.invalid/vaerdier/udgivelser/2019.1.html)" in md
    assert "(registry/releases/2019.1.yaml)" in report(decided_template)


def test_docx_is_not_written_to_a_terminal(decided_template: Path) -> None:
    import pty

    primary, secondary = pty.openpty()
    try:
        result = subprocess.run(
            [str(VALREG), "report", "--format", "docx"],
            cwd=decided_template,
            stdout=secondary,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert result.returncode == 2
    assert b"give --out FILE" in result.stderr


def test_during_the_round_and_with_contradictory_decisions(tmp_path: Path) -> None:
    """Undecided changes say so; accepted changes that contradict each other (apply would
    refuse them) leave their values' results open instead of guessing."""
    root = tmp_path / "example"
    init_example(root)
    undecided = build_report(root, None, today=TODAY)
    assert undecided.summary.by_decision["undecided"] == 12
    added = next(i for i in undecided.items if i.id is None)
    assert added.outcome.status == "undecided"
    danner = next(i for i in undecided.items if i.id == "danner-og-uddanner")
    assert danner.outcome.status == "kept" and danner.outcome.pending
    md = render_markdown(undecided)
    assert md.count("*Redaktionens kommentar:* Ikke afgjort endnu.") == 11
    assert "Der er forslag om værdien, som ikke er afgjort endnu" in md

    for change in ("101-koebenhavn#1", "461-odense#1", "751-aarhus#1", "851-aalborg#1"):
        result = run_valreg(
            "decide", f"eksempel-1/{change}", "accept", "--editor", EDITOR_LOGIN, cwd=root
        )
        assert result.returncode == 0, result.stderr
    built = build_report(root, None, today=TODAY)
    items = {i.id: i for i in built.items}
    assert items["danner-og-uddanner"].outcome.status == "conflict"
    assert items["forskning-af-hoej-kvalitet"].outcome.status == "conflict"
    assert items["boernene-forrest"].outcome.status == "kept"
    assert "Kan ikke opgøres: de imødekomne forslag" in render_markdown(built)
    assert render_html(built).count("Kan ikke opgøres") == 2
