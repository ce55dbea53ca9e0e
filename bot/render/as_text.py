"""Block Kit as readable plain text: for the console (`lobby demo --interactive`) and replays."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.render.message import block_json

RULE = "─" * 60

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[A-Z0-9]+)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^|>]+)\|([^>]*)>|<((?:https?|mailto):[^>]+)>")
_EMOJI = {":large_green_circle:": "🟢", ":large_orange_circle:": "🟠", ":red_circle:": "🔴",
          ":warning:": "⚠", ":white_check_mark:": "✔", ":calendar:": "📅", ":memo:": "📝",
          ":bell:": "🔔", ":hourglass:": "⏳", ":house:": "🏠", ":x:": "✖",
          ":information_source:": "ℹ"}


def mrkdwn_to_text(text: str) -> str:
    """Slack markup to text: mentions, channels, links, entities and a few emoji codes."""
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1) else m.group(3), text)
    for code, symbol in _EMOJI.items():
        text = text.replace(code, symbol)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return mrkdwn_to_text(str(obj.get("text", "")))
    return mrkdwn_to_text(str(obj or ""))


def _element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text(element.get('text'))}]"
    if kind in ("datepicker", "timepicker", "datetimepicker"):
        initial = element.get("initial_date") or element.get("initial_time") or "…"
        return f"[📅 {initial}]"
    if kind in ("static_select", "users_select", "conversations_select", "channels_select",
                "external_select", "overflow"):
        initial = element.get("initial_option")
        shown = _text(initial["text"]) if isinstance(initial, dict) else "…"
        return f"[{shown} ▾]"
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return f"[{element.get('initial_value') or '…'}]"
    if kind in ("checkboxes", "radio_buttons"):
        return " ".join(f"( ) {_text(o.get('text'))}" for o in element.get("options", []))
    if kind in ("mrkdwn", "plain_text"):
        return _text(element)
    if kind == "image":
        return f"[{element.get('alt_text', 'image')}]"
    return f"[{kind}]"


def _block(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"))
        return [title, "═" * min(len(title), 60)]
    if kind == "divider":
        return [RULE]
    if kind == "section":
        lines: list[str] = []
        if block.get("text"):
            lines.append(_text(block["text"]))
        for field in block.get("fields") or []:
            lines.append("  " + _text(field).replace("\n", " "))
        accessory = block.get("accessory")
        if accessory:
            lines.append("  " + _element(accessory))
        return lines
    if kind == "context":
        return ["  " + " · ".join(_element(e) for e in block.get("elements", []))]
    if kind == "actions":
        return ["  " + " ".join(_element(e) for e in block.get("elements", []))]
    if kind == "input":
        label = _text(block.get("label"))
        return [f"{label}: {_element(block.get('element') or {})}"]
    if kind == "image":
        return [f"[{block.get('alt_text', 'image')}]"]
    if kind == "rich_text":
        return [_rich_text(block)]
    return [f"[{kind}]"]


def _rich_text(block: dict[str, Any]) -> str:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                out.append(str(node.get("text", "")))
            elif node.get("type") == "user":
                out.append("@" + str(node.get("user_id", "")))
            for child in node.get("elements", []) or []:
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(block.get("elements", []))
    return "".join(out)


def blocks_to_text(blocks: Iterable[Any] | None) -> str:
    """Block Kit blocks (objects or dicts) as lines of plain text, as a reader would see them."""
    lines: list[str] = []
    for raw in blocks or []:
        block = block_json(raw)
        if isinstance(block, dict):
            lines.extend(_block(block))
    return "\n".join(lines)


def view_to_text(view: Any) -> str:
    """A modal or Home tab view as text: its title, then its blocks."""
    data = block_json(view) or {}
    title = _text(data.get("title")) if data.get("title") else ""
    body = blocks_to_text(data.get("blocks"))
    return f"▌{title}\n{body}" if title else body
