"""`lobby serve` schedules the Tweede Kamer sync every LOBBY_TK_POLL_MINUTES; 0 turns it off."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from tracker.app import Runtime
from tracker.kamer.job import JOB_ID, add_kamer_job
from tracker.settings import load_settings


def test_the_sync_job_follows_the_setting(db_url: str) -> None:
    for minutes, expected in (("15", 15 * 60), ("0", None)):
        settings = load_settings(_env_file=None, DATABASE_URL=db_url,
                                 LOBBY_TK_POLL_MINUTES=minutes)
        runtime = Runtime.open(settings)
        scheduler = BackgroundScheduler(timezone=settings.tz)
        try:
            add_kamer_job(scheduler, runtime)
            job = scheduler.get_job(JOB_ID)
            if expected is None:
                assert job is None
            else:
                assert job.trigger.interval.total_seconds() == expected
        finally:
            runtime.close()
