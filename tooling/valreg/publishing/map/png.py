"""A figure as a PNG image for a Word document, drawn with Pillow from the same layout
(and the same projected coordinates) as the SVG: shapes at twice the size and scaled
down, for smooth edges; texts with Pillow's built-in font. The same figure gives the same
bytes."""

from __future__ import annotations

import functools
import io
import math
from typing import TYPE_CHECKING

from valreg.publishing.map.layout import BORDER, FILLS, FRAME, Figure
from valreg.publishing.map.shapes import load_shapes
from valreg.workflow.state import Standing

if TYPE_CHECKING:
    from PIL import Image, ImageFont

#: Shapes are drawn this many times larger, then scaled down (anti-aliasing).
_SUPERSAMPLE = 2
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


#: Fonts with æ, ø and å, tried in order where Pillow looks for fonts (the system's font
#: folders); Pillow's own default font lacks "æ". CI installs fonts-dejavu-core, so the
#: same figure gives the same bytes there.
_FONTS = (
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "Arial.ttf",
    "arial.ttf",
    "Helvetica.ttc",
    "segoeui.ttf",
)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=4)
def _marks(dots: bool, size: tuple[int, int], step: int) -> Image.Image:
    """A mask (255 where the pattern's ink goes) of `size`: dots, or diagonal stripes."""
    from PIL import Image, ImageDraw

    width, height = size
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    if not dots:
        line = max(1, round(step * 0.3))
        for start in range(-height, width + height, step):
            draw.line([(start, 0), (start + height, height)], fill=255, width=line)
        return mask
    tile = Image.new("L", (step, step), 0)
    radius = step * 0.22
    centre = step / 2
    ImageDraw.Draw(tile).ellipse(
        [centre - radius, centre - radius, centre + radius, centre + radius], fill=255
    )
    row = Image.new("L", (width, step), 0)
    for x in range(0, width, step):
        row.paste(tile, (x, 0))
    for y in range(0, height, step):
        mask.paste(row, (0, y))
    return mask


#: Colours by index in the image drawn first: the standings' colours, their inks, white
#: borders and grey frames.
_STANDINGS = tuple(Standing)
_INK = len(_STANDINGS) + 1
_WHITE, _GREY = 2 * len(_STANDINGS) + 1, 2 * len(_STANDINGS) + 2


def _palette() -> list[int]:
    colours = [
        "#ffffff",
        *(FILLS[s].colour for s in _STANDINGS),
        *(FILLS[s].ink for s in _STANDINGS),
    ]
    colours += [BORDER, FRAME]
    return [int(c[i : i + 2], 16) for c in colours for i in (1, 3, 5)]


def _paint(figure: Figure, size: tuple[int, int], scale: float) -> Image.Image:
    """The areas and boxes at `scale`, each coloured and patterned by its standing, their
    borders and the frames, as an image of colour indices (see `_palette`)."""
    from PIL import Image, ImageChops, ImageDraw

    index = Image.new("L", size, 0)
    draw = ImageDraw.Draw(index)
    shapes = load_shapes()
    # Largest first, so that an enclave (Frederiksberg in København) lies on its host.
    areas = sorted(figure.areas, key=lambda a: -_extent(shapes.rings[a.code]))
    for area in areas:
        value = _STANDINGS.index(area.standing) + 1
        for ring in shapes.rings[area.code]:
            draw.polygon([(x * scale, y * scale) for x, y in ring], fill=value)
    for box in figure.boxes:
        corners = [box.x * scale, box.y * scale, (box.x + box.w) * scale, (box.y + box.h) * scale]
        draw.rectangle(corners, fill=_STANDINGS.index(box.standing) + 1)
    step = max(2, round(6 * figure.pattern_unit * scale))
    for i, standing in enumerate(_STANDINGS):
        pattern = FILLS[standing].pattern
        if pattern == "plain":
            continue
        mask = index.point(lambda v, value=i + 1: 255 if v == value else 0)
        if mask.getbbox() is not None:
            marks = ImageChops.multiply(mask, _marks(pattern == "dots", size, step))
            index.paste(_INK + i, (0, 0, *size), marks)
    border = max(1, round(figure.border * scale))
    for area in figure.areas:
        for ring in shapes.rings[area.code]:
            points = [(x * scale, y * scale) for x, y in ring]
            draw.line([*points, points[0]], fill=_WHITE, width=border, joint="curve")
    for box in figure.boxes:
        if box.standing is Standing.NO_ANSWER:
            corners = [
                box.x * scale,
                box.y * scale,
                (box.x + box.w) * scale,
                (box.y + box.h) * scale,
            ]
            draw.rectangle(corners, outline=_GREY, width=max(1, round(0.75 * scale)))
    for x, y, w, h in figure.frames:
        corners = [x * scale, y * scale, (x + w) * scale, (y + h) * scale]
        draw.rectangle(corners, outline=_GREY, width=round(1.5 * scale))
    index.putpalette(_palette())
    return index


def _extent(rings: tuple[tuple[tuple[int, int], ...], ...]) -> float:
    """The area of the largest ring (shoelace)."""
    return max(
        abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1], strict=True))) / 2
        for r in rings
    )


def render_png(figure: Figure, width: int) -> bytes:
    """The figure `width` pixels wide."""
    from PIL import ImageDraw

    scale = width / figure.width
    height = math.ceil(figure.height * scale) + 2
    size = (width * _SUPERSAMPLE, height * _SUPERSAMPLE)
    image = _paint(figure, size, scale * _SUPERSAMPLE).convert("RGB").reduce(_SUPERSAMPLE)
    draw = ImageDraw.Draw(image)
    for label in figure.labels:
        draw.text(
            (label.x * scale, label.y * scale),
            label.text,
            fill=label.colour,
            font=_font(round(label.size * scale)),
            anchor=_ANCHORS[label.anchor],
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(150, 150), compress_level=1)  # fast; the docx zips it again
    return buffer.getvalue()
