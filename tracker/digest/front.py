"""The front page (kernboodschap), the financial sentences and the check annex in words,
shared by every renderer. Figures come from the model; only their wording is here."""

from __future__ import annotations

from tracker.digest.budget import section_label
from tracker.digest.model import Budget, Check, Digest, Reason
from tracker.digest.words import (
    Phrase,
    User,
    change_phrase,
    day,
    indicator_phrase,
    number,
    percent,
    upcoming_phrase,
)
from tracker.labels import programme_status_label
from tracker.text import format_eur

MAX_NOTABLE = 12  # per kind on the front page; the line sections below have them all
MAX_NEXT = 5

# reason → (nl one, nl many, en one, en many); only counts above zero are ever said
_COUNTED = (
    (Reason.STATUS_CHANGED, "statuswijziging", "statuswijzigingen", "status change",
     "status changes"),
    (Reason.EVENT_HELD, "gebeurtenis die heeft plaatsgevonden",
     "gebeurtenissen die hebben plaatsgevonden", "event that took place",
     "events that took place"),
    (Reason.EVENT_EXPECTED, "verwachte gebeurtenis zonder bevestiging",
     "verwachte gebeurtenissen zonder bevestiging", "expected event not confirmed",
     "expected events not confirmed"),
    (Reason.MILESTONE_REACHED, "actie afgerond", "acties afgerond", "action done",
     "actions done"),
    (Reason.NOT_REPORTED, "actie niet afgemeld", "acties niet afgemeld", "action not reported",
     "actions not reported"),
    (Reason.DEADLINE_MISSED, "actie niet gehaald", "acties niet gehaald", "action missed",
     "actions missed"),
    (Reason.DEADLINE_MOVED, "mijlpaal verzet", "mijlpalen verzet", "milestone moved",
     "milestones moved"),
    (Reason.DEADLINE_CANCELLED, "mijlpaal geannuleerd", "mijlpalen geannuleerd",
     "milestone cancelled", "milestones cancelled"),
    (Reason.DEADLINE_ADDED, "mijlpaal toegevoegd", "mijlpalen toegevoegd", "milestone added",
     "milestones added"),
    (Reason.NOTE, "notitie", "notities", "note", "notes"),
    (Reason.ARCHIVED, "dossier gearchiveerd", "dossiers gearchiveerd", "dossier archived",
     "dossiers archived"),
    (Reason.PROGRAMME_STATUS, "programma van status veranderd",
     "programma's van status veranderd", "programme changed status",
     "programmes changed status"),
)


def _en(lang: str) -> bool:
    return lang == "en"


def _and(parts: list[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + (" and " if _en(lang) else " en ") + parts[-1]


def count_phrase(digest: Digest, lang: str = "nl") -> Phrase:
    """"2 statuswijzigingen, 7 gebeurtenissen die hebben plaatsgevonden en 10 notities";
    a count of zero is never said."""
    counts = digest.counts
    parts = []
    for reason, one_nl, many_nl, one_en, many_en in _COUNTED:
        n = counts.get(reason, 0)
        if n:
            word = (one_en if n == 1 else many_en) if _en(lang) else (one_nl if n == 1 else many_nl)
            parts.append(f"{number(n, lang)} {word}")
    if not parts:
        return ("nothing changed" if _en(lang) else "geen wijzigingen",)
    return (_and(parts, lang),)


def column_label(column: str, lang: str = "nl", budget: Budget | None = None) -> str:
    """The report's column names: "begroting", "realisatie t/m 30 juni 2023", "verschil",
    "verwacht jaartotaal"."""
    en = _en(lang)
    if column == "actual":
        through = budget.actual_through if budget is not None else None
        if through is not None:
            return f"actual to {day(through, lang)}" if en else f"realisatie t/m {day(through, lang)}"
        return "actual" if en else "realisatie"
    nl = {"budget": "begroting", "expected": "verwacht jaartotaal", "difference": "verschil",
          "spent": "% van de begroting"}
    en_ = {"budget": "budget", "expected": "expected year total", "difference": "difference",
           "spent": "% of budget"}
    return (en_ if en else nl)[column]


def spending_phrase(budget: Budget, lang: str = "nl") -> Phrase | None:
    """"Op 30 juni 2023 is 50% van het jaar verstreken; van de begrote lasten is 44% besteed
    (€ 1.249.769 van € 2.855.000)."""
    share, spent = budget.year_share, budget.expense_share
    lasten = next((s for s in budget.sections if s.name == "lasten"), None)
    if share is None or spent is None or lasten is None or budget.actual_through is None:
        return None
    total = lasten.line_total
    through = day(budget.actual_through, lang)
    if _en(lang):
        return (f"On {through} {percent(share, lang)} of the year has passed; "
                f"{percent(spent, lang)} of the budgeted expenses has been spent "
                f"({format_eur(total.actual, lang)} of {format_eur(total.budget, lang)}).",)
    return (f"Op {through} is {percent(share, lang)} van het jaar verstreken; van de begrote "
            f"lasten is {percent(spent, lang)} besteed ({format_eur(total.actual, lang)} van "
            f"{format_eur(total.budget, lang)}).",)


def outcome_phrase(budget: Budget, lang: str = "nl") -> Phrase | None:
    """The financial outcome as the report states it, and whether its tables carry it."""
    outcome = budget.outcome
    if outcome is None or outcome.expected is None:
        return None
    en = _en(lang)
    amount = format_eur(outcome.expected, lang)
    if en:
        text = (f"The expected year totals show an expected surplus of {amount}, as the "
                f"report states it")
        if outcome.budgeted is not None:
            text += f" (the adopted budget: {format_eur(outcome.budgeted, lang)})"
        text += "."
        if not outcome.supported:
            text += (" The amount does not follow from the report's own tables; see the check "
                     "annex.")
        return (text,)
    text = f"De verwachte jaartotalen laten een batig saldo zien van {amount}"
    if outcome.budgeted is not None:
        text += (f" (de vastgestelde begroting ging uit van een batig saldo van "
                 f"{format_eur(outcome.budgeted, lang)})")
    text += "."
    if not outcome.supported:
        text += " Dat bedrag volgt niet uit de begrotingstabellen; zie de controlebijlage."
    return (text,)


def check_phrase(check: Check, lang: str = "nl", budget: Budget | None = None) -> Phrase:
    """One entry of the check annex: where, both sides, and the correction if one fits."""
    en = _en(lang)
    if check.kind == "series":
        stated, computed = number(check.stated, lang), number(check.computed, lang)
        return (User(check.row), (
            f": the report states a total of {stated}; the months add up to {computed}." if en
            else f": de rapportage drukt als totaal {stated}; de maanden tellen op tot {computed}."))
    column = column_label(check.column, lang, budget)
    stated, computed = format_eur(check.stated, lang), format_eur(check.computed, lang)
    if check.kind == "balance":
        printed = ("" if check.printed_totals is None else
                   (f"; the printed totals give {format_eur(check.printed_totals, lang)}" if en
                    else f"; de gedrukte totalen geven {format_eur(check.printed_totals, lang)}"))
        fixed = "" if check.corrected is None else (
            f"; with the correction above, {format_eur(check.corrected, lang)}" if en else
            f"; met de correctie hierboven {format_eur(check.corrected, lang)}")
        return (User(check.row), (
            f" ({column}): the report states {stated}{printed}; the lines give {computed}"
            f"{fixed}. None of these is the stated amount; it is shown as the report's "
            "statement, not as the table's outcome." if en else
            f" ({column}): de rapportage noemt {stated}{printed}; de regels geven {computed}"
            f"{fixed}. Geen van deze uitkomsten is het genoemde bedrag; het staat er als "
            "uitspraak van de rapportage, niet als uitkomst van de tabel."))
    if check.kind == "text":  # the report's text against its tables
        part = {"besluiten": ("Besluiten", "Decisions"), "risico's": ("Risico’s", "Risks")}.get(
            check.table, (check.table, check.table))
        return (User(check.row), (
            f" ({part[1]}): the text gives {stated}; the tables {computed}." if en else
            f" ({part[0]}): de tekst noemt {stated}; de tabellen {computed}."))
    where = check.table.split(" ", 1)[-1]
    if check.kind == "tables":  # the table of actuals against the table of expected totals
        where = section_label(where, lang).lower()
        return (User(check.row), (
            f" ({where}, {column}): the table of actuals prints {stated}; the table of "
            f"expected year totals {computed}." if en else
            f" ({where}, {column}): de tabel werkelijk jan-juni drukt {stated}; de tabel "
            f"verwachte jaartotalen {computed}."))
    if en:  # the table's name in our words: "inkomsten" is "income"
        where = section_label(where, lang).lower()
    head: Phrase = (User(check.row), f" ({where}, {column}): " + (
        f"stated {stated}; the lines add up to {computed}." if en else
        f"gedrukt {stated}; de regels tellen op tot {computed}."))
    fix = check.correction
    if fix is None:
        return (*head, (" No single correction of one line makes the table add up." if en
                        else " Geen correctie van één regel laat de tabel sluiten."))
    found = column_label(fix.found_in, lang, budget)
    if en:
        return (*head, f" The table adds up if the {column_label(fix.column, lang, budget)} of ",
                User(fix.row), f" reads {format_eur(fix.needed, lang)} (the amount in its column "
                f"{found}) instead of {format_eur(fix.stated, lang)}.")
    return (*head, " De tabel sluit als bij ", User(fix.row),
            (f" in de kolom {column_label(fix.column, lang, budget)} "
             f"{format_eur(fix.needed, lang)} staat (het bedrag uit de kolom {found}) in "
             f"plaats van {format_eur(fix.stated, lang)}."))


def front_page(digest: Digest, lang: str = "nl") -> list[tuple[str, list[Phrase]]]:
    """The kernboodschap: the report's own words, then what the period brought, the financial
    outcome and what follows — each part only when there is something to say."""
    en = _en(lang)
    out: list[tuple[str, list[Phrase]]] = []
    if digest.front:
        out.append(("In brief" if en else "Kernboodschap", [(User(t),) for t in digest.front]))
    brought: list[Phrase] = []
    label = digest.period.label(lang)
    if digest.is_empty:
        brought.append((f"Nothing changed in the {label}." if en
                        else f"Niets gewijzigd in {label}.",))
    else:
        brought.append((f"{label[:1].upper()}{label[1:]}: ", *count_phrase(digest, lang), "."))
    changes = [(d, i) for d, i in digest.items if i.reason is Reason.STATUS_CHANGED]
    for dossier, item in changes[:MAX_NOTABLE]:
        brought.append((User(dossier.code), ": ", *change_phrase(item, lang)))
    if len(changes) > MAX_NOTABLE:
        rest = len(changes) - MAX_NOTABLE
        brought.append((f"…and {rest} more status changes (below, per line)" if en else
                        f"…en nog {rest} statuswijzigingen (hieronder, per lijn)",))
    if changes:
        brought.append(("The colours are the team's own assessment." if en else
                        "De kleuren zijn de beoordeling van het team zelf.",))
    open_ends = len(digest.not_reported)
    if open_ends:
        brought.append(_open_ends(open_ends, digest.not_reported_without_owner, lang))
    attention = [p for p in digest.programmes if p.status not in ("on-track", "done")]
    if attention:
        names = ", ".join(f"{p.name} ({programme_status_label(p.status, lang)})"
                          for p in attention[:MAX_NOTABLE])
        brought.append((("Programmes needing attention: " if en
                         else "Programma's die aandacht vragen: "), User(names), "."))
    out.append(("What the period brought" if en else "Wat de periode bracht", brought))
    money: list[Phrase] = []
    if digest.budget is not None and digest.budget_stale and digest.budget.actual_through:
        through = day(digest.budget.actual_through, lang)
        span_nl = f"het {label}" if digest.kind == "half" else "deze periode"
        money.append((f"No financial figures are recorded for the {label}; the latest are those "
                       f"of {through}." if en else
                       f"Over {span_nl} zijn geen financiële cijfers vastgelegd; de laatste stand "
                       f"is die van {through}.",))
    if digest.budget is not None:
        for phrase in (outcome_phrase(digest.budget, lang), spending_phrase(digest.budget, lang)):
            if phrase:
                money.append(phrase)
    if money:
        out.append(("Financial outcome" if en else "Financieel resultaat", money))
    nxt: list[Phrase] = [upcoming_phrase(u, lang) for u in digest.upcoming[:MAX_NEXT]]
    if len(digest.upcoming) > MAX_NEXT:
        rest = len(digest.upcoming) - MAX_NEXT
        nxt.append((f"…and {rest} more in the next period (below)" if en
                    else f"…en nog {number(rest, lang)} in de volgende periode (hieronder)",))
    if nxt:
        out.append(("What follows" if en else "Wat volgt", nxt))
    return out


def _open_ends(count: int, without_owner: int, lang: str) -> Phrase:
    """"8 acties zijn na de datum niet afgemeld; …": owners named where there are, and where
    none is recorded said once here, not on every line."""
    if _en(lang):
        text = (f"{count} action{'s' if count != 1 else ''} past due were not reported done or "
                "missed; they are listed per dossier")
        if without_owner == 0:
            return (text + " with their owner.",)
        if without_owner == count:
            return (text + "; none has an owner recorded.",)
        return (text + f", with their owner where one is recorded ({without_owner} have none).",)
    text = (f"{number(count, lang)} {'actie is' if count == 1 else 'acties zijn'} na de datum "
            f"niet afgemeld; {'zij staat' if count == 1 else 'zij staan'} per dossier vermeld")
    if without_owner == 0:
        return (text + ", met eigenaar.",)
    if without_owner == count:
        return (text + ("; er is geen eigenaar voor vastgelegd." if count == 1 else
                        "; voor geen van deze acties is een eigenaar vastgelegd."),)
    return (text + f", met eigenaar waar die is vastgelegd (voor {number(without_owner, lang)} "
                   "niet).",)


def headlines(digest: Digest, lang: str = "nl") -> list[Phrase]:
    """The front page as one list of phrases (Slack, text)."""
    out = [p for _, phrases in front_page(digest, lang) for p in phrases]
    out += [indicator_phrase(s, lang) for s in digest.indicators]
    return out
