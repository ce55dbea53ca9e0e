"""Dates for Lobbytracker: reading what users type, working days, periods and formatting.

Every function is pure: the current moment is passed in as an aware `now`, and
local dates are read on the wall calendar of the given time zone.

Choices (see the tests for the exact behaviour):
- `<when>` text is read by a small tokenizer and grammar of our own (month and day
  names from babel, plus common abbreviations), never by dateutil's fuzzy parser,
  which silently invents dates from garbage. Anything unreadable is InvalidInput.
- A date without a year is the next one to come; today counts as to come.
- "vrijdag", "aanstaande/komende/volgende vrijdag", "next friday": the first Friday
  after today, never today. "vrijdag volgende week": the Friday of next ISO week.
- Rough dates are `approximate`: a bare quarter ("Q4 2023", "Q4") and "eind Q4" are
  due on the quarter's last day, "begin Q4" on its first, "medio Q4" on the 15th of
  its middle month; "medio december" is the 15th, "medio 2024" 1 July 2024.
- Years outside 2000-2100 are refused.
- Working days: Mon-Fri minus holidays.NL, except Goede Vrijdag (not a general day
  off); Bevrijdingsdag only in lustrum years, as holidays.NL has it.
- Periods without a year ("Q3", "november") are the latest that has begun; "week",
  "maand", "halfjaar" and the default are the current one so far (end = tomorrow),
  with the key of the whole period.
"""

from .core import MAX_YEAR, MIN_YEAR, When, local_to_utc
from .formatting import format_date, format_datetime, format_long_date, format_relative_days
from .horizon import DEFAULT_HORIZON_DAYS, parse_horizon
from .periods import Period, half_year_of, parse_period, previous_half_year
from .when import parse_when
from .workdays import is_working_day, next_working_day, previous_working_day, public_holidays

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "When",
    "format_date",
    "format_datetime",
    "format_long_date",
    "format_relative_days",
    "half_year_of",
    "is_working_day",
    "local_to_utc",
    "next_working_day",
    "parse_horizon",
    "parse_period",
    "parse_when",
    "previous_half_year",
    "previous_working_day",
    "public_holidays",
]
