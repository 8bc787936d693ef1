"""`valreg changelog`: what changed between two states of a registry, and why.

`diff_snapshots` compares two sides (releases, git refs or the work tree) without I/O;
`build_changelog` resolves the sides and reads the provenance (the `Applies:` trailers
between them) through `snapshot` and `_git`. Renderers write Danish Markdown, JSON (shape:
`ChangelogDocument`, exported as `valreg schema changelog`) and one standalone HTML page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from valreg import _git, models
from valreg.clock import ZONE
from valreg.errors import InvalidRegistry, UsageError
from valreg.release import manifest_path, release_commit, releases_in_order, tag_name
from valreg.review import DiffPart, escape_markdown, markdown_diff, normalise_text, word_diff
from valreg.snapshot import (
    REGISTRY_FILE,
    SharedParses,
    Snapshot,
    load_snapshot,
    load_snapshot_at,
    parse_snapshot,
    read_worktree,
)
from valreg.state import ChangeRecord, collect_changes

#: How the work tree is named as a side.
UNRELEASED = "Ikke udgivet"
DECISIONS = {"accept": "imødekommet", "modify": "delvist imødekommet"}
SECTIONS = (
    ("added", "Nye værdier"),
    ("retired", "Udgåede værdier"),
    ("amended", "Ændrede værdier"),
    ("merged", "Sammenlagte værdier"),
    ("renumbered", "Nye numre"),
)
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
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
    """The work tree's releases by name (enough to resolve a side), and the parses the
    sides share."""

    versions: tuple[str, ...]
    tags: dict[str, str]
    parses: SharedParses

    @property
    def listing(self) -> str:
        return ", ".join(self.versions) or "none"


def _known_releases(root: Path) -> _Releases:
    """Release versions from the manifests' file names, tags from registry.yaml; parsing
    only registry.yaml keeps this cheap (a manifest of 10,000 values is not)."""
    blobs, _ = read_worktree(root)
    registry = parse_snapshot({p: b for p, b in blobs.items() if p == REGISTRY_FILE}, [])
    stems = (
        p.removeprefix("registry/releases/").removesuffix(".yaml")
        for p in blobs
        if p.startswith("registry/releases/")
    )
    versions = sorted(
        (v for v in stems if re.fullmatch(models.CALENDAR_VERSION, v)), key=models.version_key
    )
    tags = {v: tag_name(registry, v) for v in versions}
    return _Releases(tuple(versions), tags, SharedParses())


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
        edition = Edition(
            version, version, release.title, release.status, release.date, release.adopted_by
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


# --- rendering ----------------------------------------------------------------------------


def danish_date(date: dt.date) -> str:
    return f"{date.day}. {MONTHS[date.month - 1]} {date.year}"


def describe(edition: Edition) -> str:
    """`2019.2 «Udgave 2019.2», vedtaget`, `Ikke udgivet`, or a git ref."""
    if edition.version is None:
        return edition.label if edition.label == UNRELEASED else f"{edition.label} (git)"
    status = {"adopted": "vedtaget", "draft": "udkast"}.get(edition.status or "", "")
    return f"{edition.version} «{edition.title}», {status}"


def value_heading(value: ValueChange) -> str:
    """`2. danner-og-uddanner` (a retired value has no number), with its title if any."""
    name = f"{value.title} ({value.id})" if value.title else value.id
    return f"{value.number}. {name}" if value.number is not None else name


def merge_sentence(value: ValueChange) -> str:
    """`lokalmiljoeet (tidligere nr. 4) er lagt sammen med samarbejde-med-foraeldre …`"""
    merged = " og ".join(f"{m.id} (tidligere nr. {m.old_number})" for m in value.merged)
    survivor = f" (tidligere nr. {value.old_number})" if value.old_number is not None else ""
    return f"{merged} er lagt sammen med {value.id}{survivor}."


def provenance(change: AppliedChange) -> str:
    """`Odense (eksempel-1/461-odense#1): imødekommet. Begrundelse: …`"""
    said = f"{change.municipality} ({change.id}): {DECISIONS[change.decision]}"
    if change.decision == "modify" and change.text is not None:
        said += f" med teksten «{change.text}»"
    if change.reason:
        said += f". Begrundelse: {change.reason}"
    return said


def counts(changelog: Changelog) -> list[tuple[str, int]]:
    return [(title, len(changelog.section(name))) for name, title in SECTIONS] + [
        ("Gennemførte ændringsforslag", len(changelog.changes))
    ]


def _flat(text: str) -> str:
    return escape_markdown(" ".join(text.split()))


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def render_markdown(changelog: Changelog) -> str:
    """For GitHub and the public: Danish, diffs as ~~removed~~ **added**."""
    by_id = {c.id: c for c in changelog.changes}
    old, new = changelog.old, changelog.new
    out = [
        f"# Ændringer i {_flat(changelog.registry)}: {_flat(old.label)} → {_flat(new.label)}",
        "",
        "## Oversigt",
        "",
        "| | Fra | Til |",
        "|---|---|---|",
        f"| Udgave | {_cell(describe(old))} | {_cell(describe(new))} |",
        f"| Dato | {danish_date(old.date)} | {danish_date(new.date)} |",
        "",
    ]
    if new.adopted_by is not None:
        minutes = f" ([referat]({new.adopted_by.minutes}))" if new.adopted_by.minutes else ""
        out += [
            f"Vedtaget af {_flat(new.adopted_by.body)} den "
            f"{danish_date(new.adopted_by.date)}{minutes}.",
            "",
        ]
    rounds = ", ".join(_flat(r) for r in changelog.rounds) or "ingen"
    out += [f"Høringsrunder: {rounds}.", "", "| Ændring | Antal |", "|---|---:|"]
    out += [f"| {title} | {count} |" for title, count in counts(changelog)]

    def sources(value: ValueChange) -> list[str]:
        return [f"- {_flat(provenance(by_id[c]))}" for c in value.changes if c in by_id]

    for name, title in SECTIONS:
        out += ["", f"## {title}", ""]
        entries = changelog.section(name)
        if not entries:
            out.append("Ingen.")
            continue
        if name == "renumbered":
            out += ["| Værdi | Tidligere nr. | Nyt nr. | Ændringsforslag |", "|---|---:|---:|---|"]
            out += [
                f"| {_cell(v.id)} | {v.old_number} | {v.number} | "
                f"{'; '.join(_cell(provenance(by_id[c])) for c in v.changes) or '–'} |"
                for v in entries
            ]
            continue
        for value in entries:
            out += [f"### {_flat(value_heading(value))}", ""]
            if name == "retired":
                out += [f"Tidligere nr. {value.old_number}: {_flat(value.old_text or '')}", ""]
            elif name == "merged":
                out += [_flat(merge_sentence(value)), ""]
            if value.diff:
                out += [markdown_diff(value.diff), ""]
            if value.text is not None and name != "retired":
                out += [f"> {_flat(value.text)}", ""]
            out += [*(sources(value) or ["Ingen ændringsforslag ligger bag."]), ""]
        out.pop()
    out += ["", "## Ændringsforslag", ""]
    if changelog.changes:
        out += ["| Forslag | Kommune | Afgørelse | Begrundelse |", "|---|---|---|---|"]
        out += [
            f"| `{c.id}` | {_cell(c.municipality)} | {DECISIONS[c.decision]} | "
            f"{_cell(c.reason) if c.reason else '–'} |"
            for c in changelog.changes
        ]
    else:
        out.append("Ingen.")
    return "\n".join(out) + "\n"


class _Document(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True
    )


class AdoptionDocument(_Document):
    body: str
    date: dt.date
    minutes: str | None


class EditionDocument(_Document):
    label: str
    """The version, the git ref as given, or "Ikke udgivet" for the work tree."""
    version: str | None
    title: str | None
    status: Literal["draft", "adopted"] | None
    date: dt.date
    """The release's date; a ref's commit date; today for the work tree."""
    adopted_by: AdoptionDocument | None


class DiffPartDocument(_Document):
    op: Literal["equal", "delete", "insert"]
    text: str


class ValueDocument(_Document):
    id: str
    title: str | None
    number: int | None
    """The number on the `to` side (null: not active there)."""
    old_number: int | None
    """The number on the `from` side (null: not active there)."""
    text: str | None
    old_text: str | None
    diff: list[DiffPartDocument]
    """Word diff from old_text to text (empty unless both exist and differ)."""
    changes: list[str]
    """Ids of the applied changes behind this entry (see `changes`)."""
    merged: list[ValueDocument]
    """For a merge: the values retired into this one."""


class MunicipalityDocument(_Document):
    code: str
    name: str


class ChangeDocument(_Document):
    id: str
    round: str
    kind: Literal["amend", "add", "remove", "merge", "move"]
    municipality: MunicipalityDocument
    decision: Literal["accept", "modify"]
    decision_text: str
    """The decision in Danish: imødekommet or delvist imødekommet."""
    text: str | None
    """The text the change gave (the editors' when they modified it)."""
    reason: str | None
    """The editors' reason, if they gave one."""
    values: list[str]


class SummaryDocument(_Document):
    added: int
    retired: int
    amended: int
    merged: int
    renumbered: int
    changes: int


class ChangelogDocument(_Document):
    """valreg changelog --format json: what changed between two states of a registry."""

    version: Literal[1]
    registry: str
    from_: EditionDocument = Field(alias="from")
    to: EditionDocument
    rounds: list[str]
    summary: SummaryDocument
    added: list[ValueDocument]
    retired: list[ValueDocument]
    amended: list[ValueDocument]
    merged: list[ValueDocument]
    renumbered: list[ValueDocument]
    changes: list[ChangeDocument]


def _edition_document(edition: Edition) -> EditionDocument:
    adoption = edition.adopted_by
    return EditionDocument(
        label=edition.label,
        version=edition.version,
        title=edition.title,
        status=edition.status,
        date=edition.date,
        adopted_by=AdoptionDocument(
            body=adoption.body, date=adoption.date, minutes=adoption.minutes
        )
        if adoption is not None
        else None,
    )


def _value_document(value: ValueChange) -> ValueDocument:
    return ValueDocument(
        id=value.id,
        title=value.title,
        number=value.number,
        old_number=value.old_number,
        text=value.text,
        old_text=value.old_text,
        diff=[DiffPartDocument(op=p.op, text=p.text) for p in value.diff],
        changes=list(value.changes),
        merged=[_value_document(m) for m in value.merged],
    )


def to_document(changelog: Changelog) -> ChangelogDocument:
    sections = {name: [_value_document(v) for v in changelog.section(name)] for name, _ in SECTIONS}
    return ChangelogDocument(
        version=1,
        registry=changelog.registry,
        from_=_edition_document(changelog.old),
        to=_edition_document(changelog.new),
        rounds=list(changelog.rounds),
        summary=SummaryDocument(
            **{name: len(changelog.section(name)) for name, _ in SECTIONS},
            changes=len(changelog.changes),
        ),
        **sections,
        changes=[
            ChangeDocument(
                id=c.id,
                round=c.round,
                kind=c.kind,
                municipality=MunicipalityDocument(code=c.municipality_code, name=c.municipality),
                decision=c.decision,
                decision_text=DECISIONS[c.decision],
                text=c.text,
                reason=c.reason,
                values=list(c.values),
            )
            for c in changelog.changes
        ],
    )


def render_json(changelog: Changelog) -> str:
    """For scripts: `ChangelogDocument` (`version` 1), schema `valreg schema changelog`."""
    return to_document(changelog).model_dump_json(indent=2, by_alias=True) + "\n"


def render_html(changelog: Changelog) -> str:
    """One standalone, accessible page in Danish: inline CSS, no scripts, text escaped."""
    from valreg.publish import html_environment

    environment = html_environment()
    template = environment.get_template("changelog.html.j2")
    return template.render(
        changelog=changelog,
        sections=[(name, title, changelog.section(name)) for name, title in SECTIONS],
        counts=counts(changelog),
        by_id={c.id: c for c in changelog.changes},
        describe=describe,
        value_heading=value_heading,
        merge_sentence=merge_sentence,
        provenance=provenance,
        decisions=DECISIONS,
    )


RENDERERS = {"md": render_markdown, "json": render_json, "html": render_html}
