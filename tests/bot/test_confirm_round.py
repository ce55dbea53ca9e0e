"""The confirmation round before the half-year digest: planned LOBBY_CONFIRM_DAYS working days
before it, one message per owner (or the default channel), exactly once through the ledger;
answered with signed button clicks against the Slack double, and the answers are in the digest."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.notifier import SlackNotifier, make_client
from tests.bot.conftest import EDITOR
from tests.slack_double import SlackDouble, validate_blocks
from tests.tracker.scheduling_support import (
    DEFAULT,
    RecordingNotifier,
    add_deadline,
    add_dossier,
    ledger,
    local,
    scheduler_settings,
    tick,
)
from tracker.dates.periods import half_year
from tracker.digest import Reason, build_digest
from tracker.models import Deadline
from tracker.scheduling.confirm import ConfirmRound, confirm_day, digest_day
from tracker.settings import Settings

ROUND = local(2023, 12, 21, 9, 0)  # 5 working days before Tuesday 2 January 2024


def _keys(notifier: RecordingNotifier) -> list[str]:
    return [item.key for _, item in notifier.posts if item.key.startswith("confirm:")]


def test_the_round_falls_confirm_days_working_days_before_the_digest() -> None:
    h2, h1 = half_year(2023, 2), half_year(2024, 1)
    assert digest_day(h2) == date(2024, 1, 2)          # 1 January is a holiday
    assert confirm_day(h2, 5) == date(2023, 12, 21)    # over Christmas and a weekend
    assert digest_day(h1) == date(2024, 7, 1)
    assert confirm_day(h1, 5) == date(2024, 6, 24)
    assert confirm_day(h1, 0) == date(2024, 7, 1)


def test_one_message_per_owner_once_and_only_for_open_actions(engine: Engine, session: Session,
                                                             db_url: str) -> None:
    settings = scheduler_settings(db_url)
    mine = add_dossier(session, "N35", owner="U0ANNEKE")
    nobodys = add_dossier(session, "ZWM", owner=None)
    plan = add_deadline(session, mine, date(2023, 12, 31), title="Lobbyplan", kind="other")
    plan.role = "action"
    letter = add_deadline(session, mine, date(2023, 10, 2), title="Brief", kind="submission")
    letter.role, letter.owner = "action", "U0JAN"
    orphan = add_deadline(session, nobodys, date(2023, 11, 30), title="Inbreng", kind="submission")
    orphan.role = "action"
    add_deadline(session, mine, date(2023, 11, 20), title="Kamerdebat MIRT", kind="debate")
    done = add_deadline(session, mine, date(2023, 10, 1), title="Al klaar", kind="submission")
    done.role, done.status = "action", "done"
    add_deadline(session, mine, date(2024, 1, 15), title="Volgend jaar", kind="submission").role \
        = "action"
    session.commit()

    notifier = RecordingNotifier()
    tick(engine, settings, notifier, local(2023, 12, 21, 8, 59))
    assert not _keys(notifier)
    tick(engine, settings, notifier, ROUND)
    rounds = {item.key: item for _, item in notifier.posts if isinstance(item, ConfirmRound)}
    assert set(rounds) == {"confirm:2023H2:U0ANNEKE:U0ANNEKE", "confirm:2023H2:U0JAN:U0JAN",
                           f"confirm:2023H2:-:{DEFAULT}"}
    assert [e.deadline.title for e in rounds["confirm:2023H2:U0ANNEKE:U0ANNEKE"].entries] == [
        "Lobbyplan"]  # not the debate (an event), not the done one, not next year's
    assert [e.deadline.title for e in rounds["confirm:2023H2:U0JAN:U0JAN"].entries] == ["Brief"]
    assert [e.deadline.title for e in rounds[f"confirm:2023H2:-:{DEFAULT}"].entries] == [
        "Inbreng"]
    # exactly once: later ticks of the period owe nothing more
    for later in (local(2023, 12, 21, 9, 5), local(2023, 12, 28, 9, 0)):
        tick(engine, settings, notifier, later)
    assert len(_keys(notifier)) == 3
    assert {k for k in ledger(engine) if k.startswith("confirm:")} == set(rounds)
    assert all(ledger(engine)[k].kind == "confirm" for k in rounds)


def test_no_round_when_switched_off_or_after_the_period(engine: Engine, session: Session,
                                                        db_url: str) -> None:
    mine = add_dossier(session, "N35", owner="U0ANNEKE")
    add_deadline(session, mine, date(2023, 12, 31), title="Lobbyplan", kind="other").role = "action"
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, scheduler_settings(db_url, LOBBY_CONFIRM_DAYS="0"), notifier, ROUND)
    assert not _keys(notifier)
    # first tick only after New Year: the period is over, the digest tells what is open
    tick(engine, scheduler_settings(db_url), notifier, local(2024, 1, 2, 8, 0))
    assert not _keys(notifier)


def test_bad_confirm_days_is_a_settings_error(db_url: str) -> None:
    from pydantic import ValidationError

    for bad in ("-1", "vijf", "61"):
        with pytest.raises(ValidationError):
            scheduler_settings(db_url, LOBBY_CONFIRM_DAYS=bad)


# --- through Slack --------------------------------------------------------------------------

@pytest.fixture
def sched(bot_settings: Settings, slack_double: SlackDouble) -> Settings:
    return scheduler_settings(bot_settings.database_url, SLACK_BOT_TOKEN=slack_double.token,
                              SLACK_API_URL=slack_double.url)


def _rounds(double: SlackDouble) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["event_payload"]["key"]: m for m in double.messages
            if m.get("via") == "chat.postMessage"
            and (m.get("metadata") or {}).get("event_payload", {}).get("key", "")
            .startswith("confirm:")}


def _click(message: dict[str, Any], title: str, action_id: str, *, user: str = EDITOR,
           picked: str | None = None) -> dict[str, Any]:
    blocks = message["blocks"]
    index = next(i for i, b in enumerate(blocks)
                 if b["type"] == "section" and f"*{title}*" in b["text"]["text"])
    actions = blocks[index + 1]
    element = next(e for e in actions["elements"] if e["action_id"] == action_id)
    action: dict[str, Any] = {"action_id": action_id, "block_id": actions["block_id"],
                              "type": element["type"], "action_ts": "1703145600.1"}
    if "value" in element:
        action["value"] = element["value"]
    if picked:
        action["selected_date"] = picked
    return {"type": "block_actions", "user": {"id": user, "name": user.lower()},
            "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY", "trigger_id": "1.2.x",
            "channel": {"id": message["channel"]}, "container": {"type": "message"},
            "message": {"ts": message["ts"], "text": message["text"], "blocks": blocks},
            "actions": [action]}


def _deadline(session: Session, title: str) -> Deadline:
    session.expire_all()
    return session.exec(select(Deadline).where(Deadline.title == title)).one()


def test_answers_by_button_flow_into_the_digest(team: Session, engine: Engine, sched: Settings,
                                                interact, slack_double: SlackDouble) -> None:
    bid = _deadline(team, "Indienen aanvraag Regio Deal 5e tranche")
    bid.owner = EDITOR
    team.commit()
    notifier = SlackNotifier(make_client(sched), min_interval=0.0, sleep=lambda _s: None)
    tick(engine, sched, notifier, ROUND)
    tick(engine, sched, notifier, local(2023, 12, 22, 9, 0))  # nothing twice
    rounds = _rounds(slack_double)
    assert set(rounds) == {f"confirm:2023H2:{EDITOR}:{EDITOR}", f"confirm:2023H2:-:{DEFAULT}"}
    mine, team_round = rounds[f"confirm:2023H2:{EDITOR}:{EDITOR}"], rounds[
        f"confirm:2023H2:-:{DEFAULT}"]
    for message in (mine, team_round):
        assert validate_blocks(message["blocks"]) == []
        assert message["blocks"][0]["text"]["text"] == "Bevestigingsronde tweede halfjaar 2023"
    assert "Op 2 januari 2024 verschijnt de halfjaarrapportage" in json.dumps(
        mine["blocks"], ensure_ascii=False)
    shown = json.dumps(team_round["blocks"], ensure_ascii=False)
    assert "Lobbyplan Zwolle–Meppel" in shown and "BO MIRT Noord" not in shown  # events: no
    assert "Indienen aanvraag" not in shown  # it is in its owner's own message

    # "Niet gehaald" on the owner's action: recorded, only that line changes
    assert interact(_click(mine, "Indienen aanvraag Regio Deal 5e tranche",
                           "confirm_missed")).status == 200
    assert _deadline(team, "Indienen aanvraag Regio Deal 5e tranche").status == "missed"
    slack_double.wait_for(lambda d: len(d.responses) >= 1)
    replaced = slack_double.responses[0]
    assert replaced["replace_original"] in (True, "true")
    assert f"Niet gehaald, gemeld door <@{EDITOR}>" in json.dumps(replaced["blocks"],
                                                                 ensure_ascii=False)
    # a second click on the same, now stale, button changes nothing and says so
    interact(_click(mine, "Indienen aanvraag Regio Deal 5e tranche", "confirm_done"))
    assert _deadline(team, "Indienen aanvraag Regio Deal 5e tranche").status == "missed"
    slack_double.wait_for(lambda d: len(d.responses) >= 2)
    assert "niet gehaald gemeld" in slack_double.responses[1]["text"]

    # "Afgerond" and "Verzetten…" in the team's message
    interact(_click(team_round, "Lobbyplan Zwolle–Meppel richting verkiezingen en regeerakkoord",
                    "confirm_done"))
    interact(_click(team_round, "Gedragen prioriteitenlijst Europese lobby", "confirm_move",
                    picked="2024-03-29"))
    assert _deadline(team, "Lobbyplan Zwolle–Meppel richting verkiezingen en regeerakkoord"
                     ).status == "done"
    assert _deadline(team, "Gedragen prioriteitenlijst Europese lobby").due_date == date(2024, 3, 29)

    now = local(2024, 1, 2, 10, 0)
    digest = build_digest(session=team, period=half_year(2023, 2), now=now, tz=sched.tz)
    told = {i.text: i for _, i in digest.items if i.kind is not None}
    assert told["Indienen aanvraag Regio Deal 5e tranche"].reason is Reason.DEADLINE_MISSED
    assert told["Indienen aanvraag Regio Deal 5e tranche"].owner == EDITOR
    assert told["Lobbyplan Zwolle–Meppel richting verkiezingen en regeerakkoord"].reason \
        is Reason.MILESTONE_REACHED
    assert "Gedragen prioriteitenlijst Europese lobby" not in told  # moved into 2024
    assert "Gedragen prioriteitenlijst Europese lobby" in {u.title for u in digest.upcoming}
    assert told["Sponsstrategie: eerste ingrepen in de Sallandse Wetering"].reason \
        is Reason.NOT_REPORTED  # nobody answered
