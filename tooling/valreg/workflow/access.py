"""`valreg access`: which GitHub logins speak for which municipality.

The logins are the `logins` list of a municipality's entry in
registry/municipalities.yaml, which `valreg check-pr` reads to decide what a pull
request's author may change. `grant_access` and `revoke_access` edit that one entry's text
in place (every other byte of the file is kept), read the result back with the safe
reader, and commit the file alone, under the registry lock and journal. A login speaks for
one municipality at most and is never an editor's. .github/CODEOWNERS does not change: it
names only the editors (see `workflow.codeowners`), never a municipality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from valreg import _git
from valreg.errors import Refused
from valreg.registry import models
from valreg.registry.diagnostics import Severity, close_match
from valreg.registry.models import slugify
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import MUNICIPALITIES_FILE, REGISTRY_FILE
from valreg.registry.yamlio import edit_yaml, resolve_plain, safe_scalar
from valreg.transaction import commit_files, recover, registry_lock

#: GitHub's limit on the length of a login.
MAX_LOGIN = 39


@dataclass(frozen=True, slots=True)
class Access:
    """A municipality and the logins that speak for it."""

    code: str
    name: str
    region: str
    logins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccessChange:
    """What `grant_access` or `revoke_access` did."""

    action: str  # "grant" | "revoke"
    login: str
    municipality: Access  # as it is after the change
    commit: str
    message: str


def list_access(root: Path) -> list[Access]:
    """Every municipality that has logins, by code."""
    return [_access(m) for m in _municipalities(root) if m.logins]


def grant_access(root: Path, municipality: str, login: str) -> AccessChange:
    """Let `login` open pull requests for `municipality` (a code such as 461, or a name)."""
    return _change(root, "grant", municipality, login)


def revoke_access(root: Path, municipality: str, login: str) -> AccessChange:
    """Take `login` off `municipality`'s list."""
    return _change(root, "revoke", municipality, login)


# --- checks -------------------------------------------------------------------------------


def find_municipality(
    municipalities: Sequence[models.Municipality], who: str
) -> models.Municipality:
    """The municipality `who` names: its code (461, "0461") or its name (unambiguous, in any
    case, with or without æ, ø, å); otherwise Refused, with a "did you mean" if one is close."""
    text = who.strip()
    if not municipalities:
        raise Refused(f"{MUNICIPALITIES_FILE} lists no municipalities; add them first")
    if re.fullmatch(r"[0-9]{1,4}", text):
        code = f"{int(text):03d}"
        found = next((m for m in municipalities if m.code == code), None)
        if found is None:
            sample = ", ".join(f"{m.code} {m.name}" for m in municipalities[:3])
            raise Refused(
                f"no municipality has code {_shown(text)} in {MUNICIPALITIES_FILE}; "
                f"look the code up there (e.g. {sample}), or give the municipality's name"
            )
        return found
    named = [m for m in municipalities if slugify(m.name) == slugify(text)] if text else []
    if len(named) == 1:
        return named[0]
    if named:
        listed = ", ".join(f"{m.code} {m.name}" for m in named)
        raise Refused(
            f"'{_shown(text)}' names {len(named)} municipalities ({listed}); give the code"
        )
    guess = close_match(text, [m.name for m in municipalities])
    if guess is not None:
        code = next(m.code for m in municipalities if m.name == guess)
        raise Refused(f"no municipality is named '{_shown(text)}'; did you mean {guess} ({code})?")
    raise Refused(
        f"no municipality is named '{_shown(text)}'; give a code or a name as "
        f"{MUNICIPALITIES_FILE} writes it"
    )


def check_login(login: str) -> None:
    """Refuse what GitHub would not accept as a login."""
    if len(login) > MAX_LOGIN or not re.fullmatch(models.LOGIN, login):
        raise Refused(
            f"'{_shown(login)}' is not a GitHub login: letters a-z, digits and single hyphens, "
            f"not first or last, at most {MAX_LOGIN} characters (e.g. odense-boern)"
        )


def _refuse_taken(
    municipalities: Sequence[models.Municipality],
    editors: Sequence[str],
    target: models.Municipality,
    login: str,
) -> None:
    """A login speaks for one municipality at most and is not an editor's (check-pr would
    take the first match, and an editor may change everything)."""
    folded = login.casefold()
    if any(e.casefold() == folded for e in editors):
        raise Refused(
            f"'{login}' is an editor of this registry ({REGISTRY_FILE}) and may change "
            "everything already; a municipality needs a login of its own"
        )
    for other in municipalities:
        if any(x.casefold() == folded for x in other.logins):
            if other.code == target.code:
                raise Refused(f"'{login}' already speaks for {other.code} {other.name}")
            raise Refused(
                f"'{login}' already speaks for {other.code} {other.name}, and a login speaks "
                f"for one municipality; revoke it there first: valreg access revoke "
                f"{other.code} {login}"
            )


def _granted(target: models.Municipality, login: str) -> str:
    """The login as the file spells it (GitHub logins ignore case), or Refused."""
    folded = login.casefold()
    spelled = next((x for x in target.logins if x.casefold() == folded), None)
    if spelled is not None:
        return spelled
    guess = close_match(login, target.logins)
    listed = ", ".join(target.logins) or "none"
    hint = f"did you mean {guess}? " if guess else ""
    raise Refused(
        f"'{login}' is not granted for {target.code} {target.name}; {hint}"
        f"its logins: {listed} (see valreg access list)"
    )


def _shown(text: str) -> str:
    """`text` for a one-line message: anything unprintable escaped."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)[:80]


# --- doing --------------------------------------------------------------------------------


def _change(root: Path, action: str, who: str, login: str) -> AccessChange:
    check_login(login)
    with registry_lock(root):
        recover(root)
        municipalities = _municipalities(root)
        target = find_municipality(municipalities, who)
        if action == "grant":
            _refuse_taken(municipalities, _editors(root), target, login)
            logins = [*target.logins, login]
        else:
            login = _granted(target, login)
            logins = [x for x in target.logins if x != login]
        if _git.changed_paths(root, [MUNICIPALITIES_FILE]):
            raise Refused(
                f"{MUNICIPALITIES_FILE} has uncommitted changes; commit or discard them "
                "first, so that this commit holds only the change of access"
            )
        original = (root / MUNICIPALITIES_FILE).read_bytes()
        content = with_logins(original, target.code, logins)
        after = target.model_copy(update={"logins": logins})
        message = _message(action, login, after)
        commit = commit_files(root, {MUNICIPALITIES_FILE: content}, message)
        return AccessChange(action, login, _access(after), commit, message)


def _message(action: str, login: str, municipality: models.Municipality) -> str:
    where = f"{municipality.code} {municipality.name}"
    if action == "grant":
        return (
            f"Grant {login} access for {where}\n\n"
            f"{login} may now open pull requests with proposals for {municipality.name} "
            f"(proposals/<round>/{municipality.code}-*.yaml), as valreg check-pr reads "
            f"{MUNICIPALITIES_FILE}.\n"
        )
    return (
        f"Revoke {login}'s access for {where}\n\n"
        f"valreg check-pr no longer accepts pull requests from {login} for "
        f"{municipality.name}.\n"
    )


def _access(municipality: models.Municipality) -> Access:
    return Access(
        municipality.code, municipality.name, municipality.region, tuple(municipality.logins)
    )


def _municipalities(root: Path) -> list[models.Municipality]:
    model: list[models.Municipality] = _parsed(root, MUNICIPALITIES_FILE)
    return model


def _editors(root: Path) -> list[str]:
    registry: models.Registry = _parsed(root, REGISTRY_FILE)
    return list(registry.editors)


def _parsed(root: Path, path: str) -> Any:
    """The model of one registry file of the work tree, or Refused with its first error."""
    try:
        data = (root / path).read_bytes()
    except FileNotFoundError:
        raise Refused(f"{path} is missing; run valreg check") from None
    parsed = parse_file(path, data)
    errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
    if parsed.model is None or errors:
        first = (errors or list(parsed.diagnostics))[0]
        raise Refused(
            f"{first.path}:{first.line}:{first.col}: {first.code} {first.message}; "
            "fix it first (valreg check)"
        )
    return parsed.model


# --- the edit -----------------------------------------------------------------------------


def with_logins(data: bytes, code: str, logins: Sequence[str]) -> bytes:
    """registry/municipalities.yaml with the entry of `code` listing `logins`; every line
    outside that entry's `logins` is kept byte for byte (comments, quoting, line ends).

    The result is read back by the safe reader: unless it holds exactly the same
    municipalities with only those logins changed, the edit is Refused.
    """
    text = data.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = body.splitlines(keepends=True)
    entries = edit_yaml(data).data
    index = next((i for i, m in enumerate(entries) if _code(m.get("code")) == code), None)
    if index is None:
        raise Refused(f"no municipality has code {code} in {MUNICIPALITIES_FILE}")
    entry = entries[index]
    if entry.fa.flow_style():
        raise Refused(f"the entry of {code} is written on one line ({{…}}); edit it by hand")
    if not logins and "logins" in entry:
        _delete_key(lines, entry)
    elif "logins" not in entry:
        end = _entry_end(lines, entries, index)
        lines.insert(end, f"{' ' * entry.lc.key('code')[1]}logins: {_flow(logins)}\n")
    else:
        _replace_logins(lines, entry, logins)
    result = bom + "".join(lines).replace("\n", newline)
    _verify(data, result.encode("utf-8"), code, logins)
    return result.encode("utf-8")


def _code(value: Any) -> str | None:
    text = str(value).strip()
    return f"{int(text):03d}" if re.fullmatch(r"[0-9]{1,4}", text) else None


def _scalar(login: str) -> str:
    """A login as a YAML scalar that every reader takes for text (`1234` or `yes` quoted)."""
    if resolve_plain(login) != login or type(safe_scalar(login)) is not str:
        return f'"{login}"'
    return login


def _flow(logins: Sequence[str]) -> str:
    return "[" + ", ".join(_scalar(x) for x in logins) + "]"


def _entry_end(lines: list[str], entries: Any, index: int) -> int:
    """The line after the entry's last line of content (its trailing comments and blank
    lines, which may be about the next entry, stay after it)."""
    start = entries.lc.item(index)[0]
    end = entries.lc.item(index + 1)[0] if index + 1 < len(entries) else len(lines)
    while end - 1 > start and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    return end


def _replace_logins(lines: list[str], entry: Any, logins: Sequence[str]) -> None:
    line, col = entry.lc.value("logins")
    sequence = entry["logins"]
    if lines[line][col:].startswith("["):  # flow style, maybe over several lines
        _replace_flow(lines, line, col, [str(x) for x in sequence], logins)
        return
    positions = [sequence.lc.item(i)[0] for i in range(len(sequence))]
    prefix = lines[positions[-1]][: sequence.lc.item(len(sequence) - 1)[1]]  # "    - "
    insert_at = positions[-1] + 1
    for i in reversed(range(len(sequence))):
        if sequence[i] not in logins:
            del lines[positions[i]]
            insert_at -= 1
    added = [x for x in logins if x not in sequence]
    for offset, login in enumerate(added):
        lines.insert(insert_at + offset, f"{prefix}{_scalar(login)}\n")


def _replace_flow(
    lines: list[str], line: int, col: int, current: list[str], logins: Sequence[str]
) -> None:
    """Rewrite `[a, b]` (from `col` of `line`), keeping each remaining item as written."""
    text = "".join(lines[line:])
    close = text.find("]", col)
    if close < 0 or "#" in text[col:close]:
        raise Refused("the logins are written in a way valreg does not edit; edit them by hand")
    written = dict(zip(current, _split(text[col + 1 : close]), strict=False))
    items = [written.get(x, _scalar(x)) for x in logins]
    replaced = text[:col] + "[" + ", ".join(items) + "]" + text[close + 1 :]
    lines[line:] = replaced.splitlines(keepends=True)


def _split(inside: str) -> list[str]:
    """The items of a flow sequence's text, as written (quotes kept)."""
    return [item.strip() for item in inside.split(",") if item.strip()]


def _delete_key(lines: list[str], entry: Any) -> None:
    """Remove the `logins` key and every line of its value."""
    first = entry.lc.key("logins")[0]
    line, col = entry.lc.value("logins")
    sequence = entry["logins"]
    if lines[line][col:].startswith("["):
        text = "".join(lines[line:])
        last = line + text.count("\n", 0, text.find("]", col))
    else:
        last = sequence.lc.item(len(sequence) - 1)[0]
    del lines[first : last + 1]


def _verify(before: bytes, after: bytes, code: str, logins: Sequence[str]) -> None:
    old = parse_file(MUNICIPALITIES_FILE, before).model
    new = parse_file(MUNICIPALITIES_FILE, after)
    expected = [
        m.model_copy(update={"logins": list(logins)}) if m.code == code else m for m in old or []
    ]
    errors = [d for d in new.diagnostics if d.severity is Severity.ERROR]
    if errors or new.model != expected:
        raise Refused(
            f"could not edit {MUNICIPALITIES_FILE} without touching more than the logins of "
            f"{code}; edit it by hand"
        )
