"""The 2023H1 digest of the example dataset reads as the report's key points, figures right;
and its renderings (Markdown, text, JSON, chart, `lobby digest`)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from tracker.dates import parse_period
from tracker.digest import Digest, Reason, build_digest
from tracker.digest.markdown import render_markdown
from tracker.digest.serialize import render_json
from tracker.digest.text import render_text

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)


@pytest.fixture
def h1(seeded: Session) -> Digest:
    return build_digest(session=seeded, period=parse_period("2023H1", now=NOW, tz=AMS), now=NOW,
                        tz=AMS)


def dossier(d: Digest, code: str):  # type: ignore[no-untyped-def]
    return next(x for x in d.dossiers if x.code == code)


def test_n35_turned_red_on_23_june_because_of_the_mirt_letter(h1: Digest) -> None:
    n35 = dossier(h1, "N35")
    change = next(i for i in n35.items if i.reason is Reason.STATUS_CHANGED)
    assert (change.before, change.after, change.at) == ("amber", "red", date(2023, 6, 23))
    assert "MIRT-brief" in change.text
    assert n35.line == "ruimtelijke-ontwikkeling"


def test_zwolle_meppel_gap(h1: Digest) -> None:
    zwm = dossier(h1, "ZWM")
    assert (zwm.funding_needed, zwm.funding_secured, zwm.funding_gap) == (
        75_000_000, 35_000_000, 40_000_000)
    md = render_markdown(h1)
    assert "nodig € 75 mln, gedekt € 35 mln, tekort € 40 mln" in md


def test_mobiliteitstransitie_paused_in_q2(h1: Digest) -> None:
    row = next(p for p in h1.programmes if p.name == "Mobiliteitstransitie")
    assert row.status == "paused" and row.parent == "NOVEX"
    (change,) = row.changes
    assert (change.before, change.after) == ("on-track", "paused")
    assert date(2023, 4, 1) <= change.at < date(2023, 7, 1) and change.approximate
    assert "Mobiliteitstransitie: op schema → stilgelegd" in render_text(h1)


def test_regio_deal_deadline_of_31_october_in_the_next_period(h1: Digest) -> None:
    assert h1.next_period.key == "2023H2"
    bid = next(u for u in h1.upcoming if u.dossier_code == "RD5" and u.kind == "submission")
    assert bid.due_date == date(2023, 10, 31) and not bid.approximate
    assert {"Kamerdebat MIRT", "BO MIRT Noord", "BO MIRT Oost"} <= {u.title for u in h1.upcoming}


def test_milestones_reached_in_the_half_year(h1: Digest) -> None:
    reached = {(d.code, i.at) for d, i in h1.items if i.reason is Reason.MILESTONE_REACHED}
    assert ("NOVEX", date(2023, 2, 1)) in reached            # Verstedelijkingsstrategie
    assert ("NOVEX", date(2023, 5, 25)) in reached           # Stuurgroep NOVEX
    assert ("N35", date(2023, 6, 23)) in reached             # MIRT-brief
    assert not any(i.reason is Reason.DEADLINE_MISSED for _, i in h1.items)
    assert not any(i.reason is Reason.DEADLINE_ADDED for _, i in h1.items)  # loading is no news


def test_expected_year_totals_that_do_not_add_up_are_flagged(h1: Digest) -> None:
    assert h1.budget is not None
    flagged = {r.name: r for r in h1.budget.flagged}
    assert set(flagged) == {"Totaal inkomsten", "Totaal lasten", "Verwacht batig saldo"}
    assert flagged["Totaal lasten"].mismatches == ("expected",)
    assert flagged["Totaal lasten"].amounts.expected == 3_510_230
    assert flagged["Totaal lasten"].computed.expected == 3_103_517
    assert flagged["Totaal inkomsten"].computed.expected == 1_849_770
    # begroting and actual columns add up, as in the report
    assert h1.budget.stated_balance.budget == 275_000
    md = render_markdown(h1)
    assert "**Totaal lasten** klopt niet" in md and "€ 3.103.517" in md


def test_expected_surplus_of_226713_is_shown_and_checked(h1: Digest) -> None:
    # The report's "te verwachten batig saldo van € 226.713" is printed next to the table; the
    # dataset keeps it as a "saldo" budget row and the digest says it does not follow from the lines.
    d = h1
    assert d.budget is not None
    (surplus,) = d.budget.stated_surplus
    assert surplus.amounts.expected == 226_713 and surplus.flagged
    text = render_markdown(d)
    assert ("Verwacht batig saldo 2023: € 226.713 volgens de rapportage; dat volgt niet uit de tabel"
            " (€ 0 volgens de gedrukte totalen, -€ 1.253.747 volgens de regels)") in text


def test_indicators_totals_recomputed_report_prints_zero(h1: Digest) -> None:
    by_name = {s.name: s for s in h1.indicators}
    assert by_name["Aanmeldingen ontwikkelfonds inwoners"].total == 1318
    assert by_name["Aanvragen ontwikkelfonds werkgevers"].total == 368
    assert all(s.flagged and s.stated_total == 0 for s in h1.indicators)
    assert "1.318 (jan–jun 2023); gedrukt totaal 0 klopt niet" in render_text(h1)


def test_markdown_has_the_report_shape(h1: Digest) -> None:
    md = render_markdown(h1, chart_path="digest-2023H1.png")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Bestuurlijke hoofdlijnen", "## Economie en arbeidsmarkt",
                        "## Ruimtelijke ontwikkeling", "## Public affairs",
                        "## Volgende periode: tweede halfjaar 2023", "## Begroting 2023",
                        "## Indicatoren"]
    assert "![Indicatoren en begrotingsuitvoering](digest-2023H1.png)" in md
    assert "- N35: oranje → rood op 23 jun 2023: MIRT-brief" in md
    assert "| Mobiliteitstransitie | NOVEX | stilgelegd |" in md
    assert "| 31 okt 2023 | RD5 | indiening | Indienen aanvraag Regio Deal 5e tranche |" in md


def test_english(h1: Digest) -> None:
    md = render_markdown(h1, "en")
    assert "## Key points" in md and "- N35: amber → red on 23 Jun 2023: MIRT-brief" in md


def test_json_is_stable_and_complete(h1: Digest) -> None:
    first = render_json(h1)
    assert first == render_json(h1)
    data = json.loads(first)["digest"]
    assert data["period"]["key"] == "2023H1" and data["is_empty"] is False
    n35 = next(d for line in data["lines"] for d in line["dossiers"] if d["code"] == "N35")
    status = next(i for i in n35["items"] if i["reason_code"] == "status_changed")
    assert status["reason"] == "status gewijzigd in de periode" and status["at"] == "2023-06-23"
    assert "Totaal lasten" in data["flags"]


def test_chart_is_a_titled_png(h1: Digest) -> None:
    from tracker.digest.chart import render_chart

    png = render_chart(h1)
    assert png is not None and png.startswith(b"\x89PNG")
    assert len(png) > 20_000


def test_lobby_digest_command(seeded: Session, settings, tmp_path: Path,  # type: ignore[no-untyped-def]
                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    chart, out = tmp_path / "c.png", tmp_path / "d.md"
    assert main(["digest", "--period", "2023H1", "--format", "markdown", "--chart", str(chart),
                 "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Digest eerste halfjaar 2023")
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert main(["digest", "--period", "2023H1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["digest"]["period"]["key"] == "2023H1"
    assert main(["digest", "--period", "2023H1", "--post", "C1"]) == 2  # no SLACK_BOT_TOKEN
