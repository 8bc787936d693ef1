"""The report's words in Danish, shared by the renderers: labels, headings and sentences.

Plain text built from a `Report`; each renderer escapes it for its format (and makes
links only of what `safe_url` lets through).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from valreg.danish import danish_date
from valreg.publishing.report.build import (
    DECISION_KEYS,
    AlikeSet,
    Answer,
    Approval,
    ApprovalKey,
    DecisionKey,
    Hearing,
    ProposalGroup,
    Publication,
    QuestionAnswers,
    Report,
    Respondent,
    ValueItem,
    Verdict,
)
from valreg.workflow.review import DiffPart, normalise_text, word_diff
from valreg.workflow.state import Standing

DECISION_WORDS: dict[DecisionKey, str] = {
    "accept": "Imødekommet",
    "modify": "Delvist imødekommet",
    "reject": "Ikke imødekommet",
    "note": "Taget til efterretning",
    "undecided": "Ikke afgjort endnu",
}
KIND_WORDS = {
    "amend": "Ændret tekst",
    "add": "Ny værdi",
    "remove": "Værdien udgår",
    "merge": "Sammenlægning",
    "move": "Ny placering",
    "comment": "Bemærkning",
}
STANDING_WORDS = {
    Standing.ANSWERED: "Har svaret",
    Standing.NO_REMARKS: "Har svaret uden bemærkninger",
    Standing.LATE: "Har svaret efter fristen",
    Standing.NO_ANSWER: "Har ikke svaret",
}
APPROVAL_WORDS: dict[ApprovalKey, str] = {
    "udvalg": "godkendt politisk (udvalg)",
    "forvaltning": "godkendt administrativt (forvaltning)",
    "ikke oplyst": "ikke oplyst",
}
SECTIONS = ("Høringen", "Høringssvarene", "Spørgsmål", "Sammenfatning")


def safe_url(url: str | None) -> str | None:
    """`url` if it may become a link: http(s), or a relative path; never `javascript:`,
    `data:` or anything with spaces or control characters a browser would strip."""
    if url is None or not url or re.search(r"[\s\x00-\x1f\x7f\\]", url):
        return None
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return url
    if scheme == "" and ":" not in url.split("/", 1)[0]:
        return url
    return None


def listing(names: Sequence[str]) -> str:
    """`A`, `A og B`, `A, B og C`."""
    return f"{', '.join(names[:-1])} og {names[-1]}" if len(names) > 1 else "".join(names)


def days_word(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dage"


def value_name(report: Report, value_id: str) -> str:
    """`nr. 3 (samarbejde-med-foraeldre)`, or the id alone for a value not in the base."""
    number = report.numbers.get(value_id)
    return f"nr. {number} ({value_id})" if number is not None else value_id


def item_heading(item: ValueItem) -> str:
    if item.id is None:
        return KIND_WORDS["add"] + " (forslag)"
    name = f"{item.title} ({item.id})" if item.title else item.id
    return f"{item.number}. {name}" if item.number is not None else f"{name} (ikke i udgaven)"


def group_heading(report: Report, group: ProposalGroup) -> str:
    """What a group proposes, in a few words: `Sammenlægning af nr. 3 (…) og nr. 4 (…)`."""
    where = "først" if group.after is None else f"efter {value_name(report, group.after)}"
    if group.kind == "merge":
        return f"Sammenlægning af {listing([value_name(report, v) for v in group.values])}"
    if group.kind == "move":
        return f"Ny placering: {where}"
    if group.kind == "add":
        return f"Ny værdi {where}"
    return KIND_WORDS[group.kind]


def proposer_names(group: ProposalGroup) -> str:
    return listing([f"{p.name} (efter fristen)" if p.late else p.name for p in group.proposers])


def text_label(group: ProposalGroup) -> str:
    return "Bemærkning" if group.kind == "comment" else "Foreslået tekst"


def verdict_sentence(verdict: Verdict) -> str:
    """`Delvist imødekommet. Endelig tekst: «…». Begrundelse: …`; an accepted change with
    a final text of its own was combined with others in one text."""
    if verdict.decision == "accept" and verdict.text is not None:
        said = "Imødekommet ved en samlet formulering."
    else:
        said = DECISION_WORDS[verdict.decision] + "."
    if verdict.text is not None:
        said += f" Endelig tekst: «{verdict.text}»."
    if verdict.reason:
        said += f" Begrundelse: {verdict.reason}"
    return said


def verdict_label(verdict: Verdict) -> str:
    who = f" til {listing(verdict.names)}" if verdict.names else ""
    return f"Redaktionens kommentar{who}"


def alike_sentences(item: ValueItem) -> list[str]:
    """`Kolding, Herning og Vejle foreslår i det væsentlige det samme.` per set of
    proposals that say nearly the same."""
    return [f"{listing(s.names)} foreslår i det væsentlige det samme." for s in item.alike]


def alike_answers_sentences(question: QuestionAnswers) -> list[str]:
    """`Kolding, Herning og Vejle svarer i det væsentlige det samme.` per set of answers
    that say nearly the same."""
    return [f"{listing(s.names)} svarer i det væsentlige det samme." for s in question.alike]


@dataclass(frozen=True, slots=True)
class AlikeNote:
    """How a member of a set of alike texts differs from the set's first text: `against`
    names it (`I forhold til forslaget fra Kolding`), `parts` is the word diff."""

    against: str
    parts: tuple[DiffPart, ...]


def _alike_notes(
    sets: Sequence[AlikeSet], texts: Sequence[str], whose: Sequence[str]
) -> dict[int, AlikeNote]:
    notes = {}
    for alike in sets:
        first, *others = alike.members
        for i in others:
            parts = tuple(word_diff(texts[first], texts[i]))
            if any(p.op != "equal" for p in parts):
                notes[i] = AlikeNote(f"I forhold til {whose[first]}", parts)
    return notes


def proposal_notes(item: ValueItem) -> dict[int, AlikeNote]:
    """The word diff of each later member of a set of alike proposals against the set's
    first, by the member's index in `item.proposals`."""
    groups = item.proposals
    return _alike_notes(
        item.alike,
        [g.text or "" for g in groups],
        [f"forslaget fra {listing([p.name for p in g.proposers])}" for g in groups],
    )


def answer_notes(question: QuestionAnswers) -> dict[int, AlikeNote]:
    """The word diff of each later member of a set of alike answers against the set's
    first, by the member's index in `question.answers`."""
    answers = question.answers
    return _alike_notes(
        question.alike, [a.text for a in answers], [f"svaret fra {a.name}" for a in answers]
    )


def merged_sentence(report: Report, item: ValueItem) -> str:
    return (
        "Indgår i forslaget om sammenlægning under "
        f"{listing([value_name(report, v) for v in item.merged_with])}."
    )


def outcome_sentence(report: Report, item: ValueItem) -> str:
    """The resulting text in words (without the text itself, which follows it)."""
    outcome = item.outcome
    if outcome.status == "conflict":
        return (
            "Kan ikke opgøres: de imødekomne forslag om værdien er indbyrdes modstridende "
            "og skal afklares først."
        )
    if outcome.status == "retired":
        if outcome.merged_into is not None:
            number = report.new_numbers.get(outcome.merged_into)
            into = f"nr. {number} ({outcome.merged_into})" if number else outcome.merged_into
            return f"Udgår; lagt sammen med {into}."
        return "Udgår."
    if outcome.status == "not-added":
        return "Optages ikke."
    if outcome.status == "undecided":
        return "Ikke afgjort endnu."
    if outcome.status == "added":
        return f"Ny værdi nr. {outcome.number}:"
    unchanged_text = item.text is not None and normalise_text(item.text) == normalise_text(
        outcome.text or ""
    )
    if unchanged_text and outcome.number == item.number:
        return f"Uændret, nr. {outcome.number}:"
    what = "uændret tekst" if unchanged_text else "ny tekst"
    if outcome.number != item.number:
        what += f", nyt nr. {outcome.number}"
        if item.number is not None:
            what += f" (før nr. {item.number})"
    return f"{what[0].upper()}{what[1:]}:"


def pending_sentence(item: ValueItem) -> str | None:
    if not item.outcome.pending:
        return None
    return "Der er forslag om værdien, som ikke er afgjort endnu, så resultatet kan ændre sig."


def period_sentence(hearing: Hearing) -> str:
    if hearing.opens is None or hearing.days is None:
        return f"Høringsfrist: {danish_date(hearing.deadline)}."
    return (
        f"Høringsperiode: {danish_date(hearing.opens)} – {danish_date(hearing.deadline)} "
        f"({days_word(hearing.days)}, begge dage medregnet)."
    )


def sent_out(report: Report) -> str:
    """The sentence before the link to the base release (or the whole sentence without)."""
    parties = f"de {len(report.hearing.respondents)} kommuner"
    if report.hearing.base is None:
        return (
            f"Høringen omfattede ingen udgave af værdierne; {parties} blev bedt om at "
            "besvare spørgsmålene nedenfor."
        )
    return f"Sendt i høring hos {parties}:"


def base_label(hearing: Hearing) -> str:
    label = f"udgave {hearing.base}"
    if hearing.base_title:
        label += f" «{hearing.base_title}»"
    return label


def base_after(hearing: Hearing) -> str:
    """What follows the link to the base release: ` af 18. marts 2019.` or `.`"""
    return f" af {danish_date(hearing.base_date)}." if hearing.base_date else "."


#: Before the link to a release that includes the round's decisions.
RELEASED_IN = "Afgørelserne indgår i"


def publication_label(publication: Publication) -> str:
    return f"udgave {publication.version} «{publication.title}»"


def publication_status(publication: Publication) -> str:
    """What follows the link to a release that includes the round (after a space): its date
    and its status now (`af 17. november 2019, vedtaget af … den 20. november 2019`); the
    link to the minutes, if any, and the full stop follow it."""
    said = f"af {danish_date(publication.date)}"
    state = publication.state
    if state.adopted_by is not None:
        return (
            f"{said}, vedtaget af {state.adopted_by.body} den {danish_date(state.adopted_by.date)}"
        )
    if state.sent_for_consultation:
        return f"{said}, et udkast, der er sendt i høring og endnu ikke vedtaget"
    return f"{said}, et udkast, der endnu ikke er vedtaget"


def publication_minutes(publication: Publication) -> str | None:
    """The adoption's minutes, if they may become a link."""
    adoption = publication.state.adopted_by
    return safe_url(adoption.minutes) if adoption is not None else None


def answers_sentence(report: Report) -> str:
    summary = report.summary
    counts = summary.standings
    answered = sum(n for s, n in counts.items() if s is not Standing.NO_ANSWER)
    total = sum(counts.values())
    return (
        f"{answered} af {total} kommuner har svaret i registret: "
        f"{counts[Standing.ANSWERED]} med bemærkninger eller svar på spørgsmålene, "
        f"{counts[Standing.NO_REMARKS]} uden bemærkninger og "
        f"{counts[Standing.LATE]} efter fristen; {counts[Standing.NO_ANSWER]} har ikke svaret."
    )


def elsewhere_sentence(report: Report) -> str | None:
    n = report.hearing.answered_elsewhere
    if n is None:
        return None
    svar = "høringssvar"
    return f"Derudover er der modtaget {n} {svar} uden for registret, som ikke offentliggøres her."


def approval_sentence(report: Report) -> str:
    counts = report.summary.approvals
    return (
        f"Godkendelse af svarene: {counts['udvalg']} godkendt politisk (udvalg), "
        f"{counts['forvaltning']} godkendt administrativt (forvaltning), "
        f"{counts['ikke oplyst']} ikke oplyst."
    )


def approval_text(approval: Approval) -> str:
    """`godkendt politisk (udvalg) den 17. september 2019` (the minutes link is separate)."""
    said = APPROVAL_WORDS[approval.body]
    if approval.date is not None:
        said += f" den {danish_date(approval.date)}"
    return said


def status_line(report: Report) -> str:
    made = f"Notatet er udarbejdet den {danish_date(report.today)}"
    if report.closed:
        return f"{made}."
    return f"{made}; høringsrunden er ikke lukket, så notatet viser stillingen på den dag."


def no_items_sentence(report: Report) -> str:
    if report.hearing.base is None:
        said = (
            "Høringen omfattede ingen udgave af værdierne, så der er ingen forslag til "
            "ændringer at gennemgå."
        )
        total = report.summary.total_changes
        if total:  # a proposal may name its own base; without the round's, none is shown
            said += (
                f" Der er alligevel indsendt {total} ændringsforslag; de er talt med i "
                "sammenfatningen, men gennemgås ikke her."
            )
        return said
    return ""


def intro_items(report: Report) -> str:
    return (
        f"Værdierne gennemgås i rækkefølgen fra {base_label(report.hearing)}. Under hver "
        "værdi står teksten, der blev sendt i høring, kommunernes forslag (forslag med samme "
        "indhold er samlet), redaktionens kommentar og den tekst, værdien får efter "
        "afgørelserne."
    )


def respondent_cells(respondent: Respondent) -> tuple[str, str, str, str]:
    """Svar, Modtaget, Afsender, Godkendelse (the minutes link is separate)."""
    if not respondent.answered:
        return STANDING_WORDS[respondent.standing], "–", "–", "–"
    approvals = [approval_text(a) for a in respondent.approvals] or ["ikke oplyst"]
    return (
        STANDING_WORDS[respondent.standing],
        ", ".join(danish_date(d) for d in respondent.submitted),
        "; ".join(respondent.submitted_by) or "–",
        "; ".join(approvals),
    )


def standing_rows(report: Report) -> list[tuple[str, int]]:
    rows = [(STANDING_WORDS[s], n) for s, n in report.summary.standings.items()]
    if report.summary.answered_elsewhere is not None:
        rows.append(("Svar uden for registret", report.summary.answered_elsewhere))
    rows.append(("Indsendte høringssvar i registret", report.summary.submissions))
    return rows


def approval_rows(report: Report) -> list[tuple[str, int]]:
    return [(APPROVAL_WORDS[k].capitalize(), n) for k, n in report.summary.approvals.items()]


def change_rows(report: Report) -> list[tuple[str, list[int], int]]:
    """One row per kind: counts per decision (in DECISION_KEYS order) and the total."""
    summary = report.summary
    rows = [
        (KIND_WORDS[kind], [decisions[d] for d in DECISION_KEYS], summary.by_kind[kind])
        for kind, decisions in summary.changes.items()
    ]
    by_decision = summary.by_decision
    rows.append(("I alt", [by_decision[d] for d in DECISION_KEYS], summary.total_changes))
    return rows


def document_title(report: Report) -> str:
    return f"Høringsnotat: {report.title}"


def subtitle(report: Report) -> str:
    return f"{report.registry}, {report.owner}. Høringsrunde {report.round_id}"


def question_heading(question: QuestionAnswers) -> str:
    return f"{question.id}: {question.text or '(ikke et spørgsmål i denne høring)'}"


def answer_name(answer: Answer) -> str:
    return f"{answer.name} (efter fristen)" if answer.late else answer.name
