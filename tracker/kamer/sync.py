"""The sync: what changed in the Tweede Kamer since the last pass, and what it means here.

A pass takes the lease (one row of `kamer_sync`, so of any number of replicas one syncs at a
time; a process killed mid-pass leaves a lease that runs out), then per entity set reads the
changes since its cursor, a page at a time. Each page is applied in one transaction that ends
by moving the cursor with a compare-and-set: a page is applied wholly or not at all, a restart
resumes after the last page applied, and a pass that lost the race changes nothing.
Applying a page is idempotent (the cursor is inclusive: `ApiGewijzigdOp ge …`), and every
notice has a unique key, so a change is told once however often it is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker.db import session_scope
from tracker.errors import Conflict
from tracker.kamer.client import (
    ENTITY_SETS,
    HAGUE,
    Activity,
    AgendaItem,
    Commitment,
    Page,
    SourceError,
)
from tracker.kamer.match import WatchIndex
from tracker.kamer.models import KamerActivity, KamerLink, KamerNotice, KamerSync, NoticeKind
from tracker.kamer.services import ACTOR, local_when, watch_index
from tracker.models import Deadline, DeadlineStatus, Dossier
from tracker.services import deadlines as dl
from tracker.services.common import EventKind, flush, record_event
from tracker.settings import Settings

log = logging.getLogger(__name__)

LEASE_ROW = "pass"
CURSOR_IDS_LIMIT = 4000  # more ties than this at one instant are simply applied again
LEASE = timedelta(minutes=10)
FIRST_LOOKBACK = timedelta(days=7)  # a first pass reads the last week, not the whole archive
CANCELLED = frozenset({"geannuleerd", "vervallen", "uitgesteld"})
COMMITMENT_OPEN = frozenset({"", "openstaand"})
LIMITS = {"title": 500, "nummer": 20, "before": 200, "after": 200, "entity_id": 40}
STORED = ("nummer", "soort", "onderwerp", "datum", "aanvangstijd", "eindtijd", "locatie", "status",
          "voortouwnaam", "voortouwafkorting", "vergaderjaar", "noot", "voortgezet_vanuit",
          "vervangen_vanuit", "verwijderd", "api_gewijzigd_op")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class LostRace(Exception):
    """Another process moved the cursor first; this page is rolled back."""


@dataclass
class SyncReport:
    """What one pass did."""

    status: str = "ok"  # ok | busy | waiting | failed | conflict
    read: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    notices: int = 0
    error: str = ""
    next_attempt_at: datetime | None = None

    def summary(self) -> str:
        """One line for `lobby kamer sync`."""
        read = ", ".join(f"{n} {name}" for name, n in self.read.items()) or "niets"
        if self.status == "busy":
            return "Tweede Kamer: een andere synchronisatie loopt al; niets gedaan."
        if self.status == "waiting":
            return (f"Tweede Kamer: de bron gaf eerder fouten; volgende poging na "
                    f"{_local(self.next_attempt_at)}.")
        if self.status == "failed":
            return (f"Tweede Kamer niet bereikbaar ({self.error}); niets gewijzigd van wat niet "
                    f"volledig gelezen is. Gelezen: {read}.")
        if self.status == "conflict":
            return "Tweede Kamer: een mijlpaal werd tegelijk gewijzigd; de volgende ronde verder."
        extra = f", {self.skipped} onleesbare records overgeslagen" if self.skipped else ""
        return f"Tweede Kamer gesynchroniseerd: {read} gelezen, {self.notices} meldingen{extra}."


def _local(moment: datetime | None) -> str:
    return moment.astimezone(HAGUE).strftime("%d-%m-%Y %H:%M") if moment else "?"


def backoff(failures: int) -> timedelta:
    """1, 2, 4, … minutes after consecutive failures, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(failures - 1, 0)))


# --- the lease and the cursors --------------------------------------------------------------

def _insert(session: Session) -> Any:
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(KamerSync.__table__)  # type: ignore[attr-defined]


def _ensure_rows(session: Session) -> None:
    for name in (LEASE_ROW, *ENTITY_SETS):
        session.execute(_insert(session).values(name=name, version=0, failures=0, last_error="",
                                                cursor_ids="")
                        .on_conflict_do_nothing(index_elements=["name"]))


def _take_lease(engine: Engine, now: datetime, *, respect_backoff: bool) -> tuple[bool, KamerSync]:
    with session_scope(engine) as session:
        _ensure_rows(session)
        free = (col(KamerSync.lease_until).is_(None)) | (col(KamerSync.lease_until) < now)
        if respect_backoff:
            free &= (col(KamerSync.next_attempt_at).is_(None)) | (col(KamerSync.next_attempt_at) <= now)
        result = session.execute(update(KamerSync)
                                 .where(KamerSync.name == LEASE_ROW, free)
                                 .values(lease_until=now + LEASE, last_attempt_at=now)
                                 .execution_options(synchronize_session=False))
        row = session.get(KamerSync, LEASE_ROW)
        assert row is not None
        session.refresh(row)
        return result.rowcount == 1, row  # type: ignore[attr-defined]


def _release(engine: Engine, now: datetime, error: str | None, *,
             finished: bool = True) -> datetime | None:
    with session_scope(engine) as session:
        row = session.get(KamerSync, LEASE_ROW)
        assert row is not None
        row.lease_until = None
        if error is None and not finished:  # stopped by a conflict: the next pass goes on
            return row.next_attempt_at
        if error is None:
            row.last_success_at, row.failures, row.next_attempt_at, row.last_error = now, 0, None, ""
        else:
            row.failures += 1
            row.next_attempt_at = now + backoff(row.failures)
            row.last_error = error[:500]
        return row.next_attempt_at


def _advance(session: Session, entity: str, version: int, cursor: datetime | None,
             seen: set[str]) -> int:
    values: dict[str, Any] = {"version": version + 1,
                              "cursor_ids": ",".join(sorted(seen))[:CURSOR_IDS_LIMIT]}
    if cursor is not None:
        values["cursor"] = cursor
    result = session.execute(update(KamerSync)
                             .where(KamerSync.name == entity, KamerSync.version == version)
                             .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LostRace(entity)
    return version + 1


# --- a pass ---------------------------------------------------------------------------------

def run_sync(*, engine: Engine, client: Any, settings: Settings, now: datetime,
             respect_backoff: bool = True) -> SyncReport:
    """One pass over every entity set; never raises for a failing source."""
    report = SyncReport()
    taken, lease = _take_lease(engine, now, respect_backoff=respect_backoff)
    if not taken:
        busy = lease.lease_until is not None and lease.lease_until >= now
        report.status = "busy" if busy else "waiting"
        report.next_attempt_at = lease.next_attempt_at
        return report
    error: str | None = None
    try:
        _resolve_pending(engine, client, settings, now, report)
        indexes: list[WatchIndex] = []
        for entity in ENTITY_SETS:
            _sync_entity(engine, client, settings, now, entity, report, indexes)
    except SourceError as exc:
        report.status, error = "failed", str(exc)
    except (LostRace, Conflict) as exc:
        report.status = "conflict"
        log.info("Tweede Kamer sync stopped early: %s", exc)
    except Exception as exc:  # a bug must not leave the lease held or the source marked fine
        log.exception("Tweede Kamer sync failed")
        report.status, error = "failed", f"{type(exc).__name__}"
    report.next_attempt_at = _release(engine, now, error if report.status == "failed" else None,
                                      finished=report.status != "conflict")
    report.error = error or ""
    return report


def _sync_entity(engine: Engine, client: Any, settings: Settings, now: datetime, entity: str,
                 report: SyncReport, indexes: list[WatchIndex]) -> None:
    with session_scope(engine) as session:
        row = session.get(KamerSync, entity)
        assert row is not None
        version, cursor = row.version, row.cursor or (now - FIRST_LOOKBACK)
        seen = set(filter(None, row.cursor_ids.split(",")))  # applied at exactly `cursor`
    report.read.setdefault(entity, 0)
    for page in client.pages(entity, since=cursor):
        report.read[entity] += len(page.records)
        report.skipped += page.skipped
        fresh = [r for r in page.records if r.api_gewijzigd_op is None
                 or r.api_gewijzigd_op > cursor or r.id not in seen]
        if not fresh:  # the inclusive cursor read back what the last pass applied
            continue
        with session_scope(engine) as session:
            if not indexes:  # built once a pass, and only when there is something to match
                indexes.append(watch_index(session))
            report.notices += apply_page(session=session, settings=settings, now=now,
                                         entity=entity, page=Page(records=fresh),
                                         index=indexes[0])
            last = page.last_changed or cursor
            at_last = {r.id for r in page.records if r.api_gewijzigd_op == last}
            seen = (seen | at_last) if last == cursor else at_last
            cursor = last
            version = _advance(session, entity, version, cursor, seen)


def _resolve_pending(engine: Engine, client: Any, settings: Settings, now: datetime,
                     report: SyncReport) -> None:
    """Links made by number before the sync had read the activity: fetch those activities."""
    with session_scope(engine) as session:
        numbers = sorted(set(session.exec(select(KamerLink.nummer)
                                          .where(col(KamerLink.activity_id).is_(None))).all()))
    if not numbers:
        return
    records = client.activities_by_number(numbers)
    with session_scope(engine) as session:
        report.notices += apply_page(session=session, settings=settings, now=now, entity="Activiteit",
                                     page=Page(records=list(records)), index=WatchIndex([]))


# --- applying a page ------------------------------------------------------------------------

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
        table = KamerActivity.__table__  # type: ignore[attr-defined]
        module = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = module.insert(table)
        # executemany of one compiled statement: far cheaper than one VALUES list of 4,000 binds
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=["id"], set_={name: stmt.excluded[name] for name in STORED}),
            list(rows.values()))

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
        deadline.due_date, deadline.due_time, deadline.approximate = day, start, False
        deadline.scheduled_at = deadline.updated_at = self.now  # reminders for the old date lapse
        flush(self.session)
        record_event(self.session, now=self.now, actor=ACTOR, kind=EventKind.DEADLINE_MOVED,
                     dossier_id=deadline.dossier_id, deadline_id=deadline.id, before=before,
                     after=after, text=f"verzet door de Tweede Kamer: {before} → {after}")
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
        stmt = (_notice_insert(self.session)
                .on_conflict_do_nothing(index_elements=["key"]).returning(col(KamerNotice.id)))
        self.made += len(self.session.execute(stmt, rows).all())
        self._notices.clear()


def _notice_insert(session: Session) -> Any:
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(KamerNotice.__table__)  # type: ignore[attr-defined]
