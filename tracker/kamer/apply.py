"""Applying one page of Tweede Kamer changes: what a changed activity, agenda item or
commitment means for linked milestones and watch words. Slack-free; flushes only, so the caller's
transaction (one per page, ending with the cursor's compare-and-set) applies it wholly or not at
all. Idempotent: every notice has a unique key, so a change read twice is told once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from tracker.kamer.client import HAGUE, Activity, AgendaItem, Commitment, Page
from tracker.kamer.match import WatchIndex
from tracker.kamer.models import KamerActivity, KamerLink, KamerNotice, NoticeKind
from tracker.kamer.services import ACTOR, local_when
from tracker.models import Deadline, DeadlineStatus, Dossier
from tracker.services import deadlines as dl
from tracker.services.common import EventKind, flush, record_event
from tracker.settings import Settings

CANCELLED = frozenset({"geannuleerd", "vervallen", "uitgesteld"})
COMMITMENT_OPEN = frozenset({"", "openstaand"})
LIMITS = {"title": 500, "nummer": 20, "before": 200, "after": 200, "entity_id": 40}
STORED = ("nummer", "soort", "onderwerp", "datum", "aanvangstijd", "eindtijd", "locatie", "status",
          "voortouwnaam", "voortouwafkorting", "vergaderjaar", "noot", "voortgezet_vanuit",
          "vervangen_vanuit", "verwijderd", "api_gewijzigd_op")
KNOWN = STORED[:-2]  # what a deleted activity keeps: all but verwijderd and api_gewijzigd_op
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

def apply_page(*, session: Session, settings: Settings, now: datetime, entity: str, page: Page,
               index: WatchIndex) -> int:
    """Record one page of changes; how many notices it made. Flushes only."""
    applier = _Applier(session, settings, now, index)
    if entity == "Activiteit":
        activities = [r for r in page.records if isinstance(r, Activity)]
        # Replacements first: the new activity takes over the links before the old one's
        # cancellation is read, so a moved debate is re-planned rather than cancelled.
        activities.sort(key=lambda a: not (a.vervangen_vanuit or a.voortgezet_vanuit))
        applier.activities(activities)
    elif entity == "Agendapunt":
        applier.agenda_items([r for r in page.records if isinstance(r, AgendaItem)])
    else:
        applier.commitments([r for r in page.records if isinstance(r, Commitment)])
    flush(session)
    applier.write_notices()
    return applier.made


def day_label(day: date | None, moment: time | None = None, *, year: bool = False) -> str:
    """"20 nov" / "20 nov 2023 10:00" as the notices say it."""
    if day is None:
        return "geen datum"
    text = f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")
    return text + (f" {moment:%H:%M}" if moment else "")


class _Applier:
    def __init__(self, session: Session, settings: Settings, now: datetime,
                 index: WatchIndex) -> None:
        self.session, self.settings, self.now, self.index = session, settings, now, index
        self.today = now.astimezone(HAGUE).date()
        self.made = 0
        self._dossiers: dict[int, tuple[int, str | None]] | None = None
        self._notices: dict[str, dict[str, Any]] = {}

    # activities

    def activities(self, records: list[Activity]) -> None:
        if not records:
            return
        records = self._known(records)
        ids = {r.id for r in records}
        refs = ids | {r.vervangen_vanuit for r in records if r.vervangen_vanuit} \
            | {r.voortgezet_vanuit for r in records if r.voortgezet_vanuit}
        stored = {row[0]: row[1:] for row in self.session.exec(
            select(KamerActivity.id, KamerActivity.datum, KamerActivity.aanvangstijd,
                   KamerActivity.onderwerp).where(col(KamerActivity.id).in_(list(ids))))}
        self._store(records)
        links: dict[str, list[KamerLink]] = {}
        numbers = {r.nummer for r in records if r.nummer}
        for link in self.session.exec(select(KamerLink).where(
                col(KamerLink.activity_id).in_(list(refs))
                | (col(KamerLink.activity_id).is_(None) & col(KamerLink.nummer).in_(list(numbers))))):
            links.setdefault(link.activity_id or f"#{link.nummer}", []).append(link)
        for record in records:
            previous = stored.get(record.id)
            moved = previous is None or (previous[0], previous[1]) != (
                record.datum, record.aanvangstijd)
            pending = links.pop(f"#{record.nummer}", []) if record.nummer else []
            for link in pending:
                link.activity_id = record.id
            mine = links.setdefault(record.id, [])
            mine.extend(pending)
            for old_id in (record.vervangen_vanuit, record.voortgezet_vanuit):
                if old_id and not record.verwijderd and old_id in links:
                    for link in links.pop(old_id):
                        self._replaced(link, record, old_id)
                        mine.append(link)
            for link in mine:
                self._follow(link, record, moved=moved or link in pending)
            if (self.index and not record.verwijderd and record.datum is not None
                    and record.datum >= self.today
                    and (previous is None or previous[2] != record.onderwerp)):
                hits = self.index.match(record.onderwerp)
                linked_dossiers = {self._deadline_dossier(link) for link in mine} if hits else set()
                for hit in hits:
                    if hit.dossier_id not in linked_dossiers:
                        self._suggest(hit.dossier_id, "Activiteit", record.id, record,
                                      record.onderwerp, record.datum, hit.word)

    def _store(self, records: list[Activity]) -> None:
        """Upsert the page's activities in one statement (no ORM objects: 250 at a time)."""
        rows = {r.id: {name: getattr(r, name) for name in STORED} | {"id": r.id} for r in records}
        stmt = dialect_insert(self.session, KamerActivity)
        # executemany of one compiled statement: far cheaper than one VALUES list of 4,000 binds
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=["id"], set_={name: stmt.excluded[name] for name in STORED}),
            list(rows.values()))

    def _known(self, records: list[Activity]) -> list[Activity]:
        """A SyncFeed tombstone (deleted: the bare element, no fields) keeps what we knew of
        the activity, so its notice still names the debate and the stored row its number."""
        bare = [r.id for r in records if r.verwijderd and not (r.nummer or r.datum)]
        if not bare:
            return records
        known = {a.id: a for a in self.session.exec(
            select(KamerActivity).where(col(KamerActivity.id).in_(bare)))}
        return [replace(r, **{name: getattr(known[r.id], name) for name in KNOWN})
                if r.id in known else r for r in records]

    def _deadline(self, link: KamerLink) -> Deadline | None:
        return self.session.get(Deadline, link.deadline_id)

    def _deadline_dossier(self, link: KamerLink) -> int | None:
        deadline = self._deadline(link)
        return deadline.dossier_id if deadline else None

    def _follow(self, link: KamerLink, activity: Activity, *, moved: bool) -> None:
        deadline = self._deadline(link)
        if deadline is None or deadline.status != DeadlineStatus.OPEN.value:
            return
        link.nummer = activity.nummer or link.nummer
        status = activity.status.strip().lower()
        if activity.verwijderd or status in CANCELLED:
            kind = NoticeKind.DELETED if activity.verwijderd else NoticeKind.CANCELLED
            before = day_label(deadline.due_date, deadline.due_time)
            dl.cancel_deadline(session=self.session, now=self.now, actor=ACTOR, deadline=deadline)
            self._notice(kind, deadline, activity, key=f"{kind.value[0]}:{deadline.id}:{activity.id}",
                         before=before, after=activity.status or "verwijderd")
            return
        day, start = local_when(activity)
        if not moved or day is None or (day, start) == (deadline.due_date, deadline.due_time):
            return
        if day == deadline.due_date and (start is None or deadline.due_time is None):
            if start is not None:  # the Kamer tells the time we did not know: fill it in
                deadline.due_time, deadline.updated_at = start, self.now
            return  # or it dropped the time only: keep ours
        self._move(deadline, activity, day, start)

    def _move(self, deadline: Deadline, activity: Activity, day: date,
              start: time | None, kind: NoticeKind = NoticeKind.MOVED) -> None:
        year = day.year != deadline.due_date.year
        before = day_label(deadline.due_date, deadline.due_time if start else None, year=year)
        after = day_label(day, start, year=year)
        # The event keeps the dates as every other move does (ISO, `when_text`); the display,
        # with its year, belongs in its text.
        stored_before = dl.when_text(deadline)
        shown = (f"{day_label(deadline.due_date, deadline.due_time if start else None, year=True)}"
                 f" → {day_label(day, start, year=True)}")
        deadline.due_date, deadline.due_time, deadline.approximate = day, start, False
        deadline.precision, deadline.qualifier, deadline.due_part = "day", "", ""
        deadline.scheduled_at = deadline.updated_at = self.now  # reminders for the old date lapse
        flush(self.session)
        record_event(self.session, now=self.now, actor=ACTOR, kind=EventKind.DEADLINE_MOVED,
                     dossier_id=deadline.dossier_id, deadline_id=deadline.id,
                     before=stored_before, after=dl.when_text(deadline),
                     text=f"verzet door de Tweede Kamer: {shown}")
        stamp = f"{day.isoformat()}T{start:%H%M}" if start else day.isoformat()
        self._notice(kind, deadline, activity, key=f"{kind.value[0]}:{deadline.id}:{stamp}",
                     before=before, after=after)

    def _replaced(self, link: KamerLink, activity: Activity, old_id: str) -> None:
        link.activity_id, link.nummer = activity.id, activity.nummer or link.nummer
        deadline = self._deadline(link)
        if deadline is None or deadline.status != DeadlineStatus.OPEN.value:
            return
        day, start = local_when(activity)
        if day is not None and (day, start) != (deadline.due_date, deadline.due_time):
            self._move(deadline, activity, day, start, NoticeKind.REPLACED)
        else:
            self._notice(NoticeKind.REPLACED, deadline, activity,
                         key=f"r:{deadline.id}:{activity.id}",
                         before=day_label(deadline.due_date), after=day_label(deadline.due_date))

    # agenda items and commitments

    def agenda_items(self, records: list[AgendaItem]) -> None:
        if not self.index:
            return
        ids = {r.activiteit_id for r in records if r.activiteit_id}
        stored = {a.id: a for a in self.session.exec(
            select(KamerActivity).where(col(KamerActivity.id).in_(list(ids))))} if ids else {}
        for record in records:
            if record.verwijderd or not record.onderwerp:
                continue
            activity = stored.get(record.activiteit_id or "")
            day = (activity.datum if activity else None) or (
                record.aanvangstijd.astimezone(HAGUE).date() if record.aanvangstijd else None)
            if day is None or day < self.today:
                continue
            for hit in self.index.match(record.onderwerp):
                self._suggest(hit.dossier_id, "Agendapunt", record.activiteit_id or record.id,
                              activity, record.onderwerp, day, hit.word)

    def commitments(self, records: list[Commitment]) -> None:
        if not self.index:
            return
        for record in records:
            if (record.verwijderd or record.status.strip().lower() not in COMMITMENT_OPEN
                    or record.datum_nakoming is None or not record.tekst):
                continue
            for hit in self.index.match(record.tekst):
                self._suggest(hit.dossier_id, "Toezegging", record.id, None, record.tekst,
                              record.datum_nakoming, hit.word,
                              detail=" · ".join(p for p in (record.naam, record.ministerie) if p),
                              nummer=record.activiteit_nummer)

    # notices

    def _dossier(self, dossier_id: int | None) -> tuple[int, str | None] | None:
        """(id, channel) of an open dossier; loaded for all dossiers at the first need."""
        if self._dossiers is None:
            self._dossiers = {row[0]: (row[0], row[1]) for row in self.session.exec(
                select(Dossier.id, Dossier.channel).where(Dossier.phase != "closed"))}
        return self._dossiers.get(dossier_id) if dossier_id is not None else None

    def _suggest(self, dossier_id: int, entity: str, entity_id: str,
                 activity: Activity | KamerActivity | None, title: str, day: date | None,
                 word: str,
                 detail: str = "", nummer: str = "") -> None:
        dossier = self._dossier(dossier_id)
        if dossier is None:
            return
        committee = (activity.voortouwafkorting or activity.voortouwnaam) if activity else ""
        self._insert(key=f"s:{dossier_id}:{entity_id}", kind=NoticeKind.SUGGESTION.value,
                     dossier=dossier, deadline_id=None, entity=entity, entity_id=entity_id,
                     activity_id=activity.id if activity else None,
                     nummer=(activity.nummer if activity else "") or nummer, title=title,
                     detail=(detail or " · ".join(p for p in (
                         activity.soort if activity else "", committee) if p))
                     + f" · volgwoord ‘{word}’",
                     before=None, after=None, due_date=day)

    def _notice(self, kind: NoticeKind, deadline: Deadline, activity: Activity, *, key: str,
                before: str | None, after: str | None) -> None:
        dossier = self._dossier(deadline.dossier_id)
        if dossier is None:
            return
        committee = activity.voortouwafkorting or activity.voortouwnaam
        self._insert(key=key, kind=kind.value, dossier=dossier, deadline_id=deadline.id,
                     entity="Activiteit", entity_id=activity.id, activity_id=activity.id,
                     nummer=activity.nummer, title=deadline.title,
                     detail=" · ".join(p for p in (activity.soort, committee, activity.locatie) if p),
                     before=before, after=after, due_date=deadline.due_date)

    def _insert(self, *, key: str, dossier: tuple[int, str | None], **values: Any) -> None:
        dossier_id, own_channel = dossier
        channel = own_channel or self.settings.lobby_default_channel
        self._notices.setdefault(key, {
            "key": key, "dossier_id": dossier_id, "channel": channel, "posted": False,
            "ledger_key": f"kamer:{key}:{channel}" if channel else None, "state": "open",
            "created_at": self.now,
            **{k: (v[:LIMITS.get(k, 1000)] if isinstance(v, str) else v) for k, v in values.items()}})

    def write_notices(self) -> None:
        """Insert the page's notices in one statement; a key already known is left alone."""
        if not self._notices:
            return
        columns = {c for row in self._notices.values() for c in row}
        rows = [{c: row.get(c) for c in columns} for row in self._notices.values()]
        stmt = (dialect_insert(self.session, KamerNotice)
                .on_conflict_do_nothing(index_elements=["key"]).returning(col(KamerNotice.id)))
        self.made += len(self.session.execute(stmt, rows).all())
        self._notices.clear()


def dialect_insert(session: Session, model: Any) -> Any:
    """An INSERT of `model`'s table that can say ON CONFLICT (PostgreSQL or SQLite)."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(model.__table__)
