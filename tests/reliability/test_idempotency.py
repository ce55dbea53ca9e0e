"""Each Slack request changes things once, also when it arrives twice at the same moment at two
replicas (threads on one app stand in for them: the only state they share is the database).
Runs on SQLite, and on PostgreSQL with LOBBY_TEST_DATABASE_URL=postgresql+psycopg://….

- a replayed signed request (same body, same timestamp) is answered again, nothing changes;
- the key is forgotten once the replay window has passed;
- a form submitted twice (same view) creates one record;
- three clicks at once on *Plaats in kanaal* post the digest once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.bot.listeners.test_actions_views import submission
from tests.signing import EDITOR, command_body, payload_body, sign, trigger_id
from tests.slack_double import SlackDouble
from tracker.models import Deadline, Dossier, HandledRequest

PARALLEL = 6


def _at_once(count: int, call: Callable[[int], BoltResponse]) -> list[BoltResponse]:
    """Run `call(i)` in `count` threads released together; every answer (bounded wait)."""
    barrier = threading.Barrier(count)
    answers: list[BoltResponse | BaseException | None] = [None] * count

    def run(i: int) -> None:
        barrier.wait(timeout=10)
        try:
            answers[i] = call(i)
        except BaseException as exc:  # reported below, not swallowed
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(a, BoltResponse) for a in answers), answers
    return answers  # type: ignore[return-value]


def _deadlines(engine: Engine, title: str) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Deadline)
                            .where(Deadline.title == title)).one()


def test_a_replayed_command_is_answered_again_without_a_second_change(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble) -> None:
    body = command_body("/deadline", "add N35 20 dec 2023 Overleg replay",
                        response_url=slack_double.response_url())
    headers = sign(body)
    first = app.dispatch(BoltRequest(body=body, headers=headers))
    again = app.dispatch(BoltRequest(body=body, headers=headers))
    assert first.status == again.status == 200
    assert "toegevoegd" in json.loads(first.body)["text"]
    assert again.body == first.body  # the same answer, the same deadline number
    assert _deadlines(engine, "Overleg replay") == 1
    # Signed anew (a new timestamp), it is a new request: Slack never sends that twice. It
    # then meets the duplicate rule (same dossier, title and date): "bestaat al", nothing added.
    anew = app.dispatch(BoltRequest(body=body, headers=sign(body, timestamp=int(time.time()) + 1)))
    assert "Bestaat al" in json.loads(anew.body)["text"]
    assert _deadlines(engine, "Overleg replay") == 1


def test_a_replayed_read_is_answered_anew_and_remembers_nothing(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble) -> None:
    body = command_body("/dossier", "show N35", response_url=slack_double.response_url())
    headers = sign(body)
    first = app.dispatch(BoltRequest(body=body, headers=headers))
    change = command_body("/dossier", "status N35 oranje Kabinet schuift het tracébesluit op",
                          response_url=slack_double.response_url())
    assert app.dispatch(BoltRequest(body=change, headers=sign(change))).status == 200
    again = app.dispatch(BoltRequest(body=body, headers=headers))
    assert first.status == again.status == 200
    # A read changes nothing, so its replay is simply answered again, as things are now.
    assert "Kabinet schuift" not in first.body and "Kabinet schuift" in again.body
    with Session(engine) as session:
        keys = session.exec(select(HandledRequest.key)).all()
    assert len(keys) == 1  # the status change's; the read claimed nothing
    app.lobby_deps.drain()  # type: ignore[attr-defined]


def test_the_same_command_at_once_on_every_replica_changes_once(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble) -> None:
    body = command_body("/deadline", "add N35 20 dec 2023 Overleg tegelijk",
                        response_url=slack_double.response_url())
    headers = sign(body)
    answers = _at_once(PARALLEL, lambda _: app.dispatch(BoltRequest(body=body, headers=headers)))
    texts = [json.loads(a.body)["text"] for a in answers]
    # One adds it; a duplicate that waited for it (SQLite serialises writers) either gets the
    # first answer again or, having read the committed deadline, "bestaat al als #N": every
    # answer names the same deadline number, and there is one deadline.
    numbers = {t.split("#")[1].split()[0].rstrip(";:") for t in texts}
    assert all("toegevoegd" in t or "Bestaat al als" in t for t in texts), texts
    assert len(numbers) == 1, texts
    assert _deadlines(engine, "Overleg tegelijk") == 1
    app.lobby_deps.drain()  # type: ignore[attr-defined]


def test_a_status_change_replayed_at_once_is_one_event(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble) -> None:
    with Session(engine) as session:
        version, rag = session.exec(select(Dossier.version, Dossier.rag)
                                    .where(Dossier.code == "N35")).one()
    other = "oranje" if rag != "amber" else "rood"  # a change to the same status is refused
    body = command_body("/dossier", f"status N35 {other} Motie verworpen",
                        response_url=slack_double.response_url())
    headers = sign(body)
    _at_once(PARALLEL, lambda _: app.dispatch(BoltRequest(body=body, headers=headers)))
    with Session(engine) as session:
        assert session.exec(select(Dossier.version).where(Dossier.code == "N35")).one() \
            == version + 1


def test_the_key_is_forgotten_after_the_replay_window(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import idempotency

    monkeypatch.setattr(idempotency, "PURGE_EVERY", 1)  # sweep at every claim, not every 100th
    now = int(time.time())
    old = command_body("/deadline", "add N35 20 dec 2023 Overleg oud")
    app.dispatch(BoltRequest(body=old, headers=sign(old, timestamp=now - 280)))
    with Session(engine) as session:
        rows = session.exec(select(HandledRequest)).all()
        assert len(rows) == 1
        assert abs(rows[0].expires_at.timestamp() - (now - 280 + 300)) < 1
    # A later request (its signed timestamp past the first one's window) sweeps it away.
    new = command_body("/deadline", "add N35 20 dec 2023 Overleg nieuw")
    app.dispatch(BoltRequest(body=new, headers=sign(new, timestamp=now + 60)))
    with Session(engine) as session:
        keys = [r.expires_at.timestamp() for r in session.exec(select(HandledRequest)).all()]
    assert len(keys) == 1 and abs(keys[0] - (now + 360)) < 1


def test_an_expired_key_is_taken_over(team: Session, app: App, engine: Engine,
                                      slack_double: SlackDouble) -> None:
    """A click on the same digest preview after the burst window posts again (the key of the
    first click has expired but is not swept yet)."""
    now = int(time.time())

    def click(at: int) -> BoltResponse:
        payload = {"type": "block_actions", "user": {"id": EDITOR}, "team": {"id": "T0LOBBY"},
                   "api_app_id": "A0LOBBY", "trigger_id": trigger_id(),
                   "channel": {"id": "C0LOBBY"},
                   "container": {"type": "message", "message_ts": "1700000000.000300"},
                   "response_url": slack_double.response_url("r-later"),
                   "actions": [{"action_id": "digest_post", "type": "button",
                                "value": json.dumps({"period": "2023H1"}),
                                "action_ts": trigger_id()}]}
        body = payload_body(payload)
        return app.dispatch(BoltRequest(body=body, headers=sign(body, timestamp=at)))

    click(now - 200)
    app.lobby_deps.drain()  # type: ignore[attr-defined]
    click(now - 190)  # within the burst: not posted again
    app.lobby_deps.drain()  # type: ignore[attr-defined]
    click(now)  # 200 s later: the burst is over
    app.lobby_deps.drain()  # type: ignore[attr-defined]
    top_level = [c for c in slack_double.calls_to("chat.postMessage")
                 if not c.params.get("thread_ts")]
    assert len(top_level) == 2


def _add_form(view_id: str, title: str = "Statendebat dubbel") -> dict[str, Any]:
    with_values = submission("deadline_add", {
        "dossier": {"type": "static_select", "selected_option": {"value": "1"}},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": title}},
        {"channel": "C0LOBBY"}, view_id=view_id)
    with_values["view"]["hash"] = "1700000000.abcd"
    return with_values


def test_a_form_submitted_twice_creates_one_record(team: Session, app: App,
                                                    engine: Engine) -> None:
    def submit(_: int) -> BoltResponse:
        body = payload_body({**_add_form("V0DOUBLE"), "trigger_id": trigger_id()})
        return app.dispatch(BoltRequest(body=body, headers=sign(body)))

    first = submit(0)
    assert first.status == 200 and first.body == ""
    again = submit(1)
    assert again.status == 200 and again.body == ""  # the modal closes, as the first time
    assert _deadlines(engine, "Statendebat dubbel") == 1
    answers = _at_once(PARALLEL, lambda i: app.dispatch(BoltRequest(
        body=(b := payload_body({**_add_form("V0BURST", "Statendebat drie"),
                                 "trigger_id": trigger_id()})),
        headers=sign(b))))
    assert all(a.status == 200 and a.body == "" for a in answers), [a.body for a in answers]
    # one per view (a second form with the same title and date would be "bestaat al")
    assert _deadlines(engine, "Statendebat drie") == 1
    app.lobby_deps.drain()  # type: ignore[attr-defined]


def test_three_clicks_at_once_on_post_in_channel_post_the_digest_once(
        team: Session, app: App, slack_double: SlackDouble) -> None:
    def click(_: int) -> BoltResponse:
        payload = {"type": "block_actions", "user": {"id": EDITOR}, "team": {"id": "T0LOBBY"},
                   "api_app_id": "A0LOBBY", "trigger_id": trigger_id(),
                   "channel": {"id": "C0LOBBY"},
                   "container": {"type": "message", "message_ts": "1700000000.000200"},
                   "response_url": slack_double.response_url("r-digest"),
                   "actions": [{"action_id": "digest_post", "block_id": "b1", "type": "button",
                                "value": json.dumps({"period": "2023H1"}),
                                "action_ts": trigger_id()}]}
        body = payload_body(payload)
        return app.dispatch(BoltRequest(body=body, headers=sign(body)))

    answers = _at_once(3, click)
    assert all(a.status == 200 for a in answers)
    app.lobby_deps.drain()  # type: ignore[attr-defined]
    top_level = [c for c in slack_double.calls_to("chat.postMessage")
                 if not c.params.get("thread_ts")]
    assert len(top_level) == 1, [c.params.get("text") for c in top_level]


def test_a_row_written_past_the_orm_is_claimed_first(team: Session, engine: Engine,
                                                     now: Any) -> None:
    """A new milestone and its history are INSERTed without a flush (insert_entity): the
    request's key must still be claimed before them, or two replicas running the same
    request would both write. A key held by another request stops the add before its row."""
    from datetime import date, timedelta

    from bot import idempotency
    from bot.unit_of_work import RequestSession
    from tracker.services import deadlines as dl
    from tracker.services.refs import resolve_dossier

    at = now
    with Session(engine) as session:
        session.add(HandledRequest(key="req:taken", expires_at=at + timedelta(minutes=5)))
        session.commit()
    session = RequestSession(engine, expire_on_commit=False)
    try:
        idempotency.attach(session, idempotency.Claims(
            [("req:taken", at + timedelta(minutes=5))], at))
        dossier = resolve_dossier(session, "N35")
        with pytest.raises(idempotency.AlreadyHandled):
            dl.add_deadline(session=session, now=now, actor=EDITOR, dossier=dossier,
                            title="Overleg geclaimd", due=date(2023, 12, 21))
        session.rollback()
    finally:
        session.close()
    assert _deadlines(engine, "Overleg geclaimd") == 0
