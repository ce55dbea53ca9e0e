"""The public HTTP endpoint under attack, over real sockets on 127.0.0.1 (bounded loops):

- 500 idle connections leave /healthz and signed commands answering (p99 < 100 ms), and so
  does a change waiting for SQLite's write lock;
- a body larger than Slack sends is refused with 413 before it is read (by Content-Length, and
  a chunked one once it passes the limit);
- unsigned, forged and stale requests are logged as one line with size and reason, never the
  body; no response_url, token or signature reaches any log line (the filter `lobby serve`
  installs, and the log of a real `lobby serve` after a hostile session).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bot import logsafe
from bot.http_server import MAX_BODY_BYTES, HttpServer
from bot.server import make_wsgi_app
from tests.reliability.test_processes import serve  # noqa: F401  (the `lobby serve` fixture)
from tests.signing import command_body, sign
from tests.slack_double import SlackDouble
from tracker.db import is_sqlite
from tracker.settings import Settings

HOOK = "https://hooks.slack.com/commands/T0LOBBY/1234567890/s3cr3tHookPart"


@pytest.fixture
def served(app: App, bot_settings: Settings, engine: Engine) -> Iterator[HttpServer]:
    with HttpServer(make_wsgi_app(app, settings=bot_settings, engine=engine)) as srv:
        yield srv


def _request(port: int, method: str, path: str, body: bytes = b"",
             headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read(), (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.99 + 0.5) - 1)]


@pytest.mark.slow
@pytest.mark.latency
def test_500_idle_connections_do_not_stop_healthz_or_signed_commands(
        served: HttpServer, team: Session, slack_double: SlackDouble) -> None:
    idle: list[socket.socket] = []
    try:
        for i in range(500):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=5)
            if i % 2:  # half of them start a request and never finish it
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            idle.append(sock)
        # The flood is in (accepted, held open) before the measurement starts; bounded wait.
        deadline = time.monotonic() + 20
        while served.open_connections() < 500 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert served.open_connections() >= 500
        # Warm: the first command opens the database pool's connection (not the flood's cost).
        warm = command_body("/dossier", "toon N35", response_url=slack_double.response_url())
        assert _request(served.port, "POST", "/slack/events", warm.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **sign(warm)})[0] == 200
        latencies: list[float] = []
        for i in range(200):  # p99 of 200: two slow answers (a busy shared machine) allowed
            if i % 3:
                status, body, took = _request(served.port, "GET", "/healthz")
                assert (status, body) == (200, b"ok\n")
            else:
                text = command_body("/dossier", "toon N35",
                                    response_url=slack_double.response_url())
                status, body, took = _request(served.port, "POST", "/slack/events",
                                              text.encode(), {
                    "Content-Type": "application/x-www-form-urlencoded", **sign(text)})
                assert status == 200, body
                assert b"N35 Wijthmen" in body
            latencies.append(took)
        assert _p99(latencies) < 100, sorted(latencies)[-5:]
    finally:
        for sock in idle:
            sock.close()


def test_a_body_larger_than_slack_sends_is_refused_before_it_is_read(served: HttpServer) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 26214400\r\n\r\n")  # 25 MB announced, none of it sent
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_chunked_body_is_cut_off_at_the_limit(served: HttpServer) -> None:
    chunk = b"a" * 65536
    refused = b""
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        with contextlib.suppress(OSError):  # the server may close while we still send
            for _ in range(4 * MAX_BODY_BYTES // len(chunk)):  # bounded: 4× the limit
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        with contextlib.suppress(OSError):
            refused = sock.recv(4096)
    assert refused.startswith(b"HTTP/1.1 413"), refused[:200]


def test_a_body_just_under_the_limit_is_read_and_checked(served: HttpServer) -> None:
    body = urlencode({"command": "/dossier", "text": "x" * (MAX_BODY_BYTES - 100)})[
        :MAX_BODY_BYTES - 10].encode()
    status, _, _ = _request(served.port, "POST", "/slack/events", body,
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401  # read, and refused for its missing signature (not for its size)


@pytest.mark.parametrize("how", ["forged", "stale", "missing", "big"])
def test_refused_requests_are_logged_as_one_line_without_the_body(
        served: HttpServer, how: str, caplog: pytest.LogCaptureFixture) -> None:
    text = "status N35 rood\nINFO lobbytracker.slack: Actie vereist: log in op evil.example"
    body = command_body("/dossier", text + (" x" * 200_000 if how == "big" else ""),
                        response_url=HOOK)
    headers = {"forged": sign(body, secret="wrong"),
               "stale": sign(body, timestamp=int(time.time()) - 6 * 60),
               "missing": {}, "big": sign(body, secret="wrong")}[how]
    caplog.set_level(logging.DEBUG)
    status, _, _ = _request(served.port, "POST", "/slack/events", body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded", **headers})
    assert status == 401
    lines = [r.getMessage() for r in caplog.records]
    refusals = [line for line in lines if line.startswith("unsigned request refused")]
    assert refusals == [f"unsigned request refused: {len(body)} bytes, " + {
        "forged": "bad signature", "stale": "stale timestamp (replay window is 5 minutes)",
        "missing": "not signed", "big": "bad signature"}[how]]
    everything = "\n".join(lines)
    for secret in ("s3cr3tHookPart", "hooks.slack.com", "response_url", "Actie vereist",
                   headers.get("x-slack-signature", "v0=")):
        assert secret not in everything


def test_the_log_filter_removes_secrets_and_keeps_records_on_one_line() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "body: %s; client %r", (
        f"token=legacy&response_url={HOOK.replace(':', '%3A').replace('/', '%2F')}&text=a\nFAKE",
        {"token": "xoxb-123-456-abc", "response_url": HOOK, "sig": "v0=" + "ab12" * 16}), None)
    try:
        raise RuntimeError(f"posting to {HOOK} with xapp-1-A0-secret failed")
    except RuntimeError:
        import sys
        record.exc_info = sys.exc_info()
    assert logsafe.RedactSecrets().filter(record)
    message = record.getMessage()
    assert "\n" not in message
    assert "FAKE" in message  # kept, but on the same line: it cannot pass for a record
    for secret in ("s3cr3tHookPart", "hooks.slack.com", "xoxb-", "legacy", "ab12ab12",
                   "xapp-1"):
        assert secret not in message
        assert secret not in (record.exc_text or "")
    assert "posting to" in (record.exc_text or "")


@pytest.mark.slow
def test_lobby_serve_logs_no_secret_after_a_hostile_session(
        serve: tuple[subprocess.Popen[bytes], str], slack_double: SlackDouble,  # noqa: F811
        tmp_path: Path) -> None:
    process, base = serve
    port = int(base.rsplit(":", 1)[1])
    body = command_body("/dossier", "status N35 rood\nFAKE log line", response_url=HOOK)
    for headers in (sign(body, secret="wrong"), sign(body, timestamp=int(time.time()) - 600),
                    {}):
        status, _, _ = _request(port, "POST", "/slack/events", body.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **headers})
        assert status == 401
    status, _, _ = _request(port, "POST", "/calendar.ics?token=guessed-token", b"")
    good = command_body("/dossier", "toon N35", response_url=slack_double.response_url())
    status, answer, _ = _request(port, "POST", "/slack/events", good.encode(), {
        "Content-Type": "application/x-www-form-urlencoded", **sign(good)})
    assert status == 200, answer
    process.terminate()
    process.wait(timeout=15)
    log = (tmp_path / "serve.log").read_text()
    assert log.count("unsigned request refused") == 3, log
    for secret in ("s3cr3tHookPart", "hooks.slack.com", "FAKE", slack_double.token, "v0=",
                   "guessed-token", "test-signing-secret"):
        assert secret not in log, secret


def test_a_queue_of_waiting_requests_is_one_log_line_a_minute_not_one_per_request(
        caplog: pytest.LogCaptureFixture) -> None:
    from bot.http_server import QueueDepthLog

    queue_log = logging.getLogger("waitress.queue")
    installed = list(queue_log.filters)  # a server started by another test put its own there
    for earlier in installed:
        queue_log.removeFilter(earlier)
    quiet = QueueDepthLog(every=60.0)
    queue_log.addFilter(quiet)
    try:
        with caplog.at_level(logging.WARNING, logger="waitress.queue"):
            for depth in (1, 2, 7, 3, 1):  # waitress's own call, once per queued request
                queue_log.warning("Task queue depth is %d", depth)
            first = [r.getMessage() for r in caplog.records if r.name == "waitress.queue"]
            assert len(first) == 1
            assert "queue depth up to 1" in first[0]
            quiet.next_at = 0.0  # a minute later: the deepest queue since the last line
            queue_log.warning("Task queue depth is %d", 2)
        lines = [r.getMessage() for r in caplog.records if r.name == "waitress.queue"]
        assert len(lines) == 2
        assert "queue depth up to 7" in lines[1]
    finally:
        queue_log.removeFilter(quiet)
        for earlier in installed:
            queue_log.addFilter(earlier)


def test_the_server_quiets_waitress_queue_warnings(served: HttpServer) -> None:
    from bot.http_server import QueueDepthLog

    assert any(isinstance(f, QueueDepthLog) for f in logging.getLogger("waitress.queue").filters)


def test_a_change_waiting_for_the_sqlite_write_lock_holds_up_neither_healthz_nor_reads(
        team: Session, served: HttpServer, engine: Engine, slack_double: SlackDouble) -> None:
    """Another process holds SQLite's write lock (an import, a migration): a change waits for
    it (up to the 5 s busy timeout) on one worker thread while /healthz and a read go on, as
    WAL allows. With one worker thread both waited behind the change (4.7 s: past Slack's 3 s
    and a probe's timeout)."""
    if not is_sqlite(str(engine.url)):
        pytest.skip("SQLite's write lock; PostgreSQL locks rows")
    holder = sqlite3.connect(str(make_url(str(engine.url)).database), isolation_level=None,
                             timeout=1)
    holder.execute("BEGIN IMMEDIATE")
    answers: list[tuple[int, bytes, float]] = []
    change = command_body("/dossier", "status N35 groen Alles weer op schema",
                          response_url=slack_double.response_url("change"))
    writer = threading.Thread(target=lambda: answers.append(_request(
        served.port, "POST", "/slack/events", change.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **sign(change)})))
    try:
        writer.start()
        time.sleep(0.5)  # the change is in progress, waiting for the lock
        read = command_body("/dossier", "toon N35", response_url=slack_double.response_url("r"))
        status, body, took_ms = _request(served.port, "POST", "/slack/events", read.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", **sign(read)})
        assert status == 200 and b"N35" in body and took_ms < 1000, (status, took_ms)
        status, _, took_ms = _request(served.port, "GET", "/healthz")
        assert status == 200 and took_ms < 1000, (status, took_ms)
        assert writer.is_alive() and not answers  # the change still waits: the lock is held
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    writer.join(timeout=15)
    assert answers and answers[0][0] == 200  # and went through once the lock was free
    assert b"groen" in answers[0][1].lower()
