"""The digest in words, shared by every renderer (Markdown, text, Slack, DOCX, PDF).

Each phrase is a tuple of parts; a `User` part is text someone typed (a reason, a note, a
title, a name) that each renderer escapes in its own way. Plain `str` parts are ours.
House style: dates written out ("28 september 2023"), one number style ("1.122",
"€ 75 mln"), no zero counts, "wij" where the bureau speaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cache

from tracker.dates.spans import due_words
from tracker.dates.vocab import month_name
from tracker.digest.model import (
    Digest,
    DossierDigest,
    IndicatorDigest,
    Item,
    KeyFigureRow,
    Reason,
    UpcomingDeadline,
    reason_label,
)
from tracker.labels import due_label, kind_label, line_label, programme_status_label, rag_label
from tracker.text import format_eur


class User(str):
    """Text typed by a user: renderers escape it."""

    __slots__ = ()


Phrase = tuple[str, ...]


def join(parts: Iterable[str], escape: Callable[[str], str] | None = None) -> str:
    """The phrase as one string, user parts passed through `escape`."""
    if escape is None:
        return "".join(parts)
    return "".join(escape(p) if isinstance(p, User) else p for p in parts)


def _en(lang: str) -> bool:
    return lang == "en"


# -- dates --------------------------------------------------------------------------------

@cache
def day(d: date, lang: str = "nl", *, approximate: bool = False) -> str:
    """"28 september 2023" (running text); an approximate day reads "rond 26 juni 2023"."""
    text = f"{d.day} {month_name(d.month, 'en' if _en(lang) else 'nl')} {d.year}"
    if _en(lang):
        text = f"{d.day} {month_name(d.month, 'en').capitalize()} {d.year}"
    if approximate:
        return ("around " if _en(lang) else "rond ") + text
    return text


_SEASONS_NL = {12: "winter", 1: "winter", 2: "winter", 3: "voorjaar", 4: "voorjaar",
               5: "voorjaar", 6: "zomer", 7: "zomer", 8: "zomer", 9: "najaar", 10: "najaar",
               11: "najaar"}
_SEASONS_EN = {"winter": "winter", "voorjaar": "spring", "zomer": "summer", "najaar": "autumn"}
_ORDINAL_NL = ("eerste", "tweede", "derde", "vierde")


@cache
def span(d: date, precision: str, lang: str = "nl") -> str:
    """A date known only as a month, quarter, season, half-year or year, said so: "juni 2023",
    "tweede kwartaal 2023", "voorjaar 2023", "eerste helft van 2023", "2023"."""
    en = _en(lang)
    if precision == "month":
        name = month_name(d.month, "en" if en else "nl")
        return f"{name.capitalize() if en else name} {d.year}"
    if precision == "quarter":
        q = (d.month - 1) // 3 + 1
        return f"Q{q} {d.year}" if en else f"{_ORDINAL_NL[q - 1]} kwartaal {d.year}"
    if precision == "season":
        season = _SEASONS_NL[d.month]
        return f"{_SEASONS_EN[season] if en else season} {d.year}"
    if precision == "half":
        first = d.month <= 6
        return (f"{'first' if first else 'second'} half of {d.year}" if en
                else f"{'eerste' if first else 'tweede'} helft van {d.year}")
    if precision == "year":
        return str(d.year)
    if precision == "week":
        week = d.isocalendar()[1]
        return f"week {week} of {d.year}" if en else f"week {week} van {d.year}"
    return day(d, lang)


@cache
def when(d: date, lang: str = "nl", *, precision: str = "day", approximate: bool = False,
         qualifier: str = "", milestone: bool = False) -> str:
    """A date as precisely as it is known; a milestone's due date through `due_label`."""
    if precision != "day":
        text = span(d, precision, lang)
    elif milestone:
        text = due_label(day(d, lang), approximate or qualifier == "uiterlijk", lang)
    else:
        text = day(d, lang, approximate=approximate)
    if qualifier == "vroegst":
        text = ("at the earliest " if _en(lang) else "op z'n vroegst ") + text
    elif qualifier == "ca" and precision == "day" and not approximate:
        text = ("around " if _en(lang) else "rond ") + text
    return text


def item_when(item: Item, lang: str = "nl") -> str:
    """When an item happened, as precisely as known (cached: dates repeat)."""
    if item.kind is not None and item.precision != "day":  # a milestone, the way it was typed
        return due_words(item.at, None, item.precision, item.qualifier, item.due_part, lang,
                         written_out=True)
    return when(item.at, lang, precision=item.precision, approximate=item.approximate,
                qualifier=item.qualifier, milestone=item.kind is not None)


# -- numbers ------------------------------------------------------------------------------

def number(value: float, lang: str = "nl") -> str:
    """1318 → "1.318" (nl) / "1,318" (en); decimals only when there are any."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if not _en(lang) else text


def percent(share: float, lang: str = "nl") -> str:
    """0.4377 → "44%"."""
    return f"{round(share * 100)}%"


def key_figure(figure: KeyFigureRow, lang: str = "nl") -> Phrase:
    """"ruim 660 jongeren bereikt en geholpen", "€ 384,6 mln door het Rijk gereserveerd …"."""
    # A key figure is one phrase of the (Dutch) report, its label in the report's words: in
    # English too it is quoted whole, with the report's number style ("1.122 werkgevers
    # gesproken", never "1,122 werkgevers": to a Dutch reader 1,122 is one and a bit).
    if figure.value is None:
        value = figure.text
    elif figure.unit == "eur":
        value = format_eur(figure.value, "nl")
    elif figure.unit == "pct":
        value = f"{number(figure.value, 'nl')}%"
    else:
        value = number(figure.value, "nl")
    lead = f"{figure.qualifier} " if figure.qualifier else ""
    return (f"{lead}{value} ", User(figure.label))


# -- items and records --------------------------------------------------------------------

def rag(value: str | None, lang: str = "nl") -> str:
    """"red" → "rood"; no value → "—"."""
    return rag_label(value, lang) if value else "—"


def item_detail(item: Item, lang: str = "nl") -> Phrase:
    """What changed, without date and reason: "oranje → rood", "20 november 2023 → …"."""
    r = item.reason
    if r is Reason.STATUS_CHANGED:
        return (f"{rag(item.before, lang)} → {rag(item.after, lang)}",)
    if r is Reason.PROGRAMME_STATUS:
        before = programme_status_label(item.before, lang) if item.before else "—"
        return (f"{before} → {programme_status_label(item.after or '', lang)}",)
    if r is Reason.DEADLINE_MOVED:
        before, after = moved_when(item.before, lang), moved_when(item.after, lang)
        return ((f"from {before} to {after}" if _en(lang) else f"van {before} naar {after}"),)
    if r is Reason.DEADLINE_ADDED and item.after:
        due = moved_when(item.after, lang)
        exact = due[:1].isdigit()  # "31 oktober 2023", not "eind 2023" or "uiterlijk …"
        return (((("due " if _en(lang) else "op ") if exact else "") + due),)
    return ()


def moved_when(value: str | None, lang: str = "nl") -> str:
    """A stored date of a move ("2023-12-31 (year end)") the way it was meant, through the one
    `due_label`: "eind 2023", "uiterlijk 31 maart 2024", "27 november 2023 14:00"."""
    from tracker.digest.history import read_stored_when

    if not value:
        return "?"
    try:
        stored = read_stored_when(value)
    except ValueError:
        return value  # a display text of an older record: as it is
    return due_label(UpcomingDeadline(0, "", "", "", "", stored.due, stored.at, False,
                                      precision=stored.precision, qualifier=stored.qualifier,
                                      due_part=stored.part), lang, written_out=True)


def owner_phrase(owner: str | None, lang: str = "nl") -> str:
    """"(eigenaar: <@U1>)" for an action with an owner; nothing without one (the front page
    says once how many have none)."""
    if owner:
        return f" ({'owner' if _en(lang) else 'eigenaar'}: <@{owner}>)"
    return ""


# What an event in the world did once it took place, by kind: a letter appears, a decision is
# taken, a debate, visit, meeting or election takes place.
_HELD_NL = {"decision": "is genomen", "letter": "is verschenen"}
_HELD_EN = {"decision": "was taken", "letter": "was published"}


def held_label(item: Item, lang: str = "nl") -> str:
    """"heeft plaatsgevonden", "is genomen" (a decision), "is verschenen" (a letter)."""
    kind = item.kind or ""
    if kind == "decision" and "brief" in item.text.casefold():
        kind = "letter"
    return (_HELD_EN if _en(lang) else _HELD_NL).get(kind, reason_label(Reason.EVENT_HELD, lang))


def expected_when(item: Item, lang: str = "nl") -> str:
    """"verwacht in de tweede helft van 2023", "verwacht op z'n vroegst eind 2023"."""
    text = item_when(item, lang)
    if _en(lang):
        return f"expected {text}"
    if item.qualifier or item.due_part:
        return f"verwacht {text}"
    if item.precision in ("", "day"):
        return f"verwacht op {text}"
    article = {"half": "de ", "quarter": "het ", "season": "het "}.get(item.precision, "")
    if item.precision in ("quarter", "season"):  # "in het najaar van 2023"
        head, _, year = text.rpartition(" ")
        text = f"{head} van {year}" if year.isdigit() and head else text
    return f"verwacht in {article}{text}"


def item_phrase(item: Item, lang: str = "nl") -> Phrase:
    """One item, with why it is there: "23 juni 2023 — status gewijzigd: oranje → rood: …"."""
    if item.reason is Reason.EVENT_EXPECTED:  # never told as fact
        return ((f"{expected_when(item, lang)}; not confirmed that it took place: " if _en(lang)
                 else f"{expected_when(item, lang)}; niet bevestigd dat dit heeft "
                      "plaatsgevonden: "), User(item.text))
    label = (held_label(item, lang) if item.reason is Reason.EVENT_HELD
             else reason_label(item.reason, lang))
    parts: Phrase = (f"{item_when(item, lang)} — {label}",)
    if item.reason is Reason.DEADLINE_MOVED:  # "mijlpaal verzet: <title>, van … naar …"
        if item.text:
            parts += (": ", User(item.text), ", ")
        else:
            parts += (": ",)
        return (*parts, *item_detail(item, lang))
    detail = item_detail(item, lang)
    if detail:
        parts += (": ", *detail)
    if item.text:
        parts += (": ", User(item.text))
    if item.reason in (Reason.NOT_REPORTED, Reason.DEADLINE_MISSED):
        parts += (owner_phrase(item.owner, lang),)
    return parts


def change_phrase(item: Item, lang: str = "nl") -> Phrase:
    """A status change the way people say it: "oranje → rood op 23 juni 2023: <reason>"."""
    on = (" on " if _en(lang) else " op ") if item.precision == "day" else " in "
    parts: Phrase = (*item_detail(item, lang), on, item_when(item, lang))
    if item.text:
        parts += (": ", User(item.text))
    return parts


def status_phrase(dossier: DossierDigest, lang: str = "nl") -> Phrase:
    """"rood (beoordeling van het team), sinds 23 juni 2023: <reason>"."""
    since = ""
    if dossier.rag_since:  # only when the history dates this status
        since = (", since " if _en(lang) else ", sinds ") + when(
            dossier.rag_since, lang, precision=dossier.rag_since_precision)
    label = " (the team's assessment)" if _en(lang) else " (beoordeling van het team)"
    parts: Phrase = (f"{rag(dossier.rag, lang)}{label}{since}",)
    if dossier.rag_reason:
        parts += (": ", User(dossier.rag_reason))
    return parts


def funding_phrase(dossier: DossierDigest, lang: str = "nl") -> Phrase | None:
    """The funding picture: the figures the records hold (nodig / toegezegd / tekort) and the
    source's own words; None when there is neither."""
    needed, secured, gap = dossier.funding_needed, dossier.funding_secured, dossier.funding_gap
    en = _en(lang)
    figures = []
    if needed is not None:
        figures.append(("needed " if en else "nodig ") + format_eur(needed, lang))
    if secured is not None:
        figures.append(("committed " if en else "toegezegd ") + format_eur(secured, lang))
    if gap is not None and gap > 0:
        figures.append(("gap " if en else "tekort ") + format_eur(gap, lang))
    parts: Phrase = ()
    if figures:
        parts += ("; ".join(figures) + ".",)
    if dossier.funding_note and en:  # the report's own words, quoted as it wrote them
        parts += ((" " if parts else "") + "In the report’s words: “", User(dossier.funding_note),
                  "”")
    elif dossier.funding_note:
        parts += ((" " if parts else ""), User(dossier.funding_note))
    return parts or None


def upcoming_phrase(deadline: UpcomingDeadline, lang: str = "nl", *,
                    with_code: bool = True) -> Phrase:
    """"31 oktober 2023 · RD5 · indiening: <title>": the date the way it was typed."""
    text = due_label(deadline, lang, written_out=True)
    code: Phrase = (User(deadline.dossier_code), " · ") if with_code else ()
    return (f"{text} · ", *code, f"{kind_label(deadline.kind, lang)}: ", User(deadline.title))


def indicator_phrase(series: IndicatorDigest, lang: str = "nl") -> Phrase:
    """"Aanmeldingen …: 1.318 in januari t/m juni 2023, gemiddeld 220 per maand (gemiddeld per
    maand in 2022: 140)"."""
    en = _en(lang)
    months = [m for m, _ in series.months]
    when_ = ""
    if months:
        first = month_name(months[0].month, "en" if en else "nl")
        last = month_name(months[-1].month, "en" if en else "nl")
        if en:
            first, last = first.capitalize(), last.capitalize()
        through = " to " if en else " t/m "
        when_ = (f" in {first}{through}{last} {series.year}"
                 if first != last else f" in {first} {series.year}")
    parts: Phrase = (User(series.name), f": {number(series.total, lang)}{when_}")
    if len(months) > 1:
        avg = number(round(series.monthly_average), lang)
        parts += ((f", on average {avg} a month" if en else f", gemiddeld {avg} per maand"),)
    if series.baseline is not None:
        if en and series.baseline_label:  # the report's own label, quoted as it wrote it
            parts += (" (the report: “", User(series.baseline_label),
                      f": {number(series.baseline, 'nl')}”)")
        else:
            label = series.baseline_label or ("before" if en else "eerder")
            parts += (f" ({label}: {number(series.baseline, lang)})",)
    return parts


# -- titles -------------------------------------------------------------------------------

def line_title(line: str, lang: str = "nl") -> str:
    """The execution line's heading; the lobby dossiers sit under Public Affairs."""
    if line == "public-affairs":
        return "Public Affairs and Communication" if _en(lang) else "Public Affairs en Communicatie"
    return line_label(line, lang)


_TITLE = {"half": ("Halfjaarrapportage", "Half-year report"),
          "quarter": ("Kwartaalrapportage", "Quarterly report"),
          "month": ("Maandoverzicht", "Monthly overview"),
          "week": ("Weekoverzicht", "Weekly overview")}


def digest_title(digest: Digest, lang: str = "nl") -> str:
    """"Halfjaarrapportage eerste halfjaar 2023"."""
    nl, en = _TITLE.get(digest.kind, _TITLE["half"])
    return f"{en if _en(lang) else nl} {digest.period.label(lang)}"


def period_span(digest: Digest, lang: str = "nl") -> str:
    """"1 januari 2023 t/m 30 juni 2023"."""
    last = digest.period.end - timedelta(days=1)
    sep = " to " if _en(lang) else " t/m "
    return f"{day(digest.period.start, lang)}{sep}{day(last, lang)}"


def so_far_note(digest: Digest, lang: str = "nl") -> str | None:
    """"stand per 15 november 2023" while the period is still running."""
    if not digest.current or digest.as_of is None:
        return None
    return (f"as of {day(digest.as_of, lang)}" if _en(lang)
            else f"stand per {day(digest.as_of, lang)}")


def results_heading(digest: Digest, lang: str = "nl") -> str:
    """"Resultaten t/m 30 juni 2023"."""
    last = digest.as_of or (digest.period.end - timedelta(days=1))
    return (f"Results up to {day(last, lang)}" if _en(lang)
            else f"Resultaten t/m {day(last, lang)}")


def dossier_heading(dossier: DossierDigest) -> Phrase:
    """"N35 — Wijthmen–Nijverdal / Mobiliteitsfonds" (the code said once)."""
    return (User(dossier.code), " — ", User(dossier.short_title))


QUOTED_EN = ("Quoted from the Dutch report: the Dutch text here is the report's own, as it "
             "wrote it, with its Dutch numbers (1.122; € 26,5 mln).")


def quoted_note(lang: str = "nl") -> str | None:
    """The English rendering's note at the start of each section that quotes the report."""
    return QUOTED_EN if _en(lang) else None
