"""A draft release adopted after it was made (`valreg adopt`), and a release's effective
status as every publication shows it.

A committee often adopts a set after the editors released it as a draft. `adopt`
records that in a new file beside the manifest, `registry/releases/<version>.adoption.yaml`,
in one commit with an annotated tag of its own, `<prefix><version>-adopted`; the manifest
and its tag are never rewritten. `release_state` answers what verify, the changelog, the
report and the site ask of a release: is it adopted (in its manifest or by an adoption
file), by whom, and was it sent for consultation (a round has it as its base)?
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from valreg import _git
from valreg.danish import danish_date
from valreg.errors import Refused, UsageError
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.facts import adoption_path
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot
from valreg.registry.yamlio import dump_yaml
from valreg.transaction import (
    PendingTag,
    commit_files,
    recover,
    refuse_dirty_work_tree,
    registry_lock,
)

#: What an adoption's tag adds to the release's tag: `values/2019.2` → `values/2019.2-adopted`.
ADOPTED_SUFFIX = "-adopted"


def adoption_tag(snapshot: Snapshot, version: str) -> str:
    """The tag `adopt` makes: the release's tag with `-adopted` (`values/2019.2-adopted`)."""
    prefix = snapshot.registry.tag_prefix if snapshot.registry else "values/"
    return f"{prefix}{version}{ADOPTED_SUFFIX}"


# --- a release's effective status -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseState:
    """A release as the public is told about it."""

    version: str
    status: Literal["draft", "adopted"]
    adopted_by: models.Adoption | None
    #: The adoption was recorded after the release, in `<version>.adoption.yaml`.
    adopted_later: bool
    #: Rounds that have the release as their base: it was sent for consultation
    #: ("sendt i høring"). A draft no round has as its base is only a draft.
    consulted_in: tuple[str, ...]

    @property
    def adopted(self) -> bool:
        return self.status == "adopted"

    @property
    def sent_for_consultation(self) -> bool:
        return bool(self.consulted_in)


def adoption_of(snapshot: Snapshot, version: str) -> models.ReleaseAdoption | None:
    """The valid adoption file of `version` in `snapshot`, if there is one."""
    parsed = snapshot.adoptions.get(version)
    adoption: models.ReleaseAdoption | None = parsed.model if parsed is not None else None
    return adoption if adoption is not None and adoption.version == version else None


def release_state(snapshot: Snapshot, release: models.Release) -> ReleaseState:
    """`release`'s status now: adopted in its manifest, or by an adoption file in
    `snapshot` (the registry as it is now: its adoption files and rounds), else a draft.

    `release` may come from another snapshot (the release's own commit, which cannot
    hold an adoption recorded later)."""
    consulted = tuple(
        sorted(p.folder for p in snapshot.valid("round") if p.model.base == release.version)
    )
    if release.status == "adopted":
        return ReleaseState(release.version, "adopted", release.adopted_by, False, consulted)
    adoption = adoption_of(snapshot, release.version)
    if adoption is not None:
        return ReleaseState(release.version, "adopted", adoption.adopted_by, True, consulted)
    return ReleaseState(release.version, "draft", None, False, consulted)


# --- valreg adopt ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptionPlan:
    version: str
    path: str
    content: bytes
    tag: str
    message: str


@dataclass(frozen=True, slots=True)
class AdoptionResult:
    plan: AdoptionPlan
    commit: str | None
    signed: bool


def adoption_message(version: str, adoption: models.Adoption) -> str:
    """The tag's message, in Danish: `Udgave 2019.2 vedtaget af … den 20. november 2019.`"""
    lines = [f"Udgave {version} vedtaget af {adoption.body} den {danish_date(adoption.date)}."]
    if adoption.minutes:
        lines.append(f"Referat: {adoption.minutes}")
    return "\n".join(lines) + "\n"


def _release_to_adopt(snapshot: Snapshot, version: str) -> models.Release:
    """The draft release `version`, or Refused: unknown, or adopted already."""
    releases: dict[str, models.Release] = {
        p.model.version: p.model for p in snapshot.valid("release")
    }
    release = releases.get(version)
    if release is None:
        drafts = sorted(
            (v for v, r in releases.items() if r.status == "draft" and v not in snapshot.adoptions),
            key=models.version_key,
        )
        raise Refused(
            f"there is no release {version}; drafts that can be adopted: "
            f"{', '.join(drafts) or 'none'}"
        )
    if release.adopted_by is not None:
        raise Refused(
            f"release {version} is adopted already: its manifest records the adoption by "
            f"{release.adopted_by.body} on {release.adopted_by.date}"
        )
    if version in snapshot.adoptions:
        raise Refused(
            f"release {version} is adopted already: {adoption_path(version)} records it, "
            "and valreg never rewrites a recorded adoption"
        )
    return release


def plan_adoption(
    root: Path,
    snapshot: Snapshot,
    version: str,
    *,
    adopted_by: str,
    adopted_on: dt.date,
    minutes: str | None,
    today: dt.date,
) -> AdoptionPlan:
    """What `adopt` writes and tags; Refused or UsageError if it should not."""
    release = _release_to_adopt(snapshot, version)
    if adopted_on < release.date:
        raise Refused(
            f"--adopted-on {adopted_on} is before release {version} was made ({release.date}); "
            "a release is adopted on or after the day it is made"
        )
    if adopted_on > today:
        raise Refused(
            f"--adopted-on {adopted_on} is in the future (today is {today}); record the "
            "adoption once it has happened"
        )
    path = adoption_path(version)
    if (root / path).exists():
        raise Refused(f"{path} exists already; valreg never rewrites a recorded adoption")
    tag = adoption_tag(snapshot, version)
    if _git.tag_exists(root, tag):
        raise Refused(f"tag {tag} already exists; valreg never moves a tag")
    adoption: dict[str, Any] = {"body": adopted_by, "date": adopted_on}
    if minutes:
        adoption["minutes"] = minutes
    header = (
        f"# The adoption of release {version}, recorded by `valreg adopt` after the release;\n"
        f"# the manifest {version}.yaml is unchanged.\n"
    )
    content = (header + dump_yaml({"version": version, "adopted_by": adoption})).encode("utf-8")
    parsed = parse_file(path, content)
    if parsed.diagnostics:
        first = parsed.diagnostics[0]
        raise UsageError(
            f"the adoption would not be valid: {first.code} {first.message} "
            "(check --adopted-by and --minutes)"
        )
    message = adoption_message(version, parsed.model.adopted_by)
    return AdoptionPlan(version, path, content, tag, message)


def adopt(
    root: Path,
    version: str,
    *,
    adopted_by: str,
    adopted_on: dt.date,
    minutes: str | None = None,
    sign: bool = False,
    dry_run: bool = False,
    today: dt.date,
) -> AdoptionResult:
    """Record that the draft release `version` was adopted: a new file beside its manifest,
    one commit and an annotated tag (maybe signed). A kill leaves all of it or none."""
    with registry_lock(root):
        recover(root)
        snapshot = load_valid_snapshot(root, "recording an adoption")
        refuse_dirty_work_tree(root, "recording an adoption")
        plan = plan_adoption(
            root,
            snapshot,
            version,
            adopted_by=adopted_by,
            adopted_on=adopted_on,
            minutes=minutes,
            today=today,
        )
        if dry_run:
            return AdoptionResult(plan, None, sign)
        commit = commit_files(
            root,
            {plan.path: plan.content},
            f"Adopt release {version}\n\n{plan.message}",
            tag=PendingTag(plan.tag, plan.message, sign, plan.path),
        )
        return AdoptionResult(plan, commit, sign)
