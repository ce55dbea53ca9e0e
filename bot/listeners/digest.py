"""`/digest`: the digest is built after the ack (it may take a while) and shown as a preview
with a "post in channel" button, or posted in the channel with bot.digest_post."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from sqlmodel import Session

from bot.ids import ActionId
from bot.render.digest import render_digest
from bot.render.limits import MAX_BUTTON_TEXT, MAX_MESSAGE_BLOCKS, context, plain
from bot.render.message import Message
from tracker.dates import Period
from tracker.db import session_scope
from tracker.digest import Digest, build_digest


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def make_digest(*, session: Session, period: Period, deps: Any, now: datetime) -> Digest:
    """The digest of `period` as of `now`."""
    return build_digest(session=session, period=period, now=now, tz=deps.settings.tz)


def empty_message(digest: Digest, lang: str) -> Message:
    """What an empty digest says (it is never posted)."""
    label = digest.period.label(lang)
    text = _t(lang, f"Niets te melden over {label}: de rapportage is leeg en wordt niet geplaatst.",
              f"Nothing to report for {label}: the digest is empty and is not posted.")
    return Message(text, [context(text)])


def preview_message(digest: Digest, lang: str) -> Message:
    """The digest's first message, a note when it continues, and the "post in channel" button."""
    if digest.is_empty:
        return empty_message(digest, lang)
    pages = render_digest(digest, lang=lang)
    blocks: list[Block] = list(pages[0].blocks[:MAX_MESSAGE_BLOCKS - 2])
    if len(pages) > 1:
        blocks = [b for b in blocks if b.type != "context" or b is not pages[0].blocks[-1]]
        blocks.append(context(_t(lang, f"Voorbeeld van bericht 1 van {len(pages)}; de rest komt "
                                       "in de draad.",
                                 f"Preview of message 1 of {len(pages)}; the rest goes in the "
                                 "thread.")))
    blocks.append(ActionsBlock(elements=[ButtonElement(
        text=plain(_t(lang, "Plaats in kanaal", "Post in channel"), MAX_BUTTON_TEXT),
        action_id=ActionId.DIGEST_POST.value, style="primary",
        value=json.dumps({"period": digest.period.key}))]))
    return Message(pages[0].text, blocks)


def deliver_digest(item: dict[str, Any], *, deps: Any, client: WebClient,
                   respond: Respond) -> None:
    """Build the digest; preview it to the asker, or post it in the channel for everyone."""
    from bot.digest_post import CanvasStore, post_digest
    from bot.render.results import render_notice
    from tracker.errors import LobbyError

    lang = deps.lang
    try:
        with session_scope(deps.engine) as session:
            digest = make_digest(session=session, period=item["period"], deps=deps,
                                 now=deps.clock())
    except LobbyError as exc:  # a period that has not begun: say so, post nothing
        respond(**render_notice(":information_source: " + exc.message(lang)).payload(),
                replace_original=False)
        return
    if item.get("format"):
        send_report(digest, item["format"], user=item.get("user"), client=client,
                    respond=respond, lang=lang)
        return
    if not item["post"]:
        respond(**preview_message(digest, lang).payload(), replace_original=False)
        return
    if digest.is_empty:
        respond(**empty_message(digest, lang).payload(), replace_original=False)
        return
    post_digest(client, item["channel"], digest, lang=lang, tz=deps.settings.tz,
                canvases=CanvasStore(deps.engine, deps.clock), admins=deps.settings.admins)


def send_report(digest: Digest, fmt: str, *, user: str | None, client: WebClient,
                respond: Respond, lang: str) -> None:
    """The council-ready report as a file in a direct message to `user` (files_upload_v2),
    and an ephemeral note with its link."""
    from tracker.digest.outline import report_title
    from tracker.digest.report import render_report, report_filename

    if digest.is_empty:
        respond(**empty_message(digest, lang).payload(), replace_original=False)
        return
    data = render_report(digest, fmt, lang)
    title = report_title(digest, lang)
    dm = str(client.conversations_open(users=user)["channel"]["id"])
    upload = client.files_upload_v2(
        channel=dm, content=data, filename=report_filename(digest, fmt, lang), title=title,
        initial_comment=_t(lang, f"{title} ({fmt.upper()})", f"{title} ({fmt.upper()})"))
    files = upload.get("files") or [upload.get("file") or {}]
    link = files[0].get("permalink") if files else None
    text = _t(lang, f"Het rapport staat in uw privébericht: <{link}|{title}>" if link
              else "Het rapport staat in uw privébericht.",
              f"The report is in your direct messages: <{link}|{title}>" if link
              else "The report is in your direct messages.")
    respond(**Message(text, [context(text)]).payload(), replace_original=False)
