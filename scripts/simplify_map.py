"""Make the small map of Denmark's 98 municipalities that valreg draws, from DAGI's
boundaries: tooling/valreg/publishing/map/kommuner.json (its provenance is in the README
beside it).

A maintainer's tool, run only when the boundaries change; shapely is not a dependency of
valreg, so run it with uv, which brings shapely for this one run:

    .venv/bin/uv run --no-project --with 'shapely>=2.1' \
        python scripts/simplify_map.py ../shared/data/kommuner.geojson

What it does, in order: reads the GeoJSON (WGS84 longitude/latitude), leaves out 0411
Christiansø (no municipality), projects to UTM zone 32N (EPSG:25832, the projection of
Danish maps; the formulas are below, so no pyproj), simplifies the municipalities as one
coverage with `shapely.coverage_simplify` (topology-aware: a border two municipalities
share is simplified once and stays shared, with no gaps or overlaps), drops islets
smaller than MIN_AREA that touch no other municipality (each municipality keeps at
least its largest part), moves Bornholm into a framed inset in the upper right, and
writes integer coordinates (1 unit = UNIT metres, y downwards as in SVG), each ring as
its first point followed by the steps to the next points, codes without leading zeros
("0101" becomes "101", as in registry/municipalities.yaml). The same input gives the
same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

OUT = Path(__file__).resolve().parents[1] / "tooling/valreg/publishing/map/kommuner.json"
#: Left out: Christiansø is administered by the state, not a municipality.
LEFT_OUT = {"0411"}
BORNHOLM = "400"
#: Metres per unit of the output.
UNIT = 300.0
#: Coverage simplification tolerance, in metres (roughly the side of the triangles removed).
TOLERANCE = 500.0
#: Islets smaller than this (square metres) that touch no other municipality are dropped.
MIN_AREA = 1.5e6
#: Units of margin around the map and inside the inset's frame.
MARGIN = 6


def utm32(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 longitude/latitude to UTM zone 32N easting/northing in metres (Snyder,
    *Map Projections: A Working Manual*, 1987, pp. 61 f.; GRS80 and WGS84 agree here)."""
    a, f, k0 = 6378137.0, 1 / 298.257223563, 0.9996
    e2 = f * (2 - f)
    ep2 = e2 / (1 - e2)
    phi, lam = math.radians(lat), math.radians(lon - 9.0)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    t = math.tan(phi) ** 2
    c = ep2 * math.cos(phi) ** 2
    aa = math.cos(phi) * lam
    m = a * (
        (1 - e2 / 4 - 3 * e2**2 / 64 - 5 * e2**3 / 256) * phi
        - (3 * e2 / 8 + 3 * e2**2 / 32 + 45 * e2**3 / 1024) * math.sin(2 * phi)
        + (15 * e2**2 / 256 + 45 * e2**3 / 1024) * math.sin(4 * phi)
        - (35 * e2**3 / 3072) * math.sin(6 * phi)
    )
    x = (
        k0
        * n
        * (aa + (1 - t + c) * aa**3 / 6 + (5 - 18 * t + t * t + 72 * c - 58 * ep2) * aa**5 / 120)
    )
    y = k0 * (
        m
        + n
        * math.tan(phi)
        * (
            aa**2 / 2
            + (5 - t + 9 * c + 4 * c * c) * aa**4 / 24
            + (61 - 58 * t + t * t + 600 * c - 330 * ep2) * aa**6 / 720
        )
    )
    return x + 500000.0, y


def read(path: Path) -> dict[str, MultiPolygon]:
    """Every municipality's polygons, projected, by code without leading zeros."""
    data = json.loads(path.read_text(encoding="utf-8"))
    parts: dict[str, list[Polygon]] = {}
    for feature in data["features"]:
        code = feature["properties"]["KOMKODE"]
        if code in LEFT_OUT:
            continue
        geometry = shape(feature["geometry"])
        polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
        for polygon in polygons:
            rings = [polygon.exterior, *polygon.interiors]
            projected = [[utm32(x, y) for x, y, *_ in ring.coords] for ring in rings]
            parts.setdefault(str(int(code)), []).append(Polygon(projected[0], projected[1:]))
    return {code: MultiPolygon(polygons) for code, polygons in sorted(parts.items())}


def simplify(coverage: dict[str, MultiPolygon]) -> dict[str, list[Polygon]]:
    """Simplified as one coverage, then without the islets nobody would see."""
    if not shapely.coverage_is_valid(list(coverage.values())):
        sys.exit("the boundaries are not a valid coverage (gaps or overlaps); stopping")
    simplified = shapely.coverage_simplify(list(coverage.values()), TOLERANCE)
    result: dict[str, list[Polygon]] = {}
    everything = dict(zip(coverage, simplified, strict=True))
    for code, geometry in everything.items():
        polygons = list(getattr(geometry, "geoms", [geometry]))
        largest = max(polygons, key=lambda p: p.area)
        others = [g for c, g in everything.items() if c != code]

        def touches_another(polygon: Polygon, others: list[Polygon] = others) -> bool:
            return bool(shapely.intersects(polygon.buffer(1.0), others).any())

        result[code] = [
            p for p in polygons if p is largest or p.area >= MIN_AREA or touches_another(p)
        ]
    return result


def _bounds(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    return shapely.total_bounds(polygons)  # type: ignore[no-any-return]


def layout(shapes: dict[str, list[Polygon]]) -> dict[str, Any]:
    """Integer coordinates, y downwards, with Bornholm in a framed inset in the upper
    right corner (over the Kattegat, where the map has no land)."""
    mainland = [p for code, ps in shapes.items() if code != BORNHOLM for p in ps]
    minx, miny, maxx, maxy = _bounds(mainland)
    bminx, bminy, bmaxx, bmaxy = _bounds(shapes[BORNHOLM])
    # The inset's frame: its top right corner at the mainland's.
    frame_w = (bmaxx - bminx) / UNIT + 2 * MARGIN
    frame_h = (bmaxy - bminy) / UNIT + 2 * MARGIN
    width = math.ceil((maxx - minx) / UNIT) + 2 * MARGIN
    height = math.ceil((maxy - miny) / UNIT) + 2 * MARGIN
    frame = [round(width - MARGIN - frame_w), MARGIN, round(frame_w), round(frame_h)]

    def place(code: str, x: float, y: float) -> tuple[int, int]:
        if code == BORNHOLM:
            return (
                round(frame[0] + MARGIN + (x - bminx) / UNIT),
                round(frame[1] + MARGIN + (bmaxy - y) / UNIT),
            )
        return round(MARGIN + (x - minx) / UNIT), round(MARGIN + (maxy - y) / UNIT)

    municipalities: dict[str, list[list[int]]] = {}
    for code in sorted(shapes, key=int):
        rings = []
        for polygon in shapes[code]:
            for ring in (polygon.exterior, *polygon.interiors):
                points = [place(code, x, y) for x, y in ring.coords[:-1]]
                steps = _steps(points)
                if len(steps) >= 6:  # three points at least
                    rings.append(steps)
        municipalities[code] = rings
    return {
        "width": width,
        "height": height,
        "inset": {"code": BORNHOLM, "frame": frame},
        "municipalities": municipalities,
    }


def _steps(points: list[tuple[int, int]]) -> list[int]:
    """The first point, then the step to each next one; repeated points dropped (rounding
    makes some), so a border two municipalities share stays the same in both."""
    kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    while len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()
    out = [*kept[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(kept):
        out += [x1 - x0, y1 - y0]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geojson", type=Path, help="DAGI's kommuner.geojson")
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args()
    data = layout(simplify(read(args.geojson)))
    text = json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    points = sum(len(r) // 2 for rings in data["municipalities"].values() for r in rings)
    print(
        f"{args.out}: {len(data['municipalities'])} municipalities, {points} points, "
        f"{len(text.encode()) / 1024:.1f} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
