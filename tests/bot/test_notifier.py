"""The Slack notifier against the local Web API double: metadata, pacing per channel, 429,
5xx, permanent errors reported once to the admins, and recovery from the channel history."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.notifier import SlackNotifier, make_client
from tests.slack_double import SlackDouble, validate_blocks
from tests.tracker.scheduling_support import (
    DEFAULT,
    add_deadline,
    add_dossier,
    ledger,
    local,
    scheduler_settings,
)
from tracker.models import Delivery
from tracker.scheduling.tick import run_tick
from tracker.settings import Settings

MONDAY = local(2023, 11, 13, 9)  # the 7-day reminder of a debate on Monday 20 November


@pytest.fixture
def sched(settings: Settings, db_url: str, slack_double: SlackDouble) -> Settings:
    return scheduler_settings(db_url, LOBBY_ADMINS="U0ANNEKE", SLACK_BOT_TOKEN=slack_double.token,
                              SLACK_API_URL=slack_double.url)


def _notifier(settings: Settings) -> SlackNotifier:
    return SlackNotifier(make_client(settings), lang=settings.lobby_language)


def _posted(double: SlackDouble, channel: str) -> list[dict]:
    return [m for m in double.messages if m["channel"] == channel and m["via"] == "chat.postMessage"]


def test_reminder_carries_key_metadata_and_buttons(engine: Engine, session: Session,
                                                   sched: Settings,
                                                   slack_double: SlackDouble) -> None:
    deadline = add_deadline(session, add_dossier(session, channel="C0N35"), date(2023, 11, 20))
    session.commit()
    report = run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=MONDAY)
    assert report.summary().startswith("1 verzonden")
    [message] = _posted(slack_double, "C0N35")
    key = f"reminder:{deadline.id}:2023-11-20:7:C0N35"
    assert message["metadata"] == {"event_type": "lobby_delivery", "event_payload": {"key": key}}
    assert message["text"].startswith("Over 7 dagen: Kamerdebat MIRT — N35 · ma 20 nov 2023")
    assert "<@U0ANNEKE>" in message["blocks"][0]["text"]["text"]
    assert validate_blocks(message["blocks"]) == [] and slack_double.rejections == []
    actions = message["blocks"][1]
    value = {"deadline": deadline.id, "version": 1, "due": "2023-11-20"}
    assert json.loads(actions["block_id"]) == value
    # A debate is an event: a preparation cue, nothing to mark done.
    assert [(e["action_id"], json.loads(e["value"]) if "value" in e else None)
            for e in actions["elements"]] == [
        ("reminder_snooze", value), ("reminder_move", None), ("open_dossier", value)]
    assert [e["text"]["text"] for e in actions["elements"] if e["type"] == "button"] == [
        "Herinner morgen", "Dossier"]
    assert actions["elements"][1]["placeholder"]["text"] == "Verzetten…"
    assert ledger(engine)[key].ts == message["ts"]


def test_about_one_post_a_second_per_channel_and_none_held_up(
        engine: Engine, session: Session, sched: Settings, make_slack_double) -> None:
    double = make_slack_double(rate_limit_per_channel=1.0)
    sched = scheduler_settings(sched.database_url, SLACK_BOT_TOKEN=double.token,
                               SLACK_API_URL=double.url)
    busy, quiet = add_dossier(session, "ZWM", channel="C0BUSY"), add_dossier(
        session, "KWZ", channel="C0QUIET")
    for n in range(50):  # one bundle, continued in its thread: three messages
        add_deadline(session, busy, date(2023, 11, 20), title=f"Debat {n}")
    add_deadline(session, quiet, date(2023, 11, 20), title="Rustig debat")
    session.commit()
    notifier = SlackNotifier(make_client(sched), lang="nl")
    run_tick(engine=engine, settings=sched, notifier=notifier, now=MONDAY)
    times = double.post_times("C0BUSY")
    assert len(times) == 3 and double.rate_limit_hits() == 0
    assert all(b - a >= 0.95 for a, b in pairwise(times))
    [quiet_at] = double.post_times("C0QUIET")
    assert quiet_at < times[1]  # the quiet channel did not wait behind the busy one


def test_429_is_honoured_and_posted_in_the_same_tick(engine: Engine, session: Session,
                                                     sched: Settings,
                                                     slack_double: SlackDouble) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    slack_double.fail_next("chat.postMessage", status=429, retry_after=1)
    report = run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=MONDAY)
    assert report.summary().startswith("1 verzonden")
    calls = slack_double.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200] and calls[1].at - calls[0].at >= 0.95
    [row] = [r for r in ledger(engine).values() if r.kind == "reminder"]
    assert (row.status, row.attempts) == ("sent", 2)


def test_500_goes_to_retry_and_is_posted_once_later(engine: Engine, session: Session,
                                                    sched: Settings,
                                                    slack_double: SlackDouble) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    slack_double.fail_next("chat.postMessage", status=500)
    report = run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=MONDAY)
    assert "1 in de wachtrij voor een nieuwe poging" in report.summary()
    [row] = [r for r in ledger(engine).values() if r.kind == "reminder"]
    assert (row.status, row.attempts) == ("retry", 1) and "500" in (row.last_error or "")
    run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=local(2023, 11, 13, 9, 2))
    assert len(_posted(slack_double, DEFAULT)) == 1
    assert ledger(engine)[row.key].status == "sent"


def test_bad_channel_fails_and_admins_hear_once(engine: Engine, session: Session,
                                                sched: Settings,
                                                slack_double: SlackDouble) -> None:
    slack_double.bad_channels["C0GONE"] = "channel_not_found"
    gone = add_dossier(session, "ZTM", channel="C0GONE")
    add_deadline(session, gone, date(2023, 11, 20), title="Debat A")
    add_deadline(session, add_dossier(session, "N35", channel="C0N35"), date(2023, 11, 20))
    add_deadline(session, gone, date(2023, 11, 28), title="Debat B")  # first rung on 14 Nov
    session.commit()
    report = run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=MONDAY)
    assert len(_posted(slack_double, "C0N35")) == 1  # the good channel got its reminder
    [failed] = report.of("failed")
    assert failed.detail == "channel_not_found"
    assert report.admins_told == 1
    [dm] = _posted(slack_double, "D0ANNEKE")
    assert "C0GONE" in dm["text"] and "channel_not_found" in dm["text"]
    run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=local(2023, 11, 14, 9))
    rows = [r for r in ledger(engine).values() if r.channel == "C0GONE"]
    assert [(r.status, r.reported) for r in rows] == [("failed", True)] * 2
    assert len(_posted(slack_double, "D0ANNEKE")) == 1  # told once, not per message


def test_claim_of_a_dead_process_is_settled_from_channel_history(
        engine: Engine, session: Session, sched: Settings, slack_double: SlackDouble) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    run_tick(engine=engine, settings=sched, notifier=_notifier(sched), now=MONDAY)
    with Session(engine) as s:  # as if the process died between posting and recording
        row = s.exec(select(Delivery).where(Delivery.kind == "reminder")).one()
        row.status, row.lease_until, key = "claimed", local(2023, 11, 13, 9, 5), row.key
        s.add(row)
        s.commit()
    report = run_tick(engine=engine, settings=sched, notifier=_notifier(sched),
                      now=local(2023, 11, 13, 9, 10))
    assert [o.status for o in report.outcomes] == ["recovered"]
    assert len(_posted(slack_double, DEFAULT)) == 1
    [call] = slack_double.calls_to("conversations.history")
    assert call.params["include_all_metadata"] in (True, "true", "1")
    assert ledger(engine)[key].status == "sent"


def test_lobby_remind_posts_the_monday_agenda(engine: Engine, session: Session, sched: Settings,
                                              slack_double: SlackDouble, monkeypatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    dossier = add_dossier(session)
    add_deadline(session, dossier, date(2023, 11, 22), title="Tweede Kamerverkiezingen",
                 kind="election", offsets="")
    add_deadline(session, dossier, date(2023, 11, 17), title="Brief & <reactie>", kind="other",
                 offsets="")
    session.commit()
    for name in ("DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_API_URL", "LOBBY_DEFAULT_CHANNEL"):
        monkeypatch.setenv(name, str(getattr(sched, name.lower())))
    assert main(["remind", "--now", "2023-11-20T08:30"]) == 0
    out = capsys.readouterr().out
    assert "Agenda week 47: 1 deze week, 1 verlopen" in out and "1 verzonden" in out
    [agenda] = _posted(slack_double, DEFAULT)
    body = json.dumps(agenda["blocks"])
    assert "Tweede Kamerverkiezingen" in body and "Brief &amp; &lt;reactie&gt;" in body
    assert agenda["metadata"]["event_payload"]["key"] == f"agenda:2023W47:{DEFAULT}"
    assert main(["remind", "--now", "2023-11-20T08:31"]) == 0
    assert len(_posted(slack_double, DEFAULT)) == 1


def test_half_year_digest_is_posted_with_its_chart_in_the_thread(
        seeded: Session, sched: Settings, slack_double: SlackDouble) -> None:
    from datetime import datetime

    from tests.conftest import AMS
    from tracker.dates import parse_period
    from tracker.digest import build_digest
    from tracker.scheduling.items import DigestItem

    now = datetime(2023, 7, 1, 9, 0, tzinfo=AMS)
    period = parse_period("2023H1", now=now, tz=AMS)
    digest = build_digest(session=seeded, period=period, now=now, tz=AMS)
    item = DigestItem(key="digest:2023H1:C0DIGEST", channel="C0DIGEST", due_at=now,
                      today=now.date(), period=period, digest=digest)
    result = _notifier(sched).post("C0DIGEST", item)
    first = _posted(slack_double, "C0DIGEST")[0]
    assert first["ts"] == result.ts
    assert first["metadata"]["event_payload"] == {"key": "digest:2023H1:C0DIGEST"}
    [upload] = slack_double.files
    assert upload["thread_ts"] == result.ts
    assert upload["content"].startswith(b"\x89PNG")
