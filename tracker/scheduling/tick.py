"""One scheduler tick: plan what is owed, claim it in the ledger, post it, record the result.

Every channel gets its own worker, so a slow or rate-limited channel holds up no other; the
notifier paces each channel (about one message a second). A worker first takes up again its
channel's rows left by a crash or waiting to retry, claims its new items (in one transaction),
then posts the reminders and nudges among them as one
message (a single one stays a single message; the notifier continues a long one in its
thread), and the agenda and the digest on their own. Each item keeps its own ledger row and
records the `ts` of the message that shows it, so exactly-once, retries and the look in the
channel's history after a crash hold per item.
Outside working hours a tick does nothing at all (tracker.scheduling.hours).
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
from tracker.scheduling.hours import within_working_hours
from tracker.scheduling.items import (
    Item,
    Notifier,
    PartlyPosted,
    PermanentError,
    PostResult,
    TransientError,
    bundles,
)
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
    messages: int = 0  # messages posted (a bundle of ten reminders is one)
    closed: bool = False  # outside working hours: nothing was planned or posted
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome) -> None:
        """Record one outcome (called from the channel workers)."""
        with self._lock:
            self.outcomes.append(outcome)

    def posted(self, count: int = 1) -> None:
        """Count messages that went out."""
        with self._lock:
            self.messages += count

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
        if self.closed:
            text += (" (outside working hours: nothing is posted until the next working morning)"
                     if lang == "en" else
                     " (buiten werktijd: er wordt niets geplaatst tot de volgende werkochtend)")
        return text


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16, then 30 minutes between attempts."""
    return timedelta(minutes=min(30, 2 ** max(attempts - 1, 0)))


def running_clock(start: datetime) -> Clock:
    """A clock that starts at `start` and runs at real speed (`lobby remind --now`)."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


@dataclass(frozen=True)
class _Ready:
    """An item this worker holds the row of, ready to post."""

    row_id: int
    item: Item
    attempts: int


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
    if not within_working_hours(now, settings):
        report.closed = True  # retries and the rest wait for the next working morning too
        return report
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
        """Deliver one channel's jobs: claim them all, then post the reminders and nudges as one
        message and the rest on their own; an unexpected error is recorded, not raised."""
        ready: list[_Ready] = []
        for job in jobs:
            if job.row is None:
                continue
            try:
                got = self._resume(job.row)
            except Exception:
                log.exception("delivery of %s failed unexpectedly", job.row.key)
                continue
            if got is not None:
                ready.append(got)
        ready += self._claim([job.item for job in jobs if job.item is not None])
        bundle = [r for r in ready if bundles(r.item)]
        in_bundle = {id(r) for r in bundle}
        bundled = False
        for entry in ready:
            group = [entry]
            if id(entry) in in_bundle and len(bundle) > 1:
                if bundled:
                    continue
                group, bundled = bundle, True
            try:
                if len(group) == 1:
                    self._post(entry.row_id, entry.item, attempts=entry.attempts)
                else:
                    self._post_bundle(group)
            except Exception:
                log.exception("delivery of %s failed unexpectedly", entry.item.key)

    def _claim(self, items: list[Item]) -> list[_Ready]:
        """Claim the channel's new items in one short transaction: the ones this process got."""
        if not items:
            return []
        try:
            with session_scope(self.engine) as session:
                row_ids = ledger.claim_all(session, items, at=self.clock(), lease=LEASE)
        except Exception:
            log.exception("claiming %d items in %s failed", len(items), items[0].channel)
            return []
        ready = []
        for item, row_id in zip(items, row_ids, strict=True):
            if row_id is None:
                self.report.add(Outcome(item.key, item.channel, "taken", item))
            else:
                ready.append(_Ready(row_id, item, 0))
        return ready

    def _resume(self, row: Delivery) -> _Ready | None:
        """A row taken up again: skip it if no longer owed; else look before posting again."""
        assert row.id is not None
        with session_scope(self.engine) as session:
            item = item_for_row(session=session, settings=self.settings, row=row, now=self.now)
            if item is None:
                ledger.mark_skipped(session, row.id, reason=SKIP_GONE)
        if item is None:
            self.report.add(Outcome(row.key, row.channel, "skipped", detail=SKIP_GONE))
            return None
        try:
            ts = self.notifier.find_posted(row.channel, row.key)
        except (TransientError, PermanentError) as exc:
            self._failed(row.id, item, row.attempts, exc)
            return None
        if ts is not None:
            with session_scope(self.engine) as session:
                ledger.mark_sent(session, row.id, ts=ts, at=self.clock(), attempts=row.attempts,
                                 late=row.late)
            self.report.add(Outcome(row.key, row.channel, "recovered", item, ts))
            return None
        return _Ready(row.id, item, row.attempts)

    def _judge_late(self, item: Item) -> Item:
        # Late is judged when the item is posted, so a long queue after a restart is honest.
        if not item.late and self.clock() - item.due_at > LATE_AFTER:
            return replace(item, late=True)
        return item

    def _post(self, row_id: int, item: Item, *, attempts: int) -> None:
        waited = 0.0
        while True:
            item = self._judge_late(item)
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
            self.report.posted()
            self._sent([_Ready(row_id, item, attempts)], [result])
            return

    def _post_bundle(self, group: list[_Ready]) -> None:
        """Several items as one message (continued in its thread), each recorded on its own."""
        post_bundle = getattr(self.notifier, "post_bundle", None)
        if post_bundle is None:  # a notifier that posts one message per item
            for entry in group:
                self._post(entry.row_id, entry.item, attempts=entry.attempts)
            return
        waited = 0.0
        channel = group[0].item.channel
        while True:
            group = [_Ready(e.row_id, self._judge_late(e.item), e.attempts + 1) for e in group]
            attempts = max(e.attempts for e in group)
            try:
                results: list[PostResult] = post_bundle(channel, [e.item for e in group])
            except PartlyPosted as exc:
                out = [e for e in group if e.item.key in exc.results]
                self.report.posted(len({r.ts for r in exc.results.values()}))
                self._sent(out, [exc.results[e.item.key] for e in out])
                for entry in group:
                    if entry.item.key not in exc.results:
                        self._failed(entry.row_id, entry.item, entry.attempts, exc.error)
                return
            except TransientError as exc:
                wait = exc.retry_after
                if wait is not None and waited + wait <= MAX_RATE_LIMIT_WAIT \
                        and attempts < MAX_ATTEMPTS:
                    waited += wait
                    self.sleep(wait)
                    continue
                for entry in group:
                    self._failed(entry.row_id, entry.item, entry.attempts, exc)
                return
            except PermanentError as exc:
                for entry in group:
                    self._failed(entry.row_id, entry.item, entry.attempts, exc)
                return
            except Exception as exc:  # a bug (rendering, …): keep the rows, retry later
                log.exception("posting a bundle of %d in %s raised", len(group), channel)
                error = TransientError(f"{type(exc).__name__}: {exc}")
                for entry in group:
                    self._failed(entry.row_id, entry.item, entry.attempts, error)
                return
            self.report.posted(len({r.ts for r in results}))
            self._sent(group, results)
            return

    def _sent(self, group: list[_Ready], results: list[PostResult]) -> None:
        """Record posted items, in one transaction."""
        with session_scope(self.engine) as session:
            ledger.mark_all_sent(session, [(e.row_id, r.ts, e.attempts, e.item.late)
                                           for e, r in zip(group, results, strict=True)],
                                 at=self.clock())
        for entry, result in zip(group, results, strict=True):
            self.report.add(Outcome(entry.item.key, entry.item.channel, "sent", entry.item,
                                    result.ts or ""))

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
