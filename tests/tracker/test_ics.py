"""The iCalendar: local zone and an end for timed deadlines, all-day dates, spans for rough
dates, hostile titles escaped by the library, only open deadlines of open dossiers, updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session

from tests.conftest import AMS
from tracker.ics import build_ics
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds

NOW = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def n35(session: Session):
    dossier = ds.create_dossier(session=session, now=NOW, actor="t", code="N35", title="N35")
    session.flush()
    return dossier


def _events(session: Session, **kwargs) -> dict[str, object]:
    payload = build_ics(session, tz=AMS, **kwargs)
    # every line ends CRLF, no bare CR or LF anywhere, no line longer than 75 octets
    assert all(line.endswith(b"\r") for line in payload.split(b"\n")[:-1])
    assert b"\r" not in payload.replace(b"\r\n", b"")
    assert all(len(line) <= 76 for line in payload.split(b"\n"))
    calendar = Calendar.from_ical(payload)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}, calendar


@pytest.mark.parametrize(("day", "hour", "utc_hour"), [
    (date(2023, 3, 26), 14, 12),   # the Sunday clocks go forward: CEST, UTC+2
    (date(2023, 3, 25), 14, 13),   # the day before: still CET, UTC+1
    (date(2023, 10, 29), 14, 13),  # the Sunday clocks go back: CET again
    (date(2023, 10, 28), 14, 12),  # the day before: CEST
])
def test_timed_deadlines_carry_their_zone_and_an_end_on_both_dst_weekends(
        session, n35, day, hour, utc_hour):
    deadline = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35,
                               title="Kamerdebat MIRT", due=day, due_time=time(hour, 0))
    events, calendar = _events(session)
    event = events[f"deadline-{deadline.id}@lobbytracker"]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert start.astimezone(UTC).hour == utc_hour
    assert event.decoded("duration") == timedelta(hours=2)  # a debate
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert b"DTSTART;TZID=Europe/Amsterdam:" in build_ics(session, tz=AMS)
    assert b"Z\r\nDURATION" not in build_ics(session, tz=AMS)


def test_dates_are_all_day_and_rough_dates_are_their_span(session, n35):
    day = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Indienen",
                          due=date(2023, 10, 31), kind="submission")
    spring = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Lobbyplan",
                             due=date(2024, 5, 31), precision="season")
    earliest = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Akkoord",
                               due=date(2024, 10, 1), precision="year", part="end",
                               qualifier="vroegst")
    events, _ = _events(session)
    one = events[f"deadline-{day.id}@lobbytracker"]
    assert (one.decoded("dtstart"), one.decoded("dtend")) == (date(2023, 10, 31), date(2023, 11, 1))
    span = events[f"deadline-{spring.id}@lobbytracker"]
    assert (span.decoded("dtstart"), span.decoded("dtend")) == (date(2024, 3, 1), date(2024, 6, 1))
    assert str(span["summary"]) == "[N35] Lobbyplan (voorjaar 2024)"
    late = events[f"deadline-{earliest.id}@lobbytracker"]
    assert late.decoded("dtstart") == date(2024, 10, 1)
    assert "op z'n vroegst eind 2024" in str(late["summary"])


@pytest.mark.parametrize("title", ["a\rb", "a\nb", "a\r\nb", "semi;colon", "com,ma",
                                   "back\\slash", "x" * 5000, "\\n;,\r\n\r\\"])
def test_hostile_titles_are_escaped_by_the_library(session, n35, title):
    deadline = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title=title[:200],
                               due=date(2023, 11, 20))
    _events(session)
    expected = "[N35] " + deadline.title.replace("\r\n", "\n").replace("\r", "\n")
    # read the written line back by RFC 5545 itself (icalendar's reader mis-reads "\\n")
    unfolded = build_ics(session, tz=AMS).decode().replace("\r\n ", "")
    [line] = [x for x in unfolded.split("\r\n") if x.startswith("SUMMARY:")]
    assert _rfc5545_text(line.removeprefix("SUMMARY:")) == expected


def _rfc5545_text(value: str) -> str:
    """TEXT unescaped by RFC 5545 3.3.11, one escape at a time."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"not an RFC 5545 escape: \\{nxt}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert value[i] not in ";,", "unescaped ; or , in TEXT"
            out.append(value[i])
            i += 1
    return "".join(out)


def test_hostile_source_text_of_5000_characters(session, n35):
    source = ("‘citaat’; met, tekens\\ en\r\nregels " * 200)[:2000]
    deadline = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Bron",
                               due=date(2023, 11, 20), source=source)
    events, _ = _events(session)
    assert str(events[f"deadline-{deadline.id}@lobbytracker"]["description"]) == \
        source.replace("\r\n", "\n")


def test_the_feed_holds_only_open_deadlines_of_open_dossiers(session, n35):
    kept = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Open",
                           due=date(2023, 11, 20))
    done = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Klaar",
                           due=date(2023, 11, 21))
    dl.complete_deadline(session=session, now=NOW, actor="t", deadline=done)
    other = ds.create_dossier(session=session, now=NOW, actor="t", code="OUD", title="Oud")
    gone = dl.add_deadline(session=session, now=NOW, actor="t", dossier=other, title="Weg",
                           due=date(2023, 11, 22))
    ds.archive_dossier(session=session, now=NOW, actor="t", dossier=other)
    feed, _ = _events(session, only_open=True)
    assert list(feed) == [f"deadline-{kept.id}@lobbytracker"]
    export, _ = _events(session)
    assert f"deadline-{done.id}@lobbytracker" in export
    assert f"deadline-{gone.id}@lobbytracker" not in export


def test_a_move_keeps_the_uid_and_raises_sequence_and_last_modified(session, n35):
    deadline = dl.add_deadline(session=session, now=NOW, actor="t", dossier=n35, title="Debat",
                               due=date(2023, 11, 20), due_time=time(14, 0))
    session.flush()
    before = _events(session)[0][f"deadline-{deadline.id}@lobbytracker"]
    dl.move_deadline(session=session, now=NOW + timedelta(days=3), actor="t", deadline=deadline,
                     due=date(2023, 11, 27), due_time=time(14, 0))
    session.flush()
    after = _events(session)[0][f"deadline-{deadline.id}@lobbytracker"]
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("last-modified") > before.decoded("last-modified")
    assert after.decoded("dtstart").date() == date(2023, 11, 27)
