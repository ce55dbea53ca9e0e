"""The sync's notices as scheduler items: the tick claims each in the Delivery ledger (kind
`kamer`, key `kamer:<notice key>:<channel>`), so it is posted once across replicas and restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from tracker.kamer.client import activity_url
from tracker.kamer.models import KamerNotice
from tracker.models import Delivery, Dossier
from tracker.scheduling.items import Item
from tracker.settings import Settings

KIND = "kamer"
BATCH = 200  # notices planned per tick; the rest follow in the next ticks


@dataclass(frozen=True)
class NoticeInfo:
    """A snapshot of a notice, as much as its message needs."""

    id: int
    kind: str
    entity: str
    dossier_code: str
    dossier_title: str
    deadline_id: int | None
    title: str
    detail: str
    before: str | None
    after: str | None
    due_date: date | None
    nummer: str
    url: str


@dataclass(frozen=True, kw_only=True)
class KamerItem(Item):
    """"Verzet door de Tweede Kamer: 20 nov → 27 nov" or a watch-word suggestion."""

    notice: NoticeInfo

    kind = KIND

    @property
    def deadline_id(self) -> int | None:
        return self.notice.deadline_id


def notice_info(notice: KamerNotice, dossier: Dossier) -> NoticeInfo:
    """The snapshot of `notice`."""
    assert notice.id is not None
    return NoticeInfo(id=notice.id, kind=notice.kind, entity=notice.entity,
                      dossier_code=dossier.code, dossier_title=dossier.title,
                      deadline_id=notice.deadline_id, title=notice.title, detail=notice.detail,
                      before=notice.before, after=notice.after, due_date=notice.due_date,
                      nummer=notice.nummer, url=activity_url(notice.nummer) if notice.nummer else "")


def _item(notice: KamerNotice, dossier: Dossier, today: date, late: bool = False) -> KamerItem:
    assert notice.ledger_key is not None and notice.channel is not None
    return KamerItem(key=notice.ledger_key, channel=notice.channel, due_at=notice.created_at,
                     today=today, late=late, notice=notice_info(notice, dossier))


def plan_notices(*, session: Session, settings: Settings, now: datetime) -> list[KamerItem]:
    """The notices the ledger has no row for yet; those it has are marked posted."""
    today = now.astimezone(settings.tz).date()
    rows = session.exec(select(KamerNotice, Dossier)
                        .join(Dossier, col(Dossier.id) == col(KamerNotice.dossier_id))
                        .where(col(KamerNotice.posted).is_(False),
                               col(KamerNotice.ledger_key).is_not(None),
                               col(KamerNotice.created_at) <= now)
                        .order_by(col(KamerNotice.id)).limit(BATCH)).all()
    if not rows:
        return []
    keys = [notice.ledger_key for notice, _ in rows]
    known = set(session.exec(select(Delivery.key).where(col(Delivery.key).in_(keys))).all())
    items = []
    for notice, dossier in rows:
        if notice.ledger_key in known:
            notice.posted = True
        else:
            items.append(_item(notice, dossier, today))
    session.flush()
    return items


def item_for_notice(*, session: Session, settings: Settings, row: Delivery,
                    now: datetime) -> KamerItem | None:
    """The item of a ledger row taken up again (retry, expired lease)."""
    notice = session.exec(select(KamerNotice).where(KamerNotice.ledger_key == row.key)).first()
    if notice is None:
        return None
    dossier = session.get(Dossier, notice.dossier_id)
    if dossier is None:
        return None
    return _item(notice, dossier, now.astimezone(settings.tz).date(), late=row.late)
