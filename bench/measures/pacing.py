"""1,000 due reminders over 50 channels through the real tick and SlackNotifier, against a Slack
double that allows one message a second per channel: all delivered within 1.2× the rate-limit
lower bound, none lost, none twice (the double's messages checked against the ledger)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

from sqlmodel import Session, select

from bench.context import Context
from bench.data import build_open_deadlines
from bench.timing import Row
from bot.notifier import SlackNotifier, make_client
from tests.slack_double import SlackDouble
from tracker.models import Delivery
from tracker.scheduling.tick import run_tick
from tracker.settings import load_settings

NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)  # Wednesday, 10:00 in Amsterdam
LIMIT_PER_SECOND = 1.0
SLACK_FACTOR = 1.2


def run(ctx: Context) -> list[Row]:
    reminders, channels = (30, 10) if ctx.quick else (1000, 50)
    url = ctx.fresh_sqlite("pacing")
    engine = ctx.engine(url)
    try:
        build_open_deadlines(engine, stored=0, due=reminders, today=NOW.date(),
                             channels=channels, dossiers=channels)
        with SlackDouble(rate_limit_per_channel=LIMIT_PER_SECOND) as double:
            settings = load_settings(_env_file=None, DATABASE_URL=url,
                                     SLACK_BOT_TOKEN=double.token, SLACK_API_URL=double.url)
            notifier = SlackNotifier(make_client(settings), lang=settings.lobby_language)
            per_channel = -(-reminders // channels)
            interval = max(notifier.min_interval, 1 / LIMIT_PER_SECOND)
            lower_bound = (per_channel - 1) * interval
            start = time.perf_counter()
            report = run_tick(engine=engine, settings=settings, notifier=notifier, now=NOW)
            elapsed = time.perf_counter() - start
            with double._lock:  # a snapshot of what the double recorded
                posted = [m for m in double.messages if m.get("metadata")]
            hits = double.rate_limit_hits()
        with Session(engine) as session:
            ledger = {row.key: row for row in session.exec(select(Delivery))}
    finally:
        engine.dispose()
    keys = Counter(m["metadata"]["event_payload"]["key"] for m in posted)
    twice = [k for k, n in keys.items() if n > 1]
    sent = {k: r for k, r in ledger.items() if r.status == "sent"}
    lost = [k for k in sent if k not in keys] + [k for k in ledger if k not in sent]
    strangers = [k for k in keys if k not in sent]
    ts_mismatch = [m["ts"] for m in posted
                   if (row := sent.get(m["metadata"]["event_payload"]["key"])) and row.ts != m["ts"]]
    complete = (len(sent) == reminders and len(posted) == reminders and not twice and not lost
                and not strangers and not ts_mismatch)
    within = elapsed <= SLACK_FACTOR * lower_bound
    note = (f"{len(sent)}/{reminders} sent over {channels} channels ({per_channel} each); "
            f"lower bound ({per_channel} − 1) × {interval:.1f} s = {lower_bound:.1f} s; "
            f"{len(twice)} twice, {len(lost)} lost, {len(strangers)} unrecorded, "
            f"{len(ts_mismatch)} ts mismatches; {hits} HTTP 429 from the double; "
            f"{len(report.of('retry', 'failed'))} retry/failed")
    return [
        Row(f"pacing: {reminders} reminders / {channels} channels, all sent", elapsed * 1000, None,
            floor_ms=lower_bound * 1000, target=f"≤ {SLACK_FACTOR:g}× floor",
            ok=within, note=note, extra={"elapsed_s": elapsed, "lower_bound_s": lower_bound,
                                         "rate_limit_hits": hits}),
        Row("pacing: each delivered exactly once", None, None, target="0 lost, 0 twice",
            ok=complete),
    ]
