"""Recurrence rules: DAILY or slower, bounded, expanded lazily and capped."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tracker.errors import InvalidInput
from tracker.services.recurrence import MAX_OCCURRENCES, check_rule, expand

START = date(2023, 11, 1)


@pytest.mark.parametrize(("rule", "says"), [
    ("FREQ=SECONDLY", "dagelijks"),
    ("FREQ=MINUTELY;COUNT=10", "dagelijks"),
    ("FREQ=HOURLY", "dagelijks"),
    ("FREQ=DAILY;BYHOUR=9,10", "BYHOUR"),
    ("FREQ=WEEKLY;BYMINUTE=1", "BYMINUTE"),
    ("FREQ=DAILY;COUNT=5000", "COUNT"),
    ("FREQ=DAILY;COUNT=0", "COUNT"),
    ("FREQ=DAILY;UNTIL=99991231", "UNTIL"),
    ("FREQ=SOMETIMES", "dagelijks"),
    ("FREQ=MONTHLY;BYMONTHDAY=99x", "geen"),
    ("DTSTART:20231101\nRRULE:FREQ=DAILY", "geen"),
    ("x" * 600, "te lang"),
])
def test_rules_outside_the_bounds_are_refused_saying_why(rule, says):
    with pytest.raises(InvalidInput) as err:
        check_rule(rule, START)
    assert says in err.value.nl


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYMONTHDAY=1", "RRULE:FREQ=WEEKLY;BYDAY=MO",
                                  "FREQ=DAILY;COUNT=10", "FREQ=YEARLY;UNTIL=20301231",
                                  "freq=monthly;byday=1mo"])
def test_daily_or_slower_rules_are_kept(rule):
    assert check_rule(rule, START).startswith("FREQ=")


def test_expansion_is_lazy_and_capped():
    began = time.perf_counter()
    found = expand("FREQ=DAILY", START, date(2000, 1, 1), date(2100, 12, 31))
    assert len(found) == MAX_OCCURRENCES and found[0] == START
    assert time.perf_counter() - began < 0.5
    assert expand("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3", START, START, date(2030, 1, 1)) == [
        date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1)]


def test_a_stored_rule_that_is_not_allowed_fails_as_a_value_error():
    with pytest.raises(ValueError, match="daily"):
        expand("FREQ=SECONDLY", START, START, date(2023, 12, 1))
