"""Pieces every service uses: events, version checks, input limits."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Insert, insert, inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from tracker.errors import Conflict, InvalidInput
from tracker.models import Event
from tracker.text import clean

T = TypeVar("T")

MAX_TITLE = 200
MAX_TEXT = 4000
MAX_REASON = 2000


class EventKind(StrEnum):
    """What an Event records."""

    DOSSIER_CREATED = "dossier_created"
    DOSSIER_UPDATED = "dossier_updated"
    STATUS = "status"
    NOTE = "note"
    OWNER = "owner"
    CHANNEL = "channel"
    ARCHIVED = "archived"
    DEADLINE_ADDED = "deadline_added"
    DEADLINE_MOVED = "deadline_moved"
    DEADLINE_DONE = "deadline_done"
    DEADLINE_CANCELLED = "deadline_cancelled"
    DEADLINE_MISSED = "deadline_missed"
    DEADLINE_REMINDERS = "deadline_reminders"
    PROGRAMME_STATUS = "programme_status"
    PROGRAMME_UPDATED = "programme_updated"  # a programme's field (text) before → after
    MEMBER_ROLE = "member_role"
    KAMER_LINKED = "kamer_linked"  # a milestone linked to / unlinked from a Tweede Kamer activity
    KAMER_UNLINKED = "kamer_unlinked"


def require_aware(now: datetime) -> datetime:
    """Refuse a naive `now`: the domain only deals in aware instants."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def record_event(session: Session, *, now: datetime, actor: str | None, kind: EventKind,
                 dossier_id: int | None = None, deadline_id: int | None = None,
                 programme_id: int | None = None, before: str | None = None,
                 after: str | None = None, text: str = "") -> Event:
    """Write one history entry (with the session's next flush: the change it records is
    usually still pending, and a flush per entry would count each field edited as a version)."""
    event = new_event(now=now, actor=actor, kind=kind, dossier_id=dossier_id,
                      deadline_id=deadline_id, programme_id=programme_id, before=before,
                      after=after, text=text)
    session.add(event)
    return event


def new_event(*, now: datetime, actor: str | None, kind: EventKind, dossier_id: int | None = None,
              deadline_id: int | None = None, programme_id: int | None = None,
              before: str | None = None, after: str | None = None, text: str = "") -> Event:
    """A history entry, not yet in any session (`record_event`, or `insert_entity` when the
    change it records is already written)."""
    return Event(at=require_aware(now), actor=actor, kind=kind.value, dossier_id=dossier_id,
                 deadline_id=deadline_id, programme_id=programme_id, before=before,
                 after=after, text=text)


def check_version(record: Any, expected: int | None, label_nl: str, label_en: str) -> None:
    """Raise Conflict when the caller edited an older version of `record`."""
    if expected is not None and record.version != expected:
        raise Conflict(
            f"{label_nl} is intussen door iemand anders gewijzigd (versie {record.version}, "
            f"u bewerkte versie {expected}). Bekijk de nieuwe stand en probeer het opnieuw.",
            f"{label_en} was changed by someone else meanwhile (version {record.version}, "
            f"you edited version {expected}). Look at the new state and try again.",
        )


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-lock race into Conflict."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "Iemand anders heeft dit record net gewijzigd. Probeer het opnieuw.",
            "Someone else has just changed this record. Please try again.",
        ) from exc


# session.info key: what runs before a write past the ORM, as before a flush (bot.idempotency
# claims the request's keys there, before anything else is written).
BEFORE_WRITE = "before_write"


def insert_entity(session: Session, entity: T) -> T:
    """INSERT a new `entity` (a new milestone, its history entry) with one prebuilt statement
    and make it the session's own, as a flush would have: it has its id, later changes to it
    are flushed as usual, and a rollback of its transaction (or savepoint) takes it out of the
    session again. The ORM's flush of one new row costs SQLAlchemy ten times the INSERT itself
    (bench `dispatch /deadline add`). Changes pending in the session are flushed first, so
    writes keep their order and a lost race is still a `Conflict`; then the session's
    BEFORE_WRITE hooks run, as a flush would run its listeners."""
    statement, columns = _insert_plan(type(entity))
    flush(session)
    for hook in session.info.get(BEFORE_WRITE, ()):
        hook(session)
    values = {name: getattr(entity, key) for key, name in columns}
    entity.id = session.connection().execute(statement, values).scalar_one()  # type: ignore[attr-defined]
    make_transient_to_detached(entity)
    session.add(entity)
    # Registered as a row this transaction inserted, as the ORM registers what its flush
    # inserts: rolling the transaction back expunges it (its id may be handed out again).
    transaction = session.get_nested_transaction() or session.get_transaction()
    transaction._new[inspect(entity)] = True  # type: ignore[union-attr]
    return entity


_INSERT_PLANS: dict[type, tuple[Insert, list[tuple[str, str]]]] = {}


def _insert_plan(model: type) -> tuple[Insert, list[tuple[str, str]]]:
    """The INSERT … RETURNING id of `model`, and its (attribute, column) pairs but the id."""
    plan = _INSERT_PLANS.get(model)
    if plan is None:
        table = model.__table__  # type: ignore[attr-defined]
        columns = [(attr.key, attr.columns[0].key) for attr in inspect(model).column_attrs
                   if attr.columns[0].key != "id"]
        plan = _INSERT_PLANS[model] = (insert(table).returning(table.c.id), columns)
    return plan


def required_text(value: str | None, *, limit: int, what_nl: str, what_en: str,
                  example: str | None = None) -> str:
    """Cleaned, non-empty text within `limit` characters, or InvalidInput."""
    text = clean(value or "")
    if not text:
        raise InvalidInput(f"{what_nl} ontbreekt.", f"{what_en} is missing.", example=example)
    if len(text) > limit:
        raise InvalidInput(
            f"{what_nl} is te lang ({len(text)} tekens, maximaal {limit}).",
            f"{what_en} is too long ({len(text)} characters, at most {limit}).",
            example=example,
        )
    return text
