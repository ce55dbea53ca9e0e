"""The Tweede Kamer services users call: link and unlink a milestone, watch words, search the
coming activities, follow or ignore a suggestion. Each takes `session` and `now` and flushes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from tracker.db import read
from tracker.errors import InvalidInput, NotFound
from tracker.kamer.client import HAGUE, activity_url, number_in
from tracker.kamer.match import WatchIndex, normalise
from tracker.kamer.models import KamerActivity, KamerLink, KamerNotice, KamerWatch, NoticeState
from tracker.models import Deadline, DeadlineKind, DeadlineStatus, Dossier
from tracker.services import deadlines as dl
from tracker.services.common import EventKind, flush, record_event, require_aware

ACTOR = "tweedekamer"  # who the history names for what the Kamer's agenda changed
MAX_WATCH_WORDS = 50
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class LinkInfo:
    """What the card shows of a link: "Commissiedebat MIRT · commissie IenW · 2030A01234"."""

    nummer: str
    soort: str = ""
    onderwerp: str = ""
    committee: str = ""
    url: str = ""
    found: bool = False  # False until the sync has read the activity


def link_info(link: KamerLink, activity: KamerActivity | None) -> LinkInfo:
    """The card line of a link."""
    return _info(link.nummer, activity)


def _info(link_nummer: str, activity: Any) -> LinkInfo:
    """The card line of a link numbered `link_nummer`, from its activity (an entity or a row
    with its columns; None until the sync has read it)."""
    nummer = (activity.nummer if activity is not None else "") or link_nummer
    url = activity_url(nummer) if nummer else ""
    if activity is None:
        return LinkInfo(nummer=nummer, url=url)
    return LinkInfo(nummer=nummer, soort=activity.soort, onderwerp=activity.onderwerp,
                    committee=activity.voortouwafkorting or activity.voortouwnaam, url=url,
                    found=True)


# Built once (every dossier card asks), read as columns (tracker.db.read).
_LINKS_OF = (select(KamerLink.deadline_id, col(KamerLink.nummer).label("link_nummer"),
                    col(KamerActivity.id).label("activity_id"), KamerActivity.nummer,
                    KamerActivity.soort, KamerActivity.onderwerp,
                    KamerActivity.voortouwafkorting, KamerActivity.voortouwnaam)
             .join(KamerActivity, col(KamerActivity.id) == col(KamerLink.activity_id),
                   isouter=True)
             .where(col(KamerLink.deadline_id).in_(bindparam("ids", expanding=True))))


def links_for(session: Session, deadline_ids: list[int]) -> dict[int, LinkInfo]:
    """The links of these milestones, by deadline id."""
    if not deadline_ids:
        return {}
    return {row.deadline_id: _info(row.link_nummer, row if row.activity_id is not None else None)
            for row in read(session, _LINKS_OF, {"ids": deadline_ids}).all()}


def local_when(activity: KamerActivity) -> tuple[date | None, time | None]:
    """The activity's date and starting time in The Hague."""
    if activity.aanvangstijd is not None:
        start = activity.aanvangstijd.astimezone(HAGUE)
        return start.date(), start.time().replace(second=0, microsecond=0)
    return activity.datum, None


def find_activity(session: Session, ref: str) -> tuple[str, KamerActivity | None]:
    """The number in `ref` (a number or a tweedekamer.nl URL) and the stored activity, if any."""
    nummer = number_in(ref)
    if nummer is None:
        raise InvalidInput(
            f"Ik zie geen activiteitnummer in ‘{ref[:80]}’. Geef het nummer (zoals 2023A04567) "
            "of de link naar de activiteit op tweedekamer.nl.",
            f"I see no activity number in ‘{ref[:80]}’. Give the number (like 2023A04567) or "
            "the link to the activity on tweedekamer.nl.", example="/deadline link 42 2023A04567")
    activity = session.exec(select(KamerActivity).where(KamerActivity.nummer == nummer)
                            .order_by(col(KamerActivity.api_gewijzigd_op).desc())).first()
    return nummer, activity


def link_deadline(*, session: Session, now: datetime, actor: str | None, deadline: Deadline,
                  ref: str) -> tuple[KamerLink, KamerActivity | None, list[str]]:
    """Link a milestone to an activity; fill its time when the activity is known. Returns the
    link, the activity (None until the next sync reads it) and what was filled in."""
    require_aware(now)
    if deadline.status != DeadlineStatus.OPEN.value:
        raise InvalidInput(f"Deadline #{deadline.id} is afgesloten; koppelen kan niet meer.",
                           f"Deadline #{deadline.id} is closed; it can no longer be linked.")
    nummer, activity = find_activity(session, ref)
    link = session.get(KamerLink, deadline.id)
    if link is None:
        link = KamerLink(deadline_id=deadline.id, activity_id=None, nummer=nummer,
                         linked_by=actor, linked_at=now)
        session.add(link)
    link.nummer, link.activity_id = nummer, activity.id if activity else None
    link.linked_by, link.linked_at = actor, now
    filled = fill_from_activity(deadline, activity, now=now) if activity else []
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.KAMER_LINKED,
                 dossier_id=deadline.dossier_id, deadline_id=deadline.id,
                 after=f"Tweede Kamer {nummer}", text=f"gekoppeld aan Tweede Kamer {nummer}")
    return link, activity, filled


def fill_from_activity(deadline: Deadline, activity: KamerActivity, *, now: datetime) -> list[str]:
    """Fill what the milestone lacks (its time; its date when it was only approximate)."""
    filled = []
    day, start = local_when(activity)
    if day is not None and deadline.approximate:
        deadline.due_date, deadline.approximate = day, False
        deadline.scheduled_at = now
        filled.append("datum")
    if start is not None and deadline.due_time is None and day == deadline.due_date:
        deadline.due_time = start
        filled.append("tijd")
    if filled:
        deadline.updated_at = now
    return filled


def unlink_deadline(*, session: Session, now: datetime, actor: str | None,
                    deadline: Deadline) -> str:
    """Stop following the milestone in the Kamer's agenda; the number it had."""
    require_aware(now)
    link = session.get(KamerLink, deadline.id)
    if link is None:
        raise NotFound(f"Deadline #{deadline.id} is niet aan de Tweede Kamer gekoppeld.",
                       f"Deadline #{deadline.id} is not linked to the Tweede Kamer.")
    nummer = link.nummer
    session.delete(link)
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.KAMER_UNLINKED,
                 dossier_id=deadline.dossier_id, deadline_id=deadline.id,
                 before=f"Tweede Kamer {nummer}", text=f"ontkoppeld van Tweede Kamer {nummer}")
    return nummer


def watch_words(session: Session, dossier: Dossier) -> list[str]:
    """A dossier's watch words, as typed, alphabetically."""
    return sorted(session.exec(select(KamerWatch.word)
                               .where(KamerWatch.dossier_id == dossier.id)).all(), key=str.casefold)


def add_watch_words(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                    words: list[str]) -> list[str]:
    """Add watch words to a dossier; the ones that were new."""
    require_aware(now)
    dl.require_open_dossier(dossier)
    have = {w.folded for w in session.exec(select(KamerWatch)
                                           .where(KamerWatch.dossier_id == dossier.id))}
    added = []
    for word in words:
        folded = normalise(word)
        if not folded:
            raise InvalidInput(f"‘{word[:40]}’ bevat geen letters of cijfers om op te zoeken.",
                               f"‘{word[:40]}’ holds no letters or digits to look for.",
                               example=f"/kamer volg {dossier.code} N35 Wijthmen")
        if folded in have:
            continue
        if len(have) >= MAX_WATCH_WORDS:
            raise InvalidInput(f"Een dossier volgt hoogstens {MAX_WATCH_WORDS} woorden.",
                               f"A dossier follows at most {MAX_WATCH_WORDS} words.")
        have.add(folded)
        session.add(KamerWatch(dossier_id=dossier.id, word=" ".join(word.split())[:100],
                               folded=folded, created_by=actor, created_at=now))
        added.append(word)
    flush(session)
    return added


def remove_watch_words(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                       words: list[str]) -> list[str]:
    """Remove watch words; the ones that were there."""
    require_aware(now)
    folded = {normalise(w): w for w in words}
    removed = []
    for watch in session.exec(select(KamerWatch).where(KamerWatch.dossier_id == dossier.id,
                                                       col(KamerWatch.folded).in_(list(folded)))):
        removed.append(watch.word)
        session.delete(watch)
    flush(session)
    return removed


def watch_index(session: Session) -> WatchIndex:
    """Every open dossier's watch words."""
    rows = session.exec(select(KamerWatch.dossier_id, KamerWatch.word, KamerWatch.folded)
                        .join(Dossier, col(Dossier.id) == col(KamerWatch.dossier_id))
                        .where(Dossier.phase != "closed")).all()
    return WatchIndex(rows)


def search_coming(*, session: Session, now: datetime, tz: ZoneInfo, words: str,
                  until: date, limit: int = SEARCH_LIMIT) -> list[KamerActivity]:
    """Coming activities (as the sync stored them) whose subject holds `words`."""
    today = now.astimezone(tz).date()
    index = WatchIndex([(0, words, normalise(words))]) if normalise(words) else None
    query = (select(KamerActivity)
             .where(col(KamerActivity.datum) >= today, col(KamerActivity.datum) <= until,
                    col(KamerActivity.verwijderd).is_(False))
             .order_by(col(KamerActivity.datum), col(KamerActivity.aanvangstijd)))
    found = []
    for activity in session.exec(query):
        if index is None or index.match(activity.onderwerp, activity.soort,
                                        activity.voortouwnaam, activity.nummer):
            found.append(activity)
            if len(found) >= limit:
                break
    return found


def get_notice(session: Session, notice_id: int) -> KamerNotice:
    """A notice by id, or NotFound."""
    notice = session.get(KamerNotice, notice_id)
    if notice is None:
        raise NotFound(f"Melding {notice_id} bestaat niet (meer).",
                       f"Notice {notice_id} does not exist (any more).")
    return notice


def follow_suggestion(*, session: Session, now: datetime, actor: str | None,
                      notice: KamerNotice) -> Deadline:
    """*Volg als mijlpaal*: the suggested debate or commitment becomes a linked milestone."""
    require_aware(now)
    if notice.state == NoticeState.FOLLOWED.value and notice.deadline_id:
        existing = session.get(Deadline, notice.deadline_id)
        if existing is not None:
            return existing  # a second click changes nothing
    dossier = session.get(Dossier, notice.dossier_id)
    if dossier is None:
        raise NotFound("Het dossier bestaat niet meer.", "The dossier no longer exists.")
    activity = session.get(KamerActivity, notice.activity_id) if notice.activity_id else None
    due, start = local_when(activity) if activity else (notice.due_date, None)
    due = notice.due_date if notice.entity == "Toezegging" else (due or notice.due_date)
    if due is None:
        raise InvalidInput("De Tweede Kamer noemt (nog) geen datum; voeg de mijlpaal later toe.",
                           "The Tweede Kamer gives no date (yet); add the milestone later.")
    commitment = notice.entity == "Toezegging"
    title = (f"Toezegging: {notice.title}" if commitment else notice.title)[:200] or "Tweede Kamer"
    deadline = dl.add_deadline(session=session, now=now, actor=actor, dossier=dossier,
                               title=title, due=due, due_time=None if commitment else start,
                               kind=DeadlineKind.COMMITMENT.value if commitment else None,
                               source=activity_url(notice.nummer) if notice.nummer else "")
    if activity is not None and not commitment:
        session.add(KamerLink(deadline_id=deadline.id, activity_id=activity.id,
                              nummer=activity.nummer, linked_by=actor, linked_at=now))
    notice.state, notice.deadline_id = NoticeState.FOLLOWED.value, deadline.id
    flush(session)
    return deadline


def follow_activity(*, session: Session, now: datetime, actor: str | None, dossier: Dossier,
                    activity_id: str) -> Deadline:
    """*Volg* on a search result: the stored activity becomes a linked milestone of `dossier`
    (once: a second click finds the milestone already there)."""
    require_aware(now)
    activity = session.get(KamerActivity, activity_id)
    if activity is None or activity.verwijderd:
        raise NotFound("Die activiteit van de Tweede Kamer is niet (meer) bekend.",
                       "That Tweede Kamer activity is not (or no longer) known.")
    existing = session.exec(select(Deadline).join(KamerLink, col(KamerLink.deadline_id) == col(Deadline.id))
                            .where(KamerLink.activity_id == activity.id,
                                   Deadline.dossier_id == dossier.id)).first()
    if existing is not None:
        return existing
    day, start = local_when(activity)
    if day is None:
        raise InvalidInput("De Tweede Kamer noemt (nog) geen datum; voeg de mijlpaal later toe.",
                           "The Tweede Kamer gives no date (yet); add the milestone later.")
    title = " ".join(p for p in (activity.soort, activity.onderwerp) if p)[:200] or "Tweede Kamer"
    deadline = dl.add_deadline(session=session, now=now, actor=actor, dossier=dossier, title=title,
                               due=day, due_time=start,
                               source=activity_url(activity.nummer) if activity.nummer else "")
    session.add(KamerLink(deadline_id=deadline.id, activity_id=activity.id, nummer=activity.nummer,
                          linked_by=actor, linked_at=now))
    flush(session)
    return deadline


def dossier_of_channel(session: Session, channel: str | None) -> Dossier | None:
    """The one open dossier whose channel this is, if exactly one."""
    if not channel:
        return None
    found = session.exec(select(Dossier).where(Dossier.channel == channel,
                                               Dossier.phase != "closed").limit(2)).all()
    return found[0] if len(found) == 1 else None


def ignore_suggestion(*, session: Session, now: datetime, actor: str | None,
                      notice: KamerNotice) -> None:
    """*Negeer*: the suggestion is put aside (it is never posted again: its key stays)."""
    require_aware(now)
    if notice.state == NoticeState.OPEN.value:
        notice.state = NoticeState.IGNORED.value
        flush(session)
