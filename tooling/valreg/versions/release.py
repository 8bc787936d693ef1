"""Releases: a manifest of the adopted (or draft) set, one commit, an annotated tag; verify.

A release manifest lists every active value's id, number and sha256(NFC(text)); the tag
`<prefix><version>` points at the commit that added the manifest. `verify` checks that
tag, manifest and tree still agree, and `recreate_tags` restores tags a clone lacks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from valreg import _git
from valreg.errors import Refused, UsageError
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.facts import adoption_path
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import Snapshot, load_snapshot, load_snapshot_at
from valreg.registry.yamlio import dump_yaml, edit_yaml, safe_scalar, set_field
from valreg.transaction import (
    PendingTag,
    commit_files,
    recover,
    refuse_dirty_work_tree,
    registry_lock,
)
from valreg.versions.adoption import ReleaseState, adoption_message, adoption_tag, release_state
from valreg.workflow.apply import plan_apply


def manifest_path(version: str) -> str:
    return f"registry/releases/{version}.yaml"


def release_commit(root: Path, tag: str, version: str) -> str:
    """The commit of a release: the one its tag points at, else the one that added its
    manifest (a fresh clone may lack the tags)."""
    if _git.tag_exists(root, tag):
        return _git.resolve(root, f"refs/tags/{tag}")
    commit = _git.commit_adding(root, manifest_path(version))
    if commit is None:
        raise UsageError(f"release {version} is not committed; commit {manifest_path(version)}")
    return commit


def releases_in_order(snapshot: Snapshot) -> list[models.Release]:
    valid = [p.model for p in snapshot.releases.values() if p.model is not None]
    return sorted(valid, key=lambda r: models.version_key(r.version))


def tag_name(snapshot: Snapshot, version: str) -> str:
    prefix = snapshot.registry.tag_prefix if snapshot.registry else "values/"
    return f"{prefix}{version}"


def active_entries(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The manifest's `values`: every active value by number, with its text's sha256."""
    active = [
        p.model
        for p in snapshot.values.values()
        if p.model is not None and p.model.status == "active"
    ]
    return [
        {"id": v.id, "number": v.number, "sha256": models.text_digest(v.text)}
        for v in sorted(active, key=lambda v: v.number)
    ]


def merges(snapshot: Snapshot) -> dict[str, str]:
    """Each value merged into another: its id → the id it was merged into."""
    return {
        p.model.id: p.model.merged_into
        for p in snapshot.values.values()
        if p.model is not None and p.model.merged_into is not None
    }


def _merge_words(survivor: str, merged: set[str], merged_into: dict[str, str]) -> str:
    """`lokalmiljoeet lagt sammen med samarbejde-med-foraeldre`"""
    others = " og ".join(sorted(i for i in merged if merged_into[i] == survivor))
    return f"{others} lagt sammen med {survivor}"


def summarize(
    version: str,
    previous: models.Release | None,
    entries: list[dict[str, Any]],
    merged_into: dict[str, str],
) -> str:
    """The tag message: what changed since the previous release, in Danish, counted as the
    changelog counts it (a merge is one merged value, not a retirement and an amendment)."""
    lines = [f"Udgave {version}: {len(entries)} værdier"]
    if previous is None:
        lines.append("Første udgave.")
        return "\n".join(lines) + "\n"
    before = {e.id: e for e in previous.values}
    after = {e["id"]: e for e in entries}
    gone = set(before) - set(after)
    merged = {i for i in gone if merged_into.get(i) in after}
    survivors = {merged_into[i] for i in merged}
    amended = {i for i in set(after) & set(before) if after[i]["sha256"] != before[i].sha256}
    renumbered = sorted(
        i for i in set(after) & set(before) if after[i]["number"] != before[i].number
    )
    lines.append(f"I forhold til {previous.version}:")
    for label, ids in (
        ("nye", sorted(set(after) - set(before))),
        ("udgået", sorted(gone - merged)),
        ("ændret tekst", sorted(amended - survivors)),
        ("sammenlagt", [_merge_words(s, merged, merged_into) for s in sorted(survivors)]),
        ("nyt nummer", renumbered),
    ):
        lines.append(f"- {label}: {len(ids)}" + (f" ({', '.join(ids)})" if ids else ""))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ReleasePlan:
    version: str
    tag: str
    manifest: dict[str, Any]
    message: str
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    plan: ReleasePlan
    commit: str | None
    signed: bool


def _included_rounds(snapshot: Snapshot, releases: list[models.Release]) -> list[str]:
    """Rounds with decisions that no earlier release includes."""
    done = {round_id for release in releases for round_id in release.rounds}
    return sorted(p.folder for p in snapshot.valid("decisions") if p.folder not in done)


def plan_release(
    root: Path,
    snapshot: Snapshot,
    version: str,
    *,
    title: str | None,
    status: str,
    adopted_by: str | None,
    adopted_on: dt.date | None,
    minutes: str | None,
    today: dt.date,
) -> ReleasePlan:
    if not re.fullmatch(models.CALENDAR_VERSION, version):
        raise UsageError(f"version '{version}' is not YYYY.N (e.g. 2019.2)")
    if status not in ("draft", "adopted"):
        raise UsageError("--status is draft or adopted")
    if status == "adopted" and (adopted_by is None or adopted_on is None):
        raise UsageError("an adopted release needs --adopted-by BODY and --adopted-on DATE")
    if status == "draft" and (adopted_by or adopted_on or minutes):
        raise UsageError("--adopted-by, --adopted-on and --minutes belong to adopted releases")
    releases = releases_in_order(snapshot)
    previous = releases[-1] if releases else None
    if previous is not None and models.version_key(version) <= models.version_key(previous.version):
        raise Refused(f"version {version} must be greater than the last release {previous.version}")
    tag = tag_name(snapshot, version)
    if _git.tag_exists(root, tag):
        raise Refused(f"tag {tag} already exists; valreg never moves a tag")
    rounds = _included_rounds(snapshot, releases)
    _refuse_unapplied(root, snapshot, rounds)
    entries = active_entries(snapshot)
    manifest: dict[str, Any] = {
        "version": version,
        "title": title or f"Udgave {version}",
        "status": status,
        "date": today,
        "previous": previous.version if previous else None,
        "rounds": rounds,
    }
    if status == "adopted":
        adoption: dict[str, Any] = {"body": adopted_by, "date": adopted_on}
        if minutes:
            adoption["minutes"] = minutes
        manifest["adopted_by"] = adoption
    manifest["values"] = entries
    files = {manifest_path(version): dump_yaml(manifest).encode("utf-8")}
    problems = parse_file(manifest_path(version), files[manifest_path(version)]).diagnostics
    if problems:
        raise UsageError(
            f"the release manifest would not be valid: {problems[0].code} {problems[0].message}"
            " (check --title, --adopted-by and --minutes)"
        )
    for stem, parsed in sorted(snapshot.values.items()):
        value = parsed.model
        if value is not None and value.status == "retired" and value.retired_in is None:
            path = f"values/{stem}.yaml"
            document = edit_yaml((root / path).read_bytes())
            set_field(document.data, "retired_in", safe_scalar(version), models.VALUE_KEYS)
            files[path] = document.dump()
    message = summarize(version, previous, entries, merges(snapshot))
    return ReleasePlan(version, tag, manifest, message, files)


def _refuse_unapplied(root: Path, snapshot: Snapshot, rounds: list[str]) -> None:
    missing = []
    for round_id in rounds:
        plan = plan_apply(root, snapshot, round_id)
        missing += [step.change_id for step in plan.steps]
    if missing:
        raise Refused(
            f"accepted changes are not applied yet: {', '.join(missing)}; run `valreg apply` "
            "for their round first"
        )


def release(
    root: Path,
    version: str,
    *,
    title: str | None = None,
    status: str = "draft",
    adopted_by: str | None = None,
    adopted_on: dt.date | None = None,
    minutes: str | None = None,
    sign: bool = False,
    dry_run: bool = False,
    today: dt.date,
) -> ReleaseResult:
    """Write the manifest, stamp retired values, commit, and tag (annotated, maybe signed)."""
    with registry_lock(root):
        recover(root)
        snapshot = load_valid_snapshot(root, "a release")
        refuse_dirty_work_tree(root, "a release")
        plan = plan_release(
            root,
            snapshot,
            version,
            title=title,
            status=status,
            adopted_by=adopted_by,
            adopted_on=adopted_on,
            minutes=minutes,
            today=today,
        )
        if dry_run:
            return ReleaseResult(plan, None, sign)
        pending = PendingTag(plan.tag, plan.message, sign, manifest_path(version))
        commit = commit_files(
            root, dict(plan.files), f"Release {version}\n\n{plan.message}", tag=pending
        )
        return ReleaseResult(plan, commit, sign)


# --- verify ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verification:
    version: str
    tag: str
    problems: tuple[str, ...]
    signer: str | None
    #: The release's status now (None when its manifest is not valid).
    state: ReleaseState | None = None
    #: The tag of an adoption recorded after the release (`valreg adopt`), if any.
    adoption_tag: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(root: Path, versions: list[str] | None = None) -> list[Verification]:
    """Check each release: its tag, the commit it points at, the manifest and the values,
    and an adoption recorded later: its file and its tag."""
    snapshot = load_snapshot(root)
    known = {r.version: r for r in releases_in_order(snapshot)}
    wanted = versions or list(known)
    unknown = [v for v in wanted if v not in known]
    if unknown:
        raise UsageError(f"no release {', '.join(unknown)}; releases: {', '.join(known) or 'none'}")
    return [_verify_one(root, snapshot, version) for version in wanted]


def _check_tag(
    root: Path, tag: str, added_in: str | None, path: str
) -> tuple[list[str], str | None]:
    """A tag's problems (missing, lightweight, moved away from the commit that added
    `path`, a bad signature) and who signed it."""
    problems: list[str] = []
    signer = None
    kind = _git.object_type(root, f"refs/tags/{tag}")
    if kind is None:
        problems.append(f"tag {tag} is missing (valreg tags --recreate makes it)")
    elif kind != "tag":
        problems.append(f"tag {tag} is a lightweight tag; a release tag must be annotated")
    if kind is not None:
        target = _git.resolve(root, f"refs/tags/{tag}")
        if added_in is not None and target != added_in:
            problems.append(
                f"tag {tag} points at {target[:12]}, not at {added_in[:12]} that added "
                f"{path}: the tag was moved"
            )
        if kind == "tag" and _git.tag_is_signed(root, tag):
            good, signer = _git.verify_tag(root, tag)
            if not good:
                problems.append(f"the signature of tag {tag} does not verify: {signer}")
                signer = None
    return problems, signer


def _verify_one(root: Path, snapshot: Snapshot, version: str) -> Verification:
    tag = tag_name(snapshot, version)
    path = manifest_path(version)
    added_in = _git.commit_adding(root, path)
    problems, signer = _check_tag(root, tag, added_in, path)
    commit = added_in
    if commit is None:
        problems.append(f"{path} is not committed")
        return Verification(version, tag, tuple(problems), signer)
    released = load_snapshot_at(root, commit)
    then = released.releases.get(version)
    now = snapshot.releases.get(version)
    if then is None or then.model is None:
        problems.append(f"{path} is not a valid manifest in commit {commit[:12]}")
        return Verification(version, tag, tuple(problems), signer)
    if now is not None and now.model != then.model:
        problems.append(f"{path} was changed after the release (it differs from {commit[:12]})")
    listed = [(e.id, e.number, e.sha256) for e in then.model.values]
    actual = [(e["id"], e["number"], e["sha256"]) for e in active_entries(released)]
    if listed != actual:
        differing = sorted({i for i, *_ in set(listed) ^ set(actual)})
        problems.append(
            f"the manifest does not match the values in commit {commit[:12]}: "
            f"{', '.join(differing)}"
        )
    state = release_state(snapshot, then.model)
    later, adoption_problems = _verify_adoption(root, snapshot, version, then.model)
    problems += adoption_problems
    return Verification(version, tag, tuple(problems), signer, state, later)


def _verify_adoption(
    root: Path, snapshot: Snapshot, version: str, release: models.Release
) -> tuple[str | None, list[str]]:
    """An adoption recorded after the release: its tag, and its file unchanged since the
    commit that added it. Returns the tag (None if there is no such adoption)."""
    tag = adoption_tag(snapshot, version)
    path = adoption_path(version)
    recorded = version in snapshot.adoptions
    if not recorded and not _git.tag_exists(root, tag):
        return None, []
    if not recorded:
        return tag, [f"tag {tag} records an adoption, but {path} is gone"]
    added_in = _git.commit_adding(root, path)
    problems, _ = _check_tag(root, tag, added_in, path)
    if added_in is None:
        problems.append(f"{path} is not committed (valreg adopt commits and tags it)")
        return tag, problems
    then = load_snapshot_at(root, added_in).adoptions.get(version)
    if then is None or then.model != snapshot.adoptions[version].model:
        problems.append(
            f"{path} was changed after the adoption was recorded (it differs from {added_in[:12]})"
        )
    if release.adopted_by is not None:
        problems.append(f"{path} records an adoption, but the manifest is adopted already")
    return tag, problems


def recreate_tags(root: Path) -> list[str]:
    """Create each release's missing tag at the commit that added its manifest, and each
    recorded adoption's at the commit that added its adoption file."""
    snapshot = load_snapshot(root)
    created = []
    releases = releases_in_order(snapshot)
    for i, release_ in enumerate(releases):
        tag = tag_name(snapshot, release_.version)
        commit = _git.commit_adding(root, manifest_path(release_.version))
        if commit is not None and not _git.tag_exists(root, tag):
            entries = [
                {"id": e.id, "number": e.number, "sha256": e.sha256} for e in release_.values
            ]
            previous = releases[i - 1] if i else None
            message = summarize(release_.version, previous, entries, merges(snapshot))
            _git.create_tag(root, tag, commit, message, sign=False)
            created.append(tag)
        created += _recreate_adoption_tag(root, snapshot, release_.version)
    return created


def _recreate_adoption_tag(root: Path, snapshot: Snapshot, version: str) -> list[str]:
    parsed = snapshot.adoptions.get(version)
    tag = adoption_tag(snapshot, version)
    if parsed is None or parsed.model is None or _git.tag_exists(root, tag):
        return []
    commit = _git.commit_adding(root, adoption_path(version))
    if commit is None:
        return []
    _git.create_tag(
        root, tag, commit, adoption_message(version, parsed.model.adopted_by), sign=False
    )
    return [tag]
