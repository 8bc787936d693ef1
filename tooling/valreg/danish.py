"""Danish as the registry's public texts write it: dates and alphabetical order.

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
