"""Whatever a user types, the date parsers answer with a value or a polite InvalidInput."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.dates import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    When,
    format_date,
    parse_horizon,
    parse_period,
    parse_when,
)
from tracker.errors import InvalidInput

AMS = ZoneInfo("Europe/Amsterdam")
FUZZ = settings(max_examples=int(os.environ.get("LOBBY_FUZZ_EXAMPLES", "300")), deadline=None)

WORDS = [
    "vandaag", "morgen", "overmorgen", "gisteren", "today", "tomorrow", "yesterday",
    "maandag", "vrijdag", "zondag", "ma", "vr", "friday", "fri", "aanstaande", "komende",
    "volgende", "next", "week", "weken", "weeks", "dag", "dagen", "days", "d", "w",
    "maand", "maanden", "month", "months", "jaar", "year", "over", "in", "geleden", "ago",
    "januari", "februari", "feb", "mrt", "maart", "mei", "sept", "okt", "nov", "november",
    "december", "dec", "eind", "end", "begin", "early", "medio", "mid", "of", "the", "de",
    "q", "Q1", "Q4", "Q5", "H1", "H2", "W47", "halfjaar", "kwartaal", "quarter", "vorige",
    "last", "om", "at", "u", "uur", "pm", "am", "a.s.", "e", "th", "een", "twee",
]
NUMBERS = st.integers(min_value=-3, max_value=10_000).map(str)
PIECES = st.one_of(
    st.sampled_from(WORDS),
    NUMBERS,
    st.builds("{}:{:02d}".format, st.integers(0, 30), st.integers(0, 99)),
    st.builds("{}-{}-{}".format, NUMBERS, NUMBERS, NUMBERS),
    st.builds("{}/{}".format, NUMBERS, NUMBERS),
    st.sampled_from([",", ".", "-", "/", "!", "  ", "é", "\t"]),
)
SEPARATORS = st.sampled_from([" ", "", "  ", ", ", "-", "."])
DATE_LIKE = st.builds(
    lambda pieces, sep: sep.join(pieces), st.lists(PIECES, min_size=0, max_size=6), SEPARATORS
)
TEXT = st.one_of(st.text(max_size=120), DATE_LIKE)
NOWS = st.datetimes(
    min_value=datetime(2001, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive by design
    max_value=datetime(2099, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, AMS, ZoneInfo("America/New_York")]),
)


def _in_window(d: date) -> bool:
    return MIN_YEAR <= d.year <= MAX_YEAR


def _attempt(parse, text: str, now: datetime):
    """(result, None) or (None, the InvalidInput); any other exception fails the test."""
    try:
        return parse(text, now=now, tz=AMS), None
    except InvalidInput as error:
        return None, error


def _is_polite(error: InvalidInput) -> bool:
    return bool(error.nl) and bool(error.en) and bool(error.example)


@FUZZ
@given(text=TEXT, now=NOWS)
def test_parse_when_returns_a_when_or_invalid_input(text, now):
    result, error = _attempt(parse_when, text, now)
    if error is not None:
        assert _is_polite(error)
        return
    assert isinstance(result, When)
    assert _in_window(result.date)
    assert result.time is None or not result.approximate
    format_date(result.date)  # whatever parses can be echoed back


@FUZZ
@given(text=TEXT, now=NOWS)
def test_parse_horizon_returns_a_day_not_before_today_or_invalid_input(text, now):
    result, error = _attempt(parse_horizon, text, now)
    if error is not None:
        assert _is_polite(error)
        return
    assert isinstance(result, date)
    assert result >= now.astimezone(AMS).date()


@FUZZ
@given(text=TEXT, now=NOWS)
def test_parse_period_returns_a_period_or_invalid_input(text, now):
    result, error = _attempt(parse_period, text, now)
    if error is not None:
        assert _is_polite(error)
        return
    assert isinstance(result, Period)
    assert result.start < result.end
    assert result.end - result.start <= timedelta(days=184)
    assert result.key
    assert result.label("nl")
    assert result.label("en")


@FUZZ
@given(day=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
       lang=st.sampled_from(["nl", "en"]))
def test_explicit_dates_round_trip(day, lang):
    now = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)
    for text in (day.isoformat(), f"{day:%d-%m-%Y}", format_date(day, lang, weekday=True)):
        assert parse_when(text, now=now, tz=AMS).date == day


WEEKDAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]
WINDOW_DATES = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@FUZZ
@given(WINDOW_DATES, st.integers(0, 6), st.booleans(), st.sampled_from(["{w} {d}", "{w}, {d}"]))
def test_a_weekday_given_with_a_date_must_agree(day, weekday, english, shape):
    names = WEEKDAYS_EN if english else WEEKDAYS_NL
    written = f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    text = shape.format(w=names[weekday], d=written)
    now = datetime(2023, 11, 15, 10, tzinfo=AMS)
    if weekday == day.weekday():
        assert parse_when(text, now=now, tz=AMS).date == day
        return
    with pytest.raises(InvalidInput) as err:
        parse_when(text, now=now, tz=AMS)
    # the refusal names the weekday the date really is
    assert WEEKDAYS_NL[day.weekday()] in err.value.nl
    assert WEEKDAYS_EN[day.weekday()] in err.value.en


@FUZZ
@given(WINDOW_DATES, st.integers(0, 6))
def test_a_mismatching_weekday_never_leaves_a_shorter_date_and_a_title(day, weekday):
    from tracker.commands import parse_command

    text = f"add N35 {WEEKDAYS_NL[weekday]} {day.day} {MONTHS_NL[day.month - 1]} Titel"
    now = datetime(2023, 11, 15, 10, tzinfo=AMS)
    try:
        command = parse_command("/deadline", text, now=now, tz=AMS)
    except InvalidInput:
        return
    when = command.args["when"]
    assert (when.date.day, when.date.month) == (day.day, day.month)
    assert when.date.weekday() == weekday and command.args["title"] == "Titel"
