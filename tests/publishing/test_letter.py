"""`valreg letter`: the høringsbrev, the reminder, one letter per municipality and the
høringsliste, rendered from the round's letter.md with the registry's facts (#17).

The letters are checked as their readers get them: the Word document opened again with
python-docx, the HTML parsed, the Markdown byte for byte against golden files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH

from conftest import DATA, assert_golden, git, parse_html, run_valreg
from factories import init_example
from valreg.danish import danish_key

GOLDEN = DATA / "golden" / "letter"
#: 2019-09-25 12:00 UTC: five days before the example round's deadline.
SEPT_25 = {"SOURCE_DATE_EPOCH": "1569412800"}
ROUND = "eksempel-1"
LETTER = f"registry/rounds/{ROUND}/letter.md"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_example(tmp_path_factory.mktemp("letter") / "example")


def letter(root: Path, *args: str) -> str:
    result = run_valreg("letter", ROUND, *args, cwd=root, env=SEPT_25)
    assert result.returncode == 0, result.stderr
    return result.stdout


def base_values(root: Path) -> list[str]:
    """The texts of the example's base release 2019.1, in its order, from its tag."""
    manifest = yaml.safe_load(git(root, "show", "values/2019.1:registry/releases/2019.1.yaml"))
    texts = []
    for entry in sorted(manifest["values"], key=lambda e: e["number"]):
        value = yaml.safe_load(git(root, "show", f"values/2019.1:values/{entry['id']}.yaml"))
        texts.append(" ".join(value["text"].split()))
    return texts


def missing_names(root: Path) -> list[str]:
    result = run_valreg("status", ROUND, "--format", "json", cwd=root, env=SEPT_25)
    data = json.loads(result.stdout)
    return sorted(
        (m["name"] for m in data["municipalities"] if m["standing"] == "no_answer"),
        key=danish_key,
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_example_letter_is_golden(example: Path, fmt: str) -> None:
    assert_golden(letter(example, "--format", fmt), GOLDEN / f"{ROUND}.{fmt}")


def test_the_markdown_letter(example: Path) -> None:
    text = letter(example)
    assert text.startswith("2. september 2019\n")  # the day the round opened
    assert "senest den 30. september 2019" in text
    numbered = re.findall(r"^[0-9]+\. ([A-ZÆØÅ].*)$", text, flags=re.MULTILINE)
    assert numbered == base_values(example)
    assert "*Hvordan vil I bruge kerneværdierne i jeres kommune? (fiktivt spørgsmål)*" in text
    assert "<https://example.org/kernevaerdier/runder/eksempel-1/svar.html>" in text
    assert "kernevaerdier@example.org" in text
    assert "{{" not in text


def test_the_word_letter(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "brev.docx"
    run = run_valreg(
        "letter", ROUND, "--format", "docx", "--out", str(out), cwd=example, env=SEPT_25
    )
    assert run.returncode == 0, run.stderr
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    dated = [p for p in paragraphs if p.text == "2. september 2019"]
    assert dated and dated[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs.index(dated[0]) < 3  # at the top
    numbered = [p.text for p in paragraphs if p.style is not None and p.style.name == "List Number"]
    assert numbered == base_values(example)
    assert any("30. september 2019" in p.text for p in paragraphs)
    question = "Hvordan vil I bruge kerneværdierne i jeres kommune? (fiktivt spørgsmål)"
    italic = [r.text for p in paragraphs for r in p.runs if r.italic]
    assert question in italic
    headings = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == ["Fiktivt eksempel: høring over første bud"]
    assert document.core_properties.language == "da-DK"
    # The same letter gives the same bytes.
    again = tmp_path / "igen.docx"
    run_valreg("letter", ROUND, "--format", "docx", "--out", str(again), cwd=example, env=SEPT_25)
    assert again.read_bytes() == out.read_bytes()


def test_the_html_letter_is_one_standalone_danish_page(example: Path) -> None:
    page = parse_html(letter(example, "--format", "html"))
    assert ("html", {"lang": "da"}) in page.tags
    assert [t for t, _ in page.tags].count("h1") == 1
    assert not [t for t, a in page.tags if t in ("script", "img", "link", "iframe")]
    assert "30. september 2019" in " ".join(page.text)


def test_the_reminder_goes_to_those_that_have_not_answered(example: Path) -> None:
    text = letter(example, "--to", "missing")
    names = missing_names(example)
    assert len(names) == 88
    assert f"disse {len(names)} kommuner" in text
    listed = text.split("disse 88 kommuner: ", 1)[1].split(".\n", 1)[0]
    assert listed == ", ".join(names[:-1]) + " og " + names[-1]
    assert "der er 5 dage tilbage" in text
    for answered in ("Odense", "Slagelse", "Hjørring"):  # an answer, a late one, no remarks
        assert answered not in listed


def test_one_letter_per_municipality(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "breve"
    run = run_valreg(
        "letter",
        ROUND,
        "--to",
        "missing",
        "--format",
        "docx",
        "--per-municipality",
        str(out),
        cwd=example,
        env=SEPT_25,
    )
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 88
    assert "101-koebenhavn.docx" not in written and "165-albertslund.docx" in written
    text = "\n".join(p.text for p in docx.Document(str(out / "165-albertslund.docx")).paragraphs)
    assert "Til Albertslund (kommunekode 165)" in text
    markdown = tmp_path / "md"
    run_valreg("letter", ROUND, "--per-municipality", str(markdown), cwd=example, env=SEPT_25)
    assert len(list(markdown.iterdir())) == 98
    odense = (markdown / "461-odense.md").read_text("utf-8")
    assert "eksempel-1/svar.html?kommune=461" in odense


def test_the_recipient_list(example: Path) -> None:
    rows = list(csv.reader(io.StringIO(letter(example, "--recipients", "--format", "csv"))))
    assert rows[0] == ["kommunekode", "kommune", "region"]
    names = [name for _, name, _ in rows[1:]]
    assert len(names) == 98 and names == sorted(names, key=danish_key)
    assert names[-3:] == ["Aabenraa", "Aalborg", "Aarhus"]  # "Aa" is "Å", after "Ø"
    assert names.index("Ærø") < names.index("Aabenraa")
    assert ["461", "Odense", "Region Syddanmark"] in rows
    table = letter(example, "--recipients")
    assert table.count("\n| ") == 1 + 98  # the header row, then one row each
    missing = letter(example, "--recipients", "--to", "missing", "--format", "csv")
    assert len(missing.splitlines()) == 1 + 88


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--recipients", "--format", "docx"), "md or csv"),
        (("--format", "csv"), "--recipients"),
    ],
)
def test_format_mistakes(example: Path, args: tuple[str, ...], message: str) -> None:
    result = run_valreg("letter", ROUND, *args, cwd=example, env=SEPT_25)
    assert result.returncode == 2 and message in result.stderr


def edited(example: Path, tmp_path: Path, text: str) -> Path:
    import shutil

    copy = Path(shutil.copytree(example, tmp_path / "copy"))
    (copy / LETTER).write_text(text, encoding="utf-8")
    return copy


def test_an_unknown_placeholder_is_named_with_its_line(example: Path, tmp_path: Path) -> None:
    copy = edited(example, tmp_path, "Til {{ modtager }}\n\nSvar inden {{ svarfrist }}.\n")
    out = tmp_path / "brev.docx"
    result = run_valreg("letter", ROUND, "--format", "docx", "--out", str(out), cwd=copy)
    assert result.returncode == 1 and not out.exists()
    assert f"{LETTER}:3" in result.stderr and "svarfrist" in result.stderr
    assert "did you mean {{ frist }}" in result.stderr or "frist" in result.stderr
    for known in ("værdier", "spørgsmål", "kontakt"):
        assert known in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_markdown_renders_inert(example: Path, tmp_path: Path) -> None:
    hostile = (
        "Til {{ modtager }}\n\n<script>alert(1)</script>\n\n"
        "[klik](javascript:alert(2)) {{ frist\n\n"
        "{{ titel }} <img src=x onerror=alert(3)>\n"
    )
    copy = edited(example, tmp_path, hostile)
    round_file = copy / f"registry/rounds/{ROUND}/round.yaml"
    round_file.write_text(
        round_file.read_text("utf-8").replace(
            'title: "Fiktivt eksempel: høring over første bud"',
            'title: "<b>{{ frist }}</b> & co"',
        ),
        encoding="utf-8",
    )
    html = letter(copy, "--format", "html")
    page = parse_html(html)
    assert not [t for t, _ in page.tags if t in ("script", "img", "b")]
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert all(not (attrs.get("href") or "").startswith("javascript:") for _, attrs in page.tags)
    text = " ".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown, as written
    assert "{{ frist" in text  # an unclosed brace is text
    assert "<b>{{ frist }}</b> & co" in text  # a placeholder put in is not read again
    markdown = letter(copy)
    assert "\\<b\\>{{ frist }}\\</b\\> \\& co" in markdown


def test_the_site_publishes_the_letter_and_the_list(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_valreg("site", "--out", str(out), cwd=example, env=SEPT_25)
    assert result.returncode == 0, result.stderr
    page = (out / f"runder/{ROUND}.html").read_text("utf-8")
    for name in ("hoeringsbrev.html", "hoeringsbrev.docx", "hoeringsliste.csv"):
        assert f'href="{ROUND}/{name}"' in page
        assert (out / f"runder/{ROUND}/{name}").is_file()
    assert (out / f"runder/{ROUND}/hoeringsbrev.md").read_text("utf-8") == letter(example)
    feed = (out / "feed.xml").read_text("utf-8")
    assert f"runder/{ROUND}/hoeringsbrev.html" in feed


def test_the_real_round_2019_2_renders_the_seed_letter() -> None:
    """The 2019-2 letter is the seed letter, paragraph for paragraph, with only what its
    round.yaml says was changed: the signatories' names left out (their roles stay) and
    the sender's personal mailbox replaced by the office in registry.yaml."""
    from conftest import REPO, SEEDS

    result = run_valreg("letter", "2019-2", cwd=REPO)
    assert result.returncode == 0, result.stderr
    seed = (SEEDS / "2019-kl-brev-10-vaerdier.txt").read_text("utf-8")
    expected = (
        seed.replace("Thomas Gyldal Petersen  \n", "")
        .replace("Jens Ive  \n", "")
        .replace("[FLJE@kl.dk](mailto:FLJE@kl.dk)", "KL's sekretariat")
    )
    assert paragraphs(result.stdout) == paragraphs(expected)
    assert "Gyldal" not in result.stdout and "FLJE" not in result.stdout


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
