"""Signed Slack requests, as Slack sends them (v0 HMAC of `v0:{ts}:{body}`, as
slack_sdk.signature.SignatureVerifier checks them): shared by the tests and the benchmarks."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

SECRET = "test-signing-secret"
EDITOR = "U0ANNEKE"


def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


_triggers = itertools.count(1)


def trigger_id() -> str:
    """A new trigger id, as Slack gives every request its own."""
    return f"{int(time.time())}.{next(_triggers)}.abc"


def command_body(command: str, text: str, *, user: str = EDITOR, response_url: str = "",
                 channel: str = "C0LOBBY") -> str:
    """A slash command's form-encoded body."""
    return urlencode({"token": "legacy", "team_id": "T0LOBBY", "team_domain": "lobby-test",
                      "channel_id": channel, "channel_name": "lobby", "user_id": user,
                      "user_name": user.lower(), "command": command, "text": text,
                      "api_app_id": "A0LOBBY", "response_url": response_url,
                      "trigger_id": trigger_id()})


def payload_body(payload: dict[str, Any]) -> str:
    """An interactivity request's form-encoded body."""
    return urlencode({"payload": json.dumps(payload)})
