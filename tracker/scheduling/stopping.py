"""Stopping a tick cleanly (SIGTERM to `lobby remind` or `lobby serve`).

`Stopping` wraps the notifier: once `stop` is set, the post in progress completes and is
recorded as usual, and every further item is refused with a TransientError — so the tick
records it as a retry (its claim released, due again in a minute) instead of holding a claim
until its lease runs out. The next tick, in this process or another, delivers the rest after
a look in the channel's history: nothing lost, nothing twice.
"""

from __future__ import annotations

import inspect
import threading

from tracker.scheduling.items import (
    Item,
    Notifier,
    PartlyPosted,
    PermanentError,
    PostResult,
    TransientError,
)

STOPPING = "stopped before posting (shutdown); the next tick posts it"


class Stopping:
    """A notifier that posts nothing more once `stop` is set."""

    def __init__(self, notifier: Notifier, stop: threading.Event) -> None:
        self.notifier = notifier
        self.stop = stop
        self.parallel = getattr(notifier, "parallel", True)

    def post(self, channel: str, item: Item) -> PostResult:
        """Post, unless stopping."""
        if self.stop.is_set():
            raise TransientError(STOPPING)
        return self.notifier.post(channel, item)

    def post_bundle(self, channel: str, items: list[Item]) -> list[PostResult]:
        """Post several items as one message, unless stopping."""
        if self.stop.is_set():
            raise TransientError(STOPPING)
        post_bundle = getattr(self.notifier, "post_bundle", None)
        if post_bundle is not None:
            # The message in progress completes; a bundle's further thread replies wait.
            if "keep_going" in inspect.signature(post_bundle).parameters:
                return post_bundle(channel, items,  # type: ignore[no-any-return]
                                   keep_going=lambda: not self.stop.is_set())
            return post_bundle(channel, items)  # type: ignore[no-any-return]
        results: dict[str, PostResult] = {}
        for item in items:
            try:
                results[item.key] = self.notifier.post(channel, item)
            except (TransientError, PermanentError) as exc:
                if results:
                    raise PartlyPosted(results, exc) from exc
                raise
        return list(results.values())

    def find_posted(self, channel: str, key: str) -> str | None:
        """Look in the channel's history, unless stopping."""
        if self.stop.is_set():
            raise TransientError(STOPPING)
        return self.notifier.find_posted(channel, key)

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """Tell the admins, unless stopping (the next tick tells them)."""
        if self.stop.is_set():
            return 0
        return self.notifier.notify_admins(admins, text)
