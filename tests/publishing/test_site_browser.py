"""The built site in a real browser: Debian's Chromium, driven by playwright.

Every page is reached from index.html by following links, loads without console errors
or requests leaving 127.0.0.1, and passes an axe-core scan without serious or critical
violations; the values list and a value's history match the registry's YAML; phones
need no horizontal scrolling; Tab reaches the navigation with a visible focus; hostile
registry text never becomes live. Screenshots go to tests/output/ (untracked).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from browser import (
    OUTPUT,
    PHONE,
    Served,
    crawl,
    serious_violations,
    serve,
    watch_page,
    watched_context,
)
from conftest import git
from factories import build_example, build_hostile, site


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("browser") / "example")


@pytest.fixture(scope="module")
def example_site(example: Path) -> Iterator[Served]:
    yield from serve(site(example, example.parent / "out"))


@pytest.fixture(scope="module")
def hostile_site(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    copy = Path(shutil.copytree(example, tmp_path_factory.mktemp("hostile") / "example"))
    yield from serve(site(build_hostile(copy), copy.parent / "out"))


def test_every_page_from_the_index_in_chromium(browser: Browser, example_site: Served) -> None:
    context, watch = watched_context(browser)
    page = context.new_page()
    watch_page(page, watch)
    violations: list[str] = []

    def visit(page: Page, url: str) -> None:
        assert page.locator("html").get_attribute("lang") == "da"
        assert page.locator("h1").count() == 1, url
        # The report and the letter are documents of their own, with no site navigation.
        if not url.endswith(("/hoeringsnotat.html", "/hoeringsbrev.html")):
            assert page.locator("nav a[href$='index.html']").count() >= 1, url
        violations.extend(serious_violations(page))

    reached = crawl(page, example_site, visit)
    context.close()
    on_disk = {
        p.relative_to(example_site.out).as_posix()
        for p in example_site.out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".yaml", ".json", ".xml", ".docx", ".md", ".csv")
    }
    assert reached == on_disk, "pages not reachable by links from index.html"
    assert not violations, "\n".join(violations)
    assert not watch.errors, watch.errors
    assert not watch.outside, f"requests left 127.0.0.1: {watch.outside}"


def test_the_values_list_matches_the_registry(
    browser: Browser, example: Path, example_site: Served
) -> None:
    registry = {}
    for path in (example / "values").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        registry[data["id"]] = data
    context, watch = watched_context(browser)
    page = context.new_page()
    watch_page(page, watch)
    page.goto(example_site.url + "vaerdier/index.html")
    rows = page.eval_on_selector_all(
        "#values tbody tr",
        "rows => rows.map(r => [r.dataset.value, r.cells[0].innerText.trim(), "
        "r.cells[2].innerText.trim(), r.querySelector('.text').innerText.trim()])",
    )
    assert sorted(r[0] for r in rows) == sorted(registry)
    for value_id, number, status, text in rows:
        data = registry[value_id]
        assert text == data["text"]
        if data.get("status", "active") == "active":
            assert (number, status) == (str(data["number"]), "gældende")
        else:
            assert number == "–" and status.startswith("udgået")

    # The optional filter: JavaScript shows it, and it hides what does not match.
    page.fill("#filter-text", "lokalmiljøet")
    visible = page.eval_on_selector_all(
        "#values tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.value)"
    )
    assert sorted(visible) == ["lokalmiljoeet", "samarbejde-med-foraeldre"]
    assert not watch.errors
    context.close()

    # Without JavaScript: the whole list, and no filter box.
    context, _ = watched_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(example_site.url + "vaerdier/index.html")
    assert page.locator("#values tbody tr:visible").count() == len(registry)
    assert not page.locator("#filter").is_visible()
    context.close()


def test_a_value_history_matches_the_registry(
    browser: Browser, example: Path, example_site: Served
) -> None:
    value_id = "danner-og-uddanner"
    expected = []
    for version in ("2019.1", "2019.2"):
        manifest = yaml.safe_load(
            git(example, "show", f"values/{version}:registry/releases/{version}.yaml")
        )
        value = yaml.safe_load(git(example, "show", f"values/{version}:values/{value_id}.yaml"))
        (number,) = [e["number"] for e in manifest["values"] if e["id"] == value_id]
        expected.append((version, number, value["text"]))
    context, watch = watched_context(browser)
    page = context.new_page()
    watch_page(page, watch)
    page.goto(example_site.url + f"vaerdier/{value_id}.html")
    sections = page.eval_on_selector_all(
        "section.version",
        "sections => sections.map(s => [s.querySelector('h3 a').innerText, "
        "s.querySelector('h3 + p').innerText, s.querySelector('blockquote').innerText])",
    )
    assert sections == [
        [f"Udgave {version}", f"Nr. {number}:", text] for version, number, text in expected
    ]
    latest = page.locator("section.version").last
    assert latest.locator("ins").first.inner_text().endswith("danner, uddanner")
    assert "Odense (461)" in latest.locator("ul.changes").inner_text()
    assert "imødekommet" in latest.locator("ul.changes").inner_text()
    retired = example_site.url + "vaerdier/lokalmiljoeet.html"
    page.goto(retired)
    assert "lagt sammen med samarbejde-med-foraeldre" in page.locator(".notice").inner_text()
    page.click(".notice a[href='samarbejde-med-foraeldre.html']")
    assert page.url.endswith("vaerdier/samarbejde-med-foraeldre.html")
    OUTPUT.mkdir(exist_ok=True)
    page.goto(example_site.url + f"vaerdier/{value_id}.html")
    page.screenshot(path=str(OUTPUT / "site-value.png"), full_page=True)
    assert not watch.errors
    context.close()


def test_readable_on_a_phone_and_by_keyboard(browser: Browser, example_site: Served) -> None:
    context, watch = watched_context(browser, viewport=PHONE)
    page = context.new_page()
    watch_page(page, watch)
    for path in (
        "index.html",
        "vaerdier/index.html",
        "vaerdier/sammenhaeng-til-ungdomsuddannelse.html",
        "udgivelser/2019.2.html",
        "runder/eksempel-1.html",
        "om.html",
    ):
        page.goto(example_site.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width} px)"
    page.goto(example_site.url + "index.html")
    page.screenshot(path=str(OUTPUT / "site-index-phone.png"), full_page=True)
    context.close()

    context, watch = watched_context(browser, viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(example_site.url + "index.html")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "site-index.png"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Gå til indholdet"
    page.keyboard.press("Tab")  # the site's name, a link home
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.closest('nav') !== null, e.textContent, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[:2] == [True, "Forside"]
    assert focused[2] != "none" and focused[3] != "0px", focused
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/vaerdier/index.html")
    context.close()


def test_hostile_text_never_runs(browser: Browser, hostile_site: Served) -> None:
    context, watch = watched_context(browser)
    page = context.new_page()
    watch_page(page, watch)
    found: list[str] = []

    def visit(page: Page, url: str) -> None:
        live = page.evaluate(
            """() => {
              const bad = [];
              for (const s of document.querySelectorAll('script')) {
                const src = s.getAttribute('src');
                const data = s.id === 'svar-data' && s.type === 'application/json';
                if (src !== '../filter.js' && src !== '../../svar.js' && !data) {
                  bad.push(s.outerHTML);
                }
              }
              for (const e of document.querySelectorAll('*')) {
                for (const a of e.attributes) {
                  if (a.name.startsWith('on')) bad.push(e.outerHTML);
                  if (/^\\s*javascript:/i.test(a.value)) bad.push(e.outerHTML);
                }
              }
              for (const e of document.querySelectorAll('img, iframe, object, embed')) {
                bad.push(e.outerHTML);
              }
              return bad;
            }"""
        )
        assert not live, (url, live)
        found.append(page.locator("body").inner_text())

    crawl(page, hostile_site, visit)
    context.close()
    assert not watch.dialogs, watch.dialogs
    assert not watch.errors, watch.errors
    text = "\n".join(found)
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert "[x](javascript:alert(1))" in text
