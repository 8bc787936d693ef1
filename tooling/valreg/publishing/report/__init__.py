"""`valreg report`: the consultation report (høringsnotat) of a round, in Danish, laid out
as the "kommenteret høringsoversigt" of Justitsministeriets *Vejledning om lovkvalitet*.
It owns building a round's report as plain typed data (`build`: `build_report` reads the
registry, the work tree and the round's base release from git, and formats nothing), the
Danish words the renderers share (`wording`), and one renderer per format that does no
I/O (`markdown`, `html`: one standalone page, `docx`: a Word document), named in
`RENDERERS`. Every text from the registry is untrusted: the renderers escape it, and only
http(s) and relative URLs become links; editors' logins are never read into the report.
It may import `versions`, `workflow`, `registry` and the base modules, never `valreg.cli`.
"""

from __future__ import annotations

from collections.abc import Callable

from valreg.publishing.report.build import Report, Respondent, build_report, respondents_of
from valreg.publishing.report.docx import render_docx
from valreg.publishing.report.html import render_html
from valreg.publishing.report.markdown import render_markdown

__all__ = ["RENDERERS", "Report", "Respondent", "build_report", "respondents_of"]

#: The report's formats, by the name `valreg report --format` takes.
RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "docx": render_docx,
}
