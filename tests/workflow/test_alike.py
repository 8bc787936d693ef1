"""Near-duplicates: texts that say nearly the same are grouped (`workflow.alike`), in
review's text, Markdown and JSON, for changes and for answers; registry.yaml's
`similarity` sets how alike (#19)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import run_valreg
from valreg.workflow.alike import edit_key, group_alike, similarity_key

BASE = "Vi vil dagtilbud og folkeskoler, der sætter børnene og de unge forrest"


def test_case_punctuation_and_spacing_do_not_count() -> None:
    assert similarity_key("Vi  vil, dagtilbud!\u00a0— OG skoler") == "vi vil dagtilbud og skoler"


def test_the_default_groups_the_same_edit_written_differently() -> None:
    items = [
        ("a", BASE.replace("forrest", "forrest i hverdagen")),
        ("b", BASE.replace("forrest", "forrest i hverdagen.")),  # a full stop
        ("c", BASE.replace("forrest", "forrest i Hverdagen")),  # a capital
        ("d", BASE.replace("forrest", "forrest i hverdagene")),  # one letter
        ("e", BASE.replace("dagtilbud", "gode dagtilbud")),  # another edit
        ("f", BASE.replace("forrest", "forrest i fritiden")),  # another word
    ]
    groups = group_alike(items, 90, BASE)
    assert [(g.keys, g.identical) for g in groups] == [(("a", "b", "c", "d"), False)]


def test_identical_texts_are_a_special_case() -> None:
    (group,) = group_alike([("a", "Én tekst"), ("b", "Én  tekst"), ("c", "En anden")], 90)
    assert (group.keys, group.identical) == (("a", "b"), True)


def test_a_hundred_groups_only_the_same_words() -> None:
    items = [
        ("a", "Trygge rammer for alle"),
        ("b", "trygge rammer, for alle"),
        ("c", "Trygge rammer for alle børn"),
    ]
    assert [g.keys for g in group_alike(items, 100)] == [("a", "b")]
    assert [g.keys for g in group_alike(items, 80)] == [("a", "b", "c")]


def test_edits_of_different_words_are_not_alike() -> None:
    assert edit_key(BASE, BASE.replace("dagtilbud", "gode dagtilbud")) == "vil - +gode"
    items = [
        ("a", BASE.replace("dagtilbud", "gode dagtilbud")),
        ("b", BASE.replace("forrest", "først")),
    ]
    assert group_alike(items, 90, BASE) == []


WORDS = st.lists(
    st.sampled_from(["vi", "vil", "gode", "børn", "skoler", "og", "unge", "trygge"]),
    min_size=1,
    max_size=12,
)


@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=3), WORDS.map(" ".join)), max_size=12),
    st.integers(50, 100),
)
def test_groups_are_disjoint_and_alike_to_their_first(
    items: list[tuple[str, str]], threshold: int
) -> None:
    from rapidfuzz import fuzz

    keyed = [(f"{i}", text) for i, (_, text) in enumerate(items)]
    texts = dict(keyed)
    seen: set[str] = set()
    for group in group_alike(keyed, threshold):
        assert len(group.keys) >= 2 and not seen.intersection(group.keys)
        seen.update(group.keys)
        first = similarity_key(texts[group.keys[0]])
        for key in group.keys[1:]:
            assert fuzz.ratio(
                first, similarity_key(texts[key])
            ) >= threshold or first == similarity_key(texts[key])


# --- in review ------------------------------------------------------------------------------

LEDELSE = (
    "Vi vil dagtilbud og folkeskoler med en stærk faglig ledelse, der er understøttet af en "
    "forvaltning, der sætter rammen"
)
ROUND = "eksempel-1"


def _propose(root: Path, stem: str, text: str, answer: str) -> None:
    (root / f"proposals/{ROUND}/{stem}.yaml").write_text(
        f"# FICTIONAL\nround: {ROUND}\nmunicipality: {stem.split('-', maxsplit=1)[0]}\n"
        "submitted: 2019-09-20\n"
        'changes:\n  - id: "1"\n    kind: amend\n    value: staerk-faglig-ledelse\n'
        f"    text: {json.dumps(text, ensure_ascii=False)}\n"
        f"answers:\n  - question: q1\n    text: {json.dumps(answer, ensure_ascii=False)}\n",
        encoding="utf-8",
    )


def _fictional(example: Path) -> None:
    klar = LEDELSE.replace("sætter rammen", "sætter en klar ramme")
    _propose(example, "165-albertslund", klar, "Vi drøfter dem i udvalget hvert år. (fiktivt)")
    _propose(
        example,
        "151-ballerup",
        klar.replace("klar", "Klar") + ".",
        "Vi drøfter dem i udvalget hvert år (fiktivt).",
    )
    _propose(
        example,
        "630-vejle",
        LEDELSE.replace("Vi vil", "Vi vil gode"),
        "Vi bruger dem i skolernes planer. (fiktivt)",
    )


def test_review_groups_near_duplicates_and_shows_each_against_the_first(example: Path) -> None:
    _fictional(example)
    text = run_valreg("review", ROUND, cwd=example).stdout
    assert (
        f"! near-duplicate: {ROUND}/151-ballerup#1 and {ROUND}/165-albertslund#1 propose nearly "
        "the same text (Ballerup, Albertslund)" in text
    )
    assert f"nearly the same as {ROUND}/151-ballerup#1:" in text
    assert "sætter en [-Klar ramme.-]{+klar ramme+}" in text
    assert "vejle#1 propose" not in text  # another edit: not alike
    assert "! alike: Albertslund (165) and Ballerup (151) answer nearly the same" in text or (
        "! alike: Ballerup (151) and Albertslund (165) answer nearly the same" in text
    )
    data = json.loads(run_valreg("review", ROUND, "--format", "json", cwd=example).stdout)
    near = [d for d in data["duplicates"] if not d["identical"]]
    assert [d["changes"] for d in near] == [
        [f"{ROUND}/151-ballerup#1", f"{ROUND}/165-albertslund#1"]
    ]
    (q1,) = [q for q in data["questions"] if q["id"] == "q1"]
    assert sorted(map(sorted, q1["alike"])) == [
        [f"proposals/{ROUND}/151-ballerup.yaml", f"proposals/{ROUND}/165-albertslund.yaml"]
    ]
    markdown = run_valreg("review", ROUND, "--format", "md", cwd=example).stdout
    assert f"nearly the same as `{ROUND}/151-ballerup#1`: " in markdown
    assert "~~Klar ramme.~~ **klar ramme**" in markdown


def test_similarity_in_registry_yaml(example: Path) -> None:
    """100 groups only the same words; below it, a letter more or less is alike."""
    klar = LEDELSE.replace("sætter rammen", "sætter en klar ramme")
    _propose(example, "165-albertslund", klar, "Vi drøfter dem i udvalget hvert år. (fiktivt)")
    _propose(
        example,
        "151-ballerup",
        klar.replace("klar", "klare"),
        "Vi drøfter dem i udvalget hvert andet år. (fiktivt)",
    )
    registry = example / "registry/registry.yaml"
    original = registry.read_text("utf-8")
    for similarity, grouped in (("100", False), ("90", True)):
        registry.write_text(original + f"similarity: {similarity}\n", encoding="utf-8")
        assert run_valreg("check", cwd=example).returncode == 0
        text = run_valreg("review", ROUND, cwd=example).stdout
        assert ("near-duplicate" in text) is grouped, similarity
    registry.write_text(original + "similarity: 70\n", encoding="utf-8")
    assert "! alike:" in run_valreg("review", ROUND, cwd=example).stdout
    registry.write_text(original + "similarity: 30\n", encoding="utf-8")
    refused = run_valreg("check", cwd=example)
    assert refused.returncode == 1 and "registry/registry.yaml" in refused.stdout


def test_status_lists_who_propose_nearly_the_same(example: Path) -> None:
    _fictional(example)
    text = run_valreg("status", ROUND, cwd=example).stdout
    assert (
        "  amend of staerk-faglig-ledelse: Ballerup and Albertslund propose nearly the same" in text
    )
    assert "  amend of boernene-forrest: Kolding and Herning propose the same" in text
    data = json.loads(run_valreg("status", ROUND, "--format", "json", cwd=example).stdout)
    assert [(g["value"], g["identical"]) for g in data["alike"]] == [
        ("staerk-faglig-ledelse", False),
        ("boernene-forrest", True),
    ]


def test_the_report_says_who_propose_nearly_the_same(example: Path, tmp_path: Path) -> None:
    import docx

    _fictional(example)
    sentence = "Albertslund og Ballerup foreslår i det væsentlige det samme."
    markdown = run_valreg("report", ROUND, cwd=example).stdout
    assert f"*{sentence}*" in markdown
    assert "Vejle og" not in markdown.split(sentence)[0][-200:]
    html = run_valreg("report", ROUND, "--format", "html", cwd=example).stdout
    assert f'<p class="alike"><em>{sentence}</em></p>' in html
    out = tmp_path / "notat.docx"
    assert (
        run_valreg("report", ROUND, "--format", "docx", "--out", str(out), cwd=example).returncode
        == 0
    )
    document = docx.Document(str(out))
    assert sentence in [p.text for p in document.paragraphs]
    # Each later member of a set is shown as a word diff against the set's first.
    against = "I forhold til forslaget fra Ballerup: "
    assert f"{against}{LEDELSE[:-7]} en ~~Klar ramme.~~ **klar ramme**" in markdown
    assert "en <del>Klar ramme.</del> <ins>klar ramme</ins></p>" in html
    cells = [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    (diffed,) = {p._p: p for p in cells if against in p.text}.values()
    marked = [(r.text, r.font.strike, r.font.underline) for r in diffed.runs][-3:]
    assert marked == [("Klar ramme.", True, None), (" ", None, None), ("klar ramme", None, True)]
    # Answers to a question are grouped the same way; Vejle's says something else.
    answered = "Albertslund og Ballerup svarer i det væsentlige det samme."
    assert f"*{answered}*" in markdown and answered in html
    assert answered in [p.text for p in document.paragraphs]
    assert (
        "- **Ballerup:** Vi drøfter dem i udvalget hvert år (fiktivt).  \n"
        "  I forhold til svaret fra Albertslund: Vi drøfter dem i udvalget hvert "
        "~~år. (fiktivt)~~ **år (fiktivt).**"
    ) in markdown
    assert "I forhold til svaret fra Albertslund" not in markdown.split("**Vejle:**")[1]
