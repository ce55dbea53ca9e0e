"""Backups: byte-identical after edits of every kind; every field of an import checked as the
commands check it, with file, row and field named, and nothing imported when anything is wrong."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest
from sqlmodel import Session, func, select

from tracker.db import make_engine
from tracker.errors import InvalidInput
from tracker.migrate import upgrade
from tracker.models import Dossier, Member, Programme, Role
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services.members import set_role
from tracker.services.programmes import set_programme_status
from tracker.services.refs import resolve_dossier
from tracker.transfer import export_json, import_json


@pytest.fixture
def empty(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'restore.db'}")
    upgrade(engine)
    with Session(engine) as target:
        yield target
    engine.dispose()


def _every_kind_of_edit(session: Session, now) -> None:
    later = now + timedelta(hours=1)
    n35 = resolve_dossier(session, "N35")
    ds.update_dossier(session=session, now=later, actor="U1", dossier=n35, goal="Nieuw doel",
                      funding_needed=5_000_000_000)
    ds.set_status(session=session, now=later, actor="U1", dossier=n35, rag="amber", reason="Motie")
    ds.add_note(session=session, now=later, actor="U1", dossier=n35, text="Notitie 🚆 <!channel>")
    ds.set_owner(session=session, now=later, actor="U1", dossier=n35, owner="U0ANNEKE")
    ds.set_channel(session=session, now=later, actor="U1", dossier=n35, channel="C0N35")
    new = ds.create_dossier(session=session, now=later, actor="U1", code="NEW", title="Nieuw")
    ds.archive_dossier(session=session, now=later, actor="U1", dossier=new)
    rough = dl.add_deadline(session=session, now=later, actor="U1", dossier=n35, title="Akkoord",
                            due=date(2024, 10, 1), precision="year", part="end", qualifier="vroegst")
    dl.add_deadline(session=session, now=later, actor="U1", dossier=n35, title="Maandelijks",
                    due=date(2023, 12, 1), rrule="FREQ=MONTHLY;COUNT=6", offsets=(3, 1))
    timed = dl.add_deadline(session=session, now=later, actor="U1", dossier=n35, title="Debat",
                            due=date(2023, 12, 5), due_time=time(14, 0))
    dl.move_deadline(session=session, now=later, actor="U1", deadline=timed,
                     due=date(2023, 12, 12), due_time=time(10, 30))
    dl.set_offsets(session=session, now=later, actor="U1", deadline=timed, offsets=(7, 1))
    dl.complete_deadline(session=session, now=later, actor="U1", deadline=rough)
    other = dl.add_deadline(session=session, now=later, actor="U1", dossier=n35, title="Weg",
                            due=date(2023, 12, 20))
    dl.cancel_deadline(session=session, now=later, actor="U1", deadline=other)
    programme = session.exec(select(Programme).order_by(Programme.id)).first()
    set_programme_status(session=session, now=later, actor="U1", programme=programme,
                         status="delayed", note="Vertraagd")
    set_role(session=session, now=later, actor="U1", user_id="U0ANNEKE", role=Role.EDITOR)
    session.commit()


def test_the_backup_is_byte_identical_after_edits_of_every_kind(seeded, now, empty):
    _every_kind_of_edit(seeded, now)
    first = export_json(seeded)
    assert max(row["version"] for row in json.loads(first)["tables"]["deadline"]) > 1
    assert max(row["version"] for row in json.loads(first)["tables"]["dossier"]) > 1
    import_json(empty, first)
    empty.commit()
    assert export_json(empty) == first
    assert empty.exec(select(func.count()).select_from(Member)).one() == 1


def _broken(payload: str, table: str, index: int, **changes) -> str:
    data = json.loads(payload)
    data["tables"][table][index].update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(("table", "changes", "says"), [
    ("dossier", {"funding_needed": "veel"}, "funding_needed: ‘veel’ is geen geheel getal"),
    ("dossier", {"funding_needed": -5}, "funding_needed: -5 moet 0 of meer zijn"),
    ("dossier", {"funding_secured": True}, "funding_secured: ‘True’ is geen geheel getal"),
    ("dossier", {"rag": "purple"}, "rag: ‘purple’ is geen van"),
    ("dossier", {"phase": "sleeping"}, "phase: ‘sleeping’ is geen van"),
    ("dossier", {"code": "Ｎ35X"}, "NFKC"),
    ("dossier", {"code": "N35\u200b", "code_folded": "n35\u200b"}, "onzichtbare tekens"),
    ("dossier", {"owner": "iemand"}, "owner: ‘iemand’ is geen Slack-gebruiker"),
    ("dossier", {"created_at": "2023-01-01T00:00:00"}, "mist de tijdzone"),
    ("dossier", {"title": None}, "title: mag niet leeg zijn"),
    ("dossier", {"colour": "blue"}, "colour: onbekend veld"),
    ("deadline", {"version": "x"}, "version: ‘x’ is geen geheel getal"),
    ("deadline", {"role": "boss"}, "role: ‘boss’ is geen van"),
    ("deadline", {"kind": "party"}, "kind: ‘party’ is geen van"),
    ("deadline", {"due_date": "9999-12-31"}, "jaar 9999 valt buiten 2000–2100"),
    ("deadline", {"due_date": "0001-01-01"}, "jaar 1 valt buiten 2000–2100"),
    ("deadline", {"due_date": "31-12-2023"}, "geen datum/tijd in ISO 8601"),
    ("deadline", {"rrule": "FREQ=SECONDLY"}, "FREQ=DAILY of trager"),
    ("deadline", {"offsets": "14,abc"}, "offsets:"),
    ("deadline", {"precision": "century"}, "precision: ‘century’ is geen van"),
    ("deadline", {"dossier_id": 999}, "dossier 999 bestaat niet in het bestand"),
    ("member", {"role": "king"}, "role: ‘king’ is geen van"),
])
def test_a_wrong_field_is_named_and_nothing_is_imported(seeded, now, empty, table, changes, says):
    _every_kind_of_edit(seeded, now)
    payload = _broken(export_json(seeded), table, 0, **changes)
    with pytest.raises(InvalidInput) as err:
        import_json(empty, payload, name="backup.json")
    assert "backup.json, tabel " + table in err.value.nl
    assert "rij 1" in err.value.nl and says in err.value.nl
    assert "Nothing imported" in err.value.en
    assert empty.exec(select(func.count()).select_from(Dossier)).one() == 0


def test_codes_that_cannot_be_told_apart_are_refused(seeded, empty):
    data = json.loads(export_json(seeded))
    data["tables"]["dossier"].append(dict(data["tables"]["dossier"][0], id=999))
    with pytest.raises(InvalidInput) as err:
        import_json(empty, json.dumps(data), name="b.json")
    assert "niet te onderscheiden" in err.value.nl


@pytest.mark.parametrize(("version", "says"), [
    (2, "formaatversie 2"), (99, "formaatversie 99"), ("x", "onbekende exportversie"),
    (None, "onbekende exportversie"), (0, "onbekende exportversie")])
def test_a_newer_or_unknown_format_is_refused_by_name(seeded, empty, version, says):
    data = json.loads(export_json(seeded))
    data["version"] = version
    with pytest.raises(InvalidInput) as err:
        import_json(empty, json.dumps(data), name="nieuw.json")
    assert "nieuw.json" in err.value.nl and says in err.value.nl
    assert empty.exec(select(func.count()).select_from(Dossier)).one() == 0


def test_an_older_export_without_new_fields_gets_their_defaults(seeded, empty):
    data = json.loads(export_json(seeded))
    for row in data["tables"]["deadline"]:
        row.pop("due_part")
    import_json(empty, json.dumps(data))
    assert empty.exec(select(func.count()).select_from(Dossier)).one() == 8
