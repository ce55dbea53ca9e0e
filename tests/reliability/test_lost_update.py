"""No lost update: the optimistic version is part of every UPDATE of a versioned record
(`UPDATE … WHERE id = … AND version = …`, SQLAlchemy's version_id_col), on every mutation path,
and under 50 parallel conflicting status changes × 20 rounds on PostgreSQL every acknowledged
change is in the history and the final state is the last acknowledged one."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app import create_app
from tests.bot.listeners.test_actions_views import submission
from tests.reliability.test_database_faults import pg_team  # noqa: F401  (the fixture)
from tests.signing import command_body, payload_body, sign
from tests.slack_double import SlackDouble
from tracker.db import make_engine
from tracker.models import Dossier, Event
from tracker.services.common import EventKind
from tracker.settings import Settings

VERSIONED = ("dossier", "deadline", "programme")
EDITS, ROUNDS = 50, 20


@pytest.fixture
def updates(engine: Engine) -> Iterator[list[str]]:
    """Every UPDATE statement the app sends to the versioned tables."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE") and any(
                re.match(rf"\s*UPDATE\s+\"?{t}\"?\s", statement, re.IGNORECASE)
                for t in VERSIONED):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_every_mutation_path_checks_the_version_in_the_update(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble,
        updates: list[str]) -> None:
    def slash(command: str, text: str, user: str = "U0ADMIN") -> str:
        body = command_body(command, text, user=user, response_url=slack_double.response_url())
        return json.loads(app.dispatch(BoltRequest(body=body, headers=sign(body))).body)["text"]

    for command, text in [("/dossier", "status N35 oranje Motie aangenomen"),
                          ("/dossier", "eigenaar N35 <@U0JORIS|joris>"),
                          ("/dossier", "kanaal N35 <#C0OTHER|andere>"),
                          ("/deadline", "klaar 19"),
                          ("/deadline", "verzet 18 30 nov 2023"),
                          ("/deadline", "herinner 17 7,1"),
                          ("/programma", "status Groei Vooruit afgerond"),
                          ("/dossier", "archiveer ZWM")]:
        answer = slash(command, text)
        assert ":warning:" not in answer and "fout-id" not in answer, (text, answer)
    n35 = team.exec(select(Dossier).where(Dossier.code == "N35")).one()
    form = submission("dossier_edit", {"title": {"type": "plain_text_input", "value": "N35 nieuw"}},
                      {"dossier": n35.id, "version": n35.version}, user="U0ADMIN")
    body = payload_body(form)
    assert app.dispatch(BoltRequest(body=body, headers=sign(body))).status == 200
    tables = {re.match(r"UPDATE \"?(\w+)", u).group(1) for u in updates}  # type: ignore[union-attr]
    assert tables == set(VERSIONED), updates  # every versioned table was changed …
    for statement in updates:  # … and never without its version in the WHERE clause
        where = statement.split(" WHERE ", 1)[1]
        assert re.search(r"\bversion = ", where), statement


@pytest.fixture
def pg_app(pg_team: Engine, bot_settings: Settings,  # noqa: F811
           now: Any) -> Iterator[tuple[App, Engine]]:
    engine = make_engine(pg_team.url.render_as_string(hide_password=False), pool_size=10,
                         max_overflow=10, pool_timeout=60)
    bolt = create_app(bot_settings, engine=engine, clock=lambda: now)
    yield bolt, engine
    bolt.lobby_deps.drain()
    bolt.listener_runner.listener_executor.shutdown(wait=True)
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_50_parallel_conflicting_edits_x_20_rounds_lose_nothing(
        pg_app: tuple[App, Engine], slack_double: SlackDouble) -> None:
    app, engine = pg_app
    with Session(engine) as session:
        n35 = session.exec(select(Dossier).where(Dossier.code == "N35")).one()
        start_version, dossier_id = n35.version, n35.id
        start_event = max(session.exec(select(Event.id)).all() or [0])
    acknowledged: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    response_url = slack_double.response_url()

    def edit(round_: int, i: int, barrier: threading.Barrier) -> None:
        reason = f"ronde {round_} wijziging {i}"
        rag = ("groen", "oranje", "rood")[i % 3]
        body = command_body("/dossier", f"status N35 {rag} {reason}", user="U0ADMIN",
                            response_url=response_url)
        barrier.wait(timeout=30)
        text = json.loads(app.dispatch(BoltRequest(body=body, headers=sign(body))).body)["text"]
        with lock:
            if "→" in text:
                acknowledged.append(reason)
            else:
                refused.append(text)

    for round_ in range(ROUNDS):
        barrier = threading.Barrier(EDITS)
        threads = [threading.Thread(target=edit, args=(round_, i, barrier)) for i in range(EDITS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
    assert acknowledged, refused[:3]
    # The refusals are the optimistic lock doing its work, said as such; nothing else.
    # (or a change to the status it already has, refused as such: nothing changes either)
    assert all("net gewijzigd" in r or "door iemand anders" in r or " staat al op " in r
               for r in refused), \
        set(refused)
    with Session(engine) as session:
        history = session.exec(select(Event).where(
            Event.dossier_id == dossier_id, Event.kind == EventKind.STATUS,
            Event.id > start_event).order_by(Event.id)).all()
        final = session.get(Dossier, dossier_id)
        assert final is not None
        recorded = [e.text for e in history]
        assert sorted(recorded) == sorted(acknowledged)  # each acknowledged change, once
        assert final.version == start_version + len(acknowledged)
        assert final.rag_reason == recorded[-1]  # the last acknowledged change stands
    assert len(acknowledged) >= ROUNDS  # at least one edit per round got through
