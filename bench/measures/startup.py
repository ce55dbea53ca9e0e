"""`lobby --help` start-up time: what a user waits for before any command does anything."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.context import Context
from bench.timing import Row, summarise


def run(ctx: Context) -> list[Row]:
    runs = 3 if ctx.quick else 10
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tracker.cli", "--help"], check=True,
                       capture_output=True, env=ctx.env())
        samples.append((time.perf_counter() - start) * 1000)
    floor = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)
        floor.append((time.perf_counter() - start) * 1000)
    median, p99 = summarise(samples)
    return [Row("lobby --help start-up", median, p99, target="≤ 1000 ms", ok=median <= 1000,
                floor_ms=summarise(floor)[0], note="floor: bare `python -c pass`")]
