"""A round's letter as data: the editors' letter.md with its placeholders filled from the
registry, addressed to every municipality, to one, or (a reminder) to those that have not
answered. No rendering and no writing.

The placeholders are a small fixed set, `{{ name }}`, replaced by one pass of a regular
expression: nothing of the editors' text is run as a template, and nothing a placeholder
puts in is read again (a value text with `{{` in it stays text). Every text from the
registry is escaped for Markdown before it goes in, so it shows as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from valreg.danish import danish_date, danish_key
from valreg.errors import InvalidRegistry, Refused
from valreg.registry import models
from valreg.registry.check import load_valid_snapshot
from valreg.registry.diagnostics import close_match
from valreg.registry.snapshot import Snapshot, load_snapshot_at
from valreg.versions.release import release_commit, tag_name
from valreg.workflow.state import Standing, select_round, standings

Audience = Literal["all", "missing"]


def letter_path(round_id: str) -> str:
    return f"registry/rounds/{round_id}/letter.md"


#: The placeholders letter.md may use, with what each puts in (README.md documents them).
PLACEHOLDERS: dict[str, str] = {
    "titel": "the round's title",
    "afsender": "the registry's owner (registry.yaml `owner`)",
    "modtager": "who the letter is to: 'alle kommuner', or one municipality's name and code",
    "værdier": "the base release's values as a numbered list",
    "spørgsmål": "the round's questions as a list, in italics",
    "frist": "the deadline as a Danish date: 1. november 2019",
    "dage_tilbage": "days left until the deadline: '12 dage' ('0 dage' once it has passed)",
    "svarside": "the round's answer form on the site (registry.yaml `site`)",
    "repository": "the round's proposal folder in the repository (registry.yaml `repository`); "
    "in a letter to one municipality, the page that adds its answer file",
    "kontakt": "the editors' office and mailbox (registry.yaml `contact`)",
}
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
#: Marks the notes of `round open`'s draft that the editors replace.
DRAFT_NOTE = "[Redaktionen:"


@dataclass(frozen=True, slots=True)
class Recipient:
    """A municipality a letter goes to."""

    code: str
    name: str
    region: str

    @property
    def stem(self) -> str:
        """Its letter's file name without the extension: `461-odense`."""
        return f"{self.code}-{models.slugify(self.name) or 'kommune'}"


@dataclass(frozen=True)
class Letter:
    """One letter, ready to render: Markdown with every placeholder filled."""

    registry: str
    owner: str
    language: str
    round_id: str
    title: str
    #: The day at the top right: the round's opening day (a reminder: today), or none.
    date: dt.date | None
    #: To one municipality (`--per-municipality`), else None.
    recipient: Recipient | None
    reminder: bool
    markdown: str
    today: dt.date

    @property
    def heading(self) -> str:
        """What the letter is, for a page title or document properties."""
        kind = "Påmindelse" if self.reminder else "Høringsbrev"
        to = f" til {self.recipient.name}" if self.recipient else ""
        return f"{kind}{to}: {self.title}"


@dataclass(frozen=True)
class LetterSource:
    """What every letter of a round is made from, read once."""

    snapshot: Snapshot
    round: models.Round
    registry: models.Registry
    path: str
    text: str
    #: The base release's values as (number, text), in order; empty without a base.
    values: tuple[tuple[int, str], ...]


def load_letter_source(
    root: Path,
    round_id: str | None,
    *,
    worktree: Snapshot | None = None,
    releases: Mapping[str, Snapshot] | None = None,
) -> LetterSource:
    """The round (None: the one open round), its letter.md and its base release's values
    (from the release's commit, as they were sent out). Refuses an invalid registry and a
    round without letter.md."""
    snapshot = worktree if worktree is not None else load_valid_snapshot(root, "a letter")
    round_ = select_round(snapshot, round_id)
    registry = snapshot.registry
    assert registry is not None  # a valid snapshot has one
    path = letter_path(round_.id)
    try:
        text = (root / path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Refused(
            f"{path} does not exist; write the round's letter there in Markdown "
            "(`valreg round open` writes a draft for new rounds)"
        ) from None
    except UnicodeDecodeError:
        raise Refused(f"{path} is not UTF-8; save it as UTF-8") from None
    values: tuple[tuple[int, str], ...] = ()
    if round_.base is not None:
        base = (releases or {}).get(round_.base)
        if base is None:
            commit = release_commit(root, tag_name(snapshot, round_.base), round_.base)
            base = load_snapshot_at(root, commit)
        values = _release_values(base, round_.base)
    return LetterSource(snapshot, round_, registry, path, text.removeprefix("\ufeff"), values)


def _release_values(snapshot: Snapshot, version: str) -> tuple[tuple[int, str], ...]:
    parsed = snapshot.releases.get(version)
    if parsed is None or parsed.model is None:
        raise InvalidRegistry(f"release {version} is not valid in its own commit")
    values = []
    for entry in parsed.model.values:
        value = snapshot.values.get(entry.id)
        if value is None or value.model is None:
            raise InvalidRegistry(f"values/{entry.id}.yaml is not valid in release {version}")
        values.append((entry.number, value.model.text))
    return tuple(values)


# --- recipients ---------------------------------------------------------------------------


def recipients(source: LetterSource, to: Audience = "all") -> list[Recipient]:
    """The letter's recipients: `consulted` in its round."""
    return consulted(source.snapshot, source.round, to)


def consulted(snapshot: Snapshot, round_: models.Round, to: Audience = "all") -> list[Recipient]:
    """The municipalities consulted in a round (`missing`: those with no proposal file in
    it; a late answer and one with no remarks count as answered), in Danish alphabetical
    order of their names ("Aa" as "Å", after "Z")."""
    standing = standings(snapshot, round_)
    known = snapshot.municipalities
    chosen = [
        Recipient(code, known[code].name, known[code].region)
        for code, s in standing.items()
        if code in known and (to == "all" or s is Standing.NO_ANSWER)
    ]
    return sorted(chosen, key=lambda r: (danish_key(r.name), r.code))


# --- filling in ---------------------------------------------------------------------------


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
#: What would start a list, a heading or a quote if the text began a line.
_LINE_START = re.compile(r"^(?:([0-9]+)([.)])|([-+=#]))")


def markdown_text(text: str) -> str:
    """Registry text as Markdown that shows it as written, on one line."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LINE_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[1] is not None else f"\\{m[3]}", escaped
    )


def markdown_url(url: str) -> str:
    """An http(s) or mailto URL as a Markdown autolink (`<…>` cannot end it early)."""
    quoted = "".join(f"%{ord(c):02X}" if c in '<>"\\` ' or ord(c) < 32 else c for c in url)
    return f"<{quoted}>"


def _days(n: int) -> str:
    n = max(n, 0)
    return "1 dag" if n == 1 else f"{n} dage"


def _site_url(registry: models.Registry, round_id: str) -> str | None:
    if registry.site is None:
        return None
    return f"{registry.site.rstrip('/')}/runder/{round_id}/svar.html"


def _repository_url(
    registry: models.Registry, round_id: str, recipient: Recipient | None
) -> str | None:
    """The round's proposal folder; for one municipality, GitHub's page that adds its file
    there (`new/<branch>/<folder>?filename=<code>-<name>.yaml`)."""
    if registry.repository is None:
        return None
    base = registry.repository.rstrip("/")
    folder = f"proposals/{round_id}"
    if recipient is None:
        return f"{base}/tree/{registry.branch}/{folder}"
    return f"{base}/new/{registry.branch}/{folder}?filename={recipient.stem}.yaml"


class _Fill:
    """The placeholders' values for one letter; a missing one says why, at its line."""

    def __init__(
        self, source: LetterSource, today: dt.date, recipient: Recipient | None, to: Audience
    ) -> None:
        self.source = source
        self.today = today
        self.recipient = recipient
        self.to = to

    def value(self, name: str, line: int) -> str:
        makers: dict[str, Callable[[], str | None]] = {
            "titel": lambda: markdown_text(self.source.round.title),
            "afsender": lambda: markdown_text(self.source.registry.owner),
            "modtager": self._to,
            "værdier": self._values,
            "spørgsmål": self._questions,
            "frist": lambda: danish_date(self.source.round.deadline),
            "dage_tilbage": lambda: _days((self.source.round.deadline - self.today).days),
            "svarside": self._site,
            "repository": self._repository,
            "kontakt": self._contact,
        }
        made = makers[name]()
        if made is None:
            raise Refused(f"{self.source.path}:{line}: {{{{ {name} }}}} {self._why_not(name)}")
        return made

    def _why_not(self, name: str) -> str:
        round_id = self.source.round.id
        return {
            "værdier": f"has nothing to show: round {round_id} has no base release",
            "spørgsmål": f"has nothing to show: round {round_id} asks no questions",
            "svarside": "needs the site's address: add `site: https://…` to registry/registry.yaml",
            "repository": "needs the repository's address: add `repository: https://…` to "
            "registry/registry.yaml",
            "kontakt": "needs the editors' contact: add `contact:` with `office:` (and a "
            "functional `email:`) to registry/registry.yaml",
        }[name]

    def _to(self) -> str:
        if self.recipient is not None:
            return f"{markdown_text(self.recipient.name)} (kommunekode {self.recipient.code})"
        return "de kommuner, der endnu ikke har svaret" if self.to == "missing" else "alle kommuner"

    def _values(self) -> str | None:
        if not self.source.values:
            return None
        return "\n".join(f"{n}. {markdown_text(text)}" for n, text in self.source.values)

    def _questions(self) -> str | None:
        questions = self.source.round.questions
        if not questions:
            return None
        return "\n".join(f"- *{markdown_text(q.text)}*" for q in questions)

    def _site(self) -> str | None:
        url = _site_url(self.source.registry, self.source.round.id)
        if url is None:
            return None
        if self.recipient is not None:
            url += f"?kommune={self.recipient.code}"
        return markdown_url(url)

    def _repository(self) -> str | None:
        url = _repository_url(self.source.registry, self.source.round.id, self.recipient)
        return markdown_url(url) if url is not None else None

    def _contact(self) -> str | None:
        contact = self.source.registry.contact
        if contact is None:
            return None
        said = markdown_text(contact.office)
        if contact.email:  # EMAIL allows no space, bracket or parenthesis
            said += f", [{markdown_text(contact.email)}](mailto:{contact.email})"
        return said


def fill(source: LetterSource, fill_: _Fill) -> str:
    """letter.md with every placeholder replaced; an unknown one is refused with its line
    and the known ones."""
    out = []
    for number, line in enumerate(source.text.splitlines(keepends=True), start=1):

        def replace_one(match: re.Match[str], number: int = number) -> str:
            name = match.group(1).strip()
            if name not in PLACEHOLDERS:
                raise Refused(_unknown(source.path, number, name))
            return fill_.value(name, number)

        out.append(_PLACEHOLDER.sub(replace_one, line))
    return "".join(out)


def _unknown(path: str, line: int, name: str) -> str:
    match = close_match(name, PLACEHOLDERS)
    hint = f"did you mean {{{{ {match} }}}}? " if match else ""
    known = ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS)
    return f"{path}:{line}: unknown placeholder {{{{ {name} }}}}; {hint}known: {known}"


# --- the letters --------------------------------------------------------------------------


def _reminder(source: LetterSource, today: dt.date, recipient: Recipient | None) -> str:
    """The reminder's opening: who has not answered, and the deadline."""
    round_ = source.round
    if recipient is not None:
        who = (
            f"Vi har endnu ikke modtaget et høringssvar fra {markdown_text(recipient.name)} "
            f"(kommunekode {recipient.code})."
        )
    else:
        missing = [markdown_text(r.name) for r in recipients(source, "missing")]
        listed = ", ".join(missing[:-1]) + f" og {missing[-1]}" if len(missing) > 1 else missing[0]
        count = "1 kommune" if len(missing) == 1 else f"{len(missing)} kommuner"
        who = f"Vi har endnu ikke modtaget høringssvar fra disse {count}: {listed}."
    days = (round_.deadline - today).days
    if days >= 0:
        when = f"Fristen er den {danish_date(round_.deadline)}; der er {_days(days)} tilbage."
    else:
        when = f"Fristen var den {danish_date(round_.deadline)}."
    return f"**Påmindelse**\n\n{who}\n\n{when} Høringsbrevet følger herunder.\n\n---\n\n"


def build_letter(
    source: LetterSource,
    *,
    today: dt.date,
    to: Audience = "all",
    recipient: Recipient | None = None,
) -> Letter:
    """The letter to everyone (or, `to="missing"`, the reminder to those who have not
    answered), or to one `recipient`."""
    round_ = source.round
    reminder = to == "missing"
    if reminder and round_.closed:
        raise Refused(f"round {round_.id} is closed; it takes no more answers to remind of")
    if reminder and recipient is None and not recipients(source, "missing"):
        raise Refused(f"every municipality has answered round {round_.id}; no one to remind")
    body = fill(source, _Fill(source, today, recipient, to))
    if reminder:
        body = _reminder(source, today, recipient) + body
    registry = source.registry
    return Letter(
        registry=registry.name,
        owner=registry.owner,
        language=registry.language,
        round_id=round_.id,
        title=round_.title,
        date=today if reminder else round_.opens,
        recipient=recipient,
        reminder=reminder,
        markdown=body,
        today=today,
    )


def build_letters(source: LetterSource, *, today: dt.date, to: Audience = "all") -> list[Letter]:
    """One letter per municipality addressed (all, or those missing), for a mail merge.
    letter.md must name the addressee with {{ modtager }}."""
    named = {m.group(1).strip() for m in _PLACEHOLDER.finditer(source.text)}
    if "modtager" not in named:
        raise Refused(
            f"{source.path} has no {{{{ modtager }}}}: a letter per municipality names it "
            "there (e.g. 'Til {{ modtager }}'); add it to the salutation"
        )
    addressed = recipients(source, to)
    if not addressed:
        raise Refused(f"every municipality has answered round {source.round.id}; no one to remind")
    return [build_letter(source, today=today, to=to, recipient=r) for r in addressed]


__all__ = [
    "PLACEHOLDERS",
    "Letter",
    "LetterSource",
    "Recipient",
    "build_letter",
    "build_letters",
    "load_letter_source",
    "recipients",
]
