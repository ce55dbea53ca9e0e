"""The Bolt app: `create_app(settings, engine=…)` builds it; nothing is created at import time.

Execution mode — why `process_before_response=True` (HTTP and Socket Mode alike):
Bolt's default runner starts the listener in a thread and polls every 10 ms for `ack()`,
which puts a 10 ms floor under every request and makes tests racy. Our listeners answer
from the database in a few milliseconds, so we run them inline and put the reply in the
acknowledgement itself (slash commands reply in the HTTP response body, no Web API call):
deterministic, low latency, and the ack carries the answer well within Slack's 3 s.
Anything that talks to Slack or may be slow (views.open, response_url replies, App Home
refreshes, building and posting a digest) goes into `context["outbox"]` and is handed to a
small worker pool (`send_outbox`) once the request's transaction has committed, so it never
reads stale data; the App Home refresh after a change waits until the user's burst of
changes is over (`bot.debounce`), so a row of clicks builds the tab once, not per click. Not Bolt's lazy listeners: those deep-copy the whole request and start a
thread for every request, also when there is nothing to send (about 1 ms a command).

Unit of work: the global middleware opens one session per request (`context["session"]`);
`bot.unit_of_work.transactional` commits or rolls it back around each listener.

One error path: `handle_error` turns domain errors into short replies in LOBBY_LANGUAGE
(ephemeral reply for commands, `response_action: errors` for modals, an ephemeral
response_url message for buttons), a database that is locked or down into "De database is
even niet bereikbaar; er is niets gewijzigd. Probeer het over een minuut opnieuw.", and
anything unexpected into a one-line apology with an error id; tracebacks go to the log only.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy.engine import Engine

from bot import idempotency
from bot.debounce import Debouncer
from bot.signature import RequestSigning
from bot.unit_of_work import Committed, RequestSession, rollback, send_outbox
from tracker.app import utc_now
from tracker.errors import LobbyError
from tracker.settings import Settings

log = logging.getLogger("lobbytracker.slack")


class _TokenFromEnvironmentFilter(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when a client is given; we
    always give one (with our base URL and retry handlers), so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


log.addFilter(_TokenFromEnvironmentFilter())

Clock = Callable[[], datetime]
DIGEST_WORKERS = 2
# After a change the user's App Home is republished once their burst of changes is over:
# a second of quiet, and at most ten seconds after the first change (bot.debounce).
HOME_REFRESH_DELAY = 1.0
HOME_REFRESH_MAX_WAIT = 10.0


@dataclass
class Deps:
    """What every listener needs besides the request: settings, the engine and the clock.

    Shared, not copied, into lazy listeners (Bolt deep-copies the context for them).
    """

    settings: Settings
    engine: Engine
    clock: Clock = utc_now
    seen_events: OrderedDict[str, None] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Replies, forms and Home refreshes go out one after the other, in the order the requests
    # came (a double click's two answers must not swap); digests take seconds and get their own.
    outbox_pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="lobby-outbox"))
    digest_pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        max_workers=DIGEST_WORKERS, thread_name_prefix="lobby-digest"))
    pending: list[Future[Any]] = field(default_factory=list)
    home_refresh: Debouncer | None = None  # set by create_app: it needs the Web API client

    def __deepcopy__(self, memo: dict[int, Any]) -> Deps:
        return self

    @property
    def lang(self) -> str:
        return self.settings.lobby_language

    def submit(self, pool: Any, *args: Any, **kwargs: Any) -> None:
        """Queue after-ack work, remembering it so `drain` can wait for it."""
        future = pool.submit(*args, **kwargs)
        with self.lock:
            self.pending = [f for f in self.pending if not f.done()] + [future]

    def drain(self, timeout: float = 60.0) -> None:
        """Wait until all queued after-ack work has run (tests, benches, shutdown), including
        the App Home refreshes still waiting for their burst to end."""
        if self.home_refresh is not None:
            self.home_refresh.flush(timeout)
        while True:
            with self.lock:
                pending, self.pending = self.pending, []
            if not pending:
                return
            for future in pending:
                future.result(timeout=timeout)

    def close(self, timeout: float = 60.0) -> None:
        """Finish the after-ack work, then stop the worker threads (shutdown, tests): nothing
        keeps running once this returns."""
        drained = False
        try:
            self.drain(timeout)
            drained = True
        finally:
            # A Slack call that hangs past `timeout` must not keep the process from stopping.
            for pool in (self.outbox_pool, self.digest_pool):
                pool.shutdown(wait=drained, cancel_futures=not drained)

    def first_delivery(self, event_id: str) -> bool:
        """True the first time this process sees `event_id` (Slack retries an event up to 3x)."""
        with self.lock:
            if event_id in self.seen_events:
                return False
            self.seen_events[event_id] = None
            while len(self.seen_events) > 5000:
                self.seen_events.popitem(last=False)
            return True


def make_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """A WebClient on SLACK_API_URL (when set) that retries connection errors, 429 and 5xx."""
    kwargs: dict[str, Any] = {}
    if settings.slack_api_url:
        url = settings.slack_api_url
        kwargs["base_url"] = url if url.endswith("/") else url + "/"
    client = WebClient(token=token or settings.slack_bot_token, **kwargs)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


class LobbyApp(App):
    """Bolt's App, refusing a request whose payload has a shape Bolt cannot read (400)."""

    lobby_deps: Deps  # set by create_app: tests and benches drain its outbox
    lobby_signing: RequestSigning | None = None  # None: requests are not verified (console)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Check the signature (before anything reads the body), the payload's shape, then
        let Bolt dispatch it."""
        from bot.payloads import malformed, not_ours

        if self.lobby_signing is not None:
            refusal = self.lobby_signing.refusal(req)
            if refusal is not None:
                self.lobby_signing.log_refusal(req, refusal)
                return BoltResponse(status=401, body={"error": "invalid request"})
        problem = malformed(req.body)
        if problem is not None:
            log.info("malformed request refused: %s", problem)
            return BoltResponse(status=400, body="")
        if not_ours(req.body):
            log.info("request of unhandled type %r ignored", str(req.body.get("type"))[:40])
            return BoltResponse(status=404, body="")
        return super().dispatch(req)


def create_app(settings: Settings, *, engine: Engine, client: WebClient | None = None,
               clock: Clock = utc_now, verify_requests: bool = True) -> App:
    """The Bolt app with its middleware, error handler and every listener registered."""
    from bot.listeners import register_listeners

    deps = Deps(settings, engine, clock)
    client = client or make_client(settings)
    app = LobbyApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        # Checked by LobbyApp.dispatch (bot.signature): Bolt's own check logs refused bodies.
        request_verification_enabled=False,
        # auth.test at start-up would make the app unusable offline (console, tests of the
        # error paths); `lobby doctor` and `lobby serve` check the token explicitly.
        token_verification_enabled=False,
        logger=log,
    )
    app.lobby_deps = deps
    if verify_requests:
        app.lobby_signing = RequestSigning(settings.slack_signing_secret or "")
    deps.home_refresh = Debouncer(functools.partial(_publish_home, deps, client),
                                  delay=HOME_REFRESH_DELAY, max_wait=HOME_REFRESH_MAX_WAIT)
    app.use(_request_scope(deps))
    app.error(handle_error)
    register_listeners(app)
    return app


def _request_scope(deps: Deps) -> Callable[..., Any]:
    def request_scope(context: BoltContext, request: BoltRequest, body: dict[str, Any],
                      next: Callable[[], None]) -> BoltResponse | None:
        """Open the request's DB session and put it in context["session"].

        Bolt for Python runs listeners after the whole middleware chain (`next()` only sets a
        flag), so the commit/rollback cannot live here: `transactional` does it around each
        listener, before the acknowledgement leaves and before any lazy work starts.
        """
        if body.get("type") == "event_callback" and body.get("event_id"):
            retried = bool(request.headers.get("x-slack-retry-num"))
            if not deps.first_delivery(str(body["event_id"])) and retried:
                return BoltResponse(status=200, body="")  # a retry of what we already did
        context["deps"] = deps
        session = RequestSession(deps.engine, expire_on_commit=False)
        # A replay is found when it first writes (its claim collides): reads cost nothing.
        idempotency.attach(session, idempotency.claims_for(request, body))
        context["session"] = session
        context["now"] = deps.clock()
        context["committed"] = Committed()
        context["outbox"] = []
        next()
        return None
    return request_scope


def _publish_home(deps: Deps, client: WebClient, user_id: str) -> None:
    """Queue the republishing of `user_id`'s App Home (the debounced refresh's action)."""
    from bot.listeners.outbox import deliver

    deps.submit(deps.outbox_pool, deliver, [{"op": "publish_home", "user": user_id}],
                deps=deps, client=client, respond=None)


def database_unavailable(error: BaseException) -> bool:
    """True when `error` means the database could not be reached or was busy (locked, down,
    connection lost, pool exhausted) — not a bug, and nothing was written."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


DATABASE_UNAVAILABLE = {
    "nl": "De database is even niet bereikbaar; er is niets gewijzigd. "
          "Probeer het over een minuut opnieuw.",
    "en": "The database cannot be reached right now; nothing was changed. "
          "Please try again in a minute.",
}


def error_reply_text(error: BaseException, lang: str) -> tuple[str, str | None]:
    """The user-facing message for `error`, and an error id when it was unexpected."""
    if isinstance(error, LobbyError):
        return error.message(lang), None
    if database_unavailable(error):
        return DATABASE_UNAVAILABLE["en" if lang == "en" else "nl"], None
    error_id = uuid.uuid4().hex[:8]
    text = (f"Sorry, something went wrong on our side (error id {error_id}). Please try again."
            if lang == "en" else
            f"Sorry, er ging bij ons iets mis (fout-id {error_id}). Probeer het later opnieuw.")
    return text, error_id


def handle_error(error: Exception, body: dict[str, Any], context: BoltContext,
                 logger: logging.Logger) -> BoltResponse | None:
    """The one error path: a friendly reply, nothing changed, no traceback in Slack."""
    from bot.render.results import render_error

    context["failed"] = True
    rollback(context.get("session"))
    deps: Deps | None = context.get("deps")
    lang = deps.lang if deps else "nl"
    text, error_id = error_reply_text(error, lang)
    if error_id is not None:
        logger.error("unexpected error %s while handling %s", error_id, _describe(body),
                     exc_info=error)
    elif database_unavailable(error):
        logger.warning("database unavailable while handling %s: %s", _describe(body),
                       str(error).splitlines()[0][:300])
    else:
        logger.info("refused %s: %s", _describe(body), type(error).__name__)
    kind = body.get("type")
    if kind == "view_submission":
        block = context.get("error_block") or "_"
        return BoltResponse(status=200, headers={"content-type": "application/json"},
                            body=json.dumps({"response_action": "errors",
                                             "errors": {block: text[:1900]}}))
    message = render_error(text)
    if kind == "block_actions" or kind == "view_closed":
        context["outbox"] = [{"op": "respond", "payload": {**message.payload(),
                                                           "replace_original": False}}]
        send_outbox(context)
        return BoltResponse(status=200, body="")
    if body.get("command"):
        context["outbox"] = []
        return BoltResponse(status=200, headers={"content-type": "application/json"},
                            body=json.dumps(message.payload()))
    return BoltResponse(status=200, body="")


def _describe(body: dict[str, Any]) -> str:
    """What the request was, without any user text or secret: for the log."""
    if body.get("command"):
        return f"command {body['command']}"
    kind = body.get("type", "?")
    if kind == "block_actions":
        ids = [a.get("action_id") for a in body.get("actions", [])]
        return f"block_actions {ids}"
    if kind in ("view_submission", "view_closed"):
        return f"{kind} {body.get('view', {}).get('callback_id')}"
    if kind == "event_callback":
        return f"event {body.get('event', {}).get('type')}"
    return str(kind)
