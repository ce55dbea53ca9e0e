"""`parse_when`: the `<when>` of `/deadline add` and `/deadline move`, in Dutch or English."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.errors import InvalidInput

from .core import MAX_YEAR, Unreadable, When, check_year, checked, local_today, out_of_window, shift
from .tokens import Tok, drop_filler, extract_time, tokenize
from .vocab import (
    AGO,
    MODIFIERS,
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
    for rule in (_relative_day, _offset, _approximate, _weekday, _calendar_date):
        when = rule(toks, today)
        if when is not None:
            break
    else:
        raise unreadable(text)
    if at is None:
        return when
    if when.approximate:
        raise InvalidInput(
            "Een tijd past niet bij een globale datum zoals 'eind Q3'; noem een precieze dag.",
            "A time does not go with a rough date like 'end of Q3'; give an exact day.",
            example="29 sep 2023 14:00",
        )
    return replace(when, time=at)


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


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _approximate(toks: list[Tok], today: date) -> When | None:
    # "eind Q3", "begin december", "medio 2024", "Q4 2023": a rough target. A bare quarter
    # means its last day, the moment it is due at the latest; "begin" the first day,
    # "medio" the 15th of the middle month (or 1 July for a year).
    mod = MODIFIERS.get(toks[0].text) if toks[0].kind == "word" else None
    rest = toks[1:] if mod else toks
    if len(rest) >= 3 and rest[0].kind == "num" and rest[1].is_word("q"):
        rest = [*rest[1:3], rest[0], *rest[3:]]  # "2023 Q4" reads as "Q4 2023"
    if len(rest) >= 2 and rest[0].is_word("q", "k") and rest[1].kind == "num":
        quarter = check_quarter(rest[1].value)
        first = 3 * quarter - 2
        makers = {
            "begin": lambda y: date(y, first, 1),
            "mid": lambda y: date(y, first + 1, 15),
            "end": lambda y: _last_day(y, first + 2),
        }
        return _rough(makers[mod or "end"], rest[2:], today, toks)
    if not mod:
        return None
    if rest and rest[0].kind == "word" and rest[0].text in months():
        month = months()[rest[0].text]
        makers = {
            "begin": lambda y: date(y, month, 1),
            "mid": lambda y: date(y, month, 15),
            "end": lambda y: _last_day(y, month),
        }
        return _rough(makers[mod], rest[1:], today, toks)
    if len(rest) == 1 and rest[0].kind == "num":
        year = four_digit_year(rest[0])
        anchor = {"begin": date(year, 1, 1), "mid": date(year, 7, 1), "end": date(year, 12, 31)}
        return When(anchor[mod], approximate=True)
    raise InvalidInput(
        f"Na ‘{toks[0].text}’ verwacht ik een kwartaal, maand of jaar.",
        f"After ‘{toks[0].text}’ I expect a quarter, month or year.",
        example=f"{toks[0].text} Q3",
    )


def check_quarter(quarter: int) -> int:
    """`quarter` itself, or InvalidInput for anything but 1-4."""
    if not 1 <= quarter <= 4:
        raise InvalidInput(
            f"Q{quarter} bestaat niet; een jaar heeft Q1 t/m Q4.",
            f"Q{quarter} does not exist; a year has Q1 to Q4.",
            example="eind Q3",
        )
    return quarter


def _rough(make: Callable[[int], date], year_toks: list[Tok], today: date,
           toks: list[Tok]) -> When | None:
    if not year_toks:
        return When(_next_to_come(make, today), approximate=True)
    if len(year_toks) == 1 and year_toks[0].kind == "num":
        return When(make(four_digit_year(year_toks[0])), approximate=True)
    return None


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
        return (day, month, four_digit_year(toks[1])) if toks[1].kind == "num" else None
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
    year = four_digit_year(toks[2]) if len(toks) == 3 else None
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


def _weekday_mismatch(actual: date, said: int) -> InvalidInput:
    def words(lang: str) -> tuple[str, str, str]:
        long = f"{actual.day} {month_name(actual.month, lang)} {actual.year}"
        return long, day_name(actual.weekday(), lang), day_name(said, lang)

    nl_date, nl_is, nl_said = words("nl")
    en_date, en_is, en_said = words("en")
    return InvalidInput(
        f"{nl_date} is een {nl_is}, geen {nl_said}.",
        f"{en_date} is a {en_is}, not a {en_said}.",
        example=f"{nl_is} {nl_date}",
    )
