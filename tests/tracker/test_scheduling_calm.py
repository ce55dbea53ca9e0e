"""A calm channel: snooze ("Herinner morgen") over weekends and holidays, working hours with
downtime overnight and over a long weekend, a late reminder that replaces the regular one of
its day, events that never become overdue, the agenda's overdue count and the monthly
clean-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.render.reminders import render_agenda, render_cleanup
from tests.tracker.scheduling_support import (
    RecordingNotifier,
    add_deadline,
    add_dossier,
    ledger,
    local,
    scheduler_settings,
    tick,
)
from tracker.commands import parse_command
from tracker.errors import InvalidInput
from tracker.execute import execute
from tracker.models import Deadline, Member
from tracker.scheduling.hours import next_opening, within_working_hours
from tracker.scheduling.items import Agenda, Cleanup, Overdue, Reminder, Snoozed
from tracker.services.deadlines import complete_deadline
from tracker.services.reminders import snooze_deadline
from tracker.settings import Settings, load_settings


@pytest.fixture
def sched(settings: Settings, db_url: str) -> Settings:
    return scheduler_settings(db_url, LOBBY_ADMINS="U0ADMIN")


def _run(engine: Engine, sched: Settings, notifier: RecordingNotifier, start: datetime,
         end: datetime, step: timedelta = timedelta(minutes=30)) -> None:
    moment = start
    while moment < end:
        tick(engine, sched, notifier, moment)
        moment += step


def _of(notifier: RecordingNotifier, kind: type) -> list:
    return [item for _, item in notifier.posts if isinstance(item, kind)]


# -- snooze --------------------------------------------------------------------------------


@pytest.mark.parametrize(("clicked", "expected"), [
    (local(2023, 11, 17, 10), local(2023, 11, 20, 9)),   # Friday → Monday
    (local(2023, 12, 22, 15), local(2023, 12, 27, 9)),   # Friday before Christmas → Wednesday
    (local(2024, 5, 8, 11), local(2024, 5, 10, 9)),      # the day before Ascension → Friday
    (local(2023, 11, 14, 17, 30), local(2023, 11, 15, 9)),  # a weekday → the next one
])
def test_snooze_is_one_reminder_on_the_next_working_day_and_the_date_stays(
        engine: Engine, session: Session, sched: Settings, clicked: datetime,
        expected: datetime) -> None:
    due = (expected + timedelta(days=10)).date()
    deadline = add_deadline(session, add_dossier(session), due, kind="submission",
                            title="Zienswijze", offsets="28", created=clicked - timedelta(days=1))
    at = snooze_deadline(session=session, now=clicked, deadline=deadline, settings=sched)
    session.commit()
    assert at == expected
    notifier = RecordingNotifier()
    _run(engine, sched, notifier, clicked, expected + timedelta(days=2))
    [snoozed] = _of(notifier, Snoozed)
    assert (snoozed.today, snoozed.due) == (expected.date(), due)
    assert not snoozed.late and snoozed.key.startswith(f"snooze:{deadline.id}:")
    session.expire_all()
    assert session.get(Deadline, deadline.id).due_date == due


def test_snooze_on_a_day_with_its_own_reminder_is_one_line(engine: Engine, session: Session,
                                                           sched: Settings) -> None:
    deadline = add_deadline(session, add_dossier(session), date(2023, 11, 20),
                            kind="submission", title="Zienswijze")  # rungs … 7 (13 Nov) …
    snooze_deadline(session=session, now=local(2023, 11, 10, 10), deadline=deadline,
                    settings=sched)  # → Monday 13 November 09:00, the 7-day rung's moment
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 9))
    assert [(type(i).__name__, i.offset) for i in _of(notifier, Reminder)] == [("Reminder", 7)]
    assert ledger(engine)[next(k for k in ledger(engine) if k.startswith("snooze:"))].status \
        == "skipped"


def test_the_command_does_what_the_button_does_and_refuses_a_closed_deadline(
        engine: Engine, session: Session, sched: Settings) -> None:
    deadline = add_deadline(session, add_dossier(session), date(2023, 11, 24), kind="submission")
    session.add(Member(user_id="U0ANNEKE", role="editor", added_at=local(2023, 9, 1)))
    session.commit()
    now = local(2023, 11, 17, 10)
    for text in (f"snooze {deadline.id}", f"later #{deadline.id}"):
        command = parse_command("/deadline", text, now=now, tz=sched.tz)
        result = execute(command, session=session, now=now, actor="U0ANNEKE", settings=sched)
        assert result.what == "snoozed"
    assert deadline.snooze_until == local(2023, 11, 20, 9)
    assert deadline.due_date == date(2023, 11, 24)
    complete_deadline(session=session, now=now, actor="U0ANNEKE", deadline=deadline)
    command = parse_command("/deadline", f"snooze {deadline.id}", now=now, tz=sched.tz)
    with pytest.raises(InvalidInput, match="al afgerond"):
        execute(command, session=session, now=now, actor="U0ANNEKE", settings=sched)
    with pytest.raises(InvalidInput):
        parse_command("/deadline", "snooze 12 morgen", now=now, tz=sched.tz)
    with pytest.raises(InvalidInput):
        parse_command("/deadline", "snooze", now=now, tz=sched.tz)


# -- working hours -------------------------------------------------------------------------


def test_working_hours_setting() -> None:
    settings = load_settings(_env_file=None, LOBBY_WORKING_HOURS="7.30-17:00")
    assert settings.lobby_working_hours == "07:30-17:00"
    for bad in ("18:00-08:00", "8-18", "08:00", "25:00-26:00", "08:00-24:30"):
        with pytest.raises(ValueError, match="LOBBY_WORKING_HOURS"):
            load_settings(_env_file=None, LOBBY_WORKING_HOURS=bad)
    settings = load_settings(_env_file=None)
    assert within_working_hours(local(2023, 11, 13, 8), settings)
    assert not within_working_hours(local(2023, 11, 13, 18), settings)
    assert not within_working_hours(local(2023, 11, 18, 10), settings)  # Saturday
    assert not within_working_hours(local(2023, 12, 26, 10), settings)  # Tweede Kerstdag
    assert next_opening(local(2023, 12, 22, 21, 14), settings) == local(2023, 12, 27, 8)
    assert next_opening(local(2023, 11, 13, 6), settings) == local(2023, 11, 13, 8)


@pytest.mark.parametrize("moment", [
    local(2023, 11, 13, 7, 59), local(2023, 11, 13, 18), local(2023, 11, 13, 21, 14),
    local(2023, 11, 18, 10), local(2024, 1, 1, 9)])
def test_nothing_is_posted_outside_working_hours(engine: Engine, seeded: Session,
                                                 sched: Settings, moment: datetime) -> None:
    notifier = RecordingNotifier()
    report = tick(engine, sched, notifier, moment)
    assert report.closed and notifier.posts == [] and ledger(engine) == {}
    assert "buiten werktijd" in report.summary()


def test_overnight_downtime_a_late_reminder_replaces_the_regular_one_of_its_day(
        engine: Engine, session: Session, sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 22), kind="submission",
                 title="Zienswijze")  # rungs: 1 → Tue 21 Nov, 0 → Wed 22 Nov, 09:00
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 20, 9))  # the 3-day rung, Monday
    # Down from Tuesday 08:00 to Wednesday 08:00: Tuesday's "Morgen" never went out.
    _run(engine, sched, notifier, local(2023, 11, 22, 8), local(2023, 11, 22, 18),
         step=timedelta(minutes=1))
    today = [r for r in _of(notifier, Reminder) if r.today == date(2023, 11, 22)]
    assert [(r.offset, r.late) for r in today] == [(0, True)]  # one "Vandaag", marked late
    assert today[0].deadline.title == "Zienswijze"


def test_a_sent_rung_does_not_pull_the_next_one_forward(engine: Engine, session: Session,
                                                        sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2023, 9, 28), kind="visit",
                 title="Werkbezoek")  # rungs 14 (Thu 14 Sep), 3 (Mon 25 Sep), 1 (Wed 27 Sep)
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 9, 14, 9))
    tick(engine, sched, notifier, local(2023, 9, 25, 8, 30))  # the agenda's time: not yet
    assert [r.offset for r in _of(notifier, Reminder)] == [14]
    tick(engine, sched, notifier, local(2023, 9, 25, 9))
    assert [(r.offset, r.late) for r in _of(notifier, Reminder)] == [(14, False), (3, False)]


def test_a_long_weekend_then_the_agenda_on_the_first_working_day_of_its_week(
        engine: Engine, session: Session, sched: Settings) -> None:
    add_deadline(session, add_dossier(session), date(2024, 4, 4), kind="submission",
                 title="Zienswijze", offsets="3", created=local(2024, 3, 1))
    session.commit()
    notifier = RecordingNotifier()
    # Down from Friday 29 March 17:00 until Tuesday 2 April 08:00 (Easter Monday in between);
    # ticks on the Saturday and the Monday post nothing.
    for moment in (local(2024, 3, 30, 10), local(2024, 4, 1, 9)):
        assert tick(engine, sched, notifier, moment).closed
    _run(engine, sched, notifier, local(2024, 4, 2, 8), local(2024, 4, 2, 12),
         step=timedelta(minutes=10))
    [agenda] = _of(notifier, Agenda)
    assert agenda.today == date(2024, 4, 2) and agenda.week_key == "2024W14"
    [reminder] = _of(notifier, Reminder)  # the 3-day rung was Monday 1 April → moved to Friday
    assert reminder.today == date(2024, 4, 2) and reminder.late


def test_no_agenda_late_in_the_evening_nor_on_the_tuesday_after_a_missed_monday(
        engine: Engine, seeded: Session, sched: Settings) -> None:
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 21, 14))  # restart Monday evening
    tick(engine, sched, notifier, local(2023, 11, 14, 8, 30))   # and the Tuesday morning
    assert _of(notifier, Agenda) == []
    tick(engine, sched, notifier, local(2023, 11, 20, 8, 30))   # next Monday: on time
    [agenda] = _of(notifier, Agenda)
    assert agenda.week_key == "2023W47" and not agenda.late


# -- events, actions, overdue --------------------------------------------------------------


def test_events_are_never_overdue_and_actions_get_one_nudge_naming_the_owner(
        engine: Engine, session: Session, sched: Settings) -> None:
    dossier = add_dossier(session, owner="U0ANNEKE")
    add_deadline(session, dossier, date(2023, 11, 22), kind="election", title="Verkiezingen")
    add_deadline(session, dossier, date(2023, 11, 22), kind="submission", title="Zienswijze",
                 owner="U0PIETER")
    session.commit()
    notifier = RecordingNotifier()
    _run(engine, sched, notifier, local(2023, 11, 22, 8), local(2023, 12, 1, 18),
         step=timedelta(hours=1))
    [nudge] = _of(notifier, Overdue)
    assert (nudge.deadline.title, nudge.deadline.owner, nudge.today) == (
        "Zienswijze", "U0PIETER", date(2023, 11, 23))
    assert {r.deadline.title for r in _of(notifier, Reminder)} == {"Verkiezingen", "Zienswijze"}


def test_agenda_counts_overdue_actions_and_names_the_five_oldest(
        engine: Engine, session: Session, sched: Settings) -> None:
    dossier = add_dossier(session, owner="U0ANNEKE")
    monday = date(2023, 11, 20)
    for n in range(7):  # overdue 1 … 7 weeks ago? no: 3 … 21 days, within four weeks
        add_deadline(session, dossier, monday - timedelta(days=3 + 3 * n), kind="submission",
                     title=f"Actie {n}")
    add_deadline(session, dossier, monday - timedelta(days=5), kind="debate", title="Debat")
    add_deadline(session, dossier, monday - timedelta(days=40), kind="submission",
                 title="Oude actie")
    add_deadline(session, dossier, monday + timedelta(days=2), kind="visit", title="Bezoek")
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 20, 8, 30))
    [agenda] = _of(notifier, Agenda)
    overdue = [e for e in agenda.entries if e.overdue]
    assert agenda.overdue_count == 7
    assert [e.deadline.title for e in overdue] == [f"Actie {n}" for n in (6, 5, 4, 3, 2)]
    assert [e.deadline.title for e in agenda.entries if not e.overdue] == ["Bezoek"]
    text = "\n".join(str(b.to_dict()) for b in render_agenda(agenda).blocks)
    assert "…en nog 2" in text and "Debat" not in text and "Oude actie" not in text
    assert "2 deze week" not in text and "1 deze week, 7 verlopen" in text


def test_actions_overdue_over_four_weeks_get_one_clean_up_a_month(
        engine: Engine, session: Session, sched: Settings) -> None:
    anneke = add_dossier(session, "N35", owner="U0ANNEKE")
    nobody = add_dossier(session, "ZWM", owner=None)
    add_deadline(session, anneke, date(2023, 10, 2), kind="submission", title="Zienswijze")
    add_deadline(session, anneke, date(2023, 10, 2), kind="debate", title="Debat")
    add_deadline(session, nobody, date(2023, 9, 29), kind="submission", title="Brief")
    done = add_deadline(session, anneke, date(2023, 9, 28), kind="submission", title="Klaar")
    complete_deadline(session=session, now=local(2023, 10, 1), actor="U0ANNEKE", deadline=done)
    session.commit()
    notifier = RecordingNotifier()
    # Wednesday 1 November is the first working day of the month; Friday 1 December too.
    for day in (date(2023, 11, 1), date(2023, 11, 2), date(2023, 12, 1)):
        _run(engine, sched, notifier, local(day.year, day.month, day.day, 8),
             local(day.year, day.month, day.day, 12))
    cleanups = _of(notifier, Cleanup)
    assert [(c.month, c.channel, [e.deadline.title for e in c.entries]) for c in cleanups] == [
        ("2023-11", "U0ADMIN", ["Brief"]), ("2023-11", "U0ANNEKE", ["Zienswijze"]),
        ("2023-12", "U0ADMIN", ["Brief"]), ("2023-12", "U0ANNEKE", ["Zienswijze"])]
    message = render_cleanup(cleanups[1])
    actions = [b.to_dict() for b in message.blocks if b.type == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "reminder_done", "reminder_snooze", "reminder_move", "open_dossier"]


def test_a_dossier_without_channel_still_reaches_a_member_who_chose_dm(
        engine: Engine, session: Session, settings: Settings, db_url: str) -> None:
    from tracker.services.reminders import set_reminders_via

    sched = scheduler_settings(db_url, LOBBY_DEFAULT_CHANNEL="")
    add_deadline(session, add_dossier(session, owner="U0ANNEKE"), date(2023, 11, 20),
                 kind="submission", offsets="7")
    session.commit()
    notifier = RecordingNotifier()
    tick(engine, sched, notifier, local(2023, 11, 13, 9))
    assert notifier.posts == []
    set_reminders_via(session=session, now=local(2023, 11, 13, 9), user_id="U0ANNEKE", via="dm")
    session.commit()
    tick(engine, sched, notifier, local(2023, 11, 13, 9, 1))
    assert [channel for channel, _ in notifier.posts] == ["U0ANNEKE"]
