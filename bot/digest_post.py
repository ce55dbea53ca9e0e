"""Post a digest in Slack: the report published as a canvas in the channel (edited in place when
the period is posted again), the first message in the channel linking it, the rest as thread
replies, the chart uploaded into the thread. Used by the half-year job, `/digest post` and
`lobby digest --post`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject

from bot.render.canvas import canvas_title, render_canvas
from bot.render.digest import DigestMessage, render_digest
from bot.render.limits import MAX_MESSAGE_BLOCKS
from tracker.digest.model import Digest
from tracker.digest.words import digest_title

log = logging.getLogger(__name__)

# Slack's answers that mean "no canvases here" (plan, scope, token, workspace setting), as
# documented for canvases.create/edit and the Web API in general: the digest still goes out.
CANVAS_UNAVAILABLE = frozenset({
    "missing_scope", "not_allowed_token_type", "canvas_disabled_user_team",
    "free_teams_cannot_create_non_tabbed_canvases", "free_teams_cannot_create_non_tiny_canvases",
    "free_teams_cannot_edit_standalone_canvases", "team_tier_cannot_create_channel_canvases",
    "restricted_action", "access_denied", "no_permission", "ekm_access_denied",
    "not_allowed", "feature_not_enabled", "team_access_not_granted",
})
WHY = {
    "missing_scope": ("de app mist de toestemming canvases:write; installeer de app opnieuw "
                      "vanuit manifest.yaml", "the app lacks the canvases:write scope; reinstall "
                      "it from manifest.yaml"),
    "not_allowed_token_type": ("de bot-token mag geen canvassen maken",
                               "the bot token may not create canvases"),
    "canvas_disabled_user_team": ("canvassen staan uit in deze werkruimte",
                                  "canvases are switched off in this workspace"),
}


@dataclass
class CanvasStore:
    """Where the canvas ids live: the database, through tracker.services.canvases."""

    engine: Any
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def get(self, period: str, channel: str) -> str | None:
        from tracker.db import session_scope
        from tracker.services.canvases import canvas_for

        with session_scope(self.engine) as session:
            return canvas_for(session=session, period=period, channel=channel)

    def put(self, period: str, channel: str, canvas_id: str) -> None:
        from tracker.db import session_scope
        from tracker.services.canvases import remember_canvas

        with session_scope(self.engine) as session:
            remember_canvas(session=session, now=self.clock(), period=period, channel=channel,
                            canvas_id=canvas_id)

    def unavailable(self, period: str, channel: str, error: str) -> bool:
        from tracker.db import session_scope
        from tracker.services.canvases import record_unavailable

        with session_scope(self.engine) as session:
            return record_unavailable(session=session, now=self.clock(), period=period,
                                      channel=channel, error=error)


@dataclass(frozen=True)
class CanvasResult:
    """What became of the canvas: its id and link, or the Slack error why there is none."""

    canvas_id: str | None = None
    url: str | None = None
    error: str | None = None
    created: bool = False


def _error(exc: SlackApiError) -> str:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    return str(data.get("error") or "unknown_error")


def canvas_url(client: WebClient, canvas_id: str) -> str:
    """The canvas's link in the workspace: https://<domain>.slack.com/docs/<team>/<canvas>."""
    auth = client.auth_test()
    base = str(auth.get("url") or "https://slack.com/").rstrip("/")
    return f"{base}/docs/{auth.get('team_id')}/{canvas_id}"


def publish_canvas(client: WebClient, channel_id: str, digest: Digest, *, store: CanvasStore,
                   lang: str = "nl", admins: frozenset[str] = frozenset()) -> CanvasResult:
    """Create the period's canvas in the channel, or replace the content of the one it has.

    A canvas that was deleted in Slack is made anew. Where canvases are unavailable the error
    is recorded and the admins are told once, by DM; any other failure is logged. Never raises
    a Slack error: the digest messages go out regardless."""
    period = digest.period.key
    markdown = {"type": "markdown", "markdown": render_canvas(digest, lang)}
    try:
        canvas_id = store.get(period, channel_id)
        if canvas_id is not None:
            try:
                client.canvases_edit(canvas_id=canvas_id,
                                     changes=[{"operation": "replace", "document_content": markdown}])
                return CanvasResult(canvas_id, canvas_url(client, canvas_id))
            except SlackApiError as exc:
                if _error(exc) != "canvas_not_found":
                    raise
        response = client.canvases_create(title=canvas_title(digest, lang), channel_id=channel_id,
                                          document_content=markdown)
        canvas_id = str(response["canvas_id"])
        store.put(period, channel_id, canvas_id)
        return CanvasResult(canvas_id, canvas_url(client, canvas_id), created=True)
    except SlackApiError as exc:
        error = _error(exc)
        if error not in CANVAS_UNAVAILABLE:
            log.warning("digest %s: the canvas failed: %s", period, error)
            return CanvasResult(error=error)
        if store.unavailable(period, channel_id, error) and admins:
            _tell_admins(client, admins, _unavailable_text(error, lang))
        return CanvasResult(error=error)


def _unavailable_text(error: str, lang: str) -> str:
    nl, en = WHY.get(error, ("Slack staat het niet toe in deze werkruimte (bijvoorbeeld op het "
                             "gratis abonnement)", "Slack does not allow it in this workspace "
                             "(for instance on the free plan)"))
    if lang == "en":
        return (f"The half-year digest is posted as messages, but not as a canvas: {en} "
                f"(Slack: `{error}`). The report is also available as a file: `/digest pdf`.")
    return (f"De halfjaarrapportage is als berichten geplaatst, maar niet als canvas: {nl} "
            f"(Slack: `{error}`). Het rapport is ook als bestand op te vragen: `/digest pdf`.")


def _tell_admins(client: WebClient, admins: frozenset[str], text: str) -> None:
    for admin in sorted(admins):
        try:
            opened = client.conversations_open(users=admin)
            client.chat_postMessage(channel=str(opened["channel"]["id"]), text=text)
        except SlackApiError as exc:
            log.warning("could not tell admin %s why there is no canvas: %s", admin, _error(exc))


def with_canvas_link(message: Any, url: str, title: str, lang: str = "nl") -> DigestMessage:
    """The digest's first message with a line linking the canvas (within the block limit: the
    link joins the message's last context block when the message is full)."""
    label = "The report as a canvas" if lang == "en" else "Het rapport als canvas"
    element = MarkdownTextObject(text=f":page_facing_up: {label}: <{url}|{title}>")
    blocks = list(message.blocks)
    if len(blocks) < MAX_MESSAGE_BLOCKS:
        blocks.insert(min(2, len(blocks)), ContextBlock(elements=[element]))
    else:
        last = next(i for i in range(len(blocks) - 1, -1, -1) if blocks[i].type == "context")
        blocks[last] = ContextBlock(elements=[*blocks[last].elements, element])  # type: ignore[attr-defined]
    return DigestMessage(f"{message.text} · {label}: {url}", blocks)


def post_digest(client: WebClient, channel: str, digest: Digest, *, lang: str = "nl",
                tz: ZoneInfo | None = None, chart: bool = True,
                canvases: CanvasStore | None = None,
                admins: frozenset[str] = frozenset()) -> str:
    """Post `digest` in `channel` and return the `ts` of its first message.

    With a `canvases` store, the report is first published as the channel's canvas of the
    period (see `publish_canvas`) and the first message links it. `tz` is accepted for
    symmetry with the other posters; the digest already carries its local dates. Slack
    errors of the messages propagate (SlackApiError) for the caller to record.
    """
    messages = render_digest(digest, lang)
    first = client.chat_postMessage(channel=channel, **messages[0].payload())
    ts = str(first["ts"])
    channel_id = str(first.get("channel") or channel)
    if canvases is not None:  # after the first post: canvases are kept per channel ID
        link_canvas(client, channel_id, ts, messages[0], digest, store=canvases, lang=lang,
                    admins=admins)
    for message in messages[1:]:
        client.chat_postMessage(channel=channel_id, thread_ts=ts, **message.payload())
    if chart:
        upload_chart(client, channel_id, ts, digest, lang=lang)
    return ts


def link_canvas(client: WebClient, channel_id: str, ts: str, first: Any, digest: Digest,
                *, store: CanvasStore, lang: str = "nl",
                admins: frozenset[str] = frozenset()) -> CanvasResult:
    """Publish the canvas and add its link to the digest's first message (chat.update)."""
    result = publish_canvas(client, channel_id, digest, store=store, lang=lang, admins=admins)
    if result.url:
        linked = with_canvas_link(first, result.url, canvas_title(digest, lang), lang)
        try:
            client.chat_update(channel=channel_id, ts=ts, **linked.payload())
        except SlackApiError as exc:  # the digest is out; only the link is missing
            log.warning("digest %s: linking the canvas failed: %s", digest.period.key, _error(exc))
    return result


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
    store = None
    if getattr(settings, "database_url", None):
        from tracker.db import make_engine

        store = CanvasStore(make_engine(settings.database_url))

    def post(channel: str, digest: Digest, *, chart: bool = True) -> str:
        return post_digest(client, channel, digest, lang=settings.lobby_language,
                           tz=settings.tz, chart=chart, canvases=store,
                           admins=getattr(settings, "admins", frozenset()))

    return post
