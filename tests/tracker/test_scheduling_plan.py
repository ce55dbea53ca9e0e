"""Reminder moments: working days, Dutch holidays, DST and the night hour; what a tick owes."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from tests.tracker.scheduling_support import (
    AMS,
    DEFAULT,
    add_deadline,
    add_dossier,
    local,
    scheduler_settings,
    utc,
)
from tracker.scheduling.items import Agenda, Overdue, Reminder
from tracker.scheduling.plan import (
    agenda_day,
    ladder,
    local_moment,
    next_moment,
    plan_tick,
)
from tracker.settings import Settings


@pytest.fixture
def sched(settings: Settings, db_url: str) -> Settings:
    return scheduler_settings(db_url)


def test_debate_ladder_moves_sunday_rung_to_friday() -> None:
    # Kamerdebat MIRT, Monday 20 Nov 2023: 14 and 7 days before are Mondays; 1 day before is a
    # Sunday, so that reminder goes out on Friday 17 November.
    assert ladder(date(2023, 11, 20), (14, 7, 1)) == [
        (date(2023, 11, 6), 14), (date(2023, 11, 13), 7), (date(2023, 11, 17), 1)]


@pytest.mark.parametrize(("due", "offset", "expected"), [
    (date(2023, 4, 28), 1, date(2023, 4, 26)),    # Koningsdag (Thu 27 Apr 2023)
    (date(2024, 4, 29), 2, date(2024, 4, 26)),    # Sat 27 Apr 2024 (Koningsdag on Saturday)
    (date(2023, 5, 19), 1, date(2023, 5, 17)),    # Hemelvaartsdag (Thu 18 May 2023)
    (date(2023, 12, 27), 1, date(2023, 12, 22)),  # 2e Kerstdag, 1e Kerstdag, weekend → Fri 22 Dec
    (date(2024, 1, 2), 1, date(2023, 12, 29)),    # Nieuwjaarsdag → the Friday before
    (date(2023, 4, 10), 3, date(2023, 4, 7)),     # Goede Vrijdag is a working day
])
def test_rungs_avoid_weekends_and_dutch_holidays(due: date, offset: int, expected: date) -> None:
    assert ladder(due, (offset,)) == [(expected, offset)]


def test_rungs_falling_on_one_day_keep_the_nearest() -> None:
    # Due Monday 20 Nov: 1 day before (Sun) and 3 days before (Fri) both land on Friday.
    assert ladder(date(2023, 11, 20), (3, 1, 0)) == [(date(2023, 11, 17), 1),
                                                     (date(2023, 11, 20), 0)]


@pytest.mark.parametrize(("day", "expected"), [
    # Spring: CET until Sun 26 Mar 2023, CEST from then on.
    (date(2023, 3, 24), utc(2023, 3, 24, 8)), (date(2023, 3, 27), utc(2023, 3, 27, 7)),
    # Autumn: CEST until Sun 29 Oct 2023, CET from then on.
    (date(2023, 10, 27), utc(2023, 10, 27, 7)), (date(2023, 10, 30), utc(2023, 10, 30, 8)),
])
def test_nine_oclock_local_on_both_sides_of_dst(sched: Settings, day: date, expected) -> None:
    assert local_moment(day, time(9), sched) == expected


@pytest.mark.parametrize("day", [date(2023, 3, 26), date(2023, 10, 29), date(2024, 3, 31)])
def test_nothing_is_scheduled_in_the_night_hour(sched: Settings, day: date) -> None:
    moment = local_moment(day, time(2, 30), sched).astimezone(AMS)
    assert moment.date() == day and moment.time() == time(3, 0)


@given(day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
       at=st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_no_moment_ever_lands_between_two_and_three(day: date, at: time) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    moment = local_moment(day, at, settings).astimezone(AMS)
    assert not time(2) <= moment.time() < time(3)


def test_agenda_moves_off_easter_monday() -> None:
    assert agenda_day(date(2023, 11, 22)) == date(2023, 11, 20)
    assert agenda_day(date(2024, 4, 3)) == date(2024, 4, 2)  # Tweede Paasdag 1 Apr 2024


def test_a_rung_before_the_deadline_was_scheduled_is_not_owed(session: Session, sched) -> None:
    dossier = add_dossier(session)
    # Added on Wednesday 15 November: the 14- and 7-day reminders lie before that.
    add_deadline(session, dossier, date(2023, 11, 20), created=local(2023, 11, 15, 10))
    session.commit()
    assert plan_tick(session=session, settings=sched, now=local(2023, 11, 16, 9)).post == []
    [item] = plan_tick(session=session, settings=sched, now=local(2023, 11, 17, 9)).post
    assert isinstance(item, Reminder) and item.offset == 1 and item.channel == DEFAULT
    assert not item.late


def test_dossier_channel_wins_over_default(session: Session, sched) -> None:
    add_deadline(session, add_dossier(session, channel="C0N35"), date(2023, 11, 20))
    session.commit()
    [item] = plan_tick(session=session, settings=sched, now=local(2023, 11, 13, 9)).post
    assert item.channel == "C0N35" and item.key.endswith(":C0N35")


def test_recurring_deadline_is_reminded_per_occurrence(session: Session, sched) -> None:
    dossier = add_dossier(session)
    add_deadline(session, dossier, date(2023, 10, 2), title="Maandrapportage", kind="other",
                 offsets="1", rrule="FREQ=MONTHLY;BYDAY=1MO")
    session.commit()
    # First Mondays: 2 Oct, 6 Nov, 4 Dec → reminders on the Fridays before.
    found = []
    for day in (date(2023, 9, 29), date(2023, 11, 3), date(2023, 12, 1)):
        [item] = plan_tick(session=session, settings=sched, now=local(day.year, day.month,
                                                                     day.day, 9)).post
        found.append(item.due)
    assert found == [date(2023, 10, 2), date(2023, 11, 6), date(2023, 12, 4)]


def test_overdue_nudge_on_next_working_day(session: Session, sched) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 24), kind="other", offsets="")
    session.commit()
    assert [i for i in plan_tick(session=session, settings=sched,
                                 now=local(2023, 11, 25, 9)).post if isinstance(i, Overdue)] == []
    nudges = [i for i in plan_tick(session=session, settings=sched,
                                   now=local(2023, 11, 27, 9)).post if isinstance(i, Overdue)]
    assert [n.due for n in nudges] == [date(2023, 11, 24)]


def test_weekly_agenda_lists_week_and_overdue(session: Session, sched) -> None:
    dossier = add_dossier(session)
    add_deadline(session, dossier, date(2023, 11, 17), title="Oud", kind="other", offsets="")
    add_deadline(session, dossier, date(2023, 11, 22), title="Verkiezingen", kind="other",
                 offsets="")
    add_deadline(session, dossier, date(2023, 12, 1), title="Later", kind="other", offsets="")
    session.commit()
    assert not [i for i in plan_tick(session=session, settings=sched,
                                     now=local(2023, 11, 20, 8, 29)).post
                if isinstance(i, Agenda)]
    [agenda] = [i for i in plan_tick(session=session, settings=sched,
                                     now=local(2023, 11, 20, 8, 30)).post if isinstance(i, Agenda)]
    assert agenda.key == f"agenda:2023W47:{DEFAULT}"
    assert [(e.deadline.title, e.overdue) for e in agenda.entries] == [
        ("Oud", True), ("Verkiezingen", False)]


def test_next_moment_walks_the_calendar(session: Session, sched) -> None:
    add_deadline(session, add_dossier(session), date(2023, 11, 20))
    session.commit()
    agenda = next_moment(session=session, settings=sched, after=local(2023, 11, 6, 9))
    assert agenda == local(2023, 11, 13, 8, 30)
    # then the 7-day rung at 09:00, the 1-day rung on Friday 17 Nov, the nudge on Tue 21 Nov
    assert next_moment(session=session, settings=sched, after=agenda) == local(2023, 11, 13, 9)
    assert next_moment(session=session, settings=sched,
                       after=local(2023, 11, 17, 9)) == local(2023, 11, 20, 8, 30)
