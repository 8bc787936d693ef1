"""An answer's own words, without quoted history, signature or contact details.

`own_words` splits a mail's text into what the municipality wrote (paragraphs) and what
it quoted (`Quote`, kept only as a marker: a quoted question tells what the text after it
answers), drops the earlier mail a reply carries below it, removes the signature block
and every e-mail address and phone number, and says what it removed, so that the editor
can see it and nothing of it reaches a public file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from valreg.registry.rules import EMAIL, PHONE

#: Characters the safe reader refuses in text (C0 and C1 controls, DEL, bidi overrides),
#: as in `registry.yamlio`; a tab is kept.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
#: Danish phone numbers: eight digits, alone, in pairs or fours, with or without +45/0045.
_PHONE = re.compile(
    r"(?<![\w+/.,-])(?:(?:\+|00)45[ .-]?)?"
    r"(?:\d{8}|\d{2}(?: \d{2}){3}|\d{4} \d{4}|\d{2}-\d{2}-\d{2}-\d{2})(?![\w/-]|[.,]\d)"
)
_YEARS = re.compile(r"(?:19|20)\d{2} (?:19|20)\d{2}")
_NOT_PHONE = re.compile(
    r"\b(?:cvr|ean|p-nr|se-nr|sagsnr|sags-nr|j\.\s?nr|journalnr)[ .:-]*(?:nr\.?)?[ .:-]*$", re.I
)
#: Lines that only carry contact details: "Tlf.: …", "Mobil …", "Direkte: …", "E-mail: …".
_CONTACT_LINE = re.compile(
    r"^\s*(?:tlf|telefon|mobil|mob|direkte|dir|direct|phone|tel|e-?mail|mail|"
    r"sagsbehandler|kontaktperson|kontakt|cpr)\b\.?\s*(?:nr\.?)?\s*[:.]?\s*\S",
    re.IGNORECASE,
)
#: The greeting that opens a signature.
_CLOSING = re.compile(
    r"^\s*(?:(?:med\s+)?(?:venlig|venligst|mange|de\s+bedste|bedste|kærlig)\s+hilsen?(?:er)?|"
    r"venlig\s+hilsen|hilsen|mvh\.?|vh\.?|kind\s+regards|best\s+regards|regards|"
    r"best\s+wishes|sincerely)\b[\s,.!]*(?:\S.*)?$",
    re.IGNORECASE,
)
_SIGNATURE_DASHES = re.compile(r"^--\s?$")
#: Where a reply's earlier mail begins (Outlook's, Gmail's and Apple Mail's ways).
_HISTORY = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|oprindelig meddelelse|videresendt (?:meddelelse|"
    r"besked)|forwarded message|oprindelig besked)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\**(?:fra|from)\**\s*:\s*\S", re.IGNORECASE)
_HEADER_SENT = re.compile(
    r"^\s*\**(?:sendt|sent|dato|date|til|to|emne|subject)\**\s*:", re.IGNORECASE
)
_ATTRIBUTION = re.compile(r"^\s*(?:den|on|d\.)\s.{4,240}(?:skrev|wrote)\b[^:]{0,120}:\s*$", re.I)
_QUOTED = re.compile(r"^\s*>")


@dataclass(frozen=True, slots=True)
class Quote:
    """Text the answer quoted (from the consultation letter, usually)."""

    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph the municipality wrote, as written (contact details taken out)."""

    text: str


@dataclass(slots=True)
class OwnWords:
    """What `own_words` keeps, and what it took out."""

    items: list[Paragraph | Quote] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # personal data, for the editor
    notes: list[str] = field(default_factory=list)  # history left out, characters dropped
    signature: str = ""  # the removed signature block, to search for the sender's name


def clean(text: str) -> tuple[str, int]:
    """Line ends made `\\n`, characters the reader refuses dropped (and counted)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens from Word
    cleaned, count = _FORBIDDEN.subn("", text)
    return cleaned.replace("\t", " "), count


def own_words(text: str) -> OwnWords:
    """The answer's own paragraphs and quotes; signature and contact details removed."""
    result = OwnWords()
    text, dropped = clean(text)
    if dropped:
        result.notes.append(f"dropped {dropped} control or direction character(s)")
    lines = [line.rstrip() for line in text.split("\n")]
    history = _history_start(lines)
    if history is not None:
        left = sum(1 for line in lines[history:] if line.strip())
        result.notes.append(f"left out the earlier mail quoted below the answer ({left} lines)")
        lines = lines[:history]
    segments = _segments(lines)
    _take_signatures(segments, result)
    for quoted, block in segments:
        if quoted:
            joined = "\n".join(block).strip()
            if joined:
                result.items.append(Quote(joined))
            continue
        for paragraph in _paragraphs(block):
            kept = _without_contacts(paragraph, result)
            if kept.strip():
                result.items.append(Paragraph(kept))
    return result


def _history_start(lines: list[str]) -> int | None:
    """The line where the earlier mail of a top-posted reply begins, if there is one."""
    for index, line in enumerate(lines):
        if _HISTORY.match(line):
            return index
        if _HEADER_FROM.match(line) and any(
            _HEADER_SENT.match(later) for later in lines[index + 1 : index + 5]
        ):
            return index
        if _ATTRIBUTION.match(line) or (
            index + 1 < len(lines) and _ATTRIBUTION.match(f"{line} {lines[index + 1]}")
        ):
            rest = [later for later in lines[index + 1 :] if later.strip()]
            # An attribution above a wholly quoted rest is a top-posted reply; above text
            # answered in between the quotes, it only introduces the quotes.
            if rest and all(_QUOTED.match(later) for later in rest[1:] or rest):
                return index
    return None


def _segments(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Runs of own lines and of quoted (`>`) lines, the quote marks taken off."""
    segments: list[tuple[bool, list[str]]] = []
    for line in lines:
        quoted = bool(_QUOTED.match(line))
        if not quoted and _ATTRIBUTION.match(line):
            continue  # "Den 3. okt. skrev …:" above a quote; its address goes too
        text = re.sub(r"^(?:\s*>)+ ?", "", line) if quoted else line
        if segments and segments[-1][0] == quoted:
            segments[-1][1].append(text)
        else:
            segments.append((quoted, [text]))
    return segments


def _paragraphs(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip("\n")
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _take_signatures(segments: list[tuple[bool, list[str]]], result: OwnWords) -> None:
    """Remove a signature from each own run: from the closing greeting (or `-- `) on,
    and a last paragraph of contact details (a phone number or an address)."""
    signatures: list[str] = []
    for index, (quoted, block) in enumerate(segments):
        if quoted:
            continue
        start = next(
            (
                i
                for i, line in enumerate(block)
                if _CLOSING.match(line) or _SIGNATURE_DASHES.match(line)
            ),
            None,
        )
        if start is None:
            start = _contact_tail(block)
        if start is not None:
            taken = [line.strip() for line in block[start:] if line.strip()]
            if taken:
                signatures.append(" | ".join(taken))
            segments[index] = (quoted, block[:start])
    for signature in signatures:
        result.removed.append(f"signature block: {signature}")
    result.signature = "\n".join(signatures)


def _contact_tail(block: list[str]) -> int | None:
    """Where a last paragraph of contact details starts (short, with a phone or address)."""
    end = len(block)
    while end and not block[end - 1].strip():
        end -= 1
    start = end
    while start and block[start - 1].strip():
        start -= 1
    tail = block[start:end]
    if not tail or len(tail) > 8:
        return None
    joined = "\n".join(tail)
    if _EMAIL.search(joined) or _phone_numbers(joined):
        return start
    return None


def _phone_numbers(text: str) -> list[str]:
    """Phone numbers in `text`; not two years, nor a CVR, EAN or case number."""
    return [
        m.group(0)
        for m in _PHONE.finditer(text)
        if not _YEARS.fullmatch(m.group(0)) and not _NOT_PHONE.search(text[: m.start()])
    ]


def _without_contacts(paragraph: str, result: OwnWords) -> str:
    """The paragraph without contact lines, e-mail addresses and phone numbers."""
    kept_lines = []
    for line in paragraph.split("\n"):
        if _CONTACT_LINE.match(line) and (_EMAIL.search(line) or _phone_numbers(line)):
            result.removed.append(f"contact line: {line.strip()}")
            continue
        kept_lines.append(line)
    text = "\n".join(kept_lines)
    for address in _EMAIL.findall(text):
        result.removed.append(f"e-mail address: {address}")
    text = _EMAIL.sub("[e-mailadresse fjernet]", text)
    for number in _phone_numbers(text):
        result.removed.append(f"phone number: {number}")
        text = text.replace(number, "[telefonnummer fjernet]", 1)
    # Whatever `valreg check` would still see as personal data goes too.
    for pattern, what, mark in (
        (EMAIL, "e-mail address", "[e-mailadresse fjernet]"),
        (PHONE, "phone number", "[telefonnummer fjernet]"),
    ):
        while (match := pattern.search(text)) is not None:
            result.removed.append(f"{what}: {match.group(0).strip()}")
            text = text[: match.start()] + mark + text[match.end() :]
    return text
