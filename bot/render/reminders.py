"""What the scheduler posts, as Block Kit: reminders, overdue nudges, bundles of them, the
weekly agenda and the monthly clean-up.

Pure functions: a scheduled item in, a `Message` out. The buttons carry
`{"deadline": id, "version": v, "due": "YYYY-MM-DD"}`; the date picker cannot carry a value,
so its actions block's block_id carries the same JSON (bot/listeners/actions.py reads both).
In a bundle (several items in one message) each line has its own actions block, whose
block_id adds the line number `"n"`, so a click can update its own line in place.
Events (a debate, a visit) are preparation cues: no *Afgerond*, never "Verlopen".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
from tracker.scheduling.describe import agenda_counts, late_mark, relative
from tracker.scheduling.items import (
    Agenda,
    AgendaEntry,
    Cleanup,
    DeadlineInfo,
    Item,
    Overdue,
    Reminder,
    Snoozed,
)

MAX_PLACEHOLDER = 150


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def button_value(deadline: DeadlineInfo, due_iso: str, line: int | None = None) -> str:
    """The JSON every reminder button carries (`n`: its line in a bundle)."""
    data: dict[str, object] = {"deadline": deadline.id, "version": deadline.version,
                               "due": due_iso}
    if line is not None:
        data["n"] = line
    return json.dumps(data, separators=(",", ":"))


def _when(deadline: DeadlineInfo, due: date, lang: str) -> str:
    return due_label(deadline, lang, on=due)


def _owner(deadline: DeadlineInfo) -> str:
    ref = user_ref(deadline.owner)
    return f" · {ref}" if ref != "—" else ""


def _actions(deadline: DeadlineInfo, due_iso: str, lang: str, line: int | None = None
             ) -> ActionsBlock:
    """Afgerond (actions only), Herinner morgen, Verzetten… (the date picker), Dossier."""
    value = button_value(deadline, due_iso)
    elements: list[ButtonElement | DatePickerElement] = []
    if not deadline.recurring:  # one occurrence of a series cannot be completed or moved alone
        if not deadline.is_event:  # an event takes place; nobody marks it done
            elements.append(ButtonElement(
                text=plain(_t(lang, "Afgerond", "Done"), MAX_BUTTON_TEXT),
                action_id=ActionId.REMINDER_DONE.value, value=value, style="primary"))
        elements.append(ButtonElement(
            text=plain(_t(lang, "Herinner morgen", "Remind me tomorrow"), MAX_BUTTON_TEXT),
            action_id=ActionId.REMINDER_SNOOZE.value, value=value))
        elements.append(DatePickerElement(
            action_id=ActionId.REMINDER_MOVE.value, initial_date=due_iso,
            placeholder=plain(_t(lang, "Verzetten…", "Move…"), MAX_PLACEHOLDER)))
    elements.append(ButtonElement(text=plain("Dossier", MAX_BUTTON_TEXT),
                                  action_id=ActionId.OPEN_DOSSIER.value, value=value))
    return ActionsBlock(elements=elements, block_id=button_value(deadline, due_iso, line))


def _late(item: Item, lang: str) -> str:
    return f" _{late_mark(item, lang).strip()}_" if item.late else ""


def reminder_line(item: Reminder, lang: str = "nl") -> tuple[str, str]:
    """(mrkdwn line, plain fallback) of a reminder: an event's is a preparation cue."""
    x = item.deadline
    when = _when(x, item.due, lang)
    icon = ":alarm_clock:" if isinstance(item, Snoozed) else (
        ":calendar:" if x.is_event else ":bell:")
    cue = _t(lang, " · _ter voorbereiding_", " · _to prepare_") if x.is_event else ""
    line = (f"{icon} {relative(item, lang)}: *{escape_user_text(x.title)}* — "
            f"{escape_user_text(x.dossier_code)} · {when}{_owner(x)}{cue}{_late(item, lang)}")
    fallback = (f"{relative(item, lang)}: {escape_user_text(x.title)} — "
                f"{escape_user_text(x.dossier_code)} · {when}{late_mark(item, lang)}")
    return line, fallback


def overdue_line(item: Overdue, lang: str = "nl") -> tuple[str, str]:
    """(mrkdwn line, plain fallback) of an overdue nudge, naming the owner."""
    x = item.deadline
    when = _when(x, item.due, lang)
    ago = relative(item, lang).lower()
    line = (f":hourglass: {_t(lang, 'Verlopen', 'Overdue')}: *{escape_user_text(x.title)}* — "
            f"{escape_user_text(x.dossier_code)} · {_t(lang, 'was', 'was due')} {when} "
            f"({ago}){_owner(x)}{_late(item, lang)}\n"
            + _t(lang, "Nog open: rond hem af of verzet de datum.",
                 "Still open: mark it done or move the date."))
    fallback = (f"{_t(lang, 'Verlopen', 'Overdue')}: {escape_user_text(x.title)} — "
                f"{escape_user_text(x.dossier_code)} · {when}{late_mark(item, lang)}")
    return line, fallback


def item_line(item: Reminder | Overdue, lang: str = "nl") -> tuple[str, str]:
    """The line of one bundled item."""
    return overdue_line(item, lang) if isinstance(item, Overdue) else reminder_line(item, lang)


def render_reminder(item: Reminder, *, lang: str = "nl") -> Message:
    """"Over 7 dagen: *Kamerdebat MIRT* — N35 · ma 20 nov 2023 · @owner" with its buttons."""
    line, fallback = reminder_line(item, lang)
    return Message(fallback, [section(line), _actions(item.deadline, item.due.isoformat(), lang)])


def render_overdue(item: Overdue, *, lang: str = "nl") -> Message:
    """"Verlopen: *BO MIRT Noord* — NOVEX · was ma 6 nov 2023 (1 dag geleden)": still open."""
    line, fallback = overdue_line(item, lang)
    return Message(fallback, [section(line), _actions(item.deadline, item.due.isoformat(), lang)])


# A bundle message: a header (or, in the thread, a context line) and two blocks per item
# (its line and its actions), one more where a new day starts.
BUNDLE_HEAD_BLOCKS = 1


def bundle_title(count: int, today: date, lang: str = "nl") -> str:
    """"3 herinneringen — do 14 sep"."""
    noun = _t(lang, "herinnering" if count == 1 else "herinneringen",
              "reminder" if count == 1 else "reminders")
    return f"{count} {noun} — {format_date(today, lang, year=False)}"


def render_bundle(items: Sequence[Reminder | Overdue], *, lang: str = "nl"
                  ) -> list[tuple[Message, list[int]]]:
    """Everything due for one channel in one tick: the first message in the channel, the rest
    in its thread; with each message, the indexes of the items it shows (in `items` order).

    Lines are grouped by due day (overdue first), each with its own actions."""
    order = sorted(range(len(items)), key=lambda i: (
        not isinstance(items[i], Overdue), items[i].due, items[i].deadline.title.casefold(), i))
    title = bundle_title(len(items), items[0].today, lang)
    messages: list[tuple[Message, list[int]]] = []
    blocks: list[Block] = []
    shown: list[int] = []
    texts: list[str] = []
    group: object = None  # the due day, or "overdue" for all overdue nudges together

    def close() -> None:
        if shown:
            messages.append((Message(f"{title}: " + "; ".join(texts), blocks.copy()),
                             shown.copy()))
        blocks.clear()
        shown.clear()
        texts.clear()

    def open_message() -> None:
        if not messages:
            blocks.append(header(title))
        else:
            blocks.append(context(_t(lang, f"{title} (vervolg {len(messages) + 1})",
                                     f"{title} (continued, {len(messages) + 1})")))

    for index in order:
        item = items[index]
        overdue = isinstance(item, Overdue)
        key: object = "overdue" if overdue else item.due
        need = 2 + (1 if key != group else 0)
        if blocks and len(blocks) + need > MAX_MESSAGE_BLOCKS:
            close()
            group = None
        if not blocks:
            open_message()
        if key != group:
            group = key
            heading = (_t(lang, "Verlopen, nog open", "Overdue, still open") if overdue
                       else format_date(item.due, lang, year=False))
            blocks.append(context(f"*{heading}*"))
        line, fallback = item_line(item, lang)
        blocks.append(section(line))
        blocks.append(_actions(item.deadline, item.due.isoformat(), lang, line=index))
        shown.append(index)
        texts.append(fallback)
    close()
    return messages


def _agenda_line(entry: AgendaEntry, lang: str) -> str:
    x = entry.deadline
    time_ = f" {x.due_time:%H:%M}" if x.due_time else ""
    if entry.overdue:  # "(was Q3 2023)" says the date once
        time_ = ""
    elif x.precision != "day" or x.qualifier:  # "· voorjaar 2024": not a day, say what it is
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
    overdue_count = max(item.overdue_count, len(overdue))
    if overdue:
        lines.append(f"*{_t(lang, 'Verlopen, nog open', 'Overdue, still open')}* ({overdue_count})")
        lines += [_agenda_line(e, lang) for e in overdue]
        if overdue_count > len(overdue):
            rest = overdue_count - len(overdue)
            lines.append(_t(lang, f"…en nog {rest}", f"…and {rest} more"))
    day = None
    for entry in (e for e in item.entries if not e.overdue):
        if entry.due != day:
            day = entry.due
            lines.append(f"*{format_date(day, lang, year=False)}*")
        lines.append(_agenda_line(entry, lang))
    this_week = len(item.entries) - len(overdue)
    counts = agenda_counts(this_week, overdue_count, lang)
    blocks: list[Block] = [header(title), context(counts + late_mark(item, lang))]
    blocks += pack_lines(lines, max_blocks=MAX_MESSAGE_BLOCKS - len(blocks), lang=lang)
    return Message(f"{title}: {counts}{late_mark(item, lang)}", blocks)


MAX_CLEANUP_LINES = 20  # 2 blocks each, under a header and a context line


def render_cleanup(item: Cleanup, *, lang: str = "nl") -> Message:
    """The monthly clean-up: actions overdue for over four weeks, each with its buttons."""
    count = len(item.entries)
    title = _t(lang, f"Opruimen: {count} verlopen {'actie' if count == 1 else 'acties'}",
               f"Clean-up: {count} overdue {'action' if count == 1 else 'actions'}")
    intro = _t(lang, "Langer dan vier weken verlopen en nog open. Rond af, verzet de datum of "
                     "laat het dossier zien; deze lijst komt eens per maand.",
               "Overdue for more than four weeks and still open. Mark done, move the date or "
               "open the dossier; this list comes once a month.")
    blocks: list[Block] = [header(title), context(intro)]
    for index, entry in enumerate(item.entries[:MAX_CLEANUP_LINES]):
        x = entry.deadline
        when = _when(x, entry.due, lang)
        blocks.append(section(f"• *{escape_user_text(x.title)}* — "
                              f"{escape_user_text(x.dossier_code)} · "
                              f"{_t(lang, 'was', 'was due')} {when}{_owner(x)}"))
        blocks.append(_actions(x, entry.due.isoformat(), lang, line=index))
    if count > MAX_CLEANUP_LINES:
        blocks.append(context(_t(lang, f"…en nog {count - MAX_CLEANUP_LINES}",
                                 f"…and {count - MAX_CLEANUP_LINES} more")))
    return Message(f"{title}{late_mark(item, lang)}", blocks)
