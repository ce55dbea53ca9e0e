"""Which Slack canvas holds a period's report in a channel, so posting again edits it in place."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from tracker.models import DigestCanvas
from tracker.services.common import flush, require_aware


def _row(session: Session, period: str, channel: str) -> DigestCanvas | None:
    return session.exec(select(DigestCanvas).where(
        DigestCanvas.period == period, DigestCanvas.channel == channel)).first()


def canvas_for(*, session: Session, period: str, channel: str) -> str | None:
    """The canvas id of `period`'s report in `channel`, if one was published."""
    row = _row(session, period, channel)
    return row.canvas_id if row else None


def remember_canvas(*, session: Session, now: datetime, period: str, channel: str,
                    canvas_id: str) -> None:
    """Record (or replace) the canvas of `period` in `channel`; any earlier failure is cleared."""
    require_aware(now)
    row = _row(session, period, channel)
    if row is None:
        row = DigestCanvas(period=period, channel=channel, created_at=now, updated_at=now)
    row.canvas_id, row.error, row.updated_at = canvas_id, None, now
    session.add(row)
    flush(session)


def record_unavailable(*, session: Session, now: datetime, period: str, channel: str,
                       error: str) -> bool:
    """Record that no canvas could be made (Slack's error name); True when this is the first
    such failure on record, i.e. the admins have not been told yet."""
    require_aware(now)
    first = session.exec(select(DigestCanvas.id).where(
        DigestCanvas.error.is_not(None))).first() is None  # type: ignore[union-attr]
    row = _row(session, period, channel)
    if row is None:
        row = DigestCanvas(period=period, channel=channel, created_at=now, updated_at=now)
    row.canvas_id, row.error, row.updated_at = None, error[:100], now
    session.add(row)
    flush(session)
    return first
