"""The council-ready report of a half-year on 1,000 dossiers / 20,000 events (plus the Regio
Zwolle budget and indicators, so the chart is in it): DOCX ≤ 1.5 s and PDF ≤ 3 s median, chart
included; peak memory of one rendering (tracemalloc) and the size of the file."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bench.context import Context
from bench.data import build_large_dataset
from bench.timing import Row, summarise, time_calls
from tracker.dates import parse_period
from tracker.digest import build_digest
from tracker.digest.chart import render_chart
from tracker.digest.report import render_report
from tracker.seed import seed_dataset

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
TARGETS_MS = {"docx": 1500, "pdf": 3000}


def run(ctx: Context) -> list[Row]:
    url = ctx.fresh_sqlite("documents")
    engine = ctx.engine(url)
    dossiers, events = (100, 2000) if ctx.quick else (1000, 20_000)
    build_large_dataset(engine, dossiers=dossiers, deadlines=3 * dossiers, events=events,
                        now=datetime(2023, 12, 31, 12, tzinfo=UTC))
    with Session(engine) as session:
        seed_dataset(session=session, now=datetime(2023, 9, 1, 8, tzinfo=UTC), tz=TZ)
        session.commit()
        digest = build_digest(session=session, period=parse_period("2023H2", now=NOW, tz=TZ),
                              now=NOW, tz=TZ)
    engine.dispose()
    runs = 3 if ctx.quick else 7
    size = f"{len(digest.dossiers)} dossiers, {len(digest.items)} items"
    chart_ms = time_calls(lambda: render_chart(digest, "nl"), runs=runs, warmup=1)
    rows = [Row("report chart (matplotlib PNG)", *summarise(chart_ms))]
    for fmt in ("docx", "pdf"):
        cpu: list[float] = []

        def render(fmt: str = fmt, cpu: list[float] = cpu) -> None:
            start = time.process_time()
            render_report(digest, fmt, "nl")
            cpu.append((time.process_time() - start) * 1000)

        samples = time_calls(render, runs=runs, warmup=1)
        tracemalloc.start()
        data = render_report(digest, fmt, "nl")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        median, p99 = summarise(samples)
        cpu_median = summarise(cpu[-runs:])[0]
        rows.append(Row(
            f"report {fmt.upper()} with chart ({size})", median, p99,
            target=f"≤ {TARGETS_MS[fmt]:,} ms".replace(",", "."), ok=median <= TARGETS_MS[fmt],
            note=f"CPU {cpu_median:,.0f} ms (wall-clock includes waiting for a shared core); "
                 f"peak Python memory {peak:.0f} MiB; file {len(data) / 2**20:.1f} MiB",
            extra={"cpu_ms": cpu_median, "peak_mib": peak, "bytes": len(data)}))
    return rows
