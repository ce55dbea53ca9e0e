"""The confirmation round before a half-year digest (Slack-free).

`LOBBY_CONFIRM_DAYS` working days before the digest's day, every owner of open actions due in
the half-year gets ONE message listing them (Afgerond / Niet gehaald / Verzetten…); actions
without an owner go to `LOBBY_DEFAULT_CHANNEL`. Exactly once per owner per period through the
Delivery ledger:
    confirm:{period}:{owner or "-"}:{channel}
Answers are ordinary changes of the milestones (done, missed, moved), so the digest tells them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from tracker.dates import (
    Period,
    half_year_of,
    is_working_day,
    next_working_day,
    previous_working_day,
)
from tracker.dates.periods import half_year
from tracker.models import Deadline, DeadlineStatus, Delivery, Dossier, MilestoneRole, Phase
from tracker.scheduling.items import DeadlineInfo, Item
from tracker.settings import Settings

KIND = "confirm"
NO_OWNER = "-"


@dataclass(frozen=True)
class ConfirmEntry:
    """One open action to confirm."""

    deadline: DeadlineInfo
    due: date


@dataclass(frozen=True, kw_only=True)
class ConfirmRound(Item):
    """"Wilt u uw open acties van het tweede halfjaar 2023 bevestigen?": one per owner."""

    period: Period
    owner: str | None  # the Slack user asked; None: the default channel, items without owner
    digest_day: date
    entries: tuple[ConfirmEntry, ...] = field(default_factory=tuple)

    kind = KIND


def digest_day(period: Period) -> date:
    """The day the half-year digest goes out: the first working day on or after the period's
    end (1 January / 1 July)."""
    return period.end if is_working_day(period.end) else next_working_day(period.end)


def confirm_day(period: Period, days: int) -> date:
    """`days` working days before the digest's day."""
    day = digest_day(period)
    for _ in range(days):
        day = previous_working_day(day - timedelta(days=1))
    return day


def confirm_key(period: Period, owner: str | None, channel: str) -> str:
    """Ledger key of one owner's confirmation message."""
    return f"{KIND}:{period.key}:{owner or NO_OWNER}:{channel}"


def open_actions(session: Session, period: Period) -> list[tuple[Deadline, Dossier]]:
    """The open actions due in `period` of dossiers not archived, by date (one query)."""
    query = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
             .where(Deadline.status == DeadlineStatus.OPEN.value,
                    Deadline.role == MilestoneRole.ACTION.value,
                    col(Deadline.due_date) >= period.start, col(Deadline.due_date) < period.end,
                    Dossier.phase != Phase.CLOSED.value)
             .order_by(col(Deadline.due_date), col(Deadline.id)))
    return list(session.exec(query).all())


def _rounds(session: Session, settings: Settings, period: Period, now: datetime,
            due_at: datetime) -> list[ConfirmRound]:
    from tracker.scheduling.plan import _late, deadline_info

    today = now.astimezone(settings.tz).date()
    groups: dict[str | None, list[ConfirmEntry]] = defaultdict(list)
    for deadline, dossier in open_actions(session, period):
        groups[deadline.owner or dossier.owner].append(
            ConfirmEntry(deadline_info(deadline, dossier), deadline.due_date))
    out = []
    for owner, entries in groups.items():
        channel = owner or settings.lobby_default_channel
        if not channel:
            continue
        out.append(ConfirmRound(key=confirm_key(period, owner, channel), channel=channel,
                                due_at=due_at, today=today, late=_late(due_at, now),
                                period=period, owner=owner, digest_day=digest_day(period),
                                entries=tuple(entries)))
    return sorted(out, key=lambda r: r.key)


def moment(period: Period, settings: Settings) -> datetime:
    """When the round of `period` is owed: its day at LOBBY_REMINDER_TIME."""
    from tracker.scheduling.plan import local_moment

    return local_moment(confirm_day(period, settings.lobby_confirm_days),
                        settings.reminder_time, settings)


def plan_confirmations(plan: object, session: Session, settings: Settings, now: datetime) -> None:
    """Add the owed confirmation messages of the running half-year to `plan.post` (once each;
    not after the period has ended: then the digest tells what nobody confirmed)."""
    if settings.lobby_confirm_days <= 0:
        return
    period = half_year_of(now.astimezone(settings.tz).date())
    due_at = moment(period, settings)
    if due_at > now:
        return
    rounds = _rounds(session, settings, period, now, due_at)
    if not rounds:
        return
    known = set(session.exec(select(Delivery.key).where(
        col(Delivery.key).in_([r.key for r in rounds]))).all())
    plan.post.extend(r for r in rounds if r.key not in known)  # type: ignore[attr-defined]


def item_for_row(*, session: Session, settings: Settings, row: Delivery,
                 now: datetime) -> ConfirmRound | None:
    """The round of a ledger row taken up again, or None when it is no longer owed (the
    period is over, or the owner has nothing open left)."""
    _, key, owner, _channel = row.key.split(":", 3)
    year, half = int(key[:4]), int(key[-1])
    period = half_year(year, half)
    if now.astimezone(settings.tz).date() >= period.end:
        return None
    who = None if owner == NO_OWNER else owner
    for found in _rounds(session, settings, period, now, row.due_at):
        if found.owner == who and found.key == row.key:
            return found
    return None


def next_moment(settings: Settings, after: datetime) -> datetime | None:
    """The next round's moment after `after` (for the demo's fast-forward)."""
    if settings.lobby_confirm_days <= 0:
        return None
    period = half_year_of(after.astimezone(settings.tz).date())
    for _ in range(2):
        at = moment(period, settings)
        if at > after:
            return at
        nxt = period.end
        period = half_year(nxt.year, 1 if nxt.month <= 6 else 2)
    return None
