"""1,000 due reminders over 50 channels through the real tick and SlackNotifier, against a Slack
double that allows one message a second per channel: all delivered within 1.2× the rate-limit
lower bound, none lost, none twice (the double's messages checked against the ledger), and
bundled: about one message per channel per tick (a bundle past Slack's 50 blocks continues
in its thread, so 20 reminders a channel are one message, 60 would be three)."""

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
from tests.tracker.scheduling_support import message_keys
from tracker.models import Delivery
from tracker.scheduling.tick import run_tick
from tracker.settings import load_settings

NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)  # Wednesday, 10:00 in Amsterdam
LIMIT_PER_SECOND = 1.0
SLACK_FACTOR = 1.2
BUNDLE_LINES = 24  # reminders of one due day in one message (2 blocks each, 50 at most)


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
            # The messages a channel's bundle takes (24 reminders fit in one message).
            expected_messages = -(-per_channel // BUNDLE_LINES)
            lower_bound = (expected_messages - 1) * interval
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
    keys = Counter(key for m in posted for key in message_keys(m))
    twice = [k for k, n in keys.items() if n > 1]
    sent = {k: r for k, r in ledger.items() if r.status == "sent"}
    lost = [k for k in sent if k not in keys] + [k for k in ledger if k not in sent]
    strangers = [k for k in keys if k not in sent]
    ts_mismatch = [m["ts"] for m in posted for key in message_keys(m)
                   if (row := sent.get(key)) and row.ts != m["ts"]]
    complete = (len(sent) == reminders and sum(map(len, map(message_keys, posted))) == reminders
                and not twice and not lost and not strangers and not ts_mismatch)
    messages = len(posted)
    # With one message a channel there is no rate limit to wait out (the floor is 0): the time
    # is the tick's own work, shown without a target; past 24 a channel the floor is back.
    within = elapsed <= SLACK_FACTOR * lower_bound if lower_bound else None
    bundled = messages <= channels * expected_messages and report.messages == messages
    note = (f"{len(sent)}/{reminders} sent over {channels} channels ({per_channel} each) in "
            f"{messages} messages ({messages / channels:.1f} a channel; without bundling "
            f"{reminders}); lower bound ({expected_messages} − 1) × {interval:.1f} s = "
            f"{lower_bound:.1f} s; {len(twice)} twice, {len(lost)} lost, {len(strangers)} "
            f"unrecorded, {len(ts_mismatch)} ts mismatches; {hits} HTTP 429 from the double; "
            f"{len(report.of('retry', 'failed'))} retry/failed")
    return [
        Row(f"pacing: {reminders} reminders / {channels} channels, all sent", elapsed * 1000, None,
            floor_ms=lower_bound * 1000 or None,
            target=f"≤ {SLACK_FACTOR:g}× floor" if lower_bound else "",
            ok=within, note=note, extra={"elapsed_s": elapsed, "lower_bound_s": lower_bound,
                                         "rate_limit_hits": hits, "messages": messages}),
        Row(f"pacing: messages sent ({messages} for {channels} channels)", None, None,
            target=f"≤ {channels * expected_messages} (one bundle a channel)", ok=bundled,
            extra={"messages": messages}),
        Row("pacing: each delivered exactly once", None, None, target="0 lost, 0 twice",
            ok=complete),
    ]
