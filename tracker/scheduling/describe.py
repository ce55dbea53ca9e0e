"""Plain one-line descriptions of scheduled items (console, `lobby remind` output, logs)."""

from __future__ import annotations

from functools import singledispatch

from tracker.dates import format_date, format_relative_days
from tracker.labels import due_label
from tracker.scheduling.confirm import ConfirmRound
from tracker.scheduling.items import Agenda, Cleanup, DigestItem, Item, Overdue, Reminder, Snoozed


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def late_mark(item: Item, lang: str = "nl") -> str:
    """" (later verzonden)" for an item posted after downtime, else ""."""
    return _t(lang, " (later verzonden)", " (sent late)") if item.late else ""


def relative(item: Reminder | Overdue, lang: str = "nl") -> str:
    """"Over 7 dagen", "Morgen", "Vandaag", "3 dagen geleden", counted from the posting day."""
    words = format_relative_days((item.due - item.today).days, lang)
    return words[:1].upper() + words[1:]


@singledispatch
def describe(item: Item, lang: str = "nl") -> str:
    """One line saying what `item` is."""
    return item.key


@describe.register
def _(item: Reminder, lang: str = "nl") -> str:
    x = item.deadline
    return (f"{relative(item, lang)}: {x.title} — {x.dossier_code} · "
            f"{due_label(x, lang, on=item.due)}{late_mark(item, lang)}")


@describe.register
def _(item: Snoozed, lang: str = "nl") -> str:
    x = item.deadline
    return (f"{_t(lang, 'Herinnering op verzoek', 'Snoozed reminder')}: {x.title} — "
            f"{x.dossier_code} · {format_date(item.due, lang)}{late_mark(item, lang)}")


@describe.register
def _(item: Cleanup, lang: str = "nl") -> str:
    return (f"{_t(lang, 'Opruimlijst', 'Clean-up list')} {item.month}: {len(item.entries)} "
            f"{_t(lang, 'verlopen acties', 'overdue actions')}{late_mark(item, lang)}")


@describe.register
def _(item: Overdue, lang: str = "nl") -> str:
    x = item.deadline
    return (f"{_t(lang, 'Verlopen', 'Overdue')}: {x.title} — {x.dossier_code} · "
            f"{_t(lang, 'was', 'was due')} {due_label(x, lang, on=item.due)} "
            f"({format_relative_days((item.due - item.today).days, lang)}){late_mark(item, lang)}")


@describe.register
def _(item: Agenda, lang: str = "nl") -> str:
    overdue = sum(1 for e in item.entries if e.overdue)
    week = item.week_key.split("W")[1].lstrip("0")
    counts = agenda_counts(len(item.entries) - overdue, overdue, lang)
    return f"{_t(lang, 'Agenda week', 'Agenda week')} {week}: {counts}{late_mark(item, lang)}"


def agenda_counts(this_week: int, overdue: int, lang: str = "nl") -> str:
    """"4 deze week, 1 verlopen" without a zero count ("4 deze week"; nothing at all: "niets
    deze week")."""
    parts = ([f"{this_week} {_t(lang, 'deze week', 'this week')}"] if this_week else []) + (
        [f"{overdue} {_t(lang, 'verlopen', 'overdue')}"] if overdue else [])
    return ", ".join(parts) or _t(lang, "niets deze week", "nothing this week")


@describe.register
def _(item: DigestItem, lang: str = "nl") -> str:
    from tracker.digest.words import digest_title

    return f"{digest_title(item.digest, lang)}{late_mark(item, lang)}"



@describe.register
def _(item: ConfirmRound, lang: str = "nl") -> str:
    from tracker.digest.words import day

    who = f"<@{item.owner}>" if item.owner else _t(lang, "zonder eigenaar", "without owner")
    n = len(item.entries)
    when = day(item.digest_day, lang)
    return (_t(lang, f"Bevestigingsronde {item.period.label(lang)} ({who}): {n} open "
                     f"{'actie' if n == 1 else 'acties'} vóór de rapportage van {when}",
               f"Confirmation round {item.period.label(lang)} ({who}): {n} open "
               f"{'action' if n == 1 else 'actions'} before the digest of {when}")
            + late_mark(item, lang))
