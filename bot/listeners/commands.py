"""Slash commands: /lobby, /dossier, /deadline, /programma, /digest — one grammar, one path.

parse (tracker.commands) → execute (tracker.execute) → render (bot.render) → the reply goes
back in the acknowledgement itself; modals, digests and App Home refreshes go to the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlmodel import Session

from bot.listeners.views import modal_for
from bot.render.message import Message
from bot.render.results import render_notice, render_result
from bot.unit_of_work import transactional
from tracker.commands import SLASH_AREAS, Command, parse_command
from tracker.execute import execute
from tracker.results import DigestRequested, ModalRequested

COMMANDS = tuple(SLASH_AREAS)


@dataclass
class Reply:
    """What a command gives back: the immediate reply and the Slack calls to make after it."""

    message: Message | None
    outbox: list[dict[str, Any]] = field(default_factory=list)


def run_slash_command(command: str, text: str, *, user_id: str | None, session: Session,
                      deps: Any, now: datetime, trigger_id: str | None = None,
                      channel_id: str | None = None) -> Reply:
    """One slash command, start to finish except for talking to Slack."""
    parsed = parse_command(command, text, now=now, tz=deps.settings.tz)
    return run_parsed(parsed, user_id=user_id, session=session, deps=deps, now=now,
                      trigger_id=trigger_id, channel_id=channel_id)


def run_parsed(parsed: Command, *, user_id: str | None, session: Session, deps: Any,
               now: datetime, trigger_id: str | None = None,
               channel_id: str | None = None) -> Reply:
    """A parsed slash command: execute it, render the result, say what to send after."""
    settings = deps.settings
    lang = deps.lang
    result = execute(parsed, session=session, now=now, actor=user_id, settings=settings)
    if isinstance(result, ModalRequested):
        view = modal_for(result, session=session, lang=lang, channel_id=channel_id)
        return Reply(None, [{"op": "open_view", "trigger_id": trigger_id, "view": view}])
    if isinstance(result, DigestRequested):
        label = result.period.label(lang)
        notice = (f":hourglass: De rapportage over {label} wordt gemaakt…" if lang == "nl"
                  else f":hourglass: Building the digest for {label}…")
        if result.format:
            kind = result.format.upper()
            notice = (f":hourglass: Het rapport over {label} ({kind}) wordt gemaakt; u krijgt "
                      "het als privébericht." if lang == "nl" else
                      f":hourglass: Building the report for {label} ({kind}); it comes to you "
                      "as a direct message.")
        return Reply(render_notice(notice),
                     [{"op": "digest", "period": result.period, "post": result.post,
                       "channel": channel_id, "format": result.format, "user": user_id}])
    today = now.astimezone(settings.tz).date()
    message = render_result(result, lang=lang, tz=settings.tz, today=today)
    outbox = [{"op": "refresh_home", "user": user_id}] if parsed.mutates and user_id else []
    return Reply(message, outbox)


def handle_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Answer in the acknowledgement; queue whatever needs Slack's Web API."""
    deps = context["deps"]
    parsed = parse_command(command.get("command", "/lobby"), command.get("text", ""),
                           now=context["now"], tz=deps.settings.tz)
    # A replay of a command that only reads is simply answered again: no look-up of what an
    # earlier one answered (bot.unit_of_work), also when it is refused (an unknown dossier).
    context["reads_only"] = parsed.reads_only
    reply = run_parsed(parsed, user_id=command.get("user_id"), session=context["session"],
                       deps=deps, now=context["now"], trigger_id=command.get("trigger_id"),
                       channel_id=command.get("channel_id"))
    context["outbox"] = reply.outbox
    if reply.message is None:
        ack()
    else:
        ack(**reply.message.payload())


def register(app: App) -> None:
    """Register the five slash commands."""
    for name in COMMANDS:
        app.command(name)(ack=transactional(handle_command), lazy=[])
