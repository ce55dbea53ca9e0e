"""Rough dates keep how precisely they are known and how they are meant, and read back as typed."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tracker.dates import parse_when
from tracker.dates.spans import PARTS, PRECISIONS, containing, due_words, span_of
from tracker.errors import InvalidInput

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)  # Wednesday 15 November 2023


def d(text: str) -> date:
    return date.fromisoformat(text)


# typed → (anchor, precision, part, qualifier, span first, span last, label nl, label en)
CASES = [
    ("voorjaar 2024", "2024-05-31", "season", "", "", "2024-03-01", "voorjaar 2024", "spring 2024"),
    ("in het voorjaar", "2024-05-31", "season", "", "", "2024-03-01", "voorjaar 2024", "spring 2024"),
    ("najaar", "2023-11-30", "season", "", "", "2023-09-01", "najaar 2023", "autumn 2023"),
    ("Q3 2024", "2024-09-30", "quarter", "", "", "2024-07-01", "Q3 2024", "Q3 2024"),
    ("eind Q3", "2024-09-30", "quarter", "end", "", "2024-09-01", "eind Q3 2024", "end of Q3 2024"),
    ("eind 2024", "2024-12-31", "year", "end", "", "2024-10-01", "eind 2024", "end of 2024"),
    ("medio 2024", "2024-07-31", "year", "mid", "", "2024-06-01", "medio 2024", "mid 2024"),
    ("in 2025", "2025-12-31", "year", "", "", "2025-01-01", "2025", "2025"),
    ("eind dit jaar", "2023-12-31", "year", "end", "", "2023-10-01", "eind 2023", "end of 2023"),
    ("in juni", "2024-06-30", "month", "", "", "2024-06-01", "juni 2024", "June 2024"),
    ("in november", "2023-11-30", "month", "", "", "2023-11-01", "november 2023",
     "November 2023"),
    ("begin december", "2023-12-10", "month", "begin", "", "2023-12-01", "begin december 2023",
     "early December 2023"),
    ("week 47", "2023-11-26", "week", "", "", "2023-11-20", "week 47 2023", "week 47 2023"),
    ("in week 2 2024", "2024-01-14", "week", "", "", "2024-01-08", "week 2 2024", "week 2 2024"),
    ("H1 2024", "2024-06-30", "half", "", "", "2024-01-01", "eerste helft 2024",
     "first half of 2024"),
    ("tweede halfjaar 2024", "2024-12-31", "half", "", "", "2024-07-01", "tweede helft 2024",
     "second half of 2024"),
    ("op z'n vroegst eind 2024", "2024-10-01", "year", "end", "vroegst", "2024-10-01",
     "op z'n vroegst eind 2024", "no earlier than end of 2024"),
    ("op zijn vroegst Q2 2024", "2024-04-01", "quarter", "", "vroegst", "2024-04-01",
     "op z'n vroegst Q2 2024", "no earlier than Q2 2024"),
    ("uiterlijk 1 oktober", "2024-10-01", "day", "", "uiterlijk", "2024-10-01",
     "uiterlijk 1 okt 2024", "by 1 Oct 2024"),
    ("uiterlijk eind Q3 2024", "2024-09-30", "quarter", "end", "uiterlijk", "2024-09-01",
     "uiterlijk eind Q3 2024", "by end of Q3 2024"),
    ("ca. 15 mei", "2024-05-15", "day", "", "ca", "2024-05-15", "ca. 15 mei 2024",
     "about 15 May 2024"),
    ("no earlier than spring 2024", "2024-03-01", "season", "", "vroegst", "2024-03-01",
     "op z'n vroegst voorjaar 2024", "no earlier than spring 2024"),
    ("winter 2023", "2024-02-29", "season", "", "", "2023-12-01", "winter 2023", "winter 2023"),
]


@pytest.mark.parametrize(("typed", "anchor", "precision", "part", "qualifier", "first",
                          "nl", "en"), CASES)
def test_a_rough_date_is_stored_with_its_precision_and_reads_as_typed(
        typed, anchor, precision, part, qualifier, first, nl, en):
    when = parse_when(typed, now=NOW, tz=AMS)
    assert (when.date, when.precision, when.part, when.qualifier) == (
        d(anchor), precision, part, qualifier)
    assert span_of(when.date, when.precision, when.part)[0] == d(first)
    assert due_words(when.date, when.time, when.precision, when.qualifier, when.part) == nl
    assert due_words(when.date, when.time, when.precision, when.qualifier, when.part, "en") == en


def test_the_anchor_is_the_end_of_the_span_or_its_start_at_the_earliest():
    latest = parse_when("voorjaar 2024", now=NOW, tz=AMS)
    earliest = parse_when("op z'n vroegst voorjaar 2024", now=NOW, tz=AMS)
    assert latest.date == d("2024-05-31") and earliest.date == d("2024-03-01")
    assert span_of(latest.date, "season") == span_of(earliest.date, "season")


def test_a_plain_day_reads_with_its_weekday_and_time():
    when = parse_when("20 nov 2023 14:00", now=NOW, tz=AMS)
    assert due_words(when.date, when.time, when.precision, when.qualifier) == "ma 20 nov 2023 14:00"
    assert when.time == time(14, 0) and not when.approximate


@pytest.mark.parametrize("typed", ["voorjaar 2024 14:00", "eind week 47", "week 54 2024",
                                   "Q5 2024", "H3 2024", "eind", "in juni 24x"])
def test_rough_dates_that_cannot_be_are_refused(typed):
    with pytest.raises(InvalidInput):
        parse_when(typed, now=NOW, tz=AMS)


@pytest.mark.parametrize("precision", [p for p in PRECISIONS if p != "day"])
@pytest.mark.parametrize("part", PARTS)
def test_every_span_is_recovered_from_its_stored_anchor(precision, part):
    if precision == "week" and part:
        return
    for day in (d("2023-01-01"), d("2023-02-28"), d("2023-12-31"), d("2024-06-15")):
        rough = containing(precision, day, part)
        first, last = rough.span()
        assert first <= last
        for qualifier in ("", "vroegst"):
            again = containing(precision, rough.anchor(qualifier), part)
            assert again == rough, (precision, part, day, qualifier)


def test_a_record_with_an_unknown_precision_still_reads_as_its_day():
    from tracker.labels import due_label
    from tracker.models import Deadline

    odd = Deadline(dossier_id=1, title="X", due_date=date(2023, 11, 20), precision="century",
                   due_part="end")
    assert due_label(odd) == "ma 20 nov 2023"
