"""A letter as Markdown (for GitHub), one standalone printable HTML page, or a Word
document; and the høringsliste as CSV or Markdown. No I/O.

Markdown becomes HTML and Word through markdown-it-py's CommonMark parser with raw HTML
and images turned off: `<script>` in letter.md is shown as text, a link goes only where
markdown-it allows (no `javascript:`), and the page makes no outside request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from valreg.danish import danish_date
from valreg.publishing.letter.build import Letter, Recipient, markdown_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def _outline(tokens: list[Token]) -> list[Token]:
    """The letter's headings moved up so that its first level is 1: a letter.md that
    starts its headings at `##` (as under a GitHub page title) still has one `<h1>`, one
    Heading 1."""
    levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
    shift = min(levels, default=1) - 1
    for token in tokens:
        if shift and token.type in ("heading_open", "heading_close"):
            token.tag = f"h{int(token.tag[1:]) - shift}"
    return tokens


def render_markdown(letter: Letter) -> str:
    """The letter for GitHub: the date on the first line, then the filled-in letter.md."""
    head = f"{danish_date(letter.date)}\n\n" if letter.date is not None else ""
    return head + letter.markdown.rstrip("\n") + "\n"


def render_html(letter: Letter) -> str:
    """One standalone page in the registry's language, for reading and printing; every
    registry text escaped (by markdown-it in the body, by jinja2 around it)."""
    from markupsafe import Markup

    from valreg.publishing.html import html_environment

    parser = _parser()
    tokens = _outline(parser.parse(letter.markdown))
    body = Markup(parser.renderer.render(tokens, parser.options, {}))  # escaped by markdown-it
    template = html_environment().get_template("letter.html.j2")
    has_title = any(t.type == "heading_open" and t.tag == "h1" for t in tokens)
    return template.render(letter=letter, body=body, has_title=has_title)


def render_docx(letter: Letter) -> bytes:
    """A Word letter: the sender and the date at the top right, headings, the values as a
    numbered list, the questions in italics, links where markdown-it allows them."""
    from valreg.publishing.letter.docx import letter_docx

    return letter_docx(letter, _outline(_parser().parse(letter.markdown)))


#: The letter's formats, by the name `valreg letter --format` takes.
RENDERERS: dict[str, Callable[[Letter], str | bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "docx": render_docx,
}


# --- the høringsliste ---------------------------------------------------------------------


def render_recipients_csv(rows: Sequence[Recipient]) -> str:
    """One row per municipality (code, name, region) under a header row, for a mail merge."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kommunekode", "kommune", "region"])
    for r in rows:
        writer.writerow([r.code, r.name, r.region])
    return out.getvalue()


def render_recipients_markdown(rows: Sequence[Recipient], *, title: str, missing: bool) -> str:
    """The høringsliste as a Markdown table, with a heading that says whom it lists."""

    def cell(text: str) -> str:
        return markdown_text(text)

    who = "Kommuner, der ikke har svaret" if missing else "Høringsliste"
    lines = [
        f"# {who}: {cell(title)}",
        "",
        f"{len(rows)} {'kommune' if len(rows) == 1 else 'kommuner'}, i alfabetisk orden.",
        "",
        "| Kommune | Kommunekode | Region |",
        "|---|---|---|",
        *(f"| {cell(r.name)} | {r.code} | {cell(r.region)} |" for r in rows),
    ]
    return "\n".join(lines) + "\n"


def letter_files(letters: Sequence[Letter], fmt: str) -> dict[str, bytes]:
    """One file per letter for a mail merge, named `<code>-<name>.<format>`."""
    files = {}
    for letter in letters:
        assert letter.recipient is not None  # letters for a mail merge have one each
        output = RENDERERS[fmt](letter)
        data = output.encode("utf-8") if isinstance(output, str) else output
        files[f"{letter.recipient.stem}.{fmt}"] = data
    return files
