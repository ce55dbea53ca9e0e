"""The records as they stood at a period's end, reconstructed from the Event history.

A record holds its state of today; every change since the period ended is in the history with
its `before`. Undoing, per record, the earliest later change gives the state at the period's
end, so a change made today never alters a past digest. Only the changes after the period are
read: for a past half-year usually a handful, for the current period none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from tracker.models import Event
from tracker.seed import DATASET_ACTOR
from tracker.services.common import EventKind

_LATER = (EventKind.STATUS, EventKind.PROGRAMME_STATUS, EventKind.ARCHIVED,
          EventKind.DOSSIER_UPDATED, EventKind.OWNER,
          EventKind.DEADLINE_MOVED, EventKind.DEADLINE_DONE, EventKind.DEADLINE_CANCELLED,
          EventKind.DEADLINE_MISSED, EventKind.DOSSIER_CREATED, EventKind.DEADLINE_ADDED)
_CLOSING = frozenset({EventKind.DEADLINE_DONE.value, EventKind.DEADLINE_CANCELLED.value,
                      EventKind.DEADLINE_MISSED.value})


@dataclass
class Later:
    """What changed after the period's end, as the values to undo per record."""

    rag: dict[int, str] = field(default_factory=dict)               # dossier → RAG at the end
    archived: set[int] = field(default_factory=set)                 # dossiers archived later
    programme: dict[int, str] = field(default_factory=dict)         # programme → status
    deadline_status: dict[int, str] = field(default_factory=dict)   # deadline → status
    deadline_due: dict[int, str] = field(default_factory=dict)      # deadline → "YYYY-MM-DD[ HH:MM]"
    new_dossiers: set[int] = field(default_factory=set)             # created after the end
    # (dossier, field) → the value before its first later edit (None: it was empty)
    fields: dict[tuple[int, str], str | None] = field(default_factory=dict)
    new_deadlines: set[int] = field(default_factory=set)

    @property
    def deadline_ids(self) -> set[int]:
        """Deadlines whose date or status changed later (their state at the end differs)."""
        return set(self.deadline_status) | set(self.deadline_due)


def changes_after(session: Session, end: datetime) -> Later:
    """The earliest change after `end` of every record that changed since (one query)."""
    later = Later()
    rows = session.exec(select(
        Event.kind, Event.actor, Event.dossier_id, Event.deadline_id, Event.programme_id,
        Event.before, Event.text,
    ).where(col(Event.at) >= end, col(Event.kind).in_([k.value for k in _LATER]))
     .order_by(col(Event.at), col(Event.id))).all()
    for kind, actor, dossier_id, deadline_id, programme_id, before, text in rows:
        if kind == EventKind.DOSSIER_UPDATED.value:
            if dossier_id is not None and text:
                later.fields.setdefault((dossier_id, text), before)
        elif kind == EventKind.OWNER.value:
            if dossier_id is not None:
                later.fields.setdefault((dossier_id, "owner"), before)
        elif kind == EventKind.PROGRAMME_STATUS.value:
            if programme_id is not None and before:
                later.programme.setdefault(programme_id, before)
        elif kind == EventKind.STATUS.value:
            if dossier_id is not None and before:
                later.rag.setdefault(dossier_id, before)
        elif kind == EventKind.ARCHIVED.value:
            if dossier_id is not None:
                later.archived.add(dossier_id)
        elif kind == EventKind.DOSSIER_CREATED.value:
            if dossier_id is not None and actor != DATASET_ACTOR:
                later.new_dossiers.add(dossier_id)
        elif deadline_id is None:
            continue
        elif kind == EventKind.DEADLINE_ADDED.value:
            if actor != DATASET_ACTOR:
                later.new_deadlines.add(deadline_id)
        elif kind == EventKind.DEADLINE_MOVED.value:
            if before:
                later.deadline_due.setdefault(deadline_id, before)
        elif kind in _CLOSING:
            later.deadline_status.setdefault(deadline_id, before or "open")
    return later


@dataclass(frozen=True)
class StatusAtEnd:
    """A dossier's RAG at the period's end with its reason and the day it was set."""

    rag: str
    reason: str
    since: datetime | None


def rag_at_end(session: Session, later: Later, end: datetime) -> dict[int, StatusAtEnd]:
    """For dossiers whose RAG changed after `end`: the last change before it (one query)."""
    if not later.rag:
        return {}
    out: dict[int, StatusAtEnd] = {}
    rows = session.exec(select(Event.dossier_id, Event.after, Event.text, Event.at)
                        .where(col(Event.kind) == EventKind.STATUS.value,
                               col(Event.dossier_id).in_(list(later.rag)), col(Event.at) < end)
                        .order_by(col(Event.at), col(Event.id))).all()
    for dossier_id, after, text, at in rows:
        if dossier_id is not None:
            out[dossier_id] = StatusAtEnd(after or later.rag[dossier_id], text or "", at)
    for dossier_id, rag in later.rag.items():
        if dossier_id not in out or out[dossier_id].rag != rag:
            out[dossier_id] = StatusAtEnd(rag, "", None)  # set before any recorded change
    return out


def programme_notes_at_end(session: Session, later: Later, end: datetime) -> dict[int, str]:
    """For programmes whose status changed after `end`: the note of their last change before."""
    if not later.programme:
        return {}
    rows = session.exec(select(Event.programme_id, Event.text)
                        .where(col(Event.kind) == EventKind.PROGRAMME_STATUS.value,
                               col(Event.programme_id).in_(list(later.programme)),
                               col(Event.at) < end)
                        .order_by(col(Event.at), col(Event.id))).all()
    return {pid: text for pid, text in rows if pid is not None and text}


def parse_when(value: str) -> tuple[date, str | None]:
    """"2023-11-20 14:00" → (date, "14:00")."""
    return date.fromisoformat(value[:10]), (value[11:16] or None) if len(value) > 10 else None


_AMOUNTS = frozenset({"funding_needed", "funding_secured"})
_OPTIONAL = frozenset({"owner", "channel"})  # None when empty


def field_at_end(later: Later, dossier_id: int, name: str, now_value: object) -> object:
    """A dossier field as it was at the period's end: its value before the first later edit."""
    key = (dossier_id, name)
    if key not in later.fields:
        return now_value
    before = later.fields[key]
    if name in _AMOUNTS:
        return int(before) if before not in (None, "") else None
    if before is None:
        return None if name in _OPTIONAL else ""
    return before
