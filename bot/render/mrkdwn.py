"""Make text users typed safe to post: it shows as typed and never pings anyone."""

from __future__ import annotations

import re

from tracker.text import safe_inline

ZWJ = "\u200d"  # zero-width joiner: "@\u200dchannel" looks like @channel but pings nobody

# Slack's escaped references as they arrive from slash commands (should_escape: true).
_USER_REF = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL_REF = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
_SUBTEAM_REF = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|@?([^>]*))?>")
_SPECIAL_REF = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>", re.IGNORECASE)
_LINK_REF = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>")
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
# mrkdwn has no escape character: the markers of bold, italic, strike and code in user text
# become look-alikes that Slack does not read as markup (as jsx-slack's <Escape> does).
_MARKUP = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def escape_user_text(s: str | None) -> str:
    """User text for mrkdwn, the one place every renderer (fallback text included) uses:
    one line, no invisible or bidi characters, &, < and > escaped, * _ ~ ` shown as
    look-alikes, broadcasts and mentions neutralised.

    `<!channel>`, `<!here>`, `<!everyone>`, `@channel`, `@here`, `@everyone` become
    "@\u200dchannel" etc.; a mention `<@U123|anna>` becomes plain "@anna", a channel
    reference "#name", a link its label and address as text.
    """
    return _escape(safe_inline(s), markup=True)


def escape_message(s: str | None) -> str:
    """Our own message that quotes user input (a refusal: "Onbekende rol ‘…’"): its lines and
    its `code` formatting stay, the rest is made safe as in `escape_user_text`."""
    if not s:
        return ""
    lines = [safe_inline(line) for line in s.splitlines()]
    return _escape("\n".join(lines), markup=False)


def _escape(text: str, *, markup: bool) -> str:
    if not text:
        return ""
    # Each step only where its character occurs: most titles hold none of < & > @.
    if "<" in text:
        text = _SPECIAL_REF.sub(lambda m: "@" + m.group(1).lower(), text)
        text = _SUBTEAM_REF.sub(lambda m: "@" + (m.group(1) or "team"), text)
        text = _USER_REF.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
        text = _CHANNEL_REF.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
        text = _LINK_REF.sub(
            lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if markup and ("*" in text or "_" in text or "~" in text or "`" in text):
        text = text.translate(_MARKUP)
    if "@" in text:
        text = _BROADCAST.sub(lambda m: "@" + ZWJ + m.group(1), text)
    return text


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,20}")


def user_ref(user_id: str | None) -> str:
    """A Slack mention of a stored user ID (validated by the services), or "—"."""
    if not user_id or not _USER_ID.fullmatch(user_id):
        return "—"
    return f"<@{user_id}>"


def channel_ref(channel_id: str | None) -> str:
    """A Slack channel link for a stored channel ID, or "—"."""
    if not channel_id or not _CHANNEL_ID.fullmatch(channel_id):
        return "—"
    return f"<#{channel_id}>"


def plain_user_text(s: str | None) -> str:
    """User text for plain_text objects (headers, buttons, options): broadcasts neutralised.

    plain_text shows `&`, `<` and `>` as typed, so only the pings are defused here (and,
    as everywhere, invisible characters removed and line breaks collapsed).
    """
    text = safe_inline(s)
    if not text:
        return ""
    text = _SPECIAL_REF.sub(lambda m: "@" + m.group(1).lower(), text)
    return _BROADCAST.sub(lambda m: "@" + ZWJ + m.group(1), text)
