"""Fixtures for the Slack app: settings pointed at the Slack double, the real Bolt app, signed
requests (built by tests/signing.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.models.basic_objects import JsonObject
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.app import create_app
from tests.signing import EDITOR, SECRET, command_body, payload_body, sign, trigger_id
from tests.slack_double import SlackDouble
from tracker.models import Member
from tracker.settings import Settings, load_settings

ADMIN = "U0ADMIN"
VIEWER = "U0JORIS"


@pytest.fixture(autouse=True)
def block_json_is_to_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Block Kit object the bot serialises in these tests is also run through slack_sdk's
    own `to_dict()` (with its validators), and both must give the same JSON."""
    import sys

    import bot.listeners.outbox
    import bot.listeners.views
    import bot.render.as_text
    import bot.render.digest  # noqa: F401 (imported, so their block_json is checked too)
    from bot.render import message

    original = message.block_json

    def checked(value: Any) -> Any:
        fast = original(value)
        if isinstance(value, JsonObject | list | tuple):
            slow = ([v.to_dict() if isinstance(v, JsonObject) else v for v in value]
                    if isinstance(value, list | tuple) else value.to_dict())
            assert fast == slow, f"block_json differs from to_dict for {type(value).__name__}"
        return fast

    for module in list(sys.modules.values()):
        if (getattr(module, "__name__", "").startswith("bot.")
                and getattr(module, "block_json", None) is original):
            monkeypatch.setattr(module, "block_json", checked)


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
    bolt.lobby_deps.close()  # after-ack work done and its worker threads stopped
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
        # Slack stamps every click with its own action_ts (two clicks are two requests).
        if isinstance(payload.get("actions"), list):
            payload = {**payload, "actions": [
                {**a, "action_ts": trigger_id()} if isinstance(a, dict) else a
                for a in payload["actions"]]}
        body = payload_body(payload)
        return app.dispatch(BoltRequest(body=body, headers=sign(body)))
    return run


def reply(response: BoltResponse) -> dict[str, Any]:
    """The JSON a slash command answered with."""
    assert response.status == 200, response.body
    return json.loads(response.body)
