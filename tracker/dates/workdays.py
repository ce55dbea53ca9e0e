"""Dutch working days: weekends and public holidays, for moving reminders off days nobody reads them."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.easter import easter


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The Dutch public holidays of `year` on which offices are closed (see the module notes)."""
    # holidays.NL knows the rules that change over time: Koningsdag on 26 April when
    # the 27th is a Sunday (Koninginnedag before 2014), and Bevrijdingsdag only in
    # lustrum years (2020, 2025, 2030), the years it is a day off under most collective
    # agreements, including the municipal one. We keep that choice.
    days = set(holidays.country_holidays("NL", years=year))
    # Goede Vrijdag is listed by holidays.NL but is not a general day off: government,
    # municipalities and the Tweede Kamer work, so a reminder on that day is read.
    days.discard(easter(year) - timedelta(days=2))
    return frozenset(days)


def is_working_day(d: date) -> bool:
    """True on Monday to Friday unless it is a Dutch public holiday."""
    return d.weekday() < 5 and d not in public_holidays(d.year)


def previous_working_day(d: date) -> date:
    """`d` itself when it is a working day, else the last working day before it."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def next_working_day(d: date) -> date:
    """The first working day strictly after `d`."""
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d
