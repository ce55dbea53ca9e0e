"""What executing a command gives back: plain data that renderers turn into Slack or text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.models import Deadline, Dossier, Event, Member, Programme
from tracker.services.deadlines import Upcoming
from tracker.services.dossiers import DossierCard, DossierLine


@dataclass(frozen=True)
class HelpResult:
    topic: str | None = None


@dataclass(frozen=True)
class DossierList:
    """One page of the dossier list; `total` counts every match."""

    dossiers: list[DossierLine]
    filter: str = ""
    total: int | None = None
    page: int = 0


@dataclass(frozen=True)
class DossierShown:
    card: DossierCard


@dataclass(frozen=True)
class DossierChanged:
    """A dossier was created or changed; `what` names the change."""

    dossier: Dossier
    what: str  # created | status | note | owner | channel | archived | updated
    before: str | None = None
    event: Event | None = None


# A dossier a result only shows is read as a row with its columns (tracker.db.read); one
# that was changed is the entity. Renderers read columns only.
DossierRead = Dossier | Any


@dataclass(frozen=True)
class DeadlineAdded:
    deadline: Deadline
    dossier: DossierRead
    past: bool
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class DeadlineExists:
    """`/deadline add` of one that exists: nothing added; `request` can add it anyway."""

    existing: Deadline
    dossier: DossierRead
    request: dict[str, Any]  # dossier, title, due, time, precision, qualifier, part (JSON-able)


@dataclass(frozen=True)
class DeadlineChanged:
    deadline: Deadline
    dossier: Dossier
    what: str  # done | cancelled | moved | remind | snoozed
    before: str | None = None
    past: bool = False


@dataclass(frozen=True)
class DeadlineList:
    """The first items of a deadline list; `total` counts them all (None: just `items`)."""

    items: list[Upcoming]
    until: date
    dossier: DossierRead | None = None
    horizon: str = ""
    total: int | None = None

    @property
    def count(self) -> int:
        """How many deadlines the list stands for, shown or not."""
        return len(self.items) if self.total is None else max(self.total, len(self.items))


@dataclass(frozen=True)
class ProgrammeList:
    programmes: list[Programme]
    line: str | None = None
    parents: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeChanged:
    programme: Programme
    before: str


@dataclass(frozen=True)
class TeamList:
    members: list[Member]
    admins: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamChanged:
    user_id: str
    role: str | None


@dataclass(frozen=True)
class PreferenceResult:
    """`/lobby voorkeur`: where this member's reminders go (`dm` or `kanaal`)."""

    user_id: str
    via: str
    changed: bool


@dataclass(frozen=True)
class DigestRequested:
    """A digest to show (post=False) or to post in the channel (post=True)."""

    period: Any
    post: bool
    format: str | None = None  # "docx" | "pdf": the report as a file, to the asker


@dataclass(frozen=True)
class ModalRequested:
    """The user asked for a form: new dossier, edit dossier, add deadline."""

    modal: str  # dossier_new | dossier_edit | deadline_add
    dossier: Dossier | None = None


Result = (HelpResult | DossierList | DossierShown | DossierChanged | DeadlineAdded | DeadlineChanged
          | DeadlineExists
          | DeadlineList | ProgrammeList | ProgrammeChanged | TeamList | TeamChanged
          | DigestRequested | ModalRequested | PreferenceResult)
