"""Dutch house style of the half-year digest: every nl rendering (Markdown, text, Slack) of both
half-years of the example dataset is scanned for English words and the patterns the board
should never read ("Digest", "0 deadlines gemist", "ca. 15 mei", "€ 1.200k", local paths, …)."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot.render.digest import render_digest
from tracker.dates import parse_period
from tracker.digest import Digest, build_digest
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




# Dutch words that may appear in the English rendering only inside text quoted from the report
DUTCH = (" de ", " het ", " van ", " en ", " een ", " per maand", "gemiddeld", "Inkomsten",
         "Lasten", "Saldo", "realisatie", "begroting", "verwacht", "stand per", "Toelichting",
         "Kernboodschap", "Besluiten", "Risico", "Bijlage", "toegezegd", "nodig ", "tekort",
         " t/m ", "inkomsten", "lasten", " juni", " januari", "Programma’s", "Doelen")


_EN_NUMBER_IN_DUTCH = re.compile(r"\d,\d{3} (werkgevers|ondernemers|woningen|arbeidsplaatsen|"
                                 r"inwoners|jongeren|bedrijven|te |door |geïnvesteerd)")


_LOWER_MONTH = re.compile(r"\b\d{1,2} (january|february|march|april|may|june|july|august|"
                          r"september|october|november|december) \d{4}")


def _source_strings() -> list[str]:
    """Every text of the example dataset (what the renderings quote), longest first."""
    from tracker.dataset import load_dataset

    found: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, str):
            found.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(load_dataset("regio-zwolle-2023"))
    return sorted({s.strip() for s in found if " " in s.strip()}, key=len, reverse=True)


def _outline_text(d: Digest) -> str:
    """The words of the DOCX and PDF report (their shared outline), one block a line."""
    from tracker.digest.outline import build_outline

    out = []
    for block in build_outline(d, "en"):
        for value in (getattr(block, f, None) for f in block.__slots__):  # type: ignore[attr-defined]
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, tuple):
                out += [" | ".join(v) if isinstance(v, tuple) else str(v) for v in value]
    return "\n".join(out)


def _our_own_words(rendering: str, quoted: list[str]) -> str:
    for text in quoted:
        rendering = rendering.replace(text, "¶")
    # Slack shortens long texts ("MIRT-brief van 23 juni: de aanpak …"): a quote cut short too
    for end in [m.start() for m in re.finditer("…", rendering)][::-1]:
        for text in quoted:
            start = rendering.rfind(text[:20], max(0, end - 3000), end)
            if start >= 0 and text.startswith(rendering[start:end].rstrip()):
                rendering = f"{rendering[:start]}¶{rendering[end + 1:]}"
                break
    return rendering


@pytest.mark.parametrize("key", ["2023H1", "2023H2"])
def test_en_renderings_have_no_dutch_of_our_own(seeded: Session, key: str) -> None:
    d = build_digest(session=seeded, period=parse_period(key, now=NOW, tz=AMS), now=NOW, tz=AMS)
    quoted = _source_strings()
    for fmt, rendering in (("markdown", render_markdown(d, "en")), ("text", render_text(d, "en")),
                           ("docx/pdf", _outline_text(d)),
                           ("slack", html.unescape("\n".join(
                               json.dumps(m.payload(), ensure_ascii=False)
                               for m in render_digest(d, "en"))).replace('\\"', '"'))):
        ours = _our_own_words(rendering.replace("\\", ""), quoted)
        for word in DUTCH:
            assert word not in ours, (f"{key} {fmt}: Dutch {word!r} of our own",
                                      ours[max(0, ours.find(word) - 80):ours.find(word) + 80])
        # never an English number inside a Dutch phrase of the report (1,122 werkgevers)
        assert not _EN_NUMBER_IN_DUTCH.search(rendering), f"{key} {fmt}"
        assert not _LOWER_MONTH.search(ours), f"{key} {fmt}: an English month in lower case"
    md = render_markdown(d, "en")
    assert md.count("Quoted from the Dutch report") >= 5
    assert "Quoted from the Dutch report" in json.dumps(render_digest(d, "en")[0].payload())
    assert "1.122 werkgevers gesproken" in md and "meer dan 1.000 ondernemers" in md
    assert "Actual to 30 June 2023" in md or key == "2023H2"
    assert "The table adds up if the expected year total of Verwacht restantbudget reads" in md


def test_the_english_scan_catches_dutch_of_our_own() -> None:
    bad = "### Inkomsten\n| Line | Actual to 30 june 2023 |\n- 1,122 werkgevers gesproken"
    assert {w for w in DUTCH if w in _our_own_words(bad, _source_strings())} == {"Inkomsten"}
    assert _LOWER_MONTH.search(bad)
    assert _EN_NUMBER_IN_DUTCH.search(bad)
