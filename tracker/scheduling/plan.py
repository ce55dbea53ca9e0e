"""What the scheduler owes at an instant, derived from the records (no clock, no Slack).

Moments are local wall times turned into UTC once (`local_moment`); a moment between 02:00
and 03:00 local is moved to 03:00, so nothing lands in (or is doubled by) a DST switch.
Ledger keys, one per (what, occurrence, channel):
    reminder:{deadline}:{occurrence}:{offset}:{channel}    overdue:{deadline}:{due}:{channel}
    snooze:{deadline}:{occurrence}:{YYYYmmddTHHMM}:{channel}
    agenda:{iso-week}:{channel}     digest:{period}:{channel}     cleanup:{YYYY-MM}:{recipient}
A member who chose `/lobby voorkeur dm` gets the reminders they own in a DM: their channel is
their user id (the notifier opens the DM).
Nothing is owed outside working hours (tracker.scheduling.hours): a tick then plans nothing.
    confirm:{period}:{owner}:{channel}  (tracker.scheduling.confirm)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from tracker.dates import (
    half_year_of,
    is_working_day,
    local_to_utc,
    next_working_day,
    previous_half_year,
    previous_working_day,
)
from tracker.dates.core import checked_date
from tracker.dates.periods import half_year
from tracker.models import Deadline, DeadlineStatus, Delivery, Dossier, Member, Phase
from tracker.roles import is_action
from tracker.scheduling.hours import first_working_day, next_opening, within_working_hours
from tracker.scheduling.items import (
    Agenda,
    AgendaEntry,
    Cleanup,
    DeadlineInfo,
    DigestItem,
    Item,
    Overdue,
    Reminder,
    Snoozed,
)
from tracker.services.deadlines import (
    DEFAULT_OFFSETS,
    FALLBACK_OFFSETS,
    DeadlineLine,
    list_upcoming,
    occurrences,
    offsets_for,
)
from tracker.services.dossiers import DossierLine
from tracker.settings import Settings

log = logging.getLogger(__name__)

AGENDA_TIME = time(8, 30)
DIGEST_TIME = time(9, 0)
# Posted later than this after its moment, an item is marked "(later verzonden)".
LATE_AFTER = timedelta(minutes=15)
# Reminders of occurrences further back than this are neither sent nor recorded as skipped.
LOOKBACK = timedelta(days=7)
# A digest missed by downtime is still posted within this many days of its moment; a fresh
# install in the middle of a half-year does not post the previous one out of the blue.
DIGEST_CATCH_UP = timedelta(days=14)
NIGHT = (time(2, 0), time(3, 0))
# A rung moved back over a long weekend and holidays (Christmas) lies at most this much earlier.
MAX_MOVE_BACK = timedelta(days=10)
# An action overdue for longer leaves the weekly agenda for the monthly clean-up message.
CLEANUP_AFTER = timedelta(weeks=4)
AGENDA_OVERDUE_SHOWN = 5  # the agenda names the five oldest overdue actions, counts the rest
DM = "dm"  # Member.reminders_via for a DM; anything else: a mention in the channel

SKIP_PASSED = "deadline passed before it could be sent"
SKIP_NUDGE_DAY = "overdue nudge: its working day passed during downtime"
SKIP_GONE = "no longer due (done, cancelled, moved or past)"
SKIP_EMPTY = "empty: nothing to post"


@dataclass(frozen=True)
class Skip:
    """A ledger row to record as skipped instead of posting."""

    key: str
    kind: str
    channel: str
    deadline_id: int | None
    due_at: datetime
    reason: str
    status: str = "skipped"  # "failed" for a record that could not be planned (`Plan.skip`)


@dataclass
class Plan:
    """What one tick owes: items to post, and items to record as skipped."""

    post: list[Item] = field(default_factory=list)
    skip: list[Skip] = field(default_factory=list)


def local_moment(day: date, at: time, settings: Settings) -> datetime:
    """The UTC instant of local wall time `at` on `day`, never between 02:00 and 03:00 local."""
    if NIGHT[0] <= at < NIGHT[1]:
        at = NIGHT[1]
    return local_to_utc(day, at, settings.tz)


def ladder(due: date, offsets: Iterable[int]) -> list[tuple[date, int]]:
    """(day, offset) of each rung: due − offset, moved back to a working day; one rung a day."""
    days: dict[date, int] = {}
    for offset in sorted(set(offsets)):  # nearest first: on a shared day the nearest rung wins
        days.setdefault(previous_working_day(due - timedelta(days=offset)), offset)
    return sorted(days.items())


def agenda_day(today: date) -> date:
    """The first working day of `today`'s ISO week (Monday, or Tuesday after Easter Monday)."""
    monday = today - timedelta(days=today.weekday())
    day = monday
    while not is_working_day(day) and day < monday + timedelta(days=4):
        day += timedelta(days=1)
    return day if is_working_day(day) else monday


def week_key(day: date) -> str:
    """"2023W47"."""
    year, week, _ = day.isocalendar()
    return f"{year}W{week:02d}"


def reminder_key(deadline_id: int, due: date, offset: int, channel: str) -> str:
    """Ledger key of one reminder rung."""
    return f"reminder:{deadline_id}:{due.isoformat()}:{offset}:{channel}"


def overdue_key(deadline_id: int, due: date, channel: str) -> str:
    """Ledger key of an overdue nudge."""
    return f"overdue:{deadline_id}:{due.isoformat()}:{channel}"


def snooze_key(deadline_id: int, due: date, at: datetime, channel: str) -> str:
    """Ledger key of the one extra reminder a "Herinner morgen" asked for (one per click)."""
    return f"snooze:{deadline_id}:{due.isoformat()}:{at:%Y%m%dT%H%M}:{channel}"


def cleanup_key(month: str, recipient: str) -> str:
    """Ledger key of a monthly clean-up message."""
    return f"cleanup:{month}:{recipient}"


def agenda_key(week: str, channel: str) -> str:
    """Ledger key of a weekly agenda."""
    return f"agenda:{week}:{channel}"


def digest_key(period: str, channel: str) -> str:
    """Ledger key of a half-year digest."""
    return f"digest:{period}:{channel}"


def _what(key: str) -> str:
    """The key without its channel: a rung sent to a channel is not owed again in another."""
    return key.rsplit(":", 1)[0]


def channel_for(dossier: Dossier, settings: Settings) -> str | None:
    """The dossier's channel, else LOBBY_DEFAULT_CHANNEL."""
    return dossier.channel or settings.lobby_default_channel or None


def deadline_info(deadline: Deadline | DeadlineLine, dossier: Dossier | DossierLine) -> DeadlineInfo:
    """The snapshot a message needs; the owner is the deadline's, else the dossier's."""
    assert deadline.id is not None
    return DeadlineInfo(id=deadline.id, version=deadline.version, title=deadline.title,
                        kind=deadline.kind, due_time=deadline.due_time,
                        approximate=deadline.approximate, dossier_code=dossier.code,
                        dossier_title=dossier.title, owner=deadline.owner or dossier.owner,
                        recurring=bool(deadline.rrule), precision=deadline.precision,
                        qualifier=deadline.qualifier, due_part=deadline.due_part,
                        role=deadline.role)


def dm_members(session: Session) -> frozenset[str]:
    """The members who want their reminders as a DM (`/lobby voorkeur dm`)."""
    return frozenset(session.exec(select(Member.user_id).where(Member.reminders_via == DM)))


def route(info: DeadlineInfo, channel: str | None, dms: frozenset[str]) -> str | None:
    """Where a deadline's reminder goes: its owner's DM when they chose so, else `channel`."""
    return info.owner if info.owner and info.owner in dms else channel


def _open_deadlines(session: Session) -> list[tuple[Deadline, Dossier]]:
    query = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
             .where(Deadline.status == DeadlineStatus.OPEN.value,
                    Dossier.phase != Phase.CLOSED.value)
             .order_by(Deadline.due_date, Deadline.id))
    return list(session.exec(query).all())


# Without their own ladder, deadlines are reminded at most this many days ahead.
MAX_DEFAULT_OFFSET = max(max(o) for o in (*DEFAULT_OFFSETS.values(), FALLBACK_OFFSETS))


def _plannable_deadlines(session: Session, today: date) -> list[tuple[Deadline, Dossier]]:
    """The open deadlines a tick at `today` may owe something for, without reading the rest.

    A tick's work grows with what is due, not with what is stored: a deadline with the default
    ladder is owed a reminder only when its date lies within [today − LOOKBACK, today + its
    largest offset + MAX_MOVE_BACK]. Deadlines further back are read only while they may still
    owe an overdue nudge (no nudge row since they were last scheduled); recurring deadlines and
    those with their own ladder are few, and read whatever their date.
    """
    low = today - LOOKBACK - MAX_MOVE_BACK
    high = today + timedelta(days=MAX_DEFAULT_OFFSET) + MAX_MOVE_BACK
    base = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
            .where(Deadline.status == DeadlineStatus.OPEN.value,
                   Dossier.phase != Phase.CLOSED.value))
    nudged = (select(Delivery.id)
              .where(Delivery.deadline_id == Deadline.id, Delivery.kind == Overdue.kind,
                     col(Delivery.claimed_at) >= Deadline.scheduled_at))
    queries = (
        base.where(Deadline.due_date >= low, Deadline.due_date <= high),
        # Only actions are nudged when overdue; an event past its date has taken place.
        base.where(Deadline.due_date < low, Deadline.role == "action", ~nudged.exists()),

        # No date condition on these two, so the (status, rrule) and (status, offsets)
        # indexes find them (a date range would make SQLite scan the (status, due_date) one).
        base.where(col(Deadline.rrule).is_not(None)),
        base.where(col(Deadline.offsets).is_not(None)),
    )
    # Snoozed ones by the snooze index alone, in two steps: with the status in the same
    # statement SQLite reads every open deadline instead.
    snoozed = list(session.exec(select(Deadline.id).where(
        col(Deadline.snooze_until) >= datetime.combine(low, time(), UTC))))
    if snoozed:
        queries = (*queries, base.where(col(Deadline.id).in_(snoozed)))
    found: dict[int, tuple[Deadline, Dossier]] = {}
    for query in queries:
        for deadline, dossier in session.exec(query):
            found[deadline.id or 0] = (deadline, dossier)
    return sorted(found.values(), key=lambda pair: (pair[0].due_date, pair[0].id or 0))


def _passed(deadline: Deadline, due: date, now: datetime, settings: Settings) -> bool:
    """True when the occurrence on `due` lies behind us (its day, or its time today, is over)."""
    today = now.astimezone(settings.tz).date()
    if due != today:
        return due < today
    return deadline.due_time is not None and local_to_utc(
        due, deadline.due_time, settings.tz) <= now


def _owed_rung(deadline: Deadline, due: date, now: datetime, settings: Settings,
               sent: Callable[[int], bool]) -> tuple[datetime, int] | None:
    """The rung to send at `now`, if any: after downtime only the most recent missed one; and
    when a missed one goes out on a day that has its own rung later, it goes out as that day's
    rung (a late "Vandaag" is never followed by a second one). `sent(offset)`: in the ledger."""
    rungs = list(_rungs(deadline, due, settings))
    owed = [rung for rung in rungs if rung[0] <= now]
    if not owed:
        return None
    moment, offset = max(owed)
    if sent(offset):
        return None
    if _late(moment, now):
        today = now.astimezone(settings.tz).date()
        later_today = [r for r in rungs
                       if r[0] > now and r[0].astimezone(settings.tz).date() == today]
        if later_today:
            return moment, min(later_today)[1]
    return moment, offset


def _rungs(deadline: Deadline, due: date, settings: Settings) -> Iterator[tuple[datetime, int]]:
    """(moment, offset) of each owed rung: moments before scheduled_at are not owed."""
    for day, offset in ladder(due, offsets_for(deadline)):
        moment = local_moment(day, settings.reminder_time, settings)
        if moment >= deadline.scheduled_at:
            yield moment, offset


def _nudge_moment(deadline: Deadline, settings: Settings) -> datetime | None:
    """When the overdue nudge is owed, or None (an event, recurring, or recorded when past)."""
    if deadline.rrule or not is_action(deadline.role) \
            or deadline.scheduled_at.astimezone(settings.tz).date() > deadline.due_date:
        return None
    return local_moment(next_working_day(deadline.due_date), settings.reminder_time, settings)


def _late(moment: datetime, now: datetime) -> bool:
    return now - moment > LATE_AFTER


def _sound(pairs: list[tuple[Deadline, Dossier]], plan: Plan, now: datetime,
           settings: Settings) -> list[tuple[Deadline, Dossier]]:
    """The pairs that can be planned. A record that cannot (a date past the year window, a
    broken rule, …) is left out and recorded as failed with its error, once per version, so
    one bad record never stops everyone else's reminders (`lobby doctor` shows it)."""
    today = now.astimezone(settings.tz).date()
    kept = []
    for deadline, dossier in pairs:
        try:
            checked_date(deadline.due_date)
            deadline_info(deadline, dossier)
            horizon = today + timedelta(days=max(offsets_for(deadline), default=0)) + MAX_MOVE_BACK
            for due in occurrences(deadline, today - LOOKBACK, horizon):
                list(_rungs(deadline, due, settings))
                _passed(deadline, due, now, settings)
            _nudge_moment(deadline, settings)
        except Exception as exc:  # any error: this record is skipped, the tick goes on
            error = f"{type(exc).__name__}: {exc}"
            log.warning("deadline #%s cannot be planned: %s", deadline.id, error)
            plan.skip.append(Skip(f"plan:{deadline.id}:v{deadline.version}", "plan",
                                  channel_for(dossier, settings) or "-", deadline.id, now,
                                  error, status="failed"))
            continue
        kept.append((deadline, dossier))
    return kept


def plan_tick(*, session: Session, settings: Settings, now: datetime) -> Plan:
    """Everything owed at `now` that the ledger has no row for yet."""
    plan = Plan()
    if not within_working_hours(now, settings):
        return plan  # what comes due now waits for the next working morning
    tz = settings.tz
    today = now.astimezone(tz).date()
    pairs = _sound(_plannable_deadlines(session, today), plan, now, settings)
    seen = _ledger_whats(session, [d.id for d, _ in pairs if d.id is not None])
    dms = dm_members(session)
    for deadline, dossier in pairs:
        info = deadline_info(deadline, dossier)
        channel = route(info, channel_for(dossier, settings), dms)
        if channel is None or deadline.id is None:
            continue
        horizon = today + timedelta(days=max(offsets_for(deadline), default=0)) + MAX_MOVE_BACK
        reminded = False
        for due in occurrences(deadline, today - LOOKBACK, horizon):
            def sent(offset: int, d: date = due, i: int = deadline.id, c: str = channel) -> bool:
                return _what(reminder_key(i, d, offset, c)) in seen

            rung = _owed_rung(deadline, due, now, settings, sent)
            if rung is None:
                continue
            moment, offset = rung
            key = reminder_key(deadline.id, due, offset, channel)
            if _what(key) in seen:
                continue
            if _passed(deadline, due, now, settings):
                plan.skip.append(Skip(key, Reminder.kind, channel, deadline.id, moment, SKIP_PASSED))
            else:
                reminded = True
                plan.post.append(Reminder(key=key, channel=channel, due_at=moment, today=today,
                                          late=_late(moment, now), deadline=info, due=due,
                                          offset=offset))
        _plan_snooze(plan, deadline, info, channel, seen, now, today, skip=reminded)
        moment_ = _nudge_moment(deadline, settings)
        if moment_ is not None and moment_ <= now:
            key = overdue_key(deadline.id, deadline.due_date, channel)
            if _what(key) in seen:
                continue
            if moment_.astimezone(tz).date() < today:
                plan.skip.append(Skip(key, Overdue.kind, channel, deadline.id, moment_,
                                      SKIP_NUDGE_DAY))
            else:
                plan.post.append(Overdue(key=key, channel=channel, due_at=moment_, today=today,
                                         late=_late(moment_, now), deadline=info,
                                         due=deadline.due_date))
    _plan_agenda(plan, session, settings, now)
    _plan_digest(plan, session, settings, now)
    _plan_cleanup(plan, session, settings, now, dms)
    from tracker.scheduling.confirm import plan_confirmations  # the round before the digest
    plan_confirmations(plan, session, settings, now)
    from tracker.kamer.deliver import plan_notices  # what the Tweede Kamer sync found

    plan.post.extend(plan_notices(session=session, settings=settings, now=now))
    plan.post.sort(key=lambda item: (item.due_at, item.key))
    return plan


SKIP_SNOOZE_SAME_DAY = "snooze: a regular reminder went out in the same tick"


def _plan_snooze(plan: Plan, deadline: Deadline, info: DeadlineInfo, channel: str,
                 seen: set[str], now: datetime, today: date, *, skip: bool) -> None:
    """The extra reminder a "Herinner morgen" asked for, once its moment has come."""
    at = deadline.snooze_until
    if at is None or at > now or now - at > LOOKBACK or deadline.id is None:
        return
    key = snooze_key(deadline.id, deadline.due_date, at, channel)
    if _what(key) in seen:
        return
    if skip:  # the regular rung of today says the same; one line, not two
        plan.skip.append(Skip(key, Snoozed.kind, channel, deadline.id, at, SKIP_SNOOZE_SAME_DAY))
        return
    plan.post.append(Snoozed(key=key, channel=channel, due_at=at, today=today,
                             late=_late(at, now), deadline=info, due=deadline.due_date,
                             offset=(deadline.due_date - today).days))


def _ledger_whats(session: Session, deadline_ids: list[int]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(deadline_ids), 500):
        chunk = deadline_ids[start:start + 500]
        keys = session.exec(select(Delivery.key).where(col(Delivery.deadline_id).in_(chunk)))
        found.update(_what(key) for key in keys)
    return found


def _has_row(session: Session, key: str) -> bool:
    return session.exec(select(Delivery.id).where(Delivery.key == key)).first() is not None


def _plan_agenda(plan: Plan, session: Session, settings: Settings, now: datetime) -> None:
    channel = settings.lobby_default_channel
    today = now.astimezone(settings.tz).date()
    day = agenda_day(today)
    moment = local_moment(day, AGENDA_TIME, settings)
    # Only on its own day: after downtime a Tuesday gets no Monday agenda (the week's reminders
    # say what it would have said), and never in the evening (working hours).
    if not channel or moment > now or today != day:
        return
    key = agenda_key(week_key(today), channel)
    if _has_row(session, key):
        return
    item = build_agenda(session=session, settings=settings, now=now, key=key, channel=channel,
                        due_at=moment)
    if item is None:
        plan.skip.append(Skip(key, Agenda.kind, channel, None, moment, SKIP_EMPTY))
    else:
        plan.post.append(item)


def build_agenda(*, session: Session, settings: Settings, now: datetime, key: str, channel: str,
                 due_at: datetime) -> Agenda | None:
    """This week's deadlines, and the overdue actions (up to four weeks: the five oldest and
    how many there are), or None when there is nothing."""
    today = now.astimezone(settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    upcoming = list_upcoming(session=session, now=now, tz=settings.tz,
                             until=monday + timedelta(days=6))
    oldest = today - CLEANUP_AFTER
    overdue = [u for u in upcoming if u.overdue and u.due >= oldest]
    overdue.sort(key=lambda u: (u.due, u.deadline.id))
    coming = [u for u in upcoming if u.due >= today]  # an event past its date is not "coming"
    entries = tuple(AgendaEntry(deadline_info(u.deadline, u.dossier), u.due, u.overdue)
                    for u in [*overdue[:AGENDA_OVERDUE_SHOWN], *coming])
    if not entries:
        return None
    return Agenda(key=key, channel=channel, due_at=due_at, today=today, late=_late(due_at, now),
                  week_key=week_key(today), week_start=monday, entries=entries,
                  overdue_count=len(overdue))


def _plan_digest(plan: Plan, session: Session, settings: Settings, now: datetime) -> None:
    channel = settings.lobby_digest_channel
    today = now.astimezone(settings.tz).date()
    moment = local_moment(first_working_day(half_year_of(today).start), DIGEST_TIME, settings)
    if not channel or moment > now or now - moment > DIGEST_CATCH_UP:
        return
    period = previous_half_year(today)
    key = digest_key(period.key, channel)
    if _has_row(session, key):
        return
    item = build_digest_item(session=session, settings=settings, now=now, key=key,
                             channel=channel, due_at=moment)
    if item is None:
        plan.skip.append(Skip(key, DigestItem.kind, channel, None, moment, SKIP_EMPTY))
    else:
        plan.post.append(item)


def build_digest_item(*, session: Session, settings: Settings, now: datetime, key: str,
                      channel: str, due_at: datetime) -> DigestItem | None:
    """The digest of the half-year just ended, or None when nothing happened in it."""
    from tracker.digest import build_digest

    today = now.astimezone(settings.tz).date()
    period = previous_half_year(today)
    digest = build_digest(session=session, period=period, now=now, tz=settings.tz)
    if digest.is_empty:
        return None
    return DigestItem(key=key, channel=channel, due_at=due_at, today=today,
                      late=_late(due_at, now), period=period, digest=digest)


def _plan_cleanup(plan: Plan, session: Session, settings: Settings, now: datetime,
                  dms: frozenset[str]) -> None:
    """On the first working day of a month: each owner (or the admins) gets one message with
    their actions overdue for more than four weeks, which have left the weekly agenda."""
    today = now.astimezone(settings.tz).date()
    day = first_working_day(today.replace(day=1))
    moment = local_moment(day, settings.reminder_time, settings)
    if today != day or moment > now:
        return
    month = f"{today:%Y-%m}"
    for recipient, entries in cleanup_entries(session=session, settings=settings,
                                              today=today).items():
        key = cleanup_key(month, recipient)
        if not _has_row(session, key):
            plan.post.append(Cleanup(key=key, channel=recipient, due_at=moment, today=today,
                                     late=_late(moment, now), month=month,
                                     entries=tuple(entries)))


def cleanup_entries(*, session: Session, settings: Settings, today: date
                    ) -> dict[str, list[AgendaEntry]]:
    """Open, non-recurring actions overdue for more than four weeks, by recipient: the owner
    (a DM), else each admin, else the default channel."""
    query = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
             .where(Deadline.status == DeadlineStatus.OPEN.value,
                    Dossier.phase != Phase.CLOSED.value, col(Deadline.rrule).is_(None),
                    Deadline.role == "action", Deadline.due_date < today - CLEANUP_AFTER)
             .order_by(Deadline.due_date, Deadline.id))
    found: dict[str, list[AgendaEntry]] = {}
    for deadline, dossier in session.exec(query):
        info = deadline_info(deadline, dossier)
        fallback = [settings.lobby_default_channel] if settings.lobby_default_channel else []
        recipients = [info.owner] if info.owner else (sorted(settings.admins) or fallback)
        for recipient in recipients:
            found.setdefault(recipient, []).append(AgendaEntry(info, deadline.due_date, True))
    return found


def item_for_row(*, session: Session, settings: Settings, row: Delivery,
                 now: datetime) -> Item | None:
    """Rebuild the item of a ledger row taken up again (retry, expired lease), or None when it
    is no longer owed: the deadline was done, cancelled or moved, or its moment has passed."""
    parts = row.key.split(":")
    today = now.astimezone(settings.tz).date()
    late = row.late or _late(row.due_at, now)
    if row.kind in (Reminder.kind, Overdue.kind, Snoozed.kind):
        deadline = session.get(Deadline, row.deadline_id) if row.deadline_id else None
        if deadline is None or deadline.status != DeadlineStatus.OPEN.value:
            return None
        dossier = session.get(Dossier, deadline.dossier_id)
        if dossier is None or dossier.phase == Phase.CLOSED.value:
            return None
        due = date.fromisoformat(parts[2])
        info = deadline_info(deadline, dossier)
        if row.kind == Snoozed.kind:
            if deadline.snooze_until is None or \
                    f"{deadline.snooze_until:%Y%m%dT%H%M}" != parts[3]:
                return None
            return Snoozed(key=row.key, channel=row.channel, due_at=row.due_at, today=today,
                           late=late, deadline=info, due=deadline.due_date,
                           offset=(deadline.due_date - today).days)
        if row.kind == Overdue.kind:
            if deadline.due_date != due or deadline.rrule or due >= today:
                return None
            return Overdue(key=row.key, channel=row.channel, due_at=row.due_at, today=today,
                           late=late, deadline=info, due=due)
        if due not in occurrences(deadline, due, due) or _passed(deadline, due, now, settings):
            return None
        return Reminder(key=row.key, channel=row.channel, due_at=row.due_at, today=today,
                        late=late, deadline=info, due=due, offset=int(parts[3]))
    if row.kind == Agenda.kind:
        if parts[1] != week_key(today):
            return None
        return build_agenda(session=session, settings=settings, now=now, key=row.key,
                            channel=row.channel, due_at=row.due_at)
    if row.kind == Cleanup.kind:
        if parts[1] != f"{today:%Y-%m}":
            return None
        entries = cleanup_entries(session=session, settings=settings, today=today)
        mine = entries.get(row.channel)
        return Cleanup(key=row.key, channel=row.channel, due_at=row.due_at, today=today,
                       late=late, month=parts[1], entries=tuple(mine)) if mine else None
    if row.kind == DigestItem.kind:
        if parts[1] != previous_half_year(today).key:
            return None
        return build_digest_item(session=session, settings=settings, now=now, key=row.key,
                                 channel=row.channel, due_at=row.due_at)
    from tracker.scheduling import confirm
    if row.kind == confirm.KIND:
        return confirm.item_for_row(session=session, settings=settings, row=row, now=now)
    if row.kind == "kamer":
        from tracker.kamer.deliver import item_for_notice

        return item_for_notice(session=session, settings=settings, row=row, now=now)
    return None


def next_moment(*, session: Session, settings: Settings, after: datetime) -> datetime | None:
    """The earliest moment after `after` at which something may become due (for fast-forward)."""
    tz = settings.tz
    start = after.astimezone(tz).date()
    moments: list[datetime] = []
    for deadline, dossier in _open_deadlines(session):
        if channel_for(dossier, settings) is None:
            continue
        horizon = start + timedelta(days=max(offsets_for(deadline), default=0) + 366)
        for due in occurrences(deadline, start - LOOKBACK, horizon):
            later = [m for m, _ in _rungs(deadline, due, settings) if m > after]
            if later:
                moments.append(min(later))
                break
        nudge = _nudge_moment(deadline, settings)
        if nudge is not None and nudge > after:
            moments.append(nudge)
        if deadline.snooze_until is not None and deadline.snooze_until > after:
            moments.append(deadline.snooze_until)
    month = start.replace(day=1)
    for _ in range(2):
        if (moment := local_moment(first_working_day(month), settings.reminder_time,
                                   settings)) > after:
            moments.append(moment)
            break
        month = (month + timedelta(days=32)).replace(day=1)
    if settings.lobby_default_channel:
        for weeks in (0, 1, 2):
            day = agenda_day(start + timedelta(weeks=weeks))
            if (moment := local_moment(day, AGENDA_TIME, settings)) > after:
                moments.append(moment)
                break
    from tracker.scheduling import confirm
    if (round_at := confirm.next_moment(settings, after)) is not None:
        moments.append(round_at)
    if settings.lobby_digest_channel:
        for half in _following_halves(start):
            if (moment := local_moment(first_working_day(half), DIGEST_TIME, settings)) > after:
                moments.append(moment)
                break
    # A moment outside working hours is kept for the next working morning.
    return min((next_opening(m, settings) for m in moments), default=None)


def _following_halves(day: date) -> list[date]:
    current = half_year_of(day)
    following = half_year(current.end.year, 1 if current.end.month == 1 else 2)
    return [current.start, following.start]
