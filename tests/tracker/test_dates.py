"""What users type as dates, and what they get back: parsing, periods, working days, formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tracker.dates import (
    Period,
    When,
    format_date,
    format_datetime,
    format_long_date,
    format_relative_days,
    half_year_of,
    is_working_day,
    local_to_utc,
    next_working_day,
    parse_horizon,
    parse_period,
    parse_when,
    previous_half_year,
    previous_working_day,
)
from tracker.errors import InvalidInput

AMS = ZoneInfo("Europe/Amsterdam")
# Wednesday 15 November 2023, 10:00 in Amsterdam: the week of the MIRT debate.
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)
# 00:30 local on Sunday 26 March 2023, the night clocks go forward, given in UTC.
SPRING_NIGHT = datetime(2023, 3, 25, 23, 30, tzinfo=UTC)
# 01:30 local on Sunday 29 October 2023, before clocks go back, given in UTC.
AUTUMN_NIGHT = datetime(2023, 10, 28, 23, 30, tzinfo=UTC)
# New Year's Eve, 10:00, and just past midnight (already 1 January locally, still 2023 in UTC).
NEW_YEARS_EVE = datetime(2023, 12, 31, 10, 0, tzinfo=AMS)
NEW_YEAR_UTC = datetime(2023, 12, 31, 23, 30, tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


def when(text: str, now: datetime = NOW) -> When:
    return parse_when(text, now=now, tz=AMS)


# (typed, expected date, expected time or None, approximate) with now = Wed 15 Nov 2023.
WHEN_CASES = [
    # explicit dates in every notation
    ("2023-11-20", "2023-11-20", None, False),
    ("20-11-2023", "2023-11-20", None, False),
    ("20/11/2023", "2023-11-20", None, False),
    ("20.11.2023", "2023-11-20", None, False),
    ("2023/11/20", "2023-11-20", None, False),
    ("20-11", "2023-11-20", None, False),
    ("20/11", "2023-11-20", None, False),
    ("20 november 2023", "2023-11-20", None, False),
    ("20 November 2023", "2023-11-20", None, False),
    ("20 nov", "2023-11-20", None, False),
    ("20 nov.", "2023-11-20", None, False),
    ("20 NOV", "2023-11-20", None, False),
    ("  20   nov  ", "2023-11-20", None, False),
    ("20e november", "2023-11-20", None, False),
    ("op 20 nov", "2023-11-20", None, False),
    ("maandag 20 november", "2023-11-20", None, False),
    ("ma 20 nov", "2023-11-20", None, False),
    ("maandag, 20 november 2023", "2023-11-20", None, False),
    ("Monday 20 November", "2023-11-20", None, False),
    ("November 20", "2023-11-20", None, False),
    ("november 20, 2023", "2023-11-20", None, False),
    ("the 20th of November", "2023-11-20", None, False),
    ("1 sept", "2024-09-01", None, False),
    ("1 mrt", "2024-03-01", None, False),
    ("12 maart", "2024-03-12", None, False),
    ("3 okt", "2024-10-03", None, False),
    ("3 oct", "2024-10-03", None, False),
    ("1 mei", "2024-05-01", None, False),
    ("1 May", "2024-05-01", None, False),
    ("17 juli 2023", "2023-07-17", None, False),  # a past date is accepted for the record
    # without a year: the next one to come, today included
    ("15 nov", "2023-11-15", None, False),
    ("14 nov", "2024-11-14", None, False),
    ("15-11", "2023-11-15", None, False),
    ("1 januari", "2024-01-01", None, False),
    ("29 februari", "2024-02-29", None, False),
    ("31 december", "2023-12-31", None, False),
    # with a time
    ("20 nov 2023 14:00", "2023-11-20", time(14, 0), False),
    ("20 nov 2023 om 14.00", "2023-11-20", time(14, 0), False),
    ("20 nov 14u", "2023-11-20", time(14, 0), False),
    ("20 nov 14u30", "2023-11-20", time(14, 30), False),
    ("20 nov om 9 uur", "2023-11-20", time(9, 0), False),
    ("20 nov om 9", "2023-11-20", time(9, 0), False),
    ("20-11-2023 09:30", "2023-11-20", time(9, 30), False),
    ("morgen 2pm", "2023-11-16", time(14, 0), False),
    ("tomorrow at 2:30 pm", "2023-11-16", time(14, 30), False),
    ("tomorrow 12am", "2023-11-16", time(0, 0), False),
    ("vrijdag om 14:00", "2023-11-17", time(14, 0), False),
    ("14:00 20 nov", "2023-11-20", time(14, 0), False),
    ("20 nov 2023 00:00", "2023-11-20", time(0, 0), False),
    ("20 nov 2023 23:59", "2023-11-20", time(23, 59), False),
    # days relative to today
    ("vandaag", "2023-11-15", None, False),
    ("Vandaag", "2023-11-15", None, False),
    ("morgen", "2023-11-16", None, False),
    ("overmorgen", "2023-11-17", None, False),
    ("gisteren", "2023-11-14", None, False),
    ("eergisteren", "2023-11-13", None, False),
    ("today", "2023-11-15", None, False),
    ("tomorrow", "2023-11-16", None, False),
    ("yesterday", "2023-11-14", None, False),
    ("day after tomorrow", "2023-11-17", None, False),
    ("morgen!", "2023-11-16", None, False),
    # weekdays: the first one after today, never today
    ("vrijdag", "2023-11-17", None, False),
    ("aanstaande vrijdag", "2023-11-17", None, False),
    ("komende vrijdag", "2023-11-17", None, False),
    ("volgende vrijdag", "2023-11-17", None, False),
    ("vrijdag a.s.", "2023-11-17", None, False),
    ("next friday", "2023-11-17", None, False),
    ("friday", "2023-11-17", None, False),
    ("Fri", "2023-11-17", None, False),
    ("woensdag", "2023-11-22", None, False),
    ("volgende woensdag", "2023-11-22", None, False),
    ("dinsdag", "2023-11-21", None, False),
    ("donderdag", "2023-11-16", None, False),
    ("maandag", "2023-11-20", None, False),
    ("zondag", "2023-11-19", None, False),
    # a weekday of next ISO week
    ("vrijdag volgende week", "2023-11-24", None, False),
    ("volgende week vrijdag", "2023-11-24", None, False),
    ("friday next week", "2023-11-24", None, False),
    ("maandag volgende week", "2023-11-20", None, False),
    ("woensdag volgende week", "2023-11-22", None, False),
    ("zondag volgende week", "2023-11-26", None, False),
    # offsets
    ("over 2 weken", "2023-11-29", None, False),
    ("over 3 dagen", "2023-11-18", None, False),
    ("over 1 maand", "2023-12-15", None, False),
    ("over een week", "2023-11-22", None, False),
    ("over twee weken", "2023-11-29", None, False),
    ("over één maand", "2023-12-15", None, False),
    ("over 1 jaar", "2024-11-15", None, False),
    ("over 0 dagen", "2023-11-15", None, False),
    ("in 2 weeks", "2023-11-29", None, False),
    ("in 3 days", "2023-11-18", None, False),
    ("in a month", "2023-12-15", None, False),
    ("3 dagen geleden", "2023-11-12", None, False),
    ("2 weeks ago", "2023-11-01", None, False),
    # rough dates (approximate): stored on the last day of the span they stand for
    # (tracker.dates.spans: "begin december" is 1-10 Dec, "medio 2024" Jun-Jul); quarters
    ("eind Q3", "2024-09-30", None, True),
    ("begin Q3", "2024-07-31", None, True),
    ("medio Q3", "2024-08-31", None, True),
    ("eind Q4", "2023-12-31", None, True),
    ("begin Q4", "2024-10-31", None, True),
    ("Q4", "2023-12-31", None, True),
    ("Q4 2023", "2023-12-31", None, True),
    ("q1 2024", "2024-03-31", None, True),
    ("2024 Q2", "2024-06-30", None, True),
    ("2024Q2", "2024-06-30", None, True),
    ("eind Q3 2023", "2023-09-30", None, True),
    ("begin Q1 2024", "2024-01-31", None, True),
    ("end of Q3", "2024-09-30", None, True),
    ("end of Q4 2023", "2023-12-31", None, True),
    ("start of Q1", "2024-01-31", None, True),
    # rough dates: months
    ("eind december", "2023-12-31", None, True),
    ("begin december", "2023-12-10", None, True),
    ("medio december", "2023-12-20", None, True),
    ("half december", "2023-12-20", None, True),
    ("eind februari", "2024-02-29", None, True),
    ("eind feb 2023", "2023-02-28", None, True),
    ("begin november", "2024-11-10", None, True),
    ("eind november", "2023-11-30", None, True),
    ("early December", "2023-12-10", None, True),
    ("mid December", "2023-12-20", None, True),
    ("late December", "2023-12-31", None, True),
    ("end of january 2024", "2024-01-31", None, True),
    # rough dates: years
    ("medio 2024", "2024-07-31", None, True),
    ("eind 2024", "2024-12-31", None, True),
    ("begin 2024", "2024-03-31", None, True),
    ("mid 2024", "2024-07-31", None, True),
    ("mid-2024", "2024-07-31", None, True),
    ("end of 2024", "2024-12-31", None, True),
    ("begin 2023", "2023-03-31", None, True),
]


@pytest.mark.parametrize(("text", "expected", "at", "approximate"), WHEN_CASES)
def test_parse_when_reads_what_users_type(text, expected, at, approximate):
    got = when(text)
    assert (got.date, got.time, got.approximate) == (d(expected), at, approximate)


# (typed, now, expected date): the same words around DST nights and New Year.
PINNED_CASES = [
    # 00:30 on the spring-forward Sunday: today is already Sunday 26 March locally.
    ("vandaag", SPRING_NIGHT, "2023-03-26"),
    ("morgen", SPRING_NIGHT, "2023-03-27"),
    ("zondag", SPRING_NIGHT, "2023-04-02"),
    ("maandag", SPRING_NIGHT, "2023-03-27"),
    ("26 maart", SPRING_NIGHT, "2023-03-26"),
    ("25 maart", SPRING_NIGHT, "2024-03-25"),
    ("eind Q1", SPRING_NIGHT, "2023-03-31"),
    ("over 1 week", SPRING_NIGHT, "2023-04-02"),
    # 01:30 on the fall-back Sunday.
    ("vandaag", AUTUMN_NIGHT, "2023-10-29"),
    ("gisteren", AUTUMN_NIGHT, "2023-10-28"),
    ("vrijdag volgende week", AUTUMN_NIGHT, "2023-11-03"),
    ("zaterdag", AUTUMN_NIGHT, "2023-11-04"),
    ("31 okt", AUTUMN_NIGHT, "2023-10-31"),
    ("Q4", AUTUMN_NIGHT, "2023-12-31"),
    # New Year's Eve.
    ("morgen", NEW_YEARS_EVE, "2024-01-01"),
    ("1 januari", NEW_YEARS_EVE, "2024-01-01"),
    ("31 december", NEW_YEARS_EVE, "2023-12-31"),
    ("30 december", NEW_YEARS_EVE, "2024-12-30"),
    ("eind december", NEW_YEARS_EVE, "2023-12-31"),
    ("begin januari", NEW_YEARS_EVE, "2024-01-10"),
    ("Q1", NEW_YEARS_EVE, "2024-03-31"),
    ("vrijdag", NEW_YEARS_EVE, "2024-01-05"),
    ("vrijdag volgende week", NEW_YEARS_EVE, "2024-01-05"),
    ("over 1 maand", NEW_YEARS_EVE, "2024-01-31"),
    ("over 2 maanden", NEW_YEARS_EVE, "2024-02-29"),
    # 00:30 on 1 January locally while UTC still says 31 December.
    ("vandaag", NEW_YEAR_UTC, "2024-01-01"),
    ("morgen", NEW_YEAR_UTC, "2024-01-02"),
    ("31 december", NEW_YEAR_UTC, "2024-12-31"),
    ("maandag", NEW_YEAR_UTC, "2024-01-08"),
    ("vrijdag volgende week", NEW_YEAR_UTC, "2024-01-12"),
]


@pytest.mark.parametrize(("text", "now", "expected"), PINNED_CASES)
def test_parse_when_uses_the_local_calendar(text, now, expected):
    assert when(text, now).date == d(expected)


# (typed, a fragment of the Dutch message, a fragment of the English message)
WHEN_ERRORS = [
    ("", "Geen datum", "No date"),
    ("   ", "Geen datum", "No date"),
    ("31 februari", "31 februari bestaat niet", "31 February does not exist"),
    ("30 feb 2024", "30 februari bestaat niet", "30 February does not exist"),
    ("31 april", "31 april bestaat niet", "31 April does not exist"),
    ("29 februari 2023", "2023 is geen schrikkeljaar", "2023 is not a leap year"),
    ("32-01-2024", "32 januari bestaat niet", "32 January does not exist"),
    ("0-01-2024", "0 januari bestaat niet", "0 January does not exist"),
    ("2023-13-01", "Maand 13 bestaat niet", "Month 13 does not exist"),
    ("20-13", "Maand 13 bestaat niet", "Month 13 does not exist"),
    ("Q5", "Q5 bestaat niet", "Q5 does not exist"),
    ("eind Q0", "Q0 bestaat niet", "Q0 does not exist"),
    ("1999-12-31", "Jaar 1999 valt buiten 2000–2100", "Year 1999 is outside"),
    ("1 jan 2101", "Jaar 2101 valt buiten", "Year 2101 is outside"),
    ("medio 1990", "Jaar 1990", "Year 1990"),
    ("over 100 jaar", "buiten de jaren", "outside the years"),
    ("over 99999999 weken", "buiten de jaren", "outside the years"),
    ("20 nov 203", "vier cijfers", "four digits"),
    ("14:00", "Een tijd alleen is geen datum", "A time alone is not a date"),
    ("om 14.00", "Een tijd alleen is geen datum", "A time alone is not a date"),
    ("20 nov 25:00", "25:00 is geen geldige tijd", "25:00 is not a valid time"),
    ("20 nov 14:60", "14:60 is geen geldige tijd", "14:60 is not a valid time"),
    ("morgen 13pm", "13 pm is geen geldige tijd", "13 pm is not a valid time"),
    ("morgen 14:00 15:00", "één tijd", "one time"),
    ("eind Q3 14:00", "globale datum", "rough date"),
    ("dinsdag 20 november", "is een maandag, geen dinsdag", "is a Monday, not a Tuesday"),
    ("friday 20 nov 2023", "is een maandag, geen vrijdag", "is a Monday, not a Friday"),
    ("december", "Welke dag in december", "Which day in December"),
    ("november 2023", "Welke dag in november 2023", "Which day in November 2023"),
    ("eind", "Na ‘eind’ verwacht ik", "After ‘eind’ I expect"),
    ("garbage", "niet als datum lezen", "as a date"),
    ("2023", "niet als datum lezen", "as a date"),
    ("2 weken", "niet als datum lezen", "as a date"),
    ("vrijdag donderdag", "niet als datum lezen", "as a date"),
    ("20 nov 2023 extra", "niet als datum lezen", "as a date"),
    ("20 # nov", "hoort niet in een datum", "does not belong in a date"),
    # a trailing filler word belongs to whatever follows, not to the date
    ("20 nov op het", "niet als datum lezen", "as a date"),
    ("vrijdag de", "niet als datum lezen", "as a date"),
    ("x" * 101, "te lang", "too long"),
]


@pytest.mark.parametrize(("text", "nl", "en"), WHEN_ERRORS)
def test_parse_when_explains_what_is_wrong(text, nl, en):
    with pytest.raises(InvalidInput) as caught:
        when(text)
    assert nl in caught.value.nl
    assert en in caught.value.en
    assert caught.value.example  # every refusal shows a correct example


def test_weekday_mismatch_names_the_real_weekday_and_a_correct_example():
    with pytest.raises(InvalidInput) as caught:
        when("dinsdag 20 november")
    assert caught.value.nl == "20 november 2023 is een maandag, geen dinsdag."
    assert caught.value.example == "maandag 20 november 2023"


def test_parse_when_needs_an_aware_now():
    with pytest.raises(ValueError, match="aware"):
        parse_when("morgen", now=datetime(2023, 11, 15, 10, 0), tz=AMS)  # noqa: DTZ001


HORIZONS = [
    ("", "2023-12-15"),
    ("   ", "2023-12-15"),
    ("60d", "2024-01-14"),
    ("60 d", "2024-01-14"),
    ("60 dagen", "2024-01-14"),
    ("60 days", "2024-01-14"),
    ("2 weken", "2023-11-29"),
    ("2w", "2023-11-29"),
    ("komende 2 weken", "2023-11-29"),
    ("next 2 weeks", "2023-11-29"),
    ("3 maanden", "2024-02-15"),
    ("3 months", "2024-02-15"),
    ("een maand", "2023-12-15"),
    ("week", "2023-11-22"),
    ("1 jaar", "2024-11-15"),
    ("0d", "2023-11-15"),
    ("Q4", "2023-12-31"),
    ("Q1", "2024-03-31"),
    ("Q3", "2024-09-30"),
    ("Q1 2024", "2024-03-31"),
    ("eind december", "2023-12-31"),
    ("31-12-2023", "2023-12-31"),
    # A year or a month is a span: the horizon runs to its last day.
    ("2024", "2024-12-31"),
    ("2023", "2023-12-31"),
    ("juni 2024", "2024-06-30"),
    ("februari 2024", "2024-02-29"),
    ("31 dec 2024", "2024-12-31"),
]


@pytest.mark.parametrize(("text", "expected"), HORIZONS)
def test_parse_horizon_gives_the_inclusive_last_day(text, expected):
    assert parse_horizon(text, now=NOW, tz=AMS) == d(expected)


@pytest.mark.parametrize(
    ("text", "nl"),
    [
        ("60", "Bedoelt u 60 dagen? Schrijf 60d."),
        ("2022", "in het verleden"),
        ("31 februari 2024", "31 februari"),
        ("Q4 2022", "in het verleden"),
        ("gisteren", "in het verleden"),
        ("Q5", "Q5 bestaat niet"),
        ("blah", "Ik begrijp de periode ‘blah’ niet"),
        ("60 bananen", "Ik begrijp de periode"),
        ("99999 jaar", "buiten de jaren"),
    ],
)
def test_parse_horizon_refusals(text, nl):
    with pytest.raises(InvalidInput) as caught:
        parse_horizon(text, now=NOW, tz=AMS)
    assert nl in caught.value.nl


# (typed, start, exclusive end, key, Dutch label, English label) with today = 15 Nov 2023.
PERIODS = [
    ("2023H1", "2023-01-01", "2023-07-01", "2023H1", "eerste halfjaar 2023", "first half of 2023"),
    ("H2 2023", "2023-07-01", "2024-01-01", "2023H2", "tweede halfjaar 2023",
     "second half of 2023"),
    ("2023-h2", "2023-07-01", "2024-01-01", "2023H2", "tweede halfjaar 2023",
     "second half of 2023"),
    ("tweede halfjaar 2023", "2023-07-01", "2024-01-01", "2023H2", "tweede halfjaar 2023",
     "second half of 2023"),
    ("first half of 2023", "2023-01-01", "2023-07-01", "2023H1", "eerste halfjaar 2023",
     "first half of 2023"),
    ("H1", "2023-01-01", "2023-07-01", "2023H1", "eerste halfjaar 2023", "first half of 2023"),
    ("2023Q3", "2023-07-01", "2023-10-01", "2023Q3", "Q3 2023", "Q3 2023"),
    ("Q3 2023", "2023-07-01", "2023-10-01", "2023Q3", "Q3 2023", "Q3 2023"),
    ("Q1", "2023-01-01", "2023-04-01", "2023Q1", "Q1 2023", "Q1 2023"),
    ("2023-11", "2023-11-01", "2023-12-01", "2023-11", "november 2023", "November 2023"),
    ("11-2023", "2023-11-01", "2023-12-01", "2023-11", "november 2023", "November 2023"),
    ("2024-02", "2024-02-01", "2024-03-01", "2024-02", "februari 2024", "February 2024"),
    ("maart 2023", "2023-03-01", "2023-04-01", "2023-03", "maart 2023", "March 2023"),
    ("december", "2022-12-01", "2023-01-01", "2022-12", "december 2022", "December 2022"),
    ("2023W47", "2023-11-20", "2023-11-27", "2023W47", "week 47 2023", "week 47 2023"),
    ("2023-W01", "2023-01-02", "2023-01-09", "2023W01", "week 1 2023", "week 1 2023"),
    ("week 47 2023", "2023-11-20", "2023-11-27", "2023W47", "week 47 2023", "week 47 2023"),
    ("2020W53", "2020-12-28", "2021-01-04", "2020W53", "week 53 2020", "week 53 2020"),
    ("week 45", "2023-11-06", "2023-11-13", "2023W45", "week 45 2023", "week 45 2023"),
    # the current one so far: up to and including today
    ("", "2023-07-01", "2023-11-16", "2023H2", "tweede halfjaar 2023", "second half of 2023"),
    ("halfjaar", "2023-07-01", "2023-11-16", "2023H2", "tweede halfjaar 2023",
     "second half of 2023"),
    ("halfyear", "2023-07-01", "2023-11-16", "2023H2", "tweede halfjaar 2023",
     "second half of 2023"),
    ("week", "2023-11-13", "2023-11-16", "2023W46", "week 46 2023", "week 46 2023"),
    ("month", "2023-11-01", "2023-11-16", "2023-11", "november 2023", "November 2023"),
    ("maand", "2023-11-01", "2023-11-16", "2023-11", "november 2023", "November 2023"),
    ("deze maand", "2023-11-01", "2023-11-16", "2023-11", "november 2023", "November 2023"),
    ("quarter", "2023-10-01", "2023-11-16", "2023Q4", "Q4 2023", "Q4 2023"),
    ("kwartaal", "2023-10-01", "2023-11-16", "2023Q4", "Q4 2023", "Q4 2023"),
    # the whole previous one
    ("vorige maand", "2023-10-01", "2023-11-01", "2023-10", "oktober 2023", "October 2023"),
    ("last week", "2023-11-06", "2023-11-13", "2023W45", "week 45 2023", "week 45 2023"),
    ("vorig halfjaar", "2023-01-01", "2023-07-01", "2023H1", "eerste halfjaar 2023",
     "first half of 2023"),
    ("vorig kwartaal", "2023-07-01", "2023-10-01", "2023Q3", "Q3 2023", "Q3 2023"),
]


@pytest.mark.parametrize(("text", "start", "end", "key", "nl", "en"), PERIODS)
def test_parse_period(text, start, end, key, nl, en):
    period = parse_period(text, now=NOW, tz=AMS)
    assert (period.start, period.end, period.key) == (d(start), d(end), key)
    assert (period.label("nl"), period.label("en")) == (nl, en)
    assert (period.label_nl, period.label_en) == (nl, en)


def test_a_period_without_a_year_is_the_latest_that_has_begun():
    january = datetime(2024, 1, 10, 9, 0, tzinfo=AMS)
    assert parse_period("Q4", now=january, tz=AMS).key == "2023Q4"
    assert parse_period("H2", now=january, tz=AMS).key == "2023H2"
    assert parse_period("halfjaar", now=january, tz=AMS).key == "2024H1"


def test_the_default_period_keeps_the_key_of_the_whole_half_year():
    period = parse_period("", now=datetime(2026, 8, 3, 12, 0, tzinfo=AMS), tz=AMS)
    assert period.key == "2026H2"
    assert (period.start, period.end) == (d("2026-07-01"), d("2026-08-04"))


@pytest.mark.parametrize(
    ("text", "nl"),
    [
        ("H3 2023", "H3 bestaat niet"),
        ("Q5 2023", "Q5 bestaat niet"),
        ("2023-13", "Maand 13 bestaat niet"),
        ("2023W53", "Week 53 bestaat niet in 2023"),
        ("week 54", "Week 54 bestaat niet"),
        ("1999H1", "Jaar 1999 valt buiten"),
        ("2023", "Ik begrijp de periode ‘2023’ niet"),
        ("2023-11-20", "Ik begrijp de periode"),
        ("blah", "Ik begrijp de periode"),
        ("€", "Ik begrijp de periode"),
    ],
)
def test_parse_period_refusals(text, nl):
    with pytest.raises(InvalidInput) as caught:
        parse_period(text, now=NOW, tz=AMS)
    assert nl in caught.value.nl


@pytest.mark.parametrize(
    ("day", "current", "previous"),
    [
        ("2023-11-15", "2023H2", "2023H1"),
        ("2023-07-01", "2023H2", "2023H1"),
        ("2023-06-30", "2023H1", "2022H2"),
        ("2024-01-01", "2024H1", "2023H2"),  # the digest of 1 January is about H2
        ("2023-12-31", "2023H2", "2023H1"),
    ],
)
def test_half_years(day, current, previous):
    assert half_year_of(d(day)).key == current
    assert previous_half_year(d(day)).key == previous
    assert half_year_of(d(day)).start <= d(day) < half_year_of(d(day)).end


def test_period_label_falls_back_to_dutch():
    period = Period(d("2023-01-01"), d("2023-07-01"), "2023H1", "eerste halfjaar 2023",
                    "first half of 2023")
    assert period.label("en-GB") == "first half of 2023"
    assert period.label("de") == "eerste halfjaar 2023"


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        # 02:30 does not exist on 26 March 2023: shifted forward to 03:30 CEST.
        ("2023-03-26", time(2, 30), datetime(2023, 3, 26, 1, 30, tzinfo=UTC)),
        ("2023-03-26", time(1, 59), datetime(2023, 3, 26, 0, 59, tzinfo=UTC)),
        ("2023-03-26", time(3, 0), datetime(2023, 3, 26, 1, 0, tzinfo=UTC)),
        # 02:30 happens twice on 29 October 2023: the first (CEST) occurrence.
        ("2023-10-29", time(2, 30), datetime(2023, 10, 29, 0, 30, tzinfo=UTC)),
        ("2023-10-29", time(3, 30), datetime(2023, 10, 29, 2, 30, tzinfo=UTC)),
        ("2023-11-20", time(9, 0), datetime(2023, 11, 20, 8, 0, tzinfo=UTC)),
        ("2023-07-03", time(9, 0), datetime(2023, 7, 3, 7, 0, tzinfo=UTC)),
    ],
)
def test_local_to_utc(day, at, utc):
    result = local_to_utc(d(day), at, AMS)
    assert result == utc
    assert result.utcoffset().total_seconds() == 0


def test_local_to_utc_ignores_fold_and_tzinfo_on_the_time():
    later = time(2, 30, fold=1, tzinfo=UTC)
    assert local_to_utc(d("2023-10-29"), later, AMS) == datetime(2023, 10, 29, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2023-11-15", True),   # an ordinary Wednesday
        ("2023-11-18", False),  # Saturday
        ("2023-11-19", False),  # Sunday
        ("2023-01-02", True),   # Nieuwjaarsdag fell on a Sunday
        ("2024-01-01", False),  # Nieuwjaarsdag
        ("2023-04-07", True),   # Goede Vrijdag: not a general day off
        ("2023-04-10", False),  # Tweede Paasdag
        ("2023-04-27", False),  # Koningsdag
        ("2025-04-26", False),  # Koningsdag moved to Saturday because the 27th is a Sunday
        ("2025-04-28", True),   # ...so the Monday after is a normal day
        ("2023-05-05", True),   # Bevrijdingsdag outside a lustrum year
        ("2025-05-05", False),  # Bevrijdingsdag in a lustrum year
        ("2023-05-18", False),  # Hemelvaart
        ("2023-05-19", True),   # the Friday after Hemelvaart
        ("2023-05-29", False),  # Tweede Pinksterdag
        ("2023-12-25", False),  # Eerste Kerstdag
        ("2023-12-26", False),  # Tweede Kerstdag
        ("2023-12-27", True),
        ("2013-04-30", False),  # Koninginnedag, before 2014
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("day", "previous", "following"),
    [
        ("2023-11-15", "2023-11-15", "2023-11-16"),
        ("2023-11-18", "2023-11-17", "2023-11-20"),  # weekend
        ("2023-12-26", "2023-12-22", "2023-12-27"),  # Christmas after a weekend
        ("2023-12-22", "2023-12-22", "2023-12-27"),
        ("2023-04-10", "2023-04-07", "2023-04-11"),  # Tweede Paasdag; Goede Vrijdag works
        ("2023-05-18", "2023-05-17", "2023-05-19"),  # Hemelvaart
        ("2024-01-01", "2023-12-29", "2024-01-02"),  # across New Year
    ],
)
def test_previous_and_next_working_day(day, previous, following):
    assert previous_working_day(d(day)) == d(previous)
    assert next_working_day(d(day)) == d(following)


@pytest.mark.parametrize(
    ("day", "lang", "kwargs", "expected"),
    [
        ("2023-11-17", "nl", {}, "vr 17 nov 2023"),
        ("2023-11-20", "nl", {}, "ma 20 nov 2023"),
        ("2023-11-17", "en", {}, "Fri 17 Nov 2023"),
        ("2023-09-28", "nl", {}, "do 28 sep 2023"),
        ("2023-03-01", "nl", {}, "wo 1 mrt 2023"),
        ("2023-10-31", "nl", {}, "di 31 okt 2023"),
        ("2023-05-05", "en", {}, "Fri 5 May 2023"),
        ("2023-11-20", "nl", {"weekday": False}, "20 nov 2023"),
        ("2023-11-20", "nl", {"year": False}, "ma 20 nov"),
        ("2023-11-20", "en", {"weekday": False, "year": False}, "20 Nov"),
        ("2023-11-20", "en_GB", {}, "Mon 20 Nov 2023"),
    ],
)
def test_format_date(day, lang, kwargs, expected):
    assert format_date(d(day), lang, **kwargs) == expected


def test_format_date_never_ends_abbreviations_with_a_dot():
    for month in range(1, 13):
        for lang in ("nl", "en"):
            assert "." not in format_date(date(2023, month, 1), lang)


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        ("2023-11-20", "nl", "maandag 20 november 2023"),
        ("2023-11-20", "en", "Monday 20 November 2023"),
        ("2024-03-01", "nl", "vrijdag 1 maart 2024"),
    ],
)
def test_format_long_date(day, lang, expected):
    assert format_long_date(d(day), lang) == expected


@pytest.mark.parametrize(
    ("instant", "lang", "expected"),
    [
        (datetime(2023, 11, 20, 13, 0, tzinfo=UTC), "nl", "ma 20 nov 2023 14:00"),
        (datetime(2023, 11, 20, 13, 0, tzinfo=UTC), "en", "Mon 20 Nov 2023 14:00"),
        (datetime(2023, 7, 3, 7, 5, tzinfo=UTC), "nl", "ma 3 jul 2023 09:05"),
        (datetime(2023, 12, 31, 23, 30, tzinfo=UTC), "nl", "ma 1 jan 2024 00:30"),
    ],
)
def test_format_datetime_in_local_time(instant, lang, expected):
    assert format_datetime(instant, AMS, lang) == expected


@pytest.mark.parametrize(
    ("n", "nl", "en"),
    [
        (0, "vandaag", "today"),
        (1, "morgen", "tomorrow"),
        (2, "over 2 dagen", "in 2 days"),
        (7, "over 7 dagen", "in 7 days"),
        (-1, "1 dag geleden", "1 day ago"),
        (-3, "3 dagen geleden", "3 days ago"),
    ],
)
def test_format_relative_days(n, nl, en):
    assert format_relative_days(n) == nl
    assert format_relative_days(n, "en") == en


def test_the_echo_of_a_parsed_date_reads_back_what_was_meant():
    # The reply to /deadline add echoes the date in words, so a typo shows at once.
    assert format_date(when("volgende vrijdag").date) == "vr 17 nov 2023"
    assert format_date(when("20 nov").date, "en") == "Mon 20 Nov 2023"
