"""Plain-text rendering of command results, for the `lobby` CLI (Slack gets Block Kit in bot/)."""

from __future__ import annotations

from functools import singledispatch
from zoneinfo import ZoneInfo

from tracker.dates import format_date, format_datetime
from tracker.labels import (
    day_note,
    due_label,
    help_text,
    line_label,
    programme_status_label,
    rag_label,
)
from tracker.messages import ladder_text
from tracker.models import funding_gap
from tracker.results import (
    DeadlineAdded,
    DeadlineChanged,
    DeadlineExists,
    DeadlineList,
    DigestRequested,
    DossierChanged,
    DossierList,
    DossierShown,
    HelpResult,
    ModalRequested,
    PreferenceResult,
    ProgrammeChanged,
    ProgrammeList,
    TeamChanged,
    TeamList,
)
from tracker.text import format_eur


@singledispatch
def render_text(result: object, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    """The result as plain text lines."""
    raise TypeError(f"no text renderer for {type(result).__name__}")


@render_text.register
def _(result: HelpResult, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    return help_text(result.topic, lang)


@render_text.register
def _(result: DossierList, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    if not result.dossiers:
        return "Geen dossiers gevonden." if lang == "nl" else "No dossiers found."
    lines = [f"{d.code:<8} {rag_label(d.rag, lang):<7} {d.title}" for d in result.dossiers]
    rest = (result.total or 0) - len(result.dossiers)
    if rest > 0:
        lines.append(f"…en nog {rest}; verfijn met een filter (code, woord, lijn of status)"
                     if lang == "nl" else f"…and {rest} more; narrow it with a filter")
    return "\n".join(lines)


@render_text.register
def _(result: DossierShown, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    card = result.card
    d = card.dossier
    nl = lang == "nl"
    since = format_date(d.rag_since.astimezone(tz).date(), lang) if d.rag_since and tz else ""
    lines = [f"{d.code} — {d.title}",
             f"Status: {rag_label(d.rag, lang)}"
             + (f" ({'sinds' if nl else 'since'} {since})" if since else "")
             + (f": {d.rag_reason}" if d.rag_reason else ""),
             f"{'Lijn' if nl else 'Line'}: {line_label(d.line, lang)}",
             f"{'Eigenaar' if nl else 'Owner'}: {d.owner or '—'}    "
             f"{'Kanaal' if nl else 'Channel'}: {d.channel or '—'}"]
    if d.goal:
        lines.append(f"{'Lobbydoel' if nl else 'Lobby goal'}: {d.goal}")
    if d.funding_needed is not None or d.funding_secured is not None:
        lines.append(f"{'Financiering' if nl else 'Funding'}: "
                     f"{'nodig' if nl else 'needed'} {format_eur(d.funding_needed, lang)}, "
                     f"{'toegezegd' if nl else 'secured'} {format_eur(d.funding_secured, lang)}, "
                     f"{'tekort' if nl else 'gap'} {format_eur(funding_gap(d), lang)}")
    if card.overdue_actions:
        lines.append("Verlopen, nog open:" if nl else "Overdue, still open:")
        lines += [f"  #{x.id} {due_label(x, lang)}  {x.title}" for x in card.overdue_actions]
    lines.append(("Volgende deadlines:" if nl else "Next deadlines:")
                 + ("" if card.next_deadlines else " —"))
    lines += [f"  #{x.id} {due_label(x, lang)}  {x.title}" for x in card.next_deadlines]
    if card.past_events:
        lines.append("Plaatsgevonden:" if nl else "Took place:")
        lines += [f"  #{x.id} {due_label(x, lang)}  {x.title}" for x in card.past_events]
    if card.recent_notes:
        lines.append("Laatste notities:" if nl else "Latest notes:")
        lines += [f"  {format_date(n.at.astimezone(tz).date() if tz else n.at.date(), lang)}  "
                  f"{n.text}" for n in card.recent_notes]
    if card.programmes:
        lines.append("Programma's:" if nl else "Programmes:")
        lines += [f"  {p.name} — {programme_status_label(p.status, lang)}" for p in card.programmes]
    return "\n".join(lines)


@render_text.register
def _(result: DossierChanged, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    d = result.dossier
    nl = lang == "nl"
    texts = {
        "created": (f"Dossier {d.code} aangemaakt: {d.title}", f"Dossier {d.code} created: {d.title}"),
        "status": (f"{d.code}: status {rag_label(result.before or '', lang)} → "
                   f"{rag_label(d.rag, lang)}: {d.rag_reason}",
                   f"{d.code}: status {rag_label(result.before or '', lang)} → "
                   f"{rag_label(d.rag, lang)}: {d.rag_reason}"),
        "note": (f"Notitie toegevoegd aan {d.code}.", f"Note added to {d.code}."),
        "owner": (f"{d.code}: eigenaar is nu {d.owner or '—'}.", f"{d.code}: owner is now {d.owner or '—'}."),
        "channel": (f"{d.code}: kanaal is nu {d.channel or 'het standaardkanaal'}.",
                    f"{d.code}: channel is now {d.channel or 'the default channel'}."),
        "archived": (f"Dossier {d.code} gearchiveerd.", f"Dossier {d.code} archived."),
    }
    nl_text, en_text = texts.get(result.what, (f"{d.code} bijgewerkt.", f"{d.code} updated."))
    return nl_text if nl else en_text


@render_text.register
def _(result: DeadlineExists, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    x = result.existing
    if lang == "en":
        return (f"Already exists as #{x.id}: {x.title} · {due_label(x, lang)}. Nothing was added; "
                "add --toch to add it anyway.")
    return (f"Bestaat al als #{x.id}: {x.title} · {due_label(x, lang)}. Er is niets toegevoegd; "
            "zet er --toch bij om hem toch toe te voegen.")


@render_text.register
def _(result: DeadlineAdded, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    x, d = result.deadline, result.dossier
    when = due_label(x, lang)
    odd_day = day_note(x, lang)
    if odd_day:
        when += f" (let op: {odd_day})" if lang == "nl" else f" (note: {odd_day})"
    if lang == "nl":
        text = f"Deadline #{x.id} toegevoegd aan {d.code}: {x.title} · {when}"
        if result.past:
            return text + " (ligt in het verleden: vastgelegd, geen herinneringen)"
        return text + f" · {ladder_text(result.offsets, lang)}"
    text = f"Deadline #{x.id} added to {d.code}: {x.title} · {when}"
    if result.past:
        return text + " (in the past: recorded, no reminders)"
    return text + f" · {ladder_text(result.offsets, lang)}"


@render_text.register
def _(result: DeadlineChanged, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    x = result.deadline
    nl = lang == "nl"
    if result.what == "done":
        return f"#{x.id} {x.title}: afgerond." if nl else f"#{x.id} {x.title}: done."
    if result.what == "cancelled":
        return f"#{x.id} {x.title}: geannuleerd." if nl else f"#{x.id} {x.title}: cancelled."
    if result.what == "moved":
        return (f"#{x.id} {x.title}: verzet naar {due_label(x, lang)}." if nl
                else f"#{x.id} {x.title}: moved to {due_label(x, lang)}.")
    if result.what == "snoozed" and x.snooze_until is not None and tz is not None:
        at = format_datetime(x.snooze_until, tz, lang)
        return (f"#{x.id} {x.title}: nog een herinnering op {at}; de datum blijft." if nl
                else f"#{x.id} {x.title}: one more reminder on {at}; the date stays.")
    return f"#{x.id}: {ladder_text(_offsets(x.offsets), lang)}."


def _offsets(stored: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in (stored or "").split(",") if p.strip().isdigit())


@render_text.register
def _(result: DeadlineList, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    nl = lang == "nl"
    head = (f"Deadlines t/m {format_date(result.until, lang)}" if nl
            else f"Deadlines until {format_date(result.until, lang)}")
    if result.dossier:
        head += f" — {result.dossier.code}"
    if not result.items:
        return head + ("\nGeen open deadlines." if nl else "\nNo open deadlines.")
    lines = [head]
    for item in result.items:
        flag = (" (verlopen)" if nl else " (overdue)") if item.overdue else ""
        lines.append(f"  #{item.deadline.id:<5} {due_label(item.deadline, lang, on=item.due)}  "
                     f"[{item.dossier.code}] {item.deadline.title}{flag}")
    if result.count > len(result.items):
        more = result.count - len(result.items)
        lines.append(f"  …en nog {more}" if nl else f"  …and {more} more")
    return "\n".join(lines)


@render_text.register
def _(result: ProgrammeList, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    if not result.programmes:
        return "Geen programma's gevonden." if lang == "nl" else "No programmes found."
    lines = []
    for p in result.programmes:
        indent = "  " if p.parent_id in result.parents else ""
        lines.append(f"{indent}{p.name} — {programme_status_label(p.status, lang)}"
                     + (f": {p.note}" if p.note else ""))
    return "\n".join(lines)


@render_text.register
def _(result: ProgrammeChanged, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    p = result.programme
    return (f"{p.name}: {programme_status_label(result.before, lang)} → "
            f"{programme_status_label(p.status, lang)}")


@render_text.register
def _(result: TeamList, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    lines = [f"{m.user_id} {m.role}" for m in result.members]
    lines += [f"{a} admin (LOBBY_ADMINS)" for a in result.admins]
    return "\n".join(lines) or ("Nog geen teamleden." if lang == "nl" else "No team members yet.")


@render_text.register
def _(result: TeamChanged, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    if result.role is None:
        return f"{result.user_id} is uit het team." if lang == "nl" else f"{result.user_id} removed."
    return f"{result.user_id}: {result.role}"


@render_text.register
def _(result: PreferenceResult, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    return preference_text(result, lang)


def preference_text(result: PreferenceResult, lang: str = "nl") -> str:
    """"Uw herinneringen komen voortaan als DM." (also the Slack reply)."""
    dm = result.via == "dm"
    if lang == "en":
        where = "as a direct message" if dm else "as a mention in the dossier's channel"
        head = "From now on your reminders come " if result.changed else "Your reminders come "
        other = "kanaal" if dm else "dm"
        return f"{head}{where}. Change it with `/lobby voorkeur {other}`."
    where = "als direct bericht (DM)" if dm else "als vermelding in het kanaal van het dossier"
    head = "Uw herinneringen komen voortaan " if result.changed else "Uw herinneringen komen "
    other = "kanaal" if dm else "dm"
    return f"{head}{where}. Wijzigen kan met `/lobby voorkeur {other}`."


@render_text.register
def _(result: ModalRequested, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    return ("Dit formulier is alleen in Slack beschikbaar; geef de argumenten op de opdrachtregel."
            if lang == "nl" else "This form exists only in Slack; give the arguments instead.")


@render_text.register
def _(result: DigestRequested, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    return "Gebruik `lobby digest --period …`." if lang == "nl" else "Use `lobby digest --period …`."


import tracker.kamer.text  # noqa: E402, F401  (registers the Tweede Kamer results)
