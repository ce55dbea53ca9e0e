"""Timing helpers and the result row every measurement reports."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Row:
    """One line of the results table."""

    name: str
    median_ms: float | None = None
    p99_ms: float | None = None
    target: str = ""
    ok: bool | None = None        # None: no target to meet
    floor_ms: float | None = None  # the same measure for the bare baseline, where there is one
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Median over the floor's median."""
        if self.median_ms is None or not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the ratio."""
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_calls(fn: Callable[[], Any], *, runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds for each of `runs` calls of fn, after `warmup` calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summarise(samples: list[float]) -> tuple[float, float]:
    """(median, p99) in ms."""
    return statistics.median(samples), percentile(samples, 99)
