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
from tracker.dates.spans import EARLIEST, span_of
from tracker.dates.vocab import month_name
from tracker.digest.budget import find_checks, load_budget, load_indicators
from tracker.digest.history import (
    Later,
    changes_after,
    field_at_end,
    programme_notes_at_end,
    rag_at_end,
    status_since,
)
from tracker.digest.model import (
    Digest,
    DossierDigest,
    Item,
    LineDigest,
    ProgrammeRow,
    Reason,
    UpcomingDeadline,
)
from tracker.digest.texts import load_key_figures, load_texts
from tracker.errors import InvalidInput
from tracker.kamer.services import ACTOR as KAMER_ACTOR
from tracker.models import (
    Deadline,
    DeadlineStatus,
    Dossier,
    Event,
    Line,
    MilestoneRole,
    Phase,
    Programme,
)
from tracker.seed import DATASET_ACTOR
from tracker.services.common import EventKind

LINE_ORDER = tuple(line.value for line in Line)
ACTION = MilestoneRole.ACTION.value  # only actions are "afgerond", "niet afgemeld", "niet gehaald"
_KEY = re.compile(r"^(\d{4})(?:H([12])|Q([1-4])|-(\d{2})|W(\d{2}))$")
_DOSSIER_EVENTS = {
    EventKind.STATUS.value: Reason.STATUS_CHANGED,
    EventKind.NOTE.value: Reason.NOTE,
    EventKind.DEADLINE_ADDED.value: Reason.DEADLINE_ADDED,
    EventKind.DEADLINE_MOVED.value: Reason.DEADLINE_MOVED,
    EventKind.DEADLINE_DONE.value: Reason.MILESTONE_REACHED,
    EventKind.DEADLINE_MISSED.value: Reason.DEADLINE_MISSED,
    EventKind.DEADLINE_CANCELLED.value: Reason.DEADLINE_CANCELLED,
    EventKind.ARCHIVED.value: Reason.ARCHIVED,
}
_CLOSING = frozenset({EventKind.DEADLINE_DONE.value, EventKind.DEADLINE_MISSED.value,
                      EventKind.DEADLINE_CANCELLED.value})
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


class PeriodNotStarted(InvalidInput):
    """The period lies wholly in the future: there is nothing to report yet."""

    def __init__(self, period: Period, today: date) -> None:
        start = f"{period.start.day} {month_name(period.start.month, 'nl')} {period.start.year}"
        start_en = (f"{period.start.day} {month_name(period.start.month, 'en').capitalize()} "
                    f"{period.start.year}")
        super().__init__(
            f"{period.label('nl').capitalize()} is nog niet begonnen (begint {start}); "
            "een rapportage kan pas over een periode die loopt of voorbij is.",
            f"The {period.label('en')} has not begun yet (it starts {start_en}); a digest "
            "covers a period that is running or over.",
            example="lobby digest --period 2023H2")
        self.period, self.today = period, today


def build_digest(*, session: Session, period: Period, now: datetime, tz: ZoneInfo) -> Digest:
    """What `period` brought, as it stood at its end: per execution line each dossier's and
    programme's status at the end (reconstructed from the history), the items of the period,
    the milestones of the next period, the budget, indicators, key figures and the report's
    own texts. A period that has not begun is refused (`PeriodNotStarted`)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    kind = period_kind(period)
    today = local_today(now, tz)
    if period.start > today:
        raise PeriodNotStarted(period, today)
    current = today < period.end
    cutoff = today if current else period.end
    nxt = next_window(period, max(cutoff, period.start))
    end_utc = _utc(period.end, tz) if not current else now
    later = changes_after(session, end_utc)
    statuses = rag_at_end(session, later, end_utc)
    since = status_since(session, end_utc)

    dossier_rows = session.exec(select(
        Dossier.id, Dossier.code, Dossier.title, Dossier.line, Dossier.rag, Dossier.rag_reason,
        Dossier.rag_since, Dossier.phase, Dossier.funding_needed, Dossier.funding_secured,
        Dossier.summary, Dossier.goal, Dossier.funding_note, Dossier.owner,
    ).order_by(col(Dossier.id))).all()
    codes = {row[0]: row[1] for row in dossier_rows}
    lines_of = {row[0]: row[3] for row in dossier_rows}
    owners = {row[0]: field_at_end(later, row[0], "owner", row[13]) if later.fields else row[13]
              for row in dossier_rows}

    items: dict[int, list[Item]] = defaultdict(list)
    programme_items: dict[int, list[Item]] = defaultdict(list)
    closed_in_events: list[tuple[int, int, Item]] = []
    # Core rows, not ORM ones: a half-year of a big team is tens of thousands of events.
    connection = session.connection()
    raw_at = connection.dialect.name == "sqlite"
    at_column = type_coerce(Event.at, String) if raw_at else Event.at
    event_rows = connection.execute(select(
        at_column, Event.kind, Event.actor, Event.dossier_id, Event.deadline_id, Event.programme_id,
        Event.before, Event.after, Event.text, Event.approximate, Event.precision,
    ).where(col(Event.at) >= _utc(period.start, tz), col(Event.at) < end_utc,
            col(Event.kind).in_([*_DOSSIER_EVENTS, EventKind.PROGRAMME_STATUS.value]))
    ).all()
    offsets: dict[str, timedelta] = {}
    programme_status = Reason.PROGRAMME_STATUS  # hoisted
    new_deadlines = later.new_deadlines
    kamer_moves: list[tuple[int, int]] = []  # (dossier, index in its items)
    for at, ev_kind, actor, dossier_id, deadline_id, programme_id, before, after, text, approx, \
            precision in event_rows:
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
                programme_status, day, text or "", before, after, bool(approx), None, None,
                precision or "day"))
            continue
        if dossier_id is None or (new_deadlines and deadline_id in new_deadlines):
            continue
        # positional: keyword arguments make a NamedTuple noticeably slower at this volume
        item = Item(_DOSSIER_EVENTS[ev_kind], day, text or "", before, after, bool(approx),
                    deadline_id, None, precision or "day")
        if deadline_id is not None and ev_kind in _CLOSING:
            closed_in_events.append((dossier_id, deadline_id, item))
        else:
            if actor == KAMER_ACTOR and ev_kind == EventKind.DEADLINE_MOVED.value:
                kamer_moves.append((dossier_id, len(items[dossier_id])))
            items[dossier_id].append(item)
    _name_kamer_moves(session, items, kamer_moves)

    upcoming, classified = _milestones(session, period, nxt, cutoff, later, owners, codes,
                                       lines_of, items)
    # A milestone due in the period is told by its state at the end; a closing event of one
    # due elsewhere (done early, say) is told on the day it happened.
    for dossier_id, deadline_id, item in closed_in_events:
        if deadline_id not in classified:
            items[dossier_id].append(item)
    for found in items.values():
        found.sort(key=lambda i: (_reach(i.at, i.precision, i.due_part, i.qualifier)
                                  if i.kind is not None else i.at, _ORDER[i.reason]))

    next_steps: dict[str, list[UpcomingDeadline]] = defaultdict(list)
    for u in upcoming:
        next_steps[u.dossier_code].append(u)
    dossiers_by_line: dict[str, list[DossierDigest]] = defaultdict(list)
    for (d_id, code, title, line, rag, rag_reason, rag_since, phase, needed, secured, summary,
         goal, funding_note, owner) in dossier_rows:
        if d_id in later.new_dossiers:
            continue
        if later.fields:  # edited since the period's end: the values as they were then
            title, line, summary, goal, funding_note, needed, secured, owner, phase = (
                field_at_end(later, d_id, name, value) for name, value in (
                    ("title", title), ("line", line), ("summary", summary), ("goal", goal),
                    ("funding_note", funding_note), ("funding_needed", needed),
                    ("funding_secured", secured), ("owner", owner), ("phase", phase)))
        if d_id in later.archived:
            phase = Phase.ACTIVE.value
        found = items.get(d_id, [])
        if phase == Phase.CLOSED.value and not found:
            continue
        at_end = statuses.get(d_id)
        if at_end is not None:
            rag, rag_reason = at_end.rag, at_end.reason
        if (d_id, "rag_reason") in later.fields:  # the reason that held at the period's end
            rag_reason = str(field_at_end(later, d_id, "rag_reason", rag_reason) or "")
        # "sinds" only when the history dates this status; never a placeholder of a dataset
        dated = since.get(d_id)
        rag_since, since_precision = (None, "day")
        if dated is not None and dated.rag == rag:
            rag_since, since_precision = dated.at.astimezone(tz).date(), dated.precision
        dossiers_by_line[line].append(DossierDigest(
            d_id, code, title, line, rag, rag_reason, rag_since, phase, needed, secured,
            tuple(found), summary or "", goal or "", funding_note or "", owner,
            tuple(next_steps.get(code, ())), since_precision))

    programmes_by_line = _programmes(session, programme_items, later, end_utc)
    texts = load_texts(session, period)
    lines = tuple(
        LineDigest(line, tuple(dossiers_by_line.get(line, ())),
                   tuple(programmes_by_line.get(line, ())), *texts.for_line(line))
        for line in (*LINE_ORDER, *sorted((set(dossiers_by_line) | set(programmes_by_line))
                                          - set(LINE_ORDER)))
        if dossiers_by_line.get(line) or programmes_by_line.get(line))

    big = kind in ("half", "quarter")
    budget = load_budget(session, period.start.year) if big else None
    indicators = load_indicators(session, period) if big else ()
    return Digest(
        period=period, generated_at=now, tz=tz.key, lines=lines, next_period=nxt,
        upcoming=tuple(upcoming), budget=budget, indicators=indicators, kind=kind,
        as_of=today if current else period.end - timedelta(days=1),
        current=current, front=texts.front,
        key_figures=load_key_figures(session, period.start.year) if big else (),
        risks=texts.risks, decisions=texts.decisions,
        checks=find_checks(budget, indicators, {"besluiten": texts.decisions,
                                                "risico's": texts.risks}))


def _milestones(session: Session, period: Period, nxt: Period, cutoff: date, later: Later,
                owners: dict[int, str | None], codes: dict[int, str], lines_of: dict[int, str],
                items: dict[int, list[Item]]) -> tuple[list[UpcomingDeadline], set[int]]:
    """Each milestone due in the period told by its role and its state at the period's end;
    the open ones of the next window. Returns (upcoming, ids told as items)."""
    columns = (Deadline.id, Deadline.dossier_id, Deadline.title, Deadline.kind,
               Deadline.due_date, Deadline.due_time, Deadline.approximate, Deadline.status,
               Deadline.role, Deadline.owner, Deadline.precision, Deadline.qualifier,
               Deadline.due_part)
    # "op z'n vroegst" is stored at its span's start, which may lie up to a year before the
    # span's end that places it
    starts = (col(Deadline.due_date) >= period.start) | (
        (col(Deadline.qualifier) == EARLIEST)
        & (col(Deadline.due_date) >= period.start - timedelta(days=366)))
    in_window = starts & (col(Deadline.due_date) < nxt.end)
    where = in_window | col(Deadline.id).in_(list(later.deadline_ids)) \
        if later.deadline_ids else in_window
    rows = session.exec(select(*columns).where(where)).all()
    upcoming: list[UpcomingDeadline] = []
    told: set[int] = set()
    for (dl_id, dossier_id, title, dl_kind, due, due_time, approx, status, role, owner,
         precision, qualifier, due_part) in rows:
        if dl_id in later.new_deadlines or dossier_id in later.new_dossiers:
            continue
        status = later.deadline_status.get(dl_id, status)
        moved = later.deadline_due.get(dl_id)
        if moved:  # moved since the period's end: its date as it stood then
            due, due_time = moved.due, moved.at
            precision, due_part, qualifier = moved.precision, moved.part, moved.qualifier
        # a rough date is placed by its span: "op z'n vroegst eind 2023" by 31 December
        reach = _reach(due, precision, due_part, qualifier)
        if not period.start <= reach < nxt.end:
            continue
        action = role == ACTION
        reason: Reason | None = None
        if reach < period.end:
            if status == DeadlineStatus.DONE.value:
                reason = Reason.MILESTONE_REACHED if action else Reason.EVENT_HELD
            elif status == DeadlineStatus.MISSED.value:
                reason = Reason.DEADLINE_MISSED
            elif status == DeadlineStatus.CANCELLED.value:
                reason = Reason.DEADLINE_CANCELLED
            elif reach < cutoff:
                reason = (Reason.NOT_REPORTED if action
                          else Reason.EVENT_HELD if _known_to_the_day(precision, qualifier)
                          else Reason.EVENT_EXPECTED)
        if reason is not None:
            items[dossier_id].append(Item(reason, due, title, None, None, bool(approx), dl_id,
                                          dl_kind, precision, role,
                                          owner or owners.get(dossier_id), qualifier, due_part))
            told.add(dl_id)
        elif status == DeadlineStatus.OPEN.value and reach >= nxt.start:
            upcoming.append(UpcomingDeadline(
                dl_id, codes.get(dossier_id, "?"), lines_of.get(dossier_id, ""), title, dl_kind,
                due, due_time, bool(approx), role=role, precision=precision,
                qualifier=qualifier, due_part=due_part))
    upcoming.sort(key=lambda u: (_reach(u.due_date, u.precision, u.due_part, u.qualifier),
                                 u.due_time or time(0), u.id))
    return upcoming, told


def _reach(due: date, precision: str, part: str, qualifier: str) -> date:
    """The last day a milestone's date stands for: the day itself, or the end of its span
    (the stored anchor of "op z'n vroegst" is the span's first day, for the reminders)."""
    if precision in ("", "day"):
        return due
    try:
        return span_of(due, precision, part)[1]
    except ValueError:  # a precision no code knows: its own day
        return due


def _known_to_the_day(precision: str, qualifier: str) -> bool:
    """Only an event dated to the day, without "ca." or "op z'n vroegst", is known to have
    taken place once its day has passed; a rough one is expected, not confirmed."""
    return precision in ("", "day") and qualifier not in ("ca", EARLIEST)


def _name_kamer_moves(session: Session, items: dict[int, list[Item]],
                      moves: list[tuple[int, int]]) -> None:
    """A move by the Tweede Kamer is told with the milestone's title and who moved it; the
    dates come from its before → after (one query, for those moves only)."""
    if not moves:
        return
    ids = {items[d][i].deadline_id for d, i in moves} - {None}
    titles = dict(session.exec(select(Deadline.id, Deadline.title)
                               .where(col(Deadline.id).in_(list(ids)))).all()) if ids else {}
    for dossier_id, index in moves:
        item = items[dossier_id][index]
        title = titles.get(item.deadline_id or -1)
        text = f"{title} (verzet door de Tweede Kamer)" if title else "verzet door de Tweede Kamer"
        items[dossier_id][index] = item._replace(text=text)


def _programmes(session: Session, changes: dict[int, list[Item]], later: Later,
                end: datetime) -> dict[str, list[ProgrammeRow]]:
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
    notes = programme_notes_at_end(session, later, end)
    by_line: dict[str, list[ProgrammeRow]] = defaultdict(list)
    for p_id, name, parent_id, line, status, note in ordered:
        if p_id in later.programme:  # changed since: its status and note as they were
            status, note = later.programme[p_id], notes.get(p_id, note)
        if p_id in later.programme_note:  # the note it had then, recorded with the change
            note = later.programme_note[p_id] or ""
        found = sorted(changes.get(p_id, ()), key=lambda i: i.at)
        by_line[line].append(ProgrammeRow(p_id, name, names.get(parent_id), line, status,
                                          note or "", tuple(found)))
    return by_line
