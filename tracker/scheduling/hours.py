"""Working hours: when the scheduler may post at all (LOBBY_WORKING_HOURS on Dutch working days).

Nothing is posted in the evening, at night, on weekends or on public holidays: what comes due
then waits for the next working morning and goes out once, marked late.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tracker.dates import is_working_day, local_to_utc
from tracker.settings import Settings


def within_working_hours(now: datetime, settings: Settings) -> bool:
    """True on a working day between the start and the end of LOBBY_WORKING_HOURS (local)."""
    local = now.astimezone(settings.tz)
    start, end = settings.working_hours
    return is_working_day(local.date()) and start <= local.time().replace(tzinfo=None) < end


def next_opening(moment: datetime, settings: Settings) -> datetime:
    """`moment` itself when posting is allowed then, else the next working morning's start."""
    if within_working_hours(moment, settings):
        return moment
    start, _ = settings.working_hours
    local = moment.astimezone(settings.tz)
    day = local.date()
    if not (is_working_day(day) and local.time().replace(tzinfo=None) < start):
        day = first_working_day(day + timedelta(days=1))
    return local_to_utc(day, start, settings.tz)


def first_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
