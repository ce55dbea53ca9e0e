"""What the Tweede Kamer commands give back: plain data the renderers turn into Slack or text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.kamer.models import KamerActivity
from tracker.kamer.services import LinkInfo
from tracker.models import Deadline, Dossier


@dataclass(frozen=True)
class DeadlineLinked:
    """A milestone linked to an activity; `pending` until the sync has read the activity."""

    deadline: Deadline
    dossier: Dossier
    link: LinkInfo
    filled: tuple[str, ...] = ()
    pending: bool = False


@dataclass(frozen=True)
class DeadlineUnlinked:
    deadline: Deadline
    dossier: Dossier
    nummer: str


@dataclass(frozen=True)
class WatchWords:
    """A dossier's watch words after `/kamer volg|ontvolg`."""

    dossier: Dossier
    words: tuple[str, ...]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()


@dataclass(frozen=True)
class KamerSearch:
    """Coming activities matching `/kamer zoek`, as the last sync stored them."""

    words: str
    until: date
    activities: list[KamerActivity] = field(default_factory=list)
