"""Pydantic models of every registry file kind (DESIGN.md "Data model"). No I/O.

Models are frozen and forbid unknown keys. Scalar types are strict where YAML is
ambiguous: an id, version or round written as a number is refused (the loader keeps
its source text so the message can say how to quote it), while a municipality code
may be written `461`, `"461"` or `"0461"`. Dates are ISO dates written as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ROUND_ID = r"^[0-9a-z]+(-[0-9a-z]+)*$"
CALENDAR_VERSION = r"^[0-9]{4}\.[1-9][0-9]*$"
CHANGE_ID = r"^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$"
LOGIN = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
SHA256 = r"^[0-9a-f]{64}$"
URL = r"^https?://[^\s]+$"
DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$"
EMAIL = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
BRANCH = r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$"
LANGUAGE = r"^[a-z]{2,3}$"
TAG_PREFIX = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,40}$"
GLOBAL_CHANGE_ID = r"^[0-9a-z]+(-[0-9a-z]+)*/[0-9]{1,4}-[a-z0-9]+(-[a-z0-9]+)*#[A-Za-z0-9._-]+$"


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("blank_text")
    return text


def _strict_str(value: Any) -> Any:
    # bool is an int in Python; neither may stand where text is expected.
    if isinstance(value, bool | int | float):
        raise ValueError("number_not_text")
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("not_iso_date")


def _municipality_code(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("not_code")
    if isinstance(value, int) and 0 < value < 1000:
        return f"{value:03d}"
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,4}", value) and 0 < int(value) < 1000:
        return f"{int(value):03d}"
    raise ValueError("not_code")


Text = Annotated[
    str,
    AfterValidator(_not_blank),
    BeforeValidator(_strict_str),
    WithJsonSchema({"type": "string", "pattern": r"\S", "maxLength": 2000}),
]
"""Free text: non-blank (length and characters are bounded by the loader)."""

Slug = Annotated[str, StringConstraints(pattern=SLUG), BeforeValidator(_strict_str)]
RoundId = Annotated[str, StringConstraints(pattern=ROUND_ID), BeforeValidator(_strict_str)]
Version = Annotated[str, StringConstraints(pattern=CALENDAR_VERSION), BeforeValidator(_strict_str)]
ChangeId = Annotated[str, StringConstraints(pattern=CHANGE_ID), BeforeValidator(_strict_str)]
GlobalChangeId = Annotated[
    str, StringConstraints(pattern=GLOBAL_CHANGE_ID), BeforeValidator(_strict_str)
]
Login = Annotated[
    str, StringConstraints(pattern=LOGIN, max_length=39), BeforeValidator(_strict_str)
]
Domain = Annotated[
    str, StringConstraints(pattern=DOMAIN, max_length=253), BeforeValidator(_strict_str)
]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256), BeforeValidator(_strict_str)]
Url = Annotated[str, StringConstraints(pattern=URL), BeforeValidator(_strict_str)]
Email = Annotated[
    str, StringConstraints(pattern=EMAIL, max_length=254), BeforeValidator(_strict_str)
]

IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    ),
]

MunicipalityCode = Annotated[
    str,
    BeforeValidator(_municipality_code),
    WithJsonSchema(
        {
            "description": 'Official municipality code: 461, "461" and "0461" all mean 461',
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 999},
                {"type": "string", "pattern": r"^[0-9]{1,4}$"},
            ],
        }
    ),
]


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        str_strip_whitespace=False,
        validate_default=False,
        use_attribute_docstrings=True,
        # Validators are built when a kind of file is first read, not on import: a check
        # of a few files (`check --since`) reads only some kinds.
        defer_build=True,
    )


# --- registry/ ------------------------------------------------------------------------


class Registry(Model):
    """registry/registry.yaml: what this registry is."""

    name: Text
    """The registry's public name."""
    owner: Text
    """The organisation that owns the registry."""
    language: Annotated[str, StringConstraints(pattern=LANGUAGE), BeforeValidator(_strict_str)]
    """Language of the published texts (ISO 639-1), e.g. `da`."""
    tag_prefix: Annotated[
        str,
        StringConstraints(pattern=TAG_PREFIX),
        BeforeValidator(_strict_str),
    ] = "values/"
    """Prefix of the release tags: `values/` gives `values/2019.1`."""
    versioning: Literal["calendar"] = "calendar"
    """`calendar`: versions are YYYY.N (2019.1, 2019.2 …)."""
    editors: list[Login] = Field(default_factory=list)
    """Logins that may decide, apply and release."""
    site: Url | None = None
    """Where `valreg site` is published, e.g. `https://example.org/vaerdier/`; letters
    link to a round's page there."""
    repository: Url | None = None
    """The repository's web address, e.g. `https://github.com/org/registry`; letters link
    to a round's folder there, for answers sent as pull requests."""
    branch: Annotated[
        str, StringConstraints(pattern=BRANCH, max_length=100), BeforeValidator(_strict_str)
    ] = "main"
    """The repository's branch that pull requests go to."""
    similarity: Annotated[int, Field(ge=50, le=100, strict=True)] = 90
    """How alike two proposed texts (or answers) must be, 50-100, for review, status and
    the report to group them as saying the same (rapidfuzz's ratio of their words without
    case or punctuation); 100 groups only identical texts."""
    contact: Contact | None = None
    """The editors' organisational contact, which letters name: an office and a
    functional mailbox, never a person."""


class Contact(Model):
    """registry.yaml's `contact`: where municipalities write to the editors."""

    office: Text
    """An office or a secretariat, e.g. `KL's sekretariat`; never a person."""
    email: Email | None = None
    """A functional mailbox of the office (post@…, hoering@…); never a person's own."""


class Municipality(Model):
    """One entry of registry/municipalities.yaml."""

    code: MunicipalityCode
    name: Text
    region: Text
    logins: list[Login] = Field(default_factory=list)
    """Logins that may open pull requests for this municipality."""
    domains: list[Domain] = Field(default_factory=list)
    """Mail domains the municipality writes from (`odense.dk`): `valreg intake` knows the
    sender by them."""


class Question(Model):
    id: Slug
    text: Text


class Round(Model):
    """registry/rounds/<round>/round.yaml: one consultation round."""

    id: RoundId
    title: Text
    base: Version | None = None
    """The release sent out for comments; question-only rounds have none."""
    opens: IsoDate | None = None
    deadline: IsoDate
    """Last day for submissions, inclusive (Europe/Copenhagen)."""
    closed: StrictBool = False
    """No new proposals once closed."""
    answered_elsewhere: Annotated[int, Field(ge=0, strict=True)] | None = None
    """Answers received outside the registry and not published here."""
    questions: list[Question] = Field(default_factory=list)


class Adoption(Model):
    body: Text
    date: IsoDate
    minutes: Url | None = None


class ReleasedValue(Model):
    id: Slug
    number: Annotated[int, Field(ge=1, strict=True)]
    sha256: Sha256


class Release(Model):
    """registry/releases/<version>.yaml: the manifest of one release."""

    version: Version
    title: Text
    status: Literal["draft", "adopted"]
    date: IsoDate
    previous: Version | None
    rounds: list[RoundId] = Field(default_factory=list)
    adopted_by: Adoption | None = None
    values: list[ReleasedValue]

    @model_validator(mode="after")
    def _adoption_fits_status(self) -> Release:
        if self.status == "adopted" and self.adopted_by is None:
            raise ValueError("adoption_missing:status")
        if self.status == "draft" and self.adopted_by is not None:
            raise ValueError("adoption_on_draft:adopted_by")
        return self


class ReleaseAdoption(Model):
    """registry/releases/<version>.adoption.yaml: the adoption of a draft release, recorded
    after it was released (`valreg adopt`); the manifest itself is never rewritten."""

    version: Version
    """The release adopted: the version in the file name."""
    adopted_by: Adoption
    """Who adopted it, when, and (optionally) a link to the minutes."""


class Decision(Model):
    """One entry of registry/rounds/<round>/decisions.yaml."""

    change: GlobalChangeId
    change_sha256: Sha256
    decision: Literal["accept", "reject", "modify", "note"]
    id: Slug | None = None
    """The id (and file name) of the value an accepted or modified add creates; without it,
    apply makes one from the value's text."""
    text: Text | None = None
    reason: Text | None = None
    date: IsoDate
    editor: Login
    combined_with: list[GlobalChangeId] | None = None
    """The other changes of one combined text (`valreg decide … modify --combine`): each is
    decided `modify` with the same text, and names this one."""

    @model_validator(mode="after")
    def _fields_fit_decision(self) -> Decision:
        if self.decision == "modify" and self.text is None:
            raise ValueError("modify_needs_text")
        if self.decision != "modify" and self.text is not None:
            raise ValueError("text_only_on_modify:text")
        if self.decision != "modify" and self.combined_with is not None:
            raise ValueError("combined_only_on_modify:combined_with")
        if self.decision != "accept" and self.reason is None:
            raise ValueError("reason_required")
        return self


# --- values/ --------------------------------------------------------------------------


class Value(Model):
    """values/<id>.yaml: one value of the set."""

    id: Slug
    number: Annotated[int, Field(ge=1, strict=True)]
    title: Text | None = None
    status: Literal["active", "retired"] = "active"
    retired_in: Version | None = None
    """Stamped by the release that first leaves the value out."""
    merged_into: Slug | None = None
    text: Text

    @model_validator(mode="after")
    def _retirement_fields(self) -> Value:
        if self.status == "active" and self.merged_into is not None:
            raise ValueError("active_with_retirement:merged_into")
        if self.status == "active" and self.retired_in is not None:
            raise ValueError("active_with_retirement:retired_in")
        return self


#: A value file's keys in their documented order (where an edit inserts a new key).
VALUE_KEYS = tuple(Value.model_fields)

# --- proposals/ -----------------------------------------------------------------------


class _Change(Model):
    id: ChangeId
    rationale: Text | None = None


class Amend(_Change):
    kind: Literal["amend"]
    value: Slug
    text: Text


class Add(_Change):
    kind: Literal["add"]
    after: Slug | None
    """The value the new one follows; null puts it first."""
    text: Text


class Remove(_Change):
    kind: Literal["remove"]
    value: Slug


class Merge(_Change):
    kind: Literal["merge"]
    values: Annotated[list[Slug], Field(min_length=2)]
    """The first survives with the new text; the others retire into it."""
    text: Text

    @model_validator(mode="after")
    def _distinct(self) -> Merge:
        if len(set(self.values)) != len(self.values):
            raise ValueError("merge_repeats_value:values")
        return self


class Move(_Change):
    kind: Literal["move"]
    value: Slug
    after: Slug | None


class Comment(_Change):
    kind: Literal["comment"]
    value: Slug | None = None
    text: Text


Change = Annotated[
    Amend | Add | Remove | Merge | Move | Comment,
    Field(discriminator="kind"),
]

#: The kinds of change, in the order documentation and reports list them.
CHANGE_KINDS = ("amend", "add", "remove", "merge", "move", "comment")

#: The decisions an editor can take, and which of them each kind of change can take
#: (DESIGN.md "Rules that follow": modify carries text; a comment is noted or rejected).
DECISIONS = ("accept", "reject", "modify", "note")
ALLOWED_DECISIONS = {
    "amend": ("accept", "reject", "modify"),
    "add": ("accept", "reject", "modify"),
    "merge": ("accept", "reject", "modify"),
    "remove": ("accept", "reject"),
    "move": ("accept", "reject"),
    "comment": ("note", "reject"),
}


class Approval(Model):
    body: Literal["udvalg", "forvaltning"]
    """`udvalg` (a political committee) or `forvaltning` (the administration)."""
    date: IsoDate | None = None
    minutes: Url | None = None


class Answer(Model):
    question: Slug
    text: Text


class Proposal(Model):
    """proposals/<round>/<code>-<slug>.yaml: one municipality's submission."""

    round: RoundId
    municipality: MunicipalityCode
    submitted: IsoDate
    base: Version | None = None
    submitted_by: Text | None = None
    """An office or committee, never a person."""
    approved_by: Approval | None = None
    changes: list[Change] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)


_TRANSLITERATION = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
)


def slugify(text: str) -> str:
    """Text as a slug of a-z, 0-9 and '-': `Lyngby-Taarbæk` → `lyngby-taarbaek`."""
    # NFC first, so that a decomposed å is one character for the table.
    lowered = unicodedata.normalize("NFC", text).lower().translate(_TRANSLITERATION)
    plain = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def version_key(version: str) -> tuple[int, int]:
    """A calendar version YYYY.N as numbers, so that 2019.10 sorts after 2019.2."""
    year, n = version.split(".")
    return int(year), int(n)


def change_digest(change: Amend | Add | Remove | Merge | Move | Comment) -> str:
    """The sha256 a decision records: of the change's canonical JSON, texts in NFC.

    Reformatting the YAML does not change it; editing any field of the change does.
    """
    # The fields of a change are all text (or lists of text), so its JSON dump is its
    # fields without the unset ones; tests check this equals model_dump(mode="json").
    data = {key: value for key, value in vars(change).items() if value is not None}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(unicodedata.normalize("NFC", canonical).encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    """sha256(NFC(text)) as release manifests record it."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


#: The file kinds and their top-level types, as `valreg schema` exports them.
FILE_KINDS: dict[str, Any] = {
    "registry": Registry,
    "municipalities": list[Municipality],
    "round": Round,
    "decisions": list[Decision],
    "release": Release,
    "adoption": ReleaseAdoption,
    "value": Value,
    "proposal": Proposal,
}
