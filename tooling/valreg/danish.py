"""Danish as the registry's public texts write it: dates, numbers, the genitive and
alphabetical order (docs/da-ordliste.md has the words).

A base module: pure functions that every layer may use (the workflow sorts
municipalities the Danish way; publishing writes dates).
"""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_date(date: dt.date) -> str:
    """`1. november 2019`."""
    return f"{date.day}. {MONTHS[date.month - 1]} {date.year}"


def danish_key(text: str) -> str:
    """Sort key for Danish alphabetical order: æ, ø, å after z, and "aa" as "å".

    "aa" counts as "å" wherever it stands, as Retskrivningsordbogen alphabetises place
    names and as ICU's Danish collation does: Faaborg-Midtfyn after Furesø.
    """
    folded = text.casefold().replace("aa", "å")
    # "{", "|", "}" follow "z" in code point order; ä and ö sort as æ and ø.
    return folded.translate(str.maketrans("æäøöå", "{{||}"))


def danish_number(n: int) -> str:
    """`1.234.567`: thousands grouped with a full stop, as Danish writes them."""
    return f"{n:,}".replace(",", ".")


def genitive(name: str) -> str:
    """A name's genitive as Retskrivningsordbogen writes it: `Odenses`, `Aarhus'` (after
    s, x or z only an apostrophe), `KL's` (an abbreviation takes an apostrophe)."""
    if name.endswith(("s", "x", "z")):
        return f"{name}'"
    if name.isupper() or name[-1:].isdigit():
        return f"{name}'s"
    return f"{name}s"


_NUMBER_WORDS = (
    "nul",
    "én",
    "to",
    "tre",
    "fire",
    "fem",
    "seks",
    "syv",
    "otte",
    "ni",
    "ti",
    "elleve",
    "tolv",
)


def number_word(n: int) -> str:
    """A count in running text: `fire` up to twelve (as Danish style guides write small
    numbers), `danish_number` above."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else danish_number(n)
