"""`lobby remind` as real processes: killed with SIGKILL in the middle of delivering and run
again (nothing lost, nothing doubled), and three at once on PostgreSQL with 500 reminders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.slack_double import SlackDouble
from tests.tracker.scheduling_support import add_deadline, add_dossier, ledger, posted_keys
from tracker.db import make_engine
from tracker.models import Delivery
from tracker.settings import Settings

MONDAY = "2023-11-13T09:00"  # the 7-day reminders of debates on Monday 20 November
ROOT = Path(__file__).resolve().parents[2]


class SlowDouble(SlackDouble):
    """Answers chat.postMessage only after a pause: the message is in the channel already, the
    poster does not know yet (the window in which a crash leaves a claim unrecorded)."""

    def _handle(self, path, call):  # type: ignore[no-untyped-def]
        reply = super()._handle(path, call)
        if call.method == "chat.postMessage":
            time.sleep(0.5)
        return reply


def _remind(db_url: str, double: SlackDouble, now: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LOBBY_", "SLACK_", "DATABASE_URL"))}
    env.update(DATABASE_URL=db_url, SLACK_BOT_TOKEN=double.token, SLACK_API_URL=double.url)
    return subprocess.Popen([sys.executable, "-m", "tracker.cli", "remind", "--now", now],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _posted_keys(double: SlackDouble) -> Counter[str]:
    return posted_keys(double.messages)


def _waiting_for_a_lock(engine: Engine, names: set[str], timeout: float) -> set[str]:
    """The application names of `names` whose connection waits for a lock, once all of them do
    or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while True:
            waiting = set(conn.execute(text(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'")).scalars()) & names
            conn.rollback()  # a fresh snapshot of pg_stat_activity on the next look
            if waiting == names or time.monotonic() > deadline:
                return waiting
            time.sleep(0.05)


@pytest.mark.slow
def test_kill_9_while_delivering_then_rerun(db_url: str, session: Session,
                                            settings: Settings) -> None:
    dossier = add_dossier(session, channel="C0SLOW")
    for n in range(60):  # one bundle of three messages: the first in the channel, two in its thread
        add_deadline(session, dossier, date(2023, 11, 20), title=f"Debat {n}")
    session.commit()
    with SlowDouble() as double:
        first = _remind(db_url, double, MONDAY)
        assert double.wait_for(lambda d: len(d.messages) >= 2, timeout=30)
        os.kill(first.pid, signal.SIGKILL)  # mid-bundle: the thread's first reply is out, its
        # answer not yet in, the last part never posted
        first.communicate(timeout=10)
        assert first.returncode == -signal.SIGKILL
        # After the 5-minute lease: the rerun settles the unrecorded one from the history.
        second = _remind(db_url, double, "2023-11-13T09:10")
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 0, out
        assert "al geplaatst" in out  # found in the channel's history, not posted again
        keys = _posted_keys(double)
    assert len(keys) == 60 and set(keys.values()) == {1}, keys
    engine = make_engine(db_url)
    try:
        rows = ledger(engine)
    finally:
        engine.dispose()
    assert {row.status for row in rows.values()} == {"sent"}
    assert {row.ts for row in rows.values()} == {m["ts"] for m in double.messages}


@pytest.mark.slow
@pytest.mark.postgres
def test_three_processes_on_postgresql_post_500_reminders_once_each(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with Session(engine) as session:
            for d in range(100):
                dossier = add_dossier(session, f"D{d:03d}", channel=f"C0P{d:03d}")
                for n in range(5):
                    add_deadline(session, dossier, date(2023, 11, 20), title=f"Debat {n}")
            session.commit()
        # All three must really compete, however late one of them gets going on a busy machine
        # (starting Python takes a second or two there): the delivery table is locked until
        # each process waits for it, then all three are let go at once; and a post takes half a
        # second, so the threads of one process cannot claim every channel while another's are
        # still on their way (a late one finds the channels the others have not reached yet).
        gate = engine.connect()
        gate_open = gate.begin()
        gate.execute(text(f'LOCK TABLE "{Delivery.__tablename__}" IN EXCLUSIVE MODE'))
        with SlowDouble() as double:
            started = time.monotonic()
            names = [f"lobby-remind-{n}" for n in range(3)]
            processes = [_remind(f"{pg_url}?application_name={name}", double, MONDAY)
                         for name in names]
            waiting = _waiting_for_a_lock(engine, set(names), timeout=60)
            gate_open.commit()
            gate.close()
            assert waiting == set(names), waiting
            outputs = [p.communicate(timeout=120)[0] for p in processes]
            elapsed = time.monotonic() - started
            # Under this load the double may reset a connection; such a post waits for a retry,
            # which the next tick (a minute later, after the backoff) delivers.
            retry = _remind(pg_url, double, "2023-11-13T09:05")
            outputs.append(retry.communicate(timeout=60)[0])
            keys = _posted_keys(double)
        assert [p.returncode for p in [*processes, retry]] == [0, 0, 0, 0], outputs
        assert len(keys) == 500 and set(keys.values()) == {1}, outputs
        rows = ledger(engine)
        assert len(rows) == 500 and {row.status for row in rows.values()} == {"sent"}
        assert all(out.count("verzonden  ") > 0 for out in outputs[:3])  # all three did work
        assert elapsed < 90
    finally:
        engine.dispose()
