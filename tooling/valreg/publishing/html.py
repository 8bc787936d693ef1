"""The one jinja2 set-up behind every public HTML page (changelog, report, site)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def html_environment(folder: str = "templates") -> jinja2.Environment:
    """Templates from the package's `folder` (then `templates`), every value autoescaped,
    an undefined name an error (never an empty string on a public page), and the Danish
    date filter."""
    import jinja2

    from valreg.danish import danish_date, danish_number, genitive, number_word

    loader: jinja2.BaseLoader = jinja2.PackageLoader("valreg.publishing", folder)
    if folder != "templates":  # the shared macros (region_figures.html.j2) live there
        loader = jinja2.ChoiceLoader([loader, jinja2.PackageLoader("valreg.publishing")])
    environment = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["danish_date"] = danish_date
    environment.filters["danish_number"] = danish_number
    environment.filters["genitive"] = genitive
    environment.filters["number_word"] = number_word
    return environment
