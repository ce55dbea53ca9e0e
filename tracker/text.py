"""Text helpers shared by the grammar, the services and the renderers."""

from __future__ import annotations

import re
import unicodedata

_DASHES = "-‐‑‒–—―−_/"
_SPACES = re.compile(r"\s+")
_DASH_SPACES = str.maketrans(dict.fromkeys(_DASHES, " "))
_NOT_WORD = re.compile(r"[^\w\s]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fold(text: str) -> str:
    """Fold for matching: case, diacritics and dashes ("Zwolle–Münster" → "zwolle munster")."""
    if not text.isascii():  # ASCII has no diacritics to strip: most titles skip this part
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text.casefold().translate(_DASH_SPACES))
    return _SPACES.sub(" ", text).strip()


def clean(text: str) -> str:
    """Strip control characters and surrounding white space from user input."""
    return _CONTROL.sub("", text).strip()


def shorten(text: str, limit: int, *, marker: str = "…") -> str:
    """`text` cut to at most `limit` characters at a word boundary, with a marker when cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(marker), 0)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + marker


def format_eur(amount: int | float | None, lang: str = "nl") -> str:
    """Euros the way the report writes them: "€ 1.950.000", "€ 40 mln"."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000_000 and amount % 100_000_000 == 0:
        mld = f"{amount / 1_000_000_000:.1f}".rstrip("0").rstrip(".")
        return (f"{sign}€ {mld.replace('.', ',')} mld" if lang == "nl"
                else f"{sign}€{mld}bn")
    if amount >= 1_000_000 and amount % 100_000 == 0:
        mln = amount / 1_000_000
        number = f"{mln:.1f}".rstrip("0").rstrip(".")
        if lang == "nl":
            number = number.replace(".", ",")
        return f"{sign}€ {number} mln" if lang == "nl" else f"{sign}€{number}m"
    whole = f"{round(amount):,}"
    whole = whole.replace(",", ".") if lang == "nl" else whole
    return f"{sign}€ {whole}" if lang == "nl" else f"{sign}€{whole}"


NBSP = "\u00a0"
_MONTH_NAMES = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
                "december|January|February|March|April|May|June|July|August|September|October|"
                "November|December")
# Where a line must not break: "€ 1.249.769", "€ 75 mln", "23 juni 2023", "Q2 2023". Each
# alternative starts with the space itself, which lets the regex engine skip to the spaces.
_GLUE = re.compile(rf" (?:(?<=€ )(?=-?\d)|(?<=\d )(?=(?:mln|mld|miljoen|miljard|{_MONTH_NAMES})\b)"
                   r"|(?<=[^\W\d_] )(?=\d{4}\b)|(?<=[QH]\d )(?=\d{4}\b))")


def glue(text: str) -> str:
    """`text` with a no-break space (U+00A0) where a line must not break: between "€" and its
    amount, an amount and "mln"/"mld", a day and its month, a word and the year after it
    ("juni 2023", "voorjaar 2023"), a quarter and its year. The document renderers apply it
    before wrapping (the PDF draws the space as a space again once its lines are laid out)."""
    return _GLUE.sub(NBSP, text)


# Characters that change how text around them looks without being seen: zero-width space,
# non-joiner, joiner, LRM/RLM, the bidi embeddings and overrides (U+202A–202E) and isolates
# (U+2066–2069), word joiner and invisible operators, the Arabic letter mark, soft hyphen,
# Mongolian vowel separator and the BOM. A bidi override can make "exe.txt" read "txt.exe".
# Lone surrogates and the non-characters U+FFFE/FFFF go too: no output format can carry them.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_INLINE_SPACE = re.compile(r"[\s\u2028\u2029\x85]+")


def safe_inline(text: str | None) -> str:
    """User text for any output (chat, canvas, documents): invisible and bidi control
    characters removed, line breaks and runs of white space collapsed to one space, so a
    title can neither hide text nor start a line of its own."""
    if not text:
        return ""
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip()  # nothing to collapse or remove (most titles)
    text = _INLINE_SPACE.sub(" ", text)  # before removing controls: "\n" becomes a space
    return _INVISIBLE.sub("", text).strip()


# Letters of the right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
# Mandaic, their presentation forms, and the right-to-left blocks beyond the BMP.
RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first letter with a direction belongs to a
    right-to-left script (Hebrew, Arabic, …): the bidi algorithm's own rule (UAX #9, P2–P3), as
    a browser's dir="auto" applies it. Counting letters instead would make "2 mei 2023 —
    notitie: " before a long Hebrew note right to left too, and the bidi algorithm then tears
    the day from its month ("mei 2023 — notitie 2")."""
    if text.isascii() or not RTL_LETTERS.search(text):
        return False
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
