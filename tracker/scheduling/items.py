"""What the scheduler posts (Slack-free values), and the notifier contract the adapters implement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol

from tracker.dates import Period

EVENT_TYPE = "lobby_delivery"  # Slack message metadata event_type; its payload is {"key": …}


@dataclass(frozen=True)
class DeadlineInfo:
    """A snapshot of a deadline and its dossier, as much as a message needs."""

    id: int
    version: int
    title: str
    kind: str
    due_time: time | None
    approximate: bool
    dossier_code: str
    dossier_title: str
    owner: str | None  # the deadline's own owner, else the dossier's (mentioned as <@U…>)
    recurring: bool = False
    precision: str = "day"  # how precisely the date is known (tracker.dates.spans)
    qualifier: str = ""
    due_part: str = ""
    role: str = "action"  # "event" (a debate, a visit: a preparation cue) or "action" (ours to do)

    @property
    def is_event(self) -> bool:
        """Events take place in the world: no "Afgerond", never overdue."""
        return self.role == "event"


@dataclass(frozen=True, kw_only=True)
class Item:
    """One message the scheduler owes: a ledger `key`, where it goes and when it was due."""

    key: str
    channel: str
    due_at: datetime
    today: date  # the local date it is posted on (relative words are counted from here)
    late: bool = False  # posted well after its moment (after downtime): "(later verzonden)"

    kind = "item"

    @property
    def deadline_id(self) -> int | None:
        """The deadline the item is about, if any."""
        return None


@dataclass(frozen=True, kw_only=True)
class Reminder(Item):
    """"Over 7 dagen: Kamerdebat MIRT": one rung of a deadline's ladder."""

    deadline: DeadlineInfo
    due: date  # the occurrence's date
    offset: int  # the rung (days before) this reminder stands for

    kind = "reminder"

    @property
    def deadline_id(self) -> int | None:
        return self.deadline.id


@dataclass(frozen=True, kw_only=True)
class Snoozed(Reminder):
    """The one extra reminder a "Herinner morgen" asked for (the due date stays)."""

    kind = "snooze"


@dataclass(frozen=True, kw_only=True)
class Overdue(Item):
    """The one nudge on the first working day after an open deadline passed."""

    deadline: DeadlineInfo
    due: date

    kind = "overdue"

    @property
    def deadline_id(self) -> int | None:
        return self.deadline.id


@dataclass(frozen=True, kw_only=True)
class Cleanup(Item):
    """Once a month, to an owner (or the admins): their actions overdue for more than 4 weeks."""

    month: str  # "2023-12"
    entries: tuple[AgendaEntry, ...] = field(default_factory=tuple)

    kind = "cleanup"


@dataclass(frozen=True)
class AgendaEntry:
    """One line of the weekly agenda."""

    deadline: DeadlineInfo
    due: date
    overdue: bool


@dataclass(frozen=True, kw_only=True)
class Agenda(Item):
    """The Monday agenda: this week's deadlines and the overdue ones."""

    week_key: str  # "2023W47"
    week_start: date
    entries: tuple[AgendaEntry, ...] = field(default_factory=tuple)  # overdue: the 5 oldest
    overdue_count: int = 0  # all overdue actions (up to 4 weeks), of which `entries` holds 5

    kind = "agenda"


@dataclass(frozen=True, kw_only=True)
class DigestItem(Item):
    """The half-year digest for the period just ended (built by tracker.digest)."""

    period: Period
    digest: Any

    kind = "digest"


@dataclass(frozen=True)
class PostResult:
    """What a notifier hands back for a posted message."""

    ts: str | None


def bundles(item: Item) -> bool:
    """True for the items that share one message per channel per tick (one line each)."""
    return isinstance(item, Reminder | Overdue)


class TransientError(Exception):
    """Posting failed but may work later (HTTP 429 with `retry_after` seconds, 5xx, timeouts)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(Exception):
    """Posting will not work until someone acts (channel_not_found, not_in_channel, is_archived)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PartlyPosted(Exception):
    """A bundle continued in a thread: the items whose keys are in `results` are out, the
    rest failed with `error`."""

    def __init__(self, results: dict[str, PostResult],
                 error: TransientError | PermanentError) -> None:
        super().__init__(str(error))
        self.results = results
        self.error = error


class Notifier(Protocol):
    """Where the scheduler's messages go: Slack in production, the console in the demo and dry runs.

    `post` paces itself per channel; it raises TransientError or PermanentError.
    """

    def post(self, channel: str, item: Item) -> PostResult:
        """Post `item` in `channel`, tagged with its ledger key so it can be found again."""
        ...

    def find_posted(self, channel: str, key: str) -> str | None:
        """The ts of a message tagged `key` among the channel's recent messages, else None."""
        ...

    # Optional: `post_bundle(channel, items) -> list[PostResult]` posts several items as one
    # message (continued in its thread), one result per item, raising PartlyPosted when a
    # continuation fails; notifiers without it get each item posted on its own.

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        """Send `text` to each admin directly; how many got it."""
        ...
