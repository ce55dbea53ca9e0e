"""The iCalendar of deadlines (`lobby export ics`, the subscribed `/calendar.ics` feed).

Built with icalendar's own types, so every value is typed and every text escaped by the
library: timed deadlines carry their local zone (TZID + VTIMEZONE, correct on both DST
weekends) and an end by kind; a date-only deadline is an all-day event; a rough one
("voorjaar 2024") is the span it stands for, its label in the title. UIDs are stable, and
SEQUENCE (the record's version) and LAST-MODIFIED change when a deadline moves, so Outlook
updates the event instead of adding a second one. Archived dossiers are left out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, vRecur
from icalendar import Event as IcsEvent
from sqlmodel import Session, col, select

from tracker.dates.spans import span_of
from tracker.labels import due_label, kind_label
from tracker.models import Deadline, DeadlineStatus, Dossier, Phase

# How long a timed milestone lasts in the calendar when nothing else is known.
DURATION_BY_KIND = {
    "debate": timedelta(hours=2), "visit": timedelta(hours=3), "meeting": timedelta(hours=1),
    "election": timedelta(hours=13), "decision": timedelta(minutes=30),
    "submission": timedelta(minutes=30), "commitment": timedelta(minutes=30),
}
DEFAULT_DURATION = timedelta(hours=1)
DEFAULT_TZ = "Europe/Amsterdam"


def _one_line_breaks(value: str) -> str:
    # A bare CR is no line break in iCalendar; as "\n" the library writes it escaped.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def deadline_event(deadline: Deadline, dossier: Dossier, tz: ZoneInfo, lang: str = "nl") -> IcsEvent:
    """One VEVENT for one deadline."""
    event = IcsEvent()
    event.add("uid", f"deadline-{deadline.id}@lobbytracker")
    summary = f"[{dossier.code}] {deadline.title}"
    rough = deadline.precision != "day" or bool(deadline.qualifier)
    if rough:
        summary += f" ({due_label(deadline, lang, weekday=False)})"
    event.add("summary", _one_line_breaks(summary))
    if deadline.due_time is not None:
        start = datetime.combine(deadline.due_date, deadline.due_time, tzinfo=tz)
        event.add("dtstart", start)
        event.add("duration", DURATION_BY_KIND.get(deadline.kind, DEFAULT_DURATION))
    else:
        first, last = span_of(deadline.due_date, deadline.precision, deadline.due_part)
        event.add("dtstart", first)  # a date: VALUE=DATE, an all-day event
        event.add("dtend", last + timedelta(days=1))  # DTEND of a date is exclusive
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    stamp = (deadline.updated_at or deadline.created_at).astimezone(UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("created", deadline.created_at.astimezone(UTC))
    event.add("sequence", max(int(deadline.version or 1) - 1, 0))
    event.add("status", "CANCELLED" if deadline.status == DeadlineStatus.CANCELLED.value
              else "CONFIRMED")
    event.add("categories", [kind_label(deadline.kind, lang)])
    if deadline.rrule:
        event.add("rrule", vRecur.from_ical(deadline.rrule))
    if deadline.source:
        event.add("description", _one_line_breaks(deadline.source))
    return event


def build_ics(session: Session, *, only_open: bool = False, tz: ZoneInfo | None = None,
              lang: str = "nl") -> bytes:
    """An iCalendar of the deadlines of open dossiers (only the open ones when `only_open`:
    the subscribed feed), with the VTIMEZONE of every zone it uses."""
    tz = tz or ZoneInfo(DEFAULT_TZ)
    calendar = Calendar()
    calendar.add("prodid", "-//Lobbytracker//Regio Zwolle//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Lobbytracker deadlines")
    calendar.add("x-wr-timezone", tz.key)
    query = (select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
             .where(Dossier.phase != Phase.CLOSED.value))
    if only_open:
        query = query.where(Deadline.status == DeadlineStatus.OPEN.value)
    first, last = date(2000, 1, 1), date(2038, 1, 1)
    for deadline, dossier in session.exec(query.order_by(Deadline.due_date, Deadline.id)):
        try:
            event = deadline_event(deadline, dossier, tz, lang)
        except (ValueError, OverflowError):  # a record the calendar cannot hold: leave it out
            continue
        calendar.add_component(event)
        last = max(last, deadline.due_date + timedelta(days=400))
    calendar.add_missing_timezones(first_date=first, last_date=min(last, date(2101, 1, 1)))
    return calendar.to_ical()
