"""An adoption recorded after the release (`valreg adopt`) is shown by the changelog, the
report and the site exactly as an adoption in the manifest is; a draft is "sendt i
høring" only when a round has it as its base (#22)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_valreg
from factories import ADOPTION, EPOCH, adopt, build_draft, site

ADOPTED_BY = "KL's Børne- og Undervisningsudvalg (fiktivt)"
ON_THE_DAY = {"SOURCE_DATE_EPOCH": EPOCH}


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example released as the draft 2019.2, not adopted."""
    return build_draft(tmp_path_factory.mktemp("drafted") / "example")[0]


@pytest.fixture(scope="module")
def adopted_later(drafted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The draft, then adopted with `valreg adopt` (ADOPTION)."""
    copy = Path(shutil.copytree(drafted, tmp_path_factory.mktemp("later") / "example"))
    adopt(copy)
    return copy


@pytest.fixture(scope="module")
def adopted_at_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same release with the same adoption in its manifest (`--status adopted`)."""
    root = tmp_path_factory.mktemp("at-once") / "example"
    return build_draft(root, "--status", "adopted", *ADOPTION)[0]


def outputs(root: Path, tmp_path: Path) -> dict[str, str]:
    """What the public reads about release 2019.2."""
    found = {}
    for name, args in {
        "changelog.md": ("changelog", "2019.1", "2019.2"),
        "changelog.json": ("changelog", "2019.1", "2019.2", "--format", "json"),
        "changelog.html": ("changelog", "2019.1", "2019.2", "--format", "html"),
        "report.md": ("report", "eksempel-1"),
        "report.html": ("report", "eksempel-1", "--format", "html"),
    }.items():
        result = run_valreg(*args, cwd=root, env=ON_THE_DAY)
        assert result.returncode == 0, result.stderr
        found[name] = result.stdout
    out = site(root, tmp_path / f"site-{root.parent.name}")
    for page in ("index.html", "udgivelser/index.html", "udgivelser/2019.2.html"):
        found[page] = (out / page).read_text(encoding="utf-8")
    found["feed.xml"] = (out / "feed.xml").read_text(encoding="utf-8")
    return found


def test_an_adoption_recorded_later_is_shown_as_one_in_the_manifest(
    adopted_later: Path, adopted_at_once: Path, tmp_path: Path
) -> None:
    later, at_once = outputs(adopted_later, tmp_path), outputs(adopted_at_once, tmp_path)
    for name, text in at_once.items():
        assert later[name] == text, name
    assert "Vedtaget af" in later["index.html"]


def test_the_changelog_shows_the_adoption(drafted: Path, adopted_later: Path) -> None:
    before = run_valreg("changelog", "2019.1", "2019.2", cwd=drafted).stdout
    assert "| Udgave | 2019.1 «Første bud», udkast | 2019.2 «Udgave 2019.2», udkast |" in before
    assert "Vedtaget af" not in before
    after = run_valreg("changelog", "2019.1", "2019.2", cwd=adopted_later).stdout
    assert "| 2019.2 «Udgave 2019.2», vedtaget |" in after
    assert (
        f"Vedtaget af {ADOPTED_BY} den 20. november 2019 "
        "([referat](https://example.invalid/referat-2019-11-20))."
    ) in after
    document = json.loads(
        run_valreg("changelog", "2019.1", "2019.2", "--format", "json", cwd=adopted_later).stdout
    )
    assert document["to"]["status"] == "adopted"
    assert document["to"]["adopted_by"] == {
        "body": ADOPTED_BY,
        "date": "2019-11-20",
        "minutes": "https://example.invalid/referat-2019-11-20",
    }


def test_the_report_shows_the_release_and_its_adoption(drafted: Path, adopted_later: Path) -> None:
    before = run_valreg("report", "eksempel-1", cwd=drafted, env=ON_THE_DAY).stdout
    assert (
        "Afgørelserne indgår i [udgave 2019.2 «Udgave 2019.2»](registry/releases/2019.2.yaml) "
        "af 17. november 2019, et udkast, der endnu ikke er vedtaget.\n"
    ) in before
    after = run_valreg("report", "eksempel-1", cwd=adopted_later, env=ON_THE_DAY).stdout
    line = next(x for x in after.splitlines() if x.startswith("Afgørelserne indgår i"))
    assert "af 17. november 2019, vedtaget af KL's Børne" in line
    assert "den 20. november 2019 ([referat](https://example.invalid/referat-2019-11-20))." in line


def test_the_site_shows_the_adoption(drafted: Path, adopted_later: Path, tmp_path: Path) -> None:
    out = site(drafted, tmp_path / "before")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Der er endnu ikke vedtaget nogen værdier." in index
    releases = (out / "udgivelser/index.html").read_text(encoding="utf-8")
    # 2019.1 was sent out in round eksempel-1; 2019.2 is the base of no round
    assert (
        '18. marts 2019: Udkast, sendt i høring i <a href="../runder/eksempel-1.html">'
        "høringsrunde eksempel-1</a>."
    ) in releases
    assert "17. november 2019: Udkast.\n" in releases

    out = site(adopted_later, tmp_path / "after")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'De gældende værdier er <a href="udgivelser/2019.2.html">udgave 2019.2' in index
    escaped = ADOPTED_BY.replace("'", "&#39;")
    assert f"Vedtaget af {escaped} den 20. november 2019" in index
    value = (out / "vaerdier/danner-og-uddanner.html").read_text(encoding="utf-8")
    assert "«Udgave 2019.2», vedtaget, 17. november 2019</h3>" in value
    assert "«Første bud», udkast sendt i høring, 18. marts 2019</h3>" in value
