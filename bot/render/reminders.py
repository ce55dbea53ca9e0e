"""What the scheduler posts, as Block Kit: reminders, overdue nudges and the weekly agenda.

Pure functions: a scheduled item in, a `Message` out. The buttons carry
`{"deadline": id, "version": v, "due": "YYYY-MM-DD"}`; the date picker cannot carry a value,
so its actions block's block_id carries the same JSON (bot/listeners/actions.py reads both).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
)

from bot.ids import ActionId
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    context,
    header,
    pack_lines,
    plain,
    section,
)
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text, user_ref
from tracker.dates import format_date
from tracker.labels import due_label
from tracker.scheduling.describe import late_mark, relative
from tracker.scheduling.items import Agenda, AgendaEntry, DeadlineInfo, Overdue, Reminder

MAX_PLACEHOLDER = 150


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def button_value(deadline: DeadlineInfo, due_iso: str) -> str:
    """The JSON every reminder button carries."""
    return json.dumps({"deadline": deadline.id, "version": deadline.version, "due": due_iso},
                      separators=(",", ":"))


def _when(deadline: DeadlineInfo, due: date, lang: str) -> str:
    return due_label(deadline, lang, on=due)


def _owner(deadline: DeadlineInfo) -> str:
    ref = user_ref(deadline.owner)
    return f" · {ref}" if ref != "—" else ""


def _actions(deadline: DeadlineInfo, due_iso: str, lang: str, *, snooze: bool) -> ActionsBlock:
    value = button_value(deadline, due_iso)
    elements: list[ButtonElement | DatePickerElement] = []
    if not deadline.recurring:  # one occurrence of a series cannot be completed or moved alone
        elements.append(ButtonElement(text=plain(_t(lang, "Afgerond", "Done"), MAX_BUTTON_TEXT),
                                      action_id=ActionId.REMINDER_DONE.value, value=value,
                                      style="primary"))
        if snooze:
            elements.append(ButtonElement(
                text=plain(_t(lang, "1 dag later", "1 day later"), MAX_BUTTON_TEXT),
                action_id=ActionId.REMINDER_SNOOZE.value, value=value))
        elements.append(DatePickerElement(
            action_id=ActionId.REMINDER_MOVE.value, initial_date=due_iso,
            placeholder=plain(_t(lang, "Verzetten…", "Move…"), MAX_PLACEHOLDER)))
    elements.append(ButtonElement(text=plain("Dossier", MAX_BUTTON_TEXT),
                                  action_id=ActionId.OPEN_DOSSIER.value, value=value))
    return ActionsBlock(elements=elements, block_id=value)


def render_reminder(item: Reminder, *, lang: str = "nl") -> Message:
    """"Over 7 dagen: *Kamerdebat MIRT* — N35 · ma 20 nov 2023 · @owner" with its buttons."""
    x = item.deadline
    when = _when(x, item.due, lang)
    late = f" _{late_mark(item, lang).strip()}_" if item.late else ""
    line = (f":bell: {relative(item, lang)}: *{escape_user_text(x.title)}* — "
            f"{escape_user_text(x.dossier_code)} · {when}{_owner(x)}{late}")
    fallback = (f"{relative(item, lang)}: {escape_user_text(x.title)} — "
                f"{escape_user_text(x.dossier_code)} · {when}{late_mark(item, lang)}")
    return Message(fallback, [section(line), _actions(x, item.due.isoformat(), lang, snooze=True)])


def render_overdue(item: Overdue, *, lang: str = "nl") -> Message:
    """"Verlopen: *BO MIRT Noord* — NOVEX · was ma 6 nov 2023 (1 dag geleden)": still open."""
    x = item.deadline
    when = _when(x, item.due, lang)
    ago = relative(item, lang).lower()
    late = f" _{late_mark(item, lang).strip()}_" if item.late else ""
    line = (f":hourglass: {_t(lang, 'Verlopen', 'Overdue')}: *{escape_user_text(x.title)}* — "
            f"{escape_user_text(x.dossier_code)} · {_t(lang, 'was', 'was due')} {when} "
            f"({ago}){_owner(x)}{late}\n"
            + _t(lang, "Nog open: rond hem af of verzet de datum.",
                 "Still open: mark it done or move the date."))
    fallback = (f"{_t(lang, 'Verlopen', 'Overdue')}: {escape_user_text(x.title)} — "
                f"{escape_user_text(x.dossier_code)} · {when}{late_mark(item, lang)}")
    return Message(fallback, [section(line),
                              _actions(x, item.due.isoformat(), lang, snooze=False)])


def _agenda_line(entry: AgendaEntry, lang: str) -> str:
    x = entry.deadline
    time_ = f" {x.due_time:%H:%M}" if x.due_time else ""
    if x.precision != "day" or x.qualifier:  # "· voorjaar 2024": not a day, say what it is
        time_ = f" · {due_label(x, lang, on=entry.due, weekday=False)}"
    since = f" ({_t(lang, 'was', 'was due')} {due_label(x, lang, on=entry.due)})" if entry.overdue else ""
    return (f"• *{escape_user_text(x.title)}*{time_} — {escape_user_text(x.dossier_code)}"
            f"{since}{_owner(x)}")


def render_agenda(item: Agenda, *, lang: str = "nl") -> Message:
    """The weekly agenda: overdue first, then this week's deadlines grouped by day."""
    week = item.week_start.isocalendar().week
    sunday = item.week_start + timedelta(days=6)
    title = (f"{_t(lang, 'Agenda week', 'Agenda week')} {week} · "
             f"{format_date(item.week_start, lang, weekday=False, year=False)} – "
             f"{format_date(sunday, lang, weekday=False)}")
    lines: list[str] = []
    overdue = [e for e in item.entries if e.overdue]
    if overdue:
        lines.append(f"*{_t(lang, 'Verlopen, nog open', 'Overdue, still open')}*")
        lines += [_agenda_line(e, lang) for e in overdue]
    day = None
    for entry in (e for e in item.entries if not e.overdue):
        if entry.due != day:
            day = entry.due
            lines.append(f"*{format_date(day, lang, year=False)}*")
        lines.append(_agenda_line(entry, lang))
    this_week = len(item.entries) - len(overdue)
    counts = _t(lang, f"{this_week} deze week, {len(overdue)} verlopen",
                f"{this_week} this week, {len(overdue)} overdue")
    blocks: list[Block] = [header(title), context(counts + late_mark(item, lang))]
    blocks += pack_lines(lines, max_blocks=MAX_MESSAGE_BLOCKS - len(blocks), lang=lang)
    return Message(f"{title}: {counts}{late_mark(item, lang)}", blocks)
