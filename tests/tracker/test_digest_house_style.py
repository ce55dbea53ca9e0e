"""Dutch house style of the half-year digest: every nl rendering (Markdown, text, Slack) of both
half-years of the example dataset is scanned for English words and the patterns the board
should never read ("Digest", "0 deadlines gemist", "ca. 15 mei", "€ 1.200k", local paths, …)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot.render.digest import render_digest
from tracker.dates import parse_period
from tracker.digest import build_digest
from tracker.digest.markdown import render_markdown
from tracker.digest.text import render_text

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2024, 1, 2, 10, 0, tzinfo=AMS)

ENGLISH = ("Digest", "Key points", "funding", "secured", "milestone", "missed", "Programmes",
           "Next period", "stated", "owner", "changed", "reached", "Budget", "Indicators",
           "due ", " the ", " and ", "Balance", "no changes")
PATTERNS = {
    "a zero count": re.compile(r"(?<![\d.,])0 (deadlines?|mijlpa|statusw|notiti|acties?|gebeurt)"),
    "an invented day for a vague date": re.compile(r"\bca\. \d"),
    "an axis scaled twice": re.compile(r"€ ?[\d.]+k\b"),
    "a local path": re.compile(r"(/home/|/tmp/|/Users/|[A-Z]:\\)"),
    "curly Programma’s": re.compile("Programma\u2019s"),
    "the code said twice": re.compile(r"\b([A-Z][A-Z0-9]+) — \1\b"),
    "an abbreviated month in running text": re.compile(
        r"\b\d{1,2} (jan|feb|mrt|apr|jun|jul|aug|sep|okt|nov|dec) \d{4}"),
    "het Europastrateeg": re.compile(r"het Europastrateeg"),
    "a false deficit on the front page": re.compile(r"-€ 1\.253\.747 volgens de regels"),
}
_BIG_NUMBER = re.compile(r"(?<![\d.,/\-#])(\d{4,})(?![\d.,\-])")


def _renderings(seeded: Session, key: str) -> dict[str, str]:
    d = build_digest(session=seeded, period=parse_period(key, now=NOW, tz=AMS), now=NOW, tz=AMS)
    slack = "\n".join(json.dumps(m.payload(), ensure_ascii=False) for m in render_digest(d))
    return {"markdown": render_markdown(d, chart_path="/tmp/x/chart.png"),
            "text": render_text(d), "slack": slack}


@pytest.mark.parametrize("key", ["2023H1", "2023H2"])
def test_nl_renderings_are_in_house_style(seeded: Session, key: str) -> None:
    for fmt, text in _renderings(seeded, key).items():
        for word in ENGLISH:
            assert word not in text, f"{key} {fmt}: English {word!r}"
        for what, pattern in PATTERNS.items():
            found = pattern.search(text)
            assert found is None, f"{key} {fmt}: {what}: {found.group(0) if found else ''!r}"
        for number in _BIG_NUMBER.findall(text):
            # four-digit years are years; every other number has its thousands separator
            assert 1900 <= int(number) <= 2100, f"{key} {fmt}: {number} without a separator"


def test_the_scan_catches_what_it_is_for() -> None:
    bad = ("Digest eerste halfjaar 2023: 0 deadlines gemist, ca. 15 mei 2023, € 1.200k, "
           "![x](/tmp/c.png), Programma\u2019s, N35 — N35 Wijthmen, 23 jun 2023, 1122 werkgevers")
    hits = {what for what, pattern in PATTERNS.items() if pattern.search(bad)}
    assert hits == set(PATTERNS) - {"het Europastrateeg", "a false deficit on the front page"}
    assert "Digest" in bad
    assert [n for n in _BIG_NUMBER.findall(bad) if not 1900 <= int(n) <= 2100] == ["1122"]
