"""Cross-file rules over a Snapshot → Diagnostics. No I/O.

Single-file rules (shape, types, patterns) live in the models and come from
`parse_file`; everything that needs two files, or knowledge of the registry, is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from valreg.registry import models
from valreg.registry.diagnostics import Diagnostic, close_match, make
from valreg.registry.facts import Context
from valreg.registry.parse import Parsed
from valreg.registry.snapshot import MUNICIPALITIES_FILE, REGISTRY_FILE, Snapshot
from valreg.registry.typography import check_typography
from valreg.registry.yamlio import document_strings

PROPOSAL_STEM = re.compile(r"(?P<code>[0-9]{1,4})-[a-z0-9]+(-[a-z0-9]+)*")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Phone numbers: +45/0045 numbers, Danish numbers grouped in pairs (33 70 33 70), any
# international number with a leading +, and eight digits (33703370, 3370 3370) after a
# word such as "tlf." or "ring" (alone, eight digits are as often a CVR number or years).
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)45 ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}(?![0-9])"
    r"|(?<![\w.,/:-])[0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2}(?![\w,/:-]|\.[0-9])"
    r"|\+[1-9][0-9 ]{7,14}[0-9]"
    r"|(?i:\b(?:tlf|telefon\w*|mobil\w*|ring\w*|phone|tel|sms)\b\.?:?(?: på)? *)"
    r"[0-9]{4} ?[0-9]{4}(?![0-9])"
)


def check_snapshot(snapshot: Snapshot, *, personal_data: bool = True) -> list[Diagnostic]:
    """Every diagnostic of the snapshot's files: their own and the cross-file rules'.

    The cross-file rules consult `snapshot.context`, the facts of the whole registry, so a
    snapshot that holds only some of the files (`check --since`) checks just those.
    Without `personal_data`, the caller has run `check_personal_data` on each proposal
    and `check_typography` on each file itself (while it still had the document's data).
    """
    found: list[Diagnostic] = list(snapshot.problems)
    for parsed in snapshot.files.values():
        found.extend(parsed.diagnostics)
        if personal_data:
            found.extend(check_typography(parsed))
    found.extend(_check_registry(snapshot))
    found.extend(_check_municipalities(snapshot))
    found.extend(_check_values(snapshot))
    found.extend(_check_rounds(snapshot))
    found.extend(_check_releases(snapshot))
    found.extend(_check_adoptions(snapshot))
    found.extend(_check_proposals(snapshot, personal_data=personal_data))
    found.extend(_check_decisions(snapshot))
    found.extend(_check_decision_ids(snapshot))
    found.extend(_check_combined_decisions(snapshot))
    return found


def _at(
    parsed: Parsed, code: str, message: str, *loc: str | int, da: str, key: bool = False
) -> Diagnostic:
    """A diagnostic at a node of a parsed file, in English (`message`) and Danish (`da`)."""
    line, col = parsed.position(*loc, key=key)
    return make(parsed.path, line, col, code, message, da=da)


def _known(names: Any, limit: int = 12, *, danish: bool = False) -> str:
    if isinstance(names, frozenset):  # the registry's ids: the same set for every file
        return _known_ids(names, limit, danish)
    return _known_ids(frozenset(names), limit, danish)


@lru_cache(maxsize=16)
def _known_ids(names: frozenset[str], limit: int, danish: bool) -> str:
    ordered = sorted(names)
    shown = ", ".join(ordered[:limit])
    more = f" … ({len(ordered)} {'i alt' if danish else 'in all'})" if len(ordered) > limit else ""
    return shown + more or ("ingen" if danish else "none")


# --- municipalities ---------------------------------------------------------------------


def _check_municipalities(snapshot: Snapshot) -> Iterator[Diagnostic]:
    parsed = snapshot.files.get(MUNICIPALITIES_FILE)
    if parsed is None or parsed.model is None:
        return
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    for i, municipality in enumerate(parsed.model):
        if municipality.code in seen_codes:
            yield _at(
                parsed,
                "R711",
                f"code {municipality.code} is listed twice",
                i,
                "code",
                da=f"koden {municipality.code} er opført to gange",
            )
        if municipality.name in seen_names:
            yield _at(
                parsed,
                "R711",
                f"name '{municipality.name}' is listed twice",
                i,
                "name",
                da=f"navnet '{municipality.name}' er opført to gange",
            )
        seen_codes.add(municipality.code)
        seen_names.add(municipality.name)


# --- values -----------------------------------------------------------------------------


def _check_values(snapshot: Snapshot) -> Iterator[Diagnostic]:
    context = snapshot.context
    valid = {stem: p for stem, p in snapshot.values.items() if p.model is not None}
    for stem, parsed in valid.items():
        value: models.Value = parsed.model
        if value.id != stem:
            yield _at(
                parsed,
                "V401",
                f"id '{value.id}' differs from the file name; rename the file to "
                f"values/{value.id}.yaml or set id: {stem}",
                "id",
                da=f"id '{value.id}' passer ikke med filnavnet; omdøb filen til "
                f"values/{value.id}.yaml, eller skriv id: {stem}",
            )
        if value.merged_into is not None and (
            value.merged_into not in context.values or value.merged_into == stem
        ):
            yield _at(
                parsed,
                "V404",
                f"merged_into '{value.merged_into}' is not another value; "
                f"known values: {_known(context.values - {stem})}",
                "merged_into",
                da=f"merged_into '{value.merged_into}' er ikke en anden værdi; "
                f"kendte værdier: {_known(context.values - {stem}, danish=True)}",
            )
    active = [p for p in valid.values() if p.model.status == "active"]
    # An unreadable value file has an unknown number: numbering is judged once it is fixed.
    judge_range, total, missing = context.judge_range, context.total, context.missing
    holders = context.holders
    for parsed in sorted(active, key=lambda p: p.path):
        number = parsed.model.number
        others = [f"values/{stem}.yaml" for stem in holders[number] if stem != parsed.stem]
        if others:
            yield _at(
                parsed,
                "V402",
                f"number {number} is also used by {', '.join(sorted(others))}; "
                "active values need distinct numbers",
                "number",
                da=f"nummer {number} bruges også af {', '.join(sorted(others))}; "
                "aktive værdier skal have hver sit nummer",
            )
        if judge_range and number > total:
            yield _at(
                parsed,
                "V403",
                f"number {number} is outside 1..{total} ({total} active values); "
                f"unused numbers: {', '.join(map(str, missing)) or 'none'}",
                "number",
                da=f"nummer {number} ligger uden for 1..{total} ({total} aktive værdier); "
                f"ubrugte numre: {', '.join(map(str, missing)) or 'ingen'}",
            )


# --- registry.yaml ----------------------------------------------------------------------

#: Words that make a name an office's or a committee's, not a person's; found inside
#: compounds too ("Børne- og Ungeudvalget", "Skoleafdelingen", "Byrådet").
_OFFICE_WORDS = re.compile(
    r"udvalg|forvaltning|afdeling|center|centre|sekretariat|kommun|kontor|redaktion|enhed"
    r"|direktion|direktør|råd|administration|ledelse|sektion|myndighed|region|borgmester"
    r"|magistrat|bestyrelse|styrelse|ministeri|skole|institution|tilbud|område|gruppe"
    r"|netværk|forum|service|\b(?:kl|ppr)\b"
    r"|office|secretariat|committee|department|team|council|board|division|municipality",
    re.IGNORECASE,
)
#: Two or three capitalised words ("Jens Ive", "Anne Marie Holm"): how a person is named.
_PERSON_NAME = re.compile(
    r"[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?(?: [A-ZÆØÅ]\.?|"
    r" [A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?){1,2}"
)
#: A mailbox named by initials (flje@…) or by first and last name (jens.ive@…).
_PERSONAL_MAILBOX = re.compile(r"[a-zæøå]{2,4}|[a-zæøå]+[._][a-zæøå]+", re.IGNORECASE)


def looks_like_person(name: str) -> bool:
    """Whether a name reads like a person's: two or three capitalised words and none of
    the words that name an office or a committee."""
    return _PERSON_NAME.fullmatch(name.strip()) is not None and not _OFFICE_WORDS.search(name)


def _check_registry(snapshot: Snapshot) -> Iterator[Diagnostic]:
    """The editors' contact names an office and a functional mailbox, never a person."""
    parsed = snapshot.files.get(REGISTRY_FILE)
    if parsed is None or parsed.model is None or parsed.model.contact is None:
        return
    contact: models.Contact = parsed.model.contact
    if looks_like_person(contact.office):
        yield _at(
            parsed,
            "R720",
            f"contact office '{contact.office}' looks like a person's name; name the office "
            "or secretariat that answers (letters print it, and nothing published names a "
            "person)",
            "contact",
            "office",
            da=f"kontaktens office '{contact.office}' ligner et personnavn; skriv det kontor "
            "eller sekretariat, der svarer (brevene viser det, og intet offentliggjort må "
            "nævne en person)",
        )
    local = (contact.email or "").partition("@")[0]
    if local and _PERSONAL_MAILBOX.fullmatch(local):
        yield _at(
            parsed,
            "R720",
            f"contact email '{contact.email}' looks like a person's mailbox (initials or a "
            "name); give the office's functional mailbox, e.g. post@… or hoering@…",
            "contact",
            "email",
            da=f"kontaktens e-mailadresse '{contact.email}' ligner en persons postkasse (initialer "
            "eller et navn); skriv kontorets fælles postkasse, fx post@… eller hoering@…",
        )


# --- rounds -----------------------------------------------------------------------------


def _check_rounds(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for folder, parsed in snapshot.rounds.items():
        round_: models.Round | None = parsed.model
        if round_ is None:
            continue
        if round_.id != folder:
            yield _at(
                parsed,
                "R701",
                f"id '{round_.id}' differs from its folder '{folder}'",
                "id",
                da=f"id '{round_.id}' passer ikke med mappen '{folder}'",
            )
        releases = snapshot.context.releases
        if round_.base is not None and round_.base not in releases:
            yield _at(
                parsed,
                "R702",
                f"base '{round_.base}' is not a release; releases: {_known(releases)}",
                "base",
                da=f"base '{round_.base}' er ikke en udgave; "
                f"udgaver: {_known(releases, danish=True)}",
            )
        if round_.opens is not None and round_.opens > round_.deadline:
            yield _at(
                parsed,
                "R703",
                f"opens {round_.opens} is after the deadline {round_.deadline}",
                "opens",
                da=f"opens {round_.opens} ligger efter fristen {round_.deadline}",
            )
        seen: set[str] = set()
        for i, question in enumerate(round_.questions):
            if question.id in seen:
                yield _at(
                    parsed,
                    "R704",
                    f"question id '{question.id}' is used twice",
                    "questions",
                    i,
                    "id",
                    da=f"spørgsmåls-id '{question.id}' er brugt to gange",
                )
            seen.add(question.id)


# --- releases ---------------------------------------------------------------------------


def _check_releases(snapshot: Snapshot) -> Iterator[Diagnostic]:
    context = snapshot.context
    valid = {stem: p for stem, p in snapshot.releases.items() if p.model is not None}
    expected_previous = context.expected_previous
    for stem, parsed in valid.items():
        release: models.Release = parsed.model
        if release.version != stem:
            yield _at(
                parsed,
                "R705",
                f"version '{release.version}' differs from the file name; set "
                f'version: "{stem}" or rename the file to '
                f"registry/releases/{release.version}.yaml",
                "version",
                da=f"version '{release.version}' passer ikke med filnavnet; skriv "
                f'version: "{stem}", eller omdøb filen til '
                f"registry/releases/{release.version}.yaml",
            )
            continue
        yield from _check_previous(parsed, release, context.releases, expected_previous.get(stem))
        yield from _check_release_rounds(parsed, release, snapshot)
        yield from _check_release_values(parsed, release, context.values)
        yield from _check_release_numbers(parsed, release)


def _check_previous(
    parsed: Parsed, release: models.Release, releases: frozenset[str], wanted: str | None
) -> Iterator[Diagnostic]:
    """R708/R712: `previous` names a release, and the one just before this (`wanted`)."""
    if release.previous is not None and release.previous not in releases:
        yield _at(
            parsed,
            "R708",
            f"previous '{release.previous}' is not a release; releases: {_known(releases)}",
            "previous",
            da=f"previous '{release.previous}' er ikke en udgave; "
            f"udgaver: {_known(releases, danish=True)}",
        )
    elif release.previous != wanted:
        yield _at(
            parsed,
            "R712",
            f"previous is {release.previous or 'null'}, but the release before "
            f"{release.version} is {wanted or 'none (write previous: null)'}",
            "previous",
            da=f"previous er {release.previous or 'null'}, men udgaven før "
            f"{release.version} er {wanted or 'ingen (skriv previous: null)'}",
        )


def _check_release_rounds(
    parsed: Parsed, release: models.Release, snapshot: Snapshot
) -> Iterator[Diagnostic]:
    """R709: every round a release lists exists."""
    for i, round_id in enumerate(release.rounds):
        if round_id not in snapshot.rounds:
            yield _at(
                parsed,
                "R709",
                f"round '{round_id}' does not exist; rounds: {_known(snapshot.rounds)}",
                "rounds",
                i,
                da=f"runden '{round_id}' findes ikke; "
                f"runder: {_known(snapshot.rounds, danish=True)}",
            )


def _check_release_values(
    parsed: Parsed, release: models.Release, values: frozenset[str]
) -> Iterator[Diagnostic]:
    """R706/R707: every value a release lists exists, and is listed once."""
    ids: set[str] = set()
    for i, entry in enumerate(release.values):
        if entry.id not in values:
            yield _at(
                parsed,
                "R706",
                f"value '{entry.id}' does not exist in values/",
                "values",
                i,
                "id",
                da=f"værdien '{entry.id}' findes ikke i values/",
            )
        if entry.id in ids:
            yield _at(
                parsed,
                "R707",
                f"value '{entry.id}' is listed twice",
                "values",
                i,
                "id",
                da=f"værdien '{entry.id}' er opført to gange",
            )
        ids.add(entry.id)


def _check_release_numbers(parsed: Parsed, release: models.Release) -> Iterator[Diagnostic]:
    """R707: a release's values are numbered 1..n, each number once."""
    total = len(release.values)
    numbers_seen: set[int] = set()
    for i, entry in enumerate(release.values):
        if entry.number > total or entry.number in numbers_seen:
            yield _at(
                parsed,
                "R707",
                f"number {entry.number} breaks the numbering: the {total} values must be "
                f"numbered 1..{total}, each once",
                "values",
                i,
                "number",
                da=f"nummer {entry.number} bryder nummereringen: de {total} værdier skal "
                f"have numrene 1..{total}, hvert nummer én gang",
            )
        numbers_seen.add(entry.number)


# --- adoptions recorded after a release --------------------------------------------------


def _check_adoptions(snapshot: Snapshot) -> Iterator[Diagnostic]:
    """R713-R716: an adoption file names its release, which exists, is a draft in its
    manifest, and was released on or before the day it was adopted. Its manifest's facts
    come from the context, so the manifest itself need not be loaded."""
    context = snapshot.context
    for version, parsed in sorted(snapshot.adoptions.items()):
        adoption: models.ReleaseAdoption | None = parsed.model
        if adoption is None:
            continue
        if adoption.version != version:
            yield _at(
                parsed,
                "R713",
                f"version '{adoption.version}' differs from the file name; set "
                f'version: "{version}" or rename the file to '
                f"registry/releases/{adoption.version}.adoption.yaml",
                "version",
                da=f"version '{adoption.version}' passer ikke med filnavnet; skriv "
                f'version: "{version}", eller omdøb filen til '
                f"registry/releases/{adoption.version}.adoption.yaml",
            )
            continue
        if version not in context.releases:
            yield _at(
                parsed,
                "R714",
                f"there is no release {version} (no registry/releases/{version}.yaml) to "
                f"adopt; releases: {_known(context.releases)}",
                "version",
                da=f"der er ingen udgave {version} (ingen registry/releases/{version}.yaml) at "
                f"vedtage; udgaver: {_known(context.releases, danish=True)}",
            )
            continue
        edition = context.editions.get(version)
        if edition is None:
            continue  # the manifest is invalid and says so itself
        if version in context.adopted:
            yield _at(
                parsed,
                "R715",
                f"release {version} is adopted in its manifest already (status: adopted); "
                "delete this file",
                "adopted_by",
                key=True,
                da=f"udgave {version} er allerede vedtaget i sit manifest (status: adopted); "
                "slet denne fil",
            )
        elif adoption.adopted_by.date.isoformat() < edition[1]:
            yield _at(
                parsed,
                "R716",
                f"adopted on {adoption.adopted_by.date}, before release {version} was made "
                f"on {edition[1]}; correct the date",
                "adopted_by",
                "date",
                da=f"vedtaget den {adoption.adopted_by.date}, før udgave {version} blev "
                f"udgivet den {edition[1]}; ret datoen",
            )


# --- proposals --------------------------------------------------------------------------


def _check_proposals(snapshot: Snapshot, *, personal_data: bool) -> Iterator[Diagnostic]:
    for parsed in snapshot.of_kind("proposal"):
        if personal_data:
            yield from check_personal_data(parsed)
        match = PROPOSAL_STEM.fullmatch(parsed.stem)
        if match is None:
            yield _at(
                parsed,
                "P501",
                "file name must be <municipality code>-<name>.yaml in lowercase a-z, 0-9 and "
                "'-', e.g. 461-odense.yaml",
                da="filnavnet skal være <kommunekode>-<navn>.yaml med små bogstaver a-z, 0-9 "
                "og '-', fx 461-odense.yaml",
            )
        proposal: models.Proposal | None = parsed.model
        if proposal is None:
            continue
        yield from _check_proposal(snapshot, parsed, proposal, match)


def _check_proposal(
    snapshot: Snapshot,
    parsed: Parsed,
    proposal: models.Proposal,
    match: re.Match[str] | None,
) -> Iterator[Diagnostic]:
    folder = parsed.folder
    yield from _check_round_named(snapshot, parsed, proposal.round)
    round_parsed = snapshot.rounds.get(folder)
    round_: models.Round | None = round_parsed.model if round_parsed is not None else None
    if snapshot.municipalities and proposal.municipality not in snapshot.municipalities:
        yield _unknown_municipality(snapshot, parsed, proposal.municipality, match)
    if match is not None and int(match["code"]) != int(proposal.municipality):
        yield _at(
            parsed,
            "P505",
            f"municipality {proposal.municipality} differs from the file name's code "
            f"{match['code']}; a municipality submits files named after its own code",
            "municipality",
            da=f"kommunen {proposal.municipality} passer ikke med koden {match['code']} i "
            "filnavnet; ret den ene, så filnavnet begynder med kommunens egen kode",
        )
    if round_ is not None and proposal.submitted > round_.deadline:
        yield _at(
            parsed,
            "P508",
            f"submitted {proposal.submitted}, after the deadline {round_.deadline}; "
            "the editors will see it as late",
            "submitted",
            da=f"indsendt {proposal.submitted}, efter fristen {round_.deadline}; "
            "redaktionen afgør, om høringssvaret kommer med",
        )
    if round_ is not None and round_.opens is not None and proposal.submitted < round_.opens:
        yield _at(
            parsed,
            "P514",
            f"submitted {proposal.submitted}, before the round opened on {round_.opens}; "
            "check the date (write the day you send the proposal)",
            "submitted",
            da=f"indsendt {proposal.submitted}, før runden åbnede {round_.opens}; "
            "tjek datoen (skriv den dag, I sender forslaget)",
        )
    releases = snapshot.context.releases
    if proposal.base is not None and proposal.base not in releases:
        yield _at(
            parsed,
            "P512",
            f"base '{proposal.base}' is not a release; releases: {_known(releases)}",
            "base",
            da=f"base '{proposal.base}' er ikke en udgave; "
            f"udgaver: {_known(releases, danish=True)}",
        )
    yield from _check_changes(snapshot, parsed, proposal, round_)
    yield from _check_answers(parsed, proposal, round_)


def _check_round_named(snapshot: Snapshot, parsed: Parsed, named: str) -> Iterator[Diagnostic]:
    """P502 (`round:` differs from the folder) and P503 (the folder is not a round), whose
    advice names only rounds that exist: never a move that P503 would then refuse."""
    folder, rounds = parsed.folder, snapshot.rounds
    if named != folder:
        if named in rounds and folder in rounds:
            en = f"move the file to proposals/{named}/ or set round: {folder}"
            da = f"flyt filen til proposals/{named}/, eller skriv round: {folder}"
        elif folder in rounds:
            en = f"there is no round '{named}'; set round: {folder}"
            da = f"der er ingen runde '{named}'; skriv round: {folder}"
        elif named in rounds:
            en = f"the folder is not a round; move the file to proposals/{named}/"
            da = f"mappen er ikke en runde; flyt filen til proposals/{named}/"
        else:
            en = "and neither is a round (see below)"
            da = "og ingen af dem er en runde (se nedenfor)"
        yield _at(
            parsed,
            "P502",
            f"round '{named}' differs from the folder '{folder}'; {en}",
            "round",
            da=f"runden '{named}' passer ikke med mappen '{folder}'; {da}",
        )
    if folder in rounds:
        return
    meant = named if named in rounds else close_match(folder, rounds)
    if meant is not None:
        en = f"did you mean '{meant}'? Put the file in proposals/{meant}/ and set round: {meant}"
        da = f"mente I '{meant}'? Læg filen i proposals/{meant}/, og skriv round: {meant}"
    else:
        en = f"rounds: {_known(rounds)}"
        da = f"runder: {_known(rounds, danish=True)}"
    yield _at(
        parsed,
        "P503",
        f"round '{folder}' (the folder proposals/{folder}/) does not exist; {en}",
        "round",
        da=f"runden '{folder}' (mappen proposals/{folder}/) findes ikke; {da}",
    )


def _unknown_municipality(
    snapshot: Snapshot, parsed: Parsed, code: str, match: re.Match[str] | None
) -> Diagnostic:
    """P504, with the municipality meant if the file's name (461-odense) or a close code
    says which."""
    by_name = {models.slugify(m.name): m for m in snapshot.municipalities.values()}
    slug = parsed.stem.split("-", 1)[1] if match is not None and "-" in parsed.stem else ""
    slug = re.sub(r"-[0-9]+$", "", slug)  # 461-odense-2: a second file
    named = close_match(slug, by_name) if slug not in by_name else slug
    meant = by_name[named] if named is not None else None
    if meant is None:
        near = close_match(code, snapshot.municipalities)
        meant = snapshot.municipalities[near] if near is not None else None
    en = f"municipality {code} is not in {MUNICIPALITIES_FILE}"
    da = f"kommunen {code} står ikke i {MUNICIPALITIES_FILE}"
    if meant is not None:
        en += f"; did you mean {meant.code} ({meant.name})?"
        da += f"; mente I {meant.code} ({meant.name})?"
    return _at(parsed, "P504", en, "municipality", da=da)


def _named_values(change: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location within the change, value id) for every value a change refers to."""
    fields = vars(change)  # not getattr: a missing field is slow to miss on a pydantic model
    if fields.get("value") is not None:
        yield ("value",), change.value
    if fields.get("after") is not None:
        yield ("after",), change.after
    if isinstance(change, models.Merge):
        for i, value_id in enumerate(change.values):
            yield ("values", i), value_id


def _check_changes(
    snapshot: Snapshot, parsed: Parsed, proposal: models.Proposal, round_: models.Round | None
) -> Iterator[Diagnostic]:
    values = snapshot.context.values
    base = _Base.of(snapshot, proposal, round_)
    seen: set[str] = set()
    for i, change in enumerate(proposal.changes):
        if change.id in seen:
            yield _at(
                parsed,
                "P507",
                f"change id '{change.id}' is used twice; give each change its own id",
                "changes",
                i,
                "id",
                da=f"ændrings-id '{change.id}' er brugt to gange; giv hver ændring sit eget id",
            )
        seen.add(change.id)
        for loc, value_id in _named_values(change):
            if value_id not in values:
                en, da = base.unknown(value_id)
                yield _at(parsed, "P506", en, "changes", i, *loc, da=da)
            elif base.retired_before(value_id):
                en, da = base.retired(value_id)
                yield _at(parsed, "P515", en, "changes", i, *loc, da=da)


@dataclass(frozen=True, slots=True)
class _Base:
    """The value set a proposal was written against: its base release (the proposal's,
    else its round's, else the newest release on the day it was submitted)."""

    context: Context
    version: str | None
    members: frozenset[str] | None  # None: no such release; judge by today's values
    submitted: str

    @classmethod
    def of(
        cls, snapshot: Snapshot, proposal: models.Proposal, round_: models.Round | None
    ) -> _Base:
        context = snapshot.context
        submitted = proposal.submitted.isoformat()
        version = proposal.base or (round_.base if round_ is not None else None)
        version = version or context.current_at(submitted)
        return cls(context, version, context.active_at(version), submitted)

    def retired_before(self, value_id: str) -> bool:
        """Whether a value was out of the set when the proposal was written."""
        if value_id not in self.context.retired:
            return False
        if self.members is not None:
            return value_id not in self.members
        # No base release: out of the set if a release before the proposal retired it.
        edition = self.context.editions.get(self.context.retired[value_id][1] or "")
        return edition is not None and edition[1] <= self.submitted

    def unknown(self, value_id: str) -> tuple[str, str]:
        """P506's message in English and Danish: a close match, else the values at base."""
        pool = self.members if self.members is not None else self.context.active
        match = close_match(value_id, pool)
        if match is not None:
            return (
                f"value '{value_id}' does not exist; did you mean '{match}'?",
                f"værdien '{value_id}' findes ikke; mente I '{match}'?",
            )
        gone = close_match(value_id, self.context.retired)
        if gone is not None and self.retired_before(gone):
            en, da = self.retired(gone)
            return (
                f"value '{value_id}' does not exist; {en.removeprefix('value ')}",
                f"værdien '{value_id}' findes ikke; {da.removeprefix('værdien ')}",
            )
        where = f"values in {self.version}" if self.members is not None else "known values"
        hvor = f"værdier i {self.version}" if self.members is not None else "kendte værdier"
        return (
            f"value '{value_id}' does not exist; {where}: {_known(pool)}",
            f"værdien '{value_id}' findes ikke; {hvor}: {_known(pool, danish=True)}",
        )

    def retired(self, value_id: str) -> tuple[str, str]:
        """P515's message: where the value went, and what to do instead."""
        merged_into, version = self.context.retired[value_id]
        when = f"in {version}" if version else "(not yet released)"
        da_when = f"i {version}" if version else "(endnu ikke udgivet)"
        if merged_into is not None:
            return (
                f"value '{value_id}' was merged into '{merged_into}' {when} and is no longer "
                f"in the set; write the change against '{merged_into}' instead",
                f"værdien '{value_id}' blev lagt sammen med '{merged_into}' {da_when} og er "
                f"ikke længere med i sættet; skriv ændringen til '{merged_into}' i stedet",
            )
        pool = self.members if self.members is not None else self.context.active
        return (
            f"value '{value_id}' was retired {when} and is no longer in the set; "
            f"values in {self.version or 'the set'}: {_known(pool)}",
            f"værdien '{value_id}' udgik {da_when} og er ikke længere med i sættet; "
            f"værdier i {self.version or 'sættet'}: {_known(pool, danish=True)}",
        )


def _check_answers(
    parsed: Parsed, proposal: models.Proposal, round_: models.Round | None
) -> Iterator[Diagnostic]:
    asked = {q.id for q in round_.questions} if round_ is not None else None
    seen: set[str] = set()
    for i, answer in enumerate(proposal.answers):
        if asked is not None and answer.question not in asked:
            yield _at(
                parsed,
                "P511",
                f"question '{answer.question}' is not asked in round {proposal.round}; "
                f"questions: {_known(asked)}",
                "answers",
                i,
                "question",
                da=f"spørgsmålet '{answer.question}' stilles ikke i runde {proposal.round}; "
                f"spørgsmål: {_known(asked, danish=True)}",
            )
        if answer.question in seen:
            yield _at(
                parsed,
                "P513",
                f"question '{answer.question}' is answered twice; put both into one answer",
                "answers",
                i,
                "question",
                da=f"spørgsmålet '{answer.question}' er besvaret to gange; saml begge svar i ét",
            )
        seen.add(answer.question)


#: Every alternative of PHONE needs an ASCII digit: texts without one skip the slow pattern.
_DIGIT = re.compile("[0-9]")


#: Where a name may follow an office in one text: "Skoleafdelingen, Jens Ive",
#: "Skoleafdelingen v/ Jens Ive"; a part in brackets ("(fiktivt)") is a remark.
_NAME_PARTS = re.compile(r"[,;/]|\bv/|\batt\.?:?|\bved\b|\bkontakt:?", re.IGNORECASE)
_REMARK = re.compile(r"\([^)]*\)")


def named_person(text: str) -> str | None:
    """The person's name a text gives (two or three capitalised words that are no office's,
    alone or beside an office), or None."""
    for part in _NAME_PARTS.split(_REMARK.sub(" ", text)):
        name = " ".join(part.split())
        if looks_like_person(name):
            return name
    return None


def _check_submitter(parsed: Parsed, data: Any) -> Iterator[Diagnostic]:
    """P516: `submitted_by` (and the approval, if it says who) names an office or a
    committee; a person's name there gets a warning."""
    approval = data.get("approved_by")
    fields: list[tuple[tuple[str, ...], Any]] = [(("submitted_by",), data.get("submitted_by"))]
    if isinstance(approval, dict):
        fields += [(("approved_by", key), item) for key, item in approval.items()]
    for path, text in fields:
        name = named_person(text) if isinstance(text, str) and path[-1] != "minutes" else None
        if name is None:
            continue
        yield _at(
            parsed,
            "P516",
            f"'{name}' looks like a person's name; write the office or committee instead "
            "(e.g. Børne- og Ungeforvaltningen or Børne- og Ungeudvalget): what is published "
            "names no person",
            *path,
            da=f"'{name}' ligner et personnavn; skriv i stedet forvaltningen eller udvalget "
            "(fx Børne- og Ungeforvaltningen eller Børne- og Ungeudvalget): det, der "
            "offentliggøres, henviser ikke til personer",
        )


#: Keys whose values are no free text a person could be named in: links to minutes.
_NOT_FREE_TEXT = frozenset({"minutes"})


def check_personal_data(parsed: Parsed) -> Iterator[Diagnostic]:
    """E-mail addresses and phone numbers in any text of a proposal, and a person's name
    where the office or committee that sends it belongs (one file's rule)."""
    if parsed.document is None:
        return
    if isinstance(parsed.document.data, dict):
        yield from _check_submitter(parsed, parsed.document.data)
    for path, text in document_strings(parsed.document.data, skip_keys=_NOT_FREE_TEXT):
        if "@" in text and EMAIL.search(text):
            yield _at(
                parsed,
                "P509",
                "an e-mail address is personal data and may not be "
                "published; remove it (name an office or committee instead)",
                *path,
                da="en e-mailadresse er en personoplysning og må ikke offentliggøres; fjern den "
                "(skriv i stedet en forvaltning eller et udvalg)",
            )
        if _DIGIT.search(text) and PHONE.search(text):
            yield _at(
                parsed,
                "P510",
                "a phone number is personal data and may not be published; remove it",
                *path,
                da="et telefonnummer er en personoplysning og må ikke offentliggøres; fjern det",
            )


# --- decisions --------------------------------------------------------------------------


def _check_decisions(snapshot: Snapshot) -> Iterator[Diagnostic]:
    decision_files = snapshot.valid("decisions")
    if not decision_files:
        return
    changes = snapshot.context.changes
    editors = set(snapshot.registry.editors) if snapshot.registry is not None else None
    for parsed in decision_files:
        folder = parsed.folder
        seen: set[str] = set()
        for i, decision in enumerate(parsed.model):
            round_id = decision.change.split("/", 1)[0]
            if round_id != folder:
                yield _at(
                    parsed,
                    "D606",
                    f"change '{decision.change}' belongs to round {round_id}; decide it in "
                    f"registry/rounds/{round_id}/decisions.yaml",
                    i,
                    "change",
                    da=f"ændringen '{decision.change}' hører til runde {round_id}; afgør den i "
                    f"registry/rounds/{round_id}/decisions.yaml",
                )
            if decision.change in seen:
                yield _at(
                    parsed,
                    "D605",
                    f"change '{decision.change}' is decided twice; keep one decision",
                    i,
                    "change",
                    da=f"ændringen '{decision.change}' er afgjort to gange; behold én afgørelse",
                )
            seen.add(decision.change)
            if editors is not None and decision.editor not in editors:
                yield _at(
                    parsed,
                    "D604",
                    f"editor '{decision.editor}' is not an editor in registry/registry.yaml; "
                    f"editors: {_known(editors)}",
                    i,
                    "editor",
                    da=f"'{decision.editor}' er ikke redaktør i registry/registry.yaml; "
                    f"redaktører: {_known(editors, danish=True)}",
                )
            change = changes.get(decision.change)
            if change is None:
                yield _at(
                    parsed,
                    "D601",
                    f"change '{decision.change}' does not exist (no such proposal file or "
                    "change id)",
                    i,
                    "change",
                    da=f"ændringen '{decision.change}' findes ikke (intet forslag med det filnavn "
                    "eller ændrings-id)",
                )
                continue
            kind, digest = change
            allowed = models.ALLOWED_DECISIONS[kind]
            if decision.decision not in allowed:
                yield _at(
                    parsed,
                    "D603",
                    f"a {kind} change cannot be decided '{decision.decision}'; "
                    f"use {' or '.join(sorted(allowed))}",
                    i,
                    "decision",
                    da=f"en ændring af arten {kind} kan ikke afgøres med "
                    f"'{decision.decision}'; brug {' eller '.join(sorted(allowed))}",
                )
            if digest.hex() != decision.change_sha256:
                yield _at(
                    parsed,
                    "D602",
                    f"change '{decision.change}' was edited after it was decided; "
                    "an editor must decide it again",
                    i,
                    "change_sha256",
                    da=f"ændringen '{decision.change}' er rettet, efter at den blev afgjort; "
                    "en redaktør skal afgøre den igen",
                )


def _check_combined_decisions(snapshot: Snapshot) -> Iterator[Diagnostic]:
    """D610: a combined text (`combined_with`) is one decision shared by its changes: each
    partner is decided `modify` in the same file, with the same text, naming the same set."""
    for parsed in snapshot.valid("decisions"):
        by_change = {d.change: d for d in parsed.model}
        for i, decision in enumerate(parsed.model):
            if not decision.combined_with:
                continue
            group = {decision.change, *decision.combined_with}
            for other_id in decision.combined_with:
                other = by_change.get(other_id)
                if other is None:
                    why = "has no decision in this file"
                    hvorfor = "har ingen afgørelse i denne fil"
                elif other.decision != "modify" or other.text != decision.text:
                    why = "is not decided 'modify' with the same text"
                    hvorfor = "er ikke afgjort 'modify' med samme tekst"
                elif {other.change, *(other.combined_with or ())} != group:
                    why = "does not name the same changes in its combined_with"
                    hvorfor = "henviser ikke til de samme ændringer i sit combined_with"
                else:
                    continue
                yield _at(
                    parsed,
                    "D610",
                    f"combined_with names {other_id}, which {why}; decide them together "
                    "again with `valreg decide … modify --combine`",
                    i,
                    "combined_with",
                    da=f"combined_with henviser til {other_id}, som {hvorfor}; afgør dem "
                    "samlet igen med `valreg decide … modify --combine`",
                )
                break


def _check_decision_ids(snapshot: Snapshot) -> Iterator[Diagnostic]:
    """The ids decisions give the values that adds create: on an accepted or modified add
    only; never the id of a value the round started from or one retired before it (ids are
    never reused); never one that another decision of the round gives."""
    changes = snapshot.context.changes
    for parsed in snapshot.valid("decisions"):
        given: dict[str, str] = {}  # value id → the change whose decision gives it first
        taken: dict[str, tuple[str, str]] | None = None
        for i, decision in enumerate(parsed.model):
            value_id = decision.id
            if value_id is None:
                continue
            change = changes.get(decision.change)
            if change is not None and (
                change[0] != "add" or decision.decision in ("reject", "note")
            ):
                kind, word = change[0], decision.decision
                what, hvad = (
                    (f"{_article(kind)} {kind} change", f"en ændring af arten {kind}")
                    if kind != "add"
                    else (f"a '{word}' decision", f"afgørelsen '{word}'")
                )
                yield _at(
                    parsed,
                    "D607",
                    f"id '{value_id}' names the value an accepted or modified add creates; "
                    f"{what} creates none: remove the id",
                    i,
                    "id",
                    da=f"id '{value_id}' navngiver den værdi, en godkendt eller ændret tilføjelse "
                    f"skaber; {hvad} skaber ingen: fjern id'et",
                )
                continue
            if taken is None:
                taken = _ids_before(snapshot, parsed.folder)
            if value_id in taken:
                en, da = taken[value_id]
                yield _at(
                    parsed,
                    "D608",
                    f"id '{value_id}' is taken: {en}; ids are never reused, choose another "
                    "(or remove the id, and apply makes one from the text)",
                    i,
                    "id",
                    da=f"id '{value_id}' er optaget: {da}; et id bruges aldrig igen, vælg et andet "
                    "(eller fjern id'et, så laver apply et ud fra teksten)",
                )
            first = given.setdefault(value_id, decision.change)
            if first != decision.change:
                yield _at(
                    parsed,
                    "D609",
                    f"id '{value_id}' is given to the value of {first} too; each new value "
                    "needs its own id",
                    i,
                    "id",
                    da=f"id '{value_id}' er også givet til værdien fra {first}; hver ny værdi "
                    "skal have sit eget id",
                )


def _ids_before(snapshot: Snapshot, round_id: str) -> dict[str, tuple[str, str]]:
    """The value ids a round cannot give a new value, with why (English, Danish): those of
    the release it started from (its base), and those retired before it."""
    round_parsed = snapshot.rounds.get(round_id)
    round_: models.Round | None = round_parsed.model if round_parsed is not None else None
    context = snapshot.context
    base = round_.base if round_ is not None else None
    members = context.active_at(base) if base is not None else None
    if base is None or members is None:
        return {}
    taken = dict.fromkeys(members, (f"it is a value of {base}", f"det er en værdi i {base}"))
    for value_id, (_, retired_in) in context.retired.items():
        if retired_in is not None and models.version_key(retired_in) <= models.version_key(base):
            taken[value_id] = (
                f"it is the id of a value retired in {retired_in}",
                f"det er id'et på en værdi, der udgik i {retired_in}",
            )
    return taken


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"
