"""The word-level three-way merge that combines amendments of one value."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from valreg.workflow.combine import Collision, combine, merge3, tokens

# Base words are distinct (so every edit has one place), edit words come from another
# alphabet (so an edit's words never match the base's by chance).
BASE_WORDS = st.lists(
    st.from_regex(r"[a-zæøå]{1,6}[,.]?", fullmatch=True), min_size=3, max_size=25, unique=True
)
NEW_WORDS = st.lists(st.from_regex(r"[A-ZÆØÅ]{1,6}", fullmatch=True), min_size=0, max_size=3)
#: For overlapping edits: each side's own alphabet, so they never agree by chance.
OTHER_WORDS = st.lists(st.from_regex(r"[0-9]{1,6}", fullmatch=True), min_size=0, max_size=3)

#: An edit: replace words[start:end] by new words (start == end: an insertion).
Edit = tuple[int, int, list[str]]


def apply_edit(words: list[str], edit: Edit, shift: int = 0) -> list[str]:
    start, end, new = edit
    return [*words[: start + shift], *new, *words[end + shift :]]


def shift_of(edit: Edit) -> int:
    start, end, new = edit
    return len(new) - (end - start)


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[list[str], Edit, Edit]:
    """A base and two edits with at least one unchanged word between them."""
    words = draw(BASE_WORDS)
    cuts = sorted(draw(st.lists(st.integers(0, len(words)), min_size=4, max_size=4)))
    a0, a1, b0, b1 = cuts
    assume(b0 - a1 >= 1)  # one unchanged word between the edits
    first: Edit = (a0, a1, draw(NEW_WORDS))
    second: Edit = (b0, b1, draw(NEW_WORDS))
    assume(first[2] or a1 > a0)  # each edit changes something
    assume(second[2] or b1 > b0)
    return words, first, second


@given(disjoint_edits(), st.booleans())
def test_disjoint_edits_combine_into_both(case: tuple[list[str], Edit, Edit], swap: bool) -> None:
    words, first, second = case
    base = " ".join(words)
    ours, theirs = " ".join(apply_edit(words, first)), " ".join(apply_edit(words, second))
    # Apply one after the other, in either order: the same text.
    one_then_two = apply_edit(apply_edit(words, second), first)
    two_then_one = apply_edit(apply_edit(words, first), second, shift_of(first))
    assert one_then_two == two_then_one
    expected = " ".join(one_then_two)
    merged = merge3(base, theirs, ours) if swap else merge3(base, ours, theirs)
    assert merged == expected
    for _, _, new in (first, second):
        for word in new:
            assert word in tokens(merged)


@st.composite
def overlapping_edits(draw: st.DrawFn) -> tuple[list[str], Edit, Edit]:
    """A base and two edits that touch a common word, with words of their own."""
    words = draw(BASE_WORDS)
    start = draw(st.integers(0, len(words) - 1))
    first: Edit = (start, draw(st.integers(start + 1, len(words))), draw(NEW_WORDS))
    lo = draw(st.integers(0, first[1] - 1))
    second: Edit = (lo, draw(st.integers(max(lo + 1, start + 1), len(words))), draw(OTHER_WORDS))
    assume(apply_edit(words, first) != apply_edit(words, second))
    return words, first, second


@given(overlapping_edits())
def test_overlapping_edits_are_not_combined(case: tuple[list[str], Edit, Edit]) -> None:
    words, first, second = case
    base = " ".join(words)
    ours, theirs = " ".join(apply_edit(words, first)), " ".join(apply_edit(words, second))
    assert isinstance(merge3(base, ours, theirs), list)
    assert combine(base, [("a", ours), ("b", theirs)]) is None


@given(st.text(max_size=80))
def test_tokens_keep_the_text_exactly(text: str) -> None:
    assert "".join(tokens(text)) == text


BASE = "Vi vil dagtilbud og folkeskoler, der samarbejder med forældrene."


def test_punctuation_and_spacing_are_kept() -> None:
    ours = "Vi vil dagtilbud og folkeskoler,  der samarbejder med forældrene."  # two spaces
    theirs = "Vi vil dagtilbud og folkeskoler, der samarbejder med forældrene!"
    assert merge3(BASE, ours, theirs) == (
        "Vi vil dagtilbud og folkeskoler,  der samarbejder med forældrene!"
    )


def test_the_same_edit_twice_is_one_edit() -> None:
    same = "Vi vil dagtilbud og skoler, der samarbejder med forældrene."
    assert merge3(BASE, same, same) == same


def test_two_insertions_at_one_place_collide() -> None:
    ours = "Vi vil gode dagtilbud og folkeskoler, der samarbejder med forældrene."
    theirs = "Vi vil stærke dagtilbud og folkeskoler, der samarbejder med forældrene."
    merged = merge3(BASE, ours, theirs)
    assert isinstance(merged, list)
    (collision,) = merged
    assert isinstance(collision, Collision)
    assert (collision.ours.strip(), collision.theirs.strip()) == ("gode", "stærke")


def test_the_largest_combinable_set_and_the_rest() -> None:
    amendments = [
        ("gode", "Vi vil gode dagtilbud og folkeskoler, der samarbejder med forældrene."),
        ("tæt", "Vi vil dagtilbud og folkeskoler, der samarbejder tæt med forældrene."),
        ("skoler", "Vi vil dagtilbud og skoler, der samarbejder med forældrene."),
        ("stærke", "Vi vil stærke dagtilbud og folkeskoler, der samarbejder med forældrene."),
    ]
    combination = combine(BASE, amendments)
    assert combination is not None
    assert combination.members == ("gode", "tæt", "skoler")
    assert (
        combination.text == "Vi vil gode dagtilbud og skoler, der samarbejder tæt med forældrene."
    )
    ((left_out, other, collision),) = combination.conflicting
    assert (left_out, other) == ("stærke", "gode")
    assert collision.theirs.strip() == "stærke"


def test_many_amendments_are_combined_greedily() -> None:
    words = [f"ord{i}" for i in range(40)]
    base = " ".join(words)
    amendments = []
    for i in range(0, 40, 2):  # 20 amendments, each changing its own word
        edited = [*words]
        edited[i] = edited[i].upper()
        amendments.append((f"k{i}", " ".join(edited)))
    combination = combine(base, amendments)
    assert combination is not None and len(combination.members) == 20
    assert combination.text == " ".join(w.upper() if int(w[3:]) % 2 == 0 else w for w in words)


@given(
    BASE_WORDS,
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), NEW_WORDS), max_size=3),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), OTHER_WORDS), max_size=3),
)
def test_edits_fit_exactly_when_merge3_combines(
    words: list[str],
    ours_edits: list[tuple[int, int, list[str]]],
    theirs_edits: list[tuple[int, int, list[str]]],
) -> None:
    """The pairwise test `combine` uses (each amendment matched against the base once)
    agrees with merge3 on any two rewrites of a base."""
    from valreg.workflow.combine import edits_fit, edits_of

    def rewrite(edits: list[tuple[int, int, list[str]]]) -> str:
        out = list(words)
        for wanted, length, new in sorted(edits, reverse=True):
            start = min(wanted, len(out))
            out[start : start + length] = new
        return " ".join(out)

    base, ours, theirs = " ".join(words), rewrite(ours_edits), rewrite(theirs_edits)
    base_tokens = tokens(base)
    fits = edits_fit(edits_of(base_tokens, ours), edits_of(base_tokens, theirs))
    assert fits == (not isinstance(merge3(base, ours, theirs), list))
