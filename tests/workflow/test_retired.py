"""A change to a retired value is refused: check names where it went, review does not
number it, apply does not rewrite its file.

The example's 2019.2 merges lokalmiljoeet into samarbejde-med-foraeldre; a second
(fictional) round then names lokalmiljoeet in every kind of change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import git, run_valreg
from factories import EDITOR, build_example, open_second_round

GONE, SURVIVOR = "lokalmiljoeet", "samarbejde-med-foraeldre"
PROPOSAL = "proposals/eksempel-2/461-odense.yaml"

#: One change of each kind that names a value, with the line the value is named on.
KINDS = {
    "amend": ("kind: amend\n    value: {v}\n    text: Fiktiv ny tekst\n", "value"),
    "remove": ("kind: remove\n    value: {v}\n", "value"),
    "merge": ("kind: merge\n    values: [data-og-viden, {v}]\n    text: Fiktiv samlet tekst\n", 1),
    "move": ("kind: move\n    value: {v}\n    after: null\n", "value"),
    "add": ("kind: add\n    after: {v}\n    text: Fiktiv ny værdi\n", "after"),
    "comment": ("kind: comment\n    value: {v}\n    text: Fiktiv kommentar\n", "value"),
}


def proposal(base: str, kind: str, value: str = GONE) -> str:
    body = KINDS[kind][0].format(v=value)
    return (
        f'# FICTIONAL\nround: eksempel-2\nmunicipality: "461"\nsubmitted: 2020-02-01\n'
        f'base: "{base}"\nchanges:\n  - id: "1"\n    {body}'
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("retired") / "example")


@pytest.fixture
def second(released: Path, tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(released, root, symlinks=True)
    return root


def diagnostics(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_valreg("check", "--format", "json", *args, cwd=root)
    found: list[dict[str, object]] = json.loads(result.stdout)["diagnostics"]
    return [d for d in found if d["path"] == PROPOSAL]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_naming_a_retired_value_is_an_error(second: Path, kind: str) -> None:
    open_second_round(second, "461-odense.yaml", proposal("2019.2", kind))
    found = diagnostics(second)
    assert [d["code"] for d in found] == ["P515"]
    line = (second / PROPOSAL).read_text(encoding="utf-8").splitlines()
    assert GONE in line[int(str(found[0]["line"])) - 1]
    assert f"merged into '{SURVIVOR}' in 2019.2" in str(found[0]["message"])
    danish = json.loads(run_valreg("check", "--format", "json", "--lang", "da", cwd=second).stdout)
    assert any(
        f"blev lagt sammen med '{SURVIVOR}' i 2019.2" in d["message"] for d in danish["diagnostics"]
    )


def test_same_value_is_fine_against_the_release_that_held_it(second: Path) -> None:
    """A proposal written against 2019.1 (where the value was in the set) passes check —
    this is what every proposal of the round that merged it looks like afterwards."""
    open_second_round(second, "461-odense.yaml", proposal("2019.1", "amend"))
    assert diagnostics(second) == []
    result = run_valreg("check", cwd=second)
    assert result.returncode == 0, result.stdout


def test_a_value_retired_without_a_merge_says_retired(second: Path) -> None:
    gone = second / "values/forskning-af-hoej-kvalitet.yaml"
    assert "status: retired" in gone.read_text(encoding="utf-8")
    assert "merged_into" not in gone.read_text(encoding="utf-8")
    open_second_round(
        second, "461-odense.yaml", proposal("2019.2", "amend", "forskning-af-hoej-kvalitet")
    )
    (found,) = diagnostics(second)
    assert found["code"] == "P515"
    message = str(found["message"])
    assert "was retired in 2019.2" in message
    assert SURVIVOR in message and "forskning-af-hoej-kvalitet" not in message.split(":", 1)[1]


def test_unknown_value_suggests_the_close_match_only(second: Path) -> None:
    open_second_round(second, "461-odense.yaml", proposal("2019.2", "amend", "data-og-videm"))
    (found,) = diagnostics(second)
    assert found["code"] == "P506"
    assert str(found["message"]).endswith("did you mean 'data-og-viden'?")
    assert SURVIVOR not in str(found["message"])


def test_unknown_value_lists_only_the_values_at_the_base(second: Path) -> None:
    open_second_round(second, "461-odense.yaml", proposal("2019.2", "amend", "xyzzy"))
    (found,) = diagnostics(second)
    assert found["code"] == "P506"
    message = str(found["message"])
    assert "values in 2019.2:" in message
    assert SURVIVOR in message and GONE not in message


def test_a_misspelled_retired_value_says_where_it_went(second: Path) -> None:
    open_second_round(second, "461-odense.yaml", proposal("2019.2", "amend", "lokalmiljoet"))
    (found,) = diagnostics(second)
    assert found["code"] == "P506"
    assert f"'{GONE}' was merged into '{SURVIVOR}' in 2019.2" in str(found["message"])


def test_check_since_finds_the_same(second: Path) -> None:
    """Only the proposal changed: the cached context must know the value is retired."""
    assert run_valreg("check", cwd=second).returncode == 0  # fills the cache
    open_second_round(second, "461-odense.yaml", proposal("2019.2", "remove"))
    since = json.loads(
        run_valreg("check", "--since", "HEAD", "--format", "json", cwd=second).stdout
    )
    assert [d["code"] for d in since["diagnostics"] if d["path"] == PROPOSAL] == ["P515"]


def test_retiring_a_value_later_is_found_by_check_since(second: Path) -> None:
    """The proposal is committed and clean; then its value's file retires it (the value
    is a dependant's target): `--since` rechecks the proposal."""
    open_second_round(second, "461-odense.yaml", proposal("2019.2", "amend", "data-og-viden"))
    git(second, "add", "--all")
    git(second, "commit", "--quiet", "-m", "round 2")
    assert run_valreg("check", cwd=second).returncode == 0
    value = second / "values/data-og-viden.yaml"
    value.write_text(
        value.read_text(encoding="utf-8") + 'status: retired\nretired_in: "2019.1"\n',
        encoding="utf-8",
    )
    full = {(d["path"], d["code"]) for d in diagnostics(second)}
    since = json.loads(
        run_valreg("check", "--since", "HEAD", "--format", "json", cwd=second).stdout
    )
    assert {(d["path"], d["code"]) for d in since["diagnostics"] if d["path"] == PROPOSAL} == full


def test_review_does_not_number_a_retired_value(second: Path) -> None:
    open_second_round(second, "461-odense.yaml", proposal("2019.1", "amend"))
    text = run_valreg("review", "eksempel-2", cwd=second).stdout
    numbered = [line for line in text.splitlines() if line[:1].isdigit()]
    assert not any(GONE in line for line in numbered)
    assert f"{GONE} [merged into {SURVIVOR} in 2019.2" in text
    data = json.loads(run_valreg("review", "eksempel-2", "--format", "json", cwd=second).stdout)
    (gone,) = [v for v in data["values"] if v["id"] == GONE]
    assert gone["number"] is None
    assert (gone["status"], gone["merged_into"], gone["retired_in"]) == (
        "retired",
        SURVIVOR,
        "2019.2",
    )


def test_apply_never_rewrites_a_retired_value(second: Path) -> None:
    """Against 2019.1 the change passes check; accepting it must still not touch the
    retired file."""
    open_second_round(second, "461-odense.yaml", proposal("2019.1", "amend"))
    git(second, "add", "--all")
    git(second, "commit", "--quiet", "-m", "round 2")
    decided = run_valreg("decide", "eksempel-2/461-odense#1", "accept", *EDITOR, cwd=second)
    assert decided.returncode == 0, decided.stderr
    before = (second / f"values/{GONE}.yaml").read_bytes()
    head = git(second, "rev-parse", "HEAD")
    result = run_valreg("apply", "eksempel-2", cwd=second)
    assert result.returncode == 1
    assert f"eksempel-2/461-odense#1 ({GONE}, merged into {SURVIVOR} in 2019.2)" in result.stderr
    assert "Traceback" not in result.stderr
    assert (second / f"values/{GONE}.yaml").read_bytes() == before
    assert git(second, "rev-parse", "HEAD") == head
