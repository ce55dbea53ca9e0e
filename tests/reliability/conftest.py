"""Helpers for the reliability tests: the signed-request fixtures of tests/bot (imported, not
copied), a database snapshot, a check that nothing Python-internal reaches a user, and a way
to wait for the app's after-ack work."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine
from sqlmodel import Session

# The app, its settings and the team: the same fixtures as tests/bot uses.
from tests.bot.conftest import app, bot_settings, interact, slash, team  # noqa: F401
from tests.slack_double import SlackDouble
from tracker.transfer import export_json

# What must never reach a user unless the user typed it: tracebacks, reprs, driver errors.
LEAKS = [
    re.compile(p) for p in (
        r"Traceback", r'File "', r"line \d+, in ", r"object at 0x[0-9a-f]+", r"<class '",
        r"\b[A-Z]\w*(?:Error|Exception)\b", r"NoneType", r"sqlalchemy", r"psycopg",
        r"sqlite3", r"\(Background on this error", r"\bSELECT\b.*\bFROM\b", r"\bINSERT INTO\b",
        r"site-packages", r"\bbot\.\w+\.\w+", r"\btracker\.\w+",
        # str() of a dict, a list or a string with unprintable characters
        r"\{'", r"\['", r"', '", r"\\x[0-9a-f]{2}", r"\\U[0-9a-f]{8}",
    )
]


def leaks(shown: str, typed: str = "") -> list[str]:
    """The internals `shown` to a user gives away (matches also found in `typed` excepted)."""
    found = []
    for pattern in LEAKS:
        for match in pattern.finditer(shown):
            if match.group(0) not in typed:
                found.append(match.group(0))
    return found


def snapshot(engine: Engine) -> str:
    """Every record of every table (the lossless JSON export)."""
    with Session(engine) as session:
        return export_json(session)


def seen_by_users(double: SlackDouble, *, since: int = 0) -> list[str]:
    """Everything the Slack double shows a user: posts, ephemerals, response_url messages, views;
    from the `since`-th recorded call on."""
    with double._lock:
        calls = list(double.calls[since:])
    def opaque(value: Any) -> str:  # uploaded files (the digest chart) are not text
        return "<binary>" if isinstance(value, bytes | bytearray) else str(value)

    return [json.dumps(call.params, ensure_ascii=False, default=opaque) for call in calls]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("unexpected error"):
            self.found.append(f"{record.getMessage()}: {record.exc_info and record.exc_info[1]!r}")


@contextlib.contextmanager
def unexpected_errors() -> Iterator[list[str]]:
    """Collect the "unexpected error" reports of bot.app.handle_error (a generic apology)."""
    handler = _Collect()
    logger = logging.getLogger("lobbytracker.slack")
    logger.addHandler(handler)
    try:
        yield handler.found
    finally:
        logger.removeHandler(handler)


class DrainableExecutor(ThreadPoolExecutor):
    """The app's listener executor, with a way to wait until all submitted work is done."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="lobby-test-lazy")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def drain(self, timeout: float = 15.0) -> None:
        """Wait for everything submitted so far (lazy work may submit more: loop, bounded)."""
        for _ in range(10):
            with self._lock:
                pending, self._futures = self._futures, []
            if not pending:
                return
            for future in pending:
                future.result(timeout=timeout)


@pytest.fixture
def drain(app: App) -> Iterator[DrainableExecutor]:  # noqa: F811
    """Swap the app's executor for one the test can wait on."""
    executor = DrainableExecutor()
    runner = app.listener_runner
    original = runner.listener_executor
    runner.listener_executor = executor
    runner.lazy_listener_runner.executor = executor  # type: ignore[attr-defined]
    deps = app.lobby_deps  # type: ignore[attr-defined]
    pools = deps.outbox_pool, deps.digest_pool
    deps.outbox_pool = deps.digest_pool = executor
    yield executor
    deps.outbox_pool, deps.digest_pool = pools
    executor.shutdown(wait=True)
    runner.listener_executor = original
    runner.lazy_listener_runner.executor = original  # type: ignore[attr-defined]
