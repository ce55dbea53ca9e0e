"""The records (SQLModel tables). Datetimes are aware UTC everywhere (see `UTCDateTime`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Integer, UniqueConstraint
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and hands them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Line(StrEnum):
    """Execution lines (uitvoeringslijnen)."""

    ECONOMY = "economie-arbeidsmarkt"
    SPATIAL = "ruimtelijke-ontwikkeling"
    PUBLIC_AFFAIRS = "public-affairs"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Phase(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class DeadlineKind(StrEnum):
    DEBATE = "debate"
    VISIT = "visit"
    SUBMISSION = "submission"
    DECISION = "decision"
    MEETING = "meeting"
    ELECTION = "election"
    COMMITMENT = "commitment"  # a minister's commitment (toezegging) or one of ours
    OTHER = "other"


class MilestoneRole(StrEnum):
    """An event happens in the world (a debate); an action is the team's to deliver."""

    EVENT = "event"
    ACTION = "action"


class Precision(StrEnum):
    """How precisely a due date is known; the date stored is the span's anchor (see tracker.roles)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    HALF = "half"
    YEAR = "year"


class Qualifier(StrEnum):
    """How a date is meant: exactly, at the latest, about, or at the earliest."""

    NONE = ""
    LATEST = "uiterlijk"
    ABOUT = "ca"
    EARLIEST = "vroegst"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    MISSED = "missed"        # somebody said it was not achieved (never inferred from the date)
    CANCELLED = "cancelled"


class ProgrammeStatus(StrEnum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    DELAYED = "delayed"
    PAUSED = "paused"
    DONE = "done"


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class DeliveryStatus(StrEnum):
    CLAIMED = "claimed"      # taken by a tick, being posted
    SENT = "sent"
    RETRY = "retry"          # failed transiently; posted again after `next_attempt_at`
    FAILED = "failed"        # permanent Slack error (channel_not_found, …)
    SKIPPED = "skipped"      # found after downtime when its deadline had passed


def utc_column(*, nullable: bool = False, index: bool = False) -> Any:
    """Field arguments for an aware-UTC datetime column."""
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable, index=index)


# Optimistic locking: SQLAlchemy's version_id_col turns a stale write into StaleDataError,
# which the services translate into `Conflict`. The Column objects must be shared with
# __mapper_args__, hence defined at module level.
_dossier_version = Column("version", Integer, nullable=False, default=1)
_deadline_version = Column("version", Integer, nullable=False, default=1)
_programme_version = Column("version", Integer, nullable=False, default=1)


class Dossier(SQLModel, table=True):
    """A lobby dossier (N35, ZWM, …)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    code_folded: str = Field(max_length=20, unique=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=4000)
    goal: str = Field(default="", max_length=4000)
    line: str = Field(default=Line.PUBLIC_AFFAIRS.value, max_length=40)
    rag: str = Field(default=Rag.GREEN.value, max_length=10)
    rag_reason: str = Field(default="", max_length=2000)
    rag_since: datetime | None = utc_column(nullable=True)
    phase: str = Field(default=Phase.ACTIVE.value, max_length=10, index=True)
    owner: str | None = Field(default=None, max_length=40, index=True)
    channel: str | None = Field(default=None, max_length=40)
    # Euros; BIGINT, as infrastructure budgets run into the billions (a 32-bit INTEGER on
    # PostgreSQL stops at € 2.147.483.647).
    funding_needed: int | None = Field(default=None, sa_type=BigInteger)
    funding_secured: int | None = Field(default=None, sa_type=BigInteger)
    funding_note: str = Field(default="", max_length=1000)
    source: str = Field(default="", max_length=2000)
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    version: int = Field(default=1, sa_column=_dossier_version)

    __mapper_args__ = {"version_id_col": _dossier_version}

    @property
    def funding_gap(self) -> int | None:
        """Needed minus secured, when both are known."""
        return funding_gap(self)


def funding_gap(dossier: Any) -> int | None:
    """A dossier's (an entity's or a row's) funding needed minus secured, when both are
    known."""
    if dossier.funding_needed is None or dossier.funding_secured is None:
        return None
    return int(dossier.funding_needed - dossier.funding_secured)


class Deadline(SQLModel, table=True):
    """A dated milestone of a dossier: a debate, visit, submission deadline, …"""

    __table_args__ = (
        Index("ix_deadline_status_due", "status", "due_date", "rrule", "dossier_id"),
        # a dossier's open deadlines by date (the card); the tick's recurring and own ladders
        Index("ix_deadline_dossier_status_due", "dossier_id", "status", "due_date"),
        # counting a long list: the open, non-recurring deadlines of each closed dossier
        Index("ix_deadline_dossier_status_rrule_due", "dossier_id", "status", "rrule", "due_date"),
        Index("ix_deadline_status_rrule", "status", "rrule"),
        Index("ix_deadline_status_offsets", "status", "offsets"),
        # the overdue actions (lists, App Home, agenda): the open actions before today, without
        # reading the events of the past that took place
        Index("ix_deadline_status_role_due", "status", "role", "due_date", "rrule", "dossier_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    title: str = Field(max_length=200)
    kind: str = Field(default=DeadlineKind.OTHER.value, max_length=20)
    role: str = Field(default=MilestoneRole.EVENT.value, max_length=10)  # see tracker.roles
    due_date: date
    due_time: time | None = None
    approximate: bool = False
    precision: str = Field(default=Precision.DAY.value, max_length=10)
    qualifier: str = Field(default=Qualifier.NONE.value, max_length=10)
    # "", begin, mid, end: the part of a rough unit ("eind 2024"); see tracker.dates.spans
    due_part: str = Field(default="", max_length=5)
    owner: str | None = Field(default=None, max_length=40, index=True)  # None → the dossier's
    # "Herinner morgen": one more reminder at this instant; the due date stays (see scheduling)
    snooze_until: datetime | None = utc_column(nullable=True, index=True)
    status: str = Field(default=DeadlineStatus.OPEN.value, max_length=10)
    offsets: str | None = Field(default=None, max_length=100)  # "14,7,1"; None → default by kind
    rrule: str | None = Field(default=None, max_length=500)
    source: str = Field(default="", max_length=2000)
    created_by: str | None = Field(default=None, max_length=40)
    created_at: datetime = utc_column()
    scheduled_at: datetime = utc_column()  # created or last moved: reminders before this are not owed
    updated_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)
    version: int = Field(default=1, sa_column=_deadline_version)

    __mapper_args__ = {"version_id_col": _deadline_version}


class Programme(SQLModel, table=True):
    """A programme or programme plan (NOVEX → its plans; Groei Vooruit, …)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    name_folded: str = Field(max_length=200, index=True)
    parent_id: int | None = Field(default=None, foreign_key="programme.id")
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    line: str = Field(default=Line.ECONOMY.value, max_length=40)
    status: str = Field(default=ProgrammeStatus.ON_TRACK.value, max_length=20)
    owner: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=4000)
    source: str = Field(default="", max_length=2000)
    updated_at: datetime = utc_column()
    version: int = Field(default=1, sa_column=_programme_version)

    __mapper_args__ = {"version_id_col": _programme_version}


class Event(SQLModel, table=True):
    """The history: every change (who, when, before → after, reason) and every activity note."""

    __table_args__ = (
        Index("ix_event_dossier_at", "dossier_id", "at"),
        Index("ix_event_dossier_kind_at", "dossier_id", "kind", "at"),  # the card's last notes
        Index("ix_event_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_column()
    actor: str | None = Field(default=None, max_length=40)
    kind: str = Field(max_length=40)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id")
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    before: str | None = Field(default=None, max_length=2000)
    after: str | None = Field(default=None, max_length=2000)
    text: str = Field(default="", max_length=5000)
    approximate: bool = False
    # how precisely `at` is known (a Precision value): "voorjaar 2023" is a season, not 15 May
    precision: str = Field(default="day", max_length=10)


class Delivery(SQLModel, table=True):
    """The ledger of what the scheduler posts: one row per (what, occurrence, channel)."""

    __table_args__ = (Index("ix_delivery_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=20)
    channel: str = Field(max_length=40)
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id", index=True)
    due_at: datetime = utc_column()
    status: str = Field(default=DeliveryStatus.CLAIMED.value, max_length=10)
    late: bool = False
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    ts: str | None = Field(default=None, max_length=40)
    claimed_at: datetime = utc_column()
    lease_until: datetime | None = utc_column(nullable=True)
    next_attempt_at: datetime | None = utc_column(nullable=True)
    sent_at: datetime | None = utc_column(nullable=True)
    reported: bool = False


class Member(SQLModel, table=True):
    """A Slack user's role; users without a row are viewers."""

    user_id: str = Field(primary_key=True, max_length=40)
    role: str = Field(default=Role.VIEWER.value, max_length=10)
    # `/lobby voorkeur dm|kanaal`: where this member's reminders go (a DM, or a mention in the channel)
    reminders_via: str = Field(default="kanaal", max_length=10)
    added_by: str | None = Field(default=None, max_length=40)
    added_at: datetime = utc_column()


class BudgetLine(SQLModel, table=True):
    """A row of the year budget: begroting, actual to date, expected year total."""

    __table_args__ = (UniqueConstraint("year", "section", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    section: str = Field(max_length=20)  # inkomsten | lasten
    position: int = 0
    name: str = Field(max_length=200)
    budget: int | None = None
    actual: int | None = None
    expected: int | None = None
    # the realisatie as the table of expected year totals prints it ("werkelijk jan-juni"),
    # where the report has that table: compared with `actual` in the check annex
    forecast_actual: int | None = None
    actual_period: str = Field(default="", max_length=40)  # e.g. "jan-jun"
    is_total: bool = False
    note: str = Field(default="", max_length=2000)


class IndicatorSeries(SQLModel, table=True):
    """A monitored figure (aanmeldingen ontwikkelfonds, …) with the total the report states."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    line: str = Field(default=Line.ECONOMY.value, max_length=40)
    unit: str = Field(default="aantal", max_length=40)
    year: int
    stated_total: float | None = None
    note: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=2000)
    # the comparison the data allows: a monthly average of another year ("140 in 2022")
    baseline: float | None = None
    baseline_label: str = Field(default="", max_length=200)


class Indicator(SQLModel, table=True):
    """One month of an indicator series."""

    __table_args__ = (UniqueConstraint("series_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="indicatorseries.id")
    month: date
    value: float


class HandledRequest(SQLModel, table=True):
    """A request that changed something, and its answer: a replay of it (same signed body and
    timestamp, the same form submitted twice, a burst of clicks on one button) is answered
    from here, by any replica, without a second change. Forgotten once `expires_at` passed
    (Slack's five-minute replay window)."""

    __tablename__ = "handled_request"

    key: str = Field(primary_key=True, max_length=100)
    expires_at: datetime = utc_column(index=True)
    status: int = 200
    content_type: str = Field(default="", max_length=100)
    body: str = ""


class KeyFigure(SQLModel, table=True):
    """A key figure of a year (kerncijfer) as the report states it: "ruim 660 jongeren bereikt"."""

    __table_args__ = (UniqueConstraint("year", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    key: str = Field(max_length=80)
    label: str = Field(max_length=300)
    value: float | None = None
    text: str = Field(default="", max_length=200)  # a figure that is no number: "200–250"
    unit: str = Field(default="aantal", max_length=20)  # aantal | eur | pct | datum | tekst
    qualifier: str = Field(default="", max_length=20)  # "ruim", "meer dan", "bijna", "minimaal"
    line: str | None = Field(default=None, max_length=40)
    position: int = 0
    source: str = Field(default="", max_length=2000)


class ReportText(SQLModel, table=True):
    """The report's own words for a period: kernboodschap, goals, results, outlook, risks."""

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=10, index=True)  # "2023H1"
    section: str = Field(max_length=20)  # kernboodschap | doelen | resultaten | vooruitblik | risico | besluit
    line: str | None = Field(default=None, max_length=40)
    position: int = 0
    text: str = Field(max_length=4000)
    source: str = Field(default="", max_length=2000)


class DigestCanvas(SQLModel, table=True):
    """The Slack canvas a period's report was published as in a channel (one per period and
    channel, edited in place when posted again), or why there is none (`error`)."""

    __tablename__ = "digest_canvas"
    __table_args__ = (UniqueConstraint("period", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=20)
    channel: str = Field(max_length=40)
    canvas_id: str | None = Field(default=None, max_length=40)
    error: str | None = Field(default=None, max_length=100)  # e.g. "missing_scope"
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()


from tracker.kamer import models as _kamer_models  # noqa: E402, F401  (the Tweede Kamer tables)
