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
from typing import NamedTuple, Protocol

from valreg.registry import models
from valreg.registry.parse import Parsed

REGISTRY_FILE = "registry/registry.yaml"
MUNICIPALITIES_FILE = "registry/municipalities.yaml"


def value_path(value_id: str) -> str:
    return f"values/{value_id}.yaml"


def release_path(version: str) -> str:
    return f"registry/releases/{version}.yaml"


def adoption_path(version: str) -> str:
    return f"registry/releases/{version}.adoption.yaml"


def adoption_version(path: str) -> str:
    """The version an adoption file's name gives: `…/2019.2.adoption.yaml` → 2019.2."""
    return path.rsplit("/", 1)[-1].removesuffix(".adoption.yaml")


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
    #: A retired value's (merged_into, retired_in).
    retired: tuple[str | None, str | None] | None = None
    #: A release's value ids and date (ISO).
    members: frozenset[str] = frozenset()
    date: str | None = None
    #: A release whose manifest says it is adopted.
    adopted: bool = False


def facts_of(parsed: Parsed) -> FileFacts:
    """The facts of one parsed file."""
    model = parsed.model
    if model is None:
        return FileFacts(parsed.kind, False)
    refs: set[str] = set()
    if parsed.kind == "value":
        if model.merged_into is not None:
            refs.add(value_path(model.merged_into))
        if model.status == "active":
            return FileFacts("value", True, _shared(refs), number=model.number)
        retired = (model.merged_into, model.retired_in)
        return FileFacts("value", True, _shared(refs), retired=retired)
    if parsed.kind == "release":
        refs.update(value_path(entry.id) for entry in model.values)
        refs.update(round_path(round_id) for round_id in model.rounds)
        if model.previous is not None:
            refs.add(release_path(model.previous))
        return FileFacts(
            "release",
            True,
            _shared(refs),
            version=model.version,
            members=frozenset(intern(entry.id) for entry in model.values),
            date=model.date.isoformat(),
            adopted=model.status == "adopted",
        )
    if parsed.kind == "adoption":
        # The manifest the file's name points at (R714-R716 read its facts).
        return FileFacts("adoption", True, _shared({release_path(adoption_version(parsed.path))}))
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
            if decision.id is not None:  # judged against the value of that id, if any
                refs.add(value_path(decision.id))
        return FileFacts("decisions", True, _shared(refs))
    return FileFacts(parsed.kind, True)


def _shared(refs: set[str]) -> frozenset[str]:
    # One copy of each path string, so the index that keeps every file's facts stays small.
    return frozenset(intern(ref) for ref in refs)


class ChangeLookup(Protocol):
    """Where the rules look a change up by its global id: a dict of every change, or the
    cache's rows (`cache.StoredChanges`)."""

    def get(self, global_id: str, /) -> tuple[str, bytes] | None:
        """The change's kind and sha256 (as bytes), None if there is no such change."""
        ...


@dataclass(frozen=True)
class Context:
    """Facts about the whole registry that the cross-file rules consult.

    Built from every file's facts (`build_context`), or kept up to date one file at a time
    (`update_context`) by `check --since`, which keeps it in the cache.
    """

    #: File stems of every value file and every release manifest (valid or not).
    values: frozenset[str]
    releases: frozenset[str]
    #: Active values' numbers: each number's holders (file stems, in path order), their
    #: count, whether the numbering can be judged (no value file is invalid), and the
    #: unused numbers.
    holders: dict[int, list[str]]
    total: int
    judge_range: bool
    missing: list[int]
    #: Stems of the value files that failed their schema.
    invalid_values: frozenset[str]
    #: Each release's expected `previous` (releases whose version matches their file name).
    expected_previous: dict[str, str | None]
    #: Every change by global id (the first of duplicates): (kind, sha256 as bytes).
    changes: ChangeLookup
    #: Retired values (file stems): (merged_into, retired_in).
    retired: dict[str, tuple[str | None, str | None]]
    #: Valid releases whose version matches their file name: (the value ids they hold,
    #: their ISO date).
    editions: dict[str, tuple[frozenset[str], str]]
    #: Those of `editions` whose manifest says they are adopted.
    adopted: frozenset[str]

    def active_at(self, version: str | None) -> frozenset[str] | None:
        """The values a release holds; None if `version` is no valid release."""
        edition = self.editions.get(version or "")
        return edition[0] if edition is not None else None

    def current_at(self, day: str) -> str | None:
        """The newest release dated `day` (ISO) or earlier: the set a reader saw then."""
        dated = [v for v, (_, date) in self.editions.items() if date <= day]
        return max(dated, key=models.version_key) if dated else None

    @property
    def active(self) -> frozenset[str]:
        """The active values now (valid files only)."""
        return frozenset(stem for stems in self.holders.values() for stem in stems)


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def global_change_id(path: str, change_id: str) -> str:
    """A proposal's change as decisions name it: `<round>/<file stem>#<change id>`."""
    return f"{path.split('/')[-2]}/{_stem(path)}#{change_id}"


def proposal_of(global_id: str) -> tuple[str, str] | None:
    """The proposal path and change id a global change id names (the inverse of
    `global_change_id`; change ids hold no `#`, round folders and file names no `/`)."""
    round_id, _, rest = global_id.partition("/")
    stem, hash_mark, change_id = rest.rpartition("#")
    if not hash_mark or "/" in stem:
        return None
    return f"proposals/{round_id}/{stem}.yaml", change_id


def build_context(facts: Mapping[str, FileFacts]) -> Context:
    """The registry-wide context from every file's facts."""
    values: set[str] = set()
    releases: set[str] = set()
    holders: dict[int, list[str]] = {}
    invalid: set[str] = set()
    versions: set[str] = set()
    changes: dict[str, tuple[str, bytes]] = {}
    retired: dict[str, tuple[str | None, str | None]] = {}
    editions: dict[str, tuple[frozenset[str], str]] = {}
    adopted: set[str] = set()
    for path in sorted(facts):
        item = facts[path]
        if item.kind == "value":
            values.add(_stem(path))
            if not item.valid:
                invalid.add(_stem(path))
            if item.number is not None:
                holders.setdefault(item.number, []).append(_stem(path))
            if item.retired is not None:
                retired[_stem(path)] = item.retired
        elif item.kind == "release":
            releases.add(_stem(path))
            if item.version is not None and item.version == _stem(path):
                versions.add(item.version)
                editions[item.version] = (item.members, item.date or "")
                if item.adopted:
                    adopted.add(item.version)
        elif item.kind == "proposal" and item.valid:
            for change_id, kind, digest in item.changes:
                changes.setdefault(global_change_id(path, change_id), (kind, digest))
    return _context(
        values=values,
        releases=releases,
        holders=holders,
        invalid=invalid,
        versions=versions,
        changes=changes,
        retired=retired,
        editions=editions,
        adopted=adopted,
    )


def update_context(
    context: Context,
    before: Mapping[str, FileFacts],
    after: Mapping[str, FileFacts],
    changes: ChangeLookup,
) -> Context:
    """`context` after the files in `before` (their old facts) are replaced by those in
    `after` (a path in only one of them was added or deleted); the same as `build_context`
    of the new facts, given the new registry's `changes`. Touches only those files."""
    values, releases = set(context.values), set(context.releases)
    invalid, versions = set(context.invalid_values), set(context.expected_previous)
    holders = dict(context.holders)
    retired, editions = dict(context.retired), dict(context.editions)
    adopted = set(context.adopted)
    for path, item in before.items():
        stem = _stem(path)
        if item.kind == "value":
            retired.pop(stem, None)
            values.discard(stem)
            invalid.discard(stem)
            if item.number is not None:
                kept = [s for s in holders.get(item.number, ()) if s != stem]
                if kept:
                    holders[item.number] = kept
                else:
                    holders.pop(item.number, None)
        elif item.kind == "release":
            editions.pop(stem, None)
            adopted.discard(stem)
            releases.discard(stem)
            if item.version == stem:
                versions.discard(stem)
    for path, item in after.items():
        stem = _stem(path)
        if item.kind == "value":
            values.add(stem)
            if not item.valid:
                invalid.add(stem)
            if item.number is not None:
                # Holders stay in the order of their paths, as build_context has them.
                holders[item.number] = sorted([*holders.get(item.number, ()), stem], key=value_path)
            if item.retired is not None:
                retired[stem] = item.retired
        elif item.kind == "release":
            releases.add(stem)
            if item.version is not None and item.version == stem:
                versions.add(stem)
                editions[stem] = (item.members, item.date or "")
                if item.adopted:
                    adopted.add(stem)
    return _context(
        values=values,
        releases=releases,
        holders=holders,
        invalid=invalid,
        versions=versions,
        changes=changes,
        retired=retired,
        editions=editions,
        adopted=adopted,
    )


def _context(
    *,
    values: set[str],
    releases: set[str],
    holders: dict[int, list[str]],
    invalid: set[str],
    versions: set[str],
    changes: ChangeLookup,
    retired: dict[str, tuple[str | None, str | None]],
    editions: dict[str, tuple[frozenset[str], str]],
    adopted: set[str],
) -> Context:
    total = sum(len(stems) for stems in holders.values())
    ordered = sorted(versions, key=models.version_key)
    return Context(
        values=frozenset(values),
        releases=frozenset(releases),
        holders=holders,
        total=total,
        judge_range=not invalid,
        missing=sorted(set(range(1, total + 1)) - set(holders)),
        invalid_values=frozenset(invalid),
        expected_previous={v: (ordered[i - 1] if i else None) for i, v in enumerate(ordered)},
        changes=changes,
        retired=retired,
        editions=editions,
        adopted=frozenset(adopted),
    )


class FactsView(Protocol):
    """Where `dependants` looks up which files refer to which: every file's facts in
    memory (`InMemoryFacts`), or the cache's tables (`cache.StoredFacts`)."""

    def referring(self, paths: set[str]) -> set[str]:
        """The files whose `refs` include one of `paths`."""
        ...

    def of_kind(self, kind: str) -> set[str]:
        """The paths of every file of one kind."""
        ...


class InMemoryFacts:
    def __init__(self, facts: Mapping[str, FileFacts]) -> None:
        self.facts = facts

    def referring(self, paths: set[str]) -> set[str]:
        return {path for path, item in self.facts.items() if item.refs & paths}

    def of_kind(self, kind: str) -> set[str]:
        return {path for path, item in self.facts.items() if item.kind == kind}


#: The kinds whose content (not only whether they exist) the files referring to them
#: read: a decisions file checks a proposal's changes (ids, kinds, digests) and the
#: editors in registry.yaml; a proposal checks whether the values it names are retired.
#: Releases and rounds are only asked whether they exist by the files that name them
#: (their versions, and the value sets proposals are written against, are judged over
#: all of them, below).
_READ_BY_REFERRERS = frozenset({"proposal", "registry", "value"})


def dependants(
    facts: Mapping[str, FileFacts] | FactsView,
    changed: Iterable[str],
    context: Context | None = None,
    *,
    edited: Iterable[str] = (),
) -> set[str]:
    """The files whose diagnostics a change to `changed` (edited, added or deleted) can
    change: every file that refers to one of them (to one that was added or deleted, or
    whose content it reads: of those in `edited`, which are files before and after, only
    proposals, values and registry.yaml); every release and proposal when a release
    changed (the order of releases, the value set a proposal was written against); every
    value whose number is duplicated or out of range when a value changed (numbering is
    judged over all values). With facts from the cache (a `FactsView`),
    `context` must be given."""
    changed = set(changed)
    edited = set(edited)
    view = InMemoryFacts(facts) if isinstance(facts, Mapping) else facts
    read = {p for p in changed if p not in edited or _kind_of_path(p) in _READ_BY_REFERRERS}
    found = view.referring(read) if read else set()
    kinds = {_kind_of_path(path) for path in changed}
    # Every proposal depends on the municipalities, and on its round's round.yaml.
    if MUNICIPALITIES_FILE in changed:
        found |= view.of_kind("proposal")
    rounds = {path.split("/")[2] for path in changed if path.endswith("/round.yaml")}
    if rounds:
        found.update(path for path in view.of_kind("proposal") if path.split("/")[1] in rounds)
    if "release" in kinds:
        # Release order, and the value set each proposal was written against.
        found |= view.of_kind("release") | view.of_kind("proposal")
        found |= view.of_kind("adoption")  # they read their manifest's date and status
    if rounds or "release" in kinds:
        # The ids decisions give new values are judged against their round's base release.
        found |= view.of_kind("decisions")
    if "value" in kinds:
        if context is None:
            if not isinstance(facts, Mapping):
                raise TypeError("dependants on a FactsView needs the registry's context")
            context = build_context(facts)
        for number, stems in context.holders.items():
            if len(stems) > 1 or (context.judge_range and number > context.total):
                found.update(value_path(stem) for stem in stems)
    return found


def _kind_of_path(path: str) -> str | None:
    from valreg.registry.parse import kind_of

    return kind_of(path)
