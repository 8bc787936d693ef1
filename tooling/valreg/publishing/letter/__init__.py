"""`valreg letter`: a round's letter (høringsbrev), its reminder (rykkerbrev) and its
list of recipients (høringsliste), in the registry's language. It owns filling the
editors' `registry/rounds/<round>/letter.md` from the registry (`build`: a small fixed set
of `{{ placeholders }}`, never a template language on the editors' text), the renderers
(`render`: Markdown, one standalone HTML page, and `docx`: a Word letter), and the drafts
`valreg round open` writes (`drafts`). Every registry text is escaped; nothing names a
person. It may import `versions`, `workflow`, `registry` and the base modules.
"""

from __future__ import annotations

from valreg.publishing.letter.build import (
    PLACEHOLDERS,
    Audience,
    Letter,
    LetterSource,
    Recipient,
    build_letter,
    build_letters,
    consulted,
    letter_path,
    load_letter_source,
    recipients,
)
from valreg.publishing.letter.drafts import round_documents
from valreg.publishing.letter.render import (
    RENDERERS,
    render_recipients_csv,
    render_recipients_markdown,
)

__all__ = [
    "PLACEHOLDERS",
    "RENDERERS",
    "Audience",
    "Letter",
    "LetterSource",
    "Recipient",
    "build_letter",
    "build_letters",
    "consulted",
    "letter_path",
    "load_letter_source",
    "recipients",
    "render_recipients_csv",
    "render_recipients_markdown",
    "round_documents",
]
