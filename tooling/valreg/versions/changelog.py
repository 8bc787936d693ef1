"""`valreg changelog`: what changed between two states of a registry, and why.

`diff_snapshots` compares two sides (releases, git refs or the work tree) without I/O;
`build_changelog` resolves the sides and reads the provenance (the `Applies:` trailers
between them) through `snapshot` and `_git`. The renderers (Danish Markdown, JSON, HTML)
are in `valreg.publishing.changelog`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from valreg import _git
from valreg.clock import ZONE
from valreg.errors import InvalidRegistry, UsageError
from valreg.registry import models
from valreg.registry.parse import kind_of
from valreg.registry.snapshot import (
    REGISTRY_FILE,
    SharedParses,
    Snapshot,
    load_snapshot,
    load_snapshot_at,
    parse_snapshot,
    read_worktree,
)
from valreg.versions.adoption import release_state
from valreg.versions.release import manifest_path, release_commit, releases_in_order, tag_name
from valreg.workflow.review import (
    DiffPart,
    normalise_text,
    word_diff,
)
from valreg.workflow.state import ChangeRecord, collect_changes

#: The kinds of file read from the work tree beside registry.yaml to tell a release's state.
_SMALL = ("round", "adoption")
#: How the work tree is named as a side.
UNRELEASED = "Ikke udgivet"
DECISIONS = {"accept": "imødekommet", "modify": "delvist imødekommet"}
#: A modify that combines several municipalities' amendments in one text, all of them kept.
COMBINED = "imødekommet ved en samlet formulering"
SECTIONS = (
    ("added", "Nye værdier"),
    ("retired", "Udgåede værdier"),
    ("amended", "Ændrede værdier"),
    ("merged", "Sammenlagte værdier"),
    ("renumbered", "Nye numre"),
)


# --- the changelog ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edition:
    """One side as the public sees it: a release, a git ref, or the unreleased work tree."""

    label: str
    version: str | None
    title: str | None
    status: str | None
    date: dt.date
    adopted_by: models.Adoption | None


@dataclass(frozen=True)
class Side:
    """A side to compare: what it is called, its files, and its commit (None: none yet)."""

    edition: Edition
    snapshot: Snapshot
    commit: str | None
    release: models.Release | None


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """A proposed change applied between the two sides: who proposed it, what was decided."""

    id: str
    round: str
    kind: str
    municipality_code: str
    municipality: str
    decision: Literal["accept", "modify"]
    #: The text it gave (the editors' own when they modified it); None for remove and move.
    text: str | None
    reason: str | None
    values: tuple[str, ...]
    #: The other changes of one combined text (`decide … modify --combine`).
    combined_with: tuple[str, ...] = ()

    @property
    def decision_text(self) -> str:
        """The decision in Danish, as the changelog and the report say it."""
        return COMBINED if self.combined_with else DECISIONS[self.decision]


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One value in one section. Numbers and texts are None on the side it is absent from."""

    id: str
    title: str | None
    number: int | None
    old_number: int | None
    text: str | None
    old_text: str | None
    diff: tuple[DiffPart, ...]
    #: Ids of the applied changes behind it (see `Changelog.changes`).
    changes: tuple[str, ...]
    #: For a merge: the values retired into this one.
    merged: tuple[ValueChange, ...] = ()


@dataclass(frozen=True)
class Changelog:
    registry: str
    old: Edition
    new: Edition
    rounds: tuple[str, ...]
    added: tuple[ValueChange, ...]
    retired: tuple[ValueChange, ...]
    amended: tuple[ValueChange, ...]
    merged: tuple[ValueChange, ...]
    renumbered: tuple[ValueChange, ...]
    changes: tuple[AppliedChange, ...]

    def section(self, name: str) -> tuple[ValueChange, ...]:
        entries: tuple[ValueChange, ...] = getattr(self, name)
        return entries

    @property
    def empty(self) -> bool:
        return not any(self.section(name) for name, _ in SECTIONS) and not self.changes


def _active(snapshot: Snapshot) -> dict[str, models.Value]:
    return {
        p.model.id: p.model
        for p in snapshot.values.values()
        if p.model is not None and p.model.status == "active"
    }


def _same_text(a: str, b: str) -> bool:
    return a == b or normalise_text(a) == normalise_text(b)


def diff_snapshots(old: Side, new: Side, provenance: Sequence[AppliedChange]) -> Changelog:
    """Every value added, retired, amended, merged or renumbered from `old` to `new`, each
    with the applied changes that touched it."""
    before, after = _active(old.snapshot), _active(new.snapshot)
    everything = {s: p.model for s, p in new.snapshot.values.items() if p.model is not None}
    added = [i for i in after if i not in before]
    gone = [i for i in before if i not in after]
    into: dict[str, list[str]] = defaultdict(list)
    for value_id in gone:
        target = everything[value_id].merged_into if value_id in everything else None
        if target is not None and target in after:
            into[target].append(value_id)
    merged_away = {v for values in into.values() for v in values}
    retired = [i for i in gone if i not in merged_away]
    kept = [i for i in after if i in before]
    amended = [i for i in kept if i not in into and not _same_text(before[i].text, after[i].text)]
    renumbered = [i for i in kept if before[i].number != after[i].number]

    touched: dict[tuple[str, str], list[str]] = defaultdict(list)
    for change in provenance:
        if change.kind == "add":
            text = change.text or ""
            targets = [i for i in added if _same_text(after[i].text, text)]
        else:
            targets = list(change.values)
        for value_id in targets:
            touched[change.kind, value_id].append(change.id)

    def entry(value_id: str, kind: str, *, merged: tuple[ValueChange, ...] = ()) -> ValueChange:
        was, now = before.get(value_id), after.get(value_id)
        shown = now or was
        ids = [*touched[kind, value_id], *(c for m in merged for c in m.changes)]
        return ValueChange(
            id=value_id,
            title=shown.title if shown is not None else None,
            number=now.number if now else None,
            old_number=was.number if was else None,
            text=now.text if now else None,
            old_text=was.text if was else None,
            diff=tuple(word_diff(was.text, now.text))
            if was is not None and now is not None and not _same_text(was.text, now.text)
            else (),
            changes=tuple(dict.fromkeys(ids)),
            merged=merged,
        )

    def by_number(ids: Iterable[str], numbers: dict[str, models.Value]) -> list[str]:
        return sorted(ids, key=lambda i: (numbers[i].number, i))

    new_releases = set(new.snapshot.releases) - set(old.snapshot.releases)
    rounds = {
        r for p in new.snapshot.valid("release") if p.stem in new_releases for r in p.model.rounds
    }
    registry = new.snapshot.registry
    return Changelog(
        registry=registry.name if registry is not None else "",
        old=old.edition,
        new=new.edition,
        rounds=tuple(sorted(rounds | {c.round for c in provenance})),
        added=tuple(entry(i, "add") for i in by_number(added, after)),
        retired=tuple(entry(i, "remove") for i in by_number(retired, before)),
        amended=tuple(entry(i, "amend") for i in by_number(amended, after)),
        merged=tuple(
            entry(
                target,
                "merge",
                merged=tuple(entry(m, "merge") for m in by_number(into[target], before)),
            )
            for target in by_number(into, after)
        ),
        renumbered=tuple(entry(i, "move") for i in by_number(renumbered, before)),
        changes=tuple(provenance),
    )


def applied_changes(snapshot: Snapshot, change_ids: Sequence[str]) -> list[AppliedChange]:
    """The accepted or modified changes among `change_ids`, as `snapshot` records them
    (changes whose proposal or decision it no longer holds are left out)."""
    found: dict[str, ChangeRecord] = {}
    for round_id in dict.fromkeys(i.split("/", 1)[0] for i in change_ids):
        parsed = snapshot.rounds.get(round_id)
        if parsed is not None and parsed.model is not None:
            found.update((r.id, r) for r in collect_changes(snapshot, parsed.model, change_ids))
    result = []
    for change_id in change_ids:
        record = found.get(change_id)
        if record is None or record.decision is None:
            continue
        decision = record.decision.decision
        if decision not in ("accept", "modify"):
            continue
        municipality = snapshot.municipalities.get(record.municipality)
        result.append(
            AppliedChange(
                id=record.id,
                round=record.proposal.folder,
                kind=record.kind,
                municipality_code=record.municipality,
                municipality=municipality.name if municipality else record.municipality,
                decision=decision,
                text=record.final_text,
                reason=record.decision.reason,
                values=record.touched_values,
                combined_with=tuple(record.decision.combined_with or ()),
            )
        )
    return result


# --- resolving the sides ------------------------------------------------------------------


def build_changelog(root: Path, start: str | None, end: str | None, *, today: dt.date) -> Changelog:
    """The changelog from `start` to `end` (versions, tags or git refs); `end` defaults to
    the work tree and `start` to the release before `end`. Reads git; writes nothing."""
    known = _known_releases(root)
    if end is None:
        worktree = load_snapshot(root)
        new = Side(
            Edition(UNRELEASED, None, None, None, today, None), worktree, _git.head(root), None
        )
    else:
        new = _side(root, known, end)
    old = _side(root, known, start) if start is not None else _previous(root, known, new)
    return changelog_between(root, old, new)


def release_sides(root: Path) -> list[Side]:
    """Every release of the work tree's manifests as a side read from its commit, oldest
    first; the sides share their parses, so a file unchanged across releases is parsed
    once. For publications that show every release (the site)."""
    known = _known_releases(root)
    return [_side(root, known, version) for version in known.versions]


def changelog_between(root: Path, old: Side, new: Side) -> Changelog:
    """The changelog from `old` to `new` with its provenance, as `build_changelog` makes it."""
    change_ids = _git.applied_between(root, old.commit, new.commit) if new.commit else []
    return diff_snapshots(old, new, applied_changes(new.snapshot, change_ids))


@dataclass(frozen=True, slots=True)
class _Releases:
    """The work tree's releases by name (enough to resolve a side), the parses the sides
    share, and the work tree's small files that say what became of a release since (its
    adoption files and rounds)."""

    versions: tuple[str, ...]
    tags: dict[str, str]
    parses: SharedParses
    now: Snapshot

    @property
    def listing(self) -> str:
        return ", ".join(self.versions) or "none"


def _known_releases(root: Path) -> _Releases:
    """Release versions from the manifests' file names, tags from registry.yaml; parsing
    only registry.yaml, the rounds and the adoption files keeps this cheap (a manifest of
    10,000 values is not)."""
    blobs, _ = read_worktree(root)
    small = {p: b for p, b in blobs.items() if p == REGISTRY_FILE or kind_of(p) in _SMALL}
    registry = parse_snapshot(small, [])
    stems = (
        p.removeprefix("registry/releases/").removesuffix(".yaml")
        for p in blobs
        if p.startswith("registry/releases/")
    )
    versions = sorted(
        (v for v in stems if re.fullmatch(models.CALENDAR_VERSION, v)), key=models.version_key
    )
    tags = {v: tag_name(registry, v) for v in versions}
    return _Releases(tuple(versions), tags, SharedParses(), registry)


def _release_commit(root: Path, known: _Releases, version: str) -> str:
    """The release's tag, else the commit that added its manifest."""
    return release_commit(root, known.tags[version], version)


def _side(root: Path, known: _Releases, name: str) -> Side:
    by_tag = {tag: version for version, tag in known.tags.items()}
    version = name if name in known.tags else by_tag.get(name)
    if version is not None:
        commit = _release_commit(root, known, version)
        snapshot = load_snapshot_at(root, commit, known.parses)
        parsed = snapshot.releases.get(version)
        if parsed is None or parsed.model is None:
            raise InvalidRegistry(
                f"{manifest_path(version)} is not a valid manifest in {commit[:12]}; "
                "run `valreg verify`"
            )
        release: models.Release = parsed.model
        state = release_state(known.now, release)  # adopted in its manifest, or since
        edition = Edition(
            version, version, release.title, state.status, release.date, state.adopted_by
        )
        return Side(edition, snapshot, commit, release)
    if re.fullmatch(models.CALENDAR_VERSION, name):
        raise UsageError(f"there is no release {name}; releases: {known.listing}")
    try:
        commit = _git.resolve(root, name)
    except UsageError:
        raise UsageError(
            f"'{name}' is neither a release nor a git ref; releases: {known.listing}"
        ) from None
    when = dt.datetime.fromtimestamp(_git.commit_time(root, commit), ZONE).date()
    edition = Edition(name, None, None, None, when, None)
    return Side(edition, load_snapshot_at(root, commit, known.parses), commit, None)


def _previous(root: Path, known: _Releases, new: Side) -> Side:
    """The release before `new`: a release's `previous`, else the last release `new` holds
    (or the one before that, when `new` is that release's own commit)."""
    if new.release is not None:
        previous = new.release.previous
    else:
        releases = releases_in_order(new.snapshot)
        last = releases[-1] if releases else None
        previous = last.version if last else None
        if (
            last is not None
            and new.edition.label != UNRELEASED
            and _release_commit(root, known, last.version) == new.commit
        ):
            previous = last.previous
    if previous is None:
        raise UsageError(
            f"there is no release before {new.edition.label}; name FROM (releases: {known.listing})"
        )
    return _side(root, known, previous)
