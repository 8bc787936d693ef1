"""Combining amendments of one value: a word-level three-way merge (diff3). No I/O.

Two amendments written against the same text can both take effect when they change
different words: the combined text keeps every edit. Texts are cut into tokens (runs of
letters and digits, runs of whitespace, single other characters), so punctuation and
spacing come out exactly as written; an edit is a run of tokens replaced, and two edits
collide when they touch the same tokens or meet with no unchanged token between them
(two insertions at one place included). Identical edits from both sides are one edit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

#: Above this many amendments of one value, the largest combinable set is found greedily
#: (exactly, below it: every subset is tried, largest first).
EXACT_LIMIT = 12


def tokens(text: str) -> list[str]:
    """`text` as merge tokens; `"".join(tokens(text)) == text`."""
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class Collision:
    """Where two amendments change the same words: the base's words and each side's."""

    base: str
    ours: str
    theirs: str


# A sync region: base[b0:b1] == ours[o0:o1] == theirs[t0:t1] (all the same length).
_Sync = tuple[int, int, int, int, int, int]


def _sync_regions(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[_Sync]:
    """The runs of base tokens that both sides kept, in order, with an empty run at the
    end of all three."""
    ours_blocks = difflib.SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    theirs_blocks = difflib.SequenceMatcher(
        None, base, theirs, autojunk=False
    ).get_matching_blocks()
    regions: list[_Sync] = []
    i = j = 0
    while i < len(ours_blocks) and j < len(theirs_blocks):
        b_ours, o_start, o_len = ours_blocks[i]
        b_theirs, t_start, t_len = theirs_blocks[j]
        start, end = max(b_ours, b_theirs), min(b_ours + o_len, b_theirs + t_len)
        if start < end:
            o0, t0 = o_start + start - b_ours, t_start + start - b_theirs
            regions.append((start, end, o0, o0 + end - start, t0, t0 + end - start))
        if b_ours + o_len < b_theirs + t_len:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return regions


def merge3(base: str, ours: str, theirs: str) -> str | list[Collision]:
    """The text with both sides' edits of `base`, or where they collide."""
    b, o, t = tokens(base), tokens(ours), tokens(theirs)
    merged: list[str] = []
    collisions: list[Collision] = []
    bi = oi = ti = 0
    for b0, b1, o0, o1, t0, t1 in _sync_regions(b, o, t):
        old, mine, other = b[bi:b0], o[oi:o0], t[ti:t0]
        if other in (mine, old):  # the same edit twice, or only ours
            merged += mine
        elif mine == old:
            merged += other
        else:
            collisions.append(Collision("".join(old), "".join(mine), "".join(other)))
        merged += b[b0:b1]
        bi, oi, ti = b1, o1, t1
    return collisions if collisions else "".join(merged)


#: One edit of a base text: base tokens [start, end) replaced by `tokens`.
Edit = tuple[int, int, tuple[str, ...]]


def edits_of(base: Sequence[str], text: str) -> tuple[Edit, ...]:
    """What `text` changes in the base tokens, as merge3 sees it (the same matching)."""
    theirs = tokens(text)
    matcher = difflib.SequenceMatcher(None, base, theirs, autojunk=False)
    return tuple(
        (i1, i2, tuple(theirs[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    )


def edits_fit(ours: Sequence[Edit], theirs: Sequence[Edit]) -> bool:
    """Whether two amendments' edits combine: every pair is the same edit, or apart with
    an unchanged token between (what `merge3` decides, without merging: each amendment
    is matched against the base once, not once per pair)."""
    for a in ours:
        for b in theirs:
            if a == b:
                continue
            if not (a[1] < b[0] or b[1] < a[0]):
                return False
    return True


@dataclass(frozen=True, slots=True)
class Combination:
    """The largest set of amendments (by key) that combine, their combined text, and
    for each amendment left out, the first member it collides with and where."""

    members: tuple[str, ...]
    text: str
    conflicting: tuple[tuple[str, str, Collision], ...]


def _combined(base: str, texts: Sequence[str]) -> str | None:
    text = base
    for other in texts:
        merged = merge3(base, text, other)
        if isinstance(merged, list):
            return None
        text = merged
    return text


def _largest_clique(
    keys: Sequence[str], fits: dict[frozenset[str], bool]
) -> Iterator[tuple[str, ...]]:
    """Candidate sets of pairwise combinable keys, largest first."""
    if len(keys) <= EXACT_LIMIT:
        for size in range(len(keys), 1, -1):
            for subset in combinations(keys, size):
                if all(fits[frozenset(pair)] for pair in combinations(subset, 2)):
                    yield subset
        return
    chosen: list[str] = []
    degree = {k: sum(fits[frozenset((k, o))] for o in keys if o != k) for k in keys}
    for key in sorted(keys, key=lambda k: -degree[k]):
        if all(fits[frozenset((key, other))] for other in chosen):
            chosen.append(key)
    yield tuple(k for k in keys if k in chosen)


def combine(base: str, amendments: Sequence[tuple[str, str]]) -> Combination | None:
    """The combination of amendments (key, text) of one base text, or None when no two
    of them combine (or there are fewer than two). Keys keep their given order."""
    keys = [key for key, _ in amendments]
    texts = dict(amendments)
    if len(texts) < 2:
        return None
    base_tokens = tokens(base)
    edits = {key: edits_of(base_tokens, text) for key, text in texts.items()}
    fits = {frozenset((a, b)): edits_fit(edits[a], edits[b]) for a, b in combinations(keys, 2)}
    for members in _largest_clique(keys, fits):
        text = _combined(base, [texts[k] for k in members])
        if text is None:
            continue
        conflicting = tuple(
            _collision(base, key, texts=texts, edits=edits, members=members, combined=text)
            for key in keys
            if key not in members
        )
        return Combination(tuple(members), text, conflicting)
    return None


def _collision(
    base: str,
    key: str,
    *,
    texts: dict[str, str],
    edits: dict[str, tuple[Edit, ...]],
    members: Sequence[str],
    combined: str,
) -> tuple[str, str, Collision]:
    """The member an amendment left out collides with, and where (against the whole
    combination when it collides with no member alone)."""
    for member in members:
        if edits_fit(edits[member], edits[key]):
            continue
        found = merge3(base, texts[member], texts[key])
        if isinstance(found, list):
            return key, member, found[0]
    found = merge3(base, combined, texts[key])
    collision = found[0] if isinstance(found, list) else Collision("", "", "")
    return key, members[0], collision
