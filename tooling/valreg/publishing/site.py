"""`valreg site`: the registry as a static site in Danish, for the public.

`render_site` reads the registry (the work tree for rounds and proposals, git for every
release) and renders every page in memory as {relative path: bytes}; `write_site` puts
them into a temporary folder beside the target and swaps it in, so a failure leaves the
target as it was. Pages are plain HTML from jinja2 templates with autoescaping, relative
links only (the site works from a sub-path and from file://), one CSS file and no
external requests. Nothing names a person: editors' logins are never rendered.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from valreg import _git
from valreg.clock import ZONE
from valreg.danish import danish_date
from valreg.errors import Refused, UsageError
from valreg.publishing.answer_form import SCHEMA_FILE, answer_page, form_data
from valreg.publishing.changelog import counts, render_json
from valreg.publishing.guide import ANSWER_WAYS
from valreg.publishing.letter import Recipient, consulted, letter_path
from valreg.publishing.map.figures import RegionFigures, region_figures
from valreg.publishing.map.shapes import CREDIT
from valreg.publishing.map.svg import render_svg
from valreg.publishing.report import Respondent, respondents_of
from valreg.publishing.report.wording import STANDING_WORDS
from valreg.publishing.schema import render_schema
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.snapshot import Snapshot
from valreg.versions.adoption import ReleaseState, release_state
from valreg.versions.changelog import (
    DECISIONS,
    SECTIONS,
    UNRELEASED,
    AppliedChange,
    Changelog,
    Edition,
    Side,
    ValueChange,
    changelog_between,
    release_sides,
)
from valreg.versions.release import manifest_path
from valreg.workflow.review import DiffPart, normalise_text, word_diff
from valreg.workflow.rounds import RoundState, released_rounds, round_state
from valreg.workflow.state import Standing, standings
from valreg.workflow.status import municipality_standings

#: The file that marks a folder as a valreg site, which `write_site` may replace.
SITE_MARKER = ".valreg-site"
#: A municipality's standing in a round, as the report says it too.
STANDINGS = STANDING_WORDS
#: A round's state as the site says it (`workflow.rounds.round_state`).
ROUND_STATES = {
    RoundState.PLANNED: "planlagt",
    RoundState.OPEN: "åben",
    RoundState.PAST_DEADLINE: "frist overskredet",
    RoundState.CLOSED: "afsluttet",
}
#: What a municipality proposed, after its name: `Odense foreslog at fjerne værdien`.
KINDS = {
    "amend": "foreslog at ændre teksten",
    "add": "foreslog at tilføje værdien",
    "remove": "foreslog at fjerne værdien",
    "merge": "foreslog at lægge værdierne sammen",
    "move": "foreslog at flytte værdien",
    "comment": "kom med en bemærkning",
}
_BASE_URL = re.compile(r"https?://[^\s\"'<>]+")


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What `build_site` wrote: where, how many pages (HTML) and files in all."""

    out: Path
    pages: int
    files: int


# --- the site's data ----------------------------------------------------------------------


def status_words(state: ReleaseState) -> str:
    """`vedtaget`; a draft is `udkast sendt i høring` only when a round has it as its base,
    else just `udkast`."""
    if state.adopted:
        return "vedtaget"
    return "udkast sendt i høring" if state.sent_for_consultation else "udkast"


@dataclass(frozen=True)
class ReleasePage:
    """One release: its manifest, its side (files at its commit), its changelog against
    the release before it (None for the first), and its status now (adopted in its
    manifest or since, sent for consultation or not)."""

    release: models.Release
    side: Side
    changelog: Changelog | None
    manifest: bytes
    state: ReleaseState

    @property
    def version(self) -> str:
        return self.release.version


@dataclass(frozen=True, slots=True)
class Version:
    """A value in one release (or unreleased in the work tree)."""

    label: str
    #: The release's version; None for the work tree.
    version: str | None
    release: models.Release | None
    #: The release's status now; None for the work tree.
    state: ReleaseState | None
    present: bool
    number: int | None
    text: str | None
    #: The word diff from the last text shown before, when the text changed.
    diff: tuple[DiffPart, ...]
    changes: tuple[AppliedChange, ...]


@dataclass(frozen=True)
class ValuePage:
    id: str
    value: models.Value
    versions: tuple[Version, ...]
    #: The surviving value this one was merged into, if it has a page.
    merged_into: str | None


@dataclass(frozen=True)
class RoundPage:
    round: models.Round
    respondents: tuple[Respondent, ...]
    silent: tuple[Respondent, ...]
    #: Each municipality's region, by code.
    regions: dict[str, str]
    counts: tuple[tuple[str, int], ...]
    #: Releases that include the round's decisions.
    releases: tuple[str, ...]
    #: The round's state on the day the site is built (`workflow.rounds.round_state`).
    state: RoundState
    #: The høringsliste: every municipality consulted, in Danish alphabetical order.
    recipients: tuple[Recipient, ...]
    #: Whether the round has a letter (registry/rounds/<round>/letter.md) to publish.
    letter: bool
    #: The answers by region: the counts, the bar chart and the map.
    figures: RegionFigures


@dataclass(frozen=True, slots=True)
class FeedEntry:
    path: str
    title: str
    updated: dt.date
    summary: str
    #: A page the entry is about besides its own (a new round's letter).
    related: str | None = None


@dataclass
class SiteData:
    registry: models.Registry
    worktree: Snapshot
    releases: list[ReleasePage]
    unreleased: Changelog | None
    values: dict[str, ValuePage]
    rounds: list[RoundPage]
    today: dt.date
    base_url: str | None

    @property
    def current(self) -> ReleasePage | None:
        """The newest adopted release (adopted in its manifest or since)."""
        adopted = [r for r in self.releases if r.state.adopted]
        return adopted[-1] if adopted else None

    @property
    def newest(self) -> ReleasePage | None:
        return self.releases[-1] if self.releases else None


def _worktree_side(root: Path, worktree: Snapshot, today: dt.date) -> Side:
    return Side(Edition(UNRELEASED, None, None, None, today, None), worktree, _git.head(root), None)


def _releases(root: Path, worktree: Snapshot) -> list[ReleasePage]:
    sides = release_sides(root)
    by_version = {s.edition.version: s for s in sides}
    names = [f"{s.commit}:{manifest_path(s.edition.version or '')}" for s in sides]
    manifests = _git.read_blobs(root, names)
    pages = []
    for side, name in zip(sides, names, strict=True):
        assert side.release is not None  # a release's side always has its manifest
        previous = by_version.get(side.release.previous)
        changelog = changelog_between(root, previous, side) if previous is not None else None
        state = release_state(worktree, side.release)
        pages.append(ReleasePage(side.release, side, changelog, manifests[name], state))
    return pages


def _changes_by_value(changelog: Changelog) -> dict[str, list[AppliedChange]]:
    """The applied changes behind each value's entry in a changelog."""
    by_id = {c.id: c for c in changelog.changes}
    found: dict[str, list[AppliedChange]] = {}

    def note(entry: ValueChange) -> None:
        for change_id in entry.changes:
            if change_id in by_id and by_id[change_id] not in found.setdefault(entry.id, []):
                found[entry.id].append(by_id[change_id])

    for name, _ in SECTIONS:
        for entry in changelog.section(name):
            note(entry)
            for merged in entry.merged:
                note(merged)
    return found


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and normalise_text(a) == normalise_text(b)


def _value_pages(
    worktree: Snapshot, releases: list[ReleasePage], unreleased: Changelog | None
) -> dict[str, ValuePage]:
    latest: dict[str, models.Value] = {}
    for page in releases:
        latest.update(
            (i, p.model) for i, p in page.side.snapshot.values.items() if p.model is not None
        )
    latest.update((i, p.model) for i, p in worktree.values.items() if p.model is not None)
    sources: list[tuple[str, ReleasePage | None, Snapshot, Changelog | None]] = [
        (p.version, p, p.side.snapshot, p.changelog) for p in releases
    ]
    if unreleased is not None:
        sources.append((UNRELEASED, None, worktree, unreleased))
    histories: dict[str, list[Version]] = {value_id: [] for value_id in latest}
    shown: dict[str, tuple[str | None, bool]] = {}
    for label, release_page, snapshot, changelog in sources:
        release = release_page.release if release_page is not None else None
        changes = _changes_by_value(changelog) if changelog is not None else {}
        if release is not None:
            numbers = {e.id: e.number for e in release.values}
        else:
            numbers = {
                i: p.model.number
                for i, p in snapshot.values.items()
                if p.model is not None and p.model.status == "active"
            }
        for value_id, history in histories.items():
            parsed = snapshot.values.get(value_id)
            text = parsed.model.text if parsed is not None and parsed.model is not None else None
            present = value_id in numbers and text is not None
            last_text, was_present = shown.get(value_id, (None, False))
            touched = tuple(changes.get(value_id, ()))
            unchanged = (
                present
                and was_present
                and not touched
                and _same(last_text, text)
                and numbers[value_id] == history[-1].number
            )
            if release is None and unchanged:
                continue  # the work tree adds nothing to the last release
            if not (present or touched or was_present):
                continue
            diff: tuple[DiffPart, ...] = ()
            if (
                present
                and last_text is not None
                and text is not None
                and not _same(last_text, text)
            ):
                diff = tuple(word_diff(last_text, text))
            history.append(
                Version(
                    label=label,
                    version=release.version if release is not None else None,
                    release=release,
                    state=release_page.state if release_page is not None else None,
                    present=present,
                    number=numbers.get(value_id) if present else None,
                    text=text if present else None,
                    diff=diff,
                    changes=touched,
                )
            )
            shown[value_id] = (text if present else last_text, present)
    return {
        value_id: ValuePage(
            id=value_id,
            value=value,
            versions=tuple(histories[value_id]),
            merged_into=value.merged_into if value.merged_into in latest else None,
        )
        for value_id, value in sorted(latest.items())
    }


def _round_pages(
    root: Path, worktree: Snapshot, releases: list[ReleasePage], today: dt.date
) -> list[RoundPage]:
    pages = []
    known = worktree.municipalities
    released = released_rounds(worktree)
    for parsed in sorted(worktree.valid("round"), key=lambda p: p.folder):
        round_: models.Round = parsed.model
        everyone = respondents_of(worktree, round_)
        tally = [(STANDINGS[s], sum(r.standing is s for r in everyone)) for s in Standing]
        pages.append(
            RoundPage(
                round=round_,
                respondents=tuple(r for r in everyone if r.standing is not Standing.NO_ANSWER),
                silent=tuple(r for r in everyone if r.standing is Standing.NO_ANSWER),
                regions={code: m.region for code, m in known.items()},
                counts=tuple(tally),
                releases=tuple(p.version for p in releases if round_.id in p.release.rounds),
                state=round_state(round_, today, released=round_.id in released),
                recipients=tuple(consulted(worktree, round_)),
                letter=(root / letter_path(round_.id)).is_file(),
                figures=region_figures(
                    municipality_standings(worktree, standings(worktree, round_)), STANDINGS
                ),
            )
        )
    return pages


def load_site_data(root: Path, *, base_url: str | None, today: dt.date) -> SiteData:
    """Everything the pages show: the work tree (valid, or InvalidRegistry), every release
    from git with its changelog, and what is applied but not released yet."""
    worktree = load_valid_snapshot(root, "building the site")
    registry = worktree.registry
    assert registry is not None  # a valid snapshot has one
    releases = _releases(root, worktree)
    unreleased = None
    if releases and _git.head(root) is not None:
        candidate = changelog_between(
            root, releases[-1].side, _worktree_side(root, worktree, today)
        )
        unreleased = None if candidate.empty else candidate
    return SiteData(
        registry=registry,
        worktree=worktree,
        releases=releases,
        unreleased=unreleased,
        values=_value_pages(worktree, releases, unreleased),
        rounds=_round_pages(root, worktree, releases, today),
        today=today,
        base_url=base_url,
    )


# --- rendering ----------------------------------------------------------------------------


def _environment() -> Any:
    from valreg.publishing.html import html_environment

    environment = html_environment("templates/site")
    environment.globals.update(
        decisions=DECISIONS,
        kinds=KINDS,
        status_words=status_words,
        sections=SECTIONS,
        standings=STANDINGS,
        round_states=ROUND_STATES,
        RoundState=RoundState,
        answer_ways=ANSWER_WAYS,
    )
    return environment


def render_site(root: Path, *, base_url: str | None, today: dt.date) -> dict[str, bytes]:
    """Every file of the site by its relative path (nothing is written)."""
    if base_url is not None:
        if not _BASE_URL.fullmatch(base_url):
            raise UsageError(f"--base-url {base_url!r}: give an http(s) URL, e.g. https://…/")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    data = load_site_data(root, base_url=base_url, today=today)
    return render_pages(root, data)


def render_pages(root: Path, data: SiteData) -> dict[str, bytes]:
    environment = _environment()
    files: dict[str, bytes] = {}

    def page(path: str, template: str, title: str, **context: Any) -> None:
        depth = path.count("/")
        html = environment.get_template(template).render(
            root="../" * depth,
            path=path,
            title=title,
            registry=data.registry,
            canonical=f"{data.base_url}{path}" if data.base_url else None,
            today=data.today,
            **context,
        )
        files[path] = html.encode("utf-8")

    values = sorted(
        data.values.values(),
        key=lambda v: (v.value.status != "active", v.value.number, v.id),
    )
    page(
        "index.html",
        "index.html.j2",
        data.registry.name,
        current=data.current,
        newest=data.newest,
        open_rounds=[r for r in data.rounds if r.state is RoundState.OPEN],
        pages=data.values,
    )
    page("vaerdier/index.html", "values.html.j2", "Alle værdier", values=values)
    for value in values:
        number = f"{value.value.number}. " if value.value.status == "active" else ""
        name = f"{number}{value.value.title or value.id}"
        page(f"vaerdier/{value.id}.html", "value.html.j2", name, page=value, pages=data.values)
    page("udgivelser/index.html", "releases.html.j2", "Udgaver", releases=data.releases[::-1])
    for release in data.releases:
        version = release.version
        page(
            f"udgivelser/{version}.html",
            "release.html.j2",
            f"Udgave {version}: {release.release.title}",
            release=release,
            changelog=release.changelog,
            by_id={c.id: c for c in release.changelog.changes} if release.changelog else {},
            pages=data.values,
            counts=counts(release.changelog) if release.changelog else [],
        )
        files[f"udgivelser/{version}.yaml"] = release.manifest
        if release.changelog is not None:
            files[f"udgivelser/{version}.json"] = render_json(release.changelog).encode("utf-8")
    page("runder/index.html", "rounds.html.j2", "Høringsrunder", rounds=data.rounds[::-1])
    for round_page in data.rounds:
        round_ = round_page.round
        page(
            f"runder/{round_.id}.html",
            "round.html.j2",
            f"Høringsrunde: {round_.title}",
            page=round_page,
            standing_words=[STANDINGS[s] for s in Standing],
            svg=lambda figure, figure_id: Markup(render_svg(figure, figure_id)),
            map_credit=CREDIT,
        )
        if round_page.state is not RoundState.CLOSED:
            page(
                answer_page(round_.id),
                "answer.html.j2",
                f"Høringssvar: {round_.title}",
                page=round_page,
                form=form_data(data.worktree, round_),
            )
    files.update(_reports(root, data))
    files.update(_letters(root, data))
    page("om.html", "about.html.j2", "Sådan deltager kommunerne", rounds=data.rounds)
    files["feed.xml"] = render_feed(data, feed_entries(data)).encode("utf-8")
    files["style.css"] = _asset("style.css")
    files["filter.js"] = _asset("filter.js")
    files["svar.js"] = _asset("svar.js")
    files[SCHEMA_FILE] = render_schema("proposal").encode("utf-8")
    return files


def _asset(name: str) -> bytes:
    return resources.files("valreg.publishing").joinpath("templates", "site", name).read_bytes()


def _release_url(version: str) -> str:
    """A release's page as seen from a round's report (runder/<round>/hoeringsnotat.html)."""
    return f"../../udgivelser/{version}.html"


def _reports(root: Path, data: SiteData) -> dict[str, bytes]:
    """The høringsnotat of every round, from `valreg.publishing.report`, in three formats."""
    from valreg.publishing.report import build_report
    from valreg.publishing.report.docx import render_docx
    from valreg.publishing.report.html import render_html
    from valreg.publishing.report.markdown import render_markdown

    files: dict[str, bytes] = {}
    releases = {page.version: page.side.snapshot for page in data.releases}
    for round_page in data.rounds:
        round_id = round_page.round.id
        built = build_report(
            root,
            round_id,
            today=data.today,
            release_url=_release_url,
            worktree=data.worktree,
            releases=releases,
        )
        folder = f"runder/{round_id}"
        files[f"{folder}/hoeringsnotat.html"] = render_html(built).encode("utf-8")
        files[f"{folder}/hoeringsnotat.md"] = render_markdown(built).encode("utf-8")
        files[f"{folder}/hoeringsnotat.docx"] = render_docx(built)
    return files


def _letters(root: Path, data: SiteData) -> dict[str, bytes]:
    """Every round's letter (as a page, a Word document and Markdown), where it has one,
    and its høringsliste as CSV."""
    from valreg.publishing.letter import build_letter, load_letter_source
    from valreg.publishing.letter.render import (
        render_docx,
        render_html,
        render_markdown,
        render_recipients_csv,
    )

    files: dict[str, bytes] = {}
    releases = {page.version: page.side.snapshot for page in data.releases}
    for round_page in data.rounds:
        folder = f"runder/{round_page.round.id}"
        files[f"{folder}/hoeringsliste.csv"] = render_recipients_csv(round_page.recipients).encode(
            "utf-8"
        )
        if not round_page.letter:
            continue
        source = load_letter_source(
            root, round_page.round.id, worktree=data.worktree, releases=releases
        )
        letter = build_letter(source, today=data.today)
        files[f"{folder}/hoeringsbrev.html"] = render_html(letter).encode("utf-8")
        files[f"{folder}/hoeringsbrev.md"] = render_markdown(letter).encode("utf-8")
        files[f"{folder}/hoeringsbrev.docx"] = render_docx(letter)
    return files


# --- the Atom feed ------------------------------------------------------------------------


def _decision_dates(data: SiteData, round_: models.Round) -> list[dt.date]:
    parsed = data.worktree.files.get(f"registry/rounds/{round_.id}/decisions.yaml")
    return [d.date for d in parsed.model] if parsed is not None and parsed.model else []


def _has_report(data: SiteData, round_: models.Round) -> bool:
    """A round's report is news once the round is closed or the editors have decided."""
    return round_.closed or bool(_decision_dates(data, round_))


def _report_date(data: SiteData, round_: models.Round) -> dt.date:
    """The day of the round's last decision (or its deadline, if none)."""
    return max(_decision_dates(data, round_), default=round_.deadline)


def feed_entries(data: SiteData) -> list[FeedEntry]:
    """One entry per round opened, per release and per report, newest first."""
    entries = []
    for round_page in data.rounds:
        round_ = round_page.round
        entries.append(
            FeedEntry(
                f"runder/{round_.id}.html",
                f"Høring: {round_.title}",
                round_.opens or round_.deadline,
                f"Høringsrunde {round_.id} med frist {danish_date(round_.deadline)}."
                + (" Læs høringsbrevet." if round_page.letter else ""),
                related=f"runder/{round_.id}/hoeringsbrev.html" if round_page.letter else None,
            )
        )
        if _has_report(data, round_):
            entries.append(
                FeedEntry(
                    f"runder/{round_.id}/hoeringsnotat.html",
                    f"Høringsnotat: {round_.title}",
                    _report_date(data, round_),
                    f"Høringsnotatet for høringsrunde {round_.id}.",
                )
            )
    for release_page in data.releases:
        release = release_page.release
        status = status_words(release_page.state)
        entries.append(
            FeedEntry(
                f"udgivelser/{release.version}.html",
                f"Udgave {release.version}: {release.title} ({status})",
                release.date,
                f"{len(release.values)} værdier, {status}.",
            )
        )
    entries.sort(key=lambda e: (e.updated, e.path), reverse=True)
    return entries


def _entry_id(data: SiteData, path: str) -> str:
    """A stable id that does not change when the site moves (RFC 4287 4.2.6)."""
    name = f"valreg:{data.registry.owner}:{data.registry.name}:{path}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def render_feed(data: SiteData, entries: Iterable[FeedEntry]) -> str:
    """Atom 1.0; links are absolute with a base URL and relative to the feed without one."""
    from xml.sax.saxutils import escape, quoteattr

    base = data.base_url or ""
    entries = list(entries)

    def stamp(date: dt.date) -> str:
        """Midnight of the day in Copenhagen, where the registry's dates are."""
        return dt.datetime.combine(date, dt.time(), ZONE).isoformat()

    updated = max((e.updated for e in entries), default=dt.date(1970, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">',
        f"  <id>{_entry_id(data, 'feed.xml')}</id>",
        f"  <title>{escape(data.registry.name)}</title>",
        f"  <subtitle>{escape('Nye høringer, udgaver og høringsnotater')}</subtitle>",
        f"  <updated>{stamp(updated)}</updated>",
        f"  <author><name>{escape(data.registry.owner)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base + "index.html")}/>',
        "  <generator>valreg</generator>",
    ]
    for entry in entries:
        links = [("alternate", entry.path)]
        if entry.related is not None:
            links.append(("related", entry.related))
        lines += [
            "  <entry>",
            f"    <id>{_entry_id(data, entry.path)}</id>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <updated>{stamp(entry.updated)}</updated>",
            *(
                f'    <link rel="{rel}" type="text/html" href={quoteattr(base + path)}/>'
                for rel, path in links
            ),
            f"    <summary>{escape(entry.summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


# --- writing ------------------------------------------------------------------------------


def _is_site(folder: Path) -> bool:
    return (folder / SITE_MARKER).is_file() and not (folder / SITE_MARKER).is_symlink()


def write_site(out: Path, files: dict[str, bytes]) -> None:
    """Write the files into a new folder beside `out` and swap it in; an existing `out`
    must be empty or a site valreg wrote (marked by SITE_MARKER), and is replaced whole."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise Refused(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not _is_site(out):
        raise Refused(
            f"{out} is not empty and not a site made by valreg (it has no {SITE_MARKER}); "
            "choose an empty or new folder for --out"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    old: Path | None = None
    try:
        for relative, content in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (staging / SITE_MARKER).write_text(
            "This folder was written by `valreg site`, which replaces it whole.\n",
            encoding="utf-8",
        )
        os.chmod(staging, 0o755)
        if out.is_dir():
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old-"))
            os.replace(out, old / "site")
        os.replace(staging, out)
    except BaseException:
        if old is not None and not out.exists():
            os.replace(old / "site", out)
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)


def build_site(root: Path, out: Path, *, base_url: str | None, today: dt.date) -> SiteSummary:
    """Render the whole site in memory, then write it to `out` (see `write_site`)."""
    files = render_site(root, base_url=base_url, today=today)
    write_site(out, files)
    pages = sum(p.endswith(".html") for p in files)
    return SiteSummary(out, pages, len(files) + 1)


__all__ = [
    "SITE_MARKER",
    "SiteSummary",
    "build_site",
    "render_site",
    "write_site",
]
