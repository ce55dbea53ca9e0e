"""Slack calls made after the ack, on a worker thread (`bot.unit_of_work.send_outbox`).

Listeners append operations to `context["outbox"]`; `deliver` runs them once the request's
transaction is committed. Each operation is a small dict: `respond` (a response_url message), `update` (chat.update),
`open_view`, `publish_home`, `ephemeral`, `digest`. `refresh_home` (after a change) never
reaches `deliver`: `send_outbox` debounces it into a `publish_home` once the burst is over.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.message import block_json
from tracker.db import session_scope

log = logging.getLogger("lobbytracker.slack")


def deliver(items: list[dict[str, Any]], *, deps: Any, client: WebClient,
            respond: Respond | None) -> None:
    """Carry out a request's queued Slack calls; one failing call does not stop the rest."""
    for item in items:
        try:
            run_operation(item, deps=deps, client=client, respond=respond)
        except Exception:
            log.exception("could not deliver %s to Slack", item.get("op"))


def run_operation(item: dict[str, Any], *, deps: Any, client: WebClient,
                  respond: Respond | None) -> None:
    """One queued Slack call."""
    op = item["op"]
    if op == "respond":
        if respond is None:
            raise ValueError("no response_url to answer on")
        respond(**item["payload"])
    elif op == "update":
        # A reminder after a click, in place; when the message cannot be updated (too old,
        # not the bot's), the response_url still can.
        payload = {k: v for k, v in item["payload"].items() if k != "response_type"}
        try:
            client.chat_update(channel=item["channel"], ts=item["ts"], **payload)
        except SlackApiError:
            if respond is None:
                raise
            respond(**payload, replace_original=True)
    elif op == "open_view":
        client.views_open(trigger_id=item["trigger_id"], view=block_json(item["view"]))
    elif op == "ephemeral":
        payload = {k: v for k, v in item["payload"].items() if k != "response_type"}
        client.chat_postEphemeral(channel=item["channel"], user=item["user"], **payload)
    elif op == "publish_home":
        from bot.listeners.events import home_view

        with session_scope(deps.engine) as session:
            view = home_view(session=session, user_id=item["user"], deps=deps, now=deps.clock())
        client.views_publish(user_id=item["user"], view=block_json(view))
    elif op == "digest":
        from bot.listeners.digest import deliver_digest

        deliver_digest(item, deps=deps, client=client, respond=respond)
    else:
        raise ValueError(f"unknown outbox operation {op}")
