"""The shape of a Slack request, checked before Bolt sees it.

Bolt for Python trusts the payload's shape: `actions: []`, an `event` that is a list or a
`user` that is a number make its matchers and its own error handler raise, which ends in an
HTTP 500. Slack never sends such payloads, but a signed request might still be malformed (a
bug in a proxy, a replay tool, a hand-made test), so `LobbyApp.dispatch` refuses them with a
400 and nothing runs; payload types the app has no listener for get a 404 without reaching
Bolt's matchers. Only what Bolt and our listeners read is checked; the listeners check
the values (ids, versions, dates) themselves and answer with a friendly refusal.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_view,
)

_ID_HOLDERS = ("team", "user", "channel", "enterprise", "container", "view", "message",
               "event", "authorizations", "actions", "state")
_STRINGS = ("type", "command", "text", "user_id", "channel_id", "team_id", "trigger_id",
            "response_url", "callback_id", "action_id", "api_app_id", "event_id", "token",
            "enterprise_id", "challenge", "value", "block_id")


# Ids that end up in queries (roles, owners) hold no control characters: Slack never sends
# them, and PostgreSQL refuses a NUL in text outright (an error instead of "not found").
_ID_STRINGS = ("user_id", "channel_id", "team_id", "enterprise_id", "api_app_id", "trigger_id")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# A user who acts is a Slack user id (U… or W… on Enterprise Grid): nothing else — not "cli",
# the terminal's actor, nor a name — may arrive where the app reads who is asking.
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


def _bad_id_text(value: Any, name: str) -> str | None:
    if isinstance(value, str) and _CONTROL.search(value):
        return f"{name} holds control characters"
    return None


def _bad_user(value: Any, name: str) -> str | None:
    if value is not None and not (isinstance(value, str) and SLACK_USER_ID.fullmatch(value)):
        return f"{name} is not a Slack user id"
    return None


def _bad_ids(value: Any, name: str) -> str | None:
    """`team`, `user`, … are an id (string) or an object whose `id` is a string."""
    if value is None or isinstance(value, str):
        return _bad_id_text(value, name)
    if not isinstance(value, dict):
        return f"{name} is not an object"
    for key in ("id", "type", "team_id", "enterprise_id", "user_id", "callback_id"):
        if key in value and value[key] is not None and not isinstance(value[key], str):
            return f"{name}.{key} is not a string"
        problem = _bad_id_text(value.get(key), f"{name}.{key}")
        if problem:
            return problem
    return None


# The payload types this app listens to (slash commands have no type); Bolt answers the
# url_verification handshake and ssl_check itself.
HANDLED_TYPES = frozenset({"block_actions", "block_suggestion", "view_submission", "view_closed",
                           "event_callback", "url_verification", "app_rate_limited"})


def not_ours(body: dict[str, Any]) -> bool:
    """A payload of a kind this app has no listener for (shortcuts, dialogs, workflow steps, …)."""
    kind = body.get("type")
    return kind is not None and kind not in HANDLED_TYPES and "command" not in body


def malformed(body: Any) -> str | None:
    """What is wrong with the shape of `body` (a parsed request), or None when it is sound."""
    if not isinstance(body, dict):
        return "the body is not an object"
    for key in _STRINGS:
        if key in body and body[key] is not None and not isinstance(body[key], str):
            return f"{key} is not a string"
    for key in _ID_STRINGS:
        problem = _bad_id_text(body.get(key), key)
        if problem:
            return problem
    if not isinstance(body.get("is_enterprise_install", False), bool | str):
        return "is_enterprise_install is not a boolean"
    for key in ("team", "user", "channel", "enterprise"):
        problem = _bad_ids(body.get(key), key)
        if problem:
            return problem
    user = body.get("user")
    problem = _bad_user(body.get("user_id"), "user_id") or _bad_user(
        user.get("id") if isinstance(user, dict) else user, "user")
    if problem:
        return problem
    kind = body.get("type")
    if kind in ("block_actions", "block_suggestion", "view_submission", "view_closed") and not (
            isinstance(body.get("user"), dict) and body["user"].get("id")):
        return "no user"
    if kind == "block_actions":
        problem = _bad_actions(body.get("actions"))
    elif kind in ("view_submission", "view_closed"):
        problem = _bad_view(body.get("view"))
    elif kind == "event_callback":
        problem = _bad_event(body.get("event"))
    else:
        problem = None
    for key in ("container", "message", "state", "view", "event", "item", "assistant_thread",
                "function_data", "previous_message"):
        if problem is None and key in body and not isinstance(body[key], dict):
            problem = f"{key} is not an object"
    if problem is None and "authorizations" in body and not isinstance(body["authorizations"],
                                                                        list):
        problem = "authorizations is not a list"
    if problem is None and "response_urls" in body:
        urls = body["response_urls"]
        if not isinstance(urls, list) or not all(isinstance(u, dict) for u in urls):
            problem = "response_urls is not a list of objects"
    return problem or _bolt_reads(body)


def _bad_actions(actions: Any) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions is not a non-empty list"
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            return "an action has no action_id"
        for key in ("block_id", "type", "value", "selected_date"):
            if action.get(key) is not None and not isinstance(action[key], str):
                return f"action.{key} is not a string"
    return None


def _bad_view(view: Any) -> str | None:
    if not isinstance(view, dict):
        return "view is not an object"
    for key in ("callback_id", "private_metadata", "id", "type", "hash", "external_id"):
        if view.get(key) is not None and not isinstance(view[key], str):
            return f"view.{key} is not a string"
    return None


def _bad_event(event: Any) -> str | None:
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event has no type"
    for key in ("user", "channel", "tab", "subtype", "channel_type", "text", "bot_id",
                "thread_ts", "ts"):
        if event.get(key) is not None and not isinstance(event[key], str):
            return f"event.{key} is not a string"
    for key in ("user", "channel"):
        problem = _bad_id_text(event.get(key), f"event.{key}")
        if problem:
            return problem
    problem = _bad_user(event.get("user"), "event.user")
    if problem:
        return problem
    for key in ("message", "previous_message"):
        if event.get(key) is not None and not isinstance(event[key], dict):
            return f"event.{key} is not an object"
    return None


def _bolt_reads(body: dict[str, Any]) -> str | None:
    """Let Bolt's own readers have a go; whatever makes them raise is malformed."""
    try:
        build_context(BoltContext(), body)
        for read in (to_action, to_command, to_event, to_message, to_options, to_shortcut,
                     to_view):
            read(body)
    except Exception as exc:  # any reader failing means Bolt would fail later
        return f"Bolt cannot read it ({type(exc).__name__})"
    return None
