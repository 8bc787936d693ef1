"""The two figures of the answers by region, laid out once as plain boxes, areas and
texts in the figure's own units, so that the SVG and the PNG show the same picture.

The four standings are told apart by colour (the Okabe–Ito palette, safe for the common
kinds of colour blindness) and by pattern (plain, dots, stripes, plain and light), and a
legend names them; each figure also has a table beside it as its text alternative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from valreg.publishing.map.shapes import load_shapes
from valreg.workflow.state import Standing
from valreg.workflow.status import MunicipalityStanding, count_by_region

Pattern = Literal["plain", "dots", "stripes"]
Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True, slots=True)
class Fill:
    """How one standing is drawn."""

    #: Its name in class names and ids ("no-remarks").
    key: str
    colour: str
    pattern: Pattern
    #: The colour of the pattern's dots or stripes.
    ink: str
    #: The colour of a number written on it.
    text: str


FILLS: dict[Standing, Fill] = {
    Standing.ANSWERED: Fill("answered", "#0072b2", "plain", "#0072b2", "#ffffff"),
    Standing.NO_REMARKS: Fill("no-remarks", "#56b4e9", "dots", "#ffffff", "#1a1a1a"),
    Standing.LATE: Fill("late", "#e69f00", "stripes", "#6b4600", "#1a1a1a"),
    Standing.NO_ANSWER: Fill("no-answer", "#d9d9d9", "plain", "#d9d9d9", "#1a1a1a"),
}
TEXT = "#1a1a1a"
FRAME = "#767676"
BORDER = "#ffffff"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle filled as a standing (a bar's segment, a legend's swatch)."""

    x: float
    y: float
    w: float
    h: float
    standing: Standing


@dataclass(frozen=True, slots=True)
class Label:
    """A line of text; (x, y) is the start, middle or end of its baseline."""

    x: float
    y: float
    text: str
    size: float
    anchor: Anchor = "start"
    colour: str = TEXT


@dataclass(frozen=True, slots=True)
class Area:
    """A municipality on the map: its shape is the map data's for its code."""

    code: str
    name: str
    standing: Standing
    #: Its name and standing in words, for a tooltip (the path's <title>).
    title: str


@dataclass(frozen=True)
class Figure:
    """A figure in its own units (x rightwards, y downwards)."""

    width: float
    height: float
    #: The figure's accessible name.
    title: str
    #: Units per pattern step: patterns look alike at the size each figure is shown.
    pattern_unit: float
    boxes: tuple[Box, ...] = ()
    labels: tuple[Label, ...] = ()
    areas: tuple[Area, ...] = ()
    #: Outlined rectangles (x, y, w, h): the frame around an inset.
    frames: tuple[tuple[float, float, float, float], ...] = ()
    #: The width of the white border between areas.
    border: float = 0.0


def _legend(
    words: Mapping[Standing, str], top: float, width: float, size: float
) -> tuple[list[Box], list[Label]]:
    """The four standings, two a row, each a swatch and its words."""
    boxes, labels = [], []
    column = width / 2
    for i, standing in enumerate(Standing):
        x = (i % 2) * column
        y = top + (i // 2) * size * 1.8
        boxes.append(Box(x, y, size * 1.6, size * 1.1, standing))
        labels.append(Label(x + size * 2.1, y + size * 0.95, words[standing], size))
    return boxes, labels


def bar_chart(
    municipalities: Sequence[MunicipalityStanding], words: Mapping[Standing, str], title: str
) -> Figure:
    """A bar per region, its segments the municipalities of each standing (with their
    count when there is room for it) and the region's total after it."""
    regions = count_by_region(municipalities)
    size, bar, gap, label_w, width = 15.0, 26.0, 12.0, 190.0, 640.0
    most = max((sum(c.values()) for c in regions.values()), default=0) or 1
    scale = (width - label_w - 40) / most
    boxes: list[Box] = []
    labels: list[Label] = []
    y = 0.0
    for region, counts in regions.items():
        labels.append(Label(label_w - 10, y + bar * 0.68, region, size, "end"))
        x = label_w
        for standing, n in counts.items():
            if n:
                boxes.append(Box(x, y, n * scale, bar, standing))
                if n * scale >= size * 1.4:
                    fill = FILLS[standing]
                    labels.append(
                        Label(x + n * scale / 2, y + bar * 0.68, str(n), size, "middle", fill.text)
                    )
            x += n * scale
        labels.append(Label(x + 6, y + bar * 0.68, str(sum(counts.values())), size))
        y += bar + gap
    legend_boxes, legend_labels = _legend(words, y + gap, width, size)
    height = y + gap + size * 1.8 * 2
    return Figure(width, height, title, 1.0, (*boxes, *legend_boxes), (*labels, *legend_labels))


def answer_map(
    municipalities: Sequence[MunicipalityStanding], words: Mapping[Standing, str], title: str
) -> Figure | None:
    """The municipalities that have a shape, each coloured by its standing, with Bornholm
    in an inset and a legend below; None when none of them has one (a registry of
    others than Denmark's municipalities)."""
    shapes = load_shapes()
    areas = tuple(
        Area(m.code, m.name, m.standing, f"{m.name}: {words[m.standing]}")
        for m in municipalities
        if m.code in shapes.rings
    )
    if not areas:
        return None
    size = 24.0
    frames = (shapes.inset_frame,) if any(a.code == shapes.inset_code for a in areas) else ()
    boxes, labels = _legend(words, shapes.height + size, shapes.width, size)
    return Figure(
        width=shapes.width,
        height=shapes.height + size + size * 1.8 * 2,
        title=title,
        pattern_unit=1.6,
        boxes=tuple(boxes),
        labels=tuple(labels),
        areas=areas,
        frames=frames,
        border=1.0,
    )
