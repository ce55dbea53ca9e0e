"""How precisely a date is known: the span a rough date stands for, its anchor and its label.

A deadline stores one `due_date` plus `precision` (day … year), `part` ("", begin, mid, end)
and `qualifier` ("", uiterlijk, ca, vroegst). The span is recovered from those: the unit of
`precision` that contains `due_date`, narrowed to its begin/middle/end part. The stored date
is the span's *anchor*, the day everything else (sorting, overdue, the reminder ladder) runs
to: the span's last day, or its first day for "op z'n vroegst". So "voorjaar 2024" is due
31 May 2024 and "op z'n vroegst eind 2024" on 1 Oct 2024, and no code that only reads
`due_date` is misled.

Parts of a unit (so "begin december" is 1-10 Dec, not one invented day):
- month: 1-10, 11-20, 21-end;  quarter and season: their first, middle, last month;
- half-year: two months each;  year: Jan-Mar, Jun-Jul, Oct-Dec;  a week has no parts.
Seasons are meteorological: voorjaar Mar-May, zomer Jun-Aug, najaar Sep-Nov, winter Dec-Feb
(winter 2024 starts in December 2024).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from .core import is_english
from .formatting import format_date
from .vocab import month_name

DAY, WEEK, MONTH, QUARTER, SEASON, HALF, YEAR = (
    "day", "week", "month", "quarter", "season", "half", "year")
PRECISIONS = (DAY, WEEK, MONTH, QUARTER, SEASON, HALF, YEAR)
PARTS = ("", "begin", "mid", "end")
QUALIFIERS = ("", "uiterlijk", "ca", "vroegst")
EARLIEST = "vroegst"

SEASONS = {1: ("voorjaar", "spring"), 2: ("zomer", "summer"), 3: ("najaar", "autumn"),
           4: ("winter", "winter")}
_SEASON_START = {1: 3, 2: 6, 3: 9, 4: 12}
_QUALIFIER_WORDS = {"uiterlijk": ("uiterlijk", "by"), "ca": ("ca.", "about"),
                    "vroegst": ("op z'n vroegst", "no earlier than")}
_PART_WORDS = {"begin": ("begin", "early"), "mid": ("medio", "mid"), "end": ("eind", "late")}


@dataclass(frozen=True)
class Rough:
    """A rough date as typed: `precision` unit number `number` of `year`, and its part."""

    precision: str
    year: int
    number: int = 0  # month 1-12, quarter 1-4, season 1-4, half 1-2, ISO week; 0 for a year
    part: str = ""

    def unit(self) -> tuple[date, date]:
        """The whole unit, first and last day (inclusive)."""
        return unit_span(self.precision, self.year, self.number)

    def span(self) -> tuple[date, date]:
        """The days this rough date stands for (inclusive), its part applied."""
        return narrow(self.precision, *self.unit(), self.part)

    def anchor(self, qualifier: str = "") -> date:
        """The stored due date: the span's last day, its first for "op z'n vroegst"."""
        first, last = self.span()
        return first if qualifier == EARLIEST else last


def _last_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first_month: int, count: int) -> tuple[date, date]:
    """First and last day of `count` months starting at `first_month` of `year` (may run on)."""
    end_index = year * 12 + first_month - 1 + count - 1
    return date(year, first_month, 1), _last_of_month(end_index // 12, end_index % 12 + 1)


def unit_span(precision: str, year: int, number: int = 0) -> tuple[date, date]:
    """First and last day of a unit (ValueError for a unit that does not exist)."""
    if precision == DAY:
        raise ValueError("a day has no unit span")
    if precision == WEEK:
        monday = date.fromisocalendar(year, number, 1)
        return monday, monday + timedelta(days=6)
    if precision == MONTH:
        return _months(year, number, 1)
    if precision == QUARTER:
        return _months(year, 3 * number - 2, 3)
    if precision == SEASON:
        return _months(year, _SEASON_START[number], 3)
    if precision == HALF:
        return _months(year, 6 * number - 5, 6)
    if precision == YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"unknown precision {precision!r}")


def narrow(precision: str, first: date, last: date, part: str) -> tuple[date, date]:
    """The begin/middle/end part of the unit `first`..`last` (the whole unit for "")."""
    if not part:
        return first, last
    if precision in (DAY, WEEK):
        raise ValueError(f"a {precision} has no parts")
    index = PARTS.index(part) - 1
    if precision == MONTH:
        starts = (1, 11, 21)
        start = first.replace(day=starts[index])
        return start, (first.replace(day=starts[index + 1] - 1) if index < 2 else last)
    if precision == YEAR:
        month, count = ((1, 3), (6, 2), (10, 3))[index]
        return _months(first.year, month, count)
    size = 1 if precision in (QUARTER, SEASON) else 2
    month_index = first.year * 12 + first.month - 1 + index * size
    return _months(month_index // 12, month_index % 12 + 1, size)


def containing(precision: str, d: date, part: str = "") -> Rough:
    """The rough date of `precision` (and `part`) whose unit holds `d` (the stored anchor)."""
    if precision == WEEK:
        iso = d.isocalendar()
        return Rough(WEEK, iso.year, iso.week, part)
    if precision == MONTH:
        return Rough(MONTH, d.year, d.month, part)
    if precision == QUARTER:
        return Rough(QUARTER, d.year, (d.month + 2) // 3, part)
    if precision == SEASON:
        if d.month <= 2:
            return Rough(SEASON, d.year - 1, 4, part)
        return Rough(SEASON, d.year, {3: 1, 6: 2, 9: 3, 12: 4}[(d.month // 3) * 3], part)
    if precision == HALF:
        return Rough(HALF, d.year, 1 if d.month <= 6 else 2, part)
    if precision == YEAR:
        return Rough(YEAR, d.year, 0, part)
    raise ValueError(f"unknown precision {precision!r}")


def span_of(due_date: date, precision: str = DAY, part: str = "") -> tuple[date, date]:
    """The days a stored deadline stands for: its own day, or the span of its rough date."""
    if precision in ("", DAY):
        return due_date, due_date
    return containing(precision, due_date, part).span()


def rough_words(rough: Rough, lang: str = "nl", *, year: bool = True) -> str:
    """"voorjaar 2024", "eind Q3 2023", "begin december 2023", "week 47 2023", "medio 2024"."""
    en = is_english(lang)
    pick = 1 if en else 0
    suffix = f" {rough.year}" if year or rough.precision == YEAR else ""
    if rough.precision == WEEK:
        core = f"week {rough.number}{suffix}"
    elif rough.precision == MONTH:
        core = f"{month_name(rough.number, 'en' if en else 'nl')}{suffix}"
    elif rough.precision == QUARTER:
        core = f"Q{rough.number}{suffix}"
    elif rough.precision == SEASON:
        core = f"{SEASONS[rough.number][pick]}{suffix}"
    elif rough.precision == HALF:
        ordinal = ("first", "second")[rough.number - 1] if en else ("eerste", "tweede")[rough.number - 1]
        core = (f"{ordinal} half of {rough.year}" if en else f"{ordinal} helft {rough.year}")
    else:
        core = str(rough.year)
    if not rough.part:
        return core
    word = _PART_WORDS[rough.part][pick]
    if en and rough.part == "end" and rough.precision in (QUARTER, YEAR, HALF):
        word = "end of"
    return f"{word} {core}"


_ORDINALS_NL = ("eerste", "tweede", "derde", "vierde")


def written_words(rough: Rough, *, year: bool = True) -> str:
    """A rough date in Dutch running text (reports): "derde kwartaal 2023", "eind 2023",
    "tweede helft van 2023"; the rest as `rough_words` says it. One notation for quarters:
    never "Q3 2023" in a sentence."""
    suffix = f" {rough.year}" if year else ""
    if rough.precision == QUARTER:
        core = f"{_ORDINALS_NL[rough.number - 1]} kwartaal{suffix}"
    elif rough.precision == HALF:
        core = f"{_ORDINALS_NL[rough.number - 1]} helft" + (f" van {rough.year}" if year else "")
    else:
        return rough_words(rough, "nl", year=year)
    return f"{_PART_WORDS[rough.part][0]} {core}" if rough.part else core


def qualifier_words(qualifier: str, lang: str = "nl") -> str:
    """"uiterlijk", "ca.", "op z'n vroegst" (English: "by", "about", "no earlier than"); "" for none."""
    pair = _QUALIFIER_WORDS.get(qualifier)
    return "" if pair is None else pair[1 if is_english(lang) else 0]


def due_words(due_date: date, due_time: time | None = None, precision: str = DAY,
              qualifier: str = "", part: str = "", lang: str = "nl", *,
              weekday: bool = True, year: bool = True, written_out: bool = False) -> str:
    """A due date the way it was typed: "ma 20 nov 2023 14:00", "uiterlijk 1 okt 2023",
    "voorjaar 2024", "op z'n vroegst eind 2024". `written_out` is running text (reports):
    "28 september 2023", no weekday."""
    if precision in ("", DAY) and written_out:
        month = month_name(due_date.month, "en" if is_english(lang) else "nl")
        text = f"{due_date.day} {month.capitalize() if is_english(lang) else month}"
        text += f" {due_date.year}" if year else ""
        if due_time is not None:
            text += f" {due_time:%H:%M}"
    elif precision in ("", DAY):
        # "uiterlijk 1 okt 2023": a qualified day reads without its weekday, as people write it
        text = format_date(due_date, lang, weekday=weekday and not qualifier, year=year)
        if due_time is not None:
            text += f" {due_time:%H:%M}"
    else:
        rough = containing(precision, due_date, part)
        text = (written_words(rough, year=year) if written_out and not is_english(lang)
                else rough_words(rough, lang, year=year))
    prefix = qualifier_words(qualifier, lang)
    return f"{prefix} {text}" if prefix else text


def is_rough(precision: str, qualifier: str = "") -> bool:
    """True when the date is not one known day ("voorjaar 2024", "ca. 15 mei")."""
    return precision not in ("", DAY) or qualifier == "ca"
