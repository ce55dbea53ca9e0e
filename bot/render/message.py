"""`Message`: what a renderer hands to a listener — Block Kit blocks plus the plain fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
        return {"text": fallback_text(self.text), "blocks": [b.to_dict() for b in blocks],
                "response_type": "in_channel" if self.in_channel else "ephemeral"}
