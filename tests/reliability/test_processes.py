"""Stopping real processes with SIGTERM (kill -9 of `lobby remind` is covered by
tests/tracker/test_scheduling_processes.py, whose helpers these tests reuse).

- `lobby remind` gets SIGTERM while it is delivering to a slow Slack: the post in progress
  completes and is recorded, the rest is released for the next tick (no claim left behind),
  the process exits 0 saying so, and a rerun delivers the rest: every reminder once.
- `lobby serve` (HTTP mode, with its scheduler) gets SIGTERM while three slash commands are
  in flight (held up by a database lock): it stops accepting connections, the three are
  answered and their changes saved, the changer's Home tab is republished (once), and it exits
  0 within a few seconds.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from bot.http_server import SERVER_SETTINGS
from tests.bot.conftest import SECRET, command_body, sign
from tests.bot.test_server import post
from tests.serve_log import port_from_log
from tests.signing import EDITOR
from tests.slack_double import SlackDouble
from tests.tracker.scheduling_support import add_deadline, add_dossier, ledger
from tests.tracker.test_scheduling_processes import MONDAY, ROOT, SlowDouble, _posted_keys, _remind
from tracker.db import is_sqlite
from tracker.models import Dossier

# --------------------------------------------------------------------------- lobby remind


@pytest.mark.slow
def test_sigterm_while_delivering_then_rerun(db_url: str, engine: Engine, session: Session
                                             ) -> None:
    dossier = add_dossier(session, channel="C0SLOW")
    for n in range(60):  # one bundle of three messages: the first, then two in its thread
        add_deadline(session, dossier, date(2023, 11, 20), title=f"Debat {n}")
    session.commit()
    with SlowDouble() as double:
        first = _remind(db_url, double, MONDAY)
        try:
            assert double.wait_for(lambda d: len(d.messages) >= 2, timeout=30)
            first.send_signal(signal.SIGTERM)  # the second message is in progress (slow double)
            out, _ = first.communicate(timeout=20)
        finally:
            if first.poll() is None:
                first.kill()
                first.communicate(timeout=10)
        assert first.returncode == 0, out
        assert "gestopt na een signaal" in out
        rows = ledger(engine)
        assert {row.status for row in rows.values()} <= {"sent", "retry"}, out  # no claim held
        sent = {key for key, row in rows.items() if row.status == "sent"}
        assert sent == set(_posted_keys(double))  # what went out is recorded, nothing more
        assert 24 <= len(sent) < 60, out  # the message in progress completed, the rest waits

        # The next tick (a minute later, when the released items are due again) does the rest.
        second = _remind(db_url, double, "2023-11-13T09:02")
        out2, _ = second.communicate(timeout=60)
        assert second.returncode == 0, out2
        keys = _posted_keys(double)
    assert len(keys) == 60 and set(keys.values()) == {1}, (keys, out, out2)
    rows = ledger(engine)
    assert {row.status for row in rows.values()} == {"sent"}
    assert {row.ts for row in rows.values()} == {m["ts"] for m in double.messages}


# --------------------------------------------------------------------------- lobby serve


class DatabaseLock:
    """Holds up writes to N35 and ZWM: SQLite's write lock, or row locks on PostgreSQL."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None

    def take(self) -> None:
        if is_sqlite(self.db_url):
            self._sqlite = sqlite3.connect(make_url(self.db_url).database, isolation_level=None)
            self._sqlite.execute("BEGIN IMMEDIATE")
        else:
            from tracker.db import make_engine

            self._engine = make_engine(self.db_url)
            self._pg = self._engine.connect()
            self._pg.begin()
            self._pg.execute(text("SELECT id FROM dossier WHERE code IN ('N35', 'ZWM') "
                                  "FOR UPDATE"))

    def release(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("ROLLBACK")
            self._sqlite.close()
            self._sqlite = None
        if self._pg is not None:
            self._pg.rollback()
            self._pg.close()
            self._engine.dispose()
            self._pg = None


@pytest.fixture
def serve(team: Session, db_url: str, slack_double: SlackDouble, tmp_path: Path
          ) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`lobby serve` (HTTP, with the scheduler) on a port of its choosing (PORT=0, read from its
    log); killed if still running after."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LOBBY_", "SLACK_", "DATABASE_URL", "PORT"))}
    env.update(DATABASE_URL=db_url, SLACK_BOT_TOKEN=slack_double.token,
               SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack_double.url, PORT="0")
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "serve", "--host", "127.0.0.1"], cwd=ROOT,
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            port = port_from_log(tmp_path / "serve.log", process, timeout=30)
        except RuntimeError as exc:
            pytest.fail(f"lobby serve did not start: {exc}")
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):  # up to 30 s to answer
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("lobby serve did not start: " + (tmp_path / "serve.log").read_text())
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _refused(base: str) -> bool:
    """True once the server takes no new connections. A probe accepted just before it stopped
    listening may wait behind the requests in flight: not refused (yet)."""
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
    except urllib.error.URLError as exc:
        return isinstance(exc.reason, ConnectionRefusedError)
    except ConnectionError:
        return True
    except TimeoutError:
        return False
    return False


@pytest.mark.slow
def test_serve_sigterm_with_requests_in_flight(serve: tuple[subprocess.Popen[bytes], str],
                                               db_url: str, team: Session,
                                               slack_double: SlackDouble, tmp_path: Path) -> None:
    process, base = serve
    commands = ["status N35 groen Alles weer op schema", "note N35 Brief aan de minister",
                "status ZWM rood Nieuwe planning"]
    answers: dict[str, tuple[int, str]] = {}

    def send(command_text: str) -> None:
        body = command_body("/dossier", command_text, response_url=slack_double.response_url(
            f"r-{len(answers)}-{command_text[:6]}"))
        answers[command_text] = post(f"{base}/slack/events", body, sign(body))

    lock = DatabaseLock(db_url)
    lock.take()
    threads = [threading.Thread(target=send, args=(c,)) for c in commands]
    try:
        for thread in threads:
            thread.start()
        time.sleep(0.8)  # the three are in flight, waiting for the lock
        assert not answers
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 3
        while not _refused(base) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _refused(base)  # no new connections once stopping
        assert process.poll() is None  # but still there for the requests in flight
    finally:
        lock.release()
    released = time.monotonic()
    for thread in threads:
        thread.join(timeout=15)
    returncode = process.wait(timeout=10)
    took = time.monotonic() - released
    log = (tmp_path / "serve.log").read_text()
    assert returncode == 0, log
    assert took < 5, log
    assert f"{SERVER_SETTINGS['threads']} worker threads" in log, log
    assert set(answers) == set(commands), log
    for status, reply in answers.values():
        assert status == 200, reply
        assert "niet bereikbaar" not in reply and ":warning:" not in json.loads(reply)["text"]
    team.expire_all()
    rag = dict(team.exec(select(Dossier.code, Dossier.rag)).all())
    assert (rag["N35"], rag["ZWM"]) == ("green", "red")  # ZWM was amber: a real change
    # The changer's Home tab is republished once for the three (a burst), also when the
    # process stops before the burst's second of quiet is over.
    assert [c.params["user_id"] for c in slack_double.calls_to("views.publish")] == [EDITOR], log
    assert "Traceback" not in log, log
