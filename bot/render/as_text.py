"""Block Kit as text, the way Slack shows it: for the console (`lobby demo --interactive`) and
the replay. *Bold*, _italics_ and ~strike~ become terminal styles on a TTY and clean text
otherwise; `:emoji_names:` become emoji (through the `emoji` package); code blocks and quotes
stand on their own lines; buttons, menus and date pickers are labelled as Slack labels them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.render.message import block_json


@dataclass(frozen=True)
class Style:
    """How to show emphasis: ANSI terminal styles (a TTY) or nothing (a file, a pipe, a test)."""

    tty: bool = False
    lang: str = "nl"

    def wrap(self, text: str, on: str, off: str) -> str:
        return f"\x1b[{on}m{text}\x1b[{off}m" if self.tty else text


PLAIN = Style()

RULE = "─" * 60

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[A-Z0-9]+)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^|>]+)\|([^>]*)>|<((?:https?|mailto):[^>]+)>")
# Slack's names the `emoji` package does not know (it calls them large_*_circle otherwise).
_EMOJI = {":large_green_circle:": "🟢", ":large_orange_circle:": "🟠",
          ":large_yellow_circle:": "🟡", ":large_blue_circle:": "🔵"}


_CODE_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_STYLES = (  # Slack's rule: the marker touches the word, and no word character outside it
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), "1", "22"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])"), "3", "23"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])"), "9", "29"),
)
_EMOJI_NAME = re.compile(r":[a-z0-9_+\-]+:")


def emoji_to_text(text: str) -> str:
    """`:white_check_mark:` → ✅ (Slack's names; unknown names stay as typed)."""
    import emoji

    def one(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in _EMOJI:
            return _EMOJI[name]
        shown = emoji.emojize(name, language="alias")
        return shown if shown != name else emoji.emojize(name, language="en")

    return _EMOJI_NAME.sub(one, text)


def mrkdwn_to_text(text: str, style: Style = PLAIN) -> str:
    """Slack markup to text: mentions, channels, links, emphasis, code, quotes, emoji, entities."""
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return f"\x00{len(kept) - 1}\x00"

    def block(match: re.Match[str]) -> str:
        body = match.group(1).strip("\n")
        lines = "\n".join("    " + line for line in body.splitlines())
        return "\n" + keep(style.wrap(lines, "2", "22")) + "\n"

    text = _CODE_BLOCK.sub(block, text)
    text = _CODE.sub(lambda m: keep(style.wrap(m.group(1), "7", "27") if style.tty
                                    else m.group(1)), text)
    text = _USER.sub(lambda m: keep("@" + (m.group(2) or m.group(1))), text)
    text = _CHANNEL.sub(lambda m: keep("#" + (m.group(2) or m.group(1))), text)
    text = _SPECIAL.sub(lambda m: keep("@" + (m.group(2) or m.group(1)).lstrip("@")), text)
    text = _LINK.sub(lambda m: keep(f"{m.group(2)} ({m.group(1)})" if m.group(1)
                                    else m.group(3)), text)
    for pattern, on, off in _STYLES:
        text = pattern.sub(lambda m, on=on, off=off: style.wrap(m.group(1), on, off), text)
    text = emoji_to_text(text)
    lines = []
    for line in text.split("\n"):
        if line.startswith("&gt; ") or line == "&gt;":
            line = "│ " + line[5:]
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any, style: Style = PLAIN) -> str:
    if isinstance(obj, dict):
        value = str(obj.get("text", ""))
        if obj.get("type") == "plain_text":  # no markup in plain text; emoji names still show
            return emoji_to_text(value) if obj.get("emoji", True) else value
        return mrkdwn_to_text(value, style)
    return mrkdwn_to_text(str(obj or ""), style)


def _picked_date(value: str, lang: str) -> str:
    from tracker.dates import format_date

    try:
        return format_date(date.fromisoformat(value), lang)
    except ValueError:
        return value


def _element(element: dict[str, Any], style: Style = PLAIN) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text(element.get('text'), style)}]"
    if kind == "datepicker":  # Slack shows the chosen date, else the placeholder, and 📅
        initial = element.get("initial_date")
        shown = _picked_date(initial, style.lang) if initial else \
            _text(element.get("placeholder"), style) or "…"
        return f"[{shown} 📅]"
    if kind in ("timepicker", "datetimepicker"):
        initial = element.get("initial_time") or element.get("initial_date_time")
        return f"[{initial or _text(element.get('placeholder'), style) or '…'} 🕘]"
    if kind == "overflow":
        return "[⋯]"
    if kind in ("static_select", "users_select", "conversations_select", "channels_select",
                "external_select", "multi_static_select"):
        initial = element.get("initial_option")
        shown = _text(initial["text"], style) if isinstance(initial, dict) else \
            _text(element.get("placeholder"), style) or "…"
        return f"[{shown} ▾]"
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return f"[{element.get('initial_value') or '…'}]"
    if kind in ("checkboxes", "radio_buttons"):
        box = "☐" if kind == "checkboxes" else "○"
        return " ".join(f"{box} {_text(o.get('text'), style)}" for o in element.get("options", []))
    if kind in ("mrkdwn", "plain_text"):
        return _text(element, style)
    if kind == "image":
        return f"[{element.get('alt_text', 'image')}]"
    return f"[{kind}]"


def _block(block: dict[str, Any], style: Style = PLAIN) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"), style)
        return [style.wrap(title, "1", "22"), "═" * min(len(title), 60)]
    if kind == "divider":
        return [RULE]
    if kind == "section":
        lines: list[str] = []
        if block.get("text"):
            lines.append(_text(block["text"], style))
        for field in block.get("fields") or []:
            lines.append("  " + _text(field, style).replace("\n", " "))
        accessory = block.get("accessory")
        if accessory:
            lines.append("  " + _element(accessory, style))
        return lines
    if kind == "context":
        return ["  " + " · ".join(_element(e, style) for e in block.get("elements", []))]
    if kind == "actions":
        return ["  " + " ".join(_element(e, style) for e in block.get("elements", []))]
    if kind == "input":
        label = _text(block.get("label"), style)
        return [f"{label}: {_element(block.get('element') or {}, style)}"]
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


def blocks_to_text(blocks: Iterable[Any] | None, style: Style = PLAIN) -> str:
    """Block Kit blocks (objects or dicts) as lines of text, as a reader would see them."""
    lines: list[str] = []
    for raw in blocks or []:
        block = block_json(raw)
        if isinstance(block, dict):
            lines.extend(_block(block, style))
    return "\n".join(lines)


def view_to_text(view: Any, style: Style = PLAIN) -> str:
    """A modal or Home tab view as text: its title, then its blocks."""
    data = block_json(view) or {}
    title = _text(data.get("title"), style) if data.get("title") else ""
    body = blocks_to_text(data.get("blocks"), style)
    return f"▌{title}\n{body}" if title else body
