"""Typographic quotes in a file's texts, where YAML took them for text. No I/O.

Word turns " into “ ”, and YAML reads those as ordinary characters: a text written
`text: “Vi vil …”` keeps its quotes (Y117, a warning: it was meant as quoting), and one
written `text: “Vi vil … #1 …”` ends at ' #', where YAML starts a comment (Y116, an
error: the rest of the text is lost). One file's rule on the document's data and source:
whether a text was quoted in the file is only in its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from valreg.registry.diagnostics import Diagnostic, make
from valreg.registry.parse import Parsed
from valreg.registry.syntax import (
    TYPOGRAPHIC_QUOTE,
    TYPOGRAPHIC_QUOTES,
    wrapped_in_typographic_quotes,
)
from valreg.registry.yamlio import document_strings

# What follows a text that YAML cut at ' #': the comment, holding the closing quote.
_CUT_AT_COMMENT = re.compile(f"[ \t]+#.*[{TYPOGRAPHIC_QUOTES}]")


def check_typography(parsed: Parsed) -> Iterator[Diagnostic]:
    """Y117 for a plain text wrapped in typographic quotes, Y116 for one that a ' #' cut
    short after its opening typographic quote."""
    document = parsed.document
    if document is None or document.data is None or not TYPOGRAPHIC_QUOTE.search(document.text):
        return
    lines = document.text.splitlines()
    reported = {d.line for d in parsed.diagnostics}
    for path, text in document_strings(document.data):
        if not text or not TYPOGRAPHIC_QUOTE.match(text):
            continue
        line, col = document.position(path)
        source = lines[line - 1] if line <= len(lines) else ""
        if line in reported or source[col - 1 : col] != text[0]:
            continue  # written in quotes (or already wrong for another reason)
        if wrapped_in_typographic_quotes(text):
            yield make(
                parsed.path,
                line,
                col,
                "Y117",
                f"the text is wrapped in typographic quotes ({text[0]} … {text[-1]}), which stay "
                "part of it; if they were meant as quotes around the text, delete them (or use "
                'straight quotes ")',
                da=f"teksten står i typografiske anførselstegn ({text[0]} … {text[-1]}), som "
                "bliver en del af teksten; var de ment som anførselstegn om teksten, så slet dem "
                '(eller brug lige anførselstegn ")',
            )
        elif _CUT_AT_COMMENT.match(source, col - 1 + len(text)):
            yield make(
                parsed.path,
                line,
                col,
                "Y116",
                f"the text starts with a typographic quote ({text[0]}), which YAML does not read "
                "as a quote, so it ends at ' #' (the rest of the line is a comment to YAML); put "
                'the whole text in straight quotes "…"',
                da=f"teksten begynder med et typografisk anførselstegn ({text[0]}), som YAML ikke "
                "læser som et anførselstegn, så teksten slutter ved ' #' (resten af linjen er en "
                'kommentar for YAML); sæt lige anførselstegn "…" om hele teksten',
            )
