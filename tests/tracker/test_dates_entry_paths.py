"""One year window on every entry path; debates and visits on a weekend or holiday get a note;
the CLI adds a duplicate only with --toch."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import Session, func, select

from tracker.cli import main
from tracker.errors import InvalidInput
from tracker.labels import day_note
from tracker.models import Deadline
from tracker.services import deadlines as dl
from tracker.services.refs import resolve_dossier


@pytest.mark.parametrize("due", [date(1, 1, 1), date(1999, 12, 31), date(2101, 1, 1),
                                 date(9999, 12, 31)])
def test_the_services_refuse_dates_outside_the_window(seeded: Session, now, due):
    n35 = resolve_dossier(seeded, "N35")
    with pytest.raises(InvalidInput, match="2000–2100"):
        dl.add_deadline(session=seeded, now=now, actor="t", dossier=n35, title="X", due=due)
    deadline = seeded.get(Deadline, 19)
    with pytest.raises(InvalidInput, match="2000–2100"):
        dl.move_deadline(session=seeded, now=now, actor="t", deadline=deadline, due=due)


@pytest.mark.parametrize("moment", ["9999-12-31T09:00", "0001-01-01T09:00Z", "1999-12-31T23:00"])
def test_remind_now_keeps_to_the_window(settings, monkeypatch, capsys, moment):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["remind", "--dry-run", "--now", moment]) == 2
    assert "2000–2100" in capsys.readouterr().err


@pytest.mark.parametrize(("kind", "due", "says"), [
    ("debate", date(2023, 11, 25), "za 25 nov 2023 is een zaterdag; klopt dat?"),
    ("visit", date(2023, 12, 25), "ma 25 dec 2023 is een feestdag; klopt dat?"),
    ("visit", date(2024, 4, 27), "za 27 apr 2024 is een feestdag"),
    ("debate", date(2023, 11, 20), None),
    ("submission", date(2023, 11, 25), None),  # a deadline of ours may well fall on a Saturday
])
def test_a_debate_or_visit_on_a_weekend_or_holiday_gets_a_note(kind, due, says):
    deadline = Deadline(dossier_id=1, title="X", kind=kind, due_date=due)
    note = day_note(deadline, "nl")
    assert (note is None) if says is None else (says in note)


def test_the_cli_keeps_quoted_words_together_without_their_quotes(seeded: Session, settings,
                                                                   monkeypatch, capsys):
    seeded.commit()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    # What the shell passes for: lobby deadline add N35 "20 nov 2027" "Kamerdebat MIRT"
    assert main(["deadline", "add", "N35", "20 nov 2027", "Kamerdebat MIRT"]) == 0
    assert seeded.exec(select(Deadline).where(Deadline.title == "Kamerdebat MIRT",
                                              Deadline.due_date == date(2027, 11, 20))).one()
    assert main(["deadline", "add", "N35", "20 nov 2101", "Ver weg"]) == 1
    assert "2101 valt buiten 2000–2100" in capsys.readouterr().err


def test_the_cli_refuses_a_duplicate_and_adds_it_with_toch(seeded: Session, settings, monkeypatch,
                                                           capsys):
    seeded.commit()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)

    def count() -> int:
        seeded.expire_all()
        return seeded.exec(select(func.count()).select_from(Deadline)).one()

    before = count()
    # refused input (DESIGN's exit 1), said on stderr
    assert main(["deadline", "add", "N35", "20", "nov", "2023", "Kamerdebat", "MIRT"]) == 1
    assert "Bestaat al als #19" in capsys.readouterr().err
    assert count() == before
    assert main(["deadline", "add", "N35", "20", "nov", "2023", "Kamerdebat", "MIRT", "--toch"]) == 0
    assert count() == before + 1
    assert main(["deadline", "add", "N35", "za", "25", "nov", "2023", "14:00", "Debat"]) == 0
    out = capsys.readouterr().out
    assert "let op: za 25 nov 2023 is een zaterdag" in out
    added = seeded.exec(select(Deadline).where(Deadline.title == "Debat")).one()
    assert added.due_time == time(14, 0)
