"""App Home "Mijn herinneringen": what this member is reminded of, and where it comes."""

from __future__ import annotations

import json
from datetime import date

from slack_bolt import BoltRequest
from sqlmodel import Session

from tests.bot.conftest import EDITOR, sign
from tests.slack_double import SlackDouble, validate_blocks
from tests.tracker.scheduling_support import add_deadline, add_dossier, local
from tracker.services.reminders import set_reminders_via


def _open_home(app, user: str, event_id: str) -> None:  # type: ignore[no-untyped-def]
    event = {"type": "event_callback", "team_id": "T0LOBBY", "api_app_id": "A0LOBBY",
             "event_id": event_id, "event_time": 1700000000,
             "event": {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}}
    body = json.dumps(event)
    assert app.dispatch(BoltRequest(body=body, headers={
        **sign(body), "content-type": "application/json"})).status == 200
    app.lobby_deps.drain()


def _reminders_part(view: dict) -> str:
    text = json.dumps(view["blocks"], ensure_ascii=False)
    return text[text.index("Mijn herinneringen"):text.index("*Verlopen*")]


def test_home_shows_my_reminders_and_my_preference(team: Session, app,
                                                    slack_double: SlackDouble) -> None:
    mine = add_dossier(team, "ZZA", owner=EDITOR)
    theirs = add_dossier(team, "ZZB", owner="U0PIETER")
    add_deadline(team, mine, date(2023, 11, 20), title="Zienswijze van mij", kind="submission")
    add_deadline(team, mine, date(2023, 11, 21), title="Van Pieter in mijn dossier",
                 kind="submission", owner="U0PIETER")
    add_deadline(team, theirs, date(2023, 11, 22), title="Brief aan mij", kind="submission",
                 owner=EDITOR)
    add_deadline(team, theirs, date(2023, 11, 23), title="Brief van Pieter", kind="submission")
    add_deadline(team, mine, date(2023, 11, 10), title="Verlopen debat", kind="debate")
    team.commit()
    _open_home(app, EDITOR, "Ev1")
    [published] = slack_double.calls_to("views.publish")
    view = published.params["view"]
    assert validate_blocks(view["blocks"], "home") == []
    part = _reminders_part(view)
    assert "Zienswijze van mij" in part and "Brief aan mij" in part
    assert "Pieter" not in part and "Verlopen debat" not in part  # an event is never overdue
    assert "/lobby voorkeur dm" in part
    overdue = json.dumps(view["blocks"], ensure_ascii=False).split("*Verlopen*")[1]
    assert "Verlopen debat" not in overdue.split("Komende 14 dagen")[0]  # events never are
    set_reminders_via(session=team, now=local(2023, 11, 15, 10), user_id=EDITOR, via="dm")
    team.commit()
    _open_home(app, EDITOR, "Ev2")
    part = _reminders_part(slack_double.calls_to("views.publish")[-1].params["view"])
    assert "Als direct bericht" in part and "/lobby voorkeur kanaal" in part


def test_voorkeur_and_snooze_as_slash_commands(team: Session, slash, slack_double) -> None:
    from tests.bot.conftest import VIEWER, reply
    from tracker.models import Deadline, Member

    shown = json.dumps(reply(slash("/lobby", "voorkeur")), ensure_ascii=False)
    assert "als vermelding in het kanaal" in shown
    changed = json.dumps(reply(slash("/lobby", "voorkeur dm")), ensure_ascii=False)
    assert "voortaan als direct bericht" in changed
    team.expire_all()
    assert team.get(Member, EDITOR).reminders_via == "dm"
    assert team.get(Member, EDITOR).role == "editor"  # the role stays
    refused = json.dumps(reply(slash("/lobby", "prefs sms")), ensure_ascii=False)
    assert "Kies dm of kanaal" in refused and "/lobby voorkeur dm" in refused
    # A viewer may choose too (it is their own preference) and stays a viewer.
    reply(slash("/lobby", "voorkeur dm", user=VIEWER))
    team.expire_all()
    assert (team.get(Member, VIEWER).role, team.get(Member, VIEWER).reminders_via) == (
        "viewer", "dm")
    snoozed = json.dumps(reply(slash("/deadline", "later 19")), ensure_ascii=False)
    assert "nog een herinnering op" in snoozed and "de datum blijft" in snoozed
    team.expire_all()
    assert team.get(Deadline, 19).snooze_until == local(2023, 11, 16, 9)
    refused = json.dumps(reply(slash("/deadline", "snooze 19", user=VIEWER)), ensure_ascii=False)
    assert "editor" in refused
