"""One message per channel per tick, against the Slack double: bundles of 1, 2, 10 and 60
items within Block Kit's limits (continued in the thread), each item with its own ledger row
and ts; a failed continuation, a 429 on a bundle, owner mentions that ping nobody else, DMs
for members who chose them, and clicks on one line of a bundle."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.notifier import SlackNotifier, make_client
from tests.bot.conftest import EDITOR
from tests.slack_double import SlackDouble, validate_blocks
from tests.tracker.scheduling_support import (
    add_deadline,
    add_dossier,
    ledger,
    local,
    posted_keys,
    scheduler_settings,
)
from tracker.models import Deadline
from tracker.scheduling.tick import run_tick
from tracker.settings import Settings

MONDAY = local(2023, 11, 13, 9)  # 7 days before Monday 20 November


@pytest.fixture
def sched(settings: Settings, db_url: str, slack_double: SlackDouble) -> Settings:
    return scheduler_settings(db_url, SLACK_BOT_TOKEN=slack_double.token,
                              SLACK_API_URL=slack_double.url)


def _tick(engine: Engine, sched: Settings, now=MONDAY):  # type: ignore[no-untyped-def]
    return run_tick(engine=engine, settings=sched, now=now, clock=lambda: now,
                    notifier=SlackNotifier(make_client(sched), lang=sched.lobby_language,
                                           min_interval=0.0),
                    sleep=lambda _s: None)


def _rows(engine: Engine) -> dict[str, Any]:
    """The ledger rows of reminders (Monday's empty agenda is recorded as skipped too)."""
    return {k: r for k, r in ledger(engine).items() if r.kind != "agenda"}


def _posts(double: SlackDouble, channel: str) -> list[dict[str, Any]]:
    return [m for m in double.messages if m["channel"] == channel
            and m["via"] == "chat.postMessage"]


def _lines(session: Session, n: int, channel: str = "C0N35", kind: str = "submission",
           owner: str | None = None) -> list[Deadline]:
    dossier = add_dossier(session, channel=channel)
    found = [add_deadline(session, dossier, date(2023, 11, 20), title=f"Zienswijze {i:02d}",
                          kind=kind, offsets="7", owner=owner) for i in range(n)]
    session.commit()
    return found


@pytest.mark.parametrize(("items", "messages"), [(1, 1), (2, 1), (10, 1), (60, 3)])
def test_one_message_per_channel_per_tick(engine: Engine, session: Session, sched: Settings,
                                          slack_double: SlackDouble, items: int,
                                          messages: int) -> None:
    deadlines = _lines(session, items)
    report = _tick(engine, sched)
    assert report.summary().startswith(f"{items} verzonden")
    assert report.messages == messages
    posts = _posts(slack_double, "C0N35")
    assert len(posts) == messages and slack_double.rejections == []
    for post in posts:
        assert validate_blocks(post["blocks"]) == [] and len(post["blocks"]) <= 50
    first, rest = posts[0], posts[1:]
    assert all(p["thread_ts"] == first["ts"] for p in rest)  # the continuation is in its thread
    keys = posted_keys(slack_double.messages)
    assert len(keys) == items and set(keys.values()) == {1}
    rows = _rows(engine)
    assert len(rows) == items and {r.status for r in rows.values()} == {"sent"}
    for post in posts:  # each item records the ts of the message that shows it
        for key in post["metadata"]["event_payload"].get("keys", []):
            assert rows[key].ts == post["ts"]
    if items == 1:  # a single item stays a single reminder: no heading, one key
        assert first["metadata"]["event_payload"] == {"key": next(iter(rows))}
        assert first["blocks"][0]["type"] == "section"
        assert first["text"].startswith("Over 7 dagen: Zienswijze 00 — N35")
        return
    assert first["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": f"{items} herinneringen — ma 13 nov", "emoji": True}}
    assert first["text"].startswith(f"{items} herinneringen — ma 13 nov: Over 7 dagen: Zienswijze")
    assert first["metadata"]["event_payload"].get("thread", False) is (messages > 1)
    actions = [b for p in posts for b in p["blocks"] if b["type"] == "actions"]
    assert len(actions) == items  # one line, with its own actions, per item
    block_ids = [b["block_id"] for b in actions]
    assert len(set(block_ids)) == items
    assert sorted(json.loads(b)["deadline"] for b in block_ids) == sorted(d.id for d in deadlines)
    names = [e["text"]["text"] for e in actions[0]["elements"] if e["type"] == "button"]
    assert names == ["Afgerond", "Herinner morgen", "Dossier"]


class FailContinuation(SlackDouble):
    """Fails the bundle's first thread reply with a 500, once."""

    def _handle(self, path, call):  # type: ignore[no-untyped-def]
        if call.method == "chat.postMessage" and len(self.calls_to("chat.postMessage")) == 1:
            self.fail_next("chat.postMessage", status=500)
        return super()._handle(path, call)


def test_a_failed_continuation_is_retried_alone_and_nothing_is_posted_twice(
        engine: Engine, session: Session, settings: Settings, db_url: str) -> None:
    _lines(session, 60)
    with FailContinuation() as double:
        sched = scheduler_settings(db_url, SLACK_BOT_TOKEN=double.token,
                                   SLACK_API_URL=double.url)
        report = _tick(engine, sched)
        shown_first = len(_posts(double, "C0N35")[0]["metadata"]["event_payload"]["keys"])
        assert len(report.of("sent")) == shown_first
        assert len(report.of("retry")) == 60 - shown_first
        later = local(2023, 11, 13, 9, 5)  # after the backoff
        report = _tick(engine, sched, later)
        assert len(report.of("sent")) == 60 - shown_first
        keys = posted_keys(double.messages)
    assert len(keys) == 60 and set(keys.values()) == {1}
    assert {r.status for r in _rows(engine).values()} == {"sent"}


def test_a_429_on_a_bundle_is_waited_out_in_the_same_tick(
        engine: Engine, session: Session, sched: Settings, slack_double: SlackDouble) -> None:
    _lines(session, 3)
    slack_double.fail_next("chat.postMessage", retry_after=2)
    report = _tick(engine, sched)
    assert report.summary().startswith("3 verzonden") and report.messages == 1
    rows = _rows(engine).values()
    assert {(r.status, r.attempts) for r in rows} == {("sent", 2)}
    assert len({r.ts for r in rows}) == 1


def test_owner_mentions_ping_the_owner_and_nobody_else(
        engine: Engine, session: Session, sched: Settings, slack_double: SlackDouble) -> None:
    dossier = add_dossier(session, channel="C0N35", owner="U0ANNEKE")
    add_deadline(session, dossier, date(2023, 11, 20), title="Zienswijze <!channel> @here",
                 kind="submission", offsets="7")
    add_deadline(session, dossier, date(2023, 11, 20), title="Brief <@U0JORIS>",
                 kind="submission", offsets="7", owner="U0PIETER")
    add_deadline(session, dossier, date(2023, 11, 20), title="Bezoek", kind="visit",
                 offsets="7", owner="<!everyone>")  # a malformed owner names nobody
    session.commit()
    _tick(engine, sched)
    [post] = _posts(slack_double, "C0N35")
    text = json.dumps(post["blocks"]) + post["text"]
    assert set(re.findall(r"<[@!#][^>]*>", text)) == {"<@U0ANNEKE>", "<@U0PIETER>"}


def test_a_member_who_chose_dm_gets_their_reminders_as_a_dm(
        engine: Engine, session: Session, sched: Settings, slack_double: SlackDouble) -> None:
    from tracker.services.reminders import set_reminders_via

    dossier = add_dossier(session, channel="C0N35", owner="U0ANNEKE")
    for title in ("Zienswijze", "Brief"):
        add_deadline(session, dossier, date(2023, 11, 20), title=title, kind="submission",
                     offsets="7")
    add_deadline(session, dossier, date(2023, 11, 20), title="Van Pieter", kind="submission",
                 offsets="7", owner="U0PIETER")
    set_reminders_via(session=session, now=MONDAY, user_id="U0ANNEKE", via="dm")
    session.commit()
    _tick(engine, sched)
    [dm] = _posts(slack_double, "D0ANNEKE")  # the double's DM channel for U0ANNEKE
    assert dm["blocks"][0]["text"]["text"] == "2 herinneringen — ma 13 nov"
    [in_channel] = _posts(slack_double, "C0N35")
    assert "Van Pieter" in in_channel["text"] and "<@U0PIETER>" in json.dumps(in_channel)
    assert slack_double.calls_to("conversations.open")
    # After a crash the DM's history is searched, under the same user id.
    rows = _rows(engine)
    assert {k.rsplit(":", 1)[1] for k in rows} == {"U0ANNEKE", "C0N35"}


# -- clicks in a bundle, through the signed Bolt app -------------------------------------


def _click(post: dict[str, Any], line: int, action_id: str) -> dict[str, Any]:
    actions = [b for b in post["blocks"] if b["type"] == "actions"][line]
    element = next(e for e in actions["elements"] if e["action_id"] == action_id)
    action = {"action_id": action_id, "block_id": actions["block_id"], "type": element["type"],
              "action_ts": "1700000000.1"}
    if "value" in element:
        action["value"] = element["value"]
    if element["type"] == "datepicker":
        action["selected_date"] = "2023-11-27"
    return {"type": "block_actions", "user": {"id": EDITOR, "name": "anneke"},
            "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY", "trigger_id": "1.2.x",
            "channel": {"id": post["channel"]},
            "container": {"type": "message", "message_ts": post["ts"],
                          "channel_id": post["channel"], "is_ephemeral": False},
            "message": {"ts": post["ts"], "text": post["text"], "blocks": post["blocks"]},
            "actions": [action]}


def _lines_of(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["type"] for b in blocks if b["type"] in ("actions", "context")]


def test_a_click_acts_on_its_own_line_and_updates_the_message_in_place(
        engine: Engine, team: Session, bot_settings: Settings, interact,
        slack_double: SlackDouble, app) -> None:
    dossier = add_dossier(team, "ZZZ", channel="C0BUNDLE", owner=EDITOR)
    deadlines = [add_deadline(team, dossier, date(2023, 11, 22), title=f"Zienswijze {i}",
                              kind="submission", offsets="7", created=local(2023, 11, 1))
                 for i in range(3)]
    team.commit()
    sched = scheduler_settings(bot_settings.database_url, SLACK_BOT_TOKEN=slack_double.token,
                               SLACK_API_URL=slack_double.url)
    _tick(engine, sched, local(2023, 11, 15, 9))
    [post] = _posts(slack_double, "C0BUNDLE")
    second = json.loads([b for b in post["blocks"] if b["type"] == "actions"][1]["block_id"])
    interact(_click(post, 1, "reminder_done"))
    app.lobby_deps.drain()
    team.expire_all()
    assert [team.get(Deadline, d.id).status for d in deadlines] == [
        "done" if d.id == second["deadline"] else "open" for d in deadlines]
    [update] = slack_double.calls_to("chat.update")
    assert update.params["ts"] == post["ts"] and update.params["channel"] == "C0BUNDLE"
    [stored] = _posts(slack_double, "C0BUNDLE")
    blocks = slack_double._find("C0BUNDLE", post["ts"])["blocks"]
    assert validate_blocks(blocks) == []
    # The other two lines keep their buttons; the clicked one says what happened and by whom.
    kinds = [b["type"] for b in blocks if b["type"] == "actions"]
    assert len(kinds) == 2
    assert f"Afgerond door <@{EDITOR}>" in json.dumps(blocks)
    assert stored["metadata"]["event_payload"]["keys"]  # the ledger keys stay on the message
    # A second click on the same button of an old copy (stale): polite, nothing changes.
    interact(_click(post, 1, "reminder_done"))
    app.lobby_deps.drain()
    slack_double.wait_for(lambda d: len(d.responses) >= 1)
    assert "al afgerond" in slack_double.responses[-1]["text"]
    assert len(slack_double.calls_to("chat.update")) == 1
    # "Herinner morgen" on the third line (Slack sends the message as it is now).
    current = {**post, "blocks": slack_double._find("C0BUNDLE", post["ts"])["blocks"]}
    interact(_click(current, 1, "reminder_snooze"))
    app.lobby_deps.drain()
    team.expire_all()
    third = team.get(Deadline, deadlines[2].id)
    assert third.due_date == date(2023, 11, 22) and third.snooze_until == local(2023, 11, 16, 9)
    blocks = slack_double._find("C0BUNDLE", post["ts"])["blocks"]
    assert "opnieuw herinnerd; de datum blijft" in json.dumps(blocks)
    assert len([b for b in blocks if b["type"] == "actions"]) == 1


@pytest.mark.postgres
def test_three_concurrent_ticks_on_postgresql_post_each_bundled_item_once(pg_url: str) -> None:
    import threading

    from tracker.db import make_engine

    engine = make_engine(pg_url)
    try:
        with Session(engine) as session:
            for c in range(8):
                dossier = add_dossier(session, f"D{c}", channel=f"C0PG{c}")
                for n in range(30):  # past one message: each bundle continues in its thread
                    add_deadline(session, dossier, date(2023, 11, 20), title=f"Zienswijze {n}",
                                 kind="submission", offsets="7")
            session.commit()
        with SlackDouble() as double:
            sched = scheduler_settings(pg_url, SLACK_BOT_TOKEN=double.token,
                                       SLACK_API_URL=double.url)
            start = threading.Barrier(3)

            def run() -> None:
                start.wait()
                _tick(engine, sched)

            threads = [threading.Thread(target=run) for _ in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            keys = posted_keys(double.messages)
            for post in double.messages:
                assert validate_blocks(post["blocks"]) == []
        assert len(keys) == 240 and set(keys.values()) == {1}
        rows = _rows(engine)
        assert len(rows) == 240 and {r.status for r in rows.values()} == {"sent"}
        by_ts = {m["ts"]: set(m["metadata"]["event_payload"].get("keys") or
                              [m["metadata"]["event_payload"].get("key")])
                 for m in double.messages}
        assert all(row.key in by_ts[row.ts] for row in rows.values())
    finally:
        engine.dispose()
