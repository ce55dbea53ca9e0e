"""The debouncer behind App Home refreshes: one call per burst, never a lost one."""

from __future__ import annotations

import threading
import time

import pytest

from bot.debounce import Debouncer


class Calls:
    """Records the action's calls; `wait` until there are `n`."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.cond = threading.Condition()

    def __call__(self, key: str) -> None:
        with self.cond:
            self.keys.append(key)
            self.cond.notify_all()

    def wait(self, n: int, timeout: float = 5.0) -> list[str]:
        with self.cond:
            self.cond.wait_for(lambda: len(self.keys) >= n, timeout)
            return list(self.keys)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def debounce_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "lobby-debounce"]


def test_a_burst_makes_one_call_per_key_and_flush_makes_it_now() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, delay=60, max_wait=120)
    for key in ("U1", "U2", "U1", "U1", "U2"):
        debouncer.touch(key)
    assert debouncer.pending == 2 and calls.keys == []
    debouncer.flush()
    assert sorted(calls.keys) == ["U1", "U2"]
    assert debouncer.pending == 0
    debouncer.flush()  # nothing pending: nothing called
    assert sorted(calls.keys) == ["U1", "U2"]


def test_the_call_comes_after_the_quiet_delay_and_the_thread_ends() -> None:
    calls = Calls()
    debouncer = Debouncer(calls, delay=0.05, max_wait=1)
    debouncer.touch("U1")
    debouncer.touch("U1")
    assert calls.wait(1) == ["U1"]
    deadline = time.monotonic() + 5
    while debouncer._thread is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert debouncer._thread is None  # idle: no thread left waiting
    time.sleep(0.1)
    assert calls.keys == ["U1"]  # and no second call for the same burst


def test_someone_who_keeps_changing_is_refreshed_within_max_wait() -> None:
    calls = Calls()
    clock = Clock()
    debouncer = Debouncer(calls, delay=5, max_wait=10, clock=clock)
    debouncer.touch("U1")  # t = 0: due at 5
    for _ in range(3):  # t = 3, 6, 9: each touch moves it on, but never past t = 10
        clock.now += 3
        debouncer.touch("U1")
    assert calls.keys == []
    clock.now += 1  # t = 10: the burst's first touch is max_wait ago
    debouncer.touch("U2")  # wakes the waiting thread; U2 is due only at 15
    assert calls.wait(1) == ["U1"]
    assert debouncer.pending == 1
    debouncer.flush()
    assert calls.keys == ["U1", "U2"]


def test_a_failing_call_is_logged_and_the_others_still_run(caplog) -> None:
    calls = Calls()

    def action(key: str) -> None:
        if key == "bad":
            raise RuntimeError("Slack is down")
        calls(key)

    debouncer = Debouncer(action, delay=0.01, max_wait=0.02)
    debouncer.touch("bad")
    debouncer.touch("good")
    assert calls.wait(1) == ["good"]
    debouncer.flush()
    assert "debounced call for bad failed" in caplog.text


def test_delay_longer_than_max_wait_is_refused() -> None:
    with pytest.raises(ValueError, match="max_wait"):
        Debouncer(lambda key: None, delay=2, max_wait=1)
