"""Deadline list grouped by week, and deadline confirmations, as Block Kit."""

from __future__ import annotations

import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.ids import ActionId
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    context,
    header,
    pack_lines,
    plain,
    sections,
)
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text
from tracker.dates import format_date, format_datetime, format_relative_days
from tracker.labels import day_note, due_label, kind_label
from tracker.messages import ladder_text
from tracker.results import DeadlineAdded, DeadlineChanged, DeadlineExists, DeadlineList
from tracker.services.deadlines import Upcoming


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def deadline_line(item: Upcoming, lang: str) -> str:
    """"• #12 · vr 17 nov 2023 · [N35] Kamerdebat MIRT (debat)"."""
    x = item.deadline
    when = due_label(x, lang, on=item.due)
    flag = _t(lang, " — *verlopen*", " — *overdue*") if item.overdue else ""
    return (f"• #{x.id} · {when} · [{item.dossier.code}] {escape_user_text(x.title)}"
            f" ({kind_label(x.kind, lang)}){flag}")


def week_title(monday: date, lang: str) -> str:
    """"*Week 46* · 13 nov – 19 nov 2023"."""
    sunday = monday + timedelta(days=6)
    week = monday.isocalendar().week
    return (f"*{_t(lang, 'Week', 'Week')} {week}* · {format_date(monday, lang, weekday=False, year=False)}"
            f" – {format_date(sunday, lang, weekday=False)}")


def grouped_lines(items: list[Upcoming], lang: str, *, overdue_title: bool = True) -> list[str]:
    """One line per deadline; the first of each week carries the week's title above it."""
    lines: list[str] = []
    current: date | None = None
    overdue_done = False
    for item in items:
        if item.overdue and overdue_title:
            prefix = "" if overdue_done else f"*{_t(lang, 'Verlopen', 'Overdue')}*\n"
            overdue_done = True
        else:
            monday = item.due - timedelta(days=item.due.weekday())
            prefix = "" if monday == current else week_title(monday, lang) + "\n"
            current = monday
        lines.append(prefix + deadline_line(item, lang))
    return lines


def render_deadline_list(result: DeadlineList, *, lang: str = "nl") -> Message:
    """Open deadlines up to the horizon, overdue first, grouped by week; never past 50 blocks."""
    until = format_date(result.until, lang)
    title = _t(lang, f"Deadlines t/m {until}", f"Deadlines until {until}")
    if result.dossier is not None:
        title += f" — {result.dossier.code}"
    blocks: list[Block] = [header(title)]
    if not result.items:
        text = _t(lang, "Geen open deadlines in deze periode.", "No open deadlines in this period.")
        return Message(f"{title}: {text}", [*blocks, *sections(text)])
    count = result.count
    blocks.append(context(_t(lang, f"{count} open", f"{count} open")))
    room = MAX_MESSAGE_BLOCKS - len(blocks)
    blocks += pack_lines(grouped_lines(result.items, lang), max_blocks=room, lang=lang,
                         not_given=count - len(result.items))
    first = result.items[0]
    fallback = (f"{title}: {count} — #{first.deadline.id} "
                f"{format_date(first.due, lang)} {escape_user_text(first.deadline.title)}")
    return Message(fallback, blocks)


def render_deadline_added(result: DeadlineAdded, *, today: date, lang: str = "nl") -> Message:
    """"Deadline #42 toegevoegd aan N35: … · vr 17 nov 2023", flagged when past."""
    x, d = result.deadline, result.dossier
    when = due_label(x, lang)
    title = escape_user_text(x.title)
    relative = format_relative_days((x.due_date - today).days, lang)
    text = _t(lang, f":white_check_mark: Deadline *#{x.id}* toegevoegd aan *{d.code}*: {title}\n"
                    f":calendar: *{when}* ({relative}) · {kind_label(x.kind, lang)}",
              f":white_check_mark: Deadline *#{x.id}* added to *{d.code}*: {title}\n"
              f":calendar: *{when}* ({relative}) · {kind_label(x.kind, lang)}")
    odd_day = day_note(x, lang)
    if odd_day:
        text += f"\n:warning: {odd_day}"
    if result.past:
        note = _t(lang, ":warning: Deze datum ligt in het verleden: vastgelegd, geen herinneringen.",
                  ":warning: This date is in the past: recorded, no reminders.")
    else:
        note = ladder_text(result.offsets, lang).capitalize() + "."
    fallback = _t(lang, f"Deadline #{x.id} toegevoegd aan {d.code}: {title} · {when}",
                  f"Deadline #{x.id} added to {d.code}: {title} · {when}")
    return Message(fallback, [*sections(text), context(note)])


def render_deadline_exists(result: DeadlineExists, *, lang: str = "nl") -> Message:
    """"Bestaat al als #19" with a *Toch toevoegen* button that adds it deliberately."""
    x, d = result.existing, result.dossier
    head = f"*#{x.id}* [{escape_user_text(d.code)}] {escape_user_text(x.title)} · {due_label(x, lang)}"
    text = _t(lang, f":information_source: Deze deadline bestaat al als {head}. Er is niets toegevoegd.",
              f":information_source: This deadline already exists as {head}. Nothing was added.")
    button = ButtonElement(text=plain(_t(lang, "Toch toevoegen", "Add anyway"), MAX_BUTTON_TEXT),
                           action_id=ActionId.DEADLINE_ADD_ANYWAY.value,
                           value=json.dumps(result.request, separators=(",", ":"))[:2000])
    fallback = _t(lang, f"Bestaat al als #{x.id}; niets toegevoegd.",
                  f"Already exists as #{x.id}; nothing added.")
    return Message(fallback, [*sections(text), ActionsBlock(elements=[button])])


def render_deadline_changed(result: DeadlineChanged, *, lang: str = "nl",
                            tz: ZoneInfo | None = None) -> Message:
    """Confirmation of done / cancelled / moved / reminders."""
    x = result.deadline
    head = f"*#{x.id}* [{result.dossier.code}] {escape_user_text(x.title)}"
    if result.what == "done":
        text = _t(lang, f":white_check_mark: {head}: afgerond.", f":white_check_mark: {head}: done.")
    elif result.what == "cancelled":
        text = _t(lang, f":x: {head}: geannuleerd.", f":x: {head}: cancelled.")
    elif result.what == "moved":
        when = due_label(x, lang)
        before = ""
        if result.before:
            try:
                before = format_date(date.fromisoformat(result.before[:10]), lang) + " → "
            except ValueError:
                before = ""
        text = _t(lang, f":calendar: {head}: verzet, {before}*{when}*.",
                  f":calendar: {head}: moved, {before}*{when}*.")
        odd_day = day_note(x, lang)
        if odd_day:
            text += f"\n:warning: {odd_day}"
        if result.past:
            text += _t(lang, "\n:warning: Die datum ligt in het verleden; geen herinneringen.",
                       "\n:warning: That date is in the past; no reminders.")
    elif result.what == "snoozed" and x.snooze_until is not None:
        at = format_datetime(x.snooze_until, tz or ZoneInfo("Europe/Amsterdam"), lang)
        text = _t(lang, f":alarm_clock: {head}: nog een herinnering op *{at}*; de datum blijft.",
                  f":alarm_clock: {head}: one more reminder on *{at}*; the date stays.")
    else:
        offsets = tuple(int(p) for p in (x.offsets or "").split(",") if p.strip().isdigit())
        text = f":bell: {head}: {ladder_text(offsets, lang)}."
    return Message(text, sections(text))
