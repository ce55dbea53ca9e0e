"""HTTP load against the real `lobby serve` (bot.http_server: waitress, tuned) on SQLite and on
PostgreSQL: concurrent keep-alive clients sending signed slash commands for 30 s (quick: 3 s);
throughput, p50/p99 latency and errors — beside the floor measured in the same run (bench.floor:
a bare Bolt app that only acks, the same server, settings and load generator), and again with
500 idle connections held open. Goals: ≥ 0.5× the floor's throughput on SQLite, ≥ 0.35× on
PostgreSQL, p99 ≤ 50 ms, 0 errors. PostgreSQL is skipped, with a note, when unreachable."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.context import Context
from bench.data import build_large_dataset
from bench.measures.dispatch import USER, numbered
from bench.serve import floor_serve, lobby_serve
from bench.timing import Row, percentile
from tests.signing import command_body, sign
from tests.slack_double import SlackDouble
from tracker.db import make_engine
from tracker.migrate import upgrade

PG_ADMIN_URL = os.environ.get("LOBBY_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CLIENTS = 8
MAX_REQUESTS_PER_CLIENT = 200_000
# Mostly reads; one in ten adds a deadline (which also refreshes the App Home after the ack),
# each a new one (`numbered`: a number of its own, spread over dossiers and days, as a team's
# adds are), so it is not refused as "bestaat al".
MIX = (("/dossier", "show D0005"), ("/dossier", "list"), ("/deadline", "list"),
       ("/dossier", "show D0050"), ("/deadline", "list D0007 60d"), ("/dossier", "list rood"),
       ("/dossier", "show D0077"), ("/deadline", "list"), ("/lobby", "help"),
       ("/deadline", "add D{dossier:04d} over {days} dagen | Overleg bench {n}"))


def _client(port: int, response_url: str, until: float, latencies: list[float],
            errors: list[str], offset: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for i in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= until:
                return
            command, words = MIX[(i + offset) % len(MIX)]
            words = numbered(words)
            body = command_body(command, words, user=USER, response_url=response_url)
            start = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body=body.encode(), headers={
                    "Content-Type": "application/x-www-form-urlencoded", **sign(body)})
                answer = conn.getresponse()
                payload = answer.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            if answer.status != 200:
                errors.append(f"HTTP {answer.status}")
            elif b"fout-id" in payload or b"error id" in payload or b"bestaat al" in payload:
                errors.append(json.loads(payload).get("text", "")[:200])
    finally:
        conn.close()


IDLE = 500  # the second row: this many idle connections held open during the load


def _drive(port: int, response_url: str, seconds: float, idle: int = 0
           ) -> tuple[list[float], list[str], float]:
    """CLIENTS keep-alive clients for `seconds` (with `idle` idle sockets open meanwhile)."""
    held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(idle)]
    try:
        time.sleep(0.5 if idle else 0)  # let the server take them all in first
        latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
        errors: list[list[str]] = [[] for _ in range(CLIENTS)]
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=_client, args=(port, response_url, until,
                                                          latencies[i], errors[i], i))
                   for i in range(CLIENTS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)
        elapsed = time.perf_counter() - start
    finally:
        for sock in held:
            sock.close()
    samples = [x for part in latencies for x in part]
    problems = [x for part in errors for x in part]
    if not samples:
        raise RuntimeError(f"no request answered: {problems[:3]}")
    return samples, problems, elapsed


def _row(label: str, measured: tuple[list[float], list[str], float], seconds: float,
         floor: tuple[list[float], list[str], float] | None, idle: int, ratio_goal: float | None
         ) -> Row:
    samples, problems, elapsed = measured
    rate = len(samples) / elapsed
    p99 = percentile(samples, 99)
    extra: dict[str, object] = {"throughput_rps": rate, "requests": len(samples),
                                "errors": len(problems), "clients": CLIENTS,
                                "seconds": seconds, "idle_connections": idle}
    note = f"{rate:,.0f} req/s, {len(samples):,} requests, {len(problems)} errors"
    ok = not problems
    target = "0 errors"
    floor_ms = None
    if floor is not None:
        floor_rate = len(floor[0]) / floor[2]
        ratio = rate / floor_rate
        floor_ms = percentile(floor[0], 50)
        extra.update(floor_rps=floor_rate, throughput_ratio=ratio)
        note += f"; floor {floor_rate:,.0f} req/s → {ratio:.2f}× the floor's throughput"
        if ratio_goal is not None:
            target = f"≥ {ratio_goal:g}× floor, p99 ≤ 50 ms, 0 errors"
            ok = ok and ratio >= ratio_goal and p99 <= 50
    if problems:
        note += f" (first: {problems[0]})"
    return Row(f"http {label}: {CLIENTS} clients, {seconds:g} s"
               + (f", {idle} idle connections" if idle else ""),
               percentile(samples, 50), p99, target=target, ok=ok, floor_ms=floor_ms,
               note=note, extra=extra)


def load(ctx: Context, database_url: str, label: str,
         floors: dict[int, tuple[list[float], list[str], float]],
         ratio_goal: float | None = None) -> list[Row]:
    seconds = 3.0 if ctx.quick else 30.0
    rows = []
    with SlackDouble() as double, lobby_serve(ctx, database_url=database_url,
                                              slack_api_url=double.url, token=double.token,
                                              name=label) as (_, port):
        response_url = double.response_url()
        for idle in (0, IDLE):
            rows.append(_row(label, _drive(port, response_url, seconds, idle), seconds,
                             floors.get(idle), idle, ratio_goal))
    return rows


def floor_rows(ctx: Context) -> tuple[list[Row], dict[int, tuple[list[float], list[str], float]]]:
    """The bare-Bolt floor on the same server, settings and load generator, with and without
    idle connections."""
    seconds = 3.0 if ctx.quick else 30.0
    floors = {}
    rows = []
    with SlackDouble() as double, floor_serve(ctx, slack_api_url=double.url,
                                              token=double.token) as (_, port):
        for idle in (0, IDLE):
            floors[idle] = _drive(port, "http://127.0.0.1:9/unused", seconds, idle)
            rows.append(_row("floor (bare Bolt, ack only)", floors[idle], seconds, None, idle,
                             None))
    return rows, floors


def _postgres_database(ctx: Context) -> tuple[str, str] | None:
    """(admin URL, URL) of a new throw-away database with the large dataset, or None."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    name = f"lobby_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        return None
    finally:
        admin.dispose()
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return PG_ADMIN_URL, url


def _drop(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def run(ctx: Context) -> list[Row]:
    # `lobby serve` reads the real clock, so its dataset lies around today (as the dispatch
    # measure's lies around its pinned instant): not three years past every deadline in it.
    today = datetime.now(UTC)
    rows, floors = floor_rows(ctx)
    rows += load(ctx, ctx.large_sqlite(now=today), "SQLite", floors, ratio_goal=0.5)
    created = _postgres_database(ctx)
    if created is None:
        rows.append(Row("http PostgreSQL", None, None,
                        note=f"skipped: PostgreSQL not reachable at {PG_ADMIN_URL}"))
        return rows
    admin_url, url = created
    try:
        engine = make_engine(url)
        try:
            upgrade(engine)
            sizes = ({"dossiers": 100, "deadlines": 2000, "events": 2000} if ctx.quick
                     else ctx.sizes)
            build_large_dataset(engine, **sizes, now=today, show_progress=not ctx.quick)
        finally:
            engine.dispose()
        rows += load(ctx, url, "PostgreSQL", floors, ratio_goal=0.35)
    finally:
        _drop(admin_url, url)
    return rows
