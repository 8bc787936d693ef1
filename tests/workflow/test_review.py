"""`valreg review`: word diffs, conflicts, stale changes and duplicates on the example round."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import git, run_valreg
from valreg.registry.models import change_digest
from valreg.registry.snapshot import load_snapshot
from valreg.workflow.review import (
    Conflict,
    DiffPart,
    Duplicate,
    Review,
    find_conflicts,
    find_duplicates,
    normalise_text,
    render_markdown,
    render_text,
    review_round,
    word_diff,
)
from valreg.workflow.state import ChangeRecord, collect_changes, select_round

ROUND = "eksempel-1"
DECISIONS = f"registry/rounds/{ROUND}/decisions.yaml"
EXTRA = f"proposals/{ROUND}/165-albertslund.yaml"
ODENSE, KOEBENHAVN = f"{ROUND}/461-odense#1", f"{ROUND}/101-koebenhavn#1"
ODENSE_MERGE, KOEBENHAVN_ADD = f"{ROUND}/461-odense#2", f"{ROUND}/101-koebenhavn#2"
AARHUS, AALBORG, ESBJERG = (
    f"{ROUND}/751-aarhus#1",
    f"{ROUND}/851-aalborg#1",
    f"{ROUND}/561-esbjerg#1",
)
KOLDING, HERNING = f"{ROUND}/621-kolding#1", f"{ROUND}/657-herning#1"
FREDERIKSBERG, ALBERTSLUND = f"{ROUND}/147-frederiksberg#1", f"{ROUND}/165-albertslund#1"
#: The conflicts the example round is made to have.
EXAMPLE_CONFLICTS = {
    ("different-texts", (KOEBENHAVN, ODENSE), "danner-og-uddanner"),
    ("amend-vs-remove", (AALBORG, AARHUS), "forskning-af-hoej-kvalitet"),
}


@pytest.fixture(scope="module")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`valreg init --example`, made once per module (with its own git identity)."""
    home = tmp_path_factory.mktemp("template-home")
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = Test Editor\n\temail = editor@example.invalid\n")
    env = {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    target = tmp_path_factory.mktemp("template") / "example"
    assert run_valreg("init", str(target), "--example", env=env).returncode == 0
    return target


@pytest.fixture
def example(example_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example registry, git history included."""
    return Path(shutil.copytree(example_template, tmp_path / "example", symlinks=True))


def _records(root: Path, applied: tuple[str, ...] = ()) -> dict[str, ChangeRecord]:
    snapshot = load_snapshot(root)
    return {r.id: r for r in collect_changes(snapshot, select_round(snapshot, ROUND), applied)}


def _conflicts(root: Path, only: set[str] | None = None) -> set[tuple[str, tuple[str, ...], str]]:
    records = [r for r in _records(root).values() if only is None or r.id in only]
    return {
        (c.kind, c.change_ids, c.value or "") for c in find_conflicts(records, load_snapshot(root))
    }


def _review(root: Path, value: str | None = None) -> Review:
    return review_round(load_snapshot(root), ROUND, (), value)


def _propose(root: Path, *change: str) -> None:
    """A fictional extra proposal from Albertslund with one change, given as YAML lines."""
    lines = [f"round: {ROUND}", "municipality: 165", "submitted: 2019-09-20", "changes:"]
    lines += ['  - id: "1"', *(f"    {line}" for line in change)]
    (root / EXTRA).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _decide(root: Path, *decisions: tuple[str, str, dict[str, str]]) -> None:
    """Write decisions.yaml: (change id, decision, fields), hashed as `decide` does unless
    the fields give a `change_sha256`."""
    records = _records(root)
    lines = []
    for change_id, decision, extra in decisions:
        digest = change_digest(records[change_id].change)
        fields = {"change_sha256": digest, "decision": decision, **extra}
        lines.append(f"- change: {change_id}")
        lines += [
            f"  {key}: {json.dumps(text, ensure_ascii=False)}" for key, text in fields.items()
        ]
        lines += ["  date: 2019-10-01", "  editor: kl-redaktion"]
    (root / DECISIONS).write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- word diff ----------------------------------------------------------------------------


def test_word_diff_of_identical_and_empty_texts() -> None:
    assert word_diff("Vi vil børn", "Vi vil børn") == [DiffPart("equal", "Vi vil børn")]
    assert word_diff("", "") == []
    assert word_diff("", "ny tekst") == [DiffPart("insert", "ny tekst")]
    assert word_diff("gammel tekst", "  ") == [DiffPart("delete", "gammel tekst")]


def test_word_diff_keeps_punctuation_on_its_word_and_compares_in_nfc() -> None:
    assert word_diff("der både danner og uddanner", "der både danner, uddanner og udvikler") == [
        DiffPart("equal", "der både"),
        DiffPart("delete", "danner"),
        DiffPart("insert", "danner, uddanner"),
        DiffPart("equal", "og"),
        DiffPart("delete", "uddanner"),
        DiffPart("insert", "udvikler"),
    ]
    assert word_diff("Vi sætter børnene først.", "Vi sætter børn og unge først.") == [
        DiffPart("equal", "Vi sætter"),
        DiffPart("delete", "børnene"),
        DiffPart("insert", "børn og unge"),
        DiffPart("equal", "først."),
    ]
    decomposed = unicodedata.normalize("NFD", "Forældre på Ærø")
    assert decomposed != "Forældre på Ærø"
    assert word_diff(decomposed, "Forældre  på\nÆrø") == [DiffPart("equal", "Forældre på Ærø")]


@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    parts = word_diff(old, new)
    assert " ".join(p.text for p in parts if p.op != "insert") == normalise_text(old)
    assert " ".join(p.text for p in parts if p.op != "delete") == normalise_text(new)
    assert all(p.text for p in parts)


def test_diffs_render_like_git_word_diff_and_in_markdown(example: Path) -> None:
    text = render_text(_review(example, "danner-og-uddanner"))
    assert (
        "       Vi vil dagtilbud og folkeskoler, der både [-danner-]{+danner, uddanner+} og "
        "[-uddanner-]{+udvikler (fiktivt forslag)+}\n" in text
    )
    markdown = render_markdown(_review(example, "danner-og-uddanner"))
    assert "der ~~både~~ danner og uddanner **til livet (fiktivt forslag)**" in markdown


# --- conflicts ----------------------------------------------------------------------------


def test_the_example_conflicts(example: Path) -> None:
    conflicts = find_conflicts(_records(example).values(), load_snapshot(example))
    assert [(c.kind, c.change_ids, c.value) for c in conflicts] == [
        ("different-texts", (KOEBENHAVN, ODENSE), "danner-og-uddanner"),
        ("amend-vs-remove", (AALBORG, AARHUS), "forskning-af-hoej-kvalitet"),
    ]
    assert conflicts[1] == Conflict(
        "amend-vs-remove",
        (AALBORG, AARHUS),
        "forskning-af-hoej-kvalitet",
        f"'forskning-af-hoej-kvalitet' is removed by {AARHUS}, but amended by {AALBORG}",
    )


def test_one_conflict_per_value_names_every_change_in_it(example: Path) -> None:
    _propose(example, "kind: amend", "value: danner-og-uddanner", "text: Fiktiv tredje tekst")
    (different, _) = find_conflicts(_records(example).values(), load_snapshot(example))
    assert different == Conflict(
        "different-texts",
        (KOEBENHAVN, ALBERTSLUND, ODENSE),
        "danner-og-uddanner",
        f"{KOEBENHAVN}, {ALBERTSLUND} and {ODENSE} give 'danner-og-uddanner' different texts",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ["kind: remove", "value: samarbejde-med-foraeldre"],
            ("merge-with-removed", (ODENSE_MERGE, ALBERTSLUND), "samarbejde-med-foraeldre"),
        ),
        (
            ["kind: remove", "value: lokalmiljoeet"],
            ("merge-with-removed", (ODENSE_MERGE, ALBERTSLUND), "lokalmiljoeet"),
        ),
        (
            ["kind: remove", "value: initiativer-nedefra"],
            ("move-of-removed", (ESBJERG, ALBERTSLUND), "initiativer-nedefra"),
        ),
        (
            ["kind: move", "value: staerk-faglig-ledelse", "after: forskning-af-hoej-kvalitet"],
            ("move-after-removed", (ALBERTSLUND, AARHUS), "forskning-af-hoej-kvalitet"),
        ),
        (
            ["kind: add", "after: forskning-af-hoej-kvalitet", "text: Fiktiv ny værdi"],
            ("add-after-removed", (ALBERTSLUND, AARHUS), "forskning-af-hoej-kvalitet"),
        ),
        (
            ["kind: add", "after: data-og-viden", "text: Fiktiv anden ny værdi"],
            ("adds-after-same-value", (KOEBENHAVN_ADD, ALBERTSLUND), "data-og-viden"),
        ),
        (
            ["kind: move", "value: initiativer-nedefra", "after: boernene-forrest"],
            ("different-positions", (ALBERTSLUND, ESBJERG), "initiativer-nedefra"),
        ),
        (
            ["kind: amend", "value: lokalmiljoeet", "text: Fiktiv ny tekst"],
            ("change-of-merged-value", (ALBERTSLUND, ODENSE_MERGE), "lokalmiljoeet"),
        ),
        (  # the same merge in other words: only its text conflicts
            ["kind: merge", "values: [samarbejde-med-foraeldre, lokalmiljoeet]", "text: Fiktiv"],
            ("different-texts", (ALBERTSLUND, ODENSE_MERGE), "samarbejde-med-foraeldre"),
        ),
        (  # each merge sees the other; reported once
            ["kind: merge", "values: [staerk-faglig-ledelse, lokalmiljoeet]", "text: Fiktiv"],
            ("change-of-merged-value", (ALBERTSLUND, ODENSE_MERGE), "lokalmiljoeet"),
        ),
    ],
)
def test_each_kind_of_conflict(
    example: Path, change: list[str], expected: tuple[str, tuple[str, ...], str]
) -> None:
    _propose(example, *change)
    assert _conflicts(example) == {*EXAMPLE_CONFLICTS, expected}


def test_same_add_in_other_words_is_a_duplicate_not_a_conflict(example: Path) -> None:
    text = "Vi vil dagtilbud og  folkeskoler, der bruger digitale redskaber med omtanke"
    _propose(example, "kind: add", "after: data-og-viden", f"text: {text} (fiktivt forslag)")
    assert _conflicts(example) == EXAMPLE_CONFLICTS
    added = [d for d in find_duplicates(_records(example).values()) if d.kind == "add"]
    assert [d.change_ids for d in added] == [(KOEBENHAVN_ADD, ALBERTSLUND)]


def test_rejected_changes_never_conflict(example: Path) -> None:
    _decide(
        example,
        (ODENSE, "reject", {"reason": "Fiktiv begrundelse"}),
        (AARHUS, "reject", {"reason": "Fiktiv begrundelse"}),
    )
    assert _records(example)[ODENSE].state == "rejected"
    assert _conflicts(example) == set()


def test_accepted_changes_conflict_in_any_subset_apply_passes(example: Path) -> None:
    _decide(example, (ODENSE, "accept", {}), (KOEBENHAVN, "accept", {}))
    different = ("different-texts", (KOEBENHAVN, ODENSE), "danner-og-uddanner")
    assert _conflicts(example, only={ODENSE, KOEBENHAVN}) == {different}
    assert _conflicts(example, only={ODENSE, AALBORG}) == set()
    assert _conflicts(example, only=set()) == set()


def test_modified_to_the_same_text_is_no_conflict_unless_the_decision_is_stale(
    example: Path,
) -> None:
    odense_text = _records(example)[ODENSE].final_text
    assert odense_text is not None
    modify = {"text": odense_text, "reason": "Fiktivt samme tekst som Odense"}
    _decide(example, (KOEBENHAVN, "modify", modify))
    assert _records(example)[KOEBENHAVN].state == "modified"
    assert _conflicts(example) == EXAMPLE_CONFLICTS - {
        ("different-texts", (KOEBENHAVN, ODENSE), "danner-og-uddanner")
    }
    # A decision on an earlier version of the change no longer holds: its own text counts.
    _decide(example, (KOEBENHAVN, "modify", {**modify, "change_sha256": "0" * 64}))
    assert _conflicts(example) == EXAMPLE_CONFLICTS


def test_applied_changes_are_shown_but_never_conflict(example: Path) -> None:
    review = review_round(load_snapshot(example), ROUND, [ODENSE])
    assert {(c.kind, c.change_ids) for c in review.conflicts} == {
        ("amend-vs-remove", (AALBORG, AARHUS))
    }
    (first,) = [v for v in review.values if v.id == "danner-og-uddanner"]
    assert [(e.id, e.state) for e in first.changes] == [
        (KOEBENHAVN, "undecided"),
        (ODENSE, "applied"),
    ]


# --- stale changes, duplicates and the shape of the review ----------------------------------


def test_stale_change_on_the_example(example: Path) -> None:
    review = _review(example)
    assert review.stale_ids == (FREDERIKSBERG,)
    (entry,) = [e for e in review.entries() if e.id == FREDERIKSBERG]
    assert entry.stale_since == "2019.1"


def test_duplicates_on_the_example_are_shown_together(example: Path) -> None:
    (duplicate,) = find_duplicates(_records(example).values())
    assert duplicate == Duplicate(
        "amend",
        "boernene-forrest",
        "Vi vil dagtilbud og folkeskoler, der sætter børn og unge forrest og inddrager dem "
        "(fiktivt forslag)",
        (KOLDING, HERNING),
    )
    # A third municipality writes it with other spacing and decomposed letters.
    text = unicodedata.normalize("NFD", duplicate.text.replace(" og ", "  og "))
    _propose(example, "kind: amend", "value: boernene-forrest", f"text: {text}")
    (grown,) = find_duplicates(_records(example).values())
    assert grown.change_ids == (ALBERTSLUND, KOLDING, HERNING)
    (value,) = _review(example, "boernene-forrest").values
    assert [e.id for e in value.changes] == [ALBERTSLUND, KOLDING, HERNING]


def test_every_change_is_shown_where_it_belongs(example: Path) -> None:
    _propose(example, "kind: add", "after: null", "text: Fiktiv første værdi")
    review = _review(example)
    assert [e.id for e in review.first] == [ALBERTSLUND]
    by_value = {v.id: [(e.id, e.kind) for e in v.changes] for v in review.values}
    assert by_value["samarbejde-med-foraeldre"] == [(ODENSE_MERGE, "merge")]
    assert by_value["lokalmiljoeet"] == [(ODENSE_MERGE, "merge")]
    assert by_value["data-og-viden"] == [(FREDERIKSBERG, "amend"), (KOEBENHAVN_ADD, "add")]
    assert by_value["tvaerprofessionelt-samarbejde"] == [(f"{ROUND}/330-slagelse#1", "comment")]
    assert by_value["staerk-faglig-ledelse"] == []
    assert [v.number for v in review.values] == list(range(1, 12))
    (move,) = [e for e in review.entries() if e.id == ESBJERG]
    assert (move.position and (move.position.old, move.position.new)) == (10, 1)
    assert [e.id for e in review.comments] == [f"{ROUND}/101-koebenhavn#3"]
    (question,) = review.questions
    assert (
        question.text == "Hvordan vil I bruge kerneværdierne i jeres kommune? (fiktivt spørgsmål)"
    )
    assert [str(a.municipality) for a in question.answers] == ["Odense (461)", "Aarhus (751)"]
    assert "\nAt the top\n   * eksempel-1/165-albertslund#1: add first by Albertslund (165)" in (
        render_text(review)
    )


def test_an_invalid_proposal_is_named_not_hidden(example: Path) -> None:
    (example / EXTRA).write_text(f"round: {ROUND}\nmunicipality: 165\n", encoding="utf-8")
    review = _review(example)
    assert review.invalid_files == (EXTRA,)
    assert f"not shown because invalid (run valreg check): {EXTRA}\n" in render_text(review)


# --- the command ----------------------------------------------------------------------------


def test_review_text_on_the_example(example: Path) -> None:
    result = run_valreg("review", cwd=example)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith(
        "Round eksempel-1: Fiktivt eksempel: høring over første bud, base 2019.1\n"
        "12 changes: 2 conflicts, 1 stale change, 1 group of duplicates\n\n"
        "1. danner-og-uddanner\n"
        "   Vi vil dagtilbud og folkeskoler, der både danner og uddanner\n"
        f"   ! conflict (different-texts): {KOEBENHAVN} and {ODENSE} give "
        "'danner-og-uddanner' different texts\n"
        f"   * {KOEBENHAVN}: amend by København (101), undecided\n"
        "       Vi vil dagtilbud og folkeskoler, der [-både-] danner og uddanner "
        "{+til livet (fiktivt forslag)+}\n"
    )
    assert (
        f"   ! duplicate: {KOLDING} and {HERNING} propose the same text (Kolding, Herning)\n" in out
    )
    assert (
        f"   * {HERNING}: amend by Herning (657), undecided\n       same text as {KOLDING}\n" in out
    )
    assert (
        f"   * {FREDERIKSBERG}: amend by Frederiksberg (147), undecided\n"
        "       ! stale: the value's text changed since 2019.1, which this change is based on\n"
    ) in out
    assert (
        f"   * {ESBJERG}: move from position 10 to 1 (first) by Esbjerg (561), undecided\n" in out
    )
    assert f"   * {ROUND}/330-slagelse#1: comment by Slagelse (330), undecided, late\n" in out
    assert out.endswith(
        "\nComments on the whole set\n"
        f"   * {ROUND}/101-koebenhavn#3: comment by København (101), undecided\n"
        "       comment: Værdierne er gode at samles om. (fiktiv kommentar)\n"
        "\nQuestion q1: Hvordan vil I bruge kerneværdierne i jeres kommune? (fiktivt spørgsmål)\n"
        "   * Odense (461): Vi vil drøfte dem i udvalget hvert år. (fiktivt svar)\n"
        "   * Aarhus (751): I vores børne- og ungepolitik. (fiktivt svar)\n"
    )
    assert git(example, "status", "--porcelain") == "", "review wrote something"


def test_review_markdown(example: Path) -> None:
    result = run_valreg("review", ROUND, "--format", "md", cwd=example)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "# Round eksempel-1: Fiktivt eksempel: høring over første bud, base 2019.1\n"
    )
    assert "\n## 5. forskning-af-hoej-kvalitet\n\n> Vi vil dagtilbud" in out
    assert "- **conflict (amend-vs-remove): 'forskning-af-hoej-kvalitet' is removed by" in out
    assert f"- `{AARHUS}`: remove by Aarhus (751), undecided  \n  ~~Vi vil dagtilbud" in out
    assert "*rationale:* Forskning er et middel, ikke en værdi. (fiktivt)\n" in out
    assert "\n## Question q1: Hvordan vil I bruge" in out


def test_review_json(example: Path) -> None:
    result = run_valreg("review", "--format", "json", cwd=example)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["version"] == 1
    assert payload["round"] == {
        "id": ROUND,
        "title": "Fiktivt eksempel: høring over første bud",
        "base": "2019.1",
        "answered_elsewhere": None,
    }
    assert payload["summary"] == {
        "changes": 12,
        "conflicts": 2,
        "stale": 1,
        "duplicates": 1,
        "combinations": 0,
    }
    assert [v["id"] for v in payload["values"]][:2] == ["danner-og-uddanner", "boernene-forrest"]
    assert [(c["kind"], c["value"], c["changes"]) for c in payload["conflicts"]] == [
        ("different-texts", "danner-og-uddanner", [KOEBENHAVN, ODENSE]),
        ("amend-vs-remove", "forskning-af-hoej-kvalitet", [AALBORG, AARHUS]),
    ]
    assert payload["duplicates"][0]["changes"] == [KOLDING, HERNING]
    (aalborg,) = [c for c in payload["values"][4]["changes"] if c["id"] == AALBORG]
    assert aalborg["municipality"] == {"code": "851", "name": "Aalborg"}
    assert aalborg["state"] == "undecided"
    assert aalborg["diff"][:3] == [
        {"op": "equal", "text": "Vi vil dagtilbud og folkeskoler, der"},
        {"op": "delete", "text": "efterspørger"},
        {"op": "insert", "text": "bruger"},
    ]
    assert [c["id"] for c in payload["comments"]] == [f"{ROUND}/101-koebenhavn#3"]
    (question,) = payload["questions"]
    assert question["text"].startswith("Hvordan vil I bruge")
    assert [a["municipality"]["name"] for a in question["answers"]] == ["Odense", "Aarhus"]


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_review_one_value(example: Path, fmt: str) -> None:
    result = run_valreg("review", "--value", "data-og-viden", "--format", fmt, cwd=example)
    assert result.returncode == 0, result.stderr
    assert FREDERIKSBERG in result.stdout and KOEBENHAVN_ADD in result.stdout
    assert ODENSE not in result.stdout and "q1" not in result.stdout
    if fmt == "json":
        payload = json.loads(result.stdout)
        assert [v["id"] for v in payload["values"]] == ["data-og-viden"]
        assert payload["summary"] == {
            "changes": 2,
            "conflicts": 0,
            "stale": 1,
            "duplicates": 0,
            "combinations": 0,
        }
        assert payload["value_filter"] == "data-og-viden"


def test_review_of_one_value_keeps_its_conflicts(example: Path) -> None:
    result = run_valreg("review", "--value", "forskning-af-hoej-kvalitet", cwd=example)
    assert result.returncode == 0
    assert "1 conflict," in result.stdout
    assert "! conflict (amend-vs-remove)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "round 'nope' does not exist; rounds: eksempel-1 (open)"),
        (["--value", "nope"], "value 'nope' does not exist; values: boernene-forrest, "),
        (["--format", "html"], "invalid choice: 'html'"),
    ],
)
def test_review_usage_errors_exit_2(example: Path, args: list[str], message: str) -> None:
    result = run_valreg("review", *args, cwd=example)
    assert result.returncode == 2, result
    assert result.stderr.startswith("valreg: error:")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_review_with_no_open_round_asks_for_one(example: Path) -> None:
    round_file = example / f"registry/rounds/{ROUND}/round.yaml"
    round_file.write_text(
        round_file.read_text(encoding="utf-8") + "closed: true\n", encoding="utf-8"
    )
    result = run_valreg("review", cwd=example)
    assert result.returncode == 2
    assert "no round is open; name the round: eksempel-1 (closed)" in result.stderr
    assert run_valreg("review", ROUND, cwd=example).returncode == 0


# --- combining amendments ------------------------------------------------------------------

LEDELSE = "Vi vil dagtilbud og folkeskoler med en stærk faglig ledelse, der er understøttet af en forvaltning, der sætter rammen"  # noqa: E501


def _amend_ledelse(root: Path, *texts: tuple[str, str]) -> None:
    """Fictional proposals (file stem, text) amending staerk-faglig-ledelse."""
    for stem, text in texts:
        code = stem.split("-")[0]
        (root / f"proposals/{ROUND}/{stem}.yaml").write_text(
            f"# FICTIONAL\nround: {ROUND}\nmunicipality: {code}\nsubmitted: 2019-09-20\n"
            f'changes:\n  - id: "1"\n    kind: amend\n    value: staerk-faglig-ledelse\n'
            f"    text: {json.dumps(text, ensure_ascii=False)}\n",
            encoding="utf-8",
        )


def test_amendments_of_different_words_can_be_combined(example: Path) -> None:
    _amend_ledelse(
        example,
        ("165-albertslund", LEDELSE.replace("Vi vil dagtilbud", "Vi vil gode dagtilbud")),
        ("151-ballerup", LEDELSE.replace("sætter rammen", "sætter en klar ramme")),
        ("630-vejle", LEDELSE.replace("Vi vil dagtilbud", "Vi vil trygge dagtilbud")),
    )
    review = _review(example)
    (combined,) = [c for c in review.combinations if c.value == "staerk-faglig-ledelse"]
    assert combined.change_ids == (f"{ROUND}/151-ballerup#1", f"{ROUND}/165-albertslund#1")
    assert combined.text == LEDELSE.replace("Vi vil dagtilbud", "Vi vil gode dagtilbud").replace(
        "sætter rammen", "sætter en klar ramme"
    )
    (left_out,) = combined.conflicting
    assert (left_out.change_id, left_out.with_id) == (
        f"{ROUND}/630-vejle#1",
        combined.change_ids[1],
    )
    assert (left_out.member_words, left_out.own_words) == ("gode", "trygge")
    # Vejle still conflicts; the two that combine do not count as a conflict on their own.
    (conflict,) = [c for c in review.conflicts if c.value == "staerk-faglig-ledelse"]
    assert f"{ROUND}/630-vejle#1" in conflict.change_ids

    text = run_valreg("review", ROUND, cwd=example).stdout
    assert (
        f"! can be combined: {ROUND}/151-ballerup#1 and {ROUND}/165-albertslund#1 change "
        "different words" in text
    )
    assert "Vi vil {+gode+} dagtilbud" in text and "sætter [-rammen-]{+en klar ramme+}" in text
    assert f"! conflicting: {ROUND}/630-vejle#1 collides with {ROUND}/165-albertslund#1" in text
    data = json.loads(run_valreg("review", ROUND, "--format", "json", cwd=example).stdout)
    (entry,) = [c for c in data["combinations"] if c["value"] == "staerk-faglig-ledelse"]
    assert entry["text"] == combined.text
    assert entry["conflicting"][0]["words"] == "trygge"
    markdown = run_valreg("review", ROUND, "--format", "md", cwd=example).stdout
    assert "**can be combined:" in markdown and "~~rammen~~ **en klar ramme**" in markdown


def test_combinable_amendments_alone_are_no_conflict(example: Path) -> None:
    _amend_ledelse(
        example,
        ("165-albertslund", LEDELSE.replace("Vi vil dagtilbud", "Vi vil gode dagtilbud")),
        ("151-ballerup", LEDELSE.replace("sætter rammen", "sætter en klar ramme")),
    )
    review = _review(example)
    assert not [c for c in review.conflicts if c.value == "staerk-faglig-ledelse"]
    assert [c.value for c in review.combinations] == ["staerk-faglig-ledelse"]
    # apply still refuses both accepted as proposed: only a combined decision settles it.
    assert ("different-texts", (f"{ROUND}/151-ballerup#1", f"{ROUND}/165-albertslund#1")) in {
        (kind, ids) for kind, ids, _ in _conflicts(example)
    }
