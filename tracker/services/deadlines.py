"""Deadline services: add, move, complete, cancel, reminder offsets, recurrence, upcoming."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from tracker.dates.core import checked_date
from tracker.dates.spans import PARTS, PRECISIONS, QUALIFIERS, is_rough
from tracker.db import read
from tracker.errors import InvalidInput
from tracker.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Dossier,
    MilestoneRole,
    Phase,
    Qualifier,
)
from tracker.roles import default_role, is_action
from tracker.services.common import (
    MAX_TITLE,
    EventKind,
    check_version,
    flush,
    insert_entity,
    new_event,
    record_event,
    require_aware,
    required_text,
)
from tracker.services.dossiers import LINE_COLUMNS as DOSSIER_LINE_COLUMNS
from tracker.services.dossiers import DossierLine
from tracker.services.recurrence import check_rule, expand
from tracker.text import fold

DEFAULT_OFFSETS: dict[str, tuple[int, ...]] = {
    DeadlineKind.SUBMISSION.value: (28, 14, 7, 3, 1, 0),
    DeadlineKind.DEBATE.value: (14, 7, 1),
    DeadlineKind.VISIT.value: (14, 3, 1),
}
FALLBACK_OFFSETS: tuple[int, ...] = (14, 7, 1, 0)
MAX_OFFSET_DAYS = 365
MAX_OCCURRENCES = 500

# Words in a title that tell the kind, checked in this order (folded, word prefixes).
KIND_HINTS: tuple[tuple[str, DeadlineKind], ...] = (
    ("verkiezing", DeadlineKind.ELECTION), ("election", DeadlineKind.ELECTION),
    ("debat", DeadlineKind.DEBATE), ("debate", DeadlineKind.DEBATE),
    ("werkbezoek", DeadlineKind.VISIT), ("bezoek", DeadlineKind.VISIT), ("visit", DeadlineKind.VISIT),
    ("deadline", DeadlineKind.SUBMISSION), ("indienen", DeadlineKind.SUBMISSION),
    ("indiening", DeadlineKind.SUBMISSION), ("aanvraag", DeadlineKind.SUBMISSION),
    ("inzending", DeadlineKind.SUBMISSION), ("submission", DeadlineKind.SUBMISSION),
    ("zienswijze", DeadlineKind.SUBMISSION), ("besluit", DeadlineKind.DECISION),
    ("akkoord", DeadlineKind.DECISION), ("agreement", DeadlineKind.DECISION),
    ("decision", DeadlineKind.DECISION), ("overleg", DeadlineKind.MEETING),
    ("bo", DeadlineKind.MEETING), ("meeting", DeadlineKind.MEETING),
    ("vergadering", DeadlineKind.MEETING),
)


class DeadlineLine(NamedTuple):
    """What a list, the Home tab and the agenda show of a deadline: read as columns, not as a
    whole record (thirty lines with their dossiers in a third of the time)."""

    id: int
    version: int
    title: str
    kind: str
    due_date: date
    due_time: time | None
    approximate: bool
    rrule: str | None
    precision: str
    qualifier: str
    due_part: str
    role: str  # event | action (the agenda counts only actions as overdue)
    owner: str | None  # None → the dossier's


LINE_COLUMNS = [getattr(Deadline, name) for name in DeadlineLine._fields]


@dataclass(frozen=True)
class Upcoming:
    """One due date in a list: a deadline (or one occurrence of a recurring one)."""

    deadline: Deadline | DeadlineLine
    dossier: Dossier | DossierLine
    due: date
    overdue: bool

    @classmethod
    def on(cls, deadline: Deadline | DeadlineLine, dossier: Dossier | DossierLine,
           today: date) -> Upcoming:
        """The line of a dated deadline seen `today`: only an action becomes overdue; an event
        past its date has taken place (tracker.roles)."""
        return cls(deadline, dossier, deadline.due_date,
                   deadline.due_date < today and is_action(deadline.role))


def guess_kind(title: str) -> str:
    """The kind a title suggests ("Kamerdebat MIRT" → debate), else other."""
    words = fold(title).split()
    for hint, kind in KIND_HINTS:
        if any(word == hint or (len(hint) > 3 and hint in word) for word in words):
            return kind.value
    return DeadlineKind.OTHER.value


def offsets_for(deadline: Deadline) -> tuple[int, ...]:
    """The reminder ladder (days before) of this deadline: its own, or the default by kind."""
    if deadline.offsets is not None:
        return tuple(int(part) for part in deadline.offsets.split(",") if part != "")
    return DEFAULT_OFFSETS.get(deadline.kind, FALLBACK_OFFSETS)


def parse_offsets(text: str) -> tuple[int, ...]:
    """"14,7,1" → (14, 7, 1); "geen"/"none" → (); anything else → InvalidInput."""
    example = "/deadline remind 42 14,7,1"
    cleaned = (text or "").strip().lower()
    if cleaned in ("geen", "none", "uit", "off", "-"):
        return ()
    parts = [p.strip() for p in cleaned.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise InvalidInput("Geef de dagen vooraf, gescheiden door komma's.",
                           "Give the days before, separated by commas.", example=example)
    if len(parts) > 10:
        raise InvalidInput("Maximaal 10 herinneringen per deadline.",
                           "At most 10 reminders per deadline.", example=example)
    days: set[int] = set()
    for part in parts:
        if not part.isdigit() or not 0 <= int(part) <= MAX_OFFSET_DAYS:
            raise InvalidInput(
                f"‘{part}’ is geen aantal dagen tussen 0 en {MAX_OFFSET_DAYS}.",
                f"‘{part}’ is not a number of days between 0 and {MAX_OFFSET_DAYS}.",
                example=example)
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def _kind(value: str | None, title: str) -> str:
    if not value:
        return guess_kind(title)
    aliases = {"debat": "debate", "bezoek": "visit", "werkbezoek": "visit", "indiening": "submission",
               "deadline": "submission", "besluit": "decision", "overleg": "meeting",
               "verkiezing": "election", "toezegging": "commitment", "anders": "other",
               "overig": "other"}
    kind = aliases.get(value.lower(), value.lower())
    if kind not in {k.value for k in DeadlineKind}:
        raise InvalidInput(f"Onbekende soort ‘{value}’.", f"Unknown kind ‘{value}’.")
    return kind


def _rrule(value: str | None, start: date) -> str | None:
    return check_rule(value, start)


def _precision(due: date, due_time: time | None, precision: str, qualifier: str | None,
               part: str, approximate: bool) -> tuple[str, str, str, bool]:
    """(precision, qualifier, part, approximate) checked; `approximate` alone (the older flag)
    still means "uiterlijk"."""
    checked_date(due)
    if qualifier is None:
        qualifier = Qualifier.LATEST.value if approximate else Qualifier.NONE.value
    if precision not in PRECISIONS or qualifier not in QUALIFIERS or part not in PARTS:
        raise InvalidInput(f"Onbekende precisie ‘{precision}/{part}/{qualifier}’.",
                           f"Unknown precision ‘{precision}/{part}/{qualifier}’.")
    if part and precision in ("day", "week"):
        raise InvalidInput("Een dag of week heeft geen begin, midden of eind.",
                           "A day or week has no start, middle or end.")
    if precision != "day" and due_time is not None:
        raise InvalidInput("Een tijd past niet bij een globale datum; noem een precieze dag.",
                           "A time does not go with a rough date; give an exact day.")
    return precision, qualifier, part, approximate or is_rough(precision, qualifier)


class Duplicate(InvalidInput):
    """The deadline exists already (same dossier, title folded equal, same date)."""

    def __init__(self, existing: Deadline) -> None:
        super().__init__(f"Die deadline bestaat al als #{existing.id}; er is niets toegevoegd.",
                         f"That deadline already exists as #{existing.id}; nothing was added.",
                         example="/deadline add N35 20 nov 2023 Kamerdebat MIRT --toch")
        self.existing = existing


# Ids and titles only, built once: a day full of milestones must not load each one whole.
# The statuses are named (not "!= cancelled") so the (dossier, status, due date) index finds
# the day's milestones instead of reading every milestone of the dossier.
_SAME_DAY = select(Deadline.id, Deadline.title).where(
    Deadline.dossier_id == bindparam("dossier_id"), Deadline.due_date == bindparam("due"),
    col(Deadline.status).in_([s.value for s in DeadlineStatus
                              if s != DeadlineStatus.CANCELLED])).order_by(col(Deadline.id))


def find_duplicate(session: Session, dossier_id: int | None, title: str, due: date) -> Deadline | None:
    """The deadline of this dossier on `due` whose title folds equal to `title` (not cancelled)."""
    wanted = fold(title)
    rows = read(session, _SAME_DAY, {"dossier_id": dossier_id, "due": due}).all()
    found = next((row.id for row in rows if fold(row.title) == wanted), None)
    return None if found is None else session.get(Deadline, found)


def add_deadline(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                 title: str, due: date, due_time: time | None = None, approximate: bool = False,
                 kind: str | None = None, offsets: tuple[int, ...] | None = None,
                 rrule: str | None = None, source: str = "", role: str | None = None,
                 owner: str | None = None, precision: str = "day", qualifier: str | None = None,
                 part: str = "", allow_duplicate: bool = False) -> Deadline:
    """Add a milestone to a dossier; a date in the past is kept for the record. One that exists
    already is refused (`Duplicate`) unless `allow_duplicate`."""
    require_aware(now)
    title = required_text(title, limit=MAX_TITLE, what_nl="De titel", what_en="The title",
                          example=f"/deadline add {dossier.code} 20 nov 2023 Kamerdebat MIRT")
    require_open_dossier(dossier)
    kind = _kind(kind, title)
    precision, qualifier, part, approximate = _precision(due, due_time, precision, qualifier,
                                                         part, approximate)
    if not allow_duplicate:
        existing = find_duplicate(session, dossier.id, title, due)
        if existing is not None:
            raise Duplicate(existing)
    deadline = insert_entity(session, Deadline(
        dossier_id=dossier.id, title=title, kind=kind, due_date=due, role=_role(role, kind),
        owner=owner, due_time=due_time, approximate=approximate, precision=precision,
        qualifier=qualifier, due_part=part,
        offsets=None if offsets is None else ",".join(map(str, offsets)),
        rrule=_rrule(rrule, due), source=source, created_by=actor, created_at=now,
        scheduled_at=now, updated_at=now))
    insert_entity(session, new_event(now=now, actor=actor, kind=EventKind.DEADLINE_ADDED,
                                     dossier_id=dossier.id, deadline_id=deadline.id,
                                     after=when_text(deadline), text=title))
    return deadline


def _role(role: str | None, kind: str) -> str:
    """The given role, or the default of the kind; an unknown role is refused."""
    if role is None:
        return default_role(kind)
    if role not in {r.value for r in MilestoneRole}:
        raise InvalidInput(f"Onbekende rol ‘{role}’: kies event of action.",
                           f"Unknown role ‘{role}’: choose event or action.")
    return role


def require_open_dossier(dossier: Dossier) -> None:
    """Refuse an archived dossier as the home of a new deadline."""
    if dossier.phase == Phase.CLOSED:
        raise InvalidInput(f"Dossier {dossier.code} is gearchiveerd; voeg daar geen deadlines aan toe.",
                           f"Dossier {dossier.code} is archived; add no deadlines to it.")


def _require_open(deadline: Deadline, verb_nl: str, verb_en: str) -> None:
    if deadline.status != DeadlineStatus.OPEN.value:
        state_nl = {"done": "al afgerond", "cancelled": "geannuleerd",
                    "missed": "als niet gehaald gemeld"}[deadline.status]
        state_en = {"done": "already done", "cancelled": "cancelled",
                    "missed": "reported as missed"}[deadline.status]
        raise InvalidInput(f"Deadline #{deadline.id} is {state_nl}; {verb_nl} kan niet meer.",
                           f"Deadline #{deadline.id} is {state_en}; it can no longer be {verb_en}.")


def complete_deadline(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                      expected_version: int | None = None) -> Deadline:
    """Mark the milestone reached; no further reminders."""
    return _close(session, now, actor, deadline, expected_version, DeadlineStatus.DONE)


def cancel_deadline(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                    expected_version: int | None = None) -> Deadline:
    """Cancel the milestone; no further reminders."""
    return _close(session, now, actor, deadline, expected_version, DeadlineStatus.CANCELLED)


def report_missed(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                  expected_version: int | None = None) -> Deadline:
    """Record that the milestone was not achieved (someone said so); no further reminders."""
    return _close(session, now, actor, deadline, expected_version, DeadlineStatus.MISSED)


_CLOSE = {
    DeadlineStatus.DONE: (EventKind.DEADLINE_DONE, "afronden", "completed"),
    DeadlineStatus.CANCELLED: (EventKind.DEADLINE_CANCELLED, "annuleren", "cancelled"),
    DeadlineStatus.MISSED: (EventKind.DEADLINE_MISSED, "als niet gehaald melden",
                            "reported as missed"),
}


def _close(session: Session, now: datetime, actor: str | None, deadline: Deadline,
           expected_version: int | None, status: DeadlineStatus) -> Deadline:
    require_aware(now)
    check_version(deadline, expected_version, f"Deadline #{deadline.id}", f"Deadline #{deadline.id}")
    kind, verb_nl, verb_en = _CLOSE[status]
    _require_open(deadline, verb_nl, verb_en)
    before = deadline.status
    deadline.status, deadline.closed_at, deadline.updated_at = status.value, now, now
    flush(session)
    record_event(session, now=now, actor=actor, kind=kind, dossier_id=deadline.dossier_id,
                 deadline_id=deadline.id, before=before, after=status.value, text=deadline.title)
    return deadline


def move_deadline(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                  due: date, due_time: time | None = None, approximate: bool = False,
                  expected_version: int | None = None, precision: str = "day",
                  qualifier: str | None = None, part: str = "") -> Deadline:
    """Move the milestone to a new date; reminders for the old date lapse."""
    require_aware(now)
    check_version(deadline, expected_version, f"Deadline #{deadline.id}", f"Deadline #{deadline.id}")
    _require_open(deadline, "verzetten", "moved")
    precision, qualifier, part, approximate = _precision(due, due_time, precision, qualifier,
                                                         part, approximate)
    before = when_text(deadline)
    deadline.due_date, deadline.due_time, deadline.approximate = due, due_time, approximate
    deadline.precision, deadline.qualifier, deadline.due_part = precision, qualifier, part
    deadline.scheduled_at = deadline.updated_at = now
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.DEADLINE_MOVED,
                 dossier_id=deadline.dossier_id, deadline_id=deadline.id, before=before,
                 after=when_text(deadline), text=deadline.title)
    return deadline


def set_offsets(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                offsets: tuple[int, ...], expected_version: int | None = None) -> Deadline:
    """Set the reminder ladder (days before) of one deadline."""
    require_aware(now)
    check_version(deadline, expected_version, f"Deadline #{deadline.id}", f"Deadline #{deadline.id}")
    _require_open(deadline, "herinneringen instellen", "given reminders")
    before = ",".join(map(str, offsets_for(deadline)))
    deadline.offsets = ",".join(map(str, offsets))
    deadline.updated_at = now
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.DEADLINE_REMINDERS,
                 dossier_id=deadline.dossier_id, deadline_id=deadline.id, before=before,
                 after=deadline.offsets, text=deadline.title)
    return deadline


def occurrences(deadline: Deadline | DeadlineLine, start: date, end: date) -> list[date]:
    """Due dates of `deadline` within [start, end]: one, or each occurrence of its RRULE."""
    if not deadline.rrule:
        return [deadline.due_date] if start <= deadline.due_date <= end else []
    return expand(deadline.rrule, deadline.due_date, start, end, MAX_OCCURRENCES)


def list_upcoming(*, session: Session, now: datetime, tz: ZoneInfo, until: date,
                  dossier: Dossier | None = None, include_overdue: bool = True) -> list[Upcoming]:
    """Open deadlines due from today up to `until` (inclusive), and the overdue actions (an
    event past its date has taken place: it is not listed), in date order."""
    return upcoming_page(session=session, now=now, tz=tz, until=until, dossier=dossier,
                         include_overdue=include_overdue)[0]


def upcoming_page(*, session: Session, now: datetime, tz: ZoneInfo, until: date,
                  dossier: Dossier | None = None, include_overdue: bool = True,
                  only_overdue: bool = False, limit: int | None = None
                  ) -> tuple[list[Upcoming], int]:
    """The first `limit` (all when None) of `list_upcoming`'s items, and how many there are.

    The limit is applied in SQL, so a long list costs what is shown, not what is stored.
    """
    require_aware(now)
    today = now.astimezone(tz).date()
    window = "overdue" if only_overdue else ("all" if include_overdue else "coming")
    pairs, count, recurring = _upcoming_statements(dossier is not None, window, limit)
    params: dict[str, Any] = {"until": until, "today": today}
    if dossier is not None:
        params["dossier_id"] = dossier.id
    rows: list[Any] = []
    for part in pairs:  # overdue actions, then what is coming: each part's dates precede the next's
        if limit is not None and len(rows) >= limit:
            break  # the page is full: a later part would come after it
        rows += read(session, part, params).all()
    items = [Upcoming.on(d, dos, today) for d, dos in _lines(rows[:limit])
             if d.due_date <= until]
    total = len(items)
    if limit is not None and total == limit:
        total = int(read(session, count, params).scalar_one())
    if recurring is not None:
        for d, dos in _lines(read(session, recurring, params).all()):
            try:
                days = occurrences(d, today, until)
            except ValueError:  # a stored rule that is no longer allowed: the tick reports it
                continue
            found = [Upcoming(d, dos, day, False) for day in days]
            items.extend(found)
            total += len(found)
    items.sort(key=lambda item: (item.due, item.deadline.due_time or time(), item.deadline.id or 0))
    return (items if limit is None else items[:limit]), total


def _lines(rows: Iterable[Any]) -> list[tuple[DeadlineLine, DossierLine]]:
    """Rows of `LINE_COLUMNS` + the dossier's line columns, as (deadline, dossier) lines."""
    width = len(LINE_COLUMNS)
    return [(DeadlineLine(*row[:width]), DossierLine(*row[width:])) for row in rows]


@functools.cache
def _upcoming_statements(by_dossier: bool, window: str, limit: int | None) -> tuple[Any, Any, Any]:
    """`upcoming_page`'s statements for one shape, built once with bound parameters
    (`until`, `today`, `dossier_id`): building and cache-keying a statement costs SQLAlchemy
    more than SQLite takes to run it.

    A window is one or two ranges an index reads in order: what is coming (today up to
    `until`: the (status, due_date, rrule, dossier_id) index) and the overdue actions (open
    actions before today: the (status, role, due_date, …) index, so the events of the past,
    which have taken place, are never read). The pairs: dated deadlines and their dossiers (as
    lines), one statement a range, in date order, up to `limit`. The count: all that
    qualify, counted in the index, minus those of closed dossiers (few: counted per closed
    dossier by the (dossier_id, status, rrule, due_date) index), in one statement. The
    recurring ones (None when only overdue ones are asked): no date condition, the (status,
    rrule) index finds the few.
    """
    is_open: list[Any] = [Deadline.status == DeadlineStatus.OPEN.value]
    if by_dossier:
        is_open.append(Deadline.dossier_id == bindparam("dossier_id"))
    single = [*is_open, col(Deadline.rrule).is_(None)]
    from_today = [*single, Deadline.due_date >= bindparam("today")]
    coming = [*from_today, Deadline.due_date <= bindparam("until")]
    # Only actions become overdue: an event past its date has taken place.
    overdue = [*single, Deadline.role == MilestoneRole.ACTION.value,
               Deadline.due_date < bindparam("today")]
    ranges = {"coming": [coming], "overdue": [overdue], "all": [overdue, coming]}[window]
    both = (select(*LINE_COLUMNS, *DOSSIER_LINE_COLUMNS)
            .join(Dossier, col(Dossier.id) == Deadline.dossier_id)
            .where(Dossier.phase != Phase.CLOSED.value))
    order = (Deadline.due_date, col(Deadline.due_time).nulls_first(), Deadline.id)
    # A page reads each range in date order and stops at `limit`: "from today" without its
    # end (upcoming_page drops what lies past `until`), so that PostgreSQL's plan for any
    # dates (a prepared statement's) still walks the index instead of sorting the range. The
    # overdue actions all come before what is coming: the page reads the second range only
    # when the first leaves room.
    pairs = [both.where(*(from_today if where is coming and limit is not None else where))
             .order_by(*order).limit(limit) for where in ranges]
    count = select(sum((_open_count(where) for where in ranges[1:]), _open_count(ranges[0])))
    recurring = (None if window == "overdue"
                 else both.where(*is_open, col(Deadline.rrule).is_not(None)))
    return pairs, count, recurring


def _open_count(where: list[Any]) -> Any:
    """How many deadlines meet `where`, those of closed dossiers left out (a scalar)."""
    everything = select(func.count()).select_from(Deadline).where(*where)
    per_closed = everything.where(Deadline.dossier_id == Dossier.id).scalar_subquery()
    in_closed = select(func.coalesce(func.sum(per_closed), 0)).where(
        Dossier.phase == Phase.CLOSED.value)
    return everything.scalar_subquery() - in_closed.scalar_subquery()


def when_text(deadline: Deadline) -> str:
    """A milestone's date as every `deadline_added`/`deadline_moved` event stores it: ISO
    ("2023-11-20 14:00"), with how it was meant ("2024-05-31 (season uiterlijk)"). Every writer
    of those events uses this form; the display belongs in the event's text."""
    text = deadline.due_date.isoformat()
    if deadline.due_time is not None:
        text += f" {deadline.due_time:%H:%M}"
    if deadline.precision != "day" or deadline.qualifier:
        # the history keeps how the date was meant: "2024-05-31 (season, uiterlijk)"
        text += f" ({' '.join(x for x in (deadline.precision, deadline.due_part, deadline.qualifier) if x)})"
    return text


class StoredWhen(NamedTuple):
    """A milestone's date as the history stores it (`when_text`)."""

    due: date
    at: time | None = None
    precision: str = "day"
    part: str = ""
    qualifier: str = ""


def read_stored_when(value: str) -> StoredWhen:
    """"2023-11-20 14:00" → StoredWhen(date, 14:00); "2023-12-31 (year end)" and "2023-10-01 (year end
    vroegst)" keep how the date was meant. ValueError for anything else."""
    text = value.strip()
    words = ""
    if text.endswith(")") and " (" in text:
        text, words = text[:-1].split(" (", 1)
    day_text, _, clock = text.partition(" ")
    due = date.fromisoformat(day_text) if len(day_text) == 10 else None
    if due is None:
        raise ValueError(f"not a stored date: {value!r}")
    at = time.fromisoformat(clock) if clock else None
    precision, part, qualifier = "day", "", ""
    for word in words.split():
        if word in PRECISIONS:
            precision = word
        elif word in PARTS:
            part = word
        elif word in QUALIFIERS:
            qualifier = word
        else:
            raise ValueError(f"unknown word {word!r} in a stored date: {value!r}")
    return StoredWhen(due, at, precision, part, qualifier)


def is_past(deadline: Deadline, now: datetime, tz: ZoneInfo) -> bool:
    """True when the deadline's date lies before today (local)."""
    return deadline.due_date < now.astimezone(tz).date()


def days_until(due: date, now: datetime, tz: ZoneInfo) -> int:
    """Whole local days from today to `due` (negative when past)."""
    return (due - now.astimezone(tz).date()) // timedelta(days=1)
