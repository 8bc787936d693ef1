"""Texts that say nearly the same: groups of near-duplicates. No I/O.

Two texts are alike when their words, compared without case, punctuation or spacing, are
at least `threshold` % alike by rapidfuzz's `fuzz.ratio` (the normalised Indel
similarity of the two strings, 0-100). Texts that rewrite one base text (amendments of
a value) are compared by their edits instead: the words each removes and inserts, with
the word before each edit, so that two amendments that change different words of one
long sentence are not alike merely because they share the rest of it.

`threshold` is registry.yaml's `similarity` (default 90: another case, punctuation or
spacing, or a changed letter in a long text, stays alike; a different word in a short
edit does not); 100 groups only texts whose words are the same.

Grouping is by leader: each text joins the first group whose first text it is alike to,
in the given order, else starts a group. So a group's members are each alike to its
first text, which is the one the others are shown against.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_NOT_A_WORD = re.compile(r"[\W_]+")


def similarity_key(text: str) -> str:
    """The words of a text as compared: NFC, case folded, punctuation and spacing as one
    space."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(_NOT_A_WORD.sub(" ", folded).split())


def edit_key(base: str, text: str) -> str:
    """What `text` changes in `base`, as compared: for each edit, the word before it, the
    words removed and the words inserted (words as `similarity_key` has them)."""
    import difflib

    old, new = similarity_key(base).split(), similarity_key(text).split()
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            before = old[i1 - 1] if i1 else "^"
            edits.append(f"{before} -{' '.join(old[i1:i2])} +{' '.join(new[j1:j2])}")
    return " | ".join(edits)


@dataclass(frozen=True, slots=True)
class AlikeGroup:
    """Two or more texts (by key) alike to the first; `identical` when all are the same
    text (NFC, whitespace runs as one space: the old "duplicate")."""

    keys: tuple[str, ...]
    identical: bool


def group_alike(
    items: Sequence[tuple[str, str]], threshold: int, base: str | None = None
) -> list[AlikeGroup]:
    """Groups of two or more of `items` (key, text) that are alike, in the order of their
    first members; keys keep their given order inside a group. With `base`, the texts are
    rewrites of it, compared by their edits (`edit_key`)."""
    from rapidfuzz import fuzz

    leaders: list[tuple[str, list[tuple[str, str]]]] = []  # (leader's words, members)
    by_key: dict[str, list[tuple[str, str]]] = {}  # members: (key, the text as written)
    for key, text in items:
        compared = edit_key(base, text) if base is not None else similarity_key(text)
        members = by_key.get(compared)
        if members is None:
            for leader, candidates in leaders:
                if threshold < 100 and fuzz.ratio(leader, compared, score_cutoff=threshold):
                    members = candidates
                    break
        if members is None:
            members = []
            leaders.append((compared, members))
        by_key.setdefault(compared, members)
        members.append((key, " ".join(unicodedata.normalize("NFC", text).split())))
    return [
        AlikeGroup(tuple(k for k, _ in members), len({t for _, t in members}) == 1)
        for _, members in leaders
        if len(members) > 1
    ]
