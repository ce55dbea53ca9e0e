"""The Slack API down around reminder time, with the real tick, the real Slack notifier and the
Slack double (HTTP 503 while down), on a simulated clock that ticks once a minute.

- Down 08:55–09:05 (ten minutes around the 09:00 reminders), ticks every minute 08:55–09:15:
  every reminder is in its channel once, the ledger says sent once, and none is marked late
  (they went out within the 15-minute grace period, after the backoff of 1, 2 and 4 minutes).
- Down 08:55–09:25 (longer than the grace period), ticks until 09:45: each is still delivered
  exactly once, now marked "(later verzonden)" in Slack and `late` in the ledger.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.notifier import SlackNotifier, make_client
from tests.slack_double import SlackDouble
from tests.tracker.scheduling_support import (
    add_deadline,
    add_dossier,
    ledger,
    local,
    posted_keys,
    scheduler_settings,
)
from tracker.scheduling.plan import LATE_AFTER
from tracker.scheduling.tick import run_tick
from tracker.settings import Settings

CHANNELS = ("C0N35", "C0ZWM", "C0KWZ")


@pytest.fixture
def setup(engine: Engine, session: Session, settings: Settings, db_url: str,
          slack_double: SlackDouble) -> tuple[Settings, SlackNotifier]:
    """Three dossiers in three channels, two debates each on Tuesday 21 November 2023: their
    7-day reminders are due Tuesday 14 November at 09:00 (and nothing else is owed then)."""
    for n, channel in enumerate(CHANNELS):
        dossier = add_dossier(session, f"D{n}", channel=channel)
        for m in range(2):
            # Created on the 10th, so the 14-day rung (7 Nov) was never owed.
            add_deadline(session, dossier, date(2023, 11, 21), title=f"Kamerdebat {n}.{m}",
                         created=local(2023, 11, 10, 12))
    session.commit()
    sched = scheduler_settings(db_url, SLACK_BOT_TOKEN=slack_double.token,
                               SLACK_API_URL=slack_double.url)
    notifier = SlackNotifier(make_client(sched), min_interval=0.0, sleep=lambda _s: None)
    return sched, notifier


def _run(engine: Engine, sched: Settings, notifier: SlackNotifier, double: SlackDouble, *,
         start: datetime, end: datetime, down_until: datetime) -> list[tuple[datetime, str]]:
    """A tick a minute from `start` to `end` (bounded), Slack down until `down_until`."""
    summaries = []
    moment = start
    for _ in range(120):
        if moment > end:
            break
        double.set_down(moment < down_until)
        report = run_tick(engine=engine, settings=sched, notifier=notifier, now=moment,
                          clock=lambda m=moment: m, sleep=lambda _s: None)
        summaries.append((moment, report.summary("en")))
        moment += timedelta(minutes=1)
    double.set_down(False)
    return summaries


def _posted(double: SlackDouble) -> Counter[str]:
    return posted_keys(double.messages)


@pytest.mark.parametrize(("down_minutes", "until", "late"), [
    (10, (9, 15), False),   # back within the grace period: on time
    (30, (9, 45), True),    # longer: delivered once, marked late
])
def test_slack_down_around_reminder_time(engine: Engine, setup: tuple[Settings, SlackNotifier],
                                         slack_double: SlackDouble, down_minutes: int,
                                         until: tuple[int, int], late: bool) -> None:
    sched, notifier = setup
    start = local(2023, 11, 14, 8, 55)
    summaries = _run(engine, sched, notifier, slack_double, start=start,
                     end=local(2023, 11, 14, *until),
                     down_until=start + timedelta(minutes=down_minutes))

    failed_while_down = [c for c in slack_double.calls_to("chat.postMessage") if c.status == 503]
    assert failed_while_down, summaries  # the outage was real: posts were tried and refused
    posted = _posted(slack_double)
    rows = {key: row for key, row in ledger(engine).items() if key.startswith("reminder")}
    assert len(rows) == 6, summaries
    assert set(posted) == set(rows), summaries
    assert set(posted.values()) == {1}, posted  # exactly once in Slack
    assert {row.status for row in rows.values()} == {"sent"}, summaries
    assert {row.ts for row in rows.values()} == {m["ts"] for m in slack_double.messages}
    for row in rows.values():
        sent_at = row.sent_at
        assert sent_at is not None
        assert row.late == (sent_at - row.due_at > LATE_AFTER), (row.key, sent_at, row.due_at)
        assert row.late is late
        assert row.attempts > 1  # it took retries, each recorded
    marks = ["(later verzonden)" in m["text"] for m in slack_double.messages]
    assert marks == [late] * len(marks)
