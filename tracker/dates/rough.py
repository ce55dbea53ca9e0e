"""Rough dates and qualifiers in `<when>`: "voorjaar 2024", "eind Q3", "in juni", "week 47",
"medio 2024", "H1 2024", "uiterlijk 1 oktober", "op z'n vroegst eind 2024"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from tracker.errors import InvalidInput

from .core import MAX_YEAR, MIN_YEAR, When, check_year, out_of_window
from .spans import HALF, MONTH, QUARTER, SEASON, WEEK, YEAR, Rough
from .tokens import Tok
from .vocab import MODIFIERS, fold, months

# Qualifier phrases, matched on the folded text before it is tokenized ("z'n" has an apostrophe).
_QUALIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:op\s+)?z(?:ij|['’`]?)n\s+(?:aller)?vroegst\b|^niet\s+eerder\s+dan\b"
                r"|^no\s+earlier\s+than\b|^not\s+before\b|^(?:at\s+the\s+)?earliest\b"), "vroegst"),
    (re.compile(r"\b(?:op\s+)?z(?:ij|['’`]?)n\s+vroegst$|\bat\s+the\s+earliest$"), "vroegst"),
    (re.compile(r"^(?:uiterlijk|uiterst|niet\s+later\s+dan|no\s+later\s+than|by|before|voor)\b"),
     "uiterlijk"),
    (re.compile(r"^(?:ca\b\.?|circa\b|ongeveer\b|omstreeks\b|rond\b|rondom\b|about\b|around\b"
                r"|approx\b\.?|approximately\b)"), "ca"),
)

SEASON_WORDS = {
    "voorjaar": 1, "lente": 1, "spring": 1,
    "zomer": 2, "summer": 2,
    "najaar": 3, "herfst": 3, "autumn": 3, "fall": 3,
    "winter": 4,
}
_HALF_WORDS = frozenset({"helft", "halfjaar", "half", "halve", "halfyear"})
_ORDINALS = {"eerste": 1, "first": 1, "tweede": 2, "second": 2}
_THIS_YEAR = frozenset({"dit jaar", "this year", "het jaar"})
_NEXT_YEAR = frozenset({"volgend jaar", "volgende jaar", "next year", "komend jaar"})


def split_qualifier(text: str) -> tuple[str, str]:
    """(qualifier, the rest) for "uiterlijk 1 oktober" → ("uiterlijk", "1 oktober")."""
    folded = fold(text.strip())
    for pattern, qualifier in _QUALIFIERS:
        match = pattern.search(folded)
        if match is not None and match.group(0):
            rest = (folded[: match.start()] + " " + folded[match.end():]).strip(" ,")
            return qualifier, rest
    return "", text


def _year(toks: list[Tok], today: date) -> int | bool | None:
    """The year named by `toks`: a number, "dit jaar", "volgend jaar"; None when there is none,
    False when `toks` is not a year at all."""
    if not toks:
        return None
    if len(toks) == 1 and toks[0].kind == "num":
        if len(toks[0].text) != 4:
            raise InvalidInput(
                f"Schrijf het jaar in vier cijfers, niet ‘{toks[0].text}’.",
                f"Write the year in four digits, not ‘{toks[0].text}’.", example="eind Q3 2024")
        return check_year(toks[0].value)
    words = " ".join(tok.text for tok in toks)
    if words in _THIS_YEAR:
        return today.year
    if words in _NEXT_YEAR:
        return check_year(today.year + 1)
    return False


def _next_to_come(make: Callable[[int], Rough], today: date) -> Rough:
    """The first rough date `make(year)` whose span has not ended before today."""
    for year in range(max(today.year - 1, MIN_YEAR), min(today.year + 9, MAX_YEAR + 1)):
        try:
            rough = make(year)
            last = rough.span()[1]
        except ValueError:  # week 53 in a year that has none
            continue
        if last >= today:
            return rough
    raise out_of_window()


def _made(make: Callable[[int], Rough], year_toks: list[Tok], today: date) -> Rough | None:
    year = _year(year_toks, today)
    if year is False:
        return None
    if year is None:
        return _next_to_come(make, today)
    assert isinstance(year, int)
    return make(year)


def read_rough(toks: list[Tok], today: date) -> Rough | None:
    """The rough date `toks` name, or None when they are no rough date (InvalidInput when they
    clearly try to be one and fail, as "eind" without a unit)."""
    lead_in = bool(toks) and toks[0].is_word("in", "during", "tijdens")
    if lead_in:
        toks = toks[1:]
    if not toks:
        return None
    mod = MODIFIERS.get(toks[0].text) if toks[0].kind == "word" else None
    rest = toks[1:] if mod else toks
    part = mod or ""
    if len(rest) >= 3 and rest[0].kind == "num" and len(rest[0].text) == 4 and rest[1].kind == "word":
        rest = [*rest[1:3], rest[0], *rest[3:]]  # "2023 Q4", "2024H1" read as "Q4 2023", "H1 2024"
    if not rest:
        raise _expect_unit(toks[0].text)
    head = rest[0]
    if len(rest) >= 2 and head.is_word("q", "k") and rest[1].kind == "num":
        number = _check_range(rest[1].value, 4, "Q")
        return _made(lambda y: Rough(QUARTER, y, number, part), rest[2:], today)
    if len(rest) >= 2 and head.is_word("h") and rest[1].kind == "num":
        number = _check_range(rest[1].value, 2, "H")
        return _made(lambda y: Rough(HALF, y, number, part), rest[2:], today)
    half = _half_number(rest)
    if half is not None:
        number, year_toks = half
        return _made(lambda y: Rough(HALF, y, number, part), year_toks, today)
    if head.kind == "word" and head.text in SEASON_WORDS:
        number = SEASON_WORDS[head.text]
        return _made(lambda y: Rough(SEASON, y, number, part), rest[1:], today)
    if len(rest) >= 2 and head.is_word("week", "wk") and rest[1].kind == "num":
        if part:
            raise InvalidInput("Een week heeft geen begin of eind; noem de week of een dag.",
                               "A week has no start or end; give the week or a day.",
                               example="week 47")
        week = rest[1].value

        def make_week(year: int) -> Rough:
            rough = Rough(WEEK, year, week)
            rough.unit()  # ValueError for week 54, or 53 in a year without one
            return rough

        try:
            return _made(make_week, rest[2:], today)
        except ValueError:
            raise InvalidInput(f"Week {week} bestaat niet.", f"Week {week} does not exist.",
                               example="week 47") from None
    if head.kind == "word" and head.text in months() and (mod or lead_in):
        month = months()[head.text]
        return _made(lambda y: Rough(MONTH, y, month, part), rest[1:], today)
    if mod or lead_in:
        year = _year(rest, today)
        if isinstance(year, int) and year is not False:
            return Rough(YEAR, year, 0, part)
        if mod and not lead_in:
            raise _expect_unit(toks[0].text)
    return None


def _half_number(toks: list[Tok]) -> tuple[int, list[Tok]] | None:
    """"eerste helft 2024", "2e halfjaar", "first half of 2024": (1 or 2, the year tokens)."""
    head = toks[0]
    if head.kind == "num" and len(toks) >= 2 and toks[1].text in _HALF_WORDS:
        number = head.value
    elif head.kind == "word" and head.text in _ORDINALS and len(toks) >= 2 \
            and toks[1].text in _HALF_WORDS:
        number = _ORDINALS[head.text]
    else:
        return None
    rest = toks[2:]
    if rest and rest[0].is_word("jaar", "year"):  # "eerste half jaar"
        rest = rest[1:]
    return _check_range(number, 2, "H"), rest


def _check_range(number: int, top: int, letter: str) -> int:
    if not 1 <= number <= top:
        nl = "een jaar heeft Q1 t/m Q4" if letter == "Q" else "een jaar heeft H1 en H2"
        en = "a year has Q1 to Q4" if letter == "Q" else "a year has H1 and H2"
        raise InvalidInput(f"{letter}{number} bestaat niet; {nl}.",
                           f"{letter}{number} does not exist; {en}.",
                           example="eind Q3" if letter == "Q" else "H2 2024")
    return number


def _expect_unit(word: str) -> InvalidInput:
    return InvalidInput(
        f"Na ‘{word}’ verwacht ik een kwartaal, maand, seizoen of jaar.",
        f"After ‘{word}’ I expect a quarter, month, season or year.",
        example=f"{word} Q3",
    )


def rough_when(rough: Rough, qualifier: str) -> When:
    """The `When` of a rough date: its anchor, precision, part and qualifier."""
    anchor = rough.anchor(qualifier)
    check_year(anchor.year)
    return When(anchor, None, rough.precision, qualifier, rough.part)
