"""The scheduler: reminders, overdue nudges, the weekly agenda and half-year digests, each
delivered exactly once through the delivery ledger. Slack-free: posting goes through a
`Notifier` (bot.notifier.SlackNotifier in production, ConsoleNotifier for dry runs).

Names are imported on first use, so `lobby --help` (which imports tracker.scheduling.cli)
stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.scheduling.items import (
        EVENT_TYPE,
        Agenda,
        AgendaEntry,
        Cleanup,
        DeadlineInfo,
        DigestItem,
        Item,
        Notifier,
        Overdue,
        PartlyPosted,
        PermanentError,
        PostResult,
        Reminder,
        Snoozed,
        TransientError,
    )
    from tracker.scheduling.scheduler import start_scheduler
    from tracker.scheduling.tick import TickReport, run_tick

_WHERE = {
    **dict.fromkeys(("EVENT_TYPE", "Agenda", "AgendaEntry", "Cleanup", "DeadlineInfo",
                     "DigestItem", "Item", "Notifier", "Overdue", "PartlyPosted",
                     "PermanentError", "PostResult", "Reminder", "Snoozed", "TransientError"),
                    "tracker.scheduling.items"),
    "start_scheduler": "tracker.scheduling.scheduler",
    "TickReport": "tracker.scheduling.tick",
    "run_tick": "tracker.scheduling.tick",
}

__all__ = [
    "EVENT_TYPE",
    "Agenda",
    "AgendaEntry",
    "Cleanup",
    "DeadlineInfo",
    "DigestItem",
    "Item",
    "Notifier",
    "Overdue",
    "PartlyPosted",
    "PermanentError",
    "PostResult",
    "Reminder",
    "Snoozed",
    "TickReport",
    "TransientError",
    "run_tick",
    "start_scheduler",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'tracker.scheduling' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
