"""What an editor receives, read into plain text: e-mail, Outlook, Word, text, the issue form.

`read_received` turns one file into a `Received`: the parts that hold the answer (a mail's
body and the attachments that could be read, each as plain text), the date it was sent,
the sender's address and, for an issue opened with the proposal form, the form's fields
and its author. It reads `.eml` (the standard library's `email`), Outlook `.msg` (the few
MAPI properties needed, through olefile), `.docx` (python-docx, also as a mail's
attachment), `.txt` and `.md`, and the issue form as its Markdown body or as GitHub's
issue JSON (an issue, or the event an `issues` workflow receives). What it cannot read
raises `Unreadable` with the reason; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import io
import json
import re
import struct
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import Any

from valreg.clock import ZONE
from valreg.errors import Refused

#: Largest file read: a mail with attachments is rarely above a few MiB.
MAX_FILE_BYTES = 25 << 20
#: Largest unpacked Word document (a zip bomb stops here).
MAX_DOCX_UNPACKED = 50 << 20

KINDS = {
    ".eml": "e-mail",
    ".msg": "Outlook e-mail",
    ".docx": "Word document",
    ".txt": "text",
    ".md": "text",
    ".json": "issue JSON",
}


class Unreadable(Refused):
    """A received file that cannot be read; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Part:
    """One readable piece of an answer: a mail's body or one of its attachments."""

    label: str  # "body", or "attachment svar.docx"
    text: str


@dataclass(frozen=True, slots=True)
class Received:
    """One received answer, read into plain text."""

    source: str
    kind: str
    parts: tuple[Part, ...]
    sent: dt.datetime | None = None
    sender: str | None = None  # the sender's e-mail address
    form: dict[str, str] | None = None  # the issue form's fields by id
    author: str | None = None  # the login that opened the issue
    skipped: tuple[str, ...] = field(default=())  # attachments not read, with why


def read_received(path: Path, form_labels: dict[str, str]) -> Received:
    """Read one file; `form_labels` maps the issue form's labels to its field ids."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise Unreadable(
            f"{path}: cannot read a '{path.suffix or 'file without extension'}' file; valreg "
            f"intake reads {', '.join(sorted(KINDS))} (save the mail or document as one of them)"
        )
    data = _read_bytes(path)
    if kind == "e-mail":
        return _from_eml(path, data)
    if kind == "Outlook e-mail":
        return _from_msg(path, data)
    if kind == "Word document":
        return Received(str(path), kind, (Part("document", docx_text(data, str(path))),))
    if kind == "issue JSON":
        return _from_issue_json(path, data, form_labels)
    text = decode_text(data, str(path))
    fields = form_fields(text, form_labels)
    if fields is not None:
        return Received(str(path), "issue form", (), form=fields)
    return Received(str(path), kind, (Part("text", text),))


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise Unreadable(f"{path}: not a regular file")
        if size > MAX_FILE_BYTES:
            raise Unreadable(
                f"{path}: {size:,} bytes is more than the {MAX_FILE_BYTES >> 20} MiB valreg "
                "intake reads; save the answer's text on its own"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise Unreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise Unreadable(f"{path}: a folder, not a file") from None


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (a BOM is fine), or UTF-16 with its BOM, as Windows' Notepad may save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"{where}: not UTF-8 text (byte {exc.start}); save it again as UTF-8 "
            "(in Notepad: Save as, Encoding UTF-8)"
        ) from None


# --- e-mail ----------------------------------------------------------------------------


def _from_eml(path: Path, data: bytes) -> Received:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not message.keys():
            raise Unreadable(f"{path}: no e-mail headers; is this an e-mail saved as .eml?")
        parts, skipped = _mail_parts(message, str(path))
        sent = _mail_date(message.get("Date"))
        sender = _address(message.get("From"))
    except (ValueError, LookupError, TypeError, AttributeError) as exc:
        # The email package raises these on broken headers and encodings.
        raise Unreadable(f"{path}: a broken e-mail ({type(exc).__name__}: {exc})") from None
    if not parts:
        raise Unreadable(f"{path}: the e-mail has no text and no attachment valreg can read")
    return Received(str(path), "e-mail", tuple(parts), sent, sender, skipped=tuple(skipped))


def _mail_parts(message: EmailMessage, where: str) -> tuple[list[Part], list[str]]:
    parts: list[Part] = []
    skipped: list[str] = []
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = _part_text(body)
        if body.get_content_subtype() == "html":
            text = html_text(text)
        parts.append(Part("body", text))
    for attachment in message.iter_attachments():
        name = PurePath(attachment.get_filename() or "unnamed").name
        read = _attachment(name, attachment.get_content_type(), attachment, where)
        if isinstance(read, Part):
            parts.append(read)
        else:
            skipped.append(f"{name} ({read})")
    return parts, skipped


def _part_text(part: Any) -> str:
    content = part.get_content()
    return content if isinstance(content, str) else decode_text(bytes(content), "body")


def _attachment(name: str, mime: str, part: EmailMessage, where: str) -> Part | str:
    """The attachment's text, or why it was not read."""
    suffix = PurePath(name).suffix.lower()
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    label = f"attachment {name}"
    try:
        if suffix == ".docx":
            return Part(label, docx_text(data, f"{where}, {label}"))
        if suffix in (".txt", ".md") or mime == "text/plain":
            return Part(label, _part_text(part))
    except Unreadable as exc:
        return str(exc).split(": ", 1)[-1]
    if suffix == ".doc":
        return "an old Word .doc; save it as .docx and run intake on that file"
    if suffix == ".pdf":
        return "a PDF; copy its text into a .txt file and run intake on that file"
    return f"{mime}, not text valreg can read"


def _mail_date(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(ZONE)


def _address(value: Any) -> str | None:
    if value is None:
        return None
    _, address = email.utils.parseaddr(str(value))
    return address.lower() if "@" in address else None


class _TextOfHtml(HTMLParser):
    """The text of an HTML mail body: blocks become lines, scripts and styles go."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("p", "div", "blockquote", "h1", "h2", "h3", "h4"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.out.append(" ".join(data.split(" ")))


def html_text(markup: str) -> str:
    """Plain text of an HTML body, one line per block, paragraphs apart."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Word ------------------------------------------------------------------------------


def docx_text(data: bytes, where: str) -> str:
    """A Word document's paragraphs and table rows, in order, paragraphs apart."""
    import docx
    from docx.table import Table

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_DOCX_UNPACKED:
            raise Unreadable(f"{where}: unpacks to {unpacked:,} bytes; too large for a letter")
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))
                    blocks.append("\n".join(c for c in cells if c))
            else:
                blocks.append(item.text)
    except Unreadable:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a broken file
        raise Unreadable(
            f"{where}: not a Word document valreg can read ({type(exc).__name__}); open it in "
            "Word and save it again as .docx"
        ) from None
    return "\n\n".join(block.strip() for block in blocks if block.strip())


# --- Outlook ---------------------------------------------------------------------------

# MAPI property streams of an Outlook .msg ([MS-OXMSG]); 001F is UTF-16, 001E 8-bit text.
_SUBJECT, _BODY, _HTML, _HEADERS = "0037", "1000", "1013", "007D"
_SENDER_SMTP, _SENDER_ADDRESS = "5D01", "0C1F"
_ATTACH_DATA, _ATTACH_LONG_NAME, _ATTACH_NAME = "37010102", "3707", "3704"
#: PidTagClientSubmitTime and PidTagMessageDeliveryTime, PtypTime.
_SUBMIT_TIME, _DELIVERY_TIME = 0x00390040, 0x0E060040


def _from_msg(path: Path, data: bytes) -> Received:
    import olefile

    if not olefile.isOleFile(data=data):
        raise Unreadable(f"{path}: not an Outlook message (no OLE compound file inside)")
    try:
        with olefile.OleFileIO(data) as ole:
            parts, skipped = _msg_parts(ole, str(path))
            headers = _msg_string(ole, [], _HEADERS)
            sent = _msg_time(ole) or (_mail_date(_header(headers, "Date")) if headers else None)
            sender = _msg_string(ole, [], _SENDER_SMTP) or _msg_string(ole, [], _SENDER_ADDRESS)
            if (sender is None or "@" not in sender) and headers:
                sender = _header(headers, "From")
    except Unreadable:
        raise
    except Exception as exc:  # olefile raises OSError, struct.error … on a broken file
        raise Unreadable(
            f"{path}: a broken Outlook message ({type(exc).__name__}); save it again from "
            "Outlook, or as .eml"
        ) from None
    if not parts:
        raise Unreadable(
            f"{path}: the Outlook message has no plain-text or HTML body and no readable "
            "attachment (an RTF-only message: save it as .eml or copy its text into a .txt file)"
        )
    return Received(
        str(path), "Outlook e-mail", tuple(parts), sent, _address(sender), skipped=tuple(skipped)
    )


def _msg_parts(ole: Any, where: str) -> tuple[list[Part], list[str]]:
    parts: list[Part] = []
    body = _msg_string(ole, [], _BODY)
    if body is None:
        html = _msg_stream(ole, [], _HTML + "0102")
        if html is not None:
            body = html_text(html.decode("utf-8", errors="replace"))
    if body is not None and body.strip():
        parts.append(Part("body", body))
    skipped: list[str] = []
    attachments = sorted(
        {entry[0] for entry in ole.listdir() if entry[0].startswith("__attach_version1.0_")}
    )
    for storage in attachments:
        name = _msg_string(ole, [storage], _ATTACH_LONG_NAME)
        name = PurePath(name or _msg_string(ole, [storage], _ATTACH_NAME) or "unnamed").name
        content = _msg_stream(ole, [storage], _ATTACH_DATA)
        suffix = PurePath(name).suffix.lower()
        label = f"attachment {name}"
        if content is not None and suffix == ".docx":
            try:
                parts.append(Part(label, docx_text(content, f"{where}, {label}")))
            except Unreadable as exc:
                skipped.append(f"{name} ({str(exc).split(': ', 1)[-1]})")
        elif content is not None and suffix in (".txt", ".md"):
            parts.append(Part(label, decode_text(content, f"{where}, {label}")))
        else:
            skipped.append(f"{name} (not a .docx, .txt or .md attachment)")
    return parts, skipped


def _msg_stream(ole: Any, storage: list[str], name: str) -> bytes | None:
    path = [*storage, f"__substg1.0_{name}"]
    if not ole.exists(path):
        return None
    data: bytes = ole.openstream(path).read()
    return data


def _msg_string(ole: Any, storage: list[str], tag: str) -> str | None:
    """A string property: UTF-16 (001F) if present, else 8-bit (001E, read as cp1252)."""
    wide = _msg_stream(ole, storage, tag + "001F")
    if wide is not None:
        return wide.decode("utf-16-le", errors="replace").rstrip("\x00")
    narrow = _msg_stream(ole, storage, tag + "001E")
    if narrow is not None:
        return narrow.decode("cp1252", errors="replace").rstrip("\x00")
    return None


def _msg_time(ole: Any) -> dt.datetime | None:
    """The submit (or delivery) time from the message's fixed-size property stream."""
    if not ole.exists("__properties_version1.0"):
        return None
    data = ole.openstream("__properties_version1.0").read()
    found: dict[int, int] = {}
    for offset in range(32, len(data) - 15, 16):  # a 32-byte header, then 16-byte entries
        tag, _flags, value = struct.unpack_from("<IIQ", data, offset)
        found[tag] = value
    for tag in (_SUBMIT_TIME, _DELIVERY_TIME):
        ticks = found.get(tag)
        if ticks:  # FILETIME: 100-nanosecond ticks since 1601-01-01 UTC
            try:
                moment = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
                return (moment + dt.timedelta(microseconds=ticks // 10)).astimezone(ZONE)
            except OverflowError:
                return None
    return None


def _header(headers: str, name: str) -> str | None:
    parsed = email.message_from_string(headers, policy=email.policy.default)
    value = parsed.get(name)
    return None if value is None else str(value)


# --- the issue form --------------------------------------------------------------------

_NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def form_fields(body: str, labels: dict[str, str]) -> dict[str, str] | None:
    """The fields of an issue made with the proposal form, by id; None if it is not one.

    GitHub writes each field as `### <label>`, a blank line and the value, and
    `_No response_` for an empty one. The body counts as the form's when it holds the
    headings of at least two of the form's fields.
    """
    wanted = {_label_key(label): key for label, key in labels.items()}
    found: dict[str, str] = {}
    headings = list(_HEADING.finditer(body))
    for index, heading in enumerate(headings):
        key = wanted.get(_label_key(heading["label"]))
        if key is None:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        value = body[heading.end() : end].strip()
        found[key] = "" if value == _NO_RESPONSE else value
    return found if len(found) >= 2 else None


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split()).rstrip(" ?:")


def _from_issue_json(path: Path, data: bytes, labels: dict[str, str]) -> Received:
    try:
        loaded = json.loads(decode_text(data, str(path)))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise Unreadable(f"{path}: not JSON ({exc})") from None
    issue = loaded.get("issue", loaded) if isinstance(loaded, dict) else None
    body = issue.get("body") if isinstance(issue, dict) else None
    if not isinstance(body, str):
        raise Unreadable(
            f"{path}: not a GitHub issue (no 'body' text, nor an 'issue' with one); save it "
            "with `gh issue view N --json body,author,createdAt,number`"
        )
    assert isinstance(issue, dict)
    fields = form_fields(body, labels)
    if fields is None:
        raise Unreadable(
            f"{path}: the issue was not made with the proposal form (none of its headings "
            "are there); copy its text into a .txt file and run intake on that"
        )
    user = issue.get("user") or issue.get("author")
    login = user.get("login") if isinstance(user, dict) else None
    created = issue.get("created_at") or issue.get("createdAt")
    return Received(
        str(path),
        "issue form",
        (),
        sent=_iso_moment(created),
        form=fields,
        author=login if isinstance(login, str) else None,
    )


def _iso_moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZONE)
