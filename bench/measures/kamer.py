"""The Tweede Kamer sync (issue 16): one pass over 10,000 changed activities with 1,000 dossiers
× 5 watch words ≤ 5 s, memory bounded (pages are streamed: the peak stays at a page's worth, not
the pass's), and an empty pass ≤ 50 ms. Against the local double over real HTTP, on SQLite, for
both change sources: OData's `ApiGewijzigdOp` cursor and the SyncFeed (Atom, skiptokens; the
default). The double serves the same records through both, and each source syncs its own
database, populated alike, so both read the same changes into the same state.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlmodel import Session

from bench.context import Context
from bench.timing import Row, summarise, time_calls
from tests.kamer_double import FEED_PATH
from tracker.kamer.client import KamerClient
from tracker.kamer.feed import FeedClient
from tracker.kamer.models import KamerLink, KamerWatch
from tracker.kamer.sync import SyncReport, run_sync
from tracker.models import Deadline, Dossier
from tracker.settings import load_settings

NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)
PASS_TARGET_S = 5.0
EMPTY_TARGET_MS = 50.0


def _populate(url: str, dossiers: int, words: int) -> None:
    from tracker.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        for i in range(dossiers):
            session.add(Dossier(id=i + 1, code=f"D{i:04d}", code_folded=f"d{i:04d}",
                                title=f"Dossier {i}", channel=f"C{i:05d}", created_at=NOW,
                                updated_at=NOW))
        session.flush()
        for i in range(dossiers):
            for w in range(words):
                word = f"woord{i}x{w}"
                session.add(KamerWatch(dossier_id=i + 1, word=word, folded=word, created_at=NOW))
            session.add(Deadline(id=i + 1, dossier_id=i + 1, title=f"Debat {i}",
                                 due_date=date(2023, 12, 1), kind="debate",
                                 role="event", created_at=NOW, scheduled_at=NOW, updated_at=NOW))
        session.flush()
        # link 100 milestones to activities that will move, so the pass also re-plans
        for i in range(min(100, dossiers)):
            session.add(KamerLink(deadline_id=i + 1, nummer=f"2023A{i * 7:05d}", linked_at=NOW))
        session.commit()
    engine.dispose()


class RemoteDouble:
    """The double (OData and SyncFeed) in its own process, so serving it costs the measured
    process nothing (the real service is remote too)."""

    def __init__(self) -> None:
        import subprocess
        import sys

        self.proc = subprocess.Popen([sys.executable, "-m", "tests.kamer_double"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        self.root = self.url.split("/OData/")[0]
        self.feed_url = f"{self.root}{FEED_PATH}"

    def changes(self, n: int, dossiers: int, offset: int = 0) -> None:
        httpx.post(f"{self.root}/_bench/changes", params={"n": n, "dossiers": dossiers,
                                                          "offset": offset}, timeout=600)

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@dataclass
class Source:
    """One change source and the database it syncs."""

    via: str  # "" for OData, " via SyncFeed"
    feed: bool
    url: str = ""

    @contextmanager
    def sync(self, double: RemoteDouble) -> Iterator[Callable[[datetime], SyncReport]]:
        """A pass at `now`, on clients (and an engine) kept open for as many passes as wanted."""
        from tracker.db import make_engine

        engine = make_engine(self.url)
        settings = load_settings(_env_file=None, DATABASE_URL=self.url)
        with KamerClient(double.url, sleep=lambda s: None) as client, \
                FeedClient(double.feed_url, sleep=lambda s: None) as feed:
            def one(now: datetime) -> SyncReport:
                return run_sync(engine=engine, client=client, settings=settings, now=now,
                                respect_backoff=False, feed=feed if self.feed else None)
            try:
                yield one
            finally:
                engine.dispose()


def _pass(source: Source, double: RemoteDouble, now: datetime) -> tuple[float, str, int, float]:
    with source.sync(double) as sync:
        began, cpu = time.perf_counter(), time.process_time()
        report = sync(now)
        return (time.perf_counter() - began, report.status, report.notices,
                time.process_time() - cpu)


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def run(ctx: Context) -> list[Row]:
    n, dossiers, words = (2000, 200, 5) if ctx.quick else (10_000, 1000, 5)
    sources = (Source("", feed=False), Source(" via SyncFeed", feed=True))
    for source in sources:
        source.url = ctx.fresh_sqlite("kamer-feed" if source.feed else "kamer")
        _populate(source.url, dossiers, words)
    passes: list[Row] = []
    memory: list[Row] = []
    empties: list[Row] = []
    double = RemoteDouble()
    try:
        # every batch of changes is read by both sources, each into its own database
        double.changes(n, dossiers)
        for source in sources:
            seconds, status, notices, cpu = _pass(source, double, NOW)
            load = os.getloadavg()[0]
            if status != "ok":
                raise RuntimeError(f"the sync pass{source.via} ended {status}")
            passes.append(Row(
                f"kamer sync pass{source.via}, {n:,} activities", seconds * 1000,
                target=f"≤ {PASS_TARGET_S:g} s", ok=seconds <= PASS_TARGET_S,
                note=f"{dossiers} dossiers × {words} watch words; {notices} notices; "
                     f"{cpu:.2f} s CPU of this process; {_load()}",
                extra={"activities": n, "notices": notices, "cpu_s": cpu, "load": load}))
        # memory: the same pass again over n and over n/4 fresh changes; streamed pages keep the
        # peak near one page's worth, so it should barely grow with n
        peaks: dict[str, dict[int, float]] = {source.via: {} for source in sources}
        for count, offset in ((n // 4, 50_000), (n, 70_000)):
            double.changes(count, dossiers, offset)
            for source in sources:
                tracemalloc.start()
                _pass(source, double, NOW + timedelta(minutes=15))
                peaks[source.via][count] = tracemalloc.get_traced_memory()[1] / 1e6
                tracemalloc.stop()
        for source in sources:
            peak = peaks[source.via]
            growth = peak[n] / max(peak[n // 4], 0.001)
            memory.append(Row(
                f"kamer sync peak memory{source.via}, {n:,} activities", None,
                target="bounded (≈ flat in n)", ok=growth < 2.0,
                note=f"peak {peak[n]:.1f} MB for {n:,}, {peak[n // 4]:.1f} MB for "
                     f"{n // 4:,} (×{growth:.2f} for ×4 the data)",
                extra={"peak_mb": peak}))
        for source in sources:
            with source.sync(double) as sync:
                def empty() -> None:
                    report = sync(NOW + timedelta(hours=1))
                    if report.status != "ok" or report.notices:
                        raise RuntimeError(f"empty pass{source.via}: {report}")  # noqa: B023
                runs = 20 if ctx.quick else 50
                cpu = time.process_time()
                samples = time_calls(empty, runs=runs, warmup=3)
                cpu_ms = (time.process_time() - cpu) * 1000 / (runs + 3)
            median, p99 = summarise(samples)
            sets = "feed categories" if source.feed else "entity sets"
            empties.append(Row(
                f"kamer empty sync pass{source.via}", median, p99,
                target=f"≤ {EMPTY_TARGET_MS:g} ms", ok=median <= EMPTY_TARGET_MS,
                note=f"three {sets}, one request each, lease and cursors in SQLite; "
                     f"{cpu_ms:.1f} ms CPU of this process a pass; {_load()}",
                extra={"cpu_ms": cpu_ms}))
    finally:
        double.stop()
    return passes + memory + empties
