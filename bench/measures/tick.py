"""A scheduler tick with nothing due at 1k, 10k and 100k stored open deadlines (≤ 20 ms at
100k): its time grows with what is due, not with what is stored."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bench.context import Context
from bench.data import build_open_deadlines
from bench.timing import Row, summarise, time_calls
from tracker.scheduling.console import ConsoleNotifier
from tracker.scheduling.tick import run_tick
from tracker.settings import load_settings

NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)  # Wednesday, 10:00 in Amsterdam
DUE = 50  # deadlines owed a reminder at NOW (delivered by a first tick; then nothing is due)
TARGET_MS = 20.0


def run(ctx: Context) -> list[Row]:
    sizes = (1000, 10_000) if ctx.quick else (1000, 10_000, 100_000)
    runs = 5 if ctx.quick else 20
    rows = []
    for stored in sizes:
        url = ctx.fresh_sqlite(f"tick-{stored}")
        engine = ctx.engine(url)
        try:
            build_open_deadlines(engine, stored=stored, due=DUE, today=NOW.date(), channels=1)
            settings = load_settings(_env_file=None, DATABASE_URL=url,
                                     LOBBY_DEFAULT_CHANNEL="C0BENCH000")
            notifier = ConsoleNotifier(out=io.StringIO())
            first = run_tick(engine=engine, settings=settings, notifier=notifier, now=NOW)
            sent = len(first.of("sent"))
            if sent < DUE:
                raise RuntimeError(f"the first tick sent {sent} of {DUE} due reminders")

            def tick(engine=engine, settings=settings, notifier=notifier) -> None:  # type: ignore[no-untyped-def]
                report = run_tick(engine=engine, settings=settings, notifier=notifier, now=NOW)
                if report.of("sent", "retry", "failed"):
                    raise RuntimeError("a tick with nothing due posted something")

            median, p99 = summarise(time_calls(tick, runs=runs, warmup=2))
        finally:
            engine.dispose()
        largest = stored == sizes[-1]
        rows.append(Row(f"tick, nothing due, {stored + DUE:,} open deadlines", median, p99,
                        target=f"≤ {TARGET_MS:g} ms" if largest else "",
                        ok=(median <= TARGET_MS) if largest else None,
                        note=(f"first tick there: {sent} reminders + agenda sent; "
                              f"{DUE} deadlines in the reminder window") if largest else ""))
    return rows
