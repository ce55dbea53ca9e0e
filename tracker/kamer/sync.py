"""The sync: what changed in the Tweede Kamer since the last pass, and what it means here.

A pass takes the lease (one row of `kamer_sync`, so of any number of replicas one syncs at a
time; a process killed mid-pass leaves a lease that runs out), then per entity set reads the
changes since its cursor, a page at a time: from the SyncFeed when a `FeedClient` is given (the
cursor is the skiptoken after the last entry applied, row `feed:<set>`), else from OData (the
cursor is `ApiGewijzigdOp`, row `<set>`). Each page is applied in one transaction that ends
by moving the cursor with a compare-and-set: a page is applied wholly or not at all, a restart
resumes after the last page applied, and a pass that lost the race changes nothing.
Applying a page is idempotent (the OData cursor is inclusive: `ApiGewijzigdOp ge …`), and every
notice has a unique key, so a change is told once however often it is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tracker.db import session_scope
from tracker.errors import Conflict
from tracker.kamer.apply import apply_page, day_label, dialect_insert
from tracker.kamer.client import ENTITY_SETS, HAGUE, Page, Record, SourceError
from tracker.kamer.feed import FeedClient
from tracker.kamer.match import WatchIndex
from tracker.kamer.models import KamerLink, KamerSync
from tracker.kamer.services import watch_index
from tracker.settings import Settings

__all__ = ["LostRace", "SyncReport", "apply_page", "backoff", "day_label", "run_sync"]

log = logging.getLogger(__name__)

LEASE_ROW = "pass"
FEED_ROW = "feed:{}"  # the SyncFeed's cursor of an entity set
CURSOR_IDS_LIMIT = 4000  # more ties than this at one instant are simply applied again
LEASE = timedelta(minutes=10)
FIRST_LOOKBACK = timedelta(days=7)  # a first pass reads the last week, not the whole archive


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

def _ensure_rows(session: Session) -> None:
    for name in (LEASE_ROW, *ENTITY_SETS, *(FEED_ROW.format(e) for e in ENTITY_SETS)):
        session.execute(dialect_insert(session, KamerSync).values(name=name, version=0, failures=0, last_error="",
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


def _advance(session: Session, name: str, version: int, **values: Any) -> int:
    """Move a cursor row with a compare-and-set on its version: LostRace when another process
    moved it first (the caller's transaction, holding the page, is then rolled back)."""
    result = session.execute(update(KamerSync)
                             .where(KamerSync.name == name, KamerSync.version == version)
                             .values(version=version + 1, **values)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LostRace(name)
    return version + 1


def _cursor(engine: Engine, name: str) -> KamerSync:
    with session_scope(engine) as session:
        row = session.get(KamerSync, name)
        assert row is not None
        return row


def _apply_and_advance(engine: Engine, settings: Settings, now: datetime, entity: str,
                       records: list[Record], report: SyncReport, indexes: list[WatchIndex],
                       name: str, version: int, **cursor: Any) -> int:
    """One page in one transaction: apply it, then move the cursor (compare-and-set)."""
    with session_scope(engine) as session:
        if not indexes:  # built once a pass, and only when there is something to match
            indexes.append(watch_index(session))
        report.notices += apply_page(session=session, settings=settings, now=now,
                                     entity=entity, page=Page(records=records), index=indexes[0])
        return _advance(session, name, version, **cursor)


# --- a pass ---------------------------------------------------------------------------------

def run_sync(*, engine: Engine, client: Any, settings: Settings, now: datetime,
             respect_backoff: bool = True, feed: FeedClient | None = None) -> SyncReport:
    """One pass over every entity set; never raises for a failing source. Changes are read
    from `feed` (the SyncFeed) when given, else from `client` (OData), which also looks up
    activities linked by number before any sync had read them."""
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
            if feed is None:
                _sync_entity(engine, client, settings, now, entity, report, indexes)
            else:
                _sync_feed(engine, feed, settings, now, entity, report, indexes)
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
    row = _cursor(engine, entity)
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
        last = page.last_changed or cursor
        at_last = {r.id for r in page.records if r.api_gewijzigd_op == last}
        seen = (seen | at_last) if last == cursor else at_last
        cursor = last
        version = _apply_and_advance(engine, settings, now, entity, fresh, report, indexes,
                                     entity, version, cursor=cursor,
                                     cursor_ids=",".join(sorted(seen))[:CURSOR_IDS_LIMIT])


def _sync_feed(engine: Engine, feed: FeedClient, settings: Settings, now: datetime, entity: str,
               report: SyncReport, indexes: list[WatchIndex]) -> None:
    """The SyncFeed's pages after the stored skiptoken; a first pass seeks a week back and
    stores where it starts, so the next pass does not seek again."""
    name = FEED_ROW.format(entity)
    row = _cursor(engine, name)
    version, token = row.version, row.skiptoken
    report.read.setdefault(entity, 0)
    if token is None:
        token = feed.seek(entity, since=now - FIRST_LOOKBACK)
        with session_scope(engine) as session:
            version = _advance(session, name, version, skiptoken=token)
    for page in feed.pages(entity, skiptoken=token):
        report.read[entity] += len(page.records)
        report.skipped += page.skipped
        version = _apply_and_advance(engine, settings, now, entity, page.records, report, indexes,
                                     name, version, skiptoken=page.resume)


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
