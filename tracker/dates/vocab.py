"""The words the date grammar knows, in Dutch and English; month and day names come from babel."""

from __future__ import annotations

import unicodedata
from functools import cache

from babel.dates import get_day_names, get_month_names

LANGS = ("nl", "en")


def fold(word: str) -> str:
    """Lower case without diacritics or trailing dots, the form every vocabulary key is stored in."""
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return word.casefold().rstrip(".")


def _babel_names(getter, lang: str) -> dict[int, str]:
    return {key: fold(name) for key, name in getter(lang).items()}


# Abbreviations people type that CLDR does not list (it knows "mrt", "okt", "sep").
_EXTRA_MONTHS = {
    "sept": 9, "febr": 2, "maa": 3, "aug": 8, "okt": 10, "oct": 10, "mar": 3, "may": 5,
    "juni": 6, "juli": 7,
}
_EXTRA_WEEKDAYS = {
    "din": 1, "woe": 2, "don": 3, "vrij": 4, "zat": 5, "zon": 6,
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}


@cache
def months() -> dict[str, int]:
    """Month word -> month number (1-12): babel's wide and abbreviated names plus common abbreviations."""
    table: dict[str, int] = {}
    for lang in LANGS:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names = get_month_names(width, context, locale=lang)
                table.update({fold(name): number for number, name in names.items()})
    table.update(_EXTRA_MONTHS)
    return table


@cache
def weekdays() -> dict[str, int]:
    """Weekday word -> Python weekday (Monday 0): babel's wide/abbreviated names plus abbreviations."""
    table: dict[str, int] = {}
    for lang in LANGS:
        for width in ("wide", "abbreviated"):
            names = get_day_names(width, "format", locale=lang)
            table.update({fold(name): number for number, name in names.items()})
    table.update(_EXTRA_WEEKDAYS)
    return table


@cache
def month_name(month: int, lang: str, width: str = "wide") -> str:
    """Babel's month name for display, without a trailing dot ("november", "November", "nov")."""
    return get_month_names(width, "format", locale=lang)[month].rstrip(".")


@cache
def day_name(weekday: int, lang: str, width: str = "wide") -> str:
    """Babel's weekday name for display (Monday 0), without a trailing dot ("maandag", "Mon")."""
    return get_day_names(width, "format", locale=lang)[weekday].rstrip(".")


# Days relative to today, as whole phrases.
RELATIVE_DAYS = {
    "vandaag": 0, "today": 0,
    "morgen": 1, "tomorrow": 1,
    "overmorgen": 2, "day after tomorrow": 2,
    "gisteren": -1, "yesterday": -1,
    "eergisteren": -2, "day before yesterday": -2,
}

# Calendar units for "over 3 weken", "60d", "3 months".
UNITS = {
    **dict.fromkeys(("d", "dag", "dagen", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "week", "weken", "weeks"), "weeks"),
    **dict.fromkeys(("mnd", "maand", "maanden", "month", "months"), "months"),
    **dict.fromkeys(("jaar", "jaren", "year", "years"), "years"),
}

# Small numbers written as words ("over twee weken", "in a week").
NUMBER_WORDS = {
    "een": 1, "a": 1, "an": 1, "one": 1,
    "twee": 2, "two": 2, "drie": 3, "three": 3, "vier": 4, "four": 4,
    "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7, "seven": 7,
    "acht": 8, "eight": 8, "negen": 9, "nine": 9, "tien": 10, "ten": 10,
}

# "eind Q3", "begin december", "medio 2024" and their English counterparts.
MODIFIERS = {
    **dict.fromkeys(("begin", "start", "early", "beginning"), "begin"),
    **dict.fromkeys(("medio", "mid", "midden", "half", "halverwege", "middle"), "mid"),
    **dict.fromkeys(("eind", "einde", "end", "late", "eindje"), "end"),
}

# Words before a weekday that all mean "the first one after today".
NEXT_WEEKDAY = frozenset({"aanstaande", "komende", "volgende", "eerstvolgende", "next", "coming"})
# "vrijdag volgende week": the Friday of next ISO week.
NEXT_WEEK = frozenset({"volgende week", "komende week", "next week"})

# Words that carry no meaning in a date ("op 20 nov", "end of Q3", "de 20e").
FILLER = frozenset({"op", "on", "de", "het", "the", "van", "of", "om", "at", "uiterlijk", "by"})
# Ordinal endings glued to a day number: "20e", "1ste", "20th", "2nd".
ORDINAL_SUFFIXES = frozenset({"e", "ste", "de", "st", "nd", "rd", "th"})
AGO = frozenset({"geleden", "ago"})
