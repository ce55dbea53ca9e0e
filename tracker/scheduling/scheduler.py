"""The scheduler inside `lobby serve`: APScheduler runs one tick a minute, in memory only
(the database is the source of truth), in the team's time zone."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from tracker.app import Runtime, utc_now
from tracker.scheduling.items import Notifier
from tracker.scheduling.tick import run_tick

log = logging.getLogger(__name__)
JOB_ID = "lobby-tick"


def tick_job(runtime: Runtime, notifier: Notifier) -> None:
    """One tick on the real clock; errors are logged and the next minute tries again."""
    try:
        report = run_tick(engine=runtime.engine, settings=runtime.settings, notifier=notifier,
                          now=utc_now(), clock=utc_now)
    except Exception:
        log.exception("scheduler tick failed")
        return
    if report.outcomes:
        log.info("scheduler tick: %s", report.summary("en"))


def start_scheduler(runtime: Runtime, notifier: Notifier) -> BackgroundScheduler:
    """Start ticking every minute (and once right away, to catch up after a restart)."""
    tz = runtime.settings.tz
    scheduler = BackgroundScheduler(timezone=tz)
    # The first run right away: after downtime the catch-up should not wait for the minute.
    scheduler.add_job(tick_job, CronTrigger(minute="*", second=0, timezone=tz),
                      args=(runtime, notifier), id=JOB_ID, coalesce=True, max_instances=1,
                      misfire_grace_time=50, next_run_time=utc_now().astimezone(tz))
    from tracker.kamer.job import (
        add_kamer_job,  # the Tweede Kamer sync, every LOBBY_TK_POLL_MINUTES
    )

    add_kamer_job(scheduler, runtime)
    scheduler.start()
    return scheduler
