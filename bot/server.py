"""HTTP mode: one WSGI app — POST /slack/events (Bolt), GET /healthz, GET /calendar.ics — served
by waitress; and Socket Mode. `serve()` is what `lobby serve` runs."""

from __future__ import annotations

import errno
import hmac
import logging
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tracker.db import session_scope
from tracker.settings import Settings

log = logging.getLogger("lobbytracker.serve")

StartResponse = Callable[..., Any]


def database_ok(engine: Engine) -> bool:
    """True when the database answers `SELECT 1`."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means: not healthy
        log.warning("health check: database not reachable", exc_info=True)
        return False


def calendar_token_ok(settings: Settings, given: str | None) -> bool:
    """The feed is on (LOBBY_CALENDAR_TOKEN set) and `given` matches, compared in constant time."""
    expected = settings.lobby_calendar_token
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler; a body it cannot even parse (not UTF-8, `payload=` that is not
    JSON, fields of the wrong type) is a 400, not an exception and a 500."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            bolt_request = BoltRequest(body=request.get_body(), query=request.query_string,
                                       headers=request.get_headers())
        except Exception as exc:  # whatever the parser chokes on is the sender's fault
            log.info("unreadable request refused: %s", type(exc).__name__)
            return BoltResponse(status=400, body="")
        return self.app.dispatch(bolt_request)


def make_wsgi_app(app: App, *, settings: Settings, engine: Engine) -> Callable[..., Iterable[bytes]]:
    """The WSGI callable for HTTP mode."""
    slack = _SlackHandler(app, path="/slack/events")

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            ok = database_ok(engine)
            body = b"ok\n" if ok else b"database unavailable\n"
            start_response("200 OK" if ok else "503 Service Unavailable",
                           [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body)))])
            return [body]
        if path == "/calendar.ics" and method in ("GET", "HEAD"):
            query = parse_qs(environ.get("QUERY_STRING", ""))
            token = (query.get("token") or [None])[0]
            if not calendar_token_ok(settings, token):
                start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
                return [b"Not Found"]
            from sqlalchemy.exc import SQLAlchemyError

            from tracker.transfer import build_ics

            try:
                with session_scope(engine) as session:
                    body = build_ics(session, only_open=True, tz=settings.tz,
                                     lang=settings.lobby_language)
            except SQLAlchemyError:  # down or locked: say so, and let the client retry later
                log.warning("calendar feed: database not reachable", exc_info=True)
                start_response("503 Service Unavailable",
                               [("Content-Type", "text/plain; charset=utf-8"),
                                ("Retry-After", "60")])
                return [b"database unavailable\n"]
            start_response("200 OK", [("Content-Type", "text/calendar; charset=utf-8"),
                                      ("Content-Length", str(len(body))),
                                      ("Cache-Control", "private, max-age=300")])
            return [body]
        return slack(environ, start_response)

    return wsgi


DRAIN_SECONDS = 10.0  # how long SIGTERM waits for requests in flight to be answered


def missing_settings(settings: Settings) -> tuple[str, list[str]]:
    """The mode `lobby serve` will run in and the settings it lacks (names only)."""
    if settings.slack_app_token:
        needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token,
                  "SLACK_APP_TOKEN": settings.slack_app_token}
        return "socket", [name for name, value in needed.items() if not value]
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token,
              "SLACK_SIGNING_SECRET": settings.slack_signing_secret}
    return "http", [name for name, value in needed.items() if not value]


def serve(settings: Settings, *, scheduler: bool = True, host: str = "0.0.0.0",
          ready: threading.Event | None = None) -> int:
    """Run the Slack app (HTTP or Socket Mode) and, unless told not to, the scheduler."""
    from bot.app import create_app
    from tracker.app import Runtime
    from tracker.cli import UsageError

    mode, missing = missing_settings(settings)
    if missing:
        names = ", ".join(missing)
        raise UsageError(
            f"lobby serve ({mode}-modus) heeft {names} nodig; zet "
            f"{'die' if len(missing) == 1 else 'ze'} in de omgeving of in .env"
            if settings.lobby_language == "nl" else
            f"lobby serve ({mode} mode) needs {names}; set "
            f"{'it' if len(missing) == 1 else 'them'} in the environment or .env")
    runtime = Runtime.open(settings)
    app = create_app(settings, engine=runtime.engine)
    stop = threading.Event()
    background = _start_scheduler(runtime, stop) if scheduler else None

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: shutting down", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if mode == "socket":
            _run_socket_mode(app, settings, ready, stop)
        else:
            _run_http(app, settings, runtime.engine, host, ready, stop)
    finally:
        stop.set()  # also tells a tick in progress to stop after its current post
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if background is not None:
            background.shutdown(wait=True)
        # Slack calls queued after an acknowledgement (response_url replies, forms, digests and
        # the Home refreshes still waiting for a burst to end) finish before the database closes.
        try:
            app.lobby_deps.close(timeout=DRAIN_SECONDS)  # type: ignore[attr-defined]
        except Exception:  # a Slack call that hangs must not keep the process from stopping
            log.warning("shutdown: Slack calls after the ack did not finish", exc_info=True)
        app.listener_runner.listener_executor.shutdown(wait=True)
        runtime.close()
    return 0


def _start_scheduler(runtime: Any, stop: threading.Event) -> Any:
    # The scheduler belongs to tracker/scheduling; it posts through the notifier an adapter
    # installs under the `lobbytracker.notifier` entry point (bot.notifier in production).
    from tracker.scheduling import start_scheduler
    from tracker.scheduling.cli import load_notifier
    from tracker.scheduling.stopping import Stopping

    notifier = load_notifier(runtime.settings, "slack")
    return start_scheduler(runtime, Stopping(notifier, stop))


def _run_http(app: App, settings: Settings, engine: Engine, host: str,
              ready: threading.Event | None, stop: threading.Event) -> None:
    """Serve until `stop`; then stop accepting, answer the requests in flight, and return."""
    from bot.http_server import SERVER_SETTINGS, HttpServer

    try:
        server = HttpServer(make_wsgi_app(app, settings=settings, engine=engine), host=host,
                            port=settings.port)
    except (OSError, ValueError) as exc:  # a port in use or not allowed; not a host's address
        raise _cannot_listen(exc, host, settings) from None
    # The port bound (PORT=0 asks for any free one: tests and benches read it here).
    log.info("HTTP mode on %s:%s (POST /slack/events, GET /healthz), %d worker threads", host,
             server.port, SERVER_SETTINGS["threads"])
    server.stop_when(stop)
    if ready is not None:
        ready.set()
    server.serve(drain_seconds=DRAIN_SECONDS)


def _cannot_listen(exc: OSError | ValueError, host: str, settings: Settings) -> Exception:
    """The one-line settings error (exit 2) for a server that cannot bind host:PORT."""
    from tracker.cli import UsageError

    nl = settings.lobby_language == "nl"
    code = exc.errno if isinstance(exc, OSError) else None
    if code == errno.EADDRINUSE:
        why = ("die poort is al in gebruik; kies een andere PORT of stop wat daar luistert" if nl
               else "that port is already in use; choose another PORT or stop what listens there")
    elif code == errno.EACCES:
        why = ("geen toestemming voor die poort (onder 1024 alleen als root); kies een PORT vanaf "
               "1024" if nl else "no permission for that port (below 1024 only as root); choose "
               "a PORT from 1024")
    elif isinstance(exc, ValueError | socket.gaierror) or code == errno.EADDRNOTAVAIL:
        why = (f"‘{host}’ is geen adres van deze machine; gebruik --host 0.0.0.0 of 127.0.0.1"
               if nl else f"‘{host}’ is not an address of this machine; use --host 0.0.0.0 or "
               "127.0.0.1")
    else:
        why = getattr(exc, "strerror", None) or type(exc).__name__
    return UsageError(f"lobby serve kan niet luisteren op {host}:{settings.port}: {why}" if nl
                      else f"lobby serve cannot listen on {host}:{settings.port}: {why}")


def _run_socket_mode(app: App, settings: Settings, ready: threading.Event | None,
                     stop: threading.Event) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token=settings.slack_app_token)
    handler.connect()
    log.info("Socket Mode connected")
    if ready is not None:
        ready.set()
    try:
        while not stop.wait(0.5):  # until SIGTERM/SIGINT
            pass
    finally:
        handler.close()
