"""`parse_when`: the `<when>` of `/deadline add` and `/deadline move`, in Dutch or English."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.errors import InvalidInput

from .core import MAX_YEAR, Unreadable, When, check_year, checked, local_today, out_of_window, shift
from .rough import read_rough, split_qualifier
from .spans import containing
from .tokens import Tok, drop_filler, extract_time, tokenize
from .vocab import (
    AGO,
    NEXT_WEEK,
    NEXT_WEEKDAY,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    UNITS,
    day_name,
    month_name,
    months,
    weekdays,
)

EXAMPLES_NL = "20-11-2023, 20 nov, morgen, volgende vrijdag, over 2 weken, eind Q3"
EXAMPLES_EN = "20-11-2023, 20 Nov, tomorrow, next Friday, in 2 weeks, end of Q3"


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> When:
    """Read a `<when>` ("20 nov", "volgende vrijdag", "eind Q3", …) relative to `now` in `tz`."""
    today = local_today(now, tz)
    qualifier, text = split_qualifier(text)
    at, toks = extract_time(tokenize(text))
    toks = drop_filler(toks)
    if not toks:
        if at is not None:
            raise InvalidInput(
                "Een tijd alleen is geen datum; zet er een dag bij.",
                "A time alone is not a date; add a day.",
                example="morgen 14:00",
            )
        raise InvalidInput("Geen datum opgegeven.", "No date given.", example="20 nov 2023")
    for rule in (_relative_day, _offset, _rough, _weekday, _calendar_date):
        when = rule(toks, today)
        if when is not None:
            break
    else:
        raise unreadable(text)
    if qualifier:
        when = replace(when, qualifier=qualifier)
        if qualifier == "vroegst":
            when = replace(when, date=_earliest_anchor(when))
    if at is None:
        return when
    if when.precision != "day":
        raise InvalidInput(
            "Een tijd past niet bij een globale datum zoals 'eind Q3'; noem een precieze dag.",
            "A time does not go with a rough date like 'end of Q3'; give an exact day.",
            example="29 sep 2023 14:00",
        )
    return replace(when, time=at)


def _earliest_anchor(when: When) -> date:
    """"op z'n vroegst eind 2024": the span's first day is the one to plan toward."""
    if when.precision == "day":
        return when.date
    return containing(when.precision, when.date, when.part).anchor("vroegst")


def unreadable(text: str) -> Unreadable:
    """The generic error for input that matches no form, echoing (a bit of) what was typed."""
    shown = text.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return Unreadable(
        f"Ik kan ‘{shown}’ niet als datum lezen. Probeer bijvoorbeeld {EXAMPLES_NL}.",
        f"I can't read ‘{shown}’ as a date. Try for example {EXAMPLES_EN}.",
        example="20 nov 2023",
    )


def _phrase(toks: list[Tok]) -> str | None:
    """The tokens as one phrase when they are all words ("day after tomorrow"), else None."""
    if all(tok.kind == "word" for tok in toks):
        return " ".join(tok.text for tok in toks)
    return None


def _relative_day(toks: list[Tok], today: date) -> When | None:
    days = RELATIVE_DAYS.get(_phrase(toks) or "")
    return None if days is None else When(checked(today + timedelta(days=days)))


def _count(tok: Tok) -> int | None:
    if tok.kind == "num":
        return tok.value
    return NUMBER_WORDS.get(tok.text) if tok.kind == "word" else None


def _offset(toks: list[Tok], today: date) -> When | None:
    # "over 2 weken" / "in 3 days" ahead, "3 dagen geleden" / "3 days ago" back. A bare
    # "2 weken" is a duration, not a date, so exactly one of the markers must be there.
    ahead = toks[0].is_word("over", "in")
    back = toks[-1].is_word(*AGO)
    core = toks[1:] if ahead else toks[:-1] if back else []
    if ahead == back or len(core) != 2:
        return None
    count, unit = _count(core[0]), UNITS.get(core[1].text) if core[1].kind == "word" else None
    if count is None or unit is None:
        return None
    return When(shift(today, -count if back else count, unit))


def _next_to_come(make: Callable[[int], date | None], today: date) -> date:
    """The first `make(year)` on or after today; `make` returns None in years without that date."""
    for year in range(today.year, min(today.year + 9, MAX_YEAR + 1)):
        candidate = make(year)
        if candidate is not None and candidate >= today:
            return checked(candidate)
    raise out_of_window()


def four_digit_year(tok: Tok) -> int:
    """The year a four-digit number token names; InvalidInput for "23" or a year out of window."""
    if len(tok.text) != 4:
        raise InvalidInput(
            f"Schrijf het jaar in vier cijfers, niet ‘{tok.text}’.",
            f"Write the year in four digits, not ‘{tok.text}’.",
            example="20 nov 2023",
        )
    return check_year(tok.value)


def date_year(tok: Tok) -> int:
    """The year of a date: four digits, or two read as 20xx ("20 nov 27" is 20 Nov 2027)."""
    if len(tok.text) == 2:
        return check_year(2000 + tok.value)
    return four_digit_year(tok)


class WeekdayMismatch(InvalidInput):
    """A weekday that does not agree with the date: always reported, never read as a title."""


def _rough(toks: list[Tok], today: date) -> When | None:
    # "voorjaar 2024", "eind Q3", "in juni", "week 47", "medio 2024": the span keeps its
    # precision; the stored date is its anchor (see tracker.dates.spans).
    rough = read_rough(toks, today)
    return None if rough is None else When(rough.anchor(), None, rough.precision, "", rough.part)


def check_quarter(quarter: int) -> int:
    """`quarter` itself, or InvalidInput for anything but 1-4."""
    if not 1 <= quarter <= 4:
        raise InvalidInput(
            f"Q{quarter} bestaat niet; een jaar heeft Q1 t/m Q4.",
            f"Q{quarter} does not exist; a year has Q1 to Q4.",
            example="eind Q3",
        )
    return quarter


def _weekday(toks: list[Tok], today: date) -> When | None:
    # "vrijdag", "aanstaande/komende/volgende vrijdag", "next friday": the first Friday after
    # today, never today itself. "vrijdag volgende week": the Friday of next ISO week.
    found = [i for i, tok in enumerate(toks) if tok.kind == "word" and tok.text in weekdays()]
    if len(found) != 1:
        return None
    wanted = weekdays()[toks[found[0]].text]
    others = _phrase(toks[: found[0]] + toks[found[0] + 1 :])
    if others == "" or others in NEXT_WEEKDAY:
        ahead = (wanted - today.weekday() - 1) % 7 + 1
        return When(checked(today + timedelta(days=ahead)))
    if others in NEXT_WEEK:
        monday = today - timedelta(days=today.weekday())
        return When(checked(monday + timedelta(days=7 + wanted)))
    return None


def _calendar_date(toks: list[Tok], today: date) -> When | None:
    # An explicit day, optionally with a weekday that must agree ("maandag 20 november").
    named = [tok for tok in toks if tok.kind == "word" and tok.text in weekdays()]
    rest = [tok for tok in toks if tok not in named]
    if len(named) > 1 or not rest:
        return None
    parts = _day_month_year(rest)
    if parts is None:
        return None
    day, month, year = parts
    check_day_month(day, month, year)
    if year is not None:
        result = date(year, month, day)
    else:
        result = _next_to_come(lambda y: _valid_date(y, month, day), today)
    if named and weekdays()[named[0].text] != result.weekday():
        raise _weekday_mismatch(result, weekdays()[named[0].text])
    return When(result)


def _day_month_year(toks: list[Tok]) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) for the explicit-date forms, None when `toks` is none of them."""
    first = toks[0]
    if len(toks) == 1 and first.kind == "ymd":
        year, month, day = first.parts
        return day, month, check_year(year)
    if len(toks) == 1 and first.kind == "dmy":
        day, month, year = first.parts
        return day, month, check_year(year)
    if first.kind == "dm" and len(toks) <= 2:
        day, month = first.parts
        if len(toks) == 1:
            return day, month, None
        return (day, month, date_year(toks[1])) if toks[1].kind == "num" else None
    # "20 november [2023]" or, the English way, "November 20 [2023]".
    if len(toks) in (2, 3) and toks[0].kind == "num" and _is_month(toks[1]):
        day_tok, month_tok = toks[0], toks[1]
    elif len(toks) in (2, 3) and _is_month(toks[0]) and toks[1].kind == "num":
        day_tok, month_tok = toks[1], toks[0]
    elif len(toks) <= 2 and _is_month(toks[0]):
        raise _which_day(toks)
    else:
        return None
    if len(toks) == 2 and len(day_tok.text) == 4:
        raise _which_day([month_tok, day_tok])  # "november 2023": a month, not a day
    if len(toks) == 3 and toks[2].kind != "num":
        return None
    year = date_year(toks[2]) if len(toks) == 3 else None
    return day_tok.value, months()[month_tok.text], year


def _is_month(tok: Tok) -> bool:
    return tok.kind == "word" and tok.text in months()


def check_day_month(day: int, month: int, year: int | None) -> None:
    """InvalidInput, in words, when `day`-`month`(-`year`) is not on any calendar."""
    if not 1 <= month <= 12:
        raise InvalidInput(
            f"Maand {month} bestaat niet; kies 1 t/m 12.",
            f"Month {month} does not exist; use 1 to 12.",
            example="20-11-2023",
        )
    nl, en = f"{day} {month_name(month, 'nl')}", f"{day} {month_name(month, 'en')}"
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        raise InvalidInput(f"{nl} bestaat niet.", f"{en} does not exist.", example="20 nov 2023")
    if year is not None and _valid_date(year, month, day) is None:
        raise InvalidInput(
            f"{nl} {year} bestaat niet: {year} is geen schrikkeljaar.",
            f"{en} {year} does not exist: {year} is not a leap year.",
            example=f"28 {month_name(month, 'nl')} {year}",
        )


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _which_day(toks: list[Tok]) -> InvalidInput:
    month = months()[toks[0].text]
    year = f" {toks[1].text}" if len(toks) > 1 else ""
    nl, en = month_name(month, "nl"), month_name(month, "en")
    return InvalidInput(
        f"Welke dag in {nl}{year}? Bijvoorbeeld '20 {nl}{year}' of 'begin {nl}{year}'.",
        f"Which day in {en}{year}? For example '20 {en}{year}' or 'early {en}{year}'.",
        example=f"begin {nl}{year}",
    )


def _weekday_mismatch(actual: date, said: int) -> WeekdayMismatch:
    def words(lang: str) -> tuple[str, str, str]:
        long = f"{actual.day} {month_name(actual.month, lang)} {actual.year}"
        return long, day_name(actual.weekday(), lang), day_name(said, lang)

    nl_date, nl_is, nl_said = words("nl")
    en_date, en_is, en_said = words("en")
    return WeekdayMismatch(
        f"{nl_date} is een {nl_is}, geen {nl_said}.",
        f"{en_date} is a {en_is}, not a {en_said}.",
        example=f"{nl_is} {nl_date}",
    )
