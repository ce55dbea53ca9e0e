"""The tick against a real database: exactly once, catch-up after downtime, changes taking
effect, the agenda and the digest, retries, and `lobby remind`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.tracker.scheduling_support import (
    DEFAULT,
    DIGEST,
    RecordingNotifier,
    add_deadline,
    add_dossier,
    ledger,
    local,
    scheduler_settings,
    tick,
)
from tracker.models import Deadline, Delivery
from tracker.scheduling.items import Agenda, DigestItem, Item, Overdue, Reminder, TransientError
from tracker.scheduling.plan import SKIP_EMPTY
from tracker.services.deadlines import complete_deadline, move_deadline
from tracker.settings import Settings


@pytest.fixture
def sched(settings: Settings, db_url: str) -> Settings:
    return scheduler_settings(db_url, LOBBY_ADMINS="U0ANNEKE")


def _reminders(notifier: RecordingNotifier) -> list[Reminder]:
    return [item for _, item in notifier.posts if isinstance(item, Reminder)]


def _reminder_rows(engine: Engine) -> list[Delivery]:
    return [row for row in ledger(engine).values() if row.kind == "reminder"]


def test_each_reminder_is_posted_once(engine: Engine, session: Session, sched: Settings) -> None:
    deadline = add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    notifier = RecordingNotifier()
    for minute in range(3):  # the tick runs every minute; only the first posts
        tick(engine, sched, notifier, local(2023, 11, 13, 9, minute))
    [item] = _reminders(notifier)
    assert item.key == f"reminder:{deadline.id}:2023-11-20:7:{DEFAULT}"
    row = ledger(engine)[item.key]
    assert (row.status, row.ts, row.attempts, row.late) == ("sent", "1.000", 1, False)


def test_whole_ladder_over_time(engine: Engine, session: Session, sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    notifier = RecordingNotifier()
    moment = local(2023, 11, 1, 9)
    while moment < local(2023, 11, 25):
        tick(engine, sched, notifier, moment)
        moment += timedelta(hours=1)
    assert [(r.today, r.offset) for r in _reminders(notifier)] == [
        (date(2023, 11, 6), 14), (date(2023, 11, 13), 7), (date(2023, 11, 17), 1)]
    # A debate is an event: after its date it has taken place; no "Verlopen" nudge.
    assert [i for _, i in notifier.posts if isinstance(i, Overdue)] == []


def test_an_overdue_action_gets_one_nudge_on_the_next_working_day(
        engine: Engine, session: Session, sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 17), kind="submission",
                 title="Aanvraag Regio Deal")  # a Friday
    session.commit()
    notifier = RecordingNotifier()
    moment = local(2023, 11, 17, 8)
    while moment < local(2023, 11, 25):
        tick(engine, sched, notifier, moment)
        moment += timedelta(hours=1)
    [nudge] = [i for _, i in notifier.posts if isinstance(i, Overdue)]
    assert nudge.today == date(2023, 11, 20)  # the Monday, once


def test_restart_after_downtime_catches_up_once(engine: Engine, seeded: Session,
                                                sched: Settings) -> None:
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 9, 1, 9))
    assert notifier.posts == []
    # Down from 1 September until Wednesday 15 November, 10:00.
    report = tick(engine, sched, notifier, local(2023, 11, 15, 10))
    by_title = {r.deadline.title: r for r in _reminders(notifier)}
    debate = by_title["Kamerdebat MIRT"]
    assert (debate.offset, debate.late) == (7, True)  # the 13 Nov rung, not the 6 Nov one too
    elections = by_title["Tweede Kamerverkiezingen"]
    assert (elections.offset, elections.late) == (7, True)  # due at 09:00 today, an hour ago
    assert len(_reminders(notifier)) == len(by_title)  # one reminder per deadline at most
    # BO MIRT Oost (9 Nov) passed during the downtime: recorded as skipped, not posted.
    [skipped] = [r for r in ledger(engine).values() if r.kind == "reminder"
                 and r.status == "skipped"]
    assert skipped.key.split(":")[2] == "2023-11-09" and "passed" in (skipped.last_error or "")
    assert report.of("skipped") and all(o.status != "failed" for o in report.outcomes)
    assert not any(isinstance(i, Overdue) for _, i in notifier.posts)  # nudge days long gone
    posted = len(notifier.posts)
    tick(engine, sched, notifier, local(2023, 11, 15, 10, 1))
    assert len(notifier.posts) == posted


def test_done_and_moved_deadlines_stop_their_reminders(engine: Engine, session: Session,
                                                       sched: Settings) -> None:
    dossier = add_dossier(session)
    done = add_deadline(session, dossier, date(2023, 11, 20), title="Afgerond debat")
    moved = add_deadline(session, dossier, date(2023, 11, 20), title="Verzet debat")
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 9))
    assert len(_reminders(notifier)) == 2
    with Session(engine) as s:
        complete_deadline(session=s, now=local(2023, 11, 14, 12), actor="U1",
                          deadline=s.get(Deadline, done.id))
        move_deadline(session=s, now=local(2023, 11, 14, 12), actor="U1",
                      deadline=s.get(Deadline, moved.id), due=date(2023, 12, 4))
        s.commit()
    tick(engine, sched, notifier, local(2023, 11, 17, 9))  # old 1-day rung: nothing
    assert len(_reminders(notifier)) == 2
    for day in (20, 21, 27):
        tick(engine, sched, notifier, local(2023, 11, day, 9))
    assert [(r.deadline.title, r.due, r.offset) for r in _reminders(notifier)[2:]] == [
        ("Verzet debat", date(2023, 12, 4), 14), ("Verzet debat", date(2023, 12, 4), 7)]


def test_one_day_later_creates_exactly_one_new_reminder(engine: Engine, session: Session,
                                                        sched: Settings) -> None:
    deadline = add_deadline(session, add_dossier(session), date(2023, 11, 21))
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 20, 9))  # "Morgen: Kamerdebat"
    with Session(engine) as s:  # moved one day on (Verzetten…)
        move_deadline(session=s, now=local(2023, 11, 20, 9, 5), actor="U1",
                      deadline=s.get(Deadline, deadline.id), due=date(2023, 11, 22))
        s.commit()
    moment = local(2023, 11, 20, 9, 6)
    while moment < local(2023, 11, 22, 23):
        tick(engine, sched, notifier, moment)
        moment += timedelta(minutes=30)
    assert [(r.due, r.today) for r in _reminders(notifier)] == [
        (date(2023, 11, 21), date(2023, 11, 20)), (date(2023, 11, 22), date(2023, 11, 21))]


def test_monday_agenda_once_and_not_when_empty(engine: Engine, session: Session,
                                               sched: Settings) -> None:
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 8, 30))  # nothing on the agenda
    assert notifier.posts == []
    assert ledger(engine)[f"agenda:2023W46:{DEFAULT}"].last_error == SKIP_EMPTY
    add_deadline(session, add_dossier(session), date(2023, 11, 16), kind="other", offsets="")
    session.commit()
    tick(engine, sched, notifier, local(2023, 11, 14, 9))  # added later in the week: no agenda
    tick(engine, sched, notifier, local(2023, 11, 20, 8, 30))
    tick(engine, sched, notifier, local(2023, 11, 20, 8, 31))
    agendas = [i for _, i in notifier.posts if isinstance(i, Agenda)]
    assert [(a.week_key, len(a.entries)) for a in agendas] == [("2023W47", 1)]


def test_half_year_digest_on_the_first_working_day_after_new_year(
        engine: Engine, seeded: Session, sched: Settings) -> None:
    notifier = RecordingNotifier()
    # New Year's Day is a public holiday: nothing is posted at all.
    for hour in (0, 9, 12):
        report = tick(engine, sched, notifier, local(2024, 1, 1, hour))
        assert report.closed and notifier.posts == []
    tick(engine, sched, notifier, local(2024, 1, 2, 8, 59))
    assert not [i for _, i in notifier.posts if isinstance(i, DigestItem)]
    tick(engine, sched, notifier, local(2024, 1, 2, 9))
    tick(engine, sched, notifier, local(2024, 1, 2, 9, 1))
    [(channel, digest)] = [(c, i) for c, i in notifier.posts if isinstance(i, DigestItem)]
    assert channel == DIGEST and digest.period.key == "2023H2" and not digest.late
    assert digest.key == f"digest:2023H2:{DIGEST}"


def test_half_year_digest_after_a_weekend_new_year(engine: Engine, seeded: Session,
                                                   sched: Settings) -> None:
    notifier = RecordingNotifier()
    # 1 July 2023 is a Saturday: the digest of 2023H1 comes on Monday 3 July.
    tick(engine, sched, notifier, local(2023, 7, 1, 9))
    assert notifier.posts == []
    tick(engine, sched, notifier, local(2023, 7, 3, 9))
    [digest] = [i for _, i in notifier.posts if isinstance(i, DigestItem)]
    assert digest.period.key == "2023H1" and not digest.late


def test_transient_failure_is_retried_later(engine: Engine, session: Session,
                                            sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    failures = iter([TransientError("HTTP 500: internal_error")])

    def fail_once(item: Item) -> None:
        error = next(failures, None)
        if error is not None:
            raise error

    notifier = RecordingNotifier(fail=fail_once)
    report = tick(engine, sched, notifier, local(2023, 11, 13, 9))
    assert "1 in de wachtrij" in report.summary()
    [row] = _reminder_rows(engine)
    assert (row.status, row.attempts, row.last_error) == ("retry", 1, "HTTP 500: internal_error")
    assert row.next_attempt_at == local(2023, 11, 13, 9, 1)
    tick(engine, sched, notifier, local(2023, 11, 13, 9, 0, 30))  # not yet
    assert notifier.posts == []
    tick(engine, sched, notifier, local(2023, 11, 13, 9, 1))
    [row] = _reminder_rows(engine)
    assert (row.status, row.attempts, len(notifier.posts)) == ("sent", 2, 1)


def test_expired_claim_found_in_history_is_not_posted_again(engine: Engine, session: Session,
                                                            sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 9))
    # Pretend the process died after posting, before recording: the row is still claimed.
    with Session(engine) as s:
        row = s.exec(select(Delivery).where(Delivery.kind == "reminder")).one()
        row.status, row.ts, row.lease_until = "claimed", None, local(2023, 11, 13, 9, 5)
        s.add(row)
        key = row.key
        s.commit()
    tick(engine, sched, notifier, local(2023, 11, 13, 9, 3))  # lease still running: left alone
    assert ledger(engine)[key].status == "claimed"
    report = tick(engine, sched, notifier, local(2023, 11, 13, 9, 6))
    assert [o.status for o in report.outcomes] == ["recovered"]
    assert len(notifier.posts) == 1 and ledger(engine)[key].status == "sent"


def test_remind_cli_dry_run_prints_and_records_nothing(engine: Engine, session: Session,
                                                       sched: Settings, monkeypatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    add_deadline(session, add_dossier(session), date(2023, 11, 22), title="Verkiezingen")
    session.commit()
    monkeypatch.setenv("DATABASE_URL", sched.database_url)
    monkeypatch.setenv("LOBBY_DEFAULT_CHANNEL", DEFAULT)
    assert main(["remind", "--dry-run", "--now", "2023-11-20T08:30"]) == 0
    out = capsys.readouterr().out
    assert "Agenda week 47: 1 deze week" in out and "0 verlopen" not in out
    assert "Morgen" not in out and ledger(engine) == {}
    assert main(["remind", "--dry-run", "--now", "2023-11-21T08:00Z"]) == 0  # 09:00 local
    assert "Morgen: Verkiezingen — N35 · wo 22 nov 2023" in capsys.readouterr().out
    assert main(["remind", "--now", "morgen"]) == 2


def test_remind_cli_exits_one_when_the_database_is_unreachable(
        settings: Settings, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert main(["remind", "--dry-run"]) == 3  # DESIGN: 3 database unreachable
    assert "niet bereikbaar" in capsys.readouterr().err


def test_doctor_shows_what_downtime_skipped(engine: Engine, seeded: Session,
                                            sched: Settings) -> None:
    from tracker.doctor import check_database

    tick(engine, sched, RecordingNotifier(), local(2023, 9, 1, 9))  # an empty agenda: no news
    [line] = [c for c in check_database(sched) if c.name == "deliveries"]
    assert "0 overgeslagen na uitval" in line.detail
    tick(engine, sched, RecordingNotifier(), local(2023, 11, 15, 10))
    [line] = [c for c in check_database(sched) if c.name == "deliveries"]
    assert line.ok and "3 overgeslagen na uitval" in line.detail  # actions only: events are never nudged


def test_start_scheduler_ticks_every_minute_in_the_team_zone(engine: Engine,
                                                             sched: Settings) -> None:
    import threading

    from tracker.app import Runtime
    from tracker.scheduling import start_scheduler

    ticked = threading.Event()

    class Notifier(RecordingNotifier):
        def notify_admins(self, admins: frozenset[str], text: str) -> int:
            return 0

    runtime = Runtime(sched, engine)
    scheduler = start_scheduler(runtime, Notifier())
    try:
        scheduler.add_listener(lambda _event: ticked.set())
        [job] = [j for j in scheduler.get_jobs() if j.id == "lobby-tick"]  # beside the Kamer sync
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert str(job.trigger.timezone) == "Europe/Amsterdam"
        assert str(scheduler.timezone) == "Europe/Amsterdam"
        assert job.next_run_time.second == 0 or ticked.wait(5)  # the start-up tick ran at once
    finally:
        scheduler.shutdown(wait=True)
