"""What a member asks of the reminders themselves: "Herinner morgen" (snooze) on a milestone,
and `/lobby voorkeur dm|kanaal` (a DM or a mention in the channel)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from tracker.dates import local_to_utc, next_working_day
from tracker.errors import InvalidInput
from tracker.models import Deadline, DeadlineStatus, Dossier, Member, MilestoneRole, Phase
from tracker.services.common import check_version, flush, require_aware
from tracker.services.deadlines import Upcoming
from tracker.services.dossiers import SLACK_USER_RE
from tracker.settings import Settings

VIA_DM, VIA_CHANNEL = "dm", "kanaal"
VIA_WORDS = {"dm": VIA_DM, "direct": VIA_DM, "privé": VIA_DM, "prive": VIA_DM,
             "kanaal": VIA_CHANNEL, "channel": VIA_CHANNEL}


def snooze_moment(now: datetime, settings: Settings) -> datetime:
    """The next working day (after today, local) at LOBBY_REMINDER_TIME, in UTC."""
    today = now.astimezone(settings.tz).date()
    return local_to_utc(next_working_day(today), settings.reminder_time, settings.tz)


def snooze_deadline(*, session: Session, now: datetime, deadline: Deadline, settings: Settings,
                    expected_version: int | None = None) -> datetime:
    """One more reminder on the next working day at LOBBY_REMINDER_TIME; the due date stays.
    Returns that instant. A recurring deadline is reminded per occurrence and cannot be."""
    require_aware(now)
    check_version(deadline, expected_version, f"Deadline #{deadline.id}", f"Deadline #{deadline.id}")
    if deadline.status != DeadlineStatus.OPEN.value:
        state_nl = {"done": "al afgerond", "cancelled": "geannuleerd"}.get(deadline.status, "dicht")
        state_en = {"done": "already done", "cancelled": "cancelled"}.get(deadline.status, "closed")
        raise InvalidInput(f"Deadline #{deadline.id} is {state_nl}; er komt geen herinnering meer.",
                           f"Deadline #{deadline.id} is {state_en}; no more reminders.")
    if deadline.rrule:
        raise InvalidInput(f"Deadline #{deadline.id} herhaalt zich en krijgt per keer zijn "
                           "herinneringen; later herinneren kan alleen bij een enkele datum.",
                           f"Deadline #{deadline.id} recurs and is reminded per occurrence; "
                           "snoozing works on a single date only.")
    at = snooze_moment(now, settings)
    deadline.snooze_until = at
    deadline.updated_at = now
    flush(session)
    return at


MY_REMINDERS_LIMIT = 10


def my_reminders(*, session: Session, user_id: str, now: datetime, tz: ZoneInfo, until: date,
                 limit: int = MY_REMINDERS_LIMIT) -> list[Upcoming]:
    """The open milestones this member is reminded of (their own, or their dossiers' without
    an owner of their own) up to `until`, overdue actions first, at most `limit`."""
    require_aware(now)
    today = now.astimezone(tz).date()
    mine = or_(Deadline.owner == user_id,
               and_(col(Deadline.owner).is_(None), Dossier.owner == user_id))
    coming_or_overdue = or_(Deadline.due_date >= today,
                            Deadline.role == MilestoneRole.ACTION.value)
    query = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
             .where(Deadline.status == DeadlineStatus.OPEN.value,
                    Dossier.phase != Phase.CLOSED.value, col(Deadline.rrule).is_(None),
                    Deadline.due_date <= until, mine, coming_or_overdue)
             .order_by(Deadline.due_date, Deadline.id).limit(limit))
    return [Upcoming.on(d, dos, today) for d, dos in session.exec(query)]


def parse_via(word: str) -> str:
    """`dm` or `kanaal` from what a member typed, else InvalidInput."""
    via = VIA_WORDS.get((word or "").strip().lower())
    if via is None:
        raise InvalidInput(f"Kies dm of kanaal, niet ‘{word[:40]}’.",
                           f"Choose dm or kanaal (channel), not ‘{word[:40]}’.",
                           example="/lobby voorkeur dm")
    return via


def reminders_via(session: Session, user_id: str) -> str:
    """Where this member's reminders go now (`kanaal` unless they chose `dm`)."""
    member = session.get(Member, user_id)
    return member.reminders_via if member is not None else VIA_CHANNEL


def set_reminders_via(*, session: Session, now: datetime, user_id: str, via: str) -> Member:
    """Send the reminders this member owns as a DM, or as a mention in the channel. A member
    without a row becomes a viewer row (users without a row are viewers anyway)."""
    require_aware(now)
    if not SLACK_USER_RE.match(user_id or ""):
        raise InvalidInput("Alleen een Slack-gebruiker heeft een voorkeur.",
                           "Only a Slack user has a preference.")
    via = parse_via(via)
    member = session.get(Member, user_id)
    if member is None:
        member = Member(user_id=user_id, added_by=user_id, added_at=now)
        session.add(member)
    member.reminders_via = via
    flush(session)
    return member
