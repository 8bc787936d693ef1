"""The changelog for the public: Danish Markdown, JSON (shape: `ChangelogDocument`,
exported as `valreg schema changelog`) and one standalone HTML page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from valreg.danish import danish_date
from valreg.versions.changelog import (
    SECTIONS,
    UNRELEASED,
    AppliedChange,
    Changelog,
    Edition,
    ValueChange,
)
from valreg.workflow.review import (
    escape_markdown,
    markdown_diff,
)


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
    said = f"{change.municipality} ({change.id}): {change.decision_text}"
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
            f"| `{c.id}` | {_cell(c.municipality)} | {c.decision_text} | "
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
    """The decision in Danish: imødekommet, delvist imødekommet, or imødekommet ved en
    samlet formulering (a text that combines several municipalities' amendments)."""
    combined_with: list[str]
    """The other changes of one combined text (empty unless combined)."""
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
                decision_text=c.decision_text,
                text=c.text,
                reason=c.reason,
                values=list(c.values),
                combined_with=list(c.combined_with),
            )
            for c in changelog.changes
        ],
    )


def render_json(changelog: Changelog) -> str:
    """For scripts: `ChangelogDocument` (`version` 1), schema `valreg schema changelog`."""
    return to_document(changelog).model_dump_json(indent=2, by_alias=True) + "\n"


def render_html(changelog: Changelog) -> str:
    """One standalone, accessible page in Danish: inline CSS, no scripts, text escaped."""
    from valreg.publishing.html import html_environment

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
    )


RENDERERS = {"md": render_markdown, "json": render_json, "html": render_html}
