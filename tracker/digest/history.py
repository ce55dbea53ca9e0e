"""The records as they stood at a period's end, reconstructed from the Event history.

A record holds its state of today; every change since the period ended is in the history with
its `before`. Undoing, per record, the earliest later change gives the state at the period's
end, so a change made today never alters a past digest. Only the changes after the period are
read: for a past half-year usually a handful, for the current period none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from tracker.models import Event
from tracker.seed import DATASET_ACTOR
from tracker.services.common import EventKind
from tracker.services.deadlines import StoredWhen, read_stored_when

log = logging.getLogger(__name__)

_LATER = (EventKind.STATUS, EventKind.PROGRAMME_STATUS, EventKind.ARCHIVED,
          EventKind.DOSSIER_UPDATED, EventKind.OWNER,
          EventKind.DEADLINE_MOVED, EventKind.DEADLINE_DONE, EventKind.DEADLINE_CANCELLED,
          EventKind.DEADLINE_MISSED, EventKind.DOSSIER_CREATED, EventKind.DEADLINE_ADDED,
          EventKind.PROGRAMME_UPDATED)
_CLOSING = frozenset({EventKind.DEADLINE_DONE.value, EventKind.DEADLINE_CANCELLED.value,
                      EventKind.DEADLINE_MISSED.value})


@dataclass
class Later:
    """What changed after the period's end, as the values to undo per record."""

    rag: dict[int, str] = field(default_factory=dict)               # dossier → RAG at the end
    archived: set[int] = field(default_factory=set)                 # dossiers archived later
    programme: dict[int, str] = field(default_factory=dict)         # programme → status
    deadline_status: dict[int, str] = field(default_factory=dict)   # deadline → status
    deadline_due: dict[int, StoredWhen] = field(default_factory=dict)     # deadline → its date then
    new_dossiers: set[int] = field(default_factory=set)             # created after the end
    # (dossier, field) → the value before its first later edit (None: it was empty)
    fields: dict[tuple[int, str], str | None] = field(default_factory=dict)
    new_deadlines: set[int] = field(default_factory=set)
    # programme → its note before its first later edit (None: it was empty)
    programme_note: dict[int, str | None] = field(default_factory=dict)

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
        elif kind == EventKind.PROGRAMME_UPDATED.value:
            if programme_id is not None and text == "note":
                later.programme_note.setdefault(programme_id, before)
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
            if before and deadline_id not in later.deadline_due:
                try:
                    later.deadline_due[deadline_id] = read_stored_when(before)
                except ValueError as error:
                    # One unreadable stored value never fails a whole digest: the milestone is
                    # told by its date of today, and the value is logged (as the tick does).
                    log.warning("digest: deadline %s: unreadable date %r in its history (%s); "
                                "its current date is used", deadline_id, before, error)
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


@dataclass(frozen=True)
class Since:
    """The moment the history gives for a dossier's colour: when it last changed to `rag`."""

    rag: str
    at: datetime
    precision: str = "day"


def status_since(session: Session, end: datetime) -> dict[int, Since]:
    """Per dossier, the last change of colour before `end` (a status change whose colour
    differs from the one before, or the creation of a dossier by a user); one query. A dossier
    loaded from a dataset without such a change has none: its status is not dated."""
    rows = session.exec(select(Event.dossier_id, Event.kind, Event.actor, Event.before,
                               Event.after, Event.at, Event.precision)
                        .where(col(Event.kind).in_([EventKind.STATUS.value,
                                                    EventKind.DOSSIER_CREATED.value]),
                               col(Event.dossier_id).is_not(None), col(Event.at) < end)
                        .order_by(col(Event.at), col(Event.id))).all()
    out: dict[int, Since] = {}
    for dossier_id, kind, actor, before, after, at, precision in rows:
        if dossier_id is None:
            continue
        if kind == EventKind.DOSSIER_CREATED.value:
            if actor != DATASET_ACTOR:
                out[dossier_id] = Since("green", at, "day")  # a new dossier starts green
        elif after and before != after:
            out[dossier_id] = Since(after, at, precision or "day")
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


_AMOUNTS = frozenset({"funding_needed", "funding_secured"})
_OPTIONAL = frozenset({"owner", "channel"})  # None when empty


def field_at_end(later: Later, dossier_id: int, name: str, now_value: object) -> object:
    """A dossier field as it was at the period's end: its value before the first later edit."""
    key = (dossier_id, name)
    if key not in later.fields:
        return now_value
    before = later.fields[key]
    if name in _AMOUNTS:
        if before in (None, ""):
            return None
        try:
            return int(before)  # type: ignore[arg-type]
        except ValueError:  # one unreadable stored value never fails a digest
            log.warning("digest: dossier %s: unreadable %s %r in its history; its current "
                        "value is used", dossier_id, name, before)
            return now_value
    if before is None:
        return None if name in _OPTIONAL else ""
    return before
