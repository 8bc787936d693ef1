"""Where each paragraph of an answer belongs: a question, a value, or the general comment.

`place` walks an answer's own words (`scrub.own_words`) in order. A paragraph that opens
with a question ("Spørgsmål 1", "q1:", "Ad spørgsmål 2", or the question's own words), or
that follows a quote of the question, begins that question's answer; one that opens with
a value ("Værdi 3", "pkt. 5", the value's id, title or first words), or follows a quote of
its text, begins a comment on that value. The paragraphs after it belong to it until the
next question, value, quote or heading. A paragraph elsewhere that names one value
("… værdi 3 …") is a comment on it. Everything else is the general comment, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from valreg.registry import models
from valreg.workflow.propose import Listed
from valreg.workflow.scrub import Paragraph, Quote

#: How alike (0–100) a quote or an opening must be to a question's or value's words.
ALIKE = 88

_LIST_MARK = r"(?:[-*•–]\s*|\(?\d{1,2}[.)]\s*|[a-h][.)]\s+)?"
_QUESTION_WORD = r"(?:spørgsmål(?:et)?|spm\.?|question)"
_VALUE_WORD = r"(?:værdi(?:en)?|kerneværdi(?:en)?|pkt\.?|punkt(?:et)?|value)"
_QUESTION_NUMBER = re.compile(
    rf"^\s*{_LIST_MARK}(?:ad\s+|svar\s+på\s+|vedr\.?\s+)?{_QUESTION_WORD}\s*(?:nr\.?\s*)?"
    r"(?P<ref>[0-9]{1,2}|[a-z0-9]+(?:-[a-z0-9]+)*)\b\s*[.:)–-]?\s*",
    re.IGNORECASE,
)
_VALUE_NUMBER = re.compile(
    rf"^\s*{_LIST_MARK}(?:ad\s+|vedr\.?\s+|til\s+)?{_VALUE_WORD}\s*(?:nr\.?\s*)?"
    r"(?P<number>[0-9]{1,3})\b\s*[.:)–-]?\s*",
    re.IGNORECASE,
)
_VALUE_MENTION = re.compile(
    rf"(?<!\w){_VALUE_WORD}\s*(?:nr\.?\s*)?(?P<number>[0-9]{{1,3}})(?![\w.,][0-9])", re.I
)
#: Paragraphs that greet, thank or close: they belong to no question or value.
_COURTESY = re.compile(
    r"^\s*(?:kære|hej|til|tak for|vi ser frem til|på forhånd tak|hermed|vedhæftet|"
    r"i er velkomne|god dag|goddag)\b",
    re.IGNORECASE,
)
_OPENING = re.compile(rf"^\s*{_LIST_MARK}(?:ad\s+|vedr\.?\s+)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Target:
    """Where text goes: a question's answer, a comment on a value, or (both None) general."""

    question: str | None = None
    value: str | None = None


GENERAL = Target()


@dataclass(slots=True)
class Placed:
    """The text placed at each target, in order, and how each was recognised."""

    texts: dict[Target, list[str]] = field(default_factory=dict)
    how: dict[Target, list[str]] = field(default_factory=dict)

    def add(self, target: Target, text: str, how: str | None = None) -> None:
        if text.strip():
            self.texts.setdefault(target, []).append(text.strip())
        if how is not None and how not in self.how.get(target, []):
            self.how.setdefault(target, []).append(how)
            self.texts.setdefault(target, [])


def words(text: str) -> str:
    """Text for comparing: lower case, letters and digits, one space between words."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def place(
    items: Sequence[Paragraph | Quote],
    questions: Sequence[models.Question],
    values: Sequence[Listed],
    placed: Placed,
) -> None:
    """Add each item's text to `placed` at the target it belongs to."""
    current = GENERAL
    for item in items:
        if isinstance(item, Quote):
            current, how = _quoted(item.text, questions, values)
            if current != GENERAL:
                placed.add(current, "", how)
            continue
        target, rest, how = _opening(item.text, questions, values)
        if target is not None:
            current = target
            placed.add(target, rest, how)
        elif (
            current != GENERAL
            and not _COURTESY.match(item.text)
            and (not _is_heading(item.text) or not placed.texts[current])
        ):
            placed.add(current, item.text)
        else:
            current = GENERAL
            mentioned = _mentioned(item.text, values)
            if mentioned is not None:
                placed.add(Target(value=mentioned.id), item.text, f'names "{_short(item.text)}"')
            else:
                placed.add(GENERAL, item.text)


def _short(text: str, size: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _is_heading(text: str) -> bool:
    """A short line on its own without a full stop: it starts a new subject."""
    flat = text.strip()
    return "\n" not in flat and len(flat.split()) <= 6 and not flat.endswith((".", ",", ";"))


def _opening(
    text: str, questions: Sequence[models.Question], values: Sequence[Listed]
) -> tuple[Target | None, str, str]:
    """The target a paragraph opens with, the text after that opening, and how it was seen."""
    match = _QUESTION_NUMBER.match(text)
    if match is not None:
        question = _question_by_ref(match["ref"], questions)
        if question is not None:
            rest = _without_question_text(text[match.end() :], question)
            return Target(question=question.id), rest, f'"{match.group(0).strip()}"'
    for question in questions:
        id_match = re.match(rf"^\s*{_LIST_MARK}{re.escape(question.id)}\s*[.:)–-]\s*", text, re.I)
        if id_match is not None:
            rest = _without_question_text(text[id_match.end() :], question)
            return Target(question=question.id), rest, f'"{id_match.group(0).strip()}"'
        rest = _without_question_text(text, question)
        if rest != text:
            return Target(question=question.id), rest, "quotes the question"
    match = _VALUE_NUMBER.match(text)
    if match is not None:
        value = next((v for v in values if v.number == int(match["number"])), None)
        if value is not None:
            return Target(value=value.id), text, f'"{match.group(0).strip()}"'
    value = _value_by_words(text, values)
    if value is not None:
        return Target(value=value.id), text, "opens with the value's id or words"
    return None, text, ""


def _question_by_ref(ref: str, questions: Sequence[models.Question]) -> models.Question | None:
    for question in questions:
        if question.id.casefold() == ref.casefold():
            return question
    if ref.isdigit() and 1 <= int(ref) <= len(questions):
        return questions[int(ref) - 1]
    return None


def _without_question_text(text: str, question: models.Question) -> str:
    """`text` without an opening that repeats the question (up to its '?' or line end)."""
    wanted = words(question.text)
    if not wanted:
        return text
    stripped = text.lstrip(" \"'“”„»«")
    for end in _ends(stripped, len(question.text)):
        head = words(stripped[:end])
        whole = fuzz.ratio(head, wanted) >= ALIKE
        # Most of the question, word for word (a note in brackets left out, say).
        most = len(head) >= 0.6 * len(wanted) and fuzz.partial_ratio(head, wanted) >= 95
        if whole or most:
            return stripped[end:].lstrip(" \"'“”„»«:–-\n")
    return text


def _ends(text: str, size: int) -> list[int]:
    """Candidate ends of a repeated question: after a '?', or at a line's end, near `size`."""
    ends = [m.end() for m in re.finditer(r"\?|\n", text) if m.end() <= size * 1.5 + 20]
    return [*ends, len(text)] if len(text) <= size * 1.5 + 20 else ends


def _value_by_words(text: str, values: Sequence[Listed]) -> Listed | None:
    """The value whose id, or first words, the paragraph opens with."""
    opening = _OPENING.sub("", text, count=1)
    head = words(opening[:200])
    for value in values:
        if re.match(rf"{re.escape(value.id)}\b", opening.strip(" \"'“”„»«(")):
            return value
    for value in values:
        first = words(value.text).split()[:6]
        if len(first) >= 4 and head.startswith(" ".join(first)):
            return value
    return None


def _quoted(
    text: str, questions: Sequence[models.Question], values: Sequence[Listed]
) -> tuple[Target, str]:
    """What a quote shows the answer is about: a question or a value, or neither."""
    quoted = words(text)
    for number, question in enumerate(questions, start=1):
        if _contains(quoted, words(question.text)):
            return Target(question=question.id), f"after a quote of question {number}"
    for value in values:
        if _contains(quoted, words(value.text)):
            return Target(value=value.id), "after a quote of its text"
    return GENERAL, ""


def _contains(quote: str, wanted: str) -> bool:
    if len(quote) < min(30, len(wanted)) or not wanted:
        return False
    return fuzz.partial_ratio(wanted, quote) >= ALIKE


def _mentioned(text: str, values: Sequence[Listed]) -> Listed | None:
    """The first value a paragraph names by number ("værdi 3", "pkt. 5")."""
    by_number = {v.number: v for v in values}
    for match in _VALUE_MENTION.finditer(text):
        value = by_number.get(int(match["number"]))
        if value is not None:
            return value
    return None
