"""Dates in words for replies and digests: "vr 17 nov 2023", "maandag 20 november 2023", "over 7 dagen"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from .core import is_english
from .vocab import day_name, month_name


def _lang(lang: str) -> str:
    return "en" if is_english(lang) else "nl"


def format_date(d: date, lang: str = "nl", *, weekday: bool = True, year: bool = True) -> str:
    """Short date: "vr 17 nov 2023" / "Fri 17 Nov 2023" (babel's abbreviations, no dots)."""
    lang = _lang(lang)
    # Built from babel's names rather than a babel pattern so abbreviations never
    # carry a trailing dot, whatever the CLDR version ("sep." in some releases).
    parts = [str(d.day), month_name(d.month, lang, "abbreviated")]
    if weekday:
        parts.insert(0, day_name(d.weekday(), lang, "abbreviated"))
    if year:
        parts.append(str(d.year))
    return " ".join(parts)


def format_long_date(d: date, lang: str = "nl") -> str:
    """Long date: "maandag 20 november 2023" / "Monday 20 November 2023"."""
    lang = _lang(lang)
    return f"{day_name(d.weekday(), lang)} {d.day} {month_name(d.month, lang)} {d.year}"


def format_datetime(dt: datetime, tz: ZoneInfo, lang: str = "nl") -> str:
    """An aware instant in local words: "ma 20 nov 2023 14:00" (24-hour clock in both languages)."""
    if dt.tzinfo is None:
        raise ValueError("dt must be timezone-aware")
    local = dt.astimezone(tz)
    return f"{format_date(local.date(), lang)} {local:%H:%M}"


def format_relative_days(n: int, lang: str = "nl") -> str:
    """Days from today in words: "vandaag", "morgen", "over 7 dagen", "3 dagen geleden"."""
    if is_english(lang):
        if n in (0, 1):
            return ("today", "tomorrow")[n]
        days = f"{abs(n)} day{'' if abs(n) == 1 else 's'}"
        return f"in {days}" if n > 0 else f"{days} ago"
    if n in (0, 1):
        return ("vandaag", "morgen")[n]
    days = f"{abs(n)} {'dag' if abs(n) == 1 else 'dagen'}"
    return f"over {days}" if n > 0 else f"{days} geleden"
