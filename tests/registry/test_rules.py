"""Rules that need more than one changed file, and the personal-data patterns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import VALID_REGISTRY
from valreg.registry.check import check_registry
from valreg.registry.rules import EMAIL, PHONE
from valreg.registry.yamlio import YamlProblem, load_yaml


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(VALID_REGISTRY, target)
    return target


def _release(root: Path, version: str, previous: str) -> None:
    text = (root / "registry/releases/2019.1.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2019.1"', f'version: "{version}"')
    text = text.replace("previous: null", f'previous: "{previous}"')
    (root / f"registry/releases/{version}.yaml").write_text(text, encoding="utf-8")


def test_releases_are_ordered_by_version_not_by_text(root: Path) -> None:
    for n in range(2, 11):
        _release(root, f"2019.{n}", f"2019.{n - 1}")
    assert check_registry(root).diagnostics == ()


def test_a_gap_in_the_release_line_is_found(root: Path) -> None:
    _release(root, "2019.2", "2019.1")
    _release(root, "2019.3", "2019.1")
    (found,) = check_registry(root).diagnostics
    assert (found.path, found.code, found.line) == ("registry/releases/2019.3.yaml", "R712", 7)
    assert "the release before 2019.3 is 2019.2" in found.message


def test_a_shared_number_is_reported_on_each_file(root: Path) -> None:
    changed = root / "values/boernene-forrest.yaml"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("number: 2", "number: 1"), encoding="utf-8"
    )
    only_changed = check_registry(root, [changed])
    assert {(d.path, d.code) for d in only_changed.diagnostics} >= {
        ("values/boernene-forrest.yaml", "V402")
    }


def test_tab_and_encoding_columns_count_characters() -> None:
    tab = load_yaml(b"a:\n  b: 1\n\tc: 2\n")
    assert isinstance(tab, YamlProblem)
    assert (tab.code, tab.line, tab.col) == ("Y110", 3, 1)
    latin1 = load_yaml("a: æææææ x".encode() + b"\xf8\n")
    assert isinstance(latin1, YamlProblem)
    assert (latin1.code, latin1.line, latin1.col) == ("Y102", 1, 11)


@pytest.mark.parametrize(
    "text",
    [
        "ring 33 70 33 70",
        "tlf. 33703370.",
        "+45 3370 3370",
        "0045 33703370",
        "+44 20 7946 0958",
        "Ring på 3370 3370",
        "telefon: 33703370",
        "mobil 20 30 40 50",
    ],
)
def test_phone_numbers_are_found(text: str) -> None:
    assert PHONE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "2019-09-20",
        "kl. 10.30",
        "CVR 35209115",
        "i skoleårene 2019 2020",
        "12345678",
        "1.000.000 kr.",
        "§ 17, stk. 4",
        "https://example.org/referat/2019/04/20",
    ],
)
def test_numbers_that_are_not_phone_numbers(text: str) -> None:
    assert not PHONE.search(text)


def test_email_addresses_are_found() -> None:
    assert EMAIL.search("Skriv til FLJE@kl.dk")
    assert not EMAIL.search("Børne- og Ungeudvalget @ Odense")
