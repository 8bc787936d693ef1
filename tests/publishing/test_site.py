"""`valreg site` without a browser: pages and URLs, golden files, downloads, the Atom feed,
escaping of hostile text, no personal data, and how the output folder is replaced.

The browser tests (links, console, accessibility, phone, keyboard) are in
test_site_browser.py and build their sites with the helpers here.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from conftest import DATA, REPO, assert_golden, git, parse_html, run_valreg
from factories import (
    EDITOR_LOGIN,
    EPOCH,
    HOSTILE,
    MUNICIPALITY_LOGIN,
    build_example,
    build_hostile,
    init_example,
    site,
)

GOLDEN = DATA / "golden" / "site"
TODAY = dt.date(2019, 11, 17)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("site") / "example")


@pytest.fixture(scope="module")
def example_site(example: Path) -> Path:
    return site(example, example.parent / "out")


@pytest.fixture(scope="module")
def hostile(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = Path(shutil.copytree(example, tmp_path_factory.mktemp("hostile") / "example"))
    return build_hostile(copy)


@pytest.fixture(scope="module")
def hostile_site(hostile: Path) -> Path:
    return site(hostile, hostile.parent / "out")


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_pages_by_stable_urls(example: Path, example_site: Path) -> None:
    values = sorted(p.stem for p in (example / "values").glob("*.yaml"))
    expected = {
        ".valreg-site",
        "index.html",
        "om.html",
        "feed.xml",
        "style.css",
        "filter.js",
        "svar.js",
        "schema/proposal.schema.json",
        "vaerdier/index.html",
        *(f"vaerdier/{v}.html" for v in values),
        "udgivelser/index.html",
        "udgivelser/2019.1.html",
        "udgivelser/2019.1.yaml",
        "udgivelser/2019.2.html",
        "udgivelser/2019.2.yaml",
        "udgivelser/2019.2.json",
        "runder/index.html",
        "runder/eksempel-1.html",
        *(f"runder/eksempel-1/hoeringsnotat.{ext}" for ext in ("html", "md", "docx")),
        *(f"runder/eksempel-1/hoeringsbrev.{ext}" for ext in ("html", "md", "docx")),
        "runder/eksempel-1/hoeringsliste.csv",
    }
    assert set(files_of(example_site)) == expected
    assert "bruger-digitale-redskaber-omtanke" in values and "lokalmiljoeet" in values


def test_downloads_are_the_manifest_and_the_changelog(example: Path, example_site: Path) -> None:
    for version in ("2019.1", "2019.2"):
        manifest = git(example, "show", f"values/{version}:registry/releases/{version}.yaml")
        assert (example_site / f"udgivelser/{version}.yaml").read_text("utf-8") == manifest
    result = run_valreg("changelog", "2019.1", "2019.2", "--format", "json", cwd=example)
    assert (example_site / "udgivelser/2019.2.json").read_text("utf-8") == result.stdout


@pytest.mark.parametrize("page", ["index.html", "vaerdier/danner-og-uddanner.html"])
def test_golden_pages(example_site: Path, page: str) -> None:
    output = (example_site / page).read_text(encoding="utf-8")
    golden = GOLDEN / page.replace("/", "--")
    assert_golden(output, golden)


def test_the_same_registry_gives_the_same_bytes(example: Path, example_site: Path) -> None:
    again = site(example, example.parent / "again")
    assert files_of(again) == files_of(example_site)


def test_the_current_set_and_a_draft(example: Path, tmp_path: Path) -> None:
    """The index shows the newest adopted release, and a newer draft: "sendt i høring"
    only once a round has it as its base, before that just a draft (#22); with nothing
    adopted it says so and shows the draft."""
    copy = Path(shutil.copytree(example, tmp_path / "example"))
    result = run_valreg("release", "2019.3", cwd=copy, env={"SOURCE_DATE_EPOCH": "1583000000"})
    assert result.returncode == 0, result.stderr
    out = site(copy, tmp_path / "out")
    index = (out / "index.html").read_text("utf-8")
    assert 'De gældende værdier er <a href="udgivelser/2019.2.html">udgave 2019.2' in index
    assert "Udgave 2019.3 «Udgave 2019.3» fra 29. februar 2020 er et udkast: " in index
    assert "sendt i høring" not in index
    release = (out / "udgivelser/2019.3.html").read_text("utf-8")
    assert '<p class="lead">Udkast.\n Udgivet 29. februar 2020' in release
    assert "<title>Udgave 2019.3: Udgave 2019.3 (udkast)</title>" in (out / "feed.xml").read_text(
        "utf-8"
    )

    folder = copy / "registry/rounds/eksempel-2"
    folder.mkdir()
    (folder / "round.yaml").write_text(
        '# FICTIONAL\nid: eksempel-2\ntitle: Fiktiv høring\nbase: "2019.3"\ndeadline: 2020-04-01\n',
        encoding="utf-8",
    )
    out = site(copy, tmp_path / "sent")
    index = (out / "index.html").read_text("utf-8")
    assert "Udgave 2019.3 «Udgave 2019.3» fra 29. februar 2020 er sendt i høring: " in index
    release = (out / "udgivelser/2019.3.html").read_text("utf-8")
    assert (
        '<p class="lead">Udkast, sendt i høring i <a href="../runder/eksempel-2.html">'
        "høringsrunde eksempel-2</a>." in release
    )
    assert "(udkast sendt i høring)</title>" in (out / "feed.xml").read_text("utf-8")

    fresh = tmp_path / "fresh"
    init_example(fresh)
    index = (site(fresh, tmp_path / "fresh-out") / "index.html").read_text("utf-8")
    assert "Der er endnu ikke vedtaget nogen værdier." in index
    assert '<li value="11"><a href="vaerdier/sammenhaeng-til-ungdomsuddannelse.html">' in index


def test_feed_is_valid_atom_with_every_entry(example_site: Path, example: Path) -> None:
    feed = feedparser.parse((example_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    links = [e.link for e in feed.entries]
    assert set(links) >= {
        "udgivelser/2019.1.html",
        "udgivelser/2019.2.html",
        "runder/eksempel-1.html",
    }
    assert all((example_site / link).is_file() for link in links)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert all(e.updated_parsed is not None for e in feed.entries)
    assert feed.feed.updated.startswith("2019-11-17")

    absolute = site(example, example.parent / "absolute", "--base-url", "https://example.org/v")
    feed = feedparser.parse((absolute / "feed.xml").read_bytes())
    assert not feed.bozo
    assert {e.link for e in feed.entries} == {f"https://example.org/v/{link}" for link in links}
    assert [e.id for e in feed.entries] == ids  # ids do not move with the site
    index = (absolute / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/v/index.html">' in index


def test_the_reports_are_embedded_and_in_the_feed(example: Path, hostile_site: Path) -> None:
    feed = feedparser.parse((hostile_site / "feed.xml").read_bytes())
    assert not feed.bozo
    by_link = {e.link: e for e in feed.entries}
    assert set(by_link) == {
        "udgivelser/2019.1.html",
        "udgivelser/2019.2.html",
        "udgivelser/2019.3.html",
        "runder/eksempel-1.html",
        "runder/eksempel-2.html",
        "runder/eksempel-1/hoeringsnotat.html",
        "runder/eksempel-2/hoeringsnotat.html",
    }
    # Dated by the round's last decision (the example's are made at EPOCH).
    assert by_link["runder/eksempel-1/hoeringsnotat.html"].updated.startswith("2019-11-17")
    # The report as `valreg report` writes it, but linking to the site's release pages.
    markdown = run_valreg(
        "report", "eksempel-1", "--format", "md", cwd=example, env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    site_markdown = site(example, example.parent / "reports") / "runder/eksempel-1/hoeringsnotat.md"
    # (the base release, and the release that includes the round's decisions)
    assert site_markdown.read_text("utf-8") == markdown.stdout.replace(
        "(registry/releases/2019.1.yaml)", "(../../udgivelser/2019.1.html)"
    ).replace("(registry/releases/2019.2.yaml)", "(../../udgivelser/2019.2.html)")


def test_no_personal_data(example_site: Path, hostile_site: Path) -> None:
    for out in (example_site, hostile_site):
        for path, content in files_of(out).items():
            readable = [content]
            if path.endswith(".docx"):  # a zip: look inside
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    readable = [archive.read(name) for name in archive.namelist()]
            for login in (EDITOR_LOGIN, MUNICIPALITY_LOGIN):
                assert not [c for c in readable if login.encode() in c], f"{path} names {login}"


def html_pages(out: Path) -> Iterator[tuple[str, str]]:
    for path, content in sorted(files_of(out).items()):
        if path.endswith(".html"):
            yield path, content.decode("utf-8")


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    seen = ""
    for path, html in html_pages(hostile_site):
        page = parse_html(html)
        for tag, attrs in page.tags:
            assert tag not in ("img", "iframe", "object", "embed"), path
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").strip().lower().startswith("javascript:")
            if tag == "script":
                # The values filter, the answer form and the form's data (JSON, inert).
                assert attrs in (
                    {"src": "../filter.js"},
                    {"src": "../../svar.js"},
                    {"type": "application/json", "id": "svar-data"},
                ), path
        assert ("html", {"lang": "da"}) in page.tags
        # Defence in depth: were anything injected, the browser would not run it inline.
        (policy,) = [
            a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
        ]
        # The report and the letter are documents of their own, with no script at all.
        assert "default-src 'none'" in (policy or ""), path
        assert "'unsafe-inline'" not in (policy or "").partition("script-src")[2], path
        seen += " ".join(page.text)
    for hostile_text in HOSTILE:
        assert hostile_text in seen
    value = (hostile_site / "vaerdier/staerk-faglig-ledelse.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in value


def test_hostile_feed_is_escaped(hostile_site: Path) -> None:
    feed = feedparser.parse((hostile_site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert "<script>alert(1)</script>" in feed.feed.title  # text, escaped in the XML
    assert b"<script>" not in (hostile_site / "feed.xml").read_bytes()


def test_a_javascript_link_in_minutes_is_refused(example: Path, tmp_path: Path) -> None:
    """The models accept only http(s) minutes, so `check` refuses the registry and `site`
    writes nothing: the previous site stays as it was."""
    copy = Path(shutil.copytree(example, tmp_path / "example"))
    out = site(copy, tmp_path / "out")
    before = files_of(out)
    proposal = copy / "proposals/eksempel-1/461-odense.yaml"
    proposal.write_text(
        proposal.read_text("utf-8").replace(
            "  date: 2019-09-17\n", "  date: 2019-09-17\n  minutes: javascript:alert(1)\n"
        ),
        encoding="utf-8",
    )
    checked = run_valreg("check", cwd=copy)
    assert checked.returncode == 1 and "461-odense.yaml:" in checked.stdout
    result = run_valreg("site", "--out", str(out), cwd=copy)
    assert result.returncode == 1
    assert "run `valreg check`" in result.stderr
    assert files_of(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_refuses_a_folder_that_is_not_a_site(example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me", encoding="utf-8")
    result = run_valreg("site", "--out", str(folder), cwd=example)
    assert result.returncode == 1
    assert "not empty and not a site made by valreg" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["letter.txt"]
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    result = run_valreg("site", "--out", str(a_file), cwd=example)
    assert result.returncode == 1 and "is not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "file.html"]


def test_replaces_its_own_site_whole(example: Path, tmp_path: Path) -> None:
    empty = tmp_path / "out"
    empty.mkdir()
    out = site(example, empty)
    (out / "vaerdier/stale.html").write_text("old", encoding="utf-8")
    site(example, out)
    assert not (out / "vaerdier/stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_library_call(example: Path, tmp_path: Path) -> None:
    from valreg.publishing.site import SiteSummary, build_site

    summary = build_site(example, tmp_path / "out", base_url=None, today=TODAY)
    assert isinstance(summary, SiteSummary) and summary.out == tmp_path / "out"
    written = files_of(tmp_path / "out")
    assert summary.files == len(written)
    assert summary.pages == sum(p.endswith(".html") for p in written)


def test_base_url_must_be_http(example: Path, tmp_path: Path) -> None:
    result = run_valreg(
        "site", "--out", str(tmp_path / "o"), "--base-url", "javascript:x", cwd=example
    )
    assert result.returncode == 2 and "--base-url" in result.stderr
    assert not (tmp_path / "o").exists()


def test_the_real_registry(tmp_path: Path) -> None:
    """This repository's registry: the draft 2019.1, and round 2019-1 answered elsewhere."""
    from valreg.publishing.site import build_site

    out = tmp_path / "real"
    build_site(REPO, out, base_url=None, today=TODAY)
    index = (out / "index.html").read_text("utf-8")
    assert "Der er endnu ikke vedtaget nogen værdier." in index
    assert index.count('<li value="') == 11
    round_page = parse_html((out / "runder/2019-1.html").read_text("utf-8"))
    text = " ".join(" ".join(round_page.text).split())
    assert "Svar modtaget uden for registret (ikke offentliggjort her) 22" in text
    assert (out / "runder/2019-2/hoeringsnotat.docx").is_file()
