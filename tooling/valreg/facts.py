"""What the cross-file rules need to know about each file, small enough to keep for all.

The rules in `checks` check the files they are given against a `Context`: the facts of
every file of the registry (ids, numbers, release versions, change ids and digests). A
full check derives the facts from the parsed files; `check --since` and the warm cache
take them from the cache for files that did not change, so those are not read again.
Each file's facts also name the files it refers to (`refs`), so a changed file's
dependants can be found. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from sys import intern
from typing import NamedTuple

from valreg import models
from valreg.parse import Parsed

REGISTRY_FILE = "registry/registry.yaml"
MUNICIPALITIES_FILE = "registry/municipalities.yaml"


def value_path(value_id: str) -> str:
    return f"values/{value_id}.yaml"


def release_path(version: str) -> str:
    return f"registry/releases/{version}.yaml"


def round_path(round_id: str) -> str:
    return f"registry/rounds/{round_id}/round.yaml"


class FileFacts(NamedTuple):
    """One file's part in the cross-file rules (all empty for a file that failed its schema).

    A named tuple: the index keeps one for every file and must load fast.
    """

    kind: str
    valid: bool
    #: Registry paths this file refers to: a change to one can change this file's
    #: diagnostics. (A proposal's round.yaml and the municipalities go without saying.)
    refs: frozenset[str] = frozenset()
    #: An active value's number.
    number: int | None = None
    #: A release's version as written in it.
    version: str | None = None
    #: A proposal's changes: (change id, kind, sha256 as a decision records it, as bytes),
    #: in order.
    changes: tuple[tuple[str, str, bytes], ...] = ()


def facts_of(parsed: Parsed) -> FileFacts:
    """The facts of one parsed file."""
    model = parsed.model
    if model is None:
        return FileFacts(parsed.kind, False)
    refs: set[str] = set()
    if parsed.kind == "value":
        if model.merged_into is not None:
            refs.add(value_path(model.merged_into))
        number = model.number if model.status == "active" else None
        return FileFacts("value", True, _shared(refs), number=number)
    if parsed.kind == "release":
        refs.update(value_path(entry.id) for entry in model.values)
        refs.update(round_path(round_id) for round_id in model.rounds)
        if model.previous is not None:
            refs.add(release_path(model.previous))
        return FileFacts("release", True, _shared(refs), version=model.version)
    if parsed.kind == "round":
        if model.base is not None:
            refs.add(release_path(model.base))
        return FileFacts("round", True, _shared(refs))
    if parsed.kind == "proposal":
        if model.base is not None:
            refs.add(release_path(model.base))
        changes = []
        for change in model.changes:
            fields = vars(change)  # getattr is slow to miss on a pydantic model
            for name in ("value", "after"):
                value_id = fields.get(name)
                if value_id is not None:
                    refs.add(value_path(value_id))
            refs.update(value_path(v) for v in fields.get("values", ()))
            digest = bytes.fromhex(models.change_digest(change))
            changes.append((intern(change.id), intern(change.kind), digest))
        return FileFacts("proposal", True, _shared(refs), changes=tuple(changes))
    if parsed.kind == "decisions":
        refs.add(REGISTRY_FILE)
        for decision in model:
            round_id, _, rest = decision.change.partition("/")
            refs.add(f"proposals/{round_id}/{rest.partition('#')[0]}.yaml")
        return FileFacts("decisions", True, _shared(refs))
    return FileFacts(parsed.kind, True)


def _shared(refs: set[str]) -> frozenset[str]:
    # One copy of each path string, so the index that keeps every file's facts stays small.
    return frozenset(intern(ref) for ref in refs)


@dataclass(frozen=True)
class Context:
    """Facts about the whole registry that the cross-file rules consult."""

    #: File stems of every value file and every release manifest (valid or not).
    values: frozenset[str]
    releases: frozenset[str]
    #: Active values' numbers: each number's holders (file stems), their count, whether
    #: the numbering can be judged (every value file is valid), and the unused numbers.
    holders: dict[int, list[str]]
    total: int
    judge_range: bool
    missing: list[int]
    #: Each release's expected `previous` (releases whose version matches their file name).
    expected_previous: dict[str, str | None]
    #: Every change by global id (the first of duplicates): (kind, sha256 as bytes).
    changes: dict[str, tuple[str, bytes]]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def build_context(facts: Mapping[str, FileFacts]) -> Context:
    """The registry-wide context from every file's facts."""
    values: set[str] = set()
    releases: set[str] = set()
    holders: dict[int, list[str]] = {}
    every_value_valid = True
    versions: list[str] = []
    changes: dict[str, tuple[str, bytes]] = {}
    for path in sorted(facts):
        item = facts[path]
        if item.kind == "value":
            values.add(_stem(path))
            every_value_valid &= item.valid
            if item.number is not None:
                holders.setdefault(item.number, []).append(_stem(path))
        elif item.kind == "release":
            releases.add(_stem(path))
            if item.version is not None and item.version == _stem(path):
                versions.append(item.version)
        elif item.kind == "proposal" and item.valid:
            folder, stem = path.split("/")[-2], _stem(path)
            for change_id, kind, digest in item.changes:
                changes.setdefault(f"{folder}/{stem}#{change_id}", (kind, digest))
    total = sum(len(stems) for stems in holders.values())
    ordered = sorted(versions, key=models.version_key)
    return Context(
        values=frozenset(values),
        releases=frozenset(releases),
        holders=holders,
        total=total,
        judge_range=every_value_valid,
        missing=sorted(set(range(1, total + 1)) - set(holders)),
        expected_previous={v: (ordered[i - 1] if i else None) for i, v in enumerate(ordered)},
        changes=changes,
    )


def dependants(
    facts: Mapping[str, FileFacts], changed: Iterable[str], context: Context | None = None
) -> set[str]:
    """The files whose diagnostics a change to `changed` (edited, added or deleted) can
    change: every file that refers to one of them; every release when a release changed
    (the order of releases); every value whose number is duplicated or out of range when a
    value changed (numbering is judged over all values)."""
    changed = set(changed)
    found = {path for path, item in facts.items() if item.refs & changed}
    kinds = {_kind_of_path(path) for path in changed}
    # Every proposal depends on the municipalities, and on its round's round.yaml.
    if MUNICIPALITIES_FILE in changed:
        found.update(path for path, item in facts.items() if item.kind == "proposal")
    rounds = {path.split("/")[2] for path in changed if path.endswith("/round.yaml")}
    if rounds:
        found.update(
            path
            for path, item in facts.items()
            if item.kind == "proposal" and path.split("/")[1] in rounds
        )
    if "release" in kinds:
        found.update(path for path, item in facts.items() if item.kind == "release")
    if "value" in kinds:
        context = context or build_context(facts)
        for number, stems in context.holders.items():
            if len(stems) > 1 or (context.judge_range and number > context.total):
                found.update(value_path(stem) for stem in stems)
    return found


def _kind_of_path(path: str) -> str | None:
    from valreg.parse import kind_of

    return kind_of(path)
