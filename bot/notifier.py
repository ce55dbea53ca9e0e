"""The scheduler's Slack notifier: renders an item, posts it paced per channel, and tells the
scheduler (tracker.scheduling) what went wrong in its own Slack-free terms.

- About one message a second per channel: each channel has its own next-allowed time, so a
  busy or rate-limited channel never slows the others (the tick runs a worker per channel).
- HTTP 429: the channel waits `Retry-After`; TransientError(retry_after) lets the tick decide
  whether to wait in this tick or leave the row for a later one. 5xx, `ok: false` server
  errors and timeouts: TransientError. channel_not_found, not_in_channel, is_archived, …:
  PermanentError (recorded as failed; the admins get one DM).
- Every post carries message metadata {"event_type": "lobby_delivery", "event_payload":
  {"key": …}}, so after a crash `find_posted` can tell from the channel's history whether the
  post went out. A bundle (several reminders in one message) carries {"keys": […]} of the
  items that message shows, and {"thread": true} on its first message when it continues in
  the thread, so `find_posted` looks there too.
- A channel that is a user id (`U…`: a member who chose `/lobby voorkeur dm`) is their DM
  with the bot, opened once with conversations.open.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.render.message import Message
from bot.render.reminders import (
    render_agenda,
    render_bundle,
    render_cleanup,
    render_overdue,
    render_reminder,
)
from tracker.scheduling.confirm import ConfirmRound
from tracker.scheduling.items import (
    EVENT_TYPE,
    Agenda,
    Cleanup,
    DigestItem,
    Item,
    Overdue,
    PartlyPosted,
    PermanentError,
    PostResult,
    Reminder,
    TransientError,
)
from tracker.settings import Settings

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "account_inactive",
    "restricted_action", "restricted_action_read_only_channel", "ekm_access_denied",
    "team_access_not_granted", "invalid_blocks", "msg_too_long", "no_text",
    "invalid_metadata_format", "user_not_found", "cannot_dm_bot", "user_disabled",
})
MIN_INTERVAL = 1.1  # seconds between two posts in one channel (Slack: about one a second)
HISTORY_PAGE = 200
HISTORY_LIMIT = 1000  # messages looked through for a key after a crash
TIMEOUT = 15  # seconds per HTTP request


def render_item(item: Item, lang: str = "nl") -> list[Message]:
    """The Slack message(s) for a scheduled item: the first in the channel, the rest in its thread."""
    if isinstance(item, Reminder):
        return [render_reminder(item, lang=lang)]
    if isinstance(item, Overdue):
        return [render_overdue(item, lang=lang)]
    if isinstance(item, Agenda):
        return [render_agenda(item, lang=lang)]
    if isinstance(item, Cleanup):
        return [render_cleanup(item, lang=lang)]
    if isinstance(item, DigestItem):
        from bot.render.digest import render_digest

        return [Message(m.text, list(m.blocks)) for m in render_digest(item.digest, lang)]
    if isinstance(item, ConfirmRound):
        from bot.render.confirm import render_confirm

        return [render_confirm(item, lang=lang)]
    if item.kind == "kamer":  # tracker.kamer.deliver.KamerItem
        from bot.render.kamer import render_kamer_notice

        return [render_kamer_notice(item, lang=lang)]  # type: ignore[arg-type]
    raise TypeError(f"no renderer for {type(item).__name__}")


class SlackNotifier:
    """Posts scheduled items with a WebClient; safe to share between channel workers."""

    parallel = True

    def __init__(self, client: WebClient, *, lang: str = "nl", min_interval: float = MIN_INTERVAL,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.lang = lang
        self.canvases: Any = None  # bot.digest_post.CanvasStore: half-year digests as canvases
        self.admins: frozenset[str] = frozenset()
        self.min_interval = min_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._dms: dict[str, str] = {}  # user id → their DM channel with the bot

    # -- pacing ---------------------------------------------------------------

    def _pace(self, channel: str) -> None:
        """Wait for the channel's turn and book the next one."""
        with self._lock:
            now = self._monotonic()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self.min_interval
        if slot > now:
            self._sleep(slot - now)

    def _hold(self, channel: str, seconds: float) -> None:
        """After a 429: nothing to this channel for `seconds`."""
        with self._lock:
            self._next[channel] = max(self._next.get(channel, 0.0), self._monotonic() + seconds)

    # -- the Notifier protocol ------------------------------------------------

    def _where(self, channel: str) -> str:
        """The channel to post in: a user id (`U…`, `W…`) is their DM with the bot."""
        if channel[:1] not in ("U", "W"):
            return channel
        with self._lock:
            known = self._dms.get(channel)
        if known is None:
            opened = self._call(channel, lambda: self.client.conversations_open(users=channel))
            known = str(opened["channel"]["id"])
            with self._lock:
                self._dms[channel] = known
        return known

    def post_bundle(self, channel: str, items: list[Item], *,
                    keep_going: Callable[[], bool] | None = None) -> list[PostResult]:
        """Post several reminders and nudges as one message (continued in its thread), each
        message tagged with the keys it shows; one result per item, in `items` order.
        `keep_going` is asked before each thread reply: False (a shutdown) leaves the rest to
        the next tick (PartlyPosted)."""
        rendered = render_bundle(items, lang=self.lang)  # type: ignore[arg-type]
        where = self._where(channel)
        results: list[PostResult | None] = [None] * len(items)
        ts: str | None = None
        posted_in = where
        for number, (message, shown) in enumerate(rendered):
            if ts is not None and keep_going is not None and not keep_going():
                raise PartlyPosted({items[i].key: r for i, r in enumerate(results)
                                    if r is not None},
                                   TransientError("stopped before the rest of the bundle "
                                                  "(shutdown); the next tick posts it"))
            payload = message.payload()
            event_payload: dict[str, Any] = {"keys": [items[i].key for i in shown]}
            if number == 0 and len(rendered) > 1:
                event_payload["thread"] = True
            metadata = {"event_type": EVENT_TYPE, "event_payload": event_payload}
            self._pace(where)
            try:
                thread = {"thread_ts": ts} if ts else {}
                response = self._call(where, lambda p=payload, m=metadata, c=posted_in, t=thread: (
                    self.client.chat_postMessage(
                        channel=c, text=p["text"], blocks=p["blocks"], metadata=m,
                        unfurl_links=False, unfurl_media=False, **t)))
            except (TransientError, PermanentError) as exc:
                if ts is None:
                    raise
                raise PartlyPosted({items[i].key: r for i, r in enumerate(results)
                                    if r is not None}, exc) from exc
            message_ts = str(response["ts"])
            if ts is None:
                ts, posted_in = message_ts, str(response.get("channel") or where)
            for i in shown:
                results[i] = PostResult(ts=message_ts)
        return [r if r is not None else PostResult(ts=ts) for r in results]

    def post(self, channel: str, item: Item) -> PostResult:
        """Post `item` (a digest's further pages as thread replies), tagged with its key."""
        channel = self._where(channel)
        messages = render_item(item, self.lang)
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"key": item.key}}
        first = messages[0].payload()
        self._pace(channel)
        response = self._call(channel, lambda: self.client.chat_postMessage(
            channel=channel, text=first["text"], blocks=first["blocks"], metadata=metadata,
            unfurl_links=False, unfurl_media=False))
        ts = str(response["ts"])
        posted_in = str(response.get("channel") or channel)
        for message in messages[1:]:
            payload = message.payload()
            self._pace(channel)
            try:
                self._call(channel, lambda p=payload: self.client.chat_postMessage(
                    channel=posted_in, thread_ts=ts, text=p["text"], blocks=p["blocks"]))
            except (TransientError, PermanentError) as exc:
                # The first message is out (and recorded as sent); a missing reply is logged.
                log.warning("digest %s: a thread reply failed: %s", item.key, exc)
        if isinstance(item, DigestItem):
            self._canvas(channel, posted_in, ts, messages[0], item)
            self._chart(channel, posted_in, ts, item)
        return PostResult(ts=ts)

    def _canvas(self, channel: str, posted_in: str, ts: str, first: Message,
                item: DigestItem) -> None:
        """The half-year report as the channel's canvas, linked from the first message; a
        failure is logged, never retried (the digest itself is out and recorded)."""
        if self.canvases is None:
            return
        from bot.digest_post import link_canvas

        try:
            link_canvas(self.client, posted_in, ts, first, item.digest, store=self.canvases,
                        lang=self.lang, admins=self.admins)
        except Exception as exc:  # the database or Slack: the digest is out all the same
            log.warning("digest %s: the canvas failed: %s", item.key, exc)

    def _chart(self, channel: str, posted_in: str, ts: str, item: DigestItem) -> None:
        """The half-year digest's chart, in its thread; a failed upload is logged, not retried
        (the digest itself is out and recorded)."""
        from bot.digest_post import upload_chart

        self._pace(channel)
        try:
            self._call(channel, lambda: upload_chart(self.client, posted_in, ts, item.digest,
                                                     lang=self.lang))
        except (TransientError, PermanentError) as exc:
            log.warning("digest %s: the chart upload failed: %s", item.key, exc)

    def find_posted(self, channel: str, key: str) -> str | None:
        """The ts of the message tagged `key` among the channel's last 1000 (and the threads
        of bundles continued there), else None."""
        channel = self._where(channel)
        cursor: str | None = None
        seen = 0
        while seen < HISTORY_LIMIT:
            response = self._call(channel, lambda c=cursor: self.client.conversations_history(
                channel=channel, limit=HISTORY_PAGE, include_all_metadata=True, cursor=c))
            messages = response.get("messages") or []
            for message in messages:
                payload = _payload(message)
                if payload is None:
                    continue
                if _tagged(payload, key):
                    return str(message["ts"])
                if payload.get("thread") and (found := self._in_thread(channel, message, key)):
                    return found
            seen += len(messages)
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None
        return None

    def _in_thread(self, channel: str, parent: dict[str, Any], key: str) -> str | None:
        """The ts of the reply tagged `key` in a bundle's thread, else None."""
        response = self._call(channel, lambda: self.client.conversations_replies(
            channel=channel, ts=str(parent["ts"]), limit=HISTORY_PAGE, include_all_metadata=True))
        for reply in response.get("messages") or []:
            payload = _payload(reply)
            if payload is not None and reply.get("ts") != parent["ts"] and _tagged(payload, key):
                return str(reply["ts"])
        return None

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """A direct message to each admin (conversations.open + chat.postMessage)."""
        told = 0
        for admin in sorted(admins):
            try:
                opened = self._call(admin, lambda a=admin: self.client.conversations_open(users=a))
                dm = str(opened["channel"]["id"])
                self._pace(dm)
                self._call(dm, lambda d=dm: self.client.chat_postMessage(
                    channel=d, text=text, unfurl_links=False))
                told += 1
            except (TransientError, PermanentError) as exc:
                log.warning("could not DM admin %s: %s", admin, exc)
        return told

    # -- errors ---------------------------------------------------------------

    def _call(self, channel: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except SlackApiError as exc:
            raise self._translate(channel, exc) from exc
        except (SlackClientError, OSError) as exc:  # timeouts, refused connections, …
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc

    def _translate(self, channel: str, exc: SlackApiError) -> Exception:
        response = exc.response
        status = getattr(response, "status_code", 200)
        error = str((response.data if isinstance(response.data, dict) else {}).get("error")
                    or f"http_{status}")
        if status == 429:
            headers = {k.lower(): v for k, v in (response.headers or {}).items()}
            value = headers.get("retry-after")
            retry_after = float(value[0] if isinstance(value, list) else value or 1)
            self._hold(channel, retry_after)
            return TransientError(f"ratelimited (Retry-After {retry_after:g}s)", retry_after)
        if status >= 500:
            return TransientError(f"HTTP {status}: {error}")
        if error in PERMANENT_ERRORS:
            return PermanentError(error)
        return TransientError(error)


def _payload(message: dict[str, Any]) -> dict[str, Any] | None:
    """The event payload of a message this scheduler posted, else None."""
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    payload = metadata.get("event_payload")
    return payload if isinstance(payload, dict) else None


def _tagged(payload: dict[str, Any], key: str) -> bool:
    """True when a message's payload names `key` (a single item, or one line of a bundle)."""
    keys = payload.get("keys")
    return payload.get("key") == key or (isinstance(keys, list) and key in keys)


def make_client(settings: Settings) -> WebClient:
    """A WebClient on SLACK_API_URL without automatic retries: the scheduler decides itself."""
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token, "timeout": TIMEOUT}
    if settings.slack_api_url:
        url = settings.slack_api_url
        kwargs["base_url"] = url if url.endswith("/") else url + "/"
    client = WebClient(**kwargs)
    client.retry_handlers = []
    return client


def from_settings(settings: Settings) -> SlackNotifier:
    """The `lobbytracker.notifier` entry point `slack`: a notifier with the bot token."""
    if not settings.slack_bot_token:
        from tracker.cli import UsageError

        raise UsageError("SLACK_BOT_TOKEN ontbreekt / is missing: `lobby remind` needs it to post "
                         "(or use --dry-run)")
    notifier = SlackNotifier(make_client(settings), lang=settings.lobby_language)
    from bot.digest_post import CanvasStore
    from tracker.db import make_engine

    notifier.canvases = CanvasStore(make_engine(settings.database_url))
    notifier.admins = settings.admins
    return notifier
