"""The Socket Mode end of Slack, for tests: a WebSocket server on 127.0.0.1.

Slack's Socket Mode: the app calls `apps.connections.open` with its app-level token (the
SlackDouble answers with this server's `ws://` URL), connects, gets a `hello`, then receives
envelopes (`slash_commands`, `interactive`, `events_api`) and acknowledges each with its
`envelope_id` — for slash commands and interactivity the ack may carry the response payload.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class SocketModeDouble:
    """Hands envelopes to the connected app and records its acknowledgements."""

    def __init__(self) -> None:
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Condition()
        self._connection: ServerConnection | None = None
        self._ids = itertools.count(1)
        self.acks: dict[str, dict[str, Any]] = {}
        self.url = ""

    def __enter__(self) -> SocketModeDouble:
        self._server = serve(self._handle, "127.0.0.1", 0)
        host, port = self._server.socket.getsockname()[:2]
        self.url = f"ws://{host}:{port}/link/?ticket=test"
        self._thread = threading.Thread(target=self._server.serve_forever, name="socket-double",
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _handle(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "connection_info": {"app_id": "A0LOBBY"},
                                    "debug_info": {"host": "socket-double"}}))
        with self._lock:
            self._connection = connection
            self._lock.notify_all()
        try:
            for message in connection:
                ack = json.loads(message)
                with self._lock:
                    self.acks[str(ack.get("envelope_id"))] = ack
                    self._lock.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                if self._connection is connection:
                    self._connection = None

    def wait_connected(self, timeout: float = 10.0) -> bool:
        """True once an app is connected."""
        with self._lock:
            return self._lock.wait_for(lambda: self._connection is not None, timeout)

    def send(self, kind: str, payload: dict[str, Any], *,
             accepts_response_payload: bool = True) -> str:
        """Deliver one envelope to the connected app; returns its envelope_id."""
        envelope_id = f"env-{next(self._ids)}"
        with self._lock:
            connection = self._connection
        if connection is None:
            raise RuntimeError("no app connected")
        connection.send(json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": accepts_response_payload,
                                    "retry_attempt": 0, "retry_reason": ""}))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of `envelope_id` (TimeoutError when none comes)."""
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in self.acks, timeout):
                raise TimeoutError(f"no ack for {envelope_id}")
            return self.acks[envelope_id]
