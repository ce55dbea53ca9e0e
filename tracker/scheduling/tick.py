"""One scheduler tick: plan what is owed, claim it in the ledger, post it, record the result.

Every channel gets its own worker, so a slow or rate-limited channel holds up no other; the
notifier paces each channel (about one message a second). Items are claimed one at a time,
just before they are posted, so a claim is held only for as long as one post takes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from tracker.db import session_scope
from tracker.models import Delivery
from tracker.scheduling import ledger
from tracker.scheduling.items import Item, Notifier, PermanentError, TransientError
from tracker.scheduling.plan import LATE_AFTER, SKIP_GONE, item_for_row, plan_tick
from tracker.settings import Settings

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # far longer than one post, including its Retry-After waits
MAX_ATTEMPTS = 8  # then the row is failed (and shown by `lobby doctor`)
MAX_RATE_LIMIT_WAIT = 30.0  # seconds a worker waits on Retry-After before leaving it to a later tick
# Channel workers mostly wait for their channel's turn (about one post a second), so one per
# channel, up to this many: 50 busy channels are paced side by side, not 16 at a time.
MAX_WORKERS = 64
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outcome:
    """What happened to one item in this tick."""

    key: str
    channel: str
    status: str  # sent | recovered | retry | failed | skipped | taken
    item: Item | None = None
    detail: str = ""  # the Slack ts, the error, or why it was skipped


@dataclass
class TickReport:
    """Everything one tick did, for `lobby remind` and the logs."""

    now: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    admins_told: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome) -> None:
        """Record one outcome (called from the channel workers)."""
        with self._lock:
            self.outcomes.append(outcome)

    def of(self, *statuses: str) -> list[Outcome]:
        """The outcomes with one of `statuses`."""
        return [o for o in self.outcomes if o.status in statuses]

    def summary(self, lang: str = "nl") -> str:
        """"3 verzonden, 1 wacht op een nieuwe poging, 0 mislukt, 2 overgeslagen"."""
        sent, retry = len(self.of("sent", "recovered")), len(self.of("retry"))
        failed, skipped = len(self.of("failed")), len(self.of("skipped"))
        if lang == "en":
            text = (f"{sent} sent, {retry} queued for retry, {failed} failed, "
                    f"{skipped} skipped")
        else:
            text = (f"{sent} verzonden, {retry} in de wachtrij voor een nieuwe poging, "
                    f"{failed} mislukt, {skipped} overgeslagen")
        return text


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16, then 30 minutes between attempts."""
    return timedelta(minutes=min(30, 2 ** max(attempts - 1, 0)))


def running_clock(start: datetime) -> Clock:
    """A clock that starts at `start` and runs at real speed (`lobby remind --now`)."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


@dataclass
class _Job:
    channel: str
    item: Item | None = None  # new: claim it first
    row: Delivery | None = None  # taken up again: look in the channel's history first


def run_tick(*, engine: Engine, settings: Settings, notifier: Notifier, now: datetime,
             clock: Clock | None = None, sleep: Callable[[float], None] = time.sleep
             ) -> TickReport:
    """Deliver everything owed at `now`; `clock` times leases and records (default: from `now`)."""
    clock = clock or running_clock(now)
    report = TickReport(now)
    with session_scope(engine) as session:
        plan = plan_tick(session=session, settings=settings, now=now)
    for skip in plan.skip:
        with session_scope(engine) as session:
            if ledger.record_skip(session, skip, at=clock()):
                report.add(Outcome(skip.key, skip.channel,
                                   "failed" if skip.status == "failed" else "skipped",
                                   detail=skip.reason))
    with session_scope(engine) as session:
        rows = ledger.take_up(session, now=clock(), lease=LEASE)
    jobs: dict[str, list[_Job]] = {}
    for row in rows:
        jobs.setdefault(row.channel, []).append(_Job(row.channel, row=row))
    for item in plan.post:
        jobs.setdefault(item.channel, []).append(_Job(item.channel, item=item))
    worker = _Worker(engine, settings, notifier, now, clock, sleep, report)
    parallel = getattr(notifier, "parallel", True) and len(jobs) > 1
    if parallel:
        with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(jobs)),
                                thread_name_prefix="lobby-post") as pool:
            for future in [pool.submit(worker.run, channel_jobs) for channel_jobs in jobs.values()]:
                future.result()
    else:
        for channel_jobs in jobs.values():
            worker.run(channel_jobs)
    report.admins_told = tell_admins(engine, settings, notifier)
    return report


@dataclass
class _Worker:
    engine: Engine
    settings: Settings
    notifier: Notifier
    now: datetime
    clock: Clock
    sleep: Callable[[float], None]
    report: TickReport

    def run(self, jobs: list[_Job]) -> None:
        """Deliver one channel's jobs in order; an unexpected error is recorded, not raised."""
        for job in jobs:
            try:
                self._one(job)
            except Exception:
                log.exception("delivery of %s failed unexpectedly",
                              job.item.key if job.item else job.row and job.row.key)

    def _one(self, job: _Job) -> None:
        if job.row is not None:
            self._resume(job.row)
            return
        item = job.item
        assert item is not None
        with session_scope(self.engine) as session:
            row_id = ledger.claim(session, item, at=self.clock(), lease=LEASE)
        if row_id is None:
            self.report.add(Outcome(item.key, item.channel, "taken", item))
            return
        self._post(row_id, item, attempts=0)

    def _resume(self, row: Delivery) -> None:
        """A row taken up again: skip it if no longer owed; else look before posting again."""
        assert row.id is not None
        with session_scope(self.engine) as session:
            item = item_for_row(session=session, settings=self.settings, row=row, now=self.now)
            if item is None:
                ledger.mark_skipped(session, row.id, reason=SKIP_GONE)
        if item is None:
            self.report.add(Outcome(row.key, row.channel, "skipped", detail=SKIP_GONE))
            return
        try:
            ts = self.notifier.find_posted(row.channel, row.key)
        except (TransientError, PermanentError) as exc:
            self._failed(row.id, item, row.attempts, exc)
            return
        if ts is not None:
            with session_scope(self.engine) as session:
                ledger.mark_sent(session, row.id, ts=ts, at=self.clock(), attempts=row.attempts,
                                 late=row.late)
            self.report.add(Outcome(row.key, row.channel, "recovered", item, ts))
            return
        self._post(row.id, item, attempts=row.attempts)

    def _post(self, row_id: int, item: Item, *, attempts: int) -> None:
        waited = 0.0
        while True:
            # Late is judged when the item is posted, so a long queue after a restart is honest.
            if not item.late and self.clock() - item.due_at > LATE_AFTER:
                item = replace(item, late=True)
            attempts += 1
            try:
                result = self.notifier.post(item.channel, item)
            except TransientError as exc:
                wait = exc.retry_after
                if wait is not None and waited + wait <= MAX_RATE_LIMIT_WAIT \
                        and attempts < MAX_ATTEMPTS:
                    waited += wait
                    self.sleep(wait)
                    continue
                self._failed(row_id, item, attempts, exc)
                return
            except PermanentError as exc:
                self._failed(row_id, item, attempts, exc)
                return
            except Exception as exc:  # a bug (rendering, …): keep the row, retry later
                log.exception("posting %s raised", item.key)
                self._failed(row_id, item, attempts, TransientError(f"{type(exc).__name__}: {exc}"))
                return
            with session_scope(self.engine) as session:
                ledger.mark_sent(session, row_id, ts=result.ts, at=self.clock(),
                                 attempts=attempts, late=item.late)
            self.report.add(Outcome(item.key, item.channel, "sent", item, result.ts or ""))
            return

    def _failed(self, row_id: int, item: Item, attempts: int,
                exc: TransientError | PermanentError) -> None:
        with session_scope(self.engine) as session:
            if isinstance(exc, PermanentError) or attempts >= MAX_ATTEMPTS:
                error = exc.code if isinstance(exc, PermanentError) else str(exc)
                ledger.mark_failed(session, row_id, error=error, attempts=attempts)
                outcome = Outcome(item.key, item.channel, "failed", item, error)
            else:
                delay = backoff(attempts)
                if exc.retry_after is not None:
                    delay = max(delay, timedelta(seconds=exc.retry_after))
                ledger.mark_retry(session, row_id, error=str(exc), attempts=attempts,
                                  next_attempt_at=self.clock() + delay)
                outcome = Outcome(item.key, item.channel, "retry", item, str(exc))
        self.report.add(outcome)


def tell_admins(engine: Engine, settings: Settings, notifier: Notifier) -> int:
    """DM the admins once about each channel that fails for good; how many DMs were sent."""
    with session_scope(engine) as session:
        failures = ledger.unreported_failures(session)
        if not failures:
            return 0
        news: dict[tuple[str, str | None], list[Delivery]] = {}
        already: list[int] = []
        for row in failures:
            assert row.id is not None
            if ledger.reported_before(session, row.channel, row.last_error):
                already.append(row.id)
            else:
                news.setdefault((row.channel, row.last_error), []).append(row)
        ledger.mark_reported(session, already)
    if not news or not settings.admins:
        return 0
    text = admin_text(news, settings.lobby_language)
    try:
        told = notifier.notify_admins(settings.admins, text)
    except (TransientError, PermanentError) as exc:
        log.warning("could not tell the admins about failed deliveries: %s", exc)
        return 0
    if told:
        with session_scope(engine) as session:
            ledger.mark_reported(session, [r.id for rows in news.values() for r in rows
                                           if r.id is not None])
    return told


def admin_text(news: dict[tuple[str, str | None], list[Delivery]], lang: str) -> str:
    """The DM to the admins: which channel fails with which error, and what to do."""
    if lang == "en":
        lines = ["Lobbytracker could not post scheduled messages:"]
        lines += [f"• {_channel(channel)}: `{error}` ({len(rows)} message(s))"
                  for (channel, error), rows in news.items()]
        lines.append("Invite the bot to the channel or change the dossier's channel; "
                     "`lobby doctor` lists the failed deliveries.")
    else:
        lines = ["Lobbytracker kon geplande berichten niet plaatsen:"]
        lines += [f"• {_channel(channel)}: `{error}` ({len(rows)} bericht(en))"
                  for (channel, error), rows in news.items()]
        lines.append("Nodig de bot uit in het kanaal of wijzig het kanaal van het dossier; "
                     "`lobby doctor` toont de mislukte berichten.")
    return "\n".join(lines)



def _channel(channel: str) -> str:
    return f"<#{channel}>" if channel[:1] in ("C", "G") and channel.isalnum() else channel
