"""CSV: formula cells neutralised (read back with the csv module), Dutch Excel files import,
every row checked as /deadline add checks it, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import Session, func, select

from tracker.errors import InvalidInput
from tracker.models import Deadline
from tracker.services import deadlines as dl
from tracker.services.refs import resolve_dossier
from tracker.transfer import FORMULA_STARTS, export_csv, import_csv


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Deadline)).one()


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-2+3",
                                   "@SUM(A1)", "\tTab", "\rCR", "=1+1;=2", "een\rCR midden"])
def test_formula_cells_are_neutralised_and_read_back_as_typed(seeded, now, title):
    n35 = resolve_dossier(seeded, "N35")
    dl.add_deadline(session=seeded, now=now, actor="t", dossier=n35, title=title,
                    due=date(2024, 2, 1), source="=cmd|' /C calc'!A0")
    text = export_csv(seeded)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA_STARTS), cell
    [mine] = [r for r in rows if r["title"].lstrip("'") == title.strip()]
    assert mine["title"] == "'" + title.strip() or not title.strip().startswith(FORMULA_STARTS)
    assert mine["source"] == "'=cmd|' /C calc'!A0"
    # importing our own export where that row is missing gives the title back unquoted
    seeded.exec(select(Deadline).where(Deadline.title == title.strip())).one().title = "Oud"
    seeded.flush()
    assert import_csv(seeded, text, now=now, actor="cli") == 1
    assert seeded.exec(select(Deadline).where(Deadline.title == title.strip())).one()


def test_a_csv_saved_by_dutch_excel_imports(seeded, now):
    excel = ("\ufeffdossier;title;due_date;kind;precision\r\n"
             "N35;Gesprek gedeputeerde;01-02-2024;meeting;day\r\n"
             "ZWM;\"Lobbyplan; richting verkiezingen\";2024-05-31;other;season\r\n")
    before = _count(seeded)
    assert import_csv(seeded, excel, now=now, actor="cli") == 2
    assert _count(seeded) == before + 2
    plan = seeded.exec(select(Deadline).where(Deadline.title == "Lobbyplan; richting verkiezingen")).one()
    assert (plan.precision, plan.due_date) == ("season", date(2024, 5, 31))


@pytest.mark.parametrize(("row", "says"), [
    ("N35,Iets,9999-12-31,,", "buiten 2000–2100"),
    ("N35,Iets,0001-01-01,,", "buiten 2000–2100"),
    ("N35,Iets,2024-13-01,,", "kolom due_date"),
    ("XXX,Iets,2024-01-01,,", "kolom dossier"),
    ("N35,Iets,2024-01-01,party,", "Onbekende soort"),
    ("N35,Iets,2024-01-01,,FREQ=SECONDLY", "FREQ=DAILY of trager"),
    ("N35,,2024-01-01,,", "titel"),
])
def test_a_wrong_row_adds_nothing_and_says_where(seeded, now, row, says):
    before = _count(seeded)
    good = "N35,Een goede regel,2024-01-02,,\n"
    with pytest.raises(InvalidInput) as err:
        import_csv(seeded, "dossier,title,due_date,kind,rrule\n" + good + row + "\n", now=now,
                   actor="cli", name="lijst.csv")
    assert "lijst.csv, regel 3" in err.value.nl and says in err.value.nl
    seeded.expire_all()
    assert _count(seeded) == before  # the good row before it was not added either
