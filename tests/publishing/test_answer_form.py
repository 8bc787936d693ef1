"""The answer form (`runder/<round>/svar.html`) in a real Chromium: a person fills it in,
downloads the høringssvar, and `valreg check` accepts the file inside the registry with
every text as typed, for hostile texts too; the GitHub link carries the same file; a form
with an error offers nothing and says why at the field; a file loads back; a draft stays
in the browser; without JavaScript the page shows the template and the e-mail route.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from playwright.sync_api import Browser, FloatRect, Page

from browser import (
    OUTPUT,
    PHONE,
    Served,
    serious_violations,
    serve,
    watch_page,
    watched_context,
)
from conftest import run_valreg
from factories import init_example

ROUND = "eksempel-1"
BEFORE_DEADLINE = {"SOURCE_DATE_EPOCH": "1568592000"}  # 2019-09-16
#: Texts that would change a YAML file's structure if they were written unquoted.
HOSTILE = [
    "Vi vil: mere samarbejde # ikke en kommentar",
    "- en linje, der ligner en liste",
    "NO",
    "0101",
    "Han sagde \"hej\" og 'farvel' \\ og slut",
    "Første linje\nanden linje\n\ttabulator",
    "Børn 🧒 og unge ✨",
    "{{ registry.owner }} og {% if %}",
    "<script>alert('x')</script> & <b>fed</b>",
    "  mellemrum foran og bagefter  ",
    "Ét ord: ja\u2028og en linjeadskiller",
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("form") / "example"
    init_example(root)
    return root


@pytest.fixture(scope="module")
def served(registry: Path) -> Iterator[Served]:
    out = registry.parent / "site"
    result = run_valreg("site", "--out", str(out), cwd=registry, env=BEFORE_DEADLINE)
    assert result.returncode == 0, result.stderr
    yield from serve(out)


def _open(page: Page, served: Served, query: str = "") -> None:
    response = page.goto(f"{served.url}runder/{ROUND}/svar.html{query}")
    assert response is not None and response.status == 200
    page.locator("#svarformular").wait_for(state="visible")


def _values(registry: Path) -> list[tuple[str, str]]:
    """The example's base values (2019.1) in order: (id, text)."""
    manifest = yaml.safe_load((registry / "registry/releases/2019.1.yaml").read_text("utf-8"))
    out = []
    for entry in manifest["values"]:
        value = yaml.safe_load((registry / f"values/{entry['id']}.yaml").read_text("utf-8"))
        out.append((entry["id"], value["text"]))
    return out


def _fill(page: Page, values: list[tuple[str, str]], texts: list[str]) -> None:
    """Amend the first value, remove the second, add one after the third, comment on the
    whole set, answer the question, and say who sent and approved it."""
    (first, _), (second, _), (third, _) = values[:3]
    page.fill("#kommune", "Aabenraa (580)")
    page.fill("#submitted", "2019-09-20")
    page.check(f"input[name='handling-{first}'][value='amend']")
    page.fill(f"#tekst-{first}", texts[0])
    page.fill(f"#begrundelse-{first}", texts[1])
    page.check(f"input[name='handling-{second}'][value='remove']")
    page.fill(f"#begrundelse-{second}", texts[2])
    page.click(f"button.add-after[data-after='{third}']")
    page.locator(f"#nye-efter-{third} textarea").first.fill(texts[3])
    page.fill("#generelt", texts[4])
    page.fill("#svar-q1", texts[5])
    page.fill("#submitted_by", "Børne- og Ungeudvalget (fiktivt)")
    page.select_option("#body", "udvalg")
    page.fill("#approved_date", "2019-09-17")
    page.fill("#minutes", "https://example.org/referat?m=1&x=2")


def _download(page: Page, tmp_path: Path) -> tuple[str, str]:
    page.click("#hent")
    page.locator("#udfald").wait_for(state="visible")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, target.read_text(encoding="utf-8")


@pytest.mark.parametrize("batch", [HOSTILE[:6], HOSTILE[5:] + HOSTILE[:1]])
def test_a_filled_form_gives_a_file_the_registry_accepts(
    browser: Browser,
    served: Served,
    registry: Path,
    tmp_path: Path,
    batch: list[str],
) -> None:
    context, watch = watched_context(browser, accept_downloads=True)
    page = context.new_page()
    watch_page(page, watch)
    _open(page, served)
    values = _values(registry)
    _fill(page, values, batch)
    name, content = _download(page, tmp_path)
    assert name == "580-aabenraa.yaml"

    # The GitHub link, decoded, is the same file in the round's folder.
    link = urlparse(page.get_attribute("#github", "href") or "")
    assert link.netloc == "github.com"
    assert link.path == f"/example/kernevaerdier/new/main/proposals/{ROUND}"
    query = parse_qs(link.query, keep_blank_values=True)
    assert query["filename"] == [name] and query["value"] == [content]

    copy = Path(shutil.copytree(registry, tmp_path / "registry", symlinks=True))
    (copy / f"proposals/{ROUND}/{name}").write_text(content, encoding="utf-8")
    checked = run_valreg("check", "--no-cache", f"proposals/{ROUND}/{name}", cwd=copy)
    assert checked.returncode == 0 and checked.stdout.endswith("no problems\n"), (
        checked.stdout + content
    )
    proposal = yaml.safe_load(content)
    (first, _), (second, _), (third, _) = values[:3]
    assert proposal["round"] == ROUND and proposal["municipality"] == "580"
    assert proposal["submitted"] == "2019-09-20"
    assert proposal["approved_by"] == {
        "body": "udvalg",
        "date": "2019-09-17",
        "minutes": "https://example.org/referat?m=1&x=2",
    }
    assert proposal["changes"] == [
        {"id": "1", "kind": "amend", "value": first, "text": batch[0], "rationale": batch[1]},
        {"id": "2", "kind": "remove", "value": second, "rationale": batch[2]},
        {"id": "3", "kind": "add", "after": third, "text": batch[3]},
        {"id": "4", "kind": "comment", "text": batch[4]},
    ]
    assert proposal["answers"] == [{"question": "q1", "text": batch[5]}]
    assert watch.errors == [] and watch.outside == [] and watch.dialogs == []
    context.close()


def test_the_schema_is_the_one_valreg_exports(served: Served, registry: Path) -> None:
    exported = run_valreg("schema", "proposal", cwd=registry).stdout
    shipped = (served.out / "schema/proposal.schema.json").read_text(encoding="utf-8")
    assert json.loads(shipped) == json.loads(exported)
    page_html = (served.out / f"runder/{ROUND}/svar.html").read_text(encoding="utf-8")
    embedded = page_html.split('<script type="application/json" id="svar-data">')[1]
    data = json.loads(embedded.split("</script>")[0])
    assert data["schema"] == json.loads(exported)
    assert len(data["municipalities"]) == 98
    assert f'href="{ROUND}/svar.html"' in (served.out / f"runder/{ROUND}.html").read_text("utf-8")


def test_an_error_is_shown_at_its_field_and_nothing_is_offered(
    browser: Browser,
    served: Served,
    registry: Path,
) -> None:
    context, _ = watched_context(browser)
    page = context.new_page()
    _open(page, served)
    (first, _), (second, _) = _values(registry)[:2]
    page.fill("#kommune", "Aabenraa (580)")
    page.check(f"input[name='handling-{first}'][value='amend']")
    page.fill(f"#tekst-{first}", "   ")
    page.check(f"input[name='handling-{second}'][value='comment']")
    page.fill(f"#bemaerkning-{second}", "x" * 2001)
    page.fill("#minutes", "ikke en adresse")
    page.select_option("#body", "forvaltning")
    page.click("#hent")
    assert page.locator("#udfald").is_hidden()
    assert page.locator(f"#tekst-{first}-fejl").inner_text() == (
        "Skriv en tekst (ikke kun mellemrum)."
    )
    assert page.get_attribute(f"#tekst-{first}", "aria-invalid") == "true"
    assert "højst 2000 tegn (nu 2001)" in page.locator(f"#bemaerkning-{second}-fejl").inner_text()
    assert "https://" in page.locator("#minutes-fejl").inner_text()
    assert page.locator("#resultat").inner_text().startswith("Der er 3 fejl")
    # An unknown municipality, and an amendment that changes nothing.
    page.fill("#kommune", "Atlantis")
    page.fill(f"#tekst-{first}", _values(registry)[0][1])
    page.fill(f"#bemaerkning-{second}", "Kort.")
    page.fill("#minutes", "")
    page.click("#hent")
    assert "findes ikke" in page.locator("#kommune-fejl").inner_text()
    assert "den samme som nu" in page.locator(f"#tekst-{first}-fejl").inner_text()
    assert page.locator("#udfald").is_hidden()
    context.close()


def test_a_file_loads_back_and_a_draft_stays_in_the_browser(
    browser: Browser,
    served: Served,
    registry: Path,
    tmp_path: Path,
) -> None:
    context, watch = watched_context(browser, accept_downloads=True)
    page = context.new_page()
    watch_page(page, watch)
    _open(page, served, "?kommune=580")
    assert page.input_value("#kommune") == "Aabenraa (580)"
    values = _values(registry)
    texts = ["Ny tekst (fiktiv)", "Derfor", "Overflødig", "En ny værdi (fiktiv)", "Godt", "Svar"]
    _fill(page, values, texts)
    name, content = _download(page, tmp_path)

    # A draft: the same page opened again shows what was typed.
    page.reload()
    page.locator("#svarformular").wait_for(state="visible")
    assert page.input_value(f"#tekst-{values[0][0]}") == texts[0]
    assert page.locator("#resultat").inner_text().startswith("Kladden fra sidste gang")
    page.click("#slet-kladde")
    assert page.input_value(f"#tekst-{values[0][0]}") == values[0][1]
    page.reload()
    page.locator("#svarformular").wait_for(state="visible")
    assert page.input_value("#svar-q1") == ""

    # The downloaded file, loaded back, gives the same file again.
    page.set_input_files("#indlaes", str(tmp_path / name))
    page.wait_for_function("document.getElementById('resultat').textContent.includes('indlæst')")
    assert page.input_value("#svar-q1") == texts[5]
    again = tmp_path / "again"
    again.mkdir()
    assert _download(page, again) == (name, content)
    assert watch.errors == [] and watch.outside == []

    # Phone width, keyboard, and no serious accessibility problem.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []
    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1000, "height": 900})
    # For the README (docs/images/answer-form.png): the top of the form, where the first
    # value has a new text with its word diff and the second is removed.
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#svarformular").bounding_box()
    assert box is not None
    top: FloatRect = {
        "x": box["x"],
        "y": box["y"],
        "width": box["width"],
        "height": min(box["height"], 1400),
    }
    page.screenshot(path=str(OUTPUT / "answer-form.png"), clip=top, full_page=True)
    context.close()


def test_without_javascript_the_page_shows_the_template_and_the_mail_route(
    browser: Browser,
    served: Served,
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served.url}runder/{ROUND}/svar.html")
    assert page.locator("#svarformular").is_hidden()
    shown = page.locator("#uden-javascript")
    assert shown.is_visible()
    assert f'round: "{ROUND}"' in shown.inner_text()
    assert page.locator("#uden-javascript a[href^='mailto:']").count() == 1
    context.close()


def test_past_the_deadline_it_says_the_answer_will_be_late(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    after = {"SOURCE_DATE_EPOCH": "1570000000"}  # 2019-10-02
    assert run_valreg("site", "--out", str(out), cwd=registry, env=after).returncode == 0
    page = (out / f"runder/{ROUND}/svar.html").read_text(encoding="utf-8")
    assert "markeret som indsendt efter fristen" in page
