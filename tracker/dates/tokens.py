"""A small tokenizer shared by the `<when>`, horizon and period grammars."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from tracker.errors import InvalidInput

from .core import Unreadable
from .vocab import FILLER, ORDINAL_SUFFIXES, fold

# Longer input is never a date; refusing it early keeps every later step cheap.
MAX_LENGTH = 100

_TOKEN = re.compile(
    r"""
      (?P<ymd>[0-9]{4}(?P<s1>[-/.])[0-9]{1,2}(?P=s1)[0-9]{1,2})(?![0-9])
    | (?P<dmy>[0-9]{1,2}(?P<s2>[-/.])[0-9]{1,2}(?P=s2)[0-9]{4})(?![0-9])
    | (?P<dm>[0-9]{1,2}[-/][0-9]{1,2})(?![0-9])
    | (?P<clock>[0-9]{1,2}(?:[:.]|u)[0-9]{2})(?![0-9])
    | (?P<num>[0-9]+)
    | (?P<word>[^\W\d_]+)
    | (?P<skip>[\s,;:!?()\[\]"'.\-/]+)
    """,
    re.VERBOSE,
)
_DIGITS = re.compile(r"[0-9]+")
_HOUR_SUFFIXES = frozenset({"u", "uur", "h", "am", "pm"})
_TIME_MARKERS = frozenset({"om", "at"})


@dataclass(frozen=True)
class Tok:
    """One token: `kind` is num, word, ymd, dmy, dm or clock; `parts` holds its numbers."""

    kind: str
    text: str
    parts: tuple[int, ...] = ()

    @property
    def value(self) -> int:
        """The (first) number in the token."""
        return self.parts[0]

    def is_word(self, *words: str) -> bool:
        """True when this is one of `words`."""
        return self.kind == "word" and self.text in words


def normalize(text: str) -> str:
    """Case- and accent-folded text with the dotted abbreviations ("a.s.", "p.m.") spelled out."""
    text = fold(text)
    text = re.sub(r"\ba\.s\.?(?=\s|$)", " aanstaande ", text)
    return re.sub(r"\b([ap])\.m\.?(?=\s|$)", r"\1m", text)


def tokenize(text: str) -> list[Tok]:
    """The tokens of `text`; InvalidInput for characters no date contains or for overlong input."""
    if len(text) > MAX_LENGTH:
        raise InvalidInput(
            f"Dat is te lang voor een datum (maximaal {MAX_LENGTH} tekens).",
            f"That is too long for a date (at most {MAX_LENGTH} characters).",
            example="20 nov 2023",
        )
    text = normalize(text)
    toks: list[Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise Unreadable(
                f"Het teken ‘{text[pos]}’ hoort niet in een datum.",
                f"The character ‘{text[pos]}’ does not belong in a date.",
                example="20 nov 2023",
            )
        pos = match.end()
        kind = match.lastgroup  # the outer group: it closes after the separator groups inside it
        if kind == "skip":
            continue
        raw = match.group(kind)
        parts = tuple(int(n) for n in _DIGITS.findall(raw))
        if kind == "word" and raw in ORDINAL_SUFFIXES and toks and toks[-1].kind == "num":
            continue  # "20e", "1st": the ending adds nothing to the number
        toks.append(Tok(kind, raw, parts))
    return toks


def drop_filler(toks: list[Tok]) -> list[Tok]:
    """`toks` without words that carry no meaning ("op", "the", "of", …) before other tokens."""
    # A trailing filler is kept so the text stays unreadable: callers that try ever
    # shorter prefixes of "20 nov op het stadhuis" must not get a date out of
    # "20 nov op het" and lose two words of the title.
    last = len(toks) - 1
    return [tok for i, tok in enumerate(toks) if i == last or not tok.is_word(*FILLER)]


def _make_time(hour: int, minute: int, ampm: str | None, raw: str) -> time:
    if ampm:
        ok = 1 <= hour <= 12
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    else:
        ok = 0 <= hour <= 23
    if not ok or not 0 <= minute <= 59:
        raise InvalidInput(
            f"{raw} is geen geldige tijd.",
            f"{raw} is not a valid time.",
            example="20 nov 2023 14:00",
        )
    return time(hour, minute)


def extract_time(toks: list[Tok]) -> tuple[time | None, list[Tok]]:
    """The one wall time in `toks` ("14:00", "14.00", "14u", "om 9", "2pm") and the other tokens."""
    found: list[time] = []
    rest: list[Tok] = []
    i = 0
    while i < len(toks):
        marked = toks[i].is_word(*_TIME_MARKERS) and i + 1 < len(toks)
        j = i + 1 if marked else i
        tok = toks[j]
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        suffix = nxt.text if nxt is not None and nxt.is_word(*_HOUR_SUFFIXES) else None
        if tok.kind == "clock" or (tok.kind == "num" and (marked or suffix)):
            hour, minute = tok.parts if tok.kind == "clock" else (tok.value, 0)
            ampm = suffix if suffix in ("am", "pm") else None
            raw = f"{tok.text} {suffix}" if suffix else tok.text
            found.append(_make_time(hour, minute, ampm, raw))
            i = j + (2 if suffix else 1)
        else:
            rest.append(toks[i])
            i += 1
    if len(found) > 1:
        raise InvalidInput(
            "Geef maar één tijd op.", "Give just one time.", example="20 nov 2023 14:00"
        )
    return (found[0] if found else None), rest
