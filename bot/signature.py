"""Slack's request signature, checked before anything reads the body; a refusal is logged as
one line with the body's size and the reason, never the body (Bolt's own check logs the
whole body, its `response_url` included, at INFO)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("lobbytracker.slack")

REPLAY_WINDOW_SECONDS = 5 * 60  # Slack's own: a timestamp older than this is a replay


class RequestSigning:
    """Checks `x-slack-signature` against the signing secret (HMAC, constant time)."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        # Without a secret (Socket Mode only) no HTTP request can be verified: all are refused.
        self._verifier = SignatureVerifier(secret) if secret.strip() else None
        self._clock = clock

    def refusal(self, req: BoltRequest) -> str | None:
        """Why `req` is not a signed request from Slack within the replay window, or None."""
        if req.mode == "socket_mode" or (isinstance(req.body, dict)
                                          and req.body.get("ssl_check") == "1"):
            return None  # Socket Mode is authenticated by its app token; ssl_check holds nothing
        if self._verifier is None:
            return "no signing secret configured"
        timestamp = _header(req, "x-slack-request-timestamp")
        signature = _header(req, "x-slack-signature")
        if not timestamp or not signature:
            return "not signed"
        try:
            age = self._clock() - int(timestamp)
        except ValueError:
            return "malformed timestamp"
        if abs(age) > REPLAY_WINDOW_SECONDS:
            return "stale timestamp (replay window is 5 minutes)"
        if not self._verifier.is_valid(req.raw_body, timestamp, signature):
            return "bad signature"
        return None

    @staticmethod
    def log_refusal(req: BoltRequest, reason: str) -> None:
        """One line: size and reason, nothing the sender wrote."""
        log.info("unsigned request refused: %d bytes, %s", len(req.raw_body.encode("utf-8")),
                 reason)


def _header(req: BoltRequest, name: str) -> str | None:
    values = req.headers.get(name)
    if not values:
        return None
    value = values[0] if isinstance(values, list | tuple) else values
    return str(value) if value else None
