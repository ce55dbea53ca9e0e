"""The production HTTP server: waitress, tuned for a public endpoint, started and stopped
deterministically (`lobby serve`, the tests and the benchmarks all use `HttpServer`).

Why waitress: pure Python, no C extension, maintained by the Pylons project, already a
dependency, runs on every platform the team uses; its asyncore loop holds idle connections
without a thread each (only requests in progress take one of `threads`), and it refuses a body
whose Content-Length is over `max_request_body_size` with 413 after reading the headers only.
The settings below are the ones the README's deployment section and its nginx block match.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("lobbytracker.serve")

# Slack's largest request is an interaction payload carrying a view (views are at most 250 kB
# of JSON, Slack's `view_too_large`) or a message (40,000 characters of text, 50 blocks),
# form-encoded (`payload=` + percent-encoding, up to 3× the JSON). 1 MiB holds any of those
# with room to spare; anything larger is not from Slack and is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 32 * 1024  # Slack's headers are under 2 kB; waitress's default is 256 kB

SERVER_SETTINGS: dict[str, Any] = {
    # Idle keep-alive connections cost a socket, not a thread: 1,000 open at once still leave
    # room for /healthz and Slack (waitress's default of 100 was reached by 110 idle sockets).
    "connection_limit": 1000,
    "backlog": 1024,
    # A connection that sent nothing for 30 s is closed (default 120 s); Slack opens a new one.
    "channel_timeout": 30,
    "cleanup_interval": 5,
    "max_request_body_size": MAX_BODY_BYTES,
    "max_request_header_size": MAX_HEADER_BYTES,
    # poll(2), not select(2): select cannot watch file descriptors above 1024.
    "asyncore_use_poll": True,
    # Four worker threads (waitress's default) on SQLite as on PostgreSQL. One thread would
    # do 20 % more requests a second on SQLite (every SQLite call hands Python's lock to the
    # next thread; bench `--only http`), but then a request waiting up to 5 s for SQLite's
    # write lock holds /healthz and every read behind it, where WAL lets them through. The
    # floor loses as much from threads: the ratio to it is the same (0.21× with 1, 2 or 4).
    "threads": 4,
    "ident": "lobbytracker",
    # Behind a proxy the client address comes from X-Forwarded-For; nothing here reads it.
    "clear_untrusted_proxy_headers": True,
}

WsgiApp = Callable[..., Iterable[bytes]]
QUEUE_LOG_SECONDS = 60.0


class QueueDepthLog(logging.Filter):
    """waitress warns "Task queue depth is N" for every request that waits for a thread: under
    load that is a log line per request (and their cost). One line a minute, with the deepest
    queue seen, says the same."""

    def __init__(self, every: float = QUEUE_LOG_SECONDS) -> None:
        super().__init__()
        self.every = every
        self.next_at = 0.0
        self.deepest = 0
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        depth = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        with self.lock:
            self.deepest = max(self.deepest, depth if isinstance(depth, int) else 0)
            now = time.monotonic()
            if now < self.next_at:
                return False
            self.next_at = now + self.every
            record.msg, record.args = (
                "requests waiting for a worker thread: queue depth up to %d (shown at most "
                "once a minute)", (self.deepest,))
            self.deepest = 0
            return True


def _quiet_queue_log() -> None:
    queue_log = logging.getLogger("waitress.queue")
    if not any(isinstance(f, QueueDepthLog) for f in queue_log.filters):
        queue_log.addFilter(QueueDepthLog())


class HttpServer:
    """waitress on (host, port), its loop in one thread that also closes every socket it owns,
    so stopping never races a poll on a closed descriptor (EBADF)."""

    def __init__(self, wsgi: WsgiApp, *, host: str = "127.0.0.1", port: int = 0,
                 **overrides: Any) -> None:
        from waitress.server import create_server

        _quiet_queue_log()
        self.server = create_server(wsgi, host=host, port=port,
                                    **{**SERVER_SETTINGS, **overrides})
        self.port = int(self.server.effective_port)  # type: ignore[union-attr]
        self.stop_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self._map: dict[int, Any] = self.server._map  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open_connections(self) -> int:
        """How many client connections the server holds open right now."""
        from waitress.channel import HTTPChannel

        return sum(isinstance(c, HTTPChannel) for c in list(self._map.values()))

    def serve(self, drain_seconds: float = 10.0) -> None:
        """Loop until `stop()`; then stop accepting, answer the requests in flight (bounded),
        and close every connection and worker thread."""
        try:
            while not self.stop_requested.is_set():
                self._loop(1.0)
            self._drain(drain_seconds)
        finally:
            self._close_all()

    def start(self) -> HttpServer:
        """Serve in a background thread (tests, benchmarks)."""
        self._thread = threading.Thread(target=self.serve, name=f"http-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop_when(self, event: threading.Event) -> None:
        """Stop as soon as `event` is set (the signal handler of `lobby serve` sets it)."""
        def watch() -> None:
            event.wait()
            self._wake()
        threading.Thread(target=watch, name="http-stop", daemon=True).start()

    def _wake(self) -> None:
        self.stop_requested.set()
        with contextlib.suppress(OSError):  # already closed: the loop has ended
            self.server.pull_trigger()  # type: ignore[union-attr]

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the loop to end, wake it, and wait for its thread."""
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError("the HTTP server thread did not stop")
            self._thread = None

    def __enter__(self) -> HttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self, timeout: float) -> None:
        server: Any = self.server
        server.asyncore.loop(timeout=timeout, map=self._map, use_poll=True, count=1)

    def _busy(self) -> bool:
        from waitress.channel import HTTPChannel

        dispatcher = self.server.task_dispatcher  # type: ignore[union-attr]
        channels = [c for c in list(self._map.values()) if isinstance(c, HTTPChannel)]
        return any(c.requests or c.total_outbufs_len for c in channels) or bool(
            dispatcher.queue or dispatcher.active_count)

    def _drain(self, seconds: float) -> None:
        import time

        server: Any = self.server
        if server.accepting:
            server.accepting = False
            server.del_channel()
            server.socket.close()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self._busy():
                return
            self._loop(0.05)
        log.warning("shutdown: requests still in flight after %.0f s", seconds)

    def _close_all(self) -> None:
        from waitress.channel import HTTPChannel

        server: Any = self.server
        for channel in [c for c in list(self._map.values()) if isinstance(c, HTTPChannel)]:
            with contextlib.suppress(OSError):
                channel.close()
        server.task_dispatcher.shutdown(timeout=5)
        with contextlib.suppress(OSError):
            server.close()
