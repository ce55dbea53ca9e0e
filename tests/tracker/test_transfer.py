"""Export/import: a lossless JSON round trip, CSV for spreadsheets, a valid iCalendar."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from icalendar import Calendar
from sqlmodel import Session, func, select

from tracker.db import make_engine
from tracker.errors import InvalidInput
from tracker.migrate import upgrade
from tracker.models import Deadline
from tracker.services.dossiers import add_note
from tracker.services.refs import resolve_dossier
from tracker.transfer import build_ics, export_csv, export_json, import_csv, import_json


def test_json_round_trip_is_lossless(seeded, now, tmp_path):
    add_note(session=seeded, now=now, actor="U1", dossier=resolve_dossier(seeded, "N35"),
             text="Notitie met émoji 🚆 en ‘aanhalingstekens’ en <!channel>")
    seeded.commit()
    first = export_json(seeded)
    engine = make_engine(f"sqlite:///{tmp_path / 'restore.db'}")
    upgrade(engine)
    with Session(engine) as target:
        count = import_json(target, first)
        target.commit()
        assert count == sum(len(rows) for rows in json.loads(first)["tables"].values())
        assert export_json(target) == first
        with pytest.raises(InvalidInput):  # never over existing data
            import_json(target, first)
    engine.dispose()


def test_json_import_rejects_garbage(session):
    for payload in ("", "{", "[]", '{"format": "iets"}'):
        with pytest.raises(InvalidInput):
            import_json(session, payload)


def test_csv_export_and_import(seeded, now):
    text = export_csv(seeded)
    rows = list(csv.DictReader(io.StringIO(text)))
    total = seeded.exec(select(func.count()).select_from(Deadline)).one()
    assert len(rows) == total
    assert any(r["dossier"] == "N35" and r["title"] == "Kamerdebat MIRT" for r in rows)
    assert import_csv(seeded, text, now=now, actor="cli") == 0  # everything is there already
    extra = "dossier,title,due_date,kind\nN35,Gesprek gedeputeerde,2024-02-01,meeting\n"
    assert import_csv(seeded, extra, now=now, actor="cli") == 1
    with pytest.raises(InvalidInput) as err:
        import_csv(seeded, "dossier,title,due_date\nXXX,Iets,2024-13-01\n", now=now, actor="cli")
    assert "regel 2" in err.value.nl
    with pytest.raises(InvalidInput):
        import_csv(seeded, "a,b\n1,2\n", now=now, actor="cli")


def test_ics_has_one_event_per_deadline_with_stable_uid(seeded):
    payload = build_ics(seeded)
    calendar = Calendar.from_ical(payload)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    total = seeded.exec(select(func.count()).select_from(Deadline)).one()
    assert len(events) == total
    debate = next(e for e in events if str(e["summary"]) == "[N35] Kamerdebat MIRT")
    assert debate.decoded("dtstart") == date(2023, 11, 20)  # all-day: a date, not a datetime
    assert str(debate["uid"]).startswith("deadline-")
    assert build_ics(seeded) .count(b"UID:") == total
    assert Calendar.from_ical(build_ics(seeded)).walk("VEVENT")[0]["uid"] == events[0]["uid"]
