"""`lobby demo`: the second half of 2023 replayed through the real scheduler, printed as Slack
would show it. No settings, no Slack: a fresh `lobby-demo.db` in the working directory, the
Regio Zwolle 2023 dataset as of 1 September 2023, and a simulated clock that jumps from one due
moment to the next (2023-09-01 → 2024-01-02), ending with the 2023H2 half-year digest.

`lobby demo --interactive [--today DATE]` opens the slash-command console instead.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time as wallclock
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # `register` runs on every `lobby` call: the rest is imported when the demo runs
    from tracker.scheduling.items import Item, PostResult
    from tracker.settings import Settings

DEMO_DB = "lobby-demo.db"
TZ = ZoneInfo("Europe/Amsterdam")
START = datetime(2023, 9, 1, 8, 0, tzinfo=TZ)
END = datetime(2024, 1, 3, 0, 0, tzinfo=TZ)  # the end of 2 January 2024 (its agenda included)
CHANNEL = "#regio-zwolle-lobby"
DIGEST_CHANNEL = "#bestuur-regio-zwolle"


class OutputClosed(BaseException):
    """The reader went away (`lobby demo | head`): stop the replay instead of posting on.

    A BaseException, so the tick's per-item error handling does not swallow it."""


class ReplayNotifier:
    """Prints each message as it would read in Slack, under its simulated time and channel."""

    parallel = False  # one message after the other, in time order

    def __init__(self, settings: Settings, out: TextIO) -> None:
        self.settings = settings
        self.out = out
        self.now = START
        self.posted: dict[str, str] = {}
        self.counts: dict[str, int] = {}  # items by kind
        self.messages = 0  # messages printed (a bundle of reminders is one)
        self._lock = threading.Lock()
        from bot.render.as_text import Style

        self.style = Style(tty=_is_tty(out), lang=settings.lobby_language)

    def post(self, channel: str, item: Item) -> PostResult:
        """Print the rendered blocks (a digest's thread replies under the first message)."""
        from bot.notifier import render_item
        from bot.render.as_text import RULE, blocks_to_text
        from tracker.dates import format_datetime
        from tracker.scheduling.items import PostResult

        lang = self.settings.lobby_language
        with self._lock:
            stamp = format_datetime(self.now, self.settings.tz, lang)
            try:
                print(f"\n{RULE}\n{stamp} · {channel}\n{RULE}", file=self.out)
                for number, message in enumerate(render_item(item, lang)):
                    if number:
                        print("  ↳ " + ("in thread" if lang == "en" else "in de draad"),
                              file=self.out)
                    print(blocks_to_text(message.blocks, self.style) or message.text,
                          file=self.out)
                if item.kind == "digest":  # the canvas it would publish; the report beside the db
                    from bot.render.canvas import canvas_notice
                    from tracker.digest.report import write_report

                    db = Path(self.settings.database_url.removeprefix("sqlite:///"))
                    report = write_report(item.digest, "pdf", db.with_name(
                        f"lobby-demo-{item.digest.period.key}.pdf"), lang)
                    print(canvas_notice(item.digest, channel, lang), file=self.out)
                    print(("Report: " if lang == "en" else "Rapport: ") + str(report), file=self.out)
            except BrokenPipeError as exc:
                raise OutputClosed from exc
            ts = f"{self.now.timestamp():.6f}"
            self.posted[item.key] = ts
            self.counts[item.kind] = self.counts.get(item.kind, 0) + 1
            self.messages += 1
            return PostResult(ts=ts)

    def post_bundle(self, channel: str, items: list[Item]) -> list[PostResult]:
        """Print several reminders as the one message Slack would show (its thread below it)."""
        from bot.render.as_text import RULE, blocks_to_text
        from bot.render.reminders import render_bundle
        from tracker.dates import format_datetime
        from tracker.scheduling.items import PostResult

        lang = self.settings.lobby_language
        with self._lock:
            stamp = format_datetime(self.now, self.settings.tz, lang)
            ts = f"{self.now.timestamp():.6f}"
            try:
                print(f"\n{RULE}\n{stamp} · {channel}\n{RULE}", file=self.out)
                for number, (message, _shown) in enumerate(render_bundle(items, lang=lang)):  # type: ignore[arg-type]
                    if number:
                        print("  ↳ " + ("in thread" if lang == "en" else "in de draad"),
                              file=self.out)
                    print(blocks_to_text(message.blocks, self.style) or message.text, file=self.out)
            except BrokenPipeError as exc:
                raise OutputClosed from exc
            for item in items:
                self.posted[item.key] = ts
                self.counts[item.kind] = self.counts.get(item.kind, 0) + 1
            self.messages += 1
            return [PostResult(ts=ts) for _ in items]

    def team(self, line: str) -> None:
        """Print what the simulated team did, under its moment."""
        from bot.render.as_text import RULE, mrkdwn_to_text
        from tracker.dates import format_datetime

        lang = self.settings.lobby_language
        stamp = format_datetime(self.now, self.settings.tz, lang)
        who = "team" if lang == "en" else "het team"
        try:
            print(f"\n{RULE}\n{stamp} · {who}\n{RULE}\n{mrkdwn_to_text(line, self.style)}",
                  file=self.out)
        except BrokenPipeError as exc:
            raise OutputClosed from exc
        self.counts["team"] = self.counts.get("team", 0) + 1

    def find_posted(self, channel: str, key: str) -> str | None:
        """Keys this replay printed."""
        return self.posted.get(key)

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """The demo has no admins to tell."""
        return 0


def _is_tty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def demo_settings(url: str, lang: str = "nl") -> Settings:
    """Settings of the demo alone: its own database and channels, whatever the environment says."""
    from tracker.settings import load_settings

    return load_settings(DATABASE_URL=url, LOBBY_DEFAULT_CHANNEL=CHANNEL,
                         LOBBY_DIGEST_CHANNEL=DIGEST_CHANNEL, LOBBY_TIMEZONE="Europe/Amsterdam",
                         LOBBY_REMINDER_TIME="09:00", LOBBY_LANGUAGE=lang, _env_file=None)


def fresh_database(directory: Path) -> str:
    """`lobby-demo.db` in `directory`, recreated and migrated."""
    path = directory / DEMO_DB
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def replay(*, out: TextIO | None = None, directory: Path | None = None,
           start: datetime = START, end: datetime = END, lang: str = "nl",
           team: bool = True) -> ReplayNotifier:
    """Seed the dataset as of `start` and run the real tick at every due moment before `end`;
    in between, the simulated team acts (bot/demo_team.py) unless `team` is False."""
    from bot.demo_team import describe, team_actions
    from tracker.db import make_engine, session_scope
    from tracker.migrate import upgrade
    from tracker.scheduling.plan import next_moment
    from tracker.scheduling.tick import run_tick
    from tracker.seed import seed_dataset

    url = fresh_database(directory or Path.cwd())
    settings = demo_settings(url, lang)
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            seed_dataset(session=session, now=start, tz=settings.tz)
        notifier = ReplayNotifier(settings, out or sys.stdout)
        actions = [a for a in team_actions() if start <= a.at < end] if team else []
        moment = start
        while True:
            with session_scope(engine) as session:
                following = next_moment(session=session, settings=settings, after=moment)
            if actions and (following is None or actions[0].at <= following):
                action = actions.pop(0)
                moment = notifier.now = action.at
                with session_scope(engine) as session:
                    notifier.team(describe(action.act(session, action.at), lang))
                continue
            if following is None or following >= end:
                break
            moment = notifier.now = following
            # the Tweede Kamer moves a debate (a recorded sample, not the real agenda)
            from tracker.kamer.sample import SAMPLE_LINKED, demo_step

            if demo_step(engine=engine, settings=settings, now=moment):
                notifier.team(describe(SAMPLE_LINKED, lang))
            run_tick(engine=engine, settings=settings, notifier=notifier, now=moment,
                     clock=lambda m=moment: m)
        return notifier
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    """`lobby demo`."""
    if args.interactive:
        from bot.console import run_console

        return int(run_console(args.today, sys.stdin, sys.stdout, lang=args.lang) or 0)
    if args.today is not None:
        from tracker.cli import UsageError
        from tracker.messages import text

        raise UsageError(text("demo_today_needs_interactive", args.lang)
                         + " Voorbeeld: lobby demo --interactive --today 2023-10-01"
                         if args.lang == "nl" else
                         text("demo_today_needs_interactive", args.lang)
                         + " Example: lobby demo --interactive --today 2023-10-01")
    from bot.render.as_text import RULE

    started = wallclock.monotonic()
    last_day = (END - timedelta(days=1)).date()
    print(f"Lobbytracker demo: {DEMO_DB}, Regio Zwolle 2023, "
          f"{START:%Y-%m-%d} → {last_day:%Y-%m-%d} (Europe/Amsterdam)")
    try:
        notifier = replay(lang=args.lang)
    except OutputClosed:
        _silence_stdout()
        return 0
    last = summary_line(notifier.counts, wallclock.monotonic() - started, args.lang,
                        messages=notifier.messages)
    print(f"\n{RULE}\n{last}")
    return 0


# What each kind of message is called in the final line.
KIND_NAMES = {"nl": {"reminder": ("herinnering", "herinneringen"),
                     "agenda": ("weekagenda", "weekagenda's"),
                     "digest": ("halfjaarrapportage", "halfjaarrapportages"),
                     "overdue": ("verlopen actie", "verlopen acties"),
                     "confirm": ("bevestigingsvraag", "bevestigingsvragen"),
                     "snooze": ("herinnering op verzoek", "herinneringen op verzoek"),
                     "cleanup": ("opruimlijst", "opruimlijsten"),
                     "kamer": ("bericht uit de Tweede Kamer", "berichten uit de Tweede Kamer"),
                     "team": ("teamactie (gesimuleerd)", "teamacties (gesimuleerd)")},
              "en": {"reminder": ("reminder", "reminders"), "agenda": ("agenda", "agendas"),
                     "digest": ("digest", "digests"), "overdue": ("overdue nudge", "overdue nudges"),
                     "confirm": ("confirmation request", "confirmation requests"),
                     "snooze": ("snoozed reminder", "snoozed reminders"),
                     "cleanup": ("clean-up list", "clean-up lists"),
                     "kamer": ("Tweede Kamer notice", "Tweede Kamer notices"),
                     "team": ("team action (simulated)", "team actions (simulated)")}}


def summary_line(counts: dict[str, int], seconds: float, lang: str | None, *,
                 messages: int | None = None) -> str:
    """The demo's last line, in its language: `56 berichten met 97 meldingen (14 weekagenda's,
    …), plus 10 teamacties (gesimuleerd), in 3,3 s`.

    `messages` counts what was posted (a bundle of reminders is one message, so it may carry
    several notices); the team's simulated actions are no messages of the bot and are counted
    apart."""
    en = lang == "en"
    names = KIND_NAMES["en" if en else "nl"]
    parts = []
    for kind, n in sorted(counts.items()):
        if kind != "team":
            singular, plural = names.get(kind, (kind, kind))
            parts.append(f"{n} {singular if n == 1 else plural}")
    notices = sum(v for k, v in counts.items() if k != "team")
    total = messages if messages is not None else notices
    head = (f"{total} {'message' if total == 1 else 'messages'}" if en else
            f"{total} {'bericht' if total == 1 else 'berichten'}")
    if notices != total:
        head += f" carrying {notices} notices" if en else f" met {notices} meldingen"
    line = f"{head} ({', '.join(parts)})"
    team = counts.get("team", 0)
    if team:
        singular, plural = names["team"]
        line += f", plus {team} {singular if team == 1 else plural}"
    shown = f"{seconds:.1f}" if en else f"{seconds:.1f}".replace(".", ",")
    return f"{line}, in {shown} s"


def _silence_stdout() -> None:
    """After the reader closed the pipe, send the rest to /dev/null so exit does not complain."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `lobby demo` (entry point of the `lobbytracker.cli` group)."""
    cmd = sub.add_parser("demo", help="replay the second half of 2023 from the example dataset "
                                      "through the scheduler, printed as in Slack (no settings)")
    cmd.add_argument("--interactive", action="store_true",
                     help="type slash commands in a console instead (/dossier show N35)")
    cmd.add_argument("--today", type=_day, help="with --interactive: the date to pretend it is")
    cmd.add_argument("--lang", choices=["nl", "en"], default=_environment_language(),
                     help="language of the messages (default: LOBBY_LANGUAGE, else nl)")
    cmd.set_defaults(func=run)


def _environment_language() -> str:
    """LOBBY_LANGUAGE when it is a language we speak; the demo reads no other setting."""
    import os

    value = os.environ.get("LOBBY_LANGUAGE", "").strip().lower()
    return value if value in ("nl", "en") else "nl"
