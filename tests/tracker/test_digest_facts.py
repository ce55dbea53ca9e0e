"""The 2023H1 digest of the example dataset reads as the report's key points, figures right;
and its renderings (Markdown, text, JSON, chart, `lobby digest`)."""

from __future__ import annotations

import json
import re
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


def test_zwolle_meppel_gap_in_the_sources_words(h1: Digest) -> None:
    zwm = dossier(h1, "ZWM")
    assert (zwm.funding_needed, zwm.funding_secured, zwm.funding_gap) == (
        75_000_000, 35_000_000, 40_000_000)
    md = render_markdown(h1)
    assert "nodig € 75 mln; toegezegd € 35 mln; tekort € 40 mln." in md
    assert "gedekt" not in md


def test_reserved_and_market_contribution_are_not_called_covered(h1: Digest) -> None:
    md = render_markdown(h1)
    ztm = dossier(h1, "ZTM")
    assert ztm.funding_secured is None and "€ 30 mln gereserveerd" in ztm.funding_note
    assert "€ 30 mln gereserveerd als bijdrage aan de elektrificatie" in md
    kwz = dossier(h1, "KWZ")
    assert kwz.funding_secured == 26_500_000 and "€ 200 en € 225 mln" in kwz.funding_note
    assert "toegezegd € 26,5 mln. Het toegezegde bedrag is de bijdrage van marktpartijen" in md
    assert "tussen de € 200 en € 225 mln" in md and "in 2028 verbreed en verdiept" in md


def test_dossier_summaries_and_goals_carry_the_reports_figures(h1: Digest) -> None:
    md = render_markdown(h1)
    for figure in ("50.000 woningen en 20.000 arbeidsplaatsen tot 2040", "€ 4 mld",
                   "€ 384,6 mln gereserveerd", "1 van de 17 NOVEX-gebieden",
                   "looptijd 2024 t/m 2027"):
        assert figure in md, figure
    assert "**Lobbydoel:**" in md and "**Samenvatting:**" in md
    # the code is said once: "N35 — Wijthmen…", never "N35 — N35 Wijthmen…"
    assert "#### N35 — Wijthmen–Nijverdal / Mobiliteitsfonds" in md
    assert "N35 — N35" not in md + render_text(h1)


def test_mobiliteitstransitie_paused_in_q2(h1: Digest) -> None:
    row = next(p for p in h1.programmes if p.name == "Mobiliteitstransitie")
    assert row.status == "paused" and row.parent == "NOVEX"
    (change,) = row.changes
    assert (change.before, change.after) == ("on-track", "paused")
    assert change.precision == "quarter" and change.approximate
    text = render_text(h1)
    assert ("tweede kwartaal 2023 — programmastatus gewijzigd in de periode: op schema → "
            "stilgelegd") in text


def test_seasons_are_not_invented_days(h1: Digest) -> None:
    md = render_markdown(h1)
    assert "voorjaar 2023 — notitie: BOL voorjaar" in md
    assert "15 mei" not in md and not re.search(r"ca\. \d", md)


def test_regio_deal_deadline_of_31_october_in_the_next_period(h1: Digest) -> None:
    assert h1.next_period.key == "2023H2"
    bid = next(u for u in h1.upcoming if u.dossier_code == "RD5" and u.kind == "submission")
    assert bid.due_date == date(2023, 10, 31) and not bid.approximate
    assert {"Kamerdebat MIRT", "BO MIRT Noord", "BO MIRT Oost"} <= {u.title for u in h1.upcoming}
    assert "| 28 september 2023 | NOVEX | bezoek |" in render_markdown(h1)


def test_events_took_place_and_actions_were_done(h1: Digest) -> None:
    told = {(d.code, i.text): i.reason for d, i in h1.items if i.kind is not None}
    held = Reason.EVENT_HELD
    assert told[("NOVEX", "Verstedelijkingsstrategie Regio Zwolle vastgesteld en gepresenteerd")] \
        is held
    assert told[("N35", "MIRT-brief voorjaar 2023: nieuwe weg- en vaarwegprojecten gepauzeerd")] \
        is held
    assert told[("LLO", "Provinciale Statenverkiezingen")] is held
    assert told[("LLO", "Uitvoeringsplan SUWI opgeleverd en vastgesteld")] is \
        Reason.MILESTONE_REACHED  # the dataset marks it an action
    assert Reason.DEADLINE_MISSED not in told.values()
    assert not any(i.reason is Reason.DEADLINE_ADDED for _, i in h1.items)  # loading is no news
    assert "mijlpaal bereikt" not in render_markdown(h1)


def test_second_half_events_are_not_missed_and_plans_are_not_reached(seeded: Session) -> None:
    now = datetime(2024, 1, 2, 10, 0, tzinfo=AMS)
    h2 = build_digest(session=seeded, period=parse_period("2023H2", now=now, tz=AMS), now=now,
                      tz=AMS)
    told = {i.text: i for _, i in h2.items if i.kind is not None}
    for event in ("Tweede Kamerverkiezingen", "BO MIRT Noord", "Kamerdebat MIRT",
                  "Einde looptijd huidige Regio Deal Regio Zwolle (2020–2023)",
                  "Voortgangsgesprekken met alle sectortafels"):
        assert told[event].reason is Reason.EVENT_HELD, event
    # a rough date whose span has passed, and that nobody confirmed, is expected, not a fact
    for event in ("Reactie minister op alternatief ontwerp Kornwerderzand",
                  "Interinstitutioneel akkoord over TEN-T", "Commissiedebat internationaal spoor",
                  "Schets governancestructuur besproken met alle bestuurders"):
        assert told[event].reason is Reason.EVENT_EXPECTED, event
    action = told["Indienen aanvraag Regio Deal 5e tranche"]
    assert action.reason is Reason.NOT_REPORTED and action.owner is None
    assert not any(i.reason in (Reason.DEADLINE_MISSED, Reason.MILESTONE_REACHED)
                   for i in told.values())
    md = render_markdown(h2)
    assert "gemist" not in md and not re.search(r"(^|\D)0 ", join_counts(h2))
    assert ("verwacht in de tweede helft van 2023; niet bevestigd dat dit heeft plaatsgevonden: "
            "Reactie minister op alternatief ontwerp Kornwerderzand") in md
    assert ("verwacht op z'n vroegst eind 2023; niet bevestigd dat dit heeft plaatsgevonden: "
            "Interinstitutioneel akkoord over TEN-T") in md
    assert "verwacht in het derde kwartaal van 2023; niet bevestigd" in md
    for told_as_fact in ("heeft plaatsgevonden: Reactie minister", "heeft plaatsgevonden: "
                         "Interinstitutioneel", "heeft plaatsgevonden: Commissiedebat"):
        assert f"— {told_as_fact}" not in md, told_as_fact
    # no owner is recorded for any of them: said once, not on every line
    assert "- 31 oktober 2023 — niet afgemeld: Indienen aanvraag Regio Deal 5e tranche\n" in md
    assert "(geen eigenaar)" not in md and "met eigenaar" not in md
    assert "6 verwachte gebeurtenissen zonder bevestiging" in join_counts(h2)
    assert ("8 acties zijn na de datum niet afgemeld; zij staan per dossier vermeld; voor geen "
            "van deze acties is een eigenaar vastgelegd.") in md


def test_a_letter_appears_a_decision_is_taken_a_visit_takes_place(h1: Digest) -> None:
    md = render_markdown(h1)
    assert "23 juni 2023 — is verschenen: MIRT-brief voorjaar 2023" in md
    assert "1 februari 2023 — is genomen: Verstedelijkingsstrategie Regio Zwolle" in md
    assert "juni 2023 — heeft plaatsgevonden: Werkbezoek minister Helder" in md
    assert "15 maart 2023 — heeft plaatsgevonden: Provinciale Statenverkiezingen" in md


def test_a_rough_milestone_is_placed_by_its_span(h1: Digest) -> None:
    """"op z'n vroegst eind 2023" is anchored on 1 October for the reminders, but the digest
    places it by its span: after 31 October, not before."""
    titles = [u.title for u in h1.upcoming]
    assert titles.index("Interinstitutioneel akkoord over TEN-T") > titles.index(
        "Indienen aanvraag Regio Deal 5e tranche")
    assert titles.index("Interinstitutioneel akkoord over TEN-T") > titles.index(
        "Tweede Kamerverkiezingen")
    front = render_markdown(h1).split("## Economie en arbeidsmarkt")[0]
    assert "TEN-T" not in front  # not among the first five of "Wat volgt"


def join_counts(d: Digest) -> str:
    from tracker.digest.front import count_phrase

    return "".join(count_phrase(d))


def test_budget_tables_in_the_reports_own_columns(h1: Digest) -> None:
    assert h1.budget is not None
    rows = {r.name: r for s in h1.budget.sections for r in s.rows}
    # verschil = begroting − werkelijk, as the report's second table
    assert rows["Programma Economie"].difference == 207_641
    assert rows["Totaal inkomsten"].difference == 1_569_770
    assert rows["Totaal lasten"].difference == 1_605_231
    assert rows["Verwacht restantbudget"].difference == -380_230
    md = render_markdown(h1)
    assert ("| Post | Begroting | Realisatie t/m 30 juni 2023 | Verschil | Verwacht jaartotaal "
            "| % van de begroting |") in md
    assert "| Programma Economie [" in md and "| € 825.000 | € 617.359 | € 207.641 | € 692.359 |" in md
    assert "Verschil (verwacht − begroting)" not in md


def test_spending_against_the_share_of_the_year(h1: Digest) -> None:
    assert h1.budget is not None
    assert h1.budget.year_share == 0.5
    assert round(h1.budget.expense_share or 0, 4) == round(1_249_769 / 2_855_000, 4)
    assert ("Op 30 juni 2023 is 50% van het jaar verstreken; van de begrote lasten is 44% besteed "
            "(€ 1.249.769 van € 2.855.000).") in render_markdown(h1)


def test_the_reports_explanations_of_the_figures_are_shown(h1: Digest) -> None:
    for rendering in (render_markdown(h1), render_text(h1)):
        assert "collecteren van de gemeentelijke bijdragen is in het laatste kwartaal" in rendering
        assert "Kennispoort is voor het hele jaar al in het eerste halfjaar voldaan" in rendering
        assert "vacatures langer openstaan" in rendering


def test_financial_outcome_as_the_report_states_it(h1: Digest) -> None:
    assert h1.budget is not None and h1.budget.outcome is not None
    outcome = h1.budget.outcome
    assert (outcome.expected, outcome.budgeted, outcome.supported) == (226_713, 275_000, False)
    md = render_markdown(h1)
    assert ("De verwachte jaartotalen laten een batig saldo zien van € 226.713 (de vastgestelde "
            "begroting ging uit van een batig saldo van € 275.000).") in md
    assert "zo staat het in de rapportage" not in md
    # no headline figure that no line supports: the false deficit is gone from the front page
    front = md.split("## Economie en arbeidsmarkt")[0]
    assert "1.253.747" not in front and "€ 0" not in front


def test_check_annex_names_both_sides_and_the_one_correction(h1: Digest) -> None:
    checks = {(c.row, c.column): c for c in h1.checks}
    income = checks[("Totaal inkomsten", "expected")]
    assert (income.stated, income.computed) == (3_510_230, 1_849_770)
    assert income.correction is not None
    assert (income.correction.row, income.correction.needed, income.correction.stated,
            income.correction.found_in) == ("Verwacht restantbudget", 1_280_230, -380_230,
                                            "actual")
    costs = checks[("Totaal lasten", "expected")]
    assert (costs.stated, costs.computed, costs.correction) == (3_510_230, 3_103_517, None)
    balance = checks[("Verwacht batig saldo", "expected")]
    assert (balance.stated, balance.printed_totals, balance.corrected) == (226_713, 0, 406_713)
    annex = render_markdown(h1).split("## Bijlage: controle van de cijfers")[1]
    assert ("Totaal inkomsten (inkomsten, verwacht jaartotaal): gedrukt € 3.510.230; de regels "
            "tellen op tot € 1.849.770. De tabel sluit als bij Verwacht restantbudget in de kolom "
            "verwacht jaartotaal € 1.280.230 staat") in annex
    assert "Geen correctie van één regel laat de tabel sluiten." in annex
    assert "met de correctie hierboven € 406.713" in annex
    assert "de rapportage drukt als totaal 0; de maanden tellen op tot 1.318" in annex


def test_expected_year_totals_that_do_not_add_up_are_flagged(h1: Digest) -> None:
    assert h1.budget is not None
    flagged = {r.name: r for r in h1.budget.flagged}
    assert set(flagged) == {"Totaal inkomsten", "Totaal lasten", "Verwacht batig saldo"}
    assert flagged["Totaal lasten"].mismatches == ("expected",)
    assert h1.budget.stated_balance.budget == 275_000
    assert "| **Totaal lasten ⚠** |" in render_markdown(h1)


def test_indicators_with_the_comparison_the_data_allows(h1: Digest) -> None:
    by_name = {s.name: s for s in h1.indicators}
    residents = by_name["Aanmeldingen ontwikkelfonds inwoners"]
    assert residents.total == 1318 and residents.baseline == 140
    assert by_name["Aanvragen ontwikkelfonds werkgevers"].total == 368
    assert all(s.flagged and s.stated_total == 0 for s in h1.indicators)
    assert ("Aanmeldingen ontwikkelfonds inwoners: 1.318 in januari t/m juni 2023, gemiddeld 220 "
            "per maand (gemiddeld per maand in 2022: 140)") in render_text(h1)


def test_key_figures_from_the_dataset(h1: Digest) -> None:
    keys = {f.key: f for f in h1.key_figures}
    assert keys["employers_contacted_h1"].value == 1122
    md = render_markdown(h1)
    for line in ("- 1.122 werkgevers gesproken in Q1 en Q2", "- ruim 660 jongeren bereikt",
                 "- € 384,6 mln door het Rijk gereserveerd", "- 22 gemeenten",
                 "- minimaal 50.000 woningen tot 2040", "- € 4 mld te herschikken"):
        assert line in md, line
    assert "1122" not in md


def test_markdown_has_the_report_shape(h1: Digest) -> None:
    md = render_markdown(h1, chart_path="/home/someone/tmp/digest-2023H1.png")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["## Kernboodschap", "## Economie en arbeidsmarkt",
                        "## Ruimtelijke ontwikkeling", "## Public Affairs en Communicatie",
                        "## Volgende periode: tweede halfjaar 2023", "## Kerncijfers",
                        "## Indicatoren", "## Financiën: begroting 2023", "## Risico's",
                        "## Besluiten", "## Bijlage: controle van de cijfers"]
    for sub in ("### Wat de periode bracht", "### Financieel resultaat", "### Wat volgt",
                "### Doelen", "### Resultaten t/m 30 juni 2023", "### Toelichting en vooruitblik",
                "### Belangenbehartiging: de lobbydossiers"):
        assert sub in md, sub
    assert "![Indicatoren en begrotingsuitvoering](digest-2023H1.png)" in md  # no local path
    assert "/home/" not in md
    assert "- N35: oranje → rood op 23 juni 2023: MIRT-brief" in md
    assert "| Mobiliteitstransitie | NOVEX | stilgelegd | Basisprogrammaplan opgesteld in Q1" in md
    assert "De kleur (groen, oranje, rood) is de beoordeling van het team zelf." in md
    assert "rood (beoordeling van het team), sinds 23 juni 2023" in md


def test_programme_notes_in_every_format(h1: Digest) -> None:
    from bot.render.digest import render_digest

    note = "Gemeente Zwolle geeft uitvoering aan dit programma."
    slack = json.dumps([m.payload() for m in render_digest(h1)], ensure_ascii=False)
    for rendering in (render_markdown(h1), render_text(h1), render_json(h1), slack):
        assert note in rendering


def test_english(h1: Digest) -> None:
    md = render_markdown(h1, "en")
    assert "# Half-year report first half of 2023" in md
    assert "- N35: amber → red on 23 June 2023: MIRT-brief" in md


def test_json_is_stable_and_complete(h1: Digest) -> None:
    first = render_json(h1)
    assert first == render_json(h1)
    data = json.loads(first)["digest"]
    assert data["period"]["key"] == "2023H1" and data["is_empty"] is False
    assert data["as_of"] == "2023-06-30" and "generated_at" not in data
    n35 = next(d for line in data["lines"] for d in line["dossiers"] if d["code"] == "N35")
    status = next(i for i in n35["items"] if i["reason_code"] == "status_changed")
    assert status["reason"] == "status gewijzigd in de periode" and status["at"] == "2023-06-23"
    assert "Totaal lasten" in data["flags"]
    assert data["budget"]["outcome"]["expected"] == 226_713
    assert any(c["correction"] for c in data["checks"])


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
    assert out.read_text(encoding="utf-8").startswith("# Halfjaarrapportage eerste halfjaar 2023")
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert main(["digest", "--period", "2023H1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["digest"]["period"]["key"] == "2023H1"
    assert main(["digest", "--period", "2023H1", "--post", "C1"]) == 2  # no SLACK_BOT_TOKEN
    assert main(["digest", "--period", "2031Q2"]) == 1  # not begun: refused, one line
    assert "nog niet begonnen" in capsys.readouterr().err


@pytest.mark.parametrize("key", ["2023H1", "2023H2"])
def test_every_format_follows_one_outline(seeded: Session, key: str) -> None:
    """The Markdown has the chapters of the DOCX/PDF outline, the Kernboodschap first with its
    parts under it, also for a period without the report's own words (2023H2)."""
    from tracker.digest.outline import Heading, build_outline

    now = datetime(2024, 1, 2, 10, 0, tzinfo=AMS)
    d = build_digest(session=seeded, period=parse_period(key, now=now, tz=AMS), now=now, tz=AMS)
    md = render_markdown(d)
    same = str.maketrans({"’": "'"})
    chapters = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    blocks = build_outline(d)
    assert chapters == [b.text.translate(same) for b in blocks
                        if isinstance(b, Heading) and b.level == 1]
    front = md.split("## Economie en arbeidsmarkt")[0]
    assert chapters[0] == "Kernboodschap"
    for part in ("### Wat de periode bracht", "### Financieel resultaat", "### Wat volgt"):
        assert part in front, part


def test_second_half_year_says_its_figures_are_the_mid_year_ones(seeded: Session) -> None:
    now = datetime(2024, 1, 2, 10, 0, tzinfo=AMS)
    h2 = build_digest(session=seeded, period=parse_period("2023H2", now=now, tz=AMS), now=now,
                      tz=AMS)
    assert h2.budget_stale
    money = render_markdown(h2).split("### Financieel resultaat")[1].split("###")[0]
    assert money.lstrip().startswith(
        "- Over het tweede halfjaar 2023 zijn geen financiële cijfers vastgelegd; de laatste "
        "stand is die van 30 juni 2023.")
    h1 = build_digest(session=seeded, period=parse_period("2023H1", now=now, tz=AMS), now=now,
                      tz=AMS)
    assert not h1.budget_stale and "geen financiële cijfers" not in render_markdown(h1)


def _markers_and_notes(rendering: str) -> tuple[list[str], list[str]]:
    """The note markers in the budget tables' rows and the numbers of the explanations."""
    budget = rendering[rendering.index("begroting 2023"):]
    budget = budget[:min(budget.find(w) for w in ("Risico", "Risks") if w in budget)]
    tables = [line for line in budget.splitlines() if line.startswith("|") or "  € " in line]
    notes = re.findall(r"^(?:  \[)?(\d+)[.\]] [^:\n]+: ", budget, re.M)
    return sorted(m for line in tables for m in re.findall(r"\[(\d+)\]", line)), notes


def test_every_explanation_is_referenced_from_its_row_and_every_marker_has_its_note(
        h1: Digest) -> None:
    for rendering in (render_markdown(h1), render_markdown(h1, "en"), render_text(h1)):
        markers, notes = _markers_and_notes(rendering.replace("Begroting 2023", "begroting 2023")
                                            .replace("budget 2023", "begroting 2023"))
        assert markers == notes == ["1", "2", "3", "4"], (markers, notes)
    md = render_markdown(h1)
    assert "| **Verwacht batig saldo [4] ⚠** | **€ 275.000** |" in md
    assert "4. Verwacht batig saldo: De vastgestelde begroting" in md


def test_check_annex_names_where_the_reports_tables_and_text_disagree(h1: Digest) -> None:
    tables = {c.row: (c.stated, c.computed) for c in h1.checks if c.kind == "tables"}
    # "werkelijk jan-juni": the table of actuals against the table of expected year totals
    assert tables == {"Public Affairs": (83_465, 83_000),
                      "Communicatie en representatie": (86_114, 86_000),
                      "Regio Zwolle Bureau": (104_630, 104_000),
                      "Regio Deal Zwolle": (78_201, 78_000),
                      "Anticyclisch investeren conform bestuurlijke afspraak voorstel in te "
                      "zetten voor start uitvoering": (0, 1_280_230),
                      "Totaal lasten": (1_249_769, 2_528_589)}
    text = [c for c in h1.checks if c.kind == "text"]
    assert [(c.table, c.stated, c.computed) for c in text] == [("besluiten", 1_280_531,
                                                                1_280_230)]
    md = render_markdown(h1)
    assert ("Public Affairs (lasten, realisatie t/m 30 juni 2023): de tabel werkelijk jan-juni "
            "drukt € 83.465; de tabel verwachte jaartotalen € 83.000.") in md
    assert "(Besluiten): de tekst noemt € 1.280.531; de tabellen € 1.280.230." in md
    assert "(Decisions): the text gives €1,280,531; the tables €1,280,230." in render_markdown(
        h1, "en")
    assert "de tabel verwachte jaartotalen € 2.528.589" in render_text(h1)
