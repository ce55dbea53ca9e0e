"""Run the real `lobby serve` (waitress, HTTP mode) as a subprocess on 127.0.0.1 for the
benchmarks; always stopped (SIGTERM, then SIGKILL) when the block ends."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.context import Context
from tests.serve_log import port_from_log
from tests.signing import SECRET

START_TIMEOUT = 60.0  # seconds for /healthz to answer 200
STOP_TIMEOUT = 10.0


def _healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


@contextmanager
def floor_serve(ctx: Context, *, slack_api_url: str, token: str
                ) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """The bench floor (bench.floor: bare Bolt, same server and settings) on a port of its
    choosing (read from its log)."""
    log = Path(ctx.workdir) / "serve-floor.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bench.floor", "0"],
                                env=ctx.env(SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN=token,
                                            SLACK_API_URL=slack_api_url), stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            port = port_from_log(log, proc, START_TIMEOUT)
            _wait_healthy(proc, port, log)
            yield proc, port
        finally:
            stop(proc)


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not _healthy(port):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not healthy within {START_TIMEOUT:g} s")
        time.sleep(0.1)


@contextmanager
def lobby_serve(ctx: Context, *, database_url: str, slack_api_url: str, token: str,
                name: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`lobby serve --no-scheduler` on a port of its choosing (PORT=0, read from its log);
    yields (process, port) once healthy."""
    log = Path(ctx.workdir) / f"serve-{name}.log"
    env = ctx.env(DATABASE_URL=database_url, SLACK_BOT_TOKEN=token,
                  SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack_api_url, PORT="0",
                  LOBBY_ADMINS="U0BENCHED")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker.cli", "serve", "--no-scheduler", "--host", "127.0.0.1"],
            env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            port = port_from_log(log, proc, START_TIMEOUT)
            _wait_healthy(proc, port, log)
            yield proc, port
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it does not end in time."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")
