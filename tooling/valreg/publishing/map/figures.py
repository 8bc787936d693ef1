"""The answers of a round by region, ready for a page or a document: the counts as rows
(the figures' text alternative), the bar chart and the map as inline SVG or PNG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from valreg.publishing.map.layout import Figure, answer_map, bar_chart
from valreg.workflow.state import Standing
from valreg.workflow.status import MunicipalityStanding, count_by_region


@dataclass(frozen=True, slots=True)
class RegionFigures:
    """A round's answers by region: one row per region (standing counts in `Standing`
    order, then the total) and the two figures (the map None without any known shape)."""

    rows: tuple[tuple[str, tuple[int, ...], int], ...]
    bars: Figure
    map: Figure | None


def region_figures(
    municipalities: Sequence[MunicipalityStanding], words: Mapping[Standing, str]
) -> RegionFigures:
    regions = count_by_region(municipalities)
    rows = tuple(
        (region, tuple(counts[s] for s in Standing), sum(counts.values()))
        for region, counts in regions.items()
    )
    return RegionFigures(
        rows,
        bar_chart(municipalities, words, "Svar efter region"),
        answer_map(municipalities, words, "Kort over kommunerne efter svar"),
    )
