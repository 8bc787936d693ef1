"""`valreg info`: what a registry holds, in a few lines. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

from valreg.registry import models
from valreg.registry.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class RegistrySummary:
    name: str
    owner: str
    active_values: int
    retired_values: int
    municipalities: int
    releases: tuple[str, ...]
    open_rounds: tuple[str, ...]
    closed_rounds: tuple[str, ...]
    proposals: int


def summarize(snapshot: Snapshot) -> RegistrySummary:
    registry = snapshot.registry
    values = [p.model for p in snapshot.valid("value")]
    rounds = [p.model for p in snapshot.valid("round")]
    releases = sorted(
        (p.model.version for p in snapshot.valid("release")),
        key=models.version_key,
    )
    return RegistrySummary(
        name=registry.name if registry else "(registry.yaml is invalid)",
        owner=registry.owner if registry else "?",
        active_values=sum(v.status == "active" for v in values),
        retired_values=sum(v.status == "retired" for v in values),
        municipalities=len(snapshot.municipalities),
        releases=tuple(releases),
        open_rounds=tuple(sorted(r.id for r in rounds if not r.closed)),
        closed_rounds=tuple(sorted(r.id for r in rounds if r.closed)),
        proposals=len(snapshot.of_kind("proposal")),
    )


def render_summary(summary: RegistrySummary) -> str:
    def listing(items: tuple[str, ...]) -> str:
        return ", ".join(items) if items else "none"

    lines = [
        f"{summary.name} ({summary.owner})",
        f"  values:         {summary.active_values} active, {summary.retired_values} retired",
        f"  releases:       {listing(summary.releases)}",
        f"  rounds:         open: {listing(summary.open_rounds)}; "
        f"closed: {listing(summary.closed_rounds)}",
        f"  proposals:      {summary.proposals}",
        f"  municipalities: {summary.municipalities}",
    ]
    return "\n".join(lines) + "\n"
