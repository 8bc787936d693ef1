"""The report as a Word document for a committee's agenda: headings, paragraphs and
tables written as WordprocessingML (one function per section of the document), in a
package made by python-docx and zipped reproducibly."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal
from xml.sax.saxutils import escape

from valreg.publishing.report.build import (
    DECISION_KEYS,
    Hearing,
    ProposalGroup,
    Publication,
    Report,
    ValueItem,
)
from valreg.publishing.report.wording import (
    DECISION_WORDS,
    RELEASED_IN,
    STANDING_WORDS,
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
    listing,
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
    verdict_sentence,
)
from valreg.workflow.state import Standing

if TYPE_CHECKING:
    from docx.document import Document

#: Characters XML 1.0 cannot hold (Word refuses the document); the loader refuses them in
#: registry text already, so this only guards a Report built by other code.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


#: How a run is marked: bold (True), plain (False), or as a word diff shows a deleted
#: (struck through) or an inserted (underlined) word.
_Mark = bool | Literal["delete", "insert"]
#: A run of text in a Word document: (text, mark) or (text, mark, URL it links to).
_Run = tuple[str, _Mark] | tuple[str, _Mark, str]
_MARK_XML: dict[_Mark, str] = {
    True: "<w:b/>",
    False: "",
    "delete": "<w:strike/>",
    "insert": '<w:u w:val="single"/>',
}
#: A table cell: plain text, or runs.
_Cell = str | Sequence[_Run]


class _Links:
    """External hyperlinks of a Word document: each http(s) URL gets one relationship."""

    def __init__(self, relate: Callable[[str], str]) -> None:
        self._relate = relate
        self._ids: dict[str, str] = {}

    def id_of(self, url: str) -> str | None:
        """The relationship id for `url`, or None when it may not become a link (only
        absolute http(s) URLs: a relative one means nothing inside a document)."""
        if safe_url(url) is None or not re.match(r"https?://", url, re.IGNORECASE):
            return None
        if url not in self._ids:
            self._ids[url] = self._relate(url)
        return self._ids[url]


def _w_runs(runs: Sequence[_Run], links: _Links) -> str:
    """WordprocessingML runs: the text escaped, line breaks as <w:br/>, marked as asked
    (`_Mark`), a run with a URL as a hyperlink (blue, underlined)."""
    out = []
    for text, mark, *url in runs:
        lines = [escape(line) for line in _docx_text(text).split("\n")]
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
        rid = links.id_of(url[0]) if url else None
        marked = _MARK_XML[mark]
        if rid is None:
            out.append(f"<w:r>{f'<w:rPr>{marked}</w:rPr>' if marked else ''}{body}</w:r>")
            continue
        style = f'{"<w:b/>" if mark is True else ""}<w:color w:val="0563C1"/><w:u w:val="single"/>'
        out.append(
            f'<w:hyperlink r:id="{rid}"><w:r><w:rPr>{style}</w:rPr>{body}</w:r></w:hyperlink>'
        )
    return "".join(out)


def _w_paragraph(runs: Sequence[_Run], links: _Links, style_id: str | None = None) -> str:
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    return f"<w:p>{style}{_w_runs(runs, links)}</w:p>"


def _w_table(
    headers: Sequence[str], rows: Iterable[Sequence[_Cell]], width: int, links: _Links
) -> str:
    """A table in the template's "Table Grid" style, columns of equal width (twips); the
    header row repeats on every page."""
    column = width // len(headers)

    def row(cells: Sequence[_Cell], *, header: bool) -> str:
        properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{column}" w:type="dxa"/></w:tcPr>'
            f"{_w_paragraph([(cell, header)] if isinstance(cell, str) else cell, links)}</w:tc>"
            for cell in cells
        )
        return f"<w:tr>{properties}{tcs}</w:tr>"

    grid = "".join(f'<w:gridCol w:w="{column}"/>' for _ in headers)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + row(headers, header=True)
        + "".join(row(cells, header=False) for cells in rows)
        + "</w:tbl>"
    )


class _Body:
    """The body of a Word document as it is written: WordprocessingML, block by block."""

    def __init__(
        self, links: _Links, width: int, picture: Callable[[bytes, str, float], str] | None = None
    ) -> None:
        self.links = links
        #: The text width of the page in twips, shared by a table's columns.
        self.width = width
        self.blocks: list[str] = []
        #: Adds a PNG to the package and gives its inline drawing (alt text, share of the
        #: text width).
        self._picture = picture

    def picture(self, png: bytes, description: str, share: float = 1.0) -> None:
        if self._picture is not None:
            drawing = self._picture(png, description, share)
            self.blocks.append(f"<w:p><w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>")

    def heading(self, text: str, level: int) -> None:
        style = "Title" if level == 0 else f"Heading{level}"
        self.blocks.append(_w_paragraph([(text, False)], self.links, style))

    def paragraph(self, *runs: _Run) -> None:
        self.blocks.append(_w_paragraph(runs, self.links))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[_Cell]]) -> None:
        self.blocks.append(_w_table(headers, rows, self.width, self.links))


def render_docx(report: Report) -> bytes:
    """A Word document for a committee's agenda: headings, paragraphs and tables (texts
    are plain runs, so nothing in them is read as markup; only the base release's and
    the minutes' http(s) URLs become links).

    python-docx makes the package (styles, properties, parts); the body is written as
    WordprocessingML and parsed once, because python-docx's per-paragraph calls search the
    whole body and every style each time, which made a report of 1,000 values take seconds.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = _new_document(report)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    twips = int(width) // 635  # EMU per twip
    links = _Links(
        lambda url: document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    )

    def picture(png: bytes, description: str, share: float) -> str:
        inline = document.part.new_pic_inline(io.BytesIO(png), int(int(width) * share), None)
        inline.docPr.set("descr", _docx_text(description))
        return str(inline.xml)

    body = _Body(links, twips, picture)
    body.heading(document_title(report), 0)
    body.paragraph((f"{subtitle(report)}. {status_line(report)}", False))
    _docx_hearing(body, report)
    _docx_items(body, report)
    _docx_questions(body, report)
    _docx_summary(body, report)
    fragment = parse_xml(f"<w:body {nsdecls('w', 'r')}>{''.join(body.blocks)}</w:body>")
    section_properties = document.element.body.sectPr
    for element in list(fragment):
        section_properties.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue(), report.today)


def _new_document(report: Report) -> Document:
    """python-docx's empty document with the report's properties (Danish, its title and
    owner, dated the report's day)."""
    import docx

    document: Document = docx.Document()
    core = document.core_properties
    core.title = _docx_text(document_title(report))
    core.language = "da-DK"
    core.author = _docx_text(report.owner)
    # A fixed date keeps the document reproducible (SOURCE_DATE_EPOCH reaches `today`).
    moment = dt.datetime.combine(report.today, dt.time(12, 0))
    core.created = core.modified = moment
    core.last_modified_by = ""
    core.revision = 1
    return document


def _docx_hearing(body: _Body, report: Report) -> None:
    """Høringen: what was sent out (the base release as a link), when, the counts of
    answers, and the table of respondents."""
    hearing = report.hearing
    body.heading("Høringen", 1)
    if hearing.base is not None:
        url = safe_url(hearing.base_url)
        label = base_label(hearing)
        if url is not None and body.links.id_of(url) is not None:
            body.paragraph(
                (f"{sent_out(report)} ", False), (label, False, url), (base_after(hearing), False)
            )
        else:
            shown = f" ({url})" if url else ""
            body.paragraph((f"{sent_out(report)} {label}{shown}{base_after(hearing)}", False))
    else:
        body.paragraph((sent_out(report), False))
    body.paragraph((period_sentence(hearing), False))
    body.paragraph((answers_sentence(report), False))
    elsewhere = elsewhere_sentence(report)
    if elsewhere:
        body.paragraph((elsewhere, False))
    body.paragraph((approval_sentence(report), False))
    body.heading("Høringsparter", 2)
    _docx_respondents(body, hearing)
    _docx_regions(body, report)


def _docx_regions(body: _Body, report: Report) -> None:
    """Svar efter region: the counts as a table, then the bar chart and the map as
    pictures, each with its text alternative."""
    from valreg.publishing.map.figures import region_figures
    from valreg.publishing.map.png import render_png
    from valreg.publishing.map.shapes import CREDIT

    figures = region_figures(report.by_region, STANDING_WORDS)
    body.heading("Svar efter region", 2)
    words = [STANDING_WORDS[s] for s in Standing]
    body.table(
        ("Region", *words, "I alt"),
        [(region, *map(str, counts), str(total)) for region, counts, total in figures.rows],
    )
    body.picture(
        render_png(figures.bars, 1200),
        "Søjlediagram: kommunerne i hver region efter svar; tallene står i tabellen ovenfor.",
    )
    if figures.map is not None:
        body.picture(
            render_png(figures.map, 1000),
            f"Kort over kommunerne farvet efter svar. {CREDIT}.",
            0.75,
        )
        body.paragraph((f"Kortet: kommunerne farvet efter svar. {CREDIT}.", False))


def _docx_respondents(body: _Body, hearing: Hearing) -> None:
    """One row per municipality; the minutes of an approval linked after it."""
    rows: list[tuple[_Cell, ...]] = []
    for r in hearing.respondents:
        standing, received, sender, approval = respondent_cells(r)
        runs: list[_Run] = [(approval, False)]
        for minutes in (safe_url(a.minutes) for a in r.approvals):
            if minutes is not None:
                runs += [(" (", False), ("referat", False, minutes), (f": {minutes})", False)]
        rows.append((r.name, standing, received, sender, runs))
    body.table(("Kommune", "Svar", "Modtaget", "Afsender", "Godkendelse"), rows)


def _docx_items(body: _Body, report: Report) -> None:
    """Høringssvarene: value by value, then the general comments and the resulting set."""
    body.heading("Høringssvarene", 1)
    intro = intro_items(report) if report.hearing.base else no_items_sentence(report)
    body.paragraph((intro, False))
    for item in report.items:
        _docx_item(body, report, item)
    if report.general_comments:
        body.heading("Generelle bemærkninger", 2)
        body.table(
            ("Bemærkning", "Fra", "Redaktionens kommentar"),
            _group_rows(report, report.general_comments, {}),
        )
    if report.result:
        body.heading("Værdierne efter afgørelserne", 2)
        for publication in report.releases:
            _docx_publication(body, publication)
        body.table(("Nr.", "Tekst"), [(str(v.number), v.text) for v in report.result])


def _docx_publication(body: _Body, publication: Publication) -> None:
    """A release that includes the round: linked, with its status and the minutes' link."""
    url = safe_url(publication.url)
    label = publication_label(publication)
    runs: list[_Run] = [(f"{RELEASED_IN} ", False)]
    if url is not None and body.links.id_of(url) is not None:
        runs.append((label, False, url))
    else:
        runs.append((f"{label}{f' ({url})' if url else ''}", False))
    runs.append((f" {publication_status(publication)}", False))
    minutes = publication_minutes(publication)
    if minutes is not None:
        runs += [(" (", False), ("referat", False, minutes), (f": {minutes})", False)]
    runs.append((".", False))
    body.paragraph(*runs)


def _docx_item(body: _Body, report: Report, item: ValueItem) -> None:
    """One value: the text sent out, a table of proposals and comments, and the result."""
    body.heading(item_heading(item), 2)
    if item.text is not None:
        body.paragraph(("Tekst i høringsudgaven: ", True), (item.text, False))
    if item.merged_with:
        body.paragraph((merged_sentence(report, item), False))
    groups = [*item.proposals, *item.comments]
    for sentence in alike_sentences(item):
        body.paragraph((sentence, False))
    if groups:
        rows = _group_rows(report, groups, proposal_notes(item))
        body.table(("Forslag", "Fra", "Redaktionens kommentar"), rows)
    elif item.id is not None and not item.merged_with:
        body.paragraph(("Ingen forslag.", False))
    result = outcome_sentence(report, item)
    if item.outcome.text is not None:
        result += f" {item.outcome.text}"
    body.paragraph(("Resultat: ", True), (result, False))
    pending = pending_sentence(item)
    if pending:
        body.paragraph((pending, False))


def _note_runs(note: AlikeNote) -> list[_Run]:
    """`I forhold til forslaget fra Kolding: ` and the word diff, deleted words struck
    through and inserted ones underlined."""
    runs: list[_Run] = [(f"{note.against}: ", False)]
    for n, part in enumerate(note.parts):
        if n:
            runs.append((" ", False))
        runs.append((part.text, False if part.op == "equal" else part.op))
    return runs


def _group_rows(
    report: Report, groups: Sequence[ProposalGroup], notes: Mapping[int, AlikeNote]
) -> list[tuple[_Cell, str, str]]:
    """A table row per group: what it proposes (and why, and how it differs from the
    first of the proposals it is alike to), who, and the editors' comment."""
    rows: list[tuple[_Cell, str, str]] = []
    for i, group in enumerate(groups):
        said = [group_heading(report, group)]
        if group.text is not None:
            said.append(f"{text_label(group)}: «{group.text}»")
        said += [f"Begrundelse fra {p.name}: {p.rationale}" for p in group.proposers if p.rationale]
        comment = [
            (f"{listing(v.names)}: " if v.names else "") + verdict_sentence(v)
            for v in group.verdicts
        ]
        note = notes.get(i)
        cell: _Cell = "\n".join(said)
        if note is not None:
            cell = [(f"{cell}\n", False), *_note_runs(note)]
        rows.append((cell, proposer_names(group), "\n".join(comment)))
    return rows


def _docx_questions(body: _Body, report: Report) -> None:
    """Spørgsmål: each question with a table of its answers."""
    body.heading("Spørgsmål", 1)
    if not report.questions:
        body.paragraph(("Høringen stillede ingen spørgsmål.", False))
    for question in report.questions:
        body.heading(question_heading(question), 2)
        if question.answers:
            for sentence in alike_answers_sentences(question):
                body.paragraph((sentence, False))
            notes = answer_notes(question)
            rows: list[tuple[str, _Cell]] = []
            for i, answer in enumerate(question.answers):
                note = notes.get(i)
                said = (
                    answer.text
                    if note is None
                    else [(f"{answer.text}\n", False), *_note_runs(note)]
                )
                rows.append((answer_name(answer), said))
            body.table(("Kommune", "Svar"), rows)
        else:
            body.paragraph(("Ingen svar.", False))


def _docx_summary(body: _Body, report: Report) -> None:
    """Sammenfatning: the counts of answers, approvals and proposals as tables."""
    body.heading("Sammenfatning", 1)
    body.table(("Svar", "Antal"), [(label, str(n)) for label, n in standing_rows(report)])
    body.paragraph()
    body.table(
        ("Godkendelse af svarene", "Antal"),
        [(label, str(n)) for label, n in approval_rows(report)],
    )
    body.paragraph()
    body.table(
        ("Forslag", *(DECISION_WORDS[d] for d in DECISION_KEYS), "I alt"),
        [
            (label, *(str(n) for n in counts), str(total))
            for label, counts, total in change_rows(report)
        ],
    )


def _reproducible_zip(data: bytes, day: dt.date) -> bytes:
    """The same archive with every entry dated `day`, so that the same report gives the
    same bytes (zipfile stamps entries with the current time)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 12, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
