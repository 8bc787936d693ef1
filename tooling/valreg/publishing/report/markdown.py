"""The report as Markdown (for GitHub): Danish, every registry text escaped, one function
per section of the document."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace

from valreg.publishing.report.build import (
    DECISION_KEYS,
    ProposalGroup,
    Publication,
    Report,
    Respondent,
    ValueItem,
)
from valreg.publishing.report.wording import (
    DECISION_WORDS,
    RELEASED_IN,
    AlikeNote,
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
from valreg.workflow.review import escape_markdown, markdown_diff


def _flat(text: str) -> str:
    """Untrusted text on one line with Markdown's active characters escaped (and `&`, so
    an entity cannot spell a tag), so it cannot open a link, an image or HTML."""
    return escape_markdown(" ".join(text.split())).replace("&", "&amp;")


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def _md_url(url: str) -> str:
    """A URL as a Markdown link destination: characters that could end it percent-encoded."""
    return urllib.parse.quote(url, safe=":/?#@!$&*+,;=%~-._")


def _md_link(label: str, url: str | None) -> str:
    href = safe_url(url)
    return f"[{label}]({_md_url(href)})" if href is not None else label


def _md_minutes(respondent: Respondent) -> str:
    links = [safe_url(a.minutes) for a in respondent.approvals]
    return "".join(f" ([referat]({_md_url(href)}))" for href in links if href is not None)


def _md_note(note: AlikeNote) -> str:
    """`I forhold til forslaget fra Kolding: ~~ord~~ **ord**`."""
    parts = [replace(p, text=p.text.replace("&", "&amp;")) for p in note.parts]
    return f"{_flat(note.against)}: {markdown_diff(parts)}"


def _md_group(report: Report, group: ProposalGroup, note: AlikeNote | None = None) -> str:
    lines = [f"**{_flat(group_heading(report, group))}** – fra {_flat(proposer_names(group))}"]
    if group.text is not None:
        lines.append(f"{text_label(group)}: «{_flat(group.text)}»")
    if note is not None:
        lines.append(_md_note(note))
    lines += [
        f"Begrundelse fra {_flat(p.name)}: {_flat(p.rationale)}"
        for p in group.proposers
        if p.rationale
    ]
    lines += [f"*{_flat(verdict_label(v))}:* {_flat(verdict_sentence(v))}" for v in group.verdicts]
    return "- " + "  \n  ".join(lines)


def render_markdown(report: Report) -> str:
    """For GitHub: Danish, every registry text escaped."""
    lines = [
        *_md_title(report),
        *_md_hearing(report),
        *_md_items(report),
        *_md_questions(report),
        *_md_summary(report),
    ]
    return "\n".join(lines) + "\n"


def _md_title(report: Report) -> list[str]:
    return [
        f"# {_flat(document_title(report))}",
        "",
        f"{_flat(subtitle(report))}. {_flat(status_line(report))}",
    ]


def _md_hearing(report: Report) -> list[str]:
    """Høringen: what was sent out, when, the counts of answers, and the respondents."""
    hearing = report.hearing
    out = ["", "## Høringen", ""]
    if hearing.base is not None:
        link = _md_link(_flat(base_label(hearing)), hearing.base_url)
        after = base_after(hearing)
        out.append(
            f"{_flat(sent_out(report))} {link}{' ' if after[0] == ' ' else ''}{_flat(after)}"
        )
    else:
        out.append(_flat(sent_out(report)))
    out += ["", _flat(period_sentence(hearing)), "", _flat(answers_sentence(report))]
    elsewhere = elsewhere_sentence(report)
    if elsewhere:
        out += ["", _flat(elsewhere)]
    out += ["", _flat(approval_sentence(report)), "", "### Høringsparter", ""]
    out += ["| Kommune | Svar | Modtaget | Afsender | Godkendelse |", "|---|---|---|---|---|"]
    for r in hearing.respondents:
        standing, received, sender, approval = respondent_cells(r)
        out.append(
            f"| {_cell(r.name)} | {_cell(standing)} | {_cell(received)} | {_cell(sender)} | "
            f"{_cell(approval)}{_md_minutes(r)} |"
        )
    return out


def _md_items(report: Report) -> list[str]:
    """Høringssvarene: value by value, then the general comments and the resulting set."""
    out = ["", "## Høringssvarene", ""]
    if report.hearing.base is None:
        out.append(_flat(no_items_sentence(report)))
    else:
        out.append(_flat(intro_items(report)))
    for item in report.items:
        out += _md_item(report, item)
    if report.general_comments:
        out += ["", "### Generelle bemærkninger", ""]
        out += [_md_group(report, g) for g in report.general_comments]
    if report.result:
        out += ["", "### Værdierne efter afgørelserne", ""]
        for publication in report.releases:
            out += [_md_publication(publication), ""]
        out += [f"{v.number}. {_flat(v.text)} ({_flat(v.id)})" for v in report.result]
    return out


def _md_publication(publication: Publication) -> str:
    """`Afgørelserne indgår i [udgave 2019.2 «…»](…) af …, vedtaget af … ([referat](…)).`"""
    link = _md_link(_flat(publication_label(publication)), publication.url)
    minutes = publication_minutes(publication)
    said = f" ([referat]({_md_url(minutes)}))" if minutes is not None else ""
    return f"{RELEASED_IN} {link} {_flat(publication_status(publication))}{said}."


def _md_item(report: Report, item: ValueItem) -> list[str]:
    """One value: the text sent out, the proposals and comments, and the result."""
    out = ["", f"### {_flat(item_heading(item))}", ""]
    if item.text is not None:
        out += [f"**Tekst i høringsudgaven:** {_flat(item.text)}", ""]
    if item.merged_with:
        out += [_flat(merged_sentence(report, item)), ""]
    if item.proposals:
        out += ["**Forslag:**", ""]
        out += [f"*{_flat(sentence)}*" for sentence in alike_sentences(item)]
        notes = proposal_notes(item)
        out += [_md_group(report, g, notes.get(i)) for i, g in enumerate(item.proposals)]
        out.append("")
    elif item.id is not None and not item.merged_with:
        out += ["Ingen forslag.", ""]
    if item.comments:
        out += ["**Bemærkninger:**", "", *(_md_group(report, g) for g in item.comments), ""]
    result = f"**Resultat:** {_flat(outcome_sentence(report, item))}"
    if item.outcome.text is not None:
        result += f" {_flat(item.outcome.text)}"
    out.append(result)
    pending = pending_sentence(item)
    if pending:
        out += ["", f"*{_flat(pending)}*"]
    return out


def _md_questions(report: Report) -> list[str]:
    """Spørgsmål: each question with its answers, a blank line between questions."""
    out = ["", "## Spørgsmål", ""]
    if not report.questions:
        out.append("Høringen stillede ingen spørgsmål.")
    for n, question in enumerate(report.questions):
        if n:
            out.append("")
        out += [f"### {_flat(question_heading(question))}", ""]
        out += [f"*{_flat(sentence)}*" for sentence in alike_answers_sentences(question)]
        notes = answer_notes(question)
        for i, answer in enumerate(question.answers):
            line = f"- **{_flat(answer_name(answer))}:** {_flat(answer.text)}"
            note = notes.get(i)
            out.append(line if note is None else f"{line}  \n  {_md_note(note)}")
        if not question.answers:
            out.append("Ingen svar.")
    return out


def _md_summary(report: Report) -> list[str]:
    """Sammenfatning: the counts of answers, approvals and proposals as tables."""
    out = ["", "## Sammenfatning", "", "| Svar | Antal |", "|---|---:|"]
    out += [f"| {_cell(label)} | {n} |" for label, n in standing_rows(report)]
    out += ["", "| Godkendelse af svarene | Antal |", "|---|---:|"]
    out += [f"| {_cell(label)} | {n} |" for label, n in approval_rows(report)]
    decisions = " | ".join(DECISION_WORDS[d] for d in DECISION_KEYS)
    out += ["", f"| Forslag | {decisions} | I alt |", "|---" + "|---:" * 6 + "|"]
    out += [
        f"| {label} | {' | '.join(str(n) for n in counts)} | {total} |"
        for label, counts, total in change_rows(report)
    ]
    return out
