"""Reporting periods for digests: half-years, quarters, months and ISO weeks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from tracker.errors import InvalidInput

from .core import Unreadable, is_english, local_today
from .tokens import Tok, drop_filler, tokenize
from .vocab import month_name, months
from .when import check_quarter, four_digit_year


@dataclass(frozen=True)
class Period:
    """A reporting period: `start` inclusive, `end` exclusive, a canonical `key` and labels."""

    start: date
    end: date
    key: str
    label_nl: str
    label_en: str

    def label(self, lang: str = "nl") -> str:
        """The label in `lang` ("eerste halfjaar 2023" / "first half of 2023")."""
        return self.label_en if is_english(lang) else self.label_nl


def half_year(year: int, half: int) -> Period:
    """Half-year `half` (1 or 2) of `year`, e.g. key "2023H1"."""
    start = date(year, 1 if half == 1 else 7, 1)
    nl, en = ("eerste", "first") if half == 1 else ("tweede", "second")
    return Period(start, start + relativedelta(months=6), f"{year}H{half}",
                  f"{nl} halfjaar {year}", f"{en} half of {year}")


def quarter(year: int, number: int) -> Period:
    """Quarter `number` (1-4) of `year`, e.g. key "2023Q3"."""
    start = date(year, 3 * number - 2, 1)
    label = f"Q{number} {year}"
    return Period(start, start + relativedelta(months=3), f"{year}Q{number}", label, label)


def month(year: int, number: int) -> Period:
    """Month `number` of `year`, e.g. key "2023-11"."""
    start = date(year, number, 1)
    return Period(start, start + relativedelta(months=1), f"{year}-{number:02d}",
                  f"{month_name(number, 'nl')} {year}", f"{month_name(number, 'en')} {year}")


def iso_week(year: int, week: int) -> Period:
    """ISO week `week` of ISO year `year`, e.g. key "2023W47" (Monday to Monday)."""
    start = date.fromisocalendar(year, week, 1)
    label = f"week {week} {year}"
    return Period(start, start + timedelta(days=7), f"{year}W{week:02d}", label, label)


def half_year_of(d: date) -> Period:
    """The whole half-year that contains `d`."""
    return half_year(d.year, 1 if d.month <= 6 else 2)


def previous_half_year(d: date) -> Period:
    """The half-year that ended most recently on or before `d` (on 1 Jan 2024: 2023H2)."""
    return half_year_of(half_year_of(d).start - timedelta(days=1))


_CONTAINING: dict[str, Callable[[date], Period]] = {
    "week": lambda d: iso_week(*d.isocalendar()[:2]),
    "month": lambda d: month(d.year, d.month),
    "quarter": lambda d: quarter(d.year, (d.month + 2) // 3),
    "half": half_year_of,
}
_UNIT_WORDS = {
    "week": "week", "wk": "week",
    "maand": "month", "month": "month",
    "kwartaal": "quarter", "quarter": "quarter",
    **dict.fromkeys(("halfjaar", "half jaar", "halve jaar", "halfyear", "half year"), "half"),
}
_CURRENT = frozenset({"deze", "dit", "this", "current", "huidige", "huidig", "lopende", "lopend"})
_PREVIOUS = frozenset({"vorige", "vorig", "last", "previous", "afgelopen"})
_ORDINALS = {"eerste": 1, "first": 1, "tweede": 2, "second": 2}
_HALF_WORDS = frozenset({"halfjaar", "half", "halve", "halfyear"})


PERIOD_EXAMPLE = "/digest 2023H2"


def parse_period(text: str, *, now: datetime, tz: ZoneInfo) -> Period:
    """The digest period named by `text` ("2023H1", "Q3 2023", "2023-11", "maand", "" = this half-year so far)."""
    today = local_today(now, tz)
    try:
        toks = drop_filler(tokenize(text))
        period = _read(toks, today)
    except Unreadable:
        period = None
    except InvalidInput as exc:  # "Q5 bestaat niet", "Jaar 1999 valt buiten …": a period example
        raise InvalidInput(exc.nl, exc.en, example=PERIOD_EXAMPLE) from None
    if period is None:
        raise InvalidInput(
            f"Ik begrijp de periode ‘{text.strip()[:40]}’ niet. Probeer bijvoorbeeld "
            "2023H1, H2 2023, Q3 2023, 2023-11, week, maand of halfjaar.",
            f"I don't understand the period ‘{text.strip()[:40]}’. Try for example "
            "2023H1, H2 2023, Q3 2023, 2023-11, week, month or halfyear.",
            example=PERIOD_EXAMPLE,
        )
    return period


def _so_far(period: Period, today: date) -> Period:
    # "this month" in a digest means what has happened up to and including today.
    return replace(period, end=min(period.end, today + timedelta(days=1)))


def _read(toks: list[Tok], today: date) -> Period | None:
    if not toks:
        return _so_far(half_year_of(today), today)
    if all(tok.kind == "word" for tok in toks):
        named = _named(" ".join(tok.text for tok in toks), today)
        if named is not None:
            return named
    if len(toks) >= 2 and toks[0].kind == "num" and len(toks[0].text) == 4:
        toks = [*toks[1:], toks[0]]  # "2023H1", "2023 Q3", "2023W47": year last, like "H1 2023"
    head, rest = toks[0], toks[1:]
    if head.text in _ORDINALS or (head.kind == "num" and rest and rest[0].text in _HALF_WORDS):
        return _ordinal_half(toks, today)
    if head.is_word("h", "q", "k", "w", "week") and rest and rest[0].kind == "num":
        return _numbered(head.text, rest[0].value, rest[1:], today)
    if head.kind == "word" and head.text in months():
        number = months()[head.text]
        return _with_year(lambda y: month(y, number), rest, today)
    if head.kind == "num" and len(head.text) <= 2 and len(rest) == 1:
        return _with_year(lambda y: month(y, _check_month(head.value)), rest, today)
    return None


def _named(phrase: str, today: date) -> Period | None:
    """"week", "deze maand" (so far) or "vorig kwartaal" (the whole previous one)."""
    first, _, remainder = phrase.partition(" ")
    previous = first in _PREVIOUS
    unit = _UNIT_WORDS.get(remainder if first in _CURRENT or previous else phrase)
    if unit is None:
        return None
    current = _CONTAINING[unit](today)
    if previous:
        return _CONTAINING[unit](current.start - timedelta(days=1))
    return _so_far(current, today)


def _ordinal_half(toks: list[Tok], today: date) -> Period | None:
    """"tweede halfjaar 2023", "2e halfjaar", "first half of 2023"."""
    head = toks[0]
    number = head.value if head.kind == "num" else _ORDINALS[head.text]
    words = [tok for tok in toks[1:] if tok.kind == "word"]
    if not words or any(tok.text not in _HALF_WORDS | {"jaar", "year"} for tok in words):
        return None
    year_toks = [tok for tok in toks[1:] if tok.kind != "word"]
    return _numbered("h", number, year_toks, today)


def _numbered(letter: str, number: int, year_toks: list[Tok], today: date) -> Period | None:
    if letter == "h":
        if number not in (1, 2):
            raise InvalidInput(
                f"H{number} bestaat niet; een jaar heeft H1 en H2.",
                f"H{number} does not exist; a year has H1 and H2.",
                example="/digest H2 2023",
            )
        return _with_year(lambda y: half_year(y, number), year_toks, today)
    if letter in ("q", "k"):
        check_quarter(number)
        return _with_year(lambda y: quarter(y, number), year_toks, today)
    return _with_year(lambda y: _checked_week(y, number, explicit=bool(year_toks)), year_toks,
                      today, iso=True)


def _checked_week(year: int, week: int, *, explicit: bool) -> Period | None:
    try:
        return iso_week(year, week)
    except ValueError:
        if explicit or not 1 <= week <= 53:
            raise InvalidInput(
                f"Week {week} bestaat niet in {year}.", f"Week {week} does not exist in {year}.",
                example="/digest 2023W47",
            ) from None
        return None  # week 53 this year does not exist; an earlier year may have one


def _check_month(number: int) -> int:
    if not 1 <= number <= 12:
        raise InvalidInput(
            f"Maand {number} bestaat niet; kies 1 t/m 12.",
            f"Month {number} does not exist; use 1 to 12.",
            example="/digest 2023-11",
        )
    return number


def _with_year(make: Callable[[int], Period | None], year_toks: list[Tok], today: date,
               *, iso: bool = False) -> Period | None:
    # Without a year a digest period means the latest one that has begun ("Q4" in
    # January 2024 is Q4 2023): digests look back, and a future period is empty.
    if year_toks:
        if len(year_toks) != 1 or year_toks[0].kind != "num":
            return None
        return make(four_digit_year(year_toks[0]))
    this_year = today.isocalendar().year if iso else today.year
    for year in range(this_year, this_year - 7, -1):
        period = make(year)
        if period is not None and period.start <= today:
            return period
    return None
