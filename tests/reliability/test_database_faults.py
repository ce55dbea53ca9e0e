"""The database locked or down while people use the app.

- SQLite locked: another connection holds the write lock (`BEGIN IMMEDIATE`) longer than the
  busy timeout: a command, a button and a form each get "De database is even niet bereikbaar;
  er is niets gewijzigd. Probeer het over een minuut opnieuw." within Slack's 3 s, nothing is
  written, and the same command works once the lock is gone.
- PostgreSQL down (a closed port): the same reply for every surface, /healthz and the
  calendar feed answer 503 — this needs no PostgreSQL server.
- PostgreSQL connection killed (pg_terminate_backend) in the middle of a command's
  transaction, after its first write: the same reply, nothing written; killed between
  requests: the next command simply works (the pool notices and reconnects).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bot.app import DATABASE_UNAVAILABLE, create_app
from bot.server import make_wsgi_app
from tests.bot.conftest import ADMIN, EDITOR, command_body, payload_body, sign
from tests.bot.listeners.test_actions_views import click, submission
from tests.conftest import AMS, _uses_postgres
from tests.reliability.conftest import DrainableExecutor, leaks, snapshot
from tests.slack_double import SlackDouble
from tracker.db import make_engine
from tracker.models import Member
from tracker.settings import Settings

NL = DATABASE_UNAVAILABLE["nl"]
EN = DATABASE_UNAVAILABLE["en"]
BUSY_MS = 300


def _command(app: App, double: SlackDouble, text: str, *, user: str = EDITOR) -> tuple[
        BoltResponse, float]:
    body = command_body("/dossier", text, user=user, response_url=double.response_url())
    started = time.monotonic()
    response = app.dispatch(BoltRequest(body=body, headers=sign(body)))
    return response, time.monotonic() - started


def _interact(app: App, double: SlackDouble, payload: dict[str, Any]) -> BoltResponse:
    payload["response_url"] = double.response_url(f"r{len(double.responses)}-{time.monotonic()}")
    body = payload_body(payload)
    return app.dispatch(BoltRequest(body=body, headers=sign(body)))


def _shown(response: BoltResponse) -> str:
    assert response.status == 200, response.body
    return json.loads(response.body)["text"]


def _wsgi_get(app: App, settings: Settings, engine: Engine, path: str, query: str = ""
              ) -> tuple[str, bytes]:
    wsgi = make_wsgi_app(app, settings=settings, engine=engine)
    seen: list[str] = []
    body = b"".join(wsgi({"PATH_INFO": path, "REQUEST_METHOD": "GET", "QUERY_STRING": query},
                         lambda status, _headers: seen.append(status)))
    return seen[0], body


def _make_app(settings: Settings, engine: Engine, now: datetime, lang: str = "nl"
              ) -> tuple[App, DrainableExecutor]:
    app = create_app(settings.model_copy(update={"lobby_language": lang,
                                                 "lobby_calendar_token": "feed"}),
                     engine=engine, clock=lambda: now)
    executor = DrainableExecutor()
    app.listener_runner.listener_executor = executor
    app.listener_runner.lazy_listener_runner.executor = executor  # type: ignore[attr-defined]
    app.lobby_deps.outbox_pool = app.lobby_deps.digest_pool = executor  # type: ignore[attr-defined]
    return app, executor


# --------------------------------------------------------------------------- SQLite locked


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """This module's engine: a short busy timeout, so a held lock is met within the test."""
    eng = make_engine(db_url, busy_timeout_ms=BUSY_MS)
    yield eng
    eng.dispose()


@pytest.fixture
def write_lock(db_url: str) -> Iterator[sqlite3.Connection]:
    """Another connection holding SQLite's write lock until the test releases it."""
    if _uses_postgres():
        pytest.skip("about SQLite's write lock")
    path = make_url(db_url).database
    holder = sqlite3.connect(path, isolation_level=None, timeout=1)
    holder.execute("PRAGMA busy_timeout=1000")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize(("lang", "expected"), [("nl", NL), ("en", EN)])
def test_sqlite_locked_command_button_and_form(team: Session, engine: Engine,
                                               bot_settings: Settings, slack_double: SlackDouble,
                                               write_lock: sqlite3.Connection, now: datetime,
                                               lang: str, expected: str) -> None:
    app, executor = _make_app(bot_settings, engine, now, lang)
    before = snapshot(engine)
    write_lock.execute("BEGIN IMMEDIATE")

    response, took = _command(app, slack_double, "status N35 groen Alles weer op schema")
    assert expected in _shown(response)
    assert took < 3.0  # Slack's limit for the acknowledgement
    assert "fout-id" not in response.body and "error id" not in response.body

    deadline = 19
    button = _interact(app, slack_double, click("reminder_done", {
        "deadline": deadline, "version": 1, "due": "2023-11-20"}))
    form = _interact(app, slack_double, submission("dossier_new", {
        "code": {"type": "plain_text_input", "value": "A28"},
        "title": {"type": "plain_text_input", "value": "A28 Zwolle–Amersfoort"}}, {}))
    executor.drain()
    assert button.status == 200
    assert expected in slack_double.responses[-1]["text"]
    assert expected in json.loads(form.body)["errors"]["code"]
    # /healthz: reading still works under a writer's lock (WAL), so the service is up.
    assert _wsgi_get(app, bot_settings, engine, "/healthz")[0].startswith("200")

    write_lock.execute("ROLLBACK")
    assert snapshot(engine) == before  # no partial write
    for shown in [response.body, *(json.dumps(r) for r in slack_double.responses), form.body]:
        assert not leaks(shown)
    again, _ = _command(app, slack_double, "status N35 groen Alles weer op schema")
    assert "groen" in _shown(again).lower() or "green" in _shown(again).lower()
    assert snapshot(engine) != before
    executor.shutdown(wait=True)


# --------------------------------------------------------------------------- PostgreSQL down


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_postgres_down_every_surface_says_so_and_healthz_is_503(
        bot_settings: Settings, slack_double: SlackDouble, now: datetime) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/lobby"
    down = make_engine(url, connect_args={"connect_timeout": 2})
    app, executor = _make_app(bot_settings, down, now)
    try:
        response, took = _command(app, slack_double, "status N35 groen Alles op schema",
                                  user=ADMIN)
        assert NL in _shown(response)
        assert took < 3.0
        read, _ = _command(app, slack_double, "toon N35", user=ADMIN)
        assert NL in _shown(read)
        _interact(app, slack_double, click("reminder_done", {"deadline": 19, "version": 1,
                                                             "due": "2023-11-20"}, user=ADMIN))
        form = _interact(app, slack_double, submission("dossier_status", {
            "rag": {"type": "radio_buttons", "selected_option": {"value": "green"}},
            "reason": {"type": "plain_text_input", "value": "x"}},
            {"dossier": 1, "version": 1}, user=ADMIN))
        executor.drain()
        assert NL in slack_double.responses[-1]["text"]
        assert NL in json.loads(form.body)["errors"]["reason"]
        status, body = _wsgi_get(app, bot_settings, down, "/healthz")
        assert (status[:3], body) == ("503", b"database unavailable\n")
        feed = bot_settings.model_copy(update={"lobby_calendar_token": "feed"})
        assert _wsgi_get(app, feed, down, "/calendar.ics", "token=feed")[0][:3] == "503"
        for shown in [response.body, read.body, form.body,
                      *(json.dumps(r) for r in slack_double.responses)]:
            assert not leaks(shown), shown
    finally:
        executor.shutdown(wait=True)
        down.dispose()


# --------------------------------------------------------------------------- PostgreSQL killed


@pytest.fixture
def pg_team(pg_url: str, bot_settings: Settings) -> Iterator[Engine]:
    """The dataset and an editor on the throw-away PostgreSQL database (after bot_settings:
    when the whole run is on PostgreSQL, its db_url empties the same database)."""
    from tracker.seed import seed_dataset

    pg = make_engine(pg_url)
    with Session(pg) as session:
        seed_dataset(session=session, now=datetime(2023, 9, 1, 8, 0, tzinfo=AMS), tz=AMS)
        session.add(Member(user_id=EDITOR, role="editor", added_at=datetime(2023, 9, 1,
                                                                             tzinfo=AMS)))
        session.commit()
    yield pg
    pg.dispose()


@pytest.mark.postgres
def test_postgres_connection_killed_mid_command(pg_team: Engine, pg_url: str,
                                                bot_settings: Settings,
                                                slack_double: SlackDouble, now: datetime) -> None:
    settings = bot_settings.model_copy(update={"database_url": pg_url})
    app, executor = _make_app(settings, pg_team, now)
    admin = make_engine(pg_url, isolation_level="AUTOCOMMIT")
    armed = {"on": True, "killed": 0}

    def kill_after_first_write(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The command's first write has run inside its transaction; now the server goes away.
        if armed["on"] and statement.lstrip().upper().startswith(("UPDATE", "INSERT")):
            armed["on"] = False
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as killer:
                killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            armed["killed"] += 1

    event.listen(pg_team, "after_cursor_execute", kill_after_first_write)
    try:
        before = snapshot(pg_team)
        response, took = _command(app, slack_double, "status N35 groen Alles weer op schema")
        assert armed["killed"] == 1
        assert NL in _shown(response)
        assert took < 3.0
        assert snapshot(pg_team) == before  # the first write died with its transaction

        # Every connection of the database killed between requests: the pool's pre-ping
        # notices, reconnects, and the next command works.
        with admin.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        again, _ = _command(app, slack_double, "status N35 groen Alles weer op schema")
        assert "groen" in _shown(again).lower()
        assert snapshot(pg_team) != before
        assert _wsgi_get(app, settings, pg_team, "/healthz")[0].startswith("200")
    finally:
        event.remove(pg_team, "after_cursor_execute", kill_after_first_write)
        executor.drain()
        executor.shutdown(wait=True)
        admin.dispose()


def test_a_funding_amount_in_the_billions_is_saved(team: Session, interact: Any,
                                                   slack_double: SlackDouble) -> None:
    """Found by the fault tests on PostgreSQL: the services accept amounts up to € 10^13 but
    the column was a 32-bit INTEGER, so € 3 billion failed there with a generic apology."""
    from sqlmodel import select

    from tracker.models import Dossier

    created = interact(submission("dossier_new", {
        "code": {"type": "plain_text_input", "value": "LLY"},
        "title": {"type": "plain_text_input", "value": "Lelylijn"},
        "funding_needed": {"type": "number_input", "value": "3000000000"}}, {}))
    assert created.body == ""
    team.expire_all()
    assert team.exec(select(Dossier).where(Dossier.code == "LLY")).one().funding_needed == 3 * 10**9
