"""Build a digest from the records: a handful of column queries, no per-dossier round trips."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import String, type_coerce
from sqlmodel import Session, col, select

from tracker.dates import Period, format_date
from tracker.dates.core import local_today
from tracker.dates.periods import half_year, iso_week, month, quarter
from tracker.digest.budget import load_budget, load_indicators
from tracker.digest.model import (
    Digest,
    DossierDigest,
    Item,
    LineDigest,
    ProgrammeRow,
    Reason,
    UpcomingDeadline,
)
from tracker.models import Deadline, DeadlineStatus, Dossier, Event, Line, Phase, Programme
from tracker.seed import DATASET_ACTOR
from tracker.services.common import EventKind

LINE_ORDER = tuple(line.value for line in Line)
_KEY = re.compile(r"^(\d{4})(?:H([12])|Q([1-4])|-(\d{2})|W(\d{2}))$")
_DOSSIER_EVENTS = {
    EventKind.STATUS.value: Reason.STATUS_CHANGED,
    EventKind.NOTE.value: Reason.NOTE,
    EventKind.DEADLINE_ADDED.value: Reason.DEADLINE_ADDED,
    EventKind.DEADLINE_MOVED.value: Reason.DEADLINE_MOVED,
    EventKind.DEADLINE_DONE.value: Reason.MILESTONE_REACHED,
    EventKind.DEADLINE_CANCELLED.value: Reason.DEADLINE_CANCELLED,
    EventKind.ARCHIVED.value: Reason.ARCHIVED,
}
# Loading a dataset is not news: its "created"/"added" events carry the load time, not history.
_LOAD_ARTEFACTS = frozenset({EventKind.DEADLINE_ADDED.value, EventKind.DOSSIER_CREATED.value})
_ORDER = {reason: i for i, reason in enumerate(Reason)}


def period_kind(period: Period) -> str:
    """"half", "quarter", "month" or "week", read from the period's key."""
    match = _KEY.match(period.key)
    if match is None:
        raise ValueError(f"unknown period key {period.key!r}")
    return ("half", "quarter", "month", "week")[
        next(i for i, g in enumerate(match.groups()[1:]) if g is not None)]


def following_period(period: Period) -> Period:
    """The whole period of the same kind after `period` (2023H1 → 2023H2)."""
    kind = period_kind(period)
    if kind == "week":
        nxt = period.start + timedelta(days=7)
        return iso_week(*nxt.isocalendar()[:2])
    nxt = period.start + relativedelta(months={"half": 6, "quarter": 3, "month": 1}[kind])
    if kind == "half":
        return half_year(nxt.year, 1 if nxt.month <= 6 else 2)
    if kind == "quarter":
        return quarter(nxt.year, (nxt.month + 2) // 3)
    return month(nxt.year, nxt.month)


def next_window(period: Period, cutoff: date) -> Period:
    """What "the next period" means for a digest: the following period, and for a period that is
    still running, the rest of it too (from `cutoff`, today)."""
    following = following_period(period)
    if cutoff >= following.start:
        return following
    last = following.end - timedelta(days=1)
    return Period(cutoff, following.end, following.key,
                  f"{format_date(cutoff, 'nl', weekday=False)} t/m {format_date(last, 'nl', weekday=False)}",
                  f"{format_date(cutoff, 'en', weekday=False)} to {format_date(last, 'en', weekday=False)}")


def _utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def build_digest(*, session: Session, period: Period, now: datetime, tz: ZoneInfo) -> Digest:
    """What changed in `period`: per execution line each dossier's status now and its items,
    the programmes, the open deadlines of the next period, the budget and the indicators."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    kind = period_kind(period)
    today = local_today(now, tz)
    cutoff = min(period.end, today) if period.start <= today else period.end
    nxt = next_window(period, max(cutoff, period.start))

    dossier_rows = session.exec(select(
        Dossier.id, Dossier.code, Dossier.title, Dossier.line, Dossier.rag, Dossier.rag_reason,
        Dossier.rag_since, Dossier.phase, Dossier.funding_needed, Dossier.funding_secured,
    ).order_by(col(Dossier.id))).all()
    codes = {row[0]: row[1] for row in dossier_rows}
    lines_of = {row[0]: row[3] for row in dossier_rows}

    items: dict[int, list[Item]] = defaultdict(list)
    programme_items: dict[int, list[Item]] = defaultdict(list)
    done_in_events: set[int] = set()
    # Core rows, not ORM ones: a half-year of a big team is tens of thousands of events.
    connection = session.connection()
    raw_at = connection.dialect.name == "sqlite"
    at_column = type_coerce(Event.at, String) if raw_at else Event.at
    event_rows = connection.execute(select(
        at_column, Event.kind, Event.actor, Event.dossier_id, Event.deadline_id, Event.programme_id,
        Event.before, Event.after, Event.text, Event.approximate,
    ).where(col(Event.at) >= _utc(period.start, tz), col(Event.at) < _utc(period.end, tz),
            col(Event.kind).in_([*_DOSSIER_EVENTS, EventKind.PROGRAMME_STATUS.value]))
    ).all()
    offsets: dict[str, timedelta] = {}
    reached, programme_status = Reason.MILESTONE_REACHED, Reason.PROGRAMME_STATUS  # hoisted
    for at, ev_kind, actor, dossier_id, deadline_id, programme_id, before, after, text, approx \
            in event_rows:
        if actor == DATASET_ACTOR and ev_kind in _LOAD_ARTEFACTS:
            continue
        if raw_at:  # SQLite keeps naive UTC text: parse it, and look the offset up per hour
            naive = datetime.fromisoformat(at)
            offset = offsets.get(at[:13])
            if offset is None:
                offset = offsets[at[:13]] = naive.replace(tzinfo=UTC).astimezone(tz).utcoffset()
            day = (naive + offset).date()
        else:
            day = at.astimezone(tz).date()
        if programme_id is not None:
            programme_items[programme_id].append(Item(
                programme_status, day, text or "", before, after, bool(approx)))
            continue
        if dossier_id is None:
            continue
        reason = _DOSSIER_EVENTS[ev_kind]
        if reason is reached and deadline_id is not None:
            done_in_events.add(deadline_id)
        items[dossier_id].append(Item(reason, day, text or "", before, after, bool(approx),
                                      deadline_id))

    upcoming: list[UpcomingDeadline] = []
    deadline_rows = session.exec(select(
        Deadline.id, Deadline.dossier_id, Deadline.title, Deadline.kind, Deadline.due_date,
        Deadline.due_time, Deadline.approximate, Deadline.status, Deadline.precision,
        Deadline.qualifier, Deadline.due_part,
    ).where(col(Deadline.due_date) >= period.start, col(Deadline.due_date) < nxt.end)
     .order_by(col(Deadline.due_date), col(Deadline.due_time), col(Deadline.id))).all()
    in_period: set[int] = set()
    for (dl_id, dossier_id, title, dl_kind, due, due_time, approx, status, precision, qualifier,
         due_part) in deadline_rows:
        if due < period.end:
            in_period.add(dl_id)
        if status == DeadlineStatus.DONE.value and due < period.end:
            items[dossier_id].append(Item(Reason.MILESTONE_REACHED, due, title,
                                          approximate=bool(approx), deadline_id=dl_id,
                                          kind=dl_kind, precision=precision,
                                          qualifier=qualifier, due_part=due_part))
        elif status == DeadlineStatus.OPEN.value and due < cutoff:
            items[dossier_id].append(Item(Reason.DEADLINE_MISSED, due, title,
                                          approximate=bool(approx), deadline_id=dl_id,
                                          kind=dl_kind, precision=precision,
                                          qualifier=qualifier, due_part=due_part))
        elif status == DeadlineStatus.OPEN.value and due >= nxt.start:
            upcoming.append(UpcomingDeadline(dl_id, codes.get(dossier_id, "?"),
                                             lines_of.get(dossier_id, ""), title, dl_kind, due,
                                             due_time, bool(approx), precision=precision,
                                             qualifier=qualifier, due_part=due_part))
    # A done-event of a milestone due in the period is already "reached" by its due date.
    duplicated = done_in_events & in_period
    for found in items.values():
        if duplicated:
            found[:] = [i for i in found if not (
                i.reason is Reason.MILESTONE_REACHED and i.kind is None
                and i.deadline_id in duplicated)]
        found.sort(key=lambda i: (i.at, _ORDER[i.reason]))

    dossiers_by_line: dict[str, list[DossierDigest]] = defaultdict(list)
    for (d_id, code, title, line, rag, rag_reason, rag_since, phase, needed, secured) \
            in dossier_rows:
        found = items.get(d_id, [])
        if phase == Phase.CLOSED.value and not found:
            continue
        dossiers_by_line[line].append(DossierDigest(
            d_id, code, title, line, rag, rag_reason,
            rag_since.astimezone(tz).date() if rag_since else None, phase, needed, secured,
            tuple(found)))

    programmes_by_line = _programmes(session, programme_items)
    lines = tuple(
        LineDigest(line, tuple(dossiers_by_line.get(line, ())),
                   tuple(programmes_by_line.get(line, ())))
        for line in (*LINE_ORDER, *sorted((set(dossiers_by_line) | set(programmes_by_line))
                                          - set(LINE_ORDER)))
        if dossiers_by_line.get(line) or programmes_by_line.get(line))

    big = kind in ("half", "quarter")
    return Digest(
        period=period, generated_at=now, tz=tz.key, lines=lines, next_period=nxt,
        upcoming=tuple(upcoming),
        budget=load_budget(session, period.start.year) if big else None,
        indicators=load_indicators(session, period) if big else (),
        kind=kind)


def _programmes(session: Session, changes: dict[int, list[Item]]
                ) -> dict[str, list[ProgrammeRow]]:
    rows = session.exec(select(
        Programme.id, Programme.name, Programme.parent_id, Programme.line, Programme.status,
        Programme.note).order_by(col(Programme.id))).all()
    names = {row[0]: row[1] for row in rows}
    children: dict[int | None, list[tuple]] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows:
        children[row[2] if row[2] in names else None].append(row)
    ordered: list[tuple] = []  # type: ignore[type-arg]
    for root in children[None]:  # parents first, then their plans, as the report lists them
        ordered.append(root)
        ordered.extend(children.get(root[0], ()))
    seen = {row[0] for row in ordered}
    ordered.extend(row for row in rows if row[0] not in seen)  # deeper levels, if any
    by_line: dict[str, list[ProgrammeRow]] = defaultdict(list)
    for p_id, name, parent_id, line, status, note in ordered:
        found = sorted(changes.get(p_id, ()), key=lambda i: i.at)
        by_line[line].append(ProgrammeRow(p_id, name, names.get(parent_id), line, status,
                                          note or "", tuple(found)))
    return by_line
