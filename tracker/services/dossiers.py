"""Dossier services: create, edit, status, notes, owner, channel, archive, list, card."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, literal, union_all
from sqlmodel import Session, col, func, select

from tracker.db import read
from tracker.errors import Conflict, InvalidInput
from tracker.models import (
    Deadline,
    DeadlineStatus,
    Dossier,
    Event,
    Line,
    MilestoneRole,
    Phase,
    Programme,
    Rag,
)
from tracker.services.common import (
    MAX_REASON,
    MAX_TEXT,
    MAX_TITLE,
    EventKind,
    check_version,
    flush,
    record_event,
    require_aware,
    required_text,
)
from tracker.text import clean, fold

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
SLACK_USER_RE = re.compile(r"^[UW][A-Z0-9]{2,20}$")
SLACK_CHANNEL_RE = re.compile(r"^[CGD][A-Z0-9]{2,20}$")


class DossierLine(NamedTuple):
    """What a list shows of a dossier: read as five columns, not as a whole record (a
    page of 100 dossiers in a fifth of the time)."""

    id: int
    code: str
    title: str
    rag: str
    owner: str | None


@dataclass
class DossierCard:
    """What the dossier card shows: the dossier and what surrounds it, as read (rows with the
    columns of Dossier, Deadline, Event and Programme; or those entities)."""

    dossier: Dossier | Any
    next_deadlines: list[Any] = field(default_factory=list)  # open, due today or later
    overdue_actions: list[Any] = field(default_factory=list)  # open actions past their date
    past_events: list[Any] = field(default_factory=list)  # events that took place, latest first
    recent_notes: list[Any] = field(default_factory=list)
    programmes: list[Any] = field(default_factory=list)
    open_deadlines: int = 0
    kamer: dict[int, Any] = field(default_factory=dict)  # deadline id → tracker.kamer LinkInfo


def _label(d: Dossier) -> tuple[str, str]:
    return f"Dossier {d.code}", f"Dossier {d.code}"


def create_dossier(*, session: Session, now: datetime, actor: str | None, code: str, title: str,
                   line: str | None = None, summary: str = "", goal: str = "",
                   owner: str | None = None, channel: str | None = None,
                   funding_needed: int | None = None, funding_secured: int | None = None,
                   funding_note: str = "", source: str = "") -> Dossier:
    """Create a dossier under a new unique code."""
    require_aware(now)
    example = "/dossier new N35 N35 Wijthmen–Nijverdal"
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput(
            "Een dossiercode is 1 tot 20 letters, cijfers of streepjes, zonder spaties.",
            "A dossier code is 1 to 20 letters, digits or dashes, without spaces.", example=example)
    title = required_text(title, limit=MAX_TITLE, what_nl="De titel", what_en="The title",
                          example=example)
    code_folded = fold(code).replace(" ", "-")
    if session.exec(select(Dossier).where(Dossier.code_folded == code_folded)).first():
        raise Conflict(f"Er bestaat al een dossier met code {code.upper()}.",
                       f"A dossier with code {code.upper()} already exists.")
    dossier = Dossier(code=code.upper(), code_folded=code_folded, title=title,
                      summary=_optional_text(summary), goal=_optional_text(goal),
                      line=_line(line) if line else Line.PUBLIC_AFFAIRS.value,
                      owner=_user(owner), channel=_channel(channel),
                      funding_needed=_amount(funding_needed), funding_secured=_amount(funding_secured),
                      funding_note=_optional_text(funding_note, 1000), source=source,
                      rag=Rag.GREEN.value, rag_reason="", rag_since=now,
                      created_at=now, updated_at=now)
    session.add(dossier)
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.DOSSIER_CREATED,
                 dossier_id=dossier.id, after=dossier.title)
    return dossier


EDITABLE = ("title", "summary", "goal", "line", "funding_needed", "funding_secured",
            "funding_note", "phase")


def update_dossier(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                   expected_version: int | None = None, **changes: object) -> Dossier:
    """Edit the dossier's descriptive fields; every changed field is recorded."""
    require_aware(now)
    check_version(dossier, expected_version, *_label(dossier))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Onbekende velden: {', '.join(sorted(unknown))}.",
                           f"Unknown fields: {', '.join(sorted(unknown))}.")
    normalised: dict[str, object] = {}
    for name, value in changes.items():
        if name == "title":
            normalised[name] = required_text(str(value or ""), limit=MAX_TITLE,
                                             what_nl="De titel", what_en="The title")
        elif name in ("summary", "goal"):
            normalised[name] = _optional_text(str(value or ""))
        elif name == "funding_note":
            normalised[name] = _optional_text(str(value or ""), 1000)
        elif name == "line":
            normalised[name] = _line(str(value))
        elif name == "phase":
            normalised[name] = _phase(str(value))
        else:
            normalised[name] = _amount(value)  # type: ignore[arg-type]
    for name, value in normalised.items():
        old = getattr(dossier, name)
        if old == value:
            continue
        setattr(dossier, name, value)
        record_event(session, now=now, actor=actor, kind=EventKind.DOSSIER_UPDATED,
                     dossier_id=dossier.id, before=_str(old), after=_str(value), text=name)
    dossier.updated_at = now
    flush(session)
    return dossier


def set_status(*, session: Session, now: datetime, actor: str | None, dossier: Dossier, rag: str,
               reason: str, expected_version: int | None = None) -> Dossier:
    """Set the RAG status; a reason is required."""
    require_aware(now)
    check_version(dossier, expected_version, *_label(dossier))
    example = f"/dossier status {dossier.code} rood MIRT-brief pauzeert het project"
    rag = _rag(rag, example)
    reason = required_text(reason, limit=MAX_REASON, what_nl="De reden", what_en="The reason",
                           example=example)
    before, before_reason = dossier.rag, dossier.rag_reason
    dossier.rag, dossier.rag_reason = rag, reason
    if before != rag:
        dossier.rag_since = now
    dossier.updated_at = now
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.STATUS, dossier_id=dossier.id,
                 before=before, after=rag, text=reason)
    if before_reason != reason:
        # the reason it replaces, so a digest of an earlier period keeps the reason that held
        record_event(session, now=now, actor=actor, kind=EventKind.DOSSIER_UPDATED,
                     dossier_id=dossier.id, before=before_reason or None, after=reason,
                     text="rag_reason")
    return dossier


def add_note(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
             text: str) -> Event:
    """Log an activity note on the dossier."""
    require_aware(now)
    text = required_text(text, limit=MAX_TEXT, what_nl="De notitie", what_en="The note",
                         example=f"/dossier note {dossier.code} Gesprek met gedeputeerde gehad")
    event = record_event(session, now=now, actor=actor, kind=EventKind.NOTE,
                         dossier_id=dossier.id, text=text)
    flush(session)
    return event


def set_owner(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
              owner: str | None, expected_version: int | None = None) -> Dossier:
    """Make `owner` (a Slack user ID) the dossier's owner, or clear it."""
    return _set_field(session, now, actor, dossier, expected_version, "owner", _user(owner),
                      EventKind.OWNER)


def set_channel(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                channel: str | None, expected_version: int | None = None) -> Dossier:
    """Send the dossier's reminders to `channel` (a Slack channel ID), or to the default."""
    return _set_field(session, now, actor, dossier, expected_version, "channel",
                      _channel(channel), EventKind.CHANNEL)


def _set_field(session: Session, now: datetime, actor: str | None, dossier: Dossier,
               expected_version: int | None, name: str, value: str | None,
               kind: EventKind) -> Dossier:
    """Set one already-validated field and record before → after."""
    require_aware(now)
    check_version(dossier, expected_version, *_label(dossier))
    before = getattr(dossier, name)
    setattr(dossier, name, value)
    dossier.updated_at = now
    flush(session)
    record_event(session, now=now, actor=actor, kind=kind, dossier_id=dossier.id,
                 before=before, after=value)
    return dossier


def archive_dossier(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                    expected_version: int | None = None) -> Dossier:
    """Close the dossier; its open deadlines stop reminding."""
    require_aware(now)
    check_version(dossier, expected_version, *_label(dossier))
    if dossier.phase == Phase.CLOSED:
        raise InvalidInput(f"Dossier {dossier.code} is al gearchiveerd.",
                           f"Dossier {dossier.code} is already archived.")
    before = dossier.phase
    dossier.phase, dossier.updated_at = Phase.CLOSED.value, now
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.ARCHIVED, dossier_id=dossier.id,
                 before=before, after=Phase.CLOSED.value)
    return dossier


def list_dossiers(*, session: Session, filter_text: str = "",
                  include_closed: bool = False) -> list[DossierLine]:
    """Dossiers by code, as list lines; `filter_text` matches code, title, line, RAG or owner."""
    rows = read(session, _LINES_ALL if include_closed else _LINES_OPEN).all()
    key = fold(filter_text or "")
    rag = RAG_WORDS.get(key)
    words = key.split()
    return [DossierLine(*row[:_LINE_WIDTH]) for row in rows
            if not key or (row.rag == rag if rag else all(
                w in f"{row.code_folded} {fold(row.title)} {row.line} {row.owner or ''}".lower()
                for w in words))]


LIST_PAGE_SIZE = 100


def page_dossiers(*, session: Session, filter_text: str = "", page: int = 0,
                  per_page: int = LIST_PAGE_SIZE) -> tuple[list[DossierLine], int]:
    """One page of `list_dossiers` (as list lines) and the number of matches; paged in SQL
    when the filter is empty or a RAG word, so a long list never loads every dossier."""
    key = fold(filter_text or "")
    rag = RAG_WORDS.get(key)
    if key and not rag:  # words of titles, folded: matched in Python
        found = list_dossiers(session=session, filter_text=filter_text)
        start = max(page, 0) * per_page
        return found[start:start + per_page], len(found)
    count, rows = _PAGE_BY_RAG if rag else _PAGE_ALL
    params = {"rag": rag, "limit": per_page}
    total = int(read(session, count, params).scalar_one())
    pages = max(1, -(-total // per_page))
    params["offset"] = min(max(page, 0), pages - 1) * per_page
    return [DossierLine(*row) for row in read(session, rows, params).all()], total


def _page_statements(*, by_rag: bool) -> tuple[Any, Any]:
    """The count and the page of open dossiers (of one RAG status: `rag`), built once with
    bound parameters: building a statement costs SQLAlchemy more than SQLite takes to run it."""
    where = [Dossier.phase != Phase.CLOSED.value]
    if by_rag:
        where.append(Dossier.rag == bindparam("rag"))
    rows = (select(*LINE_COLUMNS).where(*where).order_by(Dossier.code)
            .offset(bindparam("offset")).limit(bindparam("limit")))
    return select(func.count()).select_from(Dossier).where(*where), rows


# What a list line shows (also beside a deadline), and what a filter also reads (the folded
# code, the line).
LINE_COLUMNS = [getattr(Dossier, name) for name in DossierLine._fields]
_LINE_WIDTH = len(LINE_COLUMNS)
_LINES_ALL = select(*LINE_COLUMNS, Dossier.code_folded, Dossier.line).order_by(Dossier.code)
_LINES_OPEN = _LINES_ALL.where(Dossier.phase != Phase.CLOSED.value)
_PAGE_ALL = _page_statements(by_rag=False)
_PAGE_BY_RAG = _page_statements(by_rag=True)

# The dossier card's four look-ups, built once (bound parameter: `dossier_id`).
_CARD_OPEN = (Deadline.dossier_id == bindparam("dossier_id"),
              Deadline.status == DeadlineStatus.OPEN.value)
# Coming, overdue actions and events that took place are three lists: a 2023 milestone seen in
# 2024 is not "next", and only an action can be overdue (tracker.roles).
_CARD_NEXT = (select(Deadline).where(*_CARD_OPEN, Deadline.due_date >= bindparam("today"))
              .order_by(Deadline.due_date, Deadline.id).limit(3))
_CARD_OVERDUE = (select(Deadline).where(*_CARD_OPEN, Deadline.due_date < bindparam("today"),
                                        Deadline.role == MilestoneRole.ACTION.value)
                 .order_by(Deadline.due_date, Deadline.id).limit(3))
_CARD_PAST_EVENTS = (select(Deadline).where(*_CARD_OPEN, Deadline.due_date < bindparam("today"),
                                            Deadline.role != MilestoneRole.ACTION.value)
                     .order_by(col(Deadline.due_date).desc(), col(Deadline.id).desc()).limit(3))
_CARD_OPEN_COUNT = select(func.count()).select_from(Deadline).where(*_CARD_OPEN)


def _card_part(statement: Any, part: str) -> Any:
    return select(statement.add_columns(literal(part).label("card_part"))
                  .add_columns(_CARD_OPEN_COUNT.scalar_subquery().label("open_count")).subquery())


# The three lists and the count in one statement: each statement costs SQLAlchemy more than
# SQLite takes to answer it.
_CARD_DEADLINES = union_all(_card_part(_CARD_NEXT, "next"), _card_part(_CARD_OVERDUE, "overdue"),
                            _card_part(_CARD_PAST_EVENTS, "past"))
_CARD_NOTES = (select(Event).where(Event.dossier_id == bindparam("dossier_id"),
                                   Event.kind == EventKind.NOTE.value)
               .order_by(col(Event.at).desc(), col(Event.id).desc()).limit(3))
_CARD_PROGRAMMES = (select(Programme).where(Programme.dossier_id == bindparam("dossier_id"))
                    .order_by(Programme.name))


def dossier_card(*, session: Session, dossier: Dossier | Any, now: datetime,
                 tz: ZoneInfo | None = None) -> DossierCard:
    """Gather what the dossier card shows: next three deadlines, overdue actions, events that
    took place, last three notes, programmes (`tz`: whose today; UTC when not given). Read as
    rows (tracker.db.read): the card only shows them."""
    require_aware(now)
    today = now.astimezone(tz or UTC).date()
    params = {"dossier_id": dossier.id}
    dated = {**params, "today": today}
    from tracker.kamer.services import links_for  # the Tweede Kamer links of these milestones

    parts: dict[str, list[Any]] = {"next": [], "overdue": [], "past": []}
    for row in read(session, _CARD_DEADLINES, dated).all():
        parts[row.card_part].append(row)
    for part in parts.values():  # each in its statement's order (a union keeps none)
        part.sort(key=lambda d: (d.due_date, d.id))
    parts["past"].reverse()
    shown = [d.id for part in parts.values() for d in part]
    open_count = next((part[0].open_count for part in parts.values() if part), 0)
    return DossierCard(dossier=dossier,
                       next_deadlines=parts["next"],
                       overdue_actions=parts["overdue"],
                       past_events=parts["past"],
                       recent_notes=read(session, _CARD_NOTES, params).all(),
                       programmes=read(session, _CARD_PROGRAMMES, params).all(),
                       open_deadlines=int(open_count),
                       kamer=links_for(session, shown))


RAG_WORDS = {
    "green": Rag.GREEN.value, "groen": Rag.GREEN.value,
    "amber": Rag.AMBER.value, "oranje": Rag.AMBER.value, "geel": Rag.AMBER.value,
    "red": Rag.RED.value, "rood": Rag.RED.value,
}


def _rag(value: str, example: str) -> str:
    rag = RAG_WORDS.get(fold(value or ""))
    if rag is None:
        raise InvalidInput(f"Onbekende status ‘{value}’. Kies groen, oranje of rood.",
                           f"Unknown status ‘{value}’. Choose green, amber or red.",
                           example=example)
    return rag


LINE_WORDS = {
    "economie-arbeidsmarkt": Line.ECONOMY, "economie": Line.ECONOMY, "arbeidsmarkt": Line.ECONOMY,
    "economy": Line.ECONOMY, "ruimtelijke-ontwikkeling": Line.SPATIAL, "ruimte": Line.SPATIAL,
    "ruimtelijk": Line.SPATIAL, "spatial": Line.SPATIAL, "public-affairs": Line.PUBLIC_AFFAIRS,
    "pa": Line.PUBLIC_AFFAIRS, "lobby": Line.PUBLIC_AFFAIRS,
}


def parse_line(value: str) -> Line | None:
    """The execution line a word names, or None."""
    return LINE_WORDS.get(fold(value or "").replace(" ", "-"))


def _line(value: str) -> str:
    line = parse_line(value)
    if line is None:
        raise InvalidInput(
            f"Onbekende uitvoeringslijn ‘{value}’. Kies economie-arbeidsmarkt, "
            "ruimtelijke-ontwikkeling of public-affairs.",
            f"Unknown execution line ‘{value}’. Choose economie-arbeidsmarkt, "
            "ruimtelijke-ontwikkeling or public-affairs.")
    return line.value


def _phase(value: str) -> str:
    phases = {"active": Phase.ACTIVE, "actief": Phase.ACTIVE, "paused": Phase.PAUSED,
              "gepauzeerd": Phase.PAUSED, "closed": Phase.CLOSED, "gesloten": Phase.CLOSED}
    phase = phases.get(fold(value or ""))
    if phase is None:
        raise InvalidInput(f"Onbekende fase ‘{value}’. Kies actief, gepauzeerd of gesloten.",
                           f"Unknown phase ‘{value}’. Choose active, paused or closed.")
    return phase.value


def _user(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not SLACK_USER_RE.match(value):
        raise InvalidInput("Noem een Slack-gebruiker met @, bijvoorbeeld @Anna.",
                           "Name a Slack user with @, for example @Anna.",
                           example="/dossier owner N35 @Anna")
    return value


def _channel(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not SLACK_CHANNEL_RE.match(value):
        raise InvalidInput("Noem een Slack-kanaal met #, bijvoorbeeld #n35.",
                           "Name a Slack channel with #, for example #n35.",
                           example="/dossier channel N35 #lobby-n35")
    return value


def _amount(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**13:
        raise InvalidInput("Een bedrag is een heel aantal euro's, 0 of meer.",
                           "An amount is a whole number of euros, 0 or more.")
    return value


def _optional_text(value: str, limit: int = MAX_TEXT) -> str:
    text = clean(value or "")
    if len(text) > limit:
        raise InvalidInput(f"Tekst is te lang ({len(text)} tekens, maximaal {limit}).",
                           f"Text is too long ({len(text)} characters, at most {limit}).")
    return text


def _str(value: object) -> str | None:
    return None if value is None else str(value)
