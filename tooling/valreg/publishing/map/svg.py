"""A figure as inline SVG for an HTML page: one <path> per municipality with its name in
a <title>, patterns in <defs>, presentation attributes only (no style attribute or
element, so a strict Content-Security-Policy allows it), no script, no external
reference, every text escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from valreg.publishing.map.layout import BORDER, FILLS, FRAME, Figure, Fill
from valreg.publishing.map.shapes import load_shapes
from valreg.workflow.state import Standing


def _n(value: float) -> str:
    """A coordinate, short: at most one decimal, no trailing zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _paint(fill: Fill, figure_id: str) -> str:
    return fill.colour if fill.pattern == "plain" else f"url(#{figure_id}-{fill.key})"


def _patterns(figure: Figure, figure_id: str) -> str:
    """A pattern for each standing drawn with dots or stripes."""
    step = 6 * figure.pattern_unit
    out = []
    for fill in FILLS.values():
        if fill.pattern == "plain":
            continue
        if fill.pattern == "dots":
            mark = (
                f'<circle cx="{_n(step / 2)}" cy="{_n(step / 2)}" '
                f'r="{_n(1.3 * figure.pattern_unit)}" fill="{fill.ink}"/>'
            )
            turn = ""
        else:
            width = _n(1.8 * figure.pattern_unit)
            mark = f'<rect width="{width}" height="{_n(step)}" fill="{fill.ink}"/>'
            turn = ' patternTransform="rotate(45)"'
        out.append(
            f'<pattern id="{figure_id}-{fill.key}" patternUnits="userSpaceOnUse" '
            f'width="{_n(step)}" height="{_n(step)}"{turn}>'
            f'<rect width="{_n(step)}" height="{_n(step)}" fill="{fill.colour}"/>{mark}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>"


def render_svg(figure: Figure, figure_id: str) -> str:
    """The figure as one <svg> element; `figure_id` (unique on its page, [a-z0-9-]) starts
    the ids inside it."""
    paint = {standing: _paint(fill, figure_id) for standing, fill in FILLS.items()}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(figure.width)} '
        f'{_n(figure.height)}" role="img" aria-labelledby="{figure_id}-title" '
        f'id="{figure_id}" class="figure-svg" font-family="system-ui, sans-serif">',
        f'<title id="{figure_id}-title">{escape(figure.title)}</title>',
        _patterns(figure, figure_id),
    ]
    if figure.areas:
        shapes = load_shapes()
        parts.append(
            f'<g stroke="{BORDER}" stroke-width="{_n(figure.border)}" '
            'stroke-linejoin="round" fill-rule="evenodd">'
        )
        parts += [
            f'<path class="standing-{FILLS[a.standing].key}" data-code={quoteattr(a.code)} '
            f'fill="{paint[a.standing]}" d="{shapes.path_data[a.code]}">'
            f"<title>{escape(a.title)}</title></path>"
            for a in figure.areas
        ]
        parts.append("</g>")
    parts += [
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="none" '
        f'stroke="{FRAME}" stroke-width="1.5"/>'
        for x, y, w, h in figure.frames
    ]
    parts += [
        f'<rect class="standing-{FILLS[b.standing].key}" x="{_n(b.x)}" y="{_n(b.y)}" '
        f'width="{_n(b.w)}" height="{_n(b.h)}" fill="{paint[b.standing]}"'
        f"{_outline(b.standing)}/>"
        for b in figure.boxes
    ]
    parts += [
        f'<text x="{_n(t.x)}" y="{_n(t.y)}" font-size="{_n(t.size)}" '
        f'text-anchor="{t.anchor}" fill="{t.colour}">{escape(t.text)}</text>'
        for t in figure.labels
    ]
    parts.append("</svg>")
    return "".join(parts)


def _outline(standing: Standing) -> str:
    """The light grey of "no answer" gets an outline, to stand out from the page."""
    return f' stroke="{FRAME}" stroke-width="0.75"' if standing is Standing.NO_ANSWER else ""
