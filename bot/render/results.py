"""One entry point for listeners and the console: a command's Result → a Slack `Message`."""

from __future__ import annotations

from datetime import date
from functools import singledispatch
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.render.deadlines import (
    render_deadline_added,
    render_deadline_changed,
    render_deadline_exists,
    render_deadline_list,
)
from bot.render.dossiers import render_dossier_card, render_dossier_changed, render_dossier_list
from bot.render.limits import MAX_MESSAGE_BLOCKS, context, header, pack_lines, sections
from bot.render.message import Message
from bot.render.mrkdwn import escape_message, escape_user_text, user_ref
from tracker.labels import help_text, line_label, programme_status_label
from tracker.results import (
    DeadlineAdded,
    DeadlineChanged,
    DeadlineExists,
    DeadlineList,
    DossierChanged,
    DossierList,
    DossierShown,
    HelpResult,
    PreferenceResult,
    ProgrammeChanged,
    ProgrammeList,
    TeamChanged,
    TeamList,
)

STATUS_EMOJI = {"on-track": ":large_green_circle:", "at-risk": ":large_orange_circle:",
                "delayed": ":red_circle:", "paused": ":double_vertical_bar:",
                "done": ":white_check_mark:"}


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


@singledispatch
def render_result(result: object, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    """The Block Kit message for a command's result."""
    raise TypeError(f"no Slack renderer for {type(result).__name__}")


def render_help(topic: str | None, lang: str = "nl") -> Message:
    """The help text (tracker.labels.help_text) as sections."""
    text = help_text(topic, lang)
    return Message(text.split("\n", 1)[0].replace("*", ""), sections(text))


def render_error(message: str) -> Message:
    """A short ephemeral reply for a refused or malformed command.

    Domain messages quote what the user typed, so the whole message is escaped.
    """
    safe = escape_message(message)
    return Message(safe, sections(f":warning: {safe}"))


def render_notice(text: str) -> Message:
    """A short ephemeral notice (already escaped mrkdwn)."""
    return Message(text, sections(text))


@render_result.register
def _(result: HelpResult, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_help(result.topic, lang)


@render_result.register
def _(result: DossierList, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_dossier_list(result.dossiers, filter_text=result.filter, lang=lang,
                               page_number=result.page, total=result.total)


@render_result.register
def _(result: DossierShown, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_dossier_card(result.card, tz=tz, today=today, lang=lang)


@render_result.register
def _(result: DossierChanged, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_dossier_changed(result, lang=lang)


@render_result.register
def _(result: DeadlineList, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_deadline_list(result, lang=lang)


@render_result.register
def _(result: DeadlineAdded, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_deadline_added(result, today=today, lang=lang)


@render_result.register
def _(result: DeadlineExists, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_deadline_exists(result, lang=lang)


@render_result.register
def _(result: DeadlineChanged, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    return render_deadline_changed(result, lang=lang, tz=tz)


@render_result.register
def _(result: PreferenceResult, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    from tracker.render_text import preference_text

    text = ":gear: " + preference_text(result, lang)
    return Message(text, sections(text))


def programme_line(p: object, indent: bool, lang: str) -> str:
    """"• *Groei Vooruit* — :large_green_circle: op schema: note"."""
    name = escape_user_text(getattr(p, "name", ""))
    status = getattr(p, "status", "")
    note = getattr(p, "note", "")
    line = (f"{'    ↳ ' if indent else '• '}*{name}* — {STATUS_EMOJI.get(status, '')} "
            f"{programme_status_label(status, lang)}")
    return line + (f": {escape_user_text(note)}" if note else "")


@render_result.register
def _(result: ProgrammeList, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    title = _t(lang, "Programma’s", "Programmes")
    if result.line:
        title += f" — {line_label(result.line, lang)}"
    if not result.programmes:
        text = _t(lang, "Geen programma’s gevonden.", "No programmes found.")
        return Message(text, [header(title), *sections(text)])
    lines: list[str] = []
    current_line = None
    for p in result.programmes:
        prefix = ""
        if p.line != current_line and not result.line:
            current_line = p.line
            prefix = f"*{line_label(p.line, lang)}*\n"
        lines.append(prefix + programme_line(p, p.parent_id in result.parents, lang))
    blocks: list[Block] = [header(title)]
    blocks += pack_lines(lines, max_blocks=MAX_MESSAGE_BLOCKS - 1, lang=lang)
    return Message(f"{title}: {len(result.programmes)}", blocks)


@render_result.register
def _(result: ProgrammeChanged, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    p = result.programme
    text = (f"*{escape_user_text(p.name)}*: {programme_status_label(result.before, lang)} → "
            f"{STATUS_EMOJI.get(p.status, '')} {programme_status_label(p.status, lang)}")
    if p.note:
        text += "\n" + escape_user_text(p.note)
    return Message(text, sections(text))


@render_result.register
def _(result: TeamList, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    lines = [f"• {user_ref(m.user_id)} — {m.role}" for m in result.members]
    lines += [f"• {user_ref(a)} — admin (LOBBY_ADMINS)" for a in result.admins]
    title = _t(lang, "Team en rollen", "Team and roles")
    if not lines:
        lines = [_t(lang, "Nog geen teamleden; iedereen is lezer (viewer).",
                    "No team members yet; everyone is a viewer.")]
    blocks: list[Block] = [header(title)]
    blocks += pack_lines(lines, max_blocks=MAX_MESSAGE_BLOCKS - 2, lang=lang)
    blocks.append(context(_t(lang, "Wie niet in het team staat, is lezer (viewer).",
                             "Anyone not in the team is a viewer.")))
    return Message(f"{title}: {len(result.members) + len(result.admins)}", blocks)


@render_result.register
def _(result: TeamChanged, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    who = user_ref(result.user_id)
    if result.role is None:
        text = _t(lang, f"{who} staat niet meer in het team (nu lezer).",
                  f"{who} was removed from the team (now a viewer).")
    else:
        text = _t(lang, f"{who} is nu {result.role}.", f"{who} is now {result.role}.")
    return Message(text, sections(text))


import bot.render.kamer  # noqa: E402, F401  (registers the Tweede Kamer results)
