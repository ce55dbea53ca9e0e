"""Helpers for the scheduler tests: records, settings and a notifier that records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import Deadline, Delivery, Dossier
from tracker.roles import default_role
from tracker.scheduling.items import Item, PostResult
from tracker.scheduling.tick import TickReport, run_tick
from tracker.settings import Settings, load_settings

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULT = "C0DEFAULT"
DIGEST = "C0DIGEST"


def local(*args: int) -> datetime:
    """An Amsterdam wall-clock instant."""
    return datetime(*args, tzinfo=AMS)


def utc(*args: int) -> datetime:
    """A UTC instant."""
    return datetime(*args, tzinfo=UTC)


def scheduler_settings(db_url: str, **extra: str) -> Settings:
    """Settings with both channels set (the `settings` fixture has cleared the environment)."""
    values = {"DATABASE_URL": db_url, "LOBBY_DEFAULT_CHANNEL": DEFAULT,
              "LOBBY_DIGEST_CHANNEL": DIGEST, **extra}
    return load_settings(**values, _env_file=None)


def add_dossier(session: Session, code: str = "N35", *, channel: str | None = None,
                owner: str | None = "U0ANNEKE", at: datetime | None = None) -> Dossier:
    """A dossier, flushed."""
    at = at or local(2023, 9, 1, 8)
    dossier = Dossier(code=code, code_folded=code.lower(), title=f"Dossier {code}",
                      channel=channel, owner=owner, created_at=at, updated_at=at)
    session.add(dossier)
    session.flush()
    return dossier


def add_deadline(session: Session, dossier: Dossier, due: date, *, title: str = "Kamerdebat MIRT",
                 kind: str = "debate", created: datetime | None = None,
                 offsets: str | None = None, rrule: str | None = None,
                 due_time: time | None = None, role: str | None = None,
                 owner: str | None = None) -> Deadline:
    """An open deadline, flushed; `created` is also its scheduled_at; role by kind."""
    created = created or local(2023, 9, 1, 8)
    deadline = Deadline(dossier_id=dossier.id, title=title, kind=kind, due_date=due,
                        due_time=due_time, offsets=offsets, rrule=rrule, created_at=created,
                        scheduled_at=created, updated_at=created,
                        role=role or default_role(kind), owner=owner)
    session.add(deadline)
    session.flush()
    return deadline


class RecordingNotifier:
    """Keeps what it is given; can be told to fail (a callable raising for chosen items)."""

    parallel = False

    def __init__(self, fail: Callable[[Item], None] | None = None) -> None:
        self.posts: list[tuple[str, Item]] = []
        self.dms: list[str] = []
        self.fail = fail

    def post(self, channel: str, item: Item) -> PostResult:
        if self.fail is not None:
            self.fail(item)
        self.posts.append((channel, item))
        return PostResult(ts=f"{len(self.posts)}.000")

    def find_posted(self, channel: str, key: str) -> str | None:
        for index, (posted_channel, item) in enumerate(self.posts, start=1):
            if posted_channel == channel and item.key == key:
                return f"{index}.000"
        return None

    def notify_admins(self, admins: frozenset[str], text: str) -> int:
        self.dms.append(text)
        return len(admins)

    def keys(self) -> list[str]:
        return [item.key for _, item in self.posts]


def message_keys(message: dict) -> list[str]:
    """The ledger keys a posted message shows: one item's, or each line's of a bundle."""
    payload = (message.get("metadata") or {}).get("event_payload") or {}
    return [payload["key"]] if "key" in payload else list(payload.get("keys") or [])


def posted_keys(messages: list[dict]) -> Counter[str]:
    """How often each key was posted (chat.postMessage), over all messages."""
    return Counter(key for m in messages if m.get("via", "chat.postMessage") == "chat.postMessage"
                   for key in message_keys(m))


def tick(engine: Engine, settings: Settings, notifier: object, now: datetime) -> TickReport:
    """One tick at `now`, with a clock standing still at `now`."""
    return run_tick(engine=engine, settings=settings, notifier=notifier,  # type: ignore[arg-type]
                    now=now, clock=lambda: now, sleep=lambda _s: None)


def ledger(engine: Engine) -> dict[str, Delivery]:
    """Every ledger row by key."""
    with Session(engine) as session:
        return {row.key: row for row in session.exec(select(Delivery))}
