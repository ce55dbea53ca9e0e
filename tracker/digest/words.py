"""The digest in words, shared by every renderer (Markdown, text, Slack).

Each phrase is a tuple of parts; a `User` part is text someone typed (a reason, a note, a
title, a name) that each renderer escapes in its own way. Plain `str` parts are ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cache

from tracker.dates import format_date
from tracker.dates.spans import due_words
from tracker.digest.build import following_period
from tracker.digest.model import (
    Budget,
    Digest,
    DossierDigest,
    IndicatorDigest,
    Item,
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
MAX_NOTABLE = 12  # per kind in the key points; the line sections below have them all


def join(parts: Iterable[str], escape: Callable[[str], str] | None = None) -> str:
    """The phrase as one string, user parts passed through `escape`."""
    if escape is None:
        return "".join(parts)
    return "".join(escape(p) if isinstance(p, User) else p for p in parts)


def _en(lang: str) -> bool:
    return lang == "en"


@cache
def day(d: date, lang: str = "nl", *, approximate: bool = False) -> str:
    """"23 jun 2023"; an approximate date reads "ca. 15 mei 2023" (cached: dates repeat)."""
    text = format_date(d, lang, weekday=False)
    if approximate:
        return ("c. " if _en(lang) else "ca. ") + text
    return text


@cache
def iso_day(value: str | None, lang: str = "nl") -> str:
    """A stored "YYYY-MM-DD[ HH:MM]" in words; anything else as it is."""
    if not value:
        return "?"
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return day(d, lang) + value[10:]


def number(value: float, lang: str = "nl") -> str:
    """1318 → "1.318" (nl) / "1,318" (en); decimals only when there are any."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if not _en(lang) else text


def rag(value: str | None, lang: str = "nl") -> str:
    """"red" → "rood"; no value → "—"."""
    return rag_label(value, lang) if value else "—"


def item_detail(item: Item, lang: str = "nl") -> Phrase:
    """What changed, without date and reason: "oranje → rood", "20 nov 2023 → 27 nov 2023"."""
    r = item.reason
    if r is Reason.STATUS_CHANGED:
        return (f"{rag(item.before, lang)} → {rag(item.after, lang)}",)
    if r is Reason.PROGRAMME_STATUS:
        before = programme_status_label(item.before, lang) if item.before else "—"
        return (f"{before} → {programme_status_label(item.after or '', lang)}",)
    if r is Reason.DEADLINE_MOVED:
        return (f"{iso_day(item.before, lang)} → {iso_day(item.after, lang)}",)
    if r is Reason.DEADLINE_ADDED and item.after:
        return ((("due " if _en(lang) else "op ") + iso_day(item.after, lang)),)
    return ()


def item_day(item: Item, lang: str = "nl") -> str:
    """The item's date: a milestone's the way it was typed ("juni 2023", "Q2 2023")."""
    if item.precision != "day" or item.qualifier:
        return due_words(item.at, None, item.precision, item.qualifier, item.due_part, lang,
                         weekday=False)
    return day(item.at, lang, approximate=item.approximate)


def item_phrase(item: Item, lang: str = "nl") -> Phrase:
    """One item: "23 jun 2023 — status gewijzigd in de periode: oranje → rood: <reason>"."""
    parts: Phrase = (f"{item_day(item, lang)} — "
                     f"{reason_label(item.reason, lang)}",)
    detail = item_detail(item, lang)
    if detail:
        parts += (": ", *detail)
    if item.text:
        parts += (": ", User(item.text))
    return parts


def change_phrase(item: Item, lang: str = "nl") -> Phrase:
    """A status change the way people say it: "oranje → rood op 23 jun 2023: <reason>"."""
    on = " on " if _en(lang) else " op "
    parts: Phrase = (*item_detail(item, lang), on, item_day(item, lang))
    if item.text:
        parts += (": ", User(item.text))
    return parts


def status_phrase(dossier: DossierDigest, lang: str = "nl") -> Phrase:
    """"rood sinds 23 jun 2023: <reason>"."""
    since = ""
    if dossier.rag_since:
        since = (" since " if _en(lang) else " sinds ") + day(dossier.rag_since, lang)
    parts: Phrase = (f"{rag(dossier.rag, lang)}{since}",)
    if dossier.rag_reason:
        parts += (": ", User(dossier.rag_reason))
    return parts


def funding_phrase(dossier: DossierDigest, lang: str = "nl") -> Phrase | None:
    """"nodig € 75 mln, gedekt € 35 mln, tekort € 40 mln"; None without figures."""
    needed, secured, gap = dossier.funding_needed, dossier.funding_secured, dossier.funding_gap
    if needed is None and secured is None:
        return None
    en = _en(lang)
    parts = []
    if needed is not None:
        parts.append(("needed " if en else "nodig ") + format_eur(needed, lang))
    if secured is not None:
        parts.append(("secured " if en else "gedekt ") + format_eur(secured, lang))
    if gap is not None and gap > 0:
        parts.append(("gap " if en else "tekort ") + format_eur(gap, lang))
    return (", ".join(parts),)


def upcoming_phrase(deadline: UpcomingDeadline, lang: str = "nl") -> Phrase:
    """"31 okt 2023 · RD5 · indiening: <title>"."""
    when = due_label(deadline, lang, weekday=False)
    return (f"{when} · ", User(deadline.dossier_code),
            f" · {kind_label(deadline.kind, lang)}: ", User(deadline.title))


def indicator_phrase(series: IndicatorDigest, lang: str = "nl") -> Phrase:
    """"Aanmeldingen …: 1.318 (jan–jun); gedrukt totaal 0 klopt niet"."""
    en = _en(lang)
    months = [m for m, _ in series.months]
    span = ""
    if months:
        first = format_date(months[0], lang, weekday=False, year=False).split(" ")[-1]
        last = format_date(months[-1], lang, weekday=False, year=False).split(" ")[-1]
        span = f" ({first}–{last} {series.year})" if first != last else f" ({first} {series.year})"
    parts: Phrase = (User(series.name), f": {number(series.total, lang)}{span}")
    if series.flagged:
        stated = number(series.stated_total or 0, lang)
        parts += ((f"; stated total {stated} does not add up" if en
                   else f"; gedrukt totaal {stated} klopt niet"),)
    return parts


def budget_phrases(budget: Budget, lang: str = "nl") -> list[Phrase]:
    """The balance (stated and from the lines) and the totals that do not add up."""
    en = _en(lang)
    out: list[Phrase] = []
    stated, computed = budget.stated_balance, budget.computed_balance
    table = ""
    if computed.expected is not None:
        if stated is not None and stated.expected is not None and stated.expected != computed.expected:
            table = (f"{format_eur(stated.expected, lang)} from the stated totals, "
                     f"{format_eur(computed.expected, lang)} from the lines" if en else
                     f"{format_eur(stated.expected, lang)} volgens de gedrukte totalen, "
                     f"{format_eur(computed.expected, lang)} volgens de regels")
        else:
            table = format_eur(computed.expected, lang)
    # The report's own statement of the balance comes first; the table's arithmetic explains it.
    for row in budget.stated_surplus:
        amount = row.amounts.expected if row.amounts.expected is not None else row.amounts.budget
        phrase: Phrase = (User(row.name), f" {budget.year}: {format_eur(amount, lang)}")
        if row.flagged:
            phrase += ((f" as stated in the report; it does not follow from the table ({table})"
                        if en else
                        f" volgens de rapportage; dat volgt niet uit de tabel ({table})"),)
        out.append(phrase)
    if table and not budget.stated_surplus:
        label = (f"Expected balance {budget.year}" if en else f"Verwacht saldo {budget.year}")
        out.append((f"{label}: {table}",))
    for row in budget.flagged:
        if row in budget.stated_surplus:
            continue
        cols = ", ".join(column_label(c, lang) for c in row.mismatches)
        stated_vals = ", ".join(format_eur(getattr(row.amounts, c), lang) for c in row.mismatches)
        comp_vals = ", ".join(format_eur(getattr(row.computed, c), lang) for c in row.mismatches)
        out.append((User(row.name), (
            f" ({cols}): stated {stated_vals}, lines add up to {comp_vals}" if en else
            f" ({cols}): gedrukt {stated_vals}, de regels tellen op tot {comp_vals}")))
    return out


def column_label(column: str, lang: str = "nl") -> str:
    """"expected" → "verwacht jaartotaal"."""
    nl = {"budget": "begroting", "actual": "werkelijk", "expected": "verwacht jaartotaal"}
    en = {"budget": "budget", "actual": "actual", "expected": "expected year total"}
    return (en if _en(lang) else nl)[column]


def count_phrase(digest: Digest, lang: str = "nl") -> Phrase:
    """"2 statuswijzigingen, 10 mijlpalen bereikt, 0 gemist, 11 notities"."""
    counts: dict[Reason, int] = {}
    for _, item in digest.items:
        counts[item.reason] = counts.get(item.reason, 0) + 1
    changed_programmes = sum(1 for p in digest.programmes if p.changes)
    en = _en(lang)
    words = [
        (Reason.STATUS_CHANGED, "status change", "status changes", "statuswijziging",
         "statuswijzigingen"),
        (Reason.MILESTONE_REACHED, "milestone reached", "milestones reached", "mijlpaal bereikt",
         "mijlpalen bereikt"),
        (Reason.DEADLINE_MISSED, "deadline missed", "deadlines missed", "deadline gemist",
         "deadlines gemist"),
        (Reason.DEADLINE_MOVED, "deadline moved", "deadlines moved", "deadline verzet",
         "deadlines verzet"),
        (Reason.DEADLINE_ADDED, "deadline added", "deadlines added", "deadline toegevoegd",
         "deadlines toegevoegd"),
        (Reason.NOTE, "note", "notes", "notitie", "notities"),
    ]
    parts = []
    for reason, one_en, many_en, one_nl, many_nl in words:
        n = counts.get(reason, 0)
        if n or reason in (Reason.STATUS_CHANGED, Reason.MILESTONE_REACHED,
                           Reason.DEADLINE_MISSED):
            parts.append(f"{n} " + ((one_en if n == 1 else many_en) if en
                                    else (one_nl if n == 1 else many_nl)))
    if changed_programmes:
        parts.append(f"{changed_programmes} " + (
            ("programme changed status" if changed_programmes == 1
             else "programmes changed status") if en else
            ("programma van status gewijzigd" if changed_programmes == 1
             else "programma's van status gewijzigd")))
    return (", ".join(parts),)


def headlines(digest: Digest, lang: str = "nl") -> list[Phrase]:
    """The "bestuurlijke hoofdlijnen": the facts a board member reads first."""
    en = _en(lang)
    out: list[Phrase] = []
    if digest.is_empty:
        out.append((f"Nothing changed in the {digest.period.label(lang)}." if en else
                    f"Niets gewijzigd in {digest.period.label(lang)}.",))
    else:
        period = digest.period.label(lang)
        out.append((f"{period[:1].upper()}{period[1:]}: ", *count_phrase(digest, lang), "."))
    notable = [(d, i) for d, i in digest.items
               if i.reason in (Reason.STATUS_CHANGED, Reason.DEADLINE_MISSED, Reason.ARCHIVED)]
    for dossier, item in notable[:MAX_NOTABLE]:
        if item.reason is Reason.STATUS_CHANGED:
            out.append((User(dossier.code), ": ", *change_phrase(item, lang)))
        else:
            out.append((User(dossier.code), ": ", *item_phrase(item, lang)))
    if len(notable) > MAX_NOTABLE:
        rest = len(notable) - MAX_NOTABLE
        out.append((f"…and {rest} more status changes and missed deadlines (below, per line)"
                    if en else
                    f"…en nog {rest} statuswijzigingen en gemiste deadlines (hieronder, per lijn)",))
    changed = {d.code for d, i in notable[:MAX_NOTABLE] if i.reason is Reason.STATUS_CHANGED}
    red = [d for d in digest.dossiers if d.rag == "red" and d.code not in changed]
    for dossier in red[:MAX_NOTABLE]:
        out.append((User(dossier.code), (" is red: " if en else " staat op rood: "),
                    User(dossier.rag_reason)))
    if len(red) > MAX_NOTABLE:
        out.append((f"…and {len(red) - MAX_NOTABLE} more red dossiers" if en
                    else f"…en nog {len(red) - MAX_NOTABLE} dossiers op rood",))
    gaps = [d for d in digest.dossiers if d.funding_gap]
    for dossier in gaps[:MAX_NOTABLE]:
        out.append((User(dossier.code), (" funding: " if en else " financiering: "),
                    *(funding_phrase(dossier, lang) or ())))
    for programme in digest.programmes[:MAX_NOTABLE * 5]:
        for item in programme.changes:
            out.append(((("Programme " if en else "Programma ")), User(programme.name), ": ",
                        *change_phrase(item, lang)))
        if not programme.changes and programme.status not in ("on-track", "done"):
            out.append(((("Programme " if en else "Programma ")), User(programme.name), ": ",
                         programme_status_label(programme.status, lang)))
    if digest.budget is not None:
        out.extend(budget_phrases(digest.budget, lang))
    for series in digest.indicators:
        out.append(indicator_phrase(series, lang))
    if digest.upcoming:
        first = digest.upcoming[0]
        label = digest.next_period.label(lang)
        out.append(((f"Next period ({label}): {len(digest.upcoming)} open deadlines, first "
                     if en else
                     f"Volgende periode ({label}): {len(digest.upcoming)} open deadlines, eerst "),
                    *upcoming_phrase(first, lang)))
    return out


def line_title(line: str, lang: str = "nl") -> str:
    """The execution line's heading."""
    return line_label(line, lang)


def digest_title(digest: Digest, lang: str = "nl") -> str:
    """"Digest eerste halfjaar 2023"."""
    return f"Digest {digest.period.label(lang)}"


def period_span(digest: Digest, lang: str = "nl") -> str:
    """"1 jan 2023 t/m 30 jun 2023"."""
    last = digest.period.end - timedelta(days=1)
    sep = " to " if _en(lang) else " t/m "
    return f"{day(digest.period.start, lang)}{sep}{day(last, lang)}"


def so_far_note(digest: Digest, lang: str = "nl") -> str | None:
    """"tot nu toe" when the period is still running (its span ends today)."""
    if digest.period.end >= following_period(digest.period).start:
        return None
    return "so far" if _en(lang) else "tot nu toe"
