"""`Debouncer`: one call per key after a burst of requests for that key.

The App Home is republished after each change a user makes. Ten changes in a few seconds
(a row of buttons, a script, an import through the bot) would otherwise build the Home tab
ten times and call `views.publish` ten times, where Slack allows about a hundred a minute
and the user sees only the last one. A burst becomes one refresh, shortly after it ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("lobbytracker.slack")


class Debouncer:
    """Calls `action(key)` `delay` seconds after the last `touch(key)`, and no later than
    `max_wait` after the burst's first touch (someone who keeps changing things still sees
    them).

    A thread waits for the next due key while any key is pending and ends when none is, so an
    idle app holds no thread. `flush` runs everything pending at once (drain, shutdown). The
    action should be quick (hand the work to a pool): it runs on that thread.
    """

    def __init__(self, action: Callable[[str], None], *, delay: float, max_wait: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 <= delay <= max_wait:
            raise ValueError("need 0 ≤ delay ≤ max_wait")
        self._action = action
        self.delay, self.max_wait, self._clock = delay, max_wait, clock
        self._pending: dict[str, tuple[float, float]] = {}  # key → (first touch, due)
        self._busy = 0  # actions taken from _pending and not finished yet
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def touch(self, key: str) -> None:
        """Ask for `action(key)`: after `delay` of quiet, or `max_wait` after the first ask."""
        with self._cond:
            now = self._clock()
            first = self._pending[key][0] if key in self._pending else now
            self._pending[key] = (first, min(now + self.delay, first + self.max_wait))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lobby-debounce",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        """How many keys wait for their call."""
        with self._cond:
            return len(self._pending)

    def flush(self, timeout: float = 60.0) -> None:
        """Call the action for every pending key now; wait for calls already under way."""
        with self._cond:
            keys = list(self._pending)
            self._pending.clear()
            self._cond.notify_all()
        self._call(keys)
        with self._cond:
            self._cond.wait_for(lambda: self._busy == 0, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                due = self._take_due()
                while not due:
                    if not self._pending:
                        self._thread = None
                        return
                    soonest = min(at for _, at in self._pending.values())
                    self._cond.wait(max(soonest - self._clock(), 0.001))
                    due = self._take_due()
                self._busy += 1
            try:
                self._call(due)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _take_due(self) -> list[str]:
        """The keys whose time has come, taken out of `_pending` (called holding the lock)."""
        now = self._clock()
        due = [key for key, (_, at) in self._pending.items() if at <= now]
        for key in due:
            del self._pending[key]
        return due

    def _call(self, keys: list[str]) -> None:
        for key in keys:
            try:
                self._action(key)
            except Exception:
                log.exception("debounced call for %s failed", key)
