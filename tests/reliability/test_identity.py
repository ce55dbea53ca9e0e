"""Identity: the terminal's actor ("cli", an admin) cannot be claimed by a Slack request, and
the user ids that enter with a request are Slack user ids (U… or W…), or it is refused (400)
before any listener runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.reliability.conftest import snapshot
from tests.signing import command_body, payload_body, sign
from tests.slack_double import SlackDouble
from tracker.models import Role
from tracker.services.members import CLI_ACTOR, role_of


@pytest.mark.parametrize("user", ["cli", "CLI", "admin", "U0ADMIN ", "", "B0BOT", "u0lower",
                                  "U", "U0" + "X" * 30])
def test_a_command_from_a_user_id_that_is_not_slacks_is_refused(
        team: Session, app: App, engine: Engine, slack_double: SlackDouble, user: str) -> None:
    before = snapshot(engine)
    body = command_body("/lobby", "team add <@U0JORIS|joris> admin", user=user,
                        response_url=slack_double.response_url())
    response = app.dispatch(BoltRequest(body=body, headers=sign(body)))
    assert response.status == 400
    assert snapshot(engine) == before


@pytest.mark.parametrize("where", ["block_actions", "view_submission", "event"])
def test_cli_in_a_payload_is_refused(team: Session, app: App, engine: Engine,
                                     where: str) -> None:
    payload: dict[str, Any] = {
        "block_actions": {"type": "block_actions", "user": {"id": "cli"},
                          "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY",
                          "actions": [{"action_id": "reminder_done", "value": "{}"}]},
        "view_submission": {"type": "view_submission", "user": {"id": "cli"},
                            "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY",
                            "view": {"id": "V1", "callback_id": "dossier_new",
                                     "state": {"values": {}}}},
        "event": {"type": "event_callback", "team_id": "T0LOBBY", "api_app_id": "A0LOBBY",
                  "event_id": "Ev1", "event": {"type": "app_home_opened", "user": "cli",
                                               "tab": "home"}},
    }[where]
    if where == "event":
        body, headers = json.dumps(payload), {"content-type": "application/json"}
    else:
        body, headers = payload_body(payload), {}
    before = snapshot(engine)
    assert app.dispatch(BoltRequest(body=body, headers={**headers, **sign(body)})).status == 400
    assert snapshot(engine) == before


def test_enterprise_grid_user_ids_are_accepted(team: Session, app: App,
                                               slack_double: SlackDouble) -> None:
    body = command_body("/dossier", "toon N35", user="W0GRIDUSER",
                        response_url=slack_double.response_url())
    response = app.dispatch(BoltRequest(body=body, headers=sign(body)))
    assert response.status == 200
    assert "N35" in json.loads(response.body)["text"]


def test_only_the_terminal_is_the_terminal(team: Session) -> None:
    assert role_of(team, "cli") == Role.VIEWER  # the text a request could carry
    assert role_of(team, CLI_ACTOR) == Role.ADMIN  # what only `lobby` itself holds
    assert CLI_ACTOR == "cli"  # and is stored as such in the history
