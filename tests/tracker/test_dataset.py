"""The Regio Zwolle 2023 example dataset: the loader's validation, and key facts checked
against the half-year report (reference/halfjaarrapportage-regio-zwolle-2023.txt)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, func, select

from tests.conftest import AMS
from tracker.dataset import load_dataset
from tracker.models import Deadline
from tracker.seed import seed_dataset

D = dt.date
CODES = ["N35", "ZWM", "ZTM", "KWZ", "NOVEX", "LLO", "RD5", "EU"]
REPLAY_START = D(2023, 9, 1)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return load_dataset()


def dossier(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(d for d in data["dossiers"] if d["code"] == code)


def programme(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in data["programmes"] if p["name"] == name)


def deadline(data: dict[str, Any], title: str) -> dict[str, Any]:
    return next(d for d in data["deadlines"] if d["title"] == title)


def budget_row(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["budget"] if r["name"] == name)


# --- the packaged dataset ------------------------------------------------------------------

def test_packaged_dataset_loads_with_real_dates(data: dict[str, Any]) -> None:
    assert data["source"].startswith("Halfjaarrapportage Regio Zwolle 2023")
    assert all(isinstance(d["due"], dt.date) for d in data["deadlines"])
    assert all(isinstance(d["rag_since"], dt.date) for d in data["dossiers"])
    assert {len(data[k]) for k in ("dossiers", "budget", "indicators")} == {8, 18, 2}


def test_loader_returns_a_fresh_copy_each_time() -> None:
    first = load_dataset()
    first["dossiers"].clear()
    assert len(load_dataset()["dossiers"]) == 8


def test_exactly_the_eight_dossier_codes(data: dict[str, Any]) -> None:
    assert [d["code"] for d in data["dossiers"]] == CODES


def test_zwolle_meppel_needs_75_million_of_which_35_secured(data: dict[str, Any]) -> None:
    zwm = dossier(data, "ZWM")
    assert (zwm["funding_needed"], zwm["funding_secured"]) == (75_000_000, 35_000_000)
    assert zwm["funding_needed"] - zwm["funding_secured"] == 40_000_000 == data["facts"]["zwm_gap"]
    assert zwm["rag"] == "amber"


def test_n35_turned_red_on_23_june_by_the_mirt_letter(data: dict[str, Any]) -> None:
    n35 = dossier(data, "N35")
    assert (n35["rag"], n35["rag_since"]) == ("red", D(2023, 6, 23))
    change = next(e for e in n35["history"] if e["kind"] == "rag")
    assert (change["at"], change["before"], change["after"]) == (D(2023, 6, 23), "amber", "red")
    assert "MIRT-brief" in change["text"]
    assert change["approximate"] is False


def test_rag_reasons_and_status_dates_are_always_given(data: dict[str, Any]) -> None:
    for d in data["dossiers"]:
        assert d["rag_reason"].strip()
        assert D(2023, 1, 1) <= d["rag_since"] <= D(2023, 6, 30), d["code"]


def test_mobiliteitstransitie_was_paused_in_q2(data: dict[str, Any]) -> None:
    plan = programme(data, "Mobiliteitstransitie")
    assert (plan["parent"], plan["dossier"], plan["status"]) == ("NOVEX", "NOVEX", "paused")
    [change] = plan["history"]
    assert (change["before"], change["after"]) == ("on-track", "paused")
    assert D(2023, 4, 1) <= change["at"] <= D(2023, 6, 30)
    assert change["approximate"] is True


def test_novex_programme_plans_hang_under_novex(data: dict[str, Any]) -> None:
    plans = {p["name"] for p in data["programmes"] if p["parent"] == "NOVEX"}
    # The five plans the report lists under "Programma's NOVEX", plus the economic bouwsteen.
    assert plans == {"Stedelijk Zwolle", "Karakteristieke stationsomgevingen", "Sponsstrategie",
                     "Mobiliteitstransitie", "Vitale Kernen en Gezonde Buurten",
                     "Ruimtelijk Economische Bouwsteen 2040"}
    assert programme(data, "Vitale Kernen en Gezonde Buurten")["status"] == "delayed"
    assert programme(data, "NOVEX")["status"] == "on-track"


def test_economy_and_labour_market_programmes(data: dict[str, Any]) -> None:
    labour = {p["name"] for p in data["programmes"] if p["parent"] == "Programma Arbeidsmarkt"}
    assert {"Groei Vooruit", "Upgrade jezelf", "Sectortafels", "Inclusie"} <= labour
    assert programme(data, "Systeemdoorbrekende experimenten")["status"] == "at-risk"
    assert programme(data, "Programma Economie")["status"] == "on-track"


def test_regio_deal_submission_deadline_is_31_october(data: dict[str, Any]) -> None:
    rd = deadline(data, "Indienen aanvraag Regio Deal 5e tranche")
    assert (rd["dossier"], rd["kind"], rd["due"], rd["status"], rd["approximate"]) == (
        "RD5", "submission", D(2023, 10, 31), "open", False)
    assert data["facts"]["regio_deal_5_deadline"] == D(2023, 10, 31)


@pytest.mark.parametrize(("title", "kind", "due"), [
    ("Werkbezoek minister Harbers over NOVEX-gebied Regio Zwolle", "visit", D(2023, 9, 28)),
    ("BO MIRT Noord", "meeting", D(2023, 11, 6)),
    ("BO MIRT Oost", "meeting", D(2023, 11, 9)),
    ("Werkbezoek minister Van Gennip (SZW) aan Regio Zwolle", "visit", D(2023, 11, 6)),
    ("Kamerdebat MIRT", "debate", D(2023, 11, 20)),
    ("Tweede Kamerverkiezingen", "election", D(2023, 11, 22)),
])
def test_dated_milestones_of_the_second_half_year(data: dict[str, Any], title: str, kind: str,
                                                  due: dt.date) -> None:
    d = deadline(data, title)
    assert (d["kind"], d["due"], d["status"], d["approximate"], d["time"]) == (
        kind, due, "open", False, None)


def test_milestones_before_the_replay_are_done_and_later_ones_open(data: dict[str, Any]) -> None:
    for d in data["deadlines"]:
        expected = "done" if d["due"] < REPLAY_START else "open"
        assert d["status"] == expected, d["title"]
    done = [d for d in data["deadlines"] if d["status"] == "done"]
    assert len(done) == 11
    assert deadline(data, "MIRT-debat Tweede Kamer")["due"] == D(2023, 7, 5)


def test_reminder_replay_has_deadlines_in_every_month_of_the_second_half(
        data: dict[str, Any]) -> None:
    months = {d["due"].month for d in data["deadlines"]
              if REPLAY_START <= d["due"] <= D(2023, 12, 31)}
    assert months == {9, 10, 11, 12}


_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"]


def test_exact_dates_are_quoted_in_their_source(data: dict[str, Any]) -> None:
    for d in data["deadlines"]:
        if d["approximate"]:
            continue
        words = f"{d['due'].day} {_MONTHS[d['due'].month - 1]}"
        assert words in d["source"] or f"tot en met {d['due'].year}" in d["source"], d["title"]


def test_approximate_dates_say_why(data: dict[str, Any]) -> None:
    for d in data["deadlines"]:
        if d["approximate"]:
            assert d.get("source_note"), d["title"]
    for item in data["dossiers"] + data["programmes"]:
        for event in item.get("history") or []:
            if event["approximate"]:
                assert event.get("source_note") or "Q" in event["source"], event["text"]


# --- budget: the three tables of the report ------------------------------------------------

INCOME = ["Bijdragen door gemeenten", "Bijdragen door provincies",
          "Bijdragen door rijk (via Regio Deal)", "Subtotaal Partnerbijdragen",
          "Verwacht restantbudget", "Totaal inkomsten"]
COSTS = ["Programma Economie", "Programma Arbeidsmarkt", "Programma Ruimtelijke Ontwikkeling",
         "Verkenning en onderzoek", "Public Affairs", "Communicatie en representatie",
         "Regio Zwolle Bureau", "Regio Deal Zwolle", "Onvoorzien",
         "Anticyclisch investeren conform bestuurlijke afspraak voorstel in te zetten voor "
         "start uitvoering", "Totaal lasten"]

# The "verschil" column of the table "werkelijk jan-juni" (begroting minus werkelijk).
REPORT_VERSCHIL = {
    "Bijdragen door gemeenten": 1_950_000, "Bijdragen door provincies": 0,
    "Bijdragen door rijk (via Regio Deal)": 0, "Subtotaal Partnerbijdragen": 1_950_000,
    "Verwacht restantbudget": -380_230, "Totaal inkomsten": 1_569_770,
    "Programma Economie": 207_641, "Programma Arbeidsmarkt": 50_000,
    "Programma Ruimtelijke Ontwikkeling": 250_000, "Verkenning en onderzoek": 135_000,
    "Public Affairs": 261_535, "Communicatie en representatie": 158_886,
    "Regio Zwolle Bureau": 395_370, "Regio Deal Zwolle": 121_799, "Onvoorzien": 25_000,
    COSTS[9]: 0, "Totaal lasten": 1_605_231,
}

# The column "werkelijk jan-juni" as the table "verwachte jaartotalen" prints it (rounded).
REPORT_TABLE3_WERKELIJK = {
    "Programma Economie": 617_359, "Programma Arbeidsmarkt": 0,
    "Programma Ruimtelijke Ontwikkeling": 105_000, "Verkenning en onderzoek": 175_000,
    "Public Affairs": 83_000, "Communicatie en representatie": 86_000,
    "Regio Zwolle Bureau": 104_000, "Regio Deal Zwolle": 78_000, "Onvoorzien": 0,
    COSTS[9]: 1_280_230,
}


def nl_euro(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def stated_vs_computed(rows: list[dict[str, Any]], column: str) -> dict[str, tuple[int, int]]:
    """For each stated (sub)total row: (what the report prints, the sum of the rows it covers)."""
    result: dict[str, tuple[int, int]] = {}
    for section in ("inkomsten", "lasten"):
        covered: list[int] = []
        for row in (r for r in rows if r["section"] == section):
            if not row["is_total"]:
                covered.append(row[column])
            elif row["name"].startswith("Subtotaal"):
                result[row["name"]] = (row[column], sum(covered))
            else:  # a section total covers every non-total row of the section
                result[row["name"]] = (row[column], sum(
                    r[column] for r in rows if r["section"] == section and not r["is_total"]))
    return result


def test_budget_rows_are_in_report_order(data: dict[str, Any]) -> None:
    rows = data["budget"]
    assert [r["name"] for r in rows if r["section"] == "inkomsten"] == INCOME
    assert [r["name"] for r in rows if r["section"] == "lasten"] == COSTS
    assert [r["section"] for r in rows] == ["inkomsten"] * 6 + ["lasten"] * 11 + ["saldo"]
    assert {r["year"] for r in rows} == {2023}
    assert [r["name"] for r in rows if r["is_total"]] == [
        "Subtotaal Partnerbijdragen", "Totaal inkomsten", "Totaal lasten", "Verwacht batig saldo"]


def test_the_stated_surplus_is_kept_as_printed(data: dict[str, Any]) -> None:
    (surplus,) = [r for r in data["budget"] if r["section"] == "saldo"]
    assert (surplus["begroting"], surplus["verwacht"]) == (275_000, 226_713)


def test_budget_reproduces_the_verschil_column(data: dict[str, Any]) -> None:
    for row in (r for r in data["budget"] if r["section"] != "saldo"):
        assert row["begroting"] - row["werkelijk"] == REPORT_VERSCHIL[row["name"]], row["name"]


def test_stated_totals_that_add_up_and_those_that_do_not(data: dict[str, Any]) -> None:
    rows = data["budget"]
    assert stated_vs_computed(rows, "begroting") == {
        "Subtotaal Partnerbijdragen": (2_230_000, 2_230_000),
        "Totaal inkomsten": (3_130_000, 3_130_000),
        "Totaal lasten": (2_855_000, 2_855_000),
    }
    assert stated_vs_computed(rows, "werkelijk") == {
        "Subtotaal Partnerbijdragen": (280_000, 280_000),
        "Totaal inkomsten": (1_560_230, 1_560_230),
        "Totaal lasten": (1_249_769, 1_249_769),
    }
    # The expected-year-total table: only the subtotal adds up.
    assert stated_vs_computed(rows, "verwacht") == {
        "Subtotaal Partnerbijdragen": (2_230_000, 2_230_000),
        "Totaal inkomsten": (3_510_230, 1_849_770),
        "Totaal lasten": (3_510_230, 3_103_517),
    }
    # The printed income total is right only with the restantbudget as 1.280.230.
    assert 2_230_000 + budget_row(data, "Verwacht restantbudget")["werkelijk"] == 3_510_230
    for name in ("Totaal inkomsten", "Totaal lasten"):
        assert "klopt niet" in budget_row(data, name)["source_note"]


def test_surpluses(data: dict[str, Any]) -> None:
    facts, rows = data["facts"], data["budget"]
    assert facts["expected_surplus"] == 226_713
    totals = {r["name"]: r for r in rows if r["is_total"]}
    assert totals["Totaal inkomsten"]["begroting"] - totals["Totaal lasten"]["begroting"] \
        == facts["budgeted_surplus"] == 275_000
    # The report's expected surplus is not what its own rows give.
    costs = sum(r["verwacht"] for r in rows if r["section"] == "lasten" and not r["is_total"])
    assert totals["Totaal inkomsten"]["verwacht"] - costs == 406_713 != facts["expected_surplus"]


def test_where_the_two_actuals_tables_disagree_the_note_says_so(data: dict[str, Any]) -> None:
    for name, printed in REPORT_TABLE3_WERKELIJK.items():
        row = budget_row(data, name)
        if row["werkelijk"] != printed:
            assert nl_euro(printed) in row["source_note"], name
    assert budget_row(data, "Public Affairs")["werkelijk"] == 83_465
    assert sum(REPORT_TABLE3_WERKELIJK.values()) == 2_528_589
    assert "2.528.589" in budget_row(data, "Totaal lasten")["source_note"]


def test_budget_notes_are_the_reports_own_explanations(data: dict[str, Any]) -> None:
    # The report explains the H1 figures: contributions collected in Q4, Kennispoort paid for
    # the whole year, vacancies; those are the notes the digest shows.
    assert "laatste kwartaal" in budget_row(data, "Bijdragen door gemeenten")["note"]
    assert "Kennispoort" in budget_row(data, "Programma Economie")["note"]
    assert "vacatures" in budget_row(data, "Regio Zwolle Bureau")["note"]
    assert budget_row(data, "Totaal lasten")["note"] is None


# --- indicators and facts ---------------------------------------------------------------------

def test_monthly_indicators(data: dict[str, Any]) -> None:
    series = {x["name"]: x for x in data["indicators"]}
    residents = series["Aanmeldingen ontwikkelfonds inwoners"]
    employers = series["Aanvragen ontwikkelfonds werkgevers"]
    assert residents["values"] == {1: 225, 2: 200, 3: 244, 4: 216, 5: 197, 6: 236}
    assert employers["values"] == {1: 54, 2: 65, 3: 75, 4: 63, 5: 52, 6: 59}
    for x, total in ((residents, 1318), (employers, 368)):
        assert sum(x["values"].values()) == total
        assert x["stated_total"] == 0  # as printed; the note flags it
        assert "TOTAAL 0" in x["note"]
        assert str(total) in x["note"]


def test_headline_facts(data: dict[str, Any]) -> None:
    facts = data["facts"]
    assert facts["tk_election_date"] == D(2023, 11, 22)
    assert facts["regio_deal_5_national_budget"] == 384_600_000
    assert (facts["kwz_project_cost_min"], facts["kwz_project_cost_max"]) == (
        200_000_000, 225_000_000)
    assert dossier(data, "KWZ")["funding_secured"] == facts["kwz_market_contribution"] == 26_500_000
    # Reserved is not committed: ZTM's € 30 mln lives in the funding note, in the source's words.
    assert dossier(data, "ZTM")["funding_secured"] is None
    assert facts["ztm_reserved"] == 30_000_000
    assert "€ 30 mln gereserveerd" in dossier(data, "ZTM")["funding_note"]


def test_dutch_text_keeps_its_diacritics(data: dict[str, Any]) -> None:
    assert dossier(data, "ZTM")["title"] == "Spoor Zwolle–Twente–Münster"
    assert "Kornwerderzand" in dossier(data, "KWZ")["title"]
    assert "geïnd" in dossier(data, "KWZ")["history"][0]["text"]


# --- the loader rejects broken copies with a precise message -------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def _move_first_child_to_front(data: dict[str, Any]) -> None:
    child = next(p for p in data["programmes"] if p["parent"] == "NOVEX")
    data["programmes"].remove(child)
    data["programmes"].insert(0, child)


BROKEN: list[tuple[str, Mutation, str]] = [
    ("dangling deadline dossier", _set(["deadlines", 0, "dossier"], "XYZ"),
     "deadlines[0] ('Verstedelijkingsstrategie Regio Zwolle vastgesteld en gepresenteerd'): "
     "dossier 'XYZ' does not exist (known: EU, KWZ, LLO, N35, NOVEX, RD5, ZTM, ZWM)"),
    ("bad rag", _set(["dossiers", 2, "rag"], "purple"),
     "dossiers[2] (ZTM): rag 'purple' is not one of green, amber, red"),
    ("bad deadline kind", _set(["deadlines", 1, "kind"], "party"),
     "deadlines[1] ('Provinciale Statenverkiezingen'): kind 'party' is not one of debate, "
     "visit, submission, decision, meeting, election, commitment, other"),
    ("bad programme status", _set(["programmes", 0, "status"], "late"),
     "programmes[0] ('NOVEX'): status 'late' is not one of on-track, at-risk, delayed, "
     "paused, done"),
    ("bad line", _set(["dossiers", 0, "line"], "economie"),
     "dossiers[0] (N35): line 'economie' is not one of economie-arbeidsmarkt, "
     "ruimtelijke-ontwikkeling, public-affairs"),
    ("bad budget section", _set(["budget", 0, "section"], "baten"),
     "budget[0] ('Bijdragen door gemeenten'): section 'baten' is not one of inkomsten, lasten"),
    ("impossible date", _set(["deadlines", 2, "due"], "2023-02-30"),
     "deadlines[2] ('Europees Parlement stemt voor opname Zwolle–Twente–Münster in TEN-T'): "
     "due '2023-02-30' is not a date (YYYY-MM-DD)"),
    ("unquoted time", _set(["deadlines", 0, "time"], 840),
     "deadlines[0] ('Verstedelijkingsstrategie Regio Zwolle vastgesteld en gepresenteerd'): "
     "time must be null or a quoted \"HH:MM\", got 840"),
    ("duplicate code", _set(["dossiers", 1, "code"], "N35"), "dossiers: duplicate dossier code 'N35'"),
    ("missing rag_reason", _delete(["dossiers", 3, "rag_reason"]),
     "dossiers[3]: missing required key(s): rag_reason"),
    ("unknown key", _set(["dossiers", 0, "colour"], "red"), "dossiers[0]: unknown key(s): colour"),
    ("dangling parent", _set(["programmes", 1, "parent"], "NOVIX"),
     "programmes[1] ('Stedelijk Zwolle'): parent 'NOVIX' does not exist"),
    ("child before parent", _move_first_child_to_front,
     "programmes[0] ('Stedelijk Zwolle'): parent 'NOVEX' must be listed before its children"),
    ("dangling programme dossier", _set(["programmes", 0, "dossier"], "NOVIX"),
     "programmes[0] ('NOVEX'): dossier 'NOVIX' does not exist"),
    ("rag contradicts history", _set(["dossiers", 0, "rag"], "amber"),
     "dossiers[0] (N35): rag 'amber' differs from the last rag event's after 'red'"),
    ("non-integer amount", _set(["dossiers", 1, "funding_needed"], "75 mln"),
     "dossiers[1] (ZWM): funding_needed must be an integer, got '75 mln'"),
    ("month 13", _set(["indicators", 0, "values", 13], 5),
     "indicators[0] ('Aanmeldingen ontwikkelfonds inwoners'): month 13 in values is not 1-12"),
    ("history out of order", _set(["dossiers", 0, "history", 0, "at"], "2023-12-01"),
     "dossiers[0] (N35).history[1]: at 2023-06-23 is before the previous event (2023-12-01)"),
]


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    target = tmp_path / "broken.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in BROKEN],
                         ids=[case for case, _, _ in BROKEN])
def test_loader_rejects_a_broken_copy(tmp_path: Path, data: dict[str, Any], mutate: Mutation,
                                      message: str) -> None:
    broken = copy.deepcopy(data)
    mutate(broken)
    path = _write(tmp_path, broken)
    with pytest.raises(ValueError, match=re.escape(f"{path}: {message}")):
        load_dataset(path=path)


def test_an_intact_copy_loads_from_a_path(tmp_path: Path, data: dict[str, Any]) -> None:
    assert load_dataset(path=_write(tmp_path, copy.deepcopy(data))) == data


def test_unreadable_or_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read dataset"):
        load_dataset(path=tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("dossiers: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_dataset(path=bad)
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="top level: expected a mapping, got list"):
        load_dataset(path=bad)


@pytest.mark.parametrize("name", ["regio-zwolle-2099", "../regio-zwolle-2023", "Regio Zwolle"])
def test_unknown_or_malformed_dataset_names(name: str) -> None:
    with pytest.raises(ValueError, match=r"dataset name|unknown dataset .*available: regio-zwolle-2023"):
        load_dataset(name)


def test_seeding_again_after_a_dataset_rewords_a_remark_adds_nothing(seeded: Session) -> None:
    # A database seeded from an earlier edition, whose titles carried "(verwacht)".
    first = seeded.exec(select(Deadline).order_by(Deadline.id)).first()
    assert first is not None
    first.title = f"{first.title} (verwacht)"
    seeded.commit()
    before = seeded.exec(select(func.count()).select_from(Deadline)).one()
    seed_dataset(session=seeded, now=dt.datetime(2023, 9, 1, 8, 0, tzinfo=AMS), tz=AMS)
    seeded.commit()
    assert seeded.exec(select(func.count()).select_from(Deadline)).one() == before
