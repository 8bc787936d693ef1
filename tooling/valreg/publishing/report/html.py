"""The report as one standalone HTML page (the template `report.html.j2`), given the
report's data and its Danish words; jinja2 escapes every text."""

from __future__ import annotations

from valreg.publishing.report.build import DECISION_KEYS, Report
from valreg.publishing.report.wording import (
    DECISION_WORDS,
    RELEASED_IN,
    STANDING_WORDS,
    alike_answers_sentences,
    alike_sentences,
    answer_name,
    answer_notes,
    answers_sentence,
    approval_rows,
    approval_sentence,
    base_after,
    base_label,
    change_rows,
    document_title,
    elsewhere_sentence,
    group_heading,
    intro_items,
    item_heading,
    merged_sentence,
    no_items_sentence,
    outcome_sentence,
    pending_sentence,
    period_sentence,
    proposal_notes,
    proposer_names,
    publication_label,
    publication_minutes,
    publication_status,
    question_heading,
    respondent_cells,
    safe_url,
    sent_out,
    standing_rows,
    status_line,
    subtitle,
    text_label,
    verdict_label,
    verdict_sentence,
)
from valreg.workflow.state import Standing


def figure_context(report: Report) -> dict[str, object]:
    """What `region_figures.html.j2` needs: the figures, the standings' words, the SVG
    renderer (its output is markup: every text in it is escaped) and the map's credit."""
    from markupsafe import Markup

    from valreg.publishing.map.figures import region_figures
    from valreg.publishing.map.shapes import CREDIT
    from valreg.publishing.map.svg import render_svg

    return {
        "figures": region_figures(report.by_region, STANDING_WORDS),
        "standing_words": [STANDING_WORDS[s] for s in Standing],
        "svg": lambda figure, figure_id: Markup(render_svg(figure, figure_id)),
        "map_credit": CREDIT,
    }


def render_html(report: Report) -> str:
    """One standalone, accessible page in Danish: inline CSS, no scripts, text escaped."""
    from valreg.publishing.html import html_environment

    environment = html_environment()
    environment.filters["safe_url"] = safe_url
    template = environment.get_template("report.html.j2")
    return template.render(
        **figure_context(report),
        report=report,
        hearing=report.hearing,
        title=document_title(report),
        subtitle=subtitle(report),
        status_line=status_line(report),
        sent_out=sent_out(report),
        base_label=base_label(report.hearing),
        base_after=base_after(report.hearing),
        period=period_sentence(report.hearing),
        answers=answers_sentence(report),
        elsewhere=elsewhere_sentence(report),
        approvals=approval_sentence(report),
        respondent_cells=respondent_cells,
        intro_items=intro_items(report) if report.hearing.base else no_items_sentence(report),
        item_heading=item_heading,
        group_heading=lambda g: group_heading(report, g),
        proposer_names=proposer_names,
        text_label=text_label,
        verdict_label=verdict_label,
        verdict_sentence=verdict_sentence,
        merged_sentence=lambda i: merged_sentence(report, i),
        alike_sentences=alike_sentences,
        alike_answers_sentences=alike_answers_sentences,
        proposal_notes=proposal_notes,
        answer_notes=answer_notes,
        outcome_sentence=lambda i: outcome_sentence(report, i),
        pending_sentence=pending_sentence,
        question_heading=question_heading,
        answer_name=answer_name,
        standing_rows=standing_rows(report),
        approval_rows=approval_rows(report),
        decision_words=[DECISION_WORDS[d] for d in DECISION_KEYS],
        change_rows=change_rows(report),
        released_in=RELEASED_IN,
        publication_label=publication_label,
        publication_status=publication_status,
        publication_minutes=publication_minutes,
    )
