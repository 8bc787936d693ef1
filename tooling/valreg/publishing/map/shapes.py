"""The municipalities' boundaries, simplified and projected (`kommuner.json`, made by
scripts/simplify_map.py): integer coordinates, y downwards, one list of rings per
municipality code (as the registry writes it: "101", not "0101")."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

#: Whom the map must credit wherever it is shown (see README.md beside the data).
CREDIT = "Kommunegrænser: DAGI, Klimadatastyrelsen"

Point = tuple[int, int]


@dataclass(frozen=True)
class MapShapes:
    width: int
    height: int
    #: The municipality drawn in a framed inset (Bornholm), and its frame (x, y, w, h).
    inset_code: str
    inset_frame: tuple[int, int, int, int]
    #: Each municipality's rings as absolute points, by code.
    rings: dict[str, tuple[tuple[Point, ...], ...]]
    #: Each municipality's SVG path data (relative steps; holes by the even-odd rule).
    path_data: dict[str, str]


def _points(steps: list[int]) -> tuple[Point, ...]:
    x, y = steps[0], steps[1]
    points = [(x, y)]
    for i in range(2, len(steps), 2):
        x, y = x + steps[i], y + steps[i + 1]
        points.append((x, y))
    return tuple(points)


def _path_data(rings: list[list[int]]) -> str:
    return "".join(
        f"M{steps[0]} {steps[1]}l{' '.join(map(str, steps[2:]))}z".replace(" -", "-")
        for steps in rings
    )


@functools.cache
def load_shapes() -> MapShapes:
    """The committed map, read once per process."""
    text = resources.files("valreg.publishing.map").joinpath("kommuner.json").read_text("utf-8")
    data = json.loads(text)
    inset = data["inset"]
    municipalities: dict[str, list[list[int]]] = data["municipalities"]
    return MapShapes(
        width=data["width"],
        height=data["height"],
        inset_code=inset["code"],
        inset_frame=tuple(inset["frame"]),
        rings={code: tuple(_points(r) for r in rings) for code, rings in municipalities.items()},
        path_data={code: _path_data(rings) for code, rings in municipalities.items()},
    )
