"""The Tweede Kamer sync inside `lobby serve`: every LOBBY_TK_POLL_MINUTES (0 = off)."""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger

from tracker.app import Runtime, utc_now

log = logging.getLogger(__name__)
JOB_ID = "lobby-kamer-sync"


def sync_job(runtime: Runtime) -> None:
    """One pass on the real clock; a failing source is recorded by the sync, never raised."""
    from tracker.kamer.feed import open_sources
    from tracker.kamer.sync import run_sync

    try:
        with open_sources(runtime.settings) as (client, feed):
            report = run_sync(engine=runtime.engine, client=client, settings=runtime.settings,
                              now=utc_now(), feed=feed)
    except Exception:
        log.exception("Tweede Kamer sync job failed")
        return
    if report.status != "busy":
        log.info("%s", report.summary())


def add_kamer_job(scheduler: Any, runtime: Runtime) -> None:
    """Schedule the sync (first run a minute after start), unless polling is off."""
    minutes = runtime.settings.lobby_tk_poll_minutes
    if minutes <= 0:
        return
    from datetime import timedelta

    scheduler.add_job(sync_job, IntervalTrigger(minutes=minutes, timezone=runtime.settings.tz),
                      args=(runtime,), id=JOB_ID, coalesce=True, max_instances=1,
                      misfire_grace_time=max(60, minutes * 30),
                      next_run_time=utc_now() + timedelta(minutes=1))
