"""The delivery ledger: claim a key before posting, record what happened after.

A claim is an `INSERT … ON CONFLICT (key) DO NOTHING`: of any number of processes, exactly
one gets the row. A claim carries a lease; a row still `claimed` after its lease ran out
belonged to a process that died between claiming and recording, and is taken up again (after
a look in the channel's history). Rows waiting to retry are taken the same way; on PostgreSQL
with `SELECT … FOR UPDATE SKIP LOCKED`, everywhere with a compare-and-set update.
Each function flushes; the caller commits (one short transaction per step, so other
processes see the claim at once).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from tracker.models import Delivery, DeliveryStatus
from tracker.scheduling.items import Item
from tracker.scheduling.plan import Skip

ERROR_LIMIT = 500


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(Delivery.__table__)  # type: ignore[attr-defined]


def _insert_once(session: Session, values: dict[str, Any]) -> int | None:
    stmt = (_insert(session).values(**values)
            .on_conflict_do_nothing(index_elements=["key"]).returning(col(Delivery.id)))
    return session.execute(stmt).scalar_one_or_none()


def claim(session: Session, item: Item, *, at: datetime, lease: timedelta) -> int | None:
    """The new row's id when this process got `item`'s key, None when the key is taken."""
    return _insert_once(session, _claim_values(item, at, lease))


def claim_all(session: Session, items: list[Item], *, at: datetime, lease: timedelta
              ) -> list[int | None]:
    """`claim` for each of one channel's items, in one statement per 200: per item the new
    row's id, or None when another process has its key."""
    got: dict[str, int] = {}
    for start in range(0, len(items), 200):
        chunk = items[start:start + 200]
        stmt = (_insert(session).values([_claim_values(item, at, lease) for item in chunk])
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(col(Delivery.id), col(Delivery.key)))
        got.update({key: row_id for row_id, key in session.execute(stmt)})
    return [got.get(item.key) for item in items]


def _claim_values(item: Item, at: datetime, lease: timedelta) -> dict[str, Any]:
    return {"key": item.key, "kind": item.kind, "channel": item.channel,
            "deadline_id": item.deadline_id, "due_at": item.due_at,
            "status": DeliveryStatus.CLAIMED.value, "late": item.late, "attempts": 0,
            "claimed_at": at, "lease_until": at + lease}


def record_skip(session: Session, skip: Skip, *, at: datetime) -> bool:
    """Record an item that is not posted (stale after downtime, or empty); False if known."""
    return _insert_once(session, {
        "key": skip.key, "kind": skip.kind, "channel": skip.channel,
        "deadline_id": skip.deadline_id, "due_at": skip.due_at,
        "status": skip.status, "attempts": 0, "claimed_at": at,
        "last_error": skip.reason[:ERROR_LIMIT]}) is not None


def take_up(session: Session, *, now: datetime, lease: timedelta, limit: int = 200
            ) -> list[Delivery]:
    """Rows whose lease expired or whose retry is due, now leased to this process."""
    query = (select(Delivery)
             .where(or_(and_(Delivery.status == DeliveryStatus.CLAIMED.value,
                             col(Delivery.lease_until) < now),
                         and_(Delivery.status == DeliveryStatus.RETRY.value,
                              col(Delivery.next_attempt_at) <= now)))
             .order_by(col(Delivery.due_at), col(Delivery.id)).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken = []
    for row in session.exec(query).all():
        # Compare-and-set: on SQLite (no row locks) another process may have taken it meanwhile.
        result = session.execute(
            update(Delivery)
            .where(col(Delivery.id) == row.id, Delivery.status == row.status,
                   col(Delivery.lease_until) == row.lease_until
                   if row.status == DeliveryStatus.CLAIMED.value
                   else col(Delivery.next_attempt_at) == row.next_attempt_at)
            .values(status=DeliveryStatus.CLAIMED.value, lease_until=now + lease,
                    next_attempt_at=None)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(row)
    for row in taken:
        session.refresh(row)
    return taken


def _finish(session: Session, row_id: int, **values: Any) -> None:
    session.execute(update(Delivery)
                    .where(col(Delivery.id) == row_id,
                           Delivery.status == DeliveryStatus.CLAIMED.value)
                    .values(lease_until=None, **values)
                    .execution_options(synchronize_session=False))


def mark_sent(session: Session, row_id: int, *, ts: str | None, at: datetime, attempts: int,
              late: bool) -> None:
    """The message is in the channel (posted now, or found in its history)."""
    _finish(session, row_id, status=DeliveryStatus.SENT.value, ts=ts, sent_at=at,
            attempts=attempts, late=late, next_attempt_at=None)


def mark_all_sent(session: Session, sent: list[tuple[int, str | None, int, bool]], *,
                  at: datetime) -> None:
    """`mark_sent` for the items of one bundle — (row id, ts, attempts, late) — one statement
    for each (ts, attempts, late) they share (usually one)."""
    groups: dict[tuple[str | None, int, bool], list[int]] = {}
    for row_id, ts, attempts, late in sent:
        groups.setdefault((ts, attempts, late), []).append(row_id)
    for (ts, attempts, late), row_ids in groups.items():
        session.execute(update(Delivery)
                        .where(col(Delivery.id).in_(row_ids),
                               Delivery.status == DeliveryStatus.CLAIMED.value)
                        .values(lease_until=None, status=DeliveryStatus.SENT.value, ts=ts,
                                sent_at=at, attempts=attempts, late=late, next_attempt_at=None)
                        .execution_options(synchronize_session=False))


def mark_retry(session: Session, row_id: int, *, error: str, attempts: int,
               next_attempt_at: datetime) -> None:
    """Posting failed for now; a later tick tries again from `next_attempt_at`."""
    _finish(session, row_id, status=DeliveryStatus.RETRY.value, last_error=error[:ERROR_LIMIT],
            attempts=attempts, next_attempt_at=next_attempt_at)


def mark_failed(session: Session, row_id: int, *, error: str, attempts: int) -> None:
    """Posting cannot work until someone acts (bad channel); the admins are told once."""
    _finish(session, row_id, status=DeliveryStatus.FAILED.value, last_error=error[:ERROR_LIMIT],
            attempts=attempts, next_attempt_at=None, reported=False)


def mark_skipped(session: Session, row_id: int, *, reason: str) -> None:
    """A row taken up again that is no longer owed."""
    _finish(session, row_id, status=DeliveryStatus.SKIPPED.value,
            last_error=reason[:ERROR_LIMIT], next_attempt_at=None)


def unreported_failures(session: Session) -> list[Delivery]:
    """Failed rows the admins have not been told about."""
    return list(session.exec(select(Delivery).where(
        Delivery.status == DeliveryStatus.FAILED.value, col(Delivery.reported).is_(False))
        .order_by(col(Delivery.id))).all())


def reported_before(session: Session, channel: str, error: str | None) -> bool:
    """True when the admins were already told that `channel` fails with `error`."""
    return session.exec(select(Delivery.id).where(
        Delivery.status == DeliveryStatus.FAILED.value, col(Delivery.reported).is_(True),
        Delivery.channel == channel, Delivery.last_error == error)).first() is not None


def mark_reported(session: Session, row_ids: list[int]) -> None:
    """The admins know about these failures."""
    if row_ids:
        session.execute(update(Delivery).where(col(Delivery.id).in_(row_ids))
                        .values(reported=True).execution_options(synchronize_session=False))
