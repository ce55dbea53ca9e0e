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
    # one notation for quarters in running text: "tweede kwartaal 2023"
    "a quarter as a code": re.compile(r"\bQ[1-4] (?:van )?\d{4}\b"),
    "a doubled qualifier": re.compile(r"op z'n vroegst[^\n]*\(op z'n vroegst\)"
                                      r"|verwacht[^\n]*\(verwacht\)"),
    # one amount style: "€ 384,6 mln", "€ 4 mld"
    "an amount in words": re.compile(r"€ ?[\d.,]+ (?:miljoen|miljard)\b"),
    "an abbreviation dot mid-sentence": re.compile(r"\b(?:mln|mld)\.(?= [a-z])"),
    "+/- for about": re.compile(r"\+/-"),
    "a spaced range": re.compile(r"\d – \d"),
    # the digest is the Halfjaarrapportage itself
    "the report named as another document": re.compile(
        r"zo staat het in de rapportage|staa?n? niet in de rapportage|rapportage noemt geen"),
    "a budget figure that does not say what it is": re.compile(
        r"\(de vastgestelde begroting: €"),
    "wrong Dutch": re.compile(r"\bin de aanloop daarnaar\b"),
}
_AMOUNT = re.compile(r"€ ?[\d.,]*\d (?:mln|mld)")
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
        for line in re.split(r"\n|\\n", text):  # Slack's JSON keeps its newlines escaped
            if line.lstrip().startswith("|"):
                continue  # a table row repeats amounts by column
            amounts = _AMOUNT.findall(line)
            twice = {a for a in amounts if amounts.count(a) > 1}
            assert not twice, f"{key} {fmt}: the same amount twice in one line: {twice}: {line}"
        for number in _BIG_NUMBER.findall(text):
            # four-digit years are years; every other number has its thousands separator
            assert 1900 <= int(number) <= 2100, f"{key} {fmt}: {number} without a separator"


def test_the_scan_catches_what_it_is_for() -> None:
    bad = ("Digest eerste halfjaar 2023: 0 deadlines gemist, ca. 15 mei 2023, € 1.200k, "
           "![x](/tmp/c.png), Programma\u2019s, N35 — N35 Wijthmen, 23 jun 2023, 1122 werkgevers, "
           "Q2 2023, op z'n vroegst eind 2023 · Akkoord (op z'n vroegst), € 384,6 miljoen, "
           "€ 4 mld. herschikt, +/- € 40 mln, 200 – 250, zo staat het in de rapportage, "
           "(de vastgestelde begroting: € 275.000), in de aanloop daarnaar")
    hits = {what for what, pattern in PATTERNS.items() if pattern.search(bad)}
    assert hits == set(PATTERNS) - {"het Europastrateeg", "a false deficit on the front page"}
    assert "Digest" in bad
    assert [n for n in _BIG_NUMBER.findall(bad) if not 1900 <= int(n) <= 2100] == ["1122"]
    amounts = _AMOUNT.findall("nodig € 75 mln; tekort € 40 mln. Nodig € 75 mln; ca. € 40 mln")
    assert {a for a in amounts if amounts.count(a) > 1} == {"€ 75 mln", "€ 40 mln"}
