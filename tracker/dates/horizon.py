"""`parse_horizon`: how far ahead `/deadline list` looks ("60d", "3 maanden", "Q4")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.errors import InvalidInput
from tracker.text import safe_inline, shorten

from .core import Unreadable, local_today, shift
from .tokens import Tok, drop_filler, tokenize
from .vocab import NUMBER_WORDS, UNITS, months
from .when import parse_when

DEFAULT_HORIZON_DAYS = 30
HORIZON_EXAMPLE = "/deadline list 60d"
YEARS = (2000, 2100)  # a bare number in this range is a year ("2027"), not a count of days
# "de komende 60 dagen", "next 3 months", "binnen 2 weken": all just the duration.
_LEAD_WORDS = frozenset({"komende", "next", "binnen", "within", "over", "in"})


def parse_horizon(text: str, *, now: datetime, tz: ZoneInfo) -> date:
    """The inclusive last day a horizon ("60d", "3 maanden", "Q4", "juni 2027", "2027",
    "31 dec 2027", "" = 30 days) reaches from today."""
    today = local_today(now, tz)
    try:
        end = _read(text, today, now, tz)
    except Unreadable:
        shown = shorten(safe_inline(text), 40)
        raise Unreadable(  # still "unreadable": a caller may say more (tracker.execute)
            f"Ik begrijp de periode ‘{shown}’ niet. "
            "Probeer bijvoorbeeld 60d, 60 dagen, 2 weken, 3 maanden of Q4.",
            f"I don't understand the horizon ‘{shown}’. "
            "Try for example 60d, 60 days, 2 weeks, 3 months or Q4.",
            example=HORIZON_EXAMPLE,
        ) from None
    except InvalidInput as problem:  # a date, but a wrong one: "31 feb", "9999 maanden"
        if not (problem.example or "").startswith("/deadline list"):
            problem.example = HORIZON_EXAMPLE  # a /deadline list, not a date for `add`
        raise
    if end < today:
        raise InvalidInput(
            "Die periode ligt in het verleden; kies een eind na vandaag.",
            "That horizon lies in the past; choose an end after today.",
            example=HORIZON_EXAMPLE,
        )
    return end


def _read(text: str, today: date, now: datetime, tz: ZoneInfo) -> date:
    toks = drop_filler(tokenize(text))
    if not toks:
        return today + timedelta(days=DEFAULT_HORIZON_DAYS)
    core = toks[1:] if toks[0].is_word(*_LEAD_WORDS) else toks
    duration = _duration(core)
    if duration is not None:
        return shift(today, *duration)
    if len(toks) == 1 and toks[0].kind == "num":
        if YEARS[0] <= toks[0].value <= YEARS[1] and len(toks[0].text) == 4:
            return date(toks[0].value, 12, 31)  # "2027": up to the end of that year
        n = toks[0].text
        raise InvalidInput(
            f"Bedoelt u {n} dagen? Schrijf {n}d.", f"Do you mean {n} days? Write {n}d.",
            example=f"/deadline list {n}d",
        )
    # Everything else is a date the horizon runs up to: "Q4" (its last day, this year
    # or next when it has passed), "eind december", "31-12-2023". A month is a span here
    # ("juni", "juni 2027": up to its last day), where a deadline would need its day.
    if _is_month(toks):
        text = f"eind {text}"
    return parse_when(text, now=now, tz=tz).date


def _is_month(toks: list[Tok]) -> bool:
    """ "juni", "nov", "juni 2027": a month's name, perhaps with a four-digit year."""
    return (0 < len(toks) <= 2 and toks[0].kind == "word" and toks[0].text in months()
            and (len(toks) == 1 or (toks[1].kind == "num" and len(toks[1].text) == 4)))


def _duration(toks: list[Tok]) -> tuple[int, str] | None:
    """(count, unit) for "60d", "2 weken", "a month" or a bare unit ("week" = one week)."""
    words = [tok.text for tok in toks if tok.kind == "word"]
    if len(toks) == 1 and words and words[0] in UNITS:
        return 1, UNITS[words[0]]
    if len(toks) != 2 or toks[1].kind != "word" or toks[1].text not in UNITS:
        return None
    count = toks[0].value if toks[0].kind == "num" else NUMBER_WORDS.get(toks[0].text)
    return None if count is None else (count, UNITS[toks[1].text])
