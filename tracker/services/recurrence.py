"""Recurrence rules (RFC 5545 RRULE) kept small: DAILY or slower, bounded, expanded lazily.

A rule that repeats faster than daily (`FREQ=SECONDLY` is 86,400 occurrences a day) or that
expands within a day (BYHOUR, BYMINUTE, BYSECOND) is refused at entry and on import; a COUNT
is at most MAX_COUNT and an UNTIL within the year window. Expansion walks the rule lazily and
stops at the window's end or after MAX_OCCURRENCES, so no stored rule can make a list, the
Home tab or the tick slow.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from itertools import islice

from dateutil.rrule import rrule, rrulestr

from tracker.dates import MAX_YEAR, MIN_YEAR
from tracker.errors import InvalidInput

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_COUNT = 1000
MAX_OCCURRENCES = 500
MAX_RULE_LENGTH = 500
_EXAMPLE = "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12"
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-:T]+$")


def _refuse(nl: str, en: str) -> InvalidInput:
    return InvalidInput(f"Die herhaalregel kan niet: {nl}", f"That recurrence rule is not allowed: {en}",
                        example=_EXAMPLE)


def check_rule(value: str | None, start: date) -> str | None:
    """The rule without its "RRULE:" prefix, or None for none; InvalidInput when it is broken,
    faster than daily or unbounded past the year window."""
    if value is None or not value.strip():
        return None
    text = value.strip().removeprefix("RRULE:").upper()
    if len(text) > MAX_RULE_LENGTH:
        raise _refuse("te lang.", "too long.")
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    if not text or any(not _PART.match(p) for p in text.split(";")):
        raise _refuse(f"‘{value.strip()[:60]}’ is geen RFC 5545-regel.",
                      f"‘{value.strip()[:60]}’ is not an RFC 5545 rule.")
    freq = parts.get("FREQ")
    if freq not in ALLOWED_FREQ:
        raise _refuse("herhaal dagelijks, wekelijks, maandelijks of jaarlijks (FREQ=DAILY of trager).",
                      "repeat daily, weekly, monthly or yearly (FREQ=DAILY or slower).")
    for within_a_day in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if within_a_day in parts:
            raise _refuse(f"{within_a_day} herhaalt binnen een dag.", f"{within_a_day} repeats within a day.")
    if "COUNT" in parts and not (parts["COUNT"].isdigit() and 1 <= int(parts["COUNT"]) <= MAX_COUNT):
        raise _refuse(f"COUNT is 1 t/m {MAX_COUNT}.", f"COUNT is 1 to {MAX_COUNT}.")
    try:
        parsed = _parse(text, start)
        if "UNTIL" in parts:
            until = parsed._until
            if until is not None and not MIN_YEAR <= until.year <= MAX_YEAR:
                raise _refuse(f"UNTIL valt buiten {MIN_YEAR}–{MAX_YEAR}.",
                              f"UNTIL is outside {MIN_YEAR}–{MAX_YEAR}.")
        next(iter(parsed), None)
    except InvalidInput:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _refuse(f"‘{value.strip()[:60]}’ is geen geldige regel.",
                      f"‘{value.strip()[:60]}’ is not a valid rule.") from exc
    return text


def _parse(text: str, start: date) -> rrule:
    rule = rrulestr(text, dtstart=datetime.combine(start, time()))
    if not isinstance(rule, rrule):
        raise ValueError("not a single rule")
    return rule


def expand(text: str, start: date, first: date, last: date,
           cap: int = MAX_OCCURRENCES) -> list[date]:
    """Occurrences of the rule (from `start`) within [first, last], lazily, at most `cap`.
    ValueError for a stored rule that `check_rule` would refuse (imported before this check)."""
    try:
        checked = check_rule(text, start) or ""
    except InvalidInput as exc:
        raise ValueError(exc.en) from None
    rule = _parse(checked, start)
    last_moment = datetime.combine(min(last, date(MAX_YEAR, 12, 31)), time())
    found = []
    for moment in islice(rule.xafter(datetime.combine(first, time()), inc=True), cap):
        if moment > last_moment:
            break
        found.append(moment.date())
    return found
