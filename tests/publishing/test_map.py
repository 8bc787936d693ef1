"""The answers by region as pictures (#19): the map data, and the bar chart and the map in
the report (HTML and Word) and on the site, checked against `status`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import docx
import pytest
import yaml

from conftest import REPO, run_valreg
from factories import init_example, site

SEPT_25 = {"SOURCE_DATE_EPOCH": "1569412800"}
ROUND = "eksempel-1"
CREDIT = "Kommunegrænser: DAGI, Klimadatastyrelsen"


def test_every_municipality_has_a_shape_and_christiansoe_none() -> None:
    from valreg.publishing.map.shapes import load_shapes

    shapes = load_shapes()
    codes = {
        str(m["code"])
        for m in yaml.safe_load((REPO / "registry/municipalities.yaml").read_text("utf-8"))
    }
    assert len(codes) == 98
    assert set(shapes.rings) == codes == set(shapes.path_data)
    assert "411" not in shapes.rings
    assert all(shapes.rings[code] for code in codes)
    data = resources.files("valreg.publishing.map").joinpath("kommuner.json")
    assert len(data.read_bytes()) < 200_000
    readme = resources.files("valreg.publishing.map").joinpath("README.md").read_text("utf-8")
    assert "DAGI" in readme and "Klimadatastyrelsen" in readme and CREDIT in readme


class _Paths(HTMLParser):
    """Each map path's municipality code and standing class, in one SVG."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "path" and found.get("data-code"):
            self.paths[str(found["data-code"])] = str(found.get("class"))


def _standings(root: Path) -> dict[str, str]:
    data = json.loads(run_valreg("status", ROUND, "--format", "json", cwd=root, env=SEPT_25).stdout)
    return {m["code"]: m["standing"].replace("_", "-") for m in data["municipalities"]}


def _check_page(html: str, root: Path) -> None:
    parser = _Paths()
    parser.feed(html)
    assert {
        code: cls.removeprefix("standing-") for code, cls in parser.paths.items()
    } == _standings(root)
    assert CREDIT in html
    assert html.count('role="img"') >= 2  # the bar chart and the map, each named by its title
    assert "<script" not in html.split("<svg", 1)[1]
    rows = re.findall(r"<tr><th scope=\"row\">(Region [^<]+)</th>((?:<td>\d+</td>)+)</tr>", html)
    totals = [int(re.findall(r"<td>(\d+)</td>", cells)[-1]) for _, cells in rows]
    assert len(rows) == 5 and sum(totals) == 98


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_example(tmp_path_factory.mktemp("map") / "example")


def test_the_report_shows_the_answers_on_the_map(example: Path) -> None:
    html = run_valreg("report", ROUND, "--format", "html", cwd=example, env=SEPT_25).stdout
    _check_page(html, example)


def test_the_round_page_shows_the_answers_on_the_map(example: Path, tmp_path: Path) -> None:
    out = site(example, tmp_path / "site")
    _check_page((out / f"runder/{ROUND}.html").read_text("utf-8"), example)


def test_the_word_report_has_both_pictures_with_text_alternatives(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notat.docx"
    result = run_valreg(
        "report", ROUND, "--format", "docx", "--out", str(out), cwd=example, env=SEPT_25
    )
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert descriptions[0].startswith("Søjlediagram") and CREDIT in descriptions[1]
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Region"]
    assert sum(int(row.cells[-1].text) for row in table.rows[1:]) == 98
    again = tmp_path / "igen.docx"
    run_valreg("report", ROUND, "--format", "docx", "--out", str(again), cwd=example, env=SEPT_25)
    assert again.read_bytes() == out.read_bytes()  # the same pictures, byte for byte


def test_a_registry_of_others_than_denmarks_municipalities_gets_no_map() -> None:
    from valreg.publishing.map.figures import region_figures
    from valreg.workflow.state import Standing
    from valreg.workflow.status import MunicipalityStanding

    words = {s: s.name for s in Standing}
    figures = region_figures(
        [MunicipalityStanding("9001", "Andeby", "Nord", Standing.ANSWERED)], words
    )
    assert figures.map is None and figures.rows == (("Nord", (1, 0, 0, 0), 1),)
