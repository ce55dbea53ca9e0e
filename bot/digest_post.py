"""Post a digest in Slack: the first message in the channel, the rest as thread replies, the
chart uploaded into the thread. Used by the half-year job, `/digest post` and `lobby digest --post`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.render.digest import render_digest
from tracker.digest.model import Digest
from tracker.digest.words import digest_title


def post_digest(client: WebClient, channel: str, digest: Digest, *, lang: str = "nl",
                tz: ZoneInfo | None = None, chart: bool = True) -> str:
    """Post `digest` in `channel` and return the `ts` of its first message.

    `tz` is accepted for symmetry with the other posters; the digest already carries its
    local dates. Slack errors propagate (slack_sdk's SlackApiError) for the caller to record.
    """
    messages = render_digest(digest, lang)
    first = client.chat_postMessage(channel=channel, **messages[0].payload())
    ts = str(first["ts"])
    channel_id = str(first.get("channel") or channel)
    for message in messages[1:]:
        client.chat_postMessage(channel=channel_id, thread_ts=ts, **message.payload())
    if chart:
        upload_chart(client, channel_id, ts, digest, lang=lang)
    return ts


def upload_chart(client: WebClient, channel_id: str, thread_ts: str, digest: Digest, *,
                 lang: str = "nl") -> bool:
    """Upload the digest's chart into the thread of its first message; False when it has none."""
    from tracker.digest.chart import render_chart  # matplotlib only when a chart is wanted

    png = render_chart(digest, lang)
    if png is None:
        return False
    client.files_upload_v2(
        channel=channel_id, thread_ts=thread_ts, content=png,
        filename=f"digest-{digest.period.key}.png", title=digest_title(digest, lang),
        alt_txt=("Indicators per month and budget execution" if lang == "en"
                 else "Indicatoren per maand en begrotingsuitvoering"))
    return True


def from_settings(settings: Any) -> Callable[[str, Digest], str]:
    """The `lobbytracker.poster` entry point: a function posting a digest with the settings'
    bot token, API URL and language (tracker/ never imports Slack itself)."""
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token}
    base_url = getattr(settings, "slack_api_url", None)
    if base_url:
        kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    client = WebClient(**kwargs)

    def post(channel: str, digest: Digest, *, chart: bool = True) -> str:
        return post_digest(client, channel, digest, lang=settings.lobby_language,
                           tz=settings.tz, chart=chart)

    return post
