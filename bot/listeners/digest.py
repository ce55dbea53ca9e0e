"""`/digest`: build the digest after the ack and render it (bot/render/digest.py when present)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from sqlmodel import Session

from bot.ids import ActionId
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    context,
    header,
    pack_lines,
    plain,
)
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text
from tracker.dates import Period, format_date
from tracker.digest import Digest, build_digest, reason_label
from tracker.labels import line_label, rag_label


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def digest_message(*, session: Session, period: Period, post: bool, deps: Any,
                   now: datetime) -> Message:
    """The digest of `period`: a preview with a "post in channel" button, or the post itself."""
    lang = deps.lang
    digest = build_digest(session=session, period=period, now=now, tz=deps.settings.tz)
    message = _render(digest, lang)
    if not digest.dossiers and not post:
        text = _t(lang, f"Niets te melden over {period.label(lang)}: de digest is leeg.",
                  f"Nothing to report for {period.label(lang)}: the digest is empty.")
        return Message(text, [context(text)])
    if post:
        if not digest.dossiers:
            text = _t(lang, "Een lege digest wordt niet geplaatst.", "An empty digest is not posted.")
            return Message(text, [context(text)])
        return Message(message.text, message.blocks, in_channel=True)
    button = ActionsBlock(elements=[ButtonElement(
        text=plain(_t(lang, "Plaats in kanaal", "Post in channel"), MAX_BUTTON_TEXT),
        action_id=ActionId.DIGEST_POST.value, style="primary",
        value=json.dumps({"period": period.key}))])
    blocks = [*message.blocks[:MAX_MESSAGE_BLOCKS - 1], button]
    return Message(message.text, blocks)


def _render(digest: Digest, lang: str) -> Message:
    try:  # the digest's own Block Kit renderer, written alongside the scheduler's digest post
        from bot.render.digest import render_digest
    except ImportError:
        return render_digest_fallback(digest, lang)
    rendered = render_digest(digest, lang=lang)
    if isinstance(rendered, Message):
        return rendered
    text = getattr(rendered, "text", None) or digest.period.label(lang)
    return Message(text, list(getattr(rendered, "blocks", rendered)))


def render_digest_fallback(digest: Digest, lang: str) -> Message:
    """A compact digest: per line each dossier's status and what changed, with the reason."""
    title = _t(lang, f"Digest {digest.period.label(lang)}", f"Digest {digest.period.label(lang)}")
    lines: list[str] = []
    for line in digest.lines:
        if not line.dossiers:
            continue
        lines.append(f"*{line_label(line.line, lang)}*")
        for d in line.dossiers:
            lines.append(f"• *{d.code}* — {escape_user_text(d.title)}: {rag_label(d.rag, lang)}")
            for item in d.items:
                lines.append(f"    ◦ {format_date(item.at, lang)}: {escape_user_text(item.text)}"
                             f" _({reason_label(item.reason, lang)})_")
    blocks: list[Block] = [header(title)]
    blocks += pack_lines(lines or ["—"], max_blocks=MAX_MESSAGE_BLOCKS - 3, lang=lang)
    return Message(title, blocks)
