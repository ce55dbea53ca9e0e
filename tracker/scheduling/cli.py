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
    """ISO 8601 with an offset or Z, or a naive time read in `tz`; ValueError when unreadable
    or outside the years every entry path accepts (2000–2100)."""
    from datetime import datetime

    from tracker.dates import MAX_YEAR, MIN_YEAR

    moment = datetime.fromisoformat(text.strip())
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"year {moment.year} outside {MIN_YEAR}–{MAX_YEAR}")
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
        raise UsageError(
            f"--now: ‘{args.now}’ is geen ISO 8601-tijdstip in 2000–2100. Voorbeeld: lobby remind "
            "--now 2023-11-20T08:30" if lang == "nl" else
            f"--now: ‘{args.now}’ is not an ISO 8601 instant in 2000–2100. Example: lobby remind "
            "--now 2023-11-20T08:30") from exc
    notifier = None if args.dry_run else load_notifier(settings)
    runtime = Runtime.open(settings)  # unreachable or behind: DatabaseUnavailable, exit 3
    try:
        homeless: list[str] = []
        if not settings.lobby_default_channel:
            with session_scope(runtime.engine) as session:
                homeless = channelless_dossiers(session)
        if notifier is None:
            with session_scope(runtime.engine) as session:
                plan = plan_tick(session=session, settings=settings, now=now)
            for item in plan.post:
                print(f"{LABELS[lang]['due']:<17} {item.channel:<14} {describe(item, lang)}")
            for skip in plan.skip:
                print(f"{LABELS[lang]['skipped']:<17} {skip.channel:<14} "
                      f"{describe_skip(skip, lang, settings.tz)}")
            print(f"proefdraai: {len(plan.post)} te versturen, {len(plan.skip)} over te slaan; "
                  "niets geplaatst of vastgelegd" if lang == "nl" else
                  f"dry run: {len(plan.post)} due, {len(plan.skip)} to skip; nothing posted or "
                  "recorded")
            from tracker.scheduling.hours import within_working_hours

            if not within_working_hours(now, settings):
                print("buiten werktijd (LOBBY_WORKING_HOURS, weekend of feestdag): er wordt niets "
                      "geplaatst tot de volgende werkochtend" if lang == "nl" else
                      "outside working hours (LOBBY_WORKING_HOURS, weekend or holiday): nothing "
                      "is posted until the next working morning")
            if homeless:
                print(no_default_channel_hint(homeless, lang))
            return 0
        clock = running_clock(now) if args.now else utc_now
        with stop_on_signals() as stop:
            report = run_tick(engine=runtime.engine, settings=settings,
                              notifier=Stopping(notifier, stop), now=now, clock=clock)
    except SQLAlchemyError as exc:
        from tracker.app import unreachable

        raise unreachable(settings.database_url, exc) from exc
    finally:
        runtime.close()
    print_report(report, lang)
    if homeless:
        print(no_default_channel_hint(homeless, lang))
    if stop.is_set():
        print("gestopt na een signaal / stopped by a signal: wat nog niet verzonden is, verstuurt "
              "de volgende tick / the next tick sends the rest")
    return 0


# Why the planner skips a ledger row (its stored reasons are English keys), in words.
SKIP_REASONS = {
    "deadline passed before it could be sent": ("de deadline was al voorbij voordat de "
                                                "herinnering kon worden verstuurd",
                                                "the deadline passed before it could be sent"),
    "overdue nudge: its working day passed during downtime": (
        "herinnering over een verlopen deadline: de werkdag ervan ging voorbij terwijl de bot "
        "uit stond", "overdue nudge: its working day passed during downtime"),
    "no longer due (done, cancelled, moved or past)": (
        "niet meer nodig (afgerond, geannuleerd, verzet of voorbij)",
        "no longer due (done, cancelled, moved or past)"),
    "empty: nothing to post": ("leeg: niets te melden", "empty: nothing to post"),
}
KIND_WORDS = {"reminder": ("herinnering", "reminder"), "agenda": ("weekagenda", "weekly agenda"),
              "digest": ("halfjaarrapportage", "half-year digest"),
              "overdue": ("herinnering verlopen deadline", "overdue nudge")}


def describe_skip(skip: object, lang: str, tz: ZoneInfo) -> str:
    """`herinnering bij deadline #43 (wo 2 dec 2026 09:00): de deadline was al voorbij …`."""
    from tracker.dates import format_date

    nl = lang == "nl"
    kind = str(getattr(skip, "kind", ""))
    words = KIND_WORDS.get(kind, (kind, kind))
    what = words[0] if nl else words[1]
    deadline_id = getattr(skip, "deadline_id", None)
    if deadline_id is not None:
        what += f" {'bij deadline' if nl else 'for deadline'} #{deadline_id}"
    due_at = getattr(skip, "due_at", None)
    if due_at is not None:
        local = due_at.astimezone(tz)
        what += f" ({format_date(local.date(), lang)} {local:%H:%M})"
    reason = str(getattr(skip, "reason", ""))
    said = SKIP_REASONS.get(reason, (reason, reason))
    return f"{what}: {said[0] if nl else said[1]}"


def channelless_dossiers(session: object) -> list[str]:
    """Codes of open dossiers without a channel of their own (their reminders need
    LOBBY_DEFAULT_CHANNEL)."""
    from sqlmodel import select

    from tracker.models import Dossier, Phase

    rows = session.exec(select(Dossier.code, Dossier.phase).where(  # type: ignore[attr-defined]
        Dossier.channel.is_(None)))  # type: ignore[union-attr]
    return sorted(code for code, phase in rows if phase != Phase.CLOSED.value)


def no_default_channel_hint(codes: list[str], lang: str) -> str:
    """Why nothing is due for the example dossiers, and how to change that."""
    shown = ", ".join(codes[:6]) + (", …" if len(codes) > 6 else "")
    if lang == "nl":
        return (f"Let op: LOBBY_DEFAULT_CHANNEL is niet gezet, dus de herinneringen van "
                f"{len(codes)} dossiers zonder eigen kanaal ({shown}) kunnen nergens heen. "
                "Zet LOBBY_DEFAULT_CHANNEL=C0123ABCD in .env, of geef een dossier een kanaal: "
                f"lobby dossier channel {codes[0]} '#kanaal'.")
    return (f"Note: LOBBY_DEFAULT_CHANNEL is not set, so the reminders of {len(codes)} dossiers "
            f"without a channel of their own ({shown}) have nowhere to go. Set "
            "LOBBY_DEFAULT_CHANNEL=C0123ABCD in .env, or give a dossier a channel: "
            f"lobby dossier channel {codes[0]} '#channel'.")


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
