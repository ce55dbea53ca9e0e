"""Shared pieces of the date package: the `When` value, the year window, local/UTC conversion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from tracker.errors import InvalidInput

# Dates outside this window are almost always typos ("20-11-203") and would
# only produce reminders nobody sees; refusing them tells the user at once.
MIN_YEAR = 2000
MAX_YEAR = 2100


@dataclass(frozen=True)
class When:
    """A parsed `<when>`: the local due date (a rough date's anchor, see `tracker.dates.spans`),
    an optional local wall time, how precisely it is known and how it is meant."""

    date: date
    time: time | None = None
    precision: str = "day"  # day, week, month, quarter, season, half, year
    qualifier: str = ""  # "", uiterlijk, ca, vroegst
    part: str = ""  # "", begin, mid, end: the part of a rough unit ("eind 2024")

    @property
    def approximate(self) -> bool:
        """True when this is not one known day (kept for the older `approximate` flag)."""
        return self.precision != "day" or self.qualifier == "ca"


class Unreadable(InvalidInput):
    """The generic "could not read this" error, so callers can swap in a message of their own."""


def local_today(now: datetime, tz: ZoneInfo) -> date:
    """The date of the aware instant `now` on the wall calendar of `tz`."""
    if now.tzinfo is None or now.utcoffset() is None:
        # A programming error, not a user error: the caller forgot to inject an aware clock.
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def check_year(year: int) -> int:
    """`year` itself, or InvalidInput when it lies outside the sane window."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(
            f"Jaar {year} valt buiten {MIN_YEAR}–{MAX_YEAR}.",
            f"Year {year} is outside {MIN_YEAR}–{MAX_YEAR}.",
            example="20 nov 2023",
        )
    return year


def checked(d: date) -> date:
    """`d` itself, or InvalidInput when its year lies outside the sane window."""
    check_year(d.year)
    return d


def checked_date(d: object) -> date:
    """`d` when it is a date (not a datetime) within the year window, else InvalidInput: the one
    check every entry path (typed, date picker, form, import, `--now`) applies."""
    if not isinstance(d, date) or isinstance(d, datetime):
        raise InvalidInput(f"‘{str(d)[:40]}’ is geen datum.", f"‘{str(d)[:40]}’ is not a date.",
                           example="2023-11-20")
    return checked(d)


def is_english(lang: str) -> bool:
    """True for "en" (and "en-GB", "en_US"); everything else renders Dutch, the team's language."""
    return lang.lower().startswith("en")


def local_to_utc(d: date, t: time, tz: ZoneInfo) -> datetime:
    """The aware UTC instant of wall time `t` on `d` in `tz` (DST gaps shift forward, overlaps take the first)."""
    # fold=0 is PEP 495's "earlier" reading: in an overlap (02:30 on the last
    # Sunday of October) it picks the first, summer-time occurrence; in a gap
    # (02:30 on the last Sunday of March) it applies the offset from before the
    # jump, which lands one hour later on the wall clock (03:30). Both are
    # deterministic, and a reminder is never silently lost in the gap.
    local = datetime.combine(d, t.replace(tzinfo=None, fold=0), tzinfo=tz)
    return local.astimezone(UTC)


def out_of_window() -> InvalidInput:
    """The error for arithmetic that runs past the sane year window."""
    return InvalidInput(
        f"Dat valt buiten de jaren {MIN_YEAR}–{MAX_YEAR}.",
        f"That falls outside the years {MIN_YEAR}–{MAX_YEAR}.",
        example="over 2 weken",
    )


def shift(start: date, count: int, unit: str) -> date:
    """`start` moved by `count` days/weeks/months/years (month ends clamp: 31 Jan + 1 month = 28 Feb)."""
    try:
        result = start + relativedelta(**{unit: count})
    except (ValueError, OverflowError):
        raise out_of_window() from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise out_of_window()
    return result
