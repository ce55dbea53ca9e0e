"""The Tweede Kamer tables: what the sync stores of the source, links, watch words, notices and
the shared cursor. Registered on SQLModel.metadata by tracker.models (its last line)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models import utc_column


class NoticeKind(StrEnum):
    """What a notice tells a dossier's channel."""

    MOVED = "moved"          # a linked activity got another date or time
    CANCELLED = "cancelled"  # Status Geannuleerd / Uitgesteld / …
    DELETED = "deleted"      # Verwijderd = true
    REPLACED = "replaced"    # another activity continues or replaces it
    SUGGESTION = "suggestion"  # a watch word matched: follow as milestone?


class NoticeState(StrEnum):
    OPEN = "open"
    FOLLOWED = "followed"
    IGNORED = "ignored"


class KamerActivity(SQLModel, table=True):
    """The last known state of one Tweede Kamer *Activiteit* (coming ones, and linked ones)."""

    __tablename__ = "kamer_activity"
    __table_args__ = (Index("ix_kamer_activity_datum", "datum"),)

    id: str = Field(primary_key=True, max_length=40)  # the source's Id (a GUID)
    nummer: str = Field(default="", max_length=20, index=True)  # 2023A04567
    soort: str = Field(default="", max_length=100)
    onderwerp: str = Field(default="", max_length=1000)
    datum: date | None = None  # local date in The Hague
    aanvangstijd: datetime | None = utc_column(nullable=True)
    eindtijd: datetime | None = utc_column(nullable=True)
    locatie: str = Field(default="", max_length=200)
    status: str = Field(default="", max_length=40)
    voortouwnaam: str = Field(default="", max_length=200)
    voortouwafkorting: str = Field(default="", max_length=40)
    vergaderjaar: str = Field(default="", max_length=20)
    noot: str = Field(default="", max_length=1000)
    voortgezet_vanuit: str | None = Field(default=None, max_length=40)
    vervangen_vanuit: str | None = Field(default=None, max_length=40)
    verwijderd: bool = False
    api_gewijzigd_op: datetime | None = utc_column(nullable=True)


class KamerLink(SQLModel, table=True):
    """A milestone followed in the Tweede Kamer's agenda."""

    __tablename__ = "kamer_link"

    deadline_id: int = Field(foreign_key="deadline.id", primary_key=True)
    activity_id: str | None = Field(default=None, max_length=40, index=True)  # None: not yet found
    nummer: str = Field(default="", max_length=20)
    linked_by: str | None = Field(default=None, max_length=40)
    linked_at: datetime = utc_column()


class KamerWatch(SQLModel, table=True):
    """A watch word of a dossier: new debates, agenda items and commitments that mention it."""

    __tablename__ = "kamer_watch"
    __table_args__ = (UniqueConstraint("dossier_id", "folded"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    word: str = Field(max_length=100)
    folded: str = Field(max_length=100)
    created_by: str | None = Field(default=None, max_length=40)
    created_at: datetime = utc_column()


class KamerNotice(SQLModel, table=True):
    """What a sync found for a dossier, posted once to its channel (the Delivery ledger, kind
    `kamer`). `key` makes it once: the same change seen by two syncs is one notice."""

    __tablename__ = "kamer_notice"
    __table_args__ = (Index("ix_kamer_notice_posted", "posted", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=20)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id", index=True)
    entity: str = Field(default="Activiteit", max_length=20)  # Activiteit | Agendapunt | Toezegging
    entity_id: str = Field(max_length=40)
    activity_id: str | None = Field(default=None, max_length=40)
    nummer: str = Field(default="", max_length=20)
    title: str = Field(default="", max_length=500)
    detail: str = Field(default="", max_length=1000)  # committee, place, matched word
    before: str | None = Field(default=None, max_length=200)
    after: str | None = Field(default=None, max_length=200)
    due_date: date | None = None
    state: str = Field(default=NoticeState.OPEN.value, max_length=10)
    channel: str | None = Field(default=None, max_length=40)  # None: nowhere to post
    ledger_key: str | None = Field(default=None, max_length=200, index=True)  # its Delivery key
    posted: bool = False  # the ledger has its row: the planner need not look at it again
    created_at: datetime = utc_column()


class KamerSync(SQLModel, table=True):
    """The shared cursor of one entity set: `ApiGewijzigdOp` of the last change applied (row
    `Activiteit`, … for OData) or the SyncFeed's skiptoken after it (row `feed:Activiteit`, …),
    and the health of the source (row `pass`): replicas and restarts resume from here."""

    __tablename__ = "kamer_sync"

    name: str = Field(primary_key=True, max_length=20)  # pass | [feed:]Activiteit | …
    cursor: datetime | None = utc_column(nullable=True)
    skiptoken: int | None = Field(default=None, sa_type=BigInteger)
    cursor_ids: str = Field(default="", max_length=4000)  # ids applied at exactly `cursor`
    version: int = 0
    lease_until: datetime | None = utc_column(nullable=True)
    last_attempt_at: datetime | None = utc_column(nullable=True)
    last_success_at: datetime | None = utc_column(nullable=True)
    failures: int = 0
    next_attempt_at: datetime | None = utc_column(nullable=True)
    last_error: str = Field(default="", max_length=500)
