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


# How each class serialises, found on its first object (it is constant for a class): its JSON
# fields in slack_sdk's order with its block type, or _OWN (it has its own `to_dict`), or
# _PLAIN (not a slack_sdk object: taken as it is).
_OWN, _PLAIN = "own", "plain"
_PLANS: dict[type, Any] = {str: _PLAIN, int: _PLAIN, bool: _PLAIN, float: _PLAIN, dict: _PLAIN,
                           type(None): _PLAIN}
_EMPTY_ALLOWED = frozenset((e["type"], e["property"]) for e in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST)


def _plan(value: Any) -> Any:
    kind = type(value)
    if not isinstance(value, JsonObject):
        plan: Any = _PLAIN
    elif kind.to_dict is not JsonObject.to_dict:
        plan = _OWN
    else:
        block_type = getattr(value, "type", None)
        plan = tuple((key, (block_type, key) in _EMPTY_ALLOWED)
                     for key in sorted(value.attributes))
    _PLANS[kind] = plan
    return plan


def block_json(value: Any) -> Any:
    """`value.to_dict()` of slack_sdk, without re-running its validators on every reply.

    The same dict (every bot test checks that, tests/bot/conftest.py), in a twelfth of the time:
    slack_sdk validates each object on each call, a quarter of a command's time here. The
    renderers keep within Slack's limits by construction (bot.render.limits), and the tests
    run every reply past slack_sdk's validators and the Slack double's. Classes that serialise
    themselves (options, …) still go through their own `to_dict`.
    """
    kind = type(value)
    if kind is list or kind is tuple:
        return [block_json(v) for v in value]
    plan = _PLANS.get(kind)
    if plan is None:  # (an empty plan is a plan: `or` would make it anew every time)
        plan = _plan(value)
    if plan is _PLAIN:
        return value
    if plan is _OWN:
        return value.to_dict()
    out: dict[str, Any] = {}
    for key, empty_allowed in plan:
        item = getattr(value, key, None)
        if item is None or (not empty_allowed and hasattr(item, "__len__") and not len(item)):
            continue
        out[key] = block_json(item)
    return out
