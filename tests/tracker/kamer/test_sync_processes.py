"""Exactly once across replicas and restarts: three concurrent syncs on PostgreSQL, and a
`lobby kamer sync` killed with SIGKILL in the middle of a pass; each reading the changes from
OData (the `ApiGewijzigdOp` cursor) and from the SyncFeed (the skiptoken)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel import Session, select

from tests.kamer_double import KamerDouble
from tracker.db import make_engine
from tracker.kamer import services as ks
from tracker.kamer.client import KamerClient
from tracker.kamer.feed import FeedClient
from tracker.kamer.models import KamerActivity, KamerNotice, KamerSync
from tracker.kamer.sync import run_sync
from tracker.models import Event
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.settings import load_settings

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)
NOV20 = datetime(2023, 11, 20, 10, 0, tzinfo=AMS)
SOURCES = pytest.mark.parametrize("source", ["odata", "feed"])


@contextmanager
def _sync(kamer: KamerDouble, source: str, **options) -> Iterator[dict]:
    """run_sync's source arguments: OData alone, or the SyncFeed for the changes."""
    with KamerClient(kamer.url, sleep=lambda s: None, **options) as client:
        if source == "odata":
            yield {"client": client}
            return
        with FeedClient(kamer.feed_url, sleep=lambda s: None, **options) as feed:
            yield {"client": client, "feed": feed}


def _setup(url: str, kamer: KamerDouble, source: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        dossier = ds.create_dossier(session=session, now=NOW, actor=None, code="N35",
                                    title="N35 Wijthmen–Nijverdal", channel="C0N35")
        ks.add_watch_words(session=session, now=NOW, actor="U1", dossier=dossier, words=["MIRT"])
        deadline = dl.add_deadline(session=session, now=NOW, actor="U1", dossier=dossier,
                                   title="Commissiedebat MIRT", due=NOV20.date(), kind="debate")
        session.commit()
        raw = kamer.activity("2023A07890", "MIRT", NOV20)
        with _sync(kamer, source) as sources:
            run_sync(engine=engine, settings=load_settings(_env_file=None, DATABASE_URL=url),
                     now=NOW, **sources)
        ks.link_deadline(session=session, now=NOW, actor="U1", deadline=deadline, ref="2023A07890")
        session.commit()
        kamer.put("Activiteit", Id=raw["Id"], Datum="2023-11-27T00:00:00+01:00",
                  Aanvangstijd="2023-11-27T14:00:00+01:00")
        deadline_id = deadline.id
    engine.dispose()
    return deadline_id


@pytest.mark.postgres
@SOURCES
def test_three_concurrent_syncs_tell_a_moved_debate_once(pg_url: str, source: str) -> None:
    kamer = KamerDouble().start()
    try:
        deadline_id = _setup(pg_url, kamer, source)
        for i in range(300):  # two pages, so the passes overlap for a while
            kamer.activity(f"2023A1{i:04d}", f"MIRT {i}", NOV20)
        kamer.delay_seconds = 0.05
        settings = load_settings(_env_file=None, DATABASE_URL=pg_url)

        def one(offset: int) -> str:
            engine = make_engine(pg_url)
            try:
                with _sync(kamer, source) as sources:
                    return run_sync(engine=engine, settings=settings, **sources,
                                    now=NOW + timedelta(minutes=1, seconds=offset)).status
            finally:
                engine.dispose()

        for _round in range(2):
            with ThreadPoolExecutor(3) as pool:
                statuses = list(pool.map(one, range(3)))
            assert sorted(statuses).count("ok") >= 1 and set(statuses) <= {"ok", "busy"}
        engine = make_engine(pg_url)
        with Session(engine) as session:
            moved = session.exec(select(KamerNotice).where(KamerNotice.kind == "moved")).all()
            assert len(moved) == 1 and moved[0].deadline_id == deadline_id
            assert len(session.exec(select(KamerNotice).where(
                KamerNotice.kind == "suggestion")).all()) == 301  # one per activity, not three
            events = session.exec(select(Event).where(Event.deadline_id == deadline_id,
                                                      Event.kind == "deadline_moved")).all()
            assert len(events) == 1
        engine.dispose()
    finally:
        kamer.stop()


@SOURCES
def test_a_sync_killed_mid_pass_leaves_whole_pages_and_the_next_pass_finishes(
        db_url: str, tmp_path, source: str) -> None:
    kamer = KamerDouble().start()
    try:
        _setup(db_url, kamer, source)
        for i in range(400):
            kamer.activity(f"2023A1{i:04d}", f"MIRT {i}", NOV20)
        # the second page never comes before the kill: OData's nextLink, the feed's 2nd request
        kamer.next_page_delay = 30
        kamer.delay_after = len(kamer.requests) + 1
        env = {**os.environ, "DATABASE_URL": db_url, "LOBBY_TK_API_URL": kamer.url,
               "LOBBY_TK_FEED_URL": kamer.feed_url if source == "feed" else "",
               "LOBBY_LANGUAGE": "nl"}
        first = len(kamer.requests)
        proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "kamer", "sync", "--now",
                                 (NOW + timedelta(minutes=1)).isoformat()], env=env,
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while len(kamer.requests) < first + 2:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()  # waits, and closes the pipes
        kamer.next_page_delay, kamer.delay_after = 0, None
        engine = make_engine(db_url)
        with Session(engine) as session:
            stored = len(session.exec(select(KamerActivity)).all())
            assert stored == 250  # exactly the first page: whole pages or nothing
            assert session.get(KamerSync, "pass").lease_until is not None  # held by the dead
        settings = load_settings(_env_file=None, DATABASE_URL=db_url)
        with _sync(kamer, source, timeout=httpx.Timeout(2)) as sources:
            assert run_sync(engine=engine, settings=settings, **sources,
                            now=NOW + timedelta(minutes=2)).status == "busy"
            assert run_sync(engine=engine, settings=settings, **sources,
                            now=NOW + timedelta(minutes=12)).status == "ok"
        with Session(engine) as session:
            assert len(session.exec(select(KamerActivity)).all()) == 401
            assert len(session.exec(select(KamerNotice).where(
                KamerNotice.kind == "moved")).all()) == 1
            assert len(session.exec(select(KamerNotice).where(
                KamerNotice.kind == "suggestion")).all()) == 401
        engine.dispose()
    finally:
        kamer.stop()
