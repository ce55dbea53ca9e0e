"""Socket Mode end to end: `lobby serve`'s Socket Mode runner connects through
`apps.connections.open` to a local WebSocket double of Slack, answers slash commands in the
envelope's acknowledgement, acts on buttons and events, and disconnects when told to stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app import create_app
from bot.render.as_text import blocks_to_text
from bot.server import _run_socket_mode
from tests.bot.conftest import EDITOR
from tests.slack_double import SlackDouble
from tests.socket_double import SocketModeDouble
from tracker.models import Deadline, Dossier
from tracker.settings import Settings


@pytest.fixture
def socket_app(bot_settings: Settings, engine: Engine, now: datetime,
               slack_double: SlackDouble) -> Iterator[tuple[App, SocketModeDouble]]:
    """The app in Socket Mode (SLACK_APP_TOKEN set, no signing secret), connected."""
    settings = bot_settings.model_copy(update={"slack_app_token": slack_double.app_token,
                                               "slack_signing_secret": None})
    app = create_app(settings, engine=engine, clock=lambda: now)
    with SocketModeDouble() as socket:
        slack_double.socket_url = socket.url
        ready, stop = threading.Event(), threading.Event()
        runner = threading.Thread(target=_run_socket_mode, args=(app, settings, ready, stop),
                                  daemon=True)
        runner.start()
        assert ready.wait(10) and socket.wait_connected()
        yield app, socket
        stop.set()
        runner.join(timeout=10)
        assert not runner.is_alive()
        app.lobby_deps.drain()
        app.listener_runner.listener_executor.shutdown(wait=True)


def command(text: str, name: str = "/dossier", user: str = EDITOR, **extra: Any) -> dict[str, Any]:
    return {"token": "legacy", "team_id": "T0LOBBY", "team_domain": "regio", "channel_id": "C0LOBBY",
            "channel_name": "lobby", "user_id": user, "user_name": "anneke", "command": name,
            "text": text, "api_app_id": "A0LOBBY", "trigger_id": "1.2.socket",
            "response_url": "http://127.0.0.1:9/unused", **extra}


def test_slash_commands_answer_in_the_envelope_ack(team: Session, socket_app,
                                                   slack_double: SlackDouble) -> None:
    _, socket = socket_app
    calls = [c.method for c in slack_double.calls]
    assert "apps.connections.open" in calls
    ack = socket.wait_ack(socket.send("slash_commands", command("toon N35")))
    shown = blocks_to_text(ack["payload"]["blocks"])
    assert "N35" in shown and "rood" in shown
    added = socket.wait_ack(socket.send("slash_commands", command(
        "nieuw N35 1 dec 2023 Gesprek via Socket Mode", name="/deadline")))
    assert "toegevoegd" in added["payload"]["text"]
    team.expire_all()
    assert team.exec(select(Deadline).where(Deadline.title == "Gesprek via Socket Mode")).one()
    refused = socket.wait_ack(socket.send("slash_commands", command("status N35 groen Opgelost",
                                                                user="U0JORIS")))
    assert "editor" in refused["payload"]["text"]


def test_buttons_and_events_over_the_socket(team: Session, socket_app,
                                            slack_double: SlackDouble) -> None:
    app, socket = socket_app
    n35 = team.exec(select(Dossier).where(Dossier.code == "N35")).one()
    click = {"type": "block_actions", "user": {"id": EDITOR}, "team": {"id": "T0LOBBY"},
             "api_app_id": "A0LOBBY", "trigger_id": "1.2.socket", "container": {"type": "message"},
             "channel": {"id": "C0LOBBY"},
             "actions": [{"action_id": "change_status", "block_id": "b1", "type": "button",
                          "value": f'{{"dossier": {n35.id}, "version": {n35.version}}}',
                          "action_ts": "1700000000.1"}]}
    socket.wait_ack(socket.send("interactive", click))
    app.lobby_deps.drain()
    opened = slack_double.wait_for_calls("views.open")
    assert opened[-1].ok and opened[-1].params["view"]["callback_id"] == "dossier_status"
    event = {"type": "event_callback", "team_id": "T0LOBBY", "api_app_id": "A0LOBBY",
             "event_id": "EvSocket1", "event_time": 1700000000,
             "event": {"type": "app_home_opened", "user": EDITOR, "channel": "D1", "tab": "home"}}
    socket.wait_ack(socket.send("events_api", event, accepts_response_payload=False))
    app.lobby_deps.drain()
    published = slack_double.wait_for_calls("views.publish")
    assert published[-1].ok and published[-1].params["user_id"] == EDITOR
