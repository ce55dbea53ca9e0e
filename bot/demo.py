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
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # `register` runs on every `lobby` call: the rest is imported when the demo runs
    from tracker.scheduling.items import Item, PostResult
    from tracker.settings import Settings

DEMO_DB = "lobby-demo.db"
TZ = ZoneInfo("Europe/Amsterdam")
START = datetime(2023, 9, 1, 8, 0, tzinfo=TZ)
# The end of 2 January: the half-year digest goes out on the first working day of the year.
END = datetime(2024, 1, 3, 0, 0, tzinfo=TZ)
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
                    print(blocks_to_text(message.blocks) or message.text, file=self.out)
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
                    print(blocks_to_text(message.blocks) or message.text, file=self.out)
            except BrokenPipeError as exc:
                raise OutputClosed from exc
            for item in items:
                self.posted[item.key] = ts
                self.counts[item.kind] = self.counts.get(item.kind, 0) + 1
            self.messages += 1
            return [PostResult(ts=ts) for _ in items]

    def find_posted(self, channel: str, key: str) -> str | None:
        """Keys this replay printed."""
        return self.posted.get(key)

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """The demo has no admins to tell."""
        return 0


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
           start: datetime = START, end: datetime = END, lang: str = "nl") -> ReplayNotifier:
    """Seed the dataset as of `start` and run the real tick at every due moment before `end`."""
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
        moment = start
        while True:
            with session_scope(engine) as session:
                following = next_moment(session=session, settings=settings, after=moment)
            if following is None or following >= end:
                break
            moment = notifier.now = following
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
    from bot.render.as_text import RULE

    started = wallclock.monotonic()
    print(f"Lobbytracker demo: {DEMO_DB}, Regio Zwolle 2023, "
          f"{START:%Y-%m-%d} → {END:%Y-%m-%d} (Europe/Amsterdam)")
    try:
        notifier = replay(lang=args.lang)
    except OutputClosed:
        _silence_stdout()
        return 0
    print(f"\n{RULE}\n{summary_line(notifier, wallclock.monotonic() - started, args.lang)}")
    return 0


KIND_WORDS = {"nl": {"reminder": "herinneringen", "snooze": "herinneringen op verzoek",
                     "overdue": "verlopen acties", "agenda": "weekagenda's",
                     "digest": "halfjaardigest", "cleanup": "opruimlijsten"},
              "en": {"reminder": "reminders", "snooze": "snoozed reminders",
                     "overdue": "overdue actions", "agenda": "weekly agendas",
                     "digest": "half-year digest", "cleanup": "clean-up lists"}}


def summary_line(notifier: ReplayNotifier, seconds: float, lang: str | None) -> str:
    """"98 berichten (61 herinneringen, …) in 2,3 s": messages, then what they held."""
    lang = "en" if lang == "en" else "nl"
    words = KIND_WORDS[lang]
    counts = ", ".join(f"{n} {words.get(kind, kind)}" for kind, n in sorted(notifier.counts.items()))
    if lang == "en":
        return f"{notifier.messages} messages ({counts}) in {seconds:.1f} s"
    return f"{notifier.messages} berichten ({counts}) in {f'{seconds:.1f}'.replace('.', ',')} s"


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
