"""The real registry: its data comes from the sources in ../shared/seeds, verbatim."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import REPO, SEEDS
from valreg.registry.check import check_registry
from valreg.registry.models import text_digest
from valreg.registry.snapshot import Snapshot, load_snapshot

REGIONS = {
    "Region Hovedstaden": 29,
    "Region Sjælland": 17,
    "Region Syddanmark": 22,
    "Region Midtjylland": 19,
    "Region Nordjylland": 11,
}


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return load_snapshot(REPO)


def test_the_real_registry_checks_clean() -> None:
    result = check_registry(REPO)
    assert result.diagnostics == ()
    assert result.files >= 16


def test_98_municipalities_with_unique_codes_and_names(snapshot: Snapshot) -> None:
    municipalities = snapshot.files["registry/municipalities.yaml"].model
    assert len(municipalities) == 98
    assert len({m.code for m in municipalities}) == 98
    assert len({m.name for m in municipalities}) == 98
    assert all(re.fullmatch(r"[1-9][0-9]{2}", m.code) for m in municipalities)
    assert Counter(m.region for m in municipalities) == REGIONS
    by_code = {m.code: m.name for m in municipalities}
    assert by_code["101"] == "København"
    assert by_code["461"] == "Odense"
    assert by_code["751"] == "Aarhus"
    assert by_code["860"] == "Hjørring"
    assert "411" not in by_code  # Christiansø is not a municipality
    header = (REPO / "registry/municipalities.yaml").read_text(encoding="utf-8")[:800]
    assert "Source:" in header and "Danmarks Statistik" in header


def test_values_are_the_first_draft_verbatim(snapshot: Snapshot) -> None:
    seed = (SEEDS / "2019-03-18-kl-foerste-bud.txt").read_text(encoding="utf-8")
    drafted = {int(n): text.strip() for n, text in re.findall(r"^ (\d+)\. (.+)$", seed, re.M)}
    assert len(drafted) == 11
    values = {p.model.number: p.model for p in snapshot.valid("value")}
    assert {n: v.text for n, v in values.items()} == drafted
    assert all(v.status == "active" for v in values.values())


def test_release_2019_1_is_the_draft_with_its_hashes(snapshot: Snapshot) -> None:
    release = snapshot.releases["2019.1"].model
    assert (release.status, release.date.isoformat(), release.previous) == (
        "draft",
        "2019-03-18",
        None,
    )
    values = {p.model.id: p.model for p in snapshot.valid("value")}
    assert [(e.id, e.number) for e in release.values] == sorted(
        ((v.id, v.number) for v in values.values()), key=lambda pair: pair[1]
    )
    for entry in release.values:
        assert entry.sha256 == text_digest(values[entry.id].text)


def test_rounds_follow_the_sources(snapshot: Snapshot) -> None:
    first = snapshot.rounds["2019-1"].model
    assert (first.base, first.opens.isoformat(), first.deadline.isoformat()) == (
        "2019.1",
        "2019-03-18",
        "2019-04-23",
    )
    assert first.closed and first.answered_elsewhere == 22
    second = snapshot.rounds["2019-2"].model
    assert second.base is None and second.closed
    assert second.deadline.isoformat() == "2019-11-01"
    letter = (SEEDS / "2019-kl-brev-10-vaerdier.txt").read_text(encoding="utf-8")
    asked = re.findall(r"^- \*(.+)\*$", letter, re.M)
    assert [q.text for q in second.questions] == asked
    assert len(asked) == 2


def test_registry_metadata(snapshot: Snapshot) -> None:
    registry = snapshot.registry
    assert registry is not None
    assert registry.name == "Kommunale kerneværdier på børne- og ungeområdet"
    assert (registry.owner, registry.language, registry.tag_prefix) == ("KL", "da", "values/")
