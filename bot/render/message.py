"""`Message`: what a renderer hands to a listener — Block Kit blocks plus the plain fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject
from slack_sdk.models.blocks import Block

from bot.render.limits import MAX_MESSAGE_BLOCKS, fallback_text, fit_blocks


@dataclass(frozen=True)
class Message:
    """A Slack message: `text` for notifications, `blocks` for the display."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    in_channel: bool = False

    def payload(self) -> dict[str, Any]:
        """The JSON body for ack(), respond() or chat.postMessage (never past 50 blocks)."""
        blocks = fit_blocks(self.blocks, max_blocks=MAX_MESSAGE_BLOCKS)
        return {"text": fallback_text(self.text), "blocks": [block_json(b) for b in blocks],
                "response_type": "in_channel" if self.in_channel else "ephemeral"}


# A class's JSON fields in slack_sdk's order; found on its first object (they are constant).
_FIELDS: dict[type, tuple[str, ...]] = {}
_EMPTY_ALLOWED = frozenset((e["type"], e["property"]) for e in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST)


def block_json(value: Any) -> Any:
    """`value.to_dict()` of slack_sdk, without re-running its validators on every reply.

    The same dict (every bot test checks that, tests/bot/conftest.py), in a third of the time:
    slack_sdk validates each object on each call, a quarter of a command's time here. The
    renderers keep within Slack's limits by construction (bot.render.limits), and the tests
    run every reply past slack_sdk's validators and the Slack double's. Classes that serialise
    themselves (options, …) still go through their own `to_dict`.
    """
    if isinstance(value, list | tuple):
        return [block_json(v) for v in value]
    if not isinstance(value, JsonObject):
        return value
    kind = type(value)
    if kind.to_dict is not JsonObject.to_dict:
        return value.to_dict()
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(sorted(value.attributes))
    block_type = getattr(value, "type", None)
    out: dict[str, Any] = {}
    for key in fields:
        item = value.get_object_attribute(key)
        if item is None or (hasattr(item, "__len__") and not len(item)
                            and (block_type, key) not in _EMPTY_ALLOWED):
            continue
        out[key] = block_json(item)
    return out
