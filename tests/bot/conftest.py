"""Fixtures for the Slack app: settings pointed at the Slack double, the real Bolt app, signed
requests (v0 HMAC of `v0:{ts}:{body}`, as slack_sdk.signature.SignatureVerifier checks them)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.app import create_app
from tests.slack_double import SlackDouble
from tracker.models import Member
from tracker.settings import Settings, load_settings

SECRET = "test-signing-secret"
ADMIN = "U0ADMIN"
EDITOR = "U0ANNEKE"
VIEWER = "U0JORIS"


def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


def command_body(command: str, text: str, *, user: str = EDITOR, response_url: str = "",
                 channel: str = "C0LOBBY") -> str:
    """A slash command's form-encoded body."""
    return urlencode({"token": "legacy", "team_id": "T0LOBBY", "team_domain": "lobby-test",
                      "channel_id": channel, "channel_name": "lobby", "user_id": user,
                      "user_name": user.lower(), "command": command, "text": text,
                      "api_app_id": "A0LOBBY", "response_url": response_url,
                      "trigger_id": "123.456.abc"})


def payload_body(payload: dict[str, Any]) -> str:
    """An interactivity request's form-encoded body."""
    return urlencode({"payload": json.dumps(payload)})


@pytest.fixture
def bot_settings(settings: Settings, slack_double: SlackDouble,
                 monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for the app: Slack is the local double, U0ADMIN is an admin."""
    return load_settings(_env_file=None, DATABASE_URL=settings.database_url,
                         SLACK_BOT_TOKEN=slack_double.token, SLACK_SIGNING_SECRET=SECRET,
                         SLACK_API_URL=slack_double.url, LOBBY_ADMINS=ADMIN)


@pytest.fixture
def app(bot_settings: Settings, engine: Engine, now: datetime) -> Iterator[App]:
    """The real Bolt app on this test's database, its clock pinned; its after-ack work is
    finished before the Slack double stops."""
    bolt = create_app(bot_settings, engine=engine, clock=lambda: now)
    yield bolt
    bolt.listener_runner.listener_executor.shutdown(wait=True)


@pytest.fixture
def team(seeded: Session, now: datetime) -> Session:
    """The dataset plus roles: U0ANNEKE is an editor; U0JORIS has no role (a viewer)."""
    seeded.add(Member(user_id=EDITOR, role="editor", added_at=now))
    seeded.commit()
    return seeded


Dispatch = Callable[..., BoltResponse]


@pytest.fixture
def slash(app: App, slack_double: SlackDouble) -> Dispatch:
    """Send a signed slash command through the app; returns Bolt's response."""
    def run(command: str, text: str = "", *, user: str = EDITOR) -> BoltResponse:
        body = command_body(command, text, user=user, response_url=slack_double.response_url())
        return app.dispatch(BoltRequest(body=body, headers=sign(body)))
    return run


@pytest.fixture
def interact(app: App, slack_double: SlackDouble) -> Dispatch:
    """Send a signed interactivity payload through the app."""
    def run(payload: dict[str, Any]) -> BoltResponse:
        payload.setdefault("response_url", slack_double.response_url("r-action"))
        body = payload_body(payload)
        return app.dispatch(BoltRequest(body=body, headers=sign(body)))
    return run


def reply(response: BoltResponse) -> dict[str, Any]:
    """The JSON a slash command answered with."""
    assert response.status == 200, response.body
    return json.loads(response.body)
