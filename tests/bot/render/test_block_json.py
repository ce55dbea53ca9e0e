"""`block_json` gives exactly slack_sdk's `to_dict()`, for every kind of object the bot uses
and for the corner cases of slack_sdk's own serialiser."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RichTextBlock,
    RichTextSectionElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.render.message import Message, block_json

OPTIONS = [Option(value="red", text="🔴 rood"), Option(value="amber", text="oranje")]
BLOCKS = [
    HeaderBlock(text="N35 Wijthmen–Nijverdal"),
    SectionBlock(text=MarkdownTextObject(text="*Status:* rood"), fields=[]),  # empty: left out
    SectionBlock(text="x", accessory=ButtonElement(text="Dossier", action_id="a", value="1")),
    DividerBlock(),
    ContextBlock(elements=[MarkdownTextObject(text="bijgewerkt"), PlainTextObject(text="vr")]),
    ActionsBlock(elements=[ButtonElement(text="Afgerond", action_id="done", value="{}",
                                         style="primary")]),
    InputBlock(label="Status", block_id="rag", optional=False,
               element=StaticSelectElement(action_id="rag", options=OPTIONS,
                                           initial_option=OPTIONS[0])),
    InputBlock(label="Datum", element=DatePickerElement(action_id="d", initial_date="2023-11-17")),
    InputBlock(label="Reden", element=PlainTextInputElement(action_id="r", multiline=True,
                                                            max_length=2000)),
    RichTextBlock(elements=[RichTextSectionElement(elements=[])]),  # empty allowed: kept
]


def test_each_block_gives_to_dict() -> None:
    for block in BLOCKS:
        assert block_json(block) == block.to_dict(), type(block).__name__


def test_a_view_and_lists_and_plain_values() -> None:
    view = View(type="modal", callback_id="x", title="Nieuw dossier", submit="Opslaan",
                blocks=BLOCKS[6:9], private_metadata="{}")
    assert block_json(view) == view.to_dict()
    assert block_json(BLOCKS[:3]) == [b.to_dict() for b in BLOCKS[:3]]
    assert block_json({"already": "json"}) == {"already": "json"}
    assert block_json("tekst") == "tekst"


def test_message_payload_uses_it() -> None:
    payload = Message("N35", BLOCKS[:4]).payload()
    assert payload["blocks"] == [b.to_dict() for b in BLOCKS[:4]]
    assert payload["response_type"] == "ephemeral"
