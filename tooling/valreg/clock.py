"""Today's date where KL is: Europe/Copenhagen, or SOURCE_DATE_EPOCH when it is set."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from valreg.errors import UsageError

ZONE = ZoneInfo("Europe/Copenhagen")


def now() -> dt.datetime:
    """The current time in Copenhagen; SOURCE_DATE_EPOCH makes output reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), ZONE)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from None
    return dt.datetime.now(ZONE)


def today() -> dt.date:
    return now().date()
