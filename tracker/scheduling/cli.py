"""`lobby remind [--now ISO-8601] [--dry-run]`: run one scheduler tick and print what happened.

Only argparse at import time: `register` runs for every `lobby` invocation."""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tracker.scheduling.items import Notifier
    from tracker.scheduling.tick import Outcome, TickReport
    from tracker.settings import Settings

NOTIFIER_GROUP = "lobbytracker.notifier"
LABELS = {
    "nl": {"sent": "verzonden", "recovered": "al geplaatst", "retry": "opnieuw later",
           "failed": "MISLUKT", "skipped": "overgeslagen", "taken": "door ander proces",
           "due": "te versturen"},
    "en": {"sent": "sent", "recovered": "already posted", "retry": "retry later",
           "failed": "FAILED", "skipped": "skipped", "taken": "other process", "due": "due"},
}


def parse_now(text: str, tz: ZoneInfo) -> datetime:
    """ISO 8601 with an offset or Z, or a naive time read in `tz`; ValueError when unreadable."""
    from datetime import datetime

    from tracker.dates import MAX_YEAR, MIN_YEAR

    moment = datetime.fromisoformat(text.strip())
    if not MIN_YEAR <= moment.year <= MAX_YEAR:  # the one year window of every entry path
        raise ValueError(f"year {moment.year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def load_notifier(settings: Settings, name: str = "slack") -> Notifier:
    """The notifier an adapter installed under the `lobbytracker.notifier` entry-point group."""
    from importlib.metadata import entry_points

    from tracker.cli import UsageError

    for entry in entry_points(group=NOTIFIER_GROUP):
        if entry.name == name:
            return entry.load()(settings)  # type: ignore[no-any-return]
    raise UsageError(f"no ‘{name}’ notifier installed (entry-point group {NOTIFIER_GROUP}); "
                     "reinstall with `pip install -e .`")


def outcome_line(outcome: Outcome, lang: str) -> str:
    """One printed line per outcome."""
    from tracker.scheduling.describe import describe

    label = LABELS[lang].get(outcome.status, outcome.status)
    what = describe(outcome.item, lang) if outcome.item is not None else outcome.key
    detail = f"  [{outcome.detail}]" if outcome.status in ("retry", "failed", "skipped") else ""
    return f"{label:<17} {outcome.channel:<14} {what}{detail}"


def print_report(report: TickReport, lang: str) -> None:
    """What the tick did, and a summary that says what waits for a retry."""
    for outcome in report.outcomes:
        if outcome.status != "taken":
            print(outcome_line(outcome, lang))
    print(report.summary(lang))


def _remind(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.app import Runtime, utc_now
    from tracker.cli import UsageError, settings_from_env
    from tracker.db import session_scope
    from tracker.scheduling.describe import describe
    from tracker.scheduling.plan import plan_tick
    from tracker.scheduling.stopping import Stopping
    from tracker.scheduling.tick import run_tick, running_clock

    settings = settings_from_env()
    lang = settings.lobby_language
    try:
        now = parse_now(args.now, settings.tz) if args.now else utc_now()
    except ValueError as exc:
        raise UsageError(f"--now: ‘{args.now}’ is geen ISO 8601-tijdstip in 2000–2100 / not an "
                         "ISO 8601 instant in 2000-2100 (e.g. 2023-11-20T08:30 or "
                         "2023-11-20T07:30:00Z)") from exc
    notifier = None if args.dry_run else load_notifier(settings)
    try:
        runtime = Runtime.open(settings)
    except SQLAlchemyError as exc:
        print(f"database niet bereikbaar / database unreachable: {type(exc).__name__}: {exc}"[:500])
        return 1
    try:
        if notifier is None:
            with session_scope(runtime.engine) as session:
                plan = plan_tick(session=session, settings=settings, now=now)
            for item in plan.post:
                print(f"{LABELS[lang]['due']:<17} {item.channel:<14} {describe(item, lang)}")
            for skip in plan.skip:
                print(f"{LABELS[lang]['skipped']:<17} {skip.channel:<14} {skip.key}  [{skip.reason}]")
            print(f"dry run: {len(plan.post)} te versturen / due, {len(plan.skip)} over te slaan / "
                  "to skip; nothing posted or recorded")
            return 0
        clock = running_clock(now) if args.now else utc_now
        with stop_on_signals() as stop:
            report = run_tick(engine=runtime.engine, settings=settings,
                              notifier=Stopping(notifier, stop), now=now, clock=clock)
    except SQLAlchemyError as exc:
        print(f"tick kon niet draaien / tick could not run: {type(exc).__name__}: {exc}"[:500])
        return 1
    finally:
        runtime.close()
    print_report(report, lang)
    if stop.is_set():
        print("gestopt na een signaal / stopped by a signal: wat nog niet verzonden is, verstuurt "
              "de volgende tick / the next tick sends the rest")
    return 0


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event SIGTERM and SIGINT set (instead of killing the process mid-post), while inside."""
    import signal

    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda _signum, _frame: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `lobby remind`."""
    cmd = sub.add_parser("remind", help="run one scheduler tick now (or at --now): deliver what "
                                        "is due, print what was sent")
    cmd.add_argument("--now", metavar="ISO-8601",
                     help="the instant to run at: 2023-11-20T08:30 (LOBBY_TIMEZONE), "
                          "2023-11-20T07:30Z or with an offset")
    cmd.add_argument("--dry-run", action="store_true",
                     help="print what is due without posting or recording anything")
    cmd.set_defaults(func=_remind)
