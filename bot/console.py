"""`lobby demo --interactive`: type slash commands as in Slack, answered by the same listener
code and Block Kit renderers, shown as text. No Slack, no settings: a fresh SQLite database
with the Regio Zwolle 2023 dataset in a temporary directory."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.app import Deps, error_reply_text
from bot.listeners.commands import run_slash_command
from bot.listeners.digest import make_digest, preview_message
from bot.listeners.events import home_view
from bot.render.as_text import PLAIN, Style, blocks_to_text, view_to_text
from bot.render.digest import render_digest
from tracker.db import make_engine, session_scope
from tracker.migrate import upgrade
from tracker.seed import seed_dataset
from tracker.settings import load_settings

CONSOLE_USER = "U0CONSOLE"
DEFAULT_TODAY = date(2023, 9, 15)
SEED_AT = (date(2023, 9, 1), time(8, 0))  # the dataset as of 1 Sep 2023, local time
QUIT = {"quit", "exit", "stop", "/quit", "/exit", "q"}


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def run_console(today: date | None, stdin: TextIO, stdout: TextIO, *,
                lang: str = "nl", database_dir: Path | None = None) -> int:
    """Read slash commands from `stdin` until end of input or `quit`; answer on `stdout`."""
    today = today or DEFAULT_TODAY
    with tempfile.TemporaryDirectory(prefix="lobby-console-") as tmp:
        folder = database_dir or Path(tmp)
        url = f"sqlite:///{folder / 'lobby-console.db'}"
        settings = load_settings(_env_file=None, DATABASE_URL=url, LOBBY_ADMINS=CONSOLE_USER,
                                 LOBBY_LANGUAGE=lang)
        tz: ZoneInfo = settings.tz
        now = datetime.combine(today, time(10, 0), tzinfo=tz)
        engine = make_engine(url)
        try:
            upgrade(engine)
            with session_scope(engine) as session:
                seed_at = min(datetime.combine(*SEED_AT, tzinfo=tz), now)
                seed_dataset(session=session, now=seed_at, tz=tz)
            deps = Deps(settings, engine, clock=lambda: now)
            style = Style(tty=_is_tty(stdout), lang=lang)
            _print(stdout, _t(lang, f"Lobbytracker-console · vandaag is {today:%Y-%m-%d} · "
                                    "typ /lobby help, /home of quit",
                              f"Lobbytracker console · today is {today:%Y-%m-%d} · "
                              "type /lobby help, /home or quit"))
            for raw in stdin:
                line = raw.strip()
                if not line:
                    continue
                if line.lower() in QUIT:
                    break
                _print(stdout, f"> {line}")
                _print(stdout, answer(line, deps=deps, now=now, style=style))
        finally:
            engine.dispose()
    return 0


def _is_tty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def answer(line: str, *, deps: Deps, now: datetime, style: Style = PLAIN) -> str:
    """The console's reply to one typed line, as text."""
    lang = deps.lang
    if not line.startswith("/"):
        return _t(lang, "Begin met een slash-opdracht, bijvoorbeeld /dossier toon N35.",
                  "Start with a slash command, for example /dossier show N35.")
    command, _, text = line.partition(" ")
    try:
        with session_scope(deps.engine) as session:
            if command.lower() == "/home":
                return view_to_text(home_view(session=session, user_id=CONSOLE_USER, deps=deps,
                                              now=now), style)
            reply = run_slash_command(command.lower(), text, user_id=CONSOLE_USER,
                                      session=session, deps=deps, now=now)
            parts = [blocks_to_text(reply.message.blocks, style)] if reply.message else []
            for item in reply.outbox:
                if item["op"] == "open_view":
                    parts.append(view_to_text(item["view"], style))
                    parts.append(_t(lang, "(In Slack opent dit formulier; geef hier de argumenten "
                                          "op de opdrachtregel.)",
                                    "(In Slack this form opens; here, give the arguments on the "
                                    "command line.)"))
                elif item["op"] == "digest":
                    digest = make_digest(session=session, period=item["period"], deps=deps,
                                         now=now)
                    if item.get("format") and not digest.is_empty:  # Slack would DM the file
                        from tracker.digest.report import report_filename, write_report

                        path = write_report(digest, item["format"], Path(
                            report_filename(digest, item["format"], lang)), lang)
                        parts.append(_t(lang, f"Het rapport staat in {path.resolve()}",
                                        f"The report is in {path.resolve()}"))
                    elif item["post"] and not digest.is_empty:
                        from bot.render.canvas import canvas_notice

                        parts += [blocks_to_text(m.blocks, style)
                                  for m in render_digest(digest, lang=lang)]
                        parts.append(canvas_notice(
                            digest, deps.settings.lobby_digest_channel
                            or _t(lang, "het kanaal", "the channel"), lang))
                    else:
                        parts.append(blocks_to_text(preview_message(digest, lang).blocks, style))
            return "\n".join(parts)
    except Exception as exc:
        text_, error_id = error_reply_text(exc, lang)
        from bot.render.as_text import mrkdwn_to_text

        shown = mrkdwn_to_text(text_, style)
        return f"⚠ {shown}" + (f"\n({type(exc).__name__}: {exc})" if error_id else "")


def _print(stdout: TextIO, text: str) -> None:
    stdout.write(text + "\n\n")
    stdout.flush()
