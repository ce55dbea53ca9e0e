"""A notifier that prints instead of posting (`lobby remind --dry-run`, tests without Slack)."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from tracker.scheduling.describe import describe
from tracker.scheduling.items import Item, PostResult


class ConsoleNotifier:
    """Prints one line per item; remembers keys so `find_posted` answers like a channel would."""

    parallel = False  # print in order

    def __init__(self, *, lang: str = "nl", out: TextIO | None = None) -> None:
        self.lang = lang
        self.out = out or sys.stdout
        self.posted: list[tuple[str, Item]] = []
        self._lock = threading.Lock()

    def post(self, channel: str, item: Item) -> PostResult:
        """Print the item's line under its channel."""
        with self._lock:
            self.posted.append((channel, item))
            print(f"[{channel}] {describe(item, self.lang)}", file=self.out)
            return PostResult(ts=f"console.{len(self.posted):06d}")

    def find_posted(self, channel: str, key: str) -> str | None:
        """The ts given to `key` in `channel`, if it was printed by this notifier."""
        with self._lock:
            for index, (posted_channel, item) in enumerate(self.posted, start=1):
                if posted_channel == channel and item.key == key:
                    return f"console.{index:06d}"
        return None

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """Print the message the admins would get."""
        print(f"[DM {', '.join(sorted(admins))}] {text}", file=self.out)
        return len(admins)
