"""`valreg changelog` on real repositories: golden files, each kind of change and its
provenance, sides given as versions, tags, refs or the work tree, and refusals."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import DATA, REPO, assert_golden, git, parse_html, run_valreg
from factories import ADOPTED, decide_everything, init_example, open_second_round, state

GOLDEN = DATA / "golden"
EPOCH = "1574000000"  # 2019-11-17, the day the example's 2019.2 is released
EDITOR_LOGIN = "kl-redaktion"
SCRIPT = "<script>alert('fiktivt')</script>"


@pytest.fixture(scope="module")
def applied_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example round decided and applied, not released (every command at EPOCH)."""
    root = tmp_path_factory.mktemp("applied") / "example"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        init_example(root)
        decide_everything(root)
        assert run_valreg("apply", cwd=root).returncode == 0
        yield root


@pytest.fixture(scope="module")
def released_template(applied_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """…and released as 2019.2, adopted."""
    root = Path(shutil.copytree(applied_template, tmp_path_factory.mktemp("released") / "ex"))
    result = run_valreg("release", "2019.2", *ADOPTED, cwd=root, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def third_template(released_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """…then a second fictional round (with a `<script>` in a proposal) released as 2019.3."""
    root = Path(shutil.copytree(released_template, tmp_path_factory.mktemp("third") / "ex"))
    open_second_round(
        root,
        "630-vejle.yaml",
        "# FICTIONAL\nround: eksempel-2\nmunicipality: 630\nsubmitted: 2020-02-01\nchanges:\n"
        '  - id: "1"\n    kind: amend\n    value: staerk-faglig-ledelse\n'
        f'    text: "Vi vil dagtilbud og folkeskoler med en stærk ledelse {SCRIPT} (fiktivt)"\n'
        '  - id: "2"\n    kind: remove\n    value: tvaerprofessionelt-samarbejde\n',
    )
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Fictional second round")
    env = {"SOURCE_DATE_EPOCH": "1583000000"}
    for change, decision, reason in (
        ("1", "accept", "Fiktivt: <b>god</b> idé"),
        ("2", "accept", None),
    ):
        args = ["decide", f"eksempel-2/630-vejle#{change}", decision, "--editor", EDITOR_LOGIN]
        result = run_valreg(*args, *(["--reason", reason] if reason else []), cwd=root, env=env)
        assert result.returncode == 0, result.stderr
    assert run_valreg("apply", cwd=root, env=env).returncode == 0
    assert run_valreg("release", "2019.3", cwd=root, env=env).returncode == 0
    return root


def _copy(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "example", symlinks=True))


@pytest.fixture
def released(released_template: Path, tmp_path: Path) -> Path:
    return _copy(released_template, tmp_path)


def changelog(root: Path, *args: str) -> str:
    """Run `valreg changelog ARGS` at EPOCH; it succeeds and never names an editor."""
    result = run_valreg("changelog", *args, cwd=root, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    assert EDITOR_LOGIN not in result.stdout
    return result.stdout


def as_json(root: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(changelog(root, *args, "--format", "json"))
    return data


def by_id(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in entries}


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_golden_files(released_template: Path, fmt: str) -> None:
    output = changelog(released_template, "2019.1", "2019.2", "--format", fmt)
    golden = GOLDEN / f"changelog-example.{fmt}"
    assert_golden(output, golden)


def test_json_follows_the_exported_schema(third_template: Path) -> None:
    schema = json.loads((REPO / "registry/schema/changelog.schema.json").read_text("utf-8"))
    for args in (("2019.1", "2019.2"), ("2019.1", "2019.3"), ("2019.3", "2019.3"), ()):
        jsonschema.validate(as_json(third_template, *args), schema)


def test_each_kind_of_change_with_its_provenance(released_template: Path) -> None:
    data = as_json(released_template, "2019.1", "2019.2")
    assert data["version"] == 1
    assert data["summary"] == {
        "added": 1,
        "retired": 1,
        "amended": 3,
        "merged": 1,
        "renumbered": 6,
        "changes": 7,
    }
    assert data["rounds"] == ["eksempel-1"]
    assert data["from"]["label"] == "2019.1" and data["from"]["date"] == "2019-03-18"
    assert data["to"]["adopted_by"]["body"] == "KL's Børne- og Undervisningsudvalg (fiktivt)"
    changes = by_id(data["changes"])

    (added,) = data["added"]
    assert added["id"] == "bruger-digitale-redskaber-omtanke" and added["number"] == 6
    assert added["changes"] == ["eksempel-1/101-koebenhavn#2"]
    koebenhavn = changes["eksempel-1/101-koebenhavn#2"]
    assert koebenhavn["municipality"] == {"code": "101", "name": "København"}
    assert koebenhavn["decision"] == "modify"
    assert koebenhavn["decision_text"] == "delvist imødekommet"
    assert koebenhavn["text"] == added["text"]
    assert koebenhavn["reason"] == "Fiktivt: præciseret"

    (retired,) = data["retired"]
    assert retired["id"] == "forskning-af-hoej-kvalitet" and retired["number"] is None
    assert retired["old_number"] == 5 and retired["changes"] == ["eksempel-1/751-aarhus#1"]
    assert changes["eksempel-1/751-aarhus#1"]["municipality"]["name"] == "Aarhus"

    amended = by_id(data["amended"])
    assert sorted(amended) == ["boernene-forrest", "danner-og-uddanner", "data-og-viden"]
    odense = amended["danner-og-uddanner"]
    assert odense["changes"] == ["eksempel-1/461-odense#1"]
    assert {"op": "insert", "text": "udvikler (fiktivt forslag)"} in odense["diff"]
    assert changes["eksempel-1/461-odense#1"]["decision_text"] == "imødekommet"
    assert changes["eksempel-1/461-odense#1"]["reason"] is None

    (merged,) = data["merged"]
    assert merged["id"] == "samarbejde-med-foraeldre" and merged["old_number"] == 3
    assert [m["id"] for m in merged["merged"]] == ["lokalmiljoeet"]
    assert merged["changes"] == ["eksempel-1/461-odense#2"]

    renumbered = {e["id"]: (e["old_number"], e["number"]) for e in data["renumbered"]}
    assert renumbered["initiativer-nedefra"] == (10, 1)
    assert renumbered["sammenhaeng-til-ungdomsuddannelse"] == (11, 10)
    assert by_id(data["renumbered"])["initiativer-nedefra"]["changes"] == [
        "eksempel-1/561-esbjerg#1"
    ]

    md = changelog(released_template, "2019.1", "2019.2")
    assert "- Esbjerg (eksempel-1/561-esbjerg#1): imødekommet" not in md  # it is in the table
    assert (
        "| initiativer-nedefra | 10 | 1 | Esbjerg (eksempel-1/561-esbjerg#1): imødekommet |" in md
    )
    assert "lokalmiljoeet (tidligere nr. 4) er lagt sammen med samarbejde-med-foraeldre" in md
    assert "Vedtaget af KL's Børne- og Undervisningsudvalg (fiktivt) den 20. november 2019." in md


def test_across_two_releases_with_escaped_text(third_template: Path) -> None:
    data = as_json(third_template, "2019.1", "2019.3")
    assert data["rounds"] == ["eksempel-1", "eksempel-2"]
    assert data["summary"]["changes"] == 9
    assert sorted(e["id"] for e in data["retired"]) == [
        "forskning-af-hoej-kvalitet",
        "tvaerprofessionelt-samarbejde",
    ]
    ledelse = by_id(data["amended"])["staerk-faglig-ledelse"]
    assert SCRIPT in ledelse["text"]
    vejle = by_id(data["changes"])["eksempel-2/630-vejle#1"]
    assert vejle["municipality"]["name"] == "Vejle"
    assert vejle["reason"] == "Fiktivt: <b>god</b> idé"
    assert data["to"]["status"] == "draft" and data["to"]["adopted_by"] is None

    html = changelog(third_template, "2019.1", "2019.3", "--format", "html")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    page = parse_html(html)
    assert ("html", {"lang": "da"}) in page.tags
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "main" in names
    assert not [a for tag, a in page.tags if tag in ("link", "img", "iframe") or "src" in a]
    headings = [int(tag[1]) for tag in names if tag in ("h1", "h2", "h3", "h4")]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))
    assert all("scope" in a for tag, a in page.tags if tag == "th")
    assert SCRIPT in " ".join(page.text)
    md = changelog(third_template, "2019.1", "2019.3")
    assert "<script>" not in md and r"\<script\>" in md


def test_work_tree_default_is_unreleased(applied_template: Path) -> None:
    md = changelog(applied_template)
    assert md.startswith(
        "# Ændringer i Kommunale kerneværdier på børne- og ungeområdet (eksempel): "
        "2019.1 → Ikke udgivet\n"
    )
    assert "| Dato | 18. marts 2019 | 17. november 2019 |" in md
    data = as_json(applied_template)
    assert data["to"]["label"] == "Ikke udgivet" and data["to"]["version"] is None
    assert data["summary"]["changes"] == 7
    assert data["rounds"] == ["eksempel-1"]


def test_tags_and_refs_as_sides(released: Path) -> None:
    by_version = changelog(released, "2019.1", "2019.2", "--format", "json")
    assert changelog(released, "values/2019.1", "values/2019.2", "--format", "json") == by_version
    summary = json.loads(by_version)["summary"]
    first = git(released, "rev-parse", "values/2019.1^{commit}").strip()
    data = as_json(released, first, "main")
    assert data["from"]["label"] == first and data["to"]["label"] == "main"
    assert data["from"]["version"] is None and data["summary"] == summary
    # The apply commit, before the release: the same changes.
    assert as_json(released, "2019.1", "HEAD~1")["summary"] == summary


def test_a_ref_at_a_release_commit_compares_with_the_release_before(released: Path) -> None:
    """Through the library: TO given alone (the CLI reads one argument as FROM)."""
    import datetime as dt

    from valreg.versions.changelog import build_changelog

    at_release = build_changelog(released, None, "HEAD", today=dt.date(2019, 11, 17))
    assert at_release.old.label == "2019.1" and at_release.new.label == "HEAD"
    assert len(at_release.changes) == 7
    before_release = build_changelog(released, None, "HEAD~1", today=dt.date(2019, 11, 17))
    assert before_release.old.label == "2019.1"
    assert before_release.renumbered == at_release.renumbered


def test_empty_changelogs(released: Path) -> None:
    for args in (("2019.2", "2019.2"), ()):
        data = as_json(released, *args)
        assert data["from"]["label"] == "2019.2"
        assert set(data["summary"].values()) == {0}
        assert data["changes"] == []
    md = changelog(released)
    assert md.count("Ingen.") == 6
    assert "Høringsrunder: ingen." in md


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2019.7"], "there is no release 2019.7; releases: 2019.1, 2019.2"),
        (["2019.1", "nope"], "'nope' is neither a release nor a git ref; releases: 2019.1, 2019.2"),
        (["--", "--output=x"], "is neither a release nor a git ref"),
        (["2019.1", "2019.2", "--format", "pdf"], "invalid choice"),
    ],
)
def test_unknown_sides_are_usage_errors(released: Path, args: list[str], message: str) -> None:
    result = run_valreg("changelog", *args, cwd=released)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_without_a_release_from_must_be_named(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    assert run_valreg("init", str(root)).returncode == 0
    refused = run_valreg("changelog", cwd=root)
    assert refused.returncode == 2
    assert "there is no release before Ikke udgivet; name FROM (releases: none)" in refused.stderr
    assert as_json(root, "HEAD")["summary"]["changes"] == 0


def test_writes_nothing_but_out(released: Path, tmp_path: Path) -> None:
    value = released / "values/danner-og-uddanner.yaml"
    value.write_text(value.read_text(encoding="utf-8") + "# an uncommitted edit\n", "utf-8")
    status = git(released, "status", "--porcelain")  # refreshes the index, so first
    before = state(released)
    for fmt in ("md", "json", "html"):
        for args in ((), ("2019.1", "2019.2"), ("values/2019.1", "HEAD")):
            changelog(released, *args, "--format", fmt)
    out = tmp_path / "site" / "changelog.html"
    result = run_valreg("changelog", "2019.1", "--format", "html", "--out", str(out), cwd=released)
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == changelog(released, "2019.1", "--format", "html")
    assert state(released) == before
    assert git(released, "status", "--porcelain") == status
