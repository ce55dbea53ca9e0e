"""Services: every change writes an Event, stale edits raise Conflict, bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, func, select

from tests.conftest import AMS
from tracker.errors import Ambiguous, Conflict, Forbidden, InvalidInput, NotFound
from tracker.models import Deadline, Dossier, Event, Role
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services import members, programmes
from tracker.services.refs import get_deadline, resolve_dossier, resolve_programme


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def n35(session, now) -> Dossier:
    dossier = ds.create_dossier(session=session, now=now, actor="U1", code="N35",
                                title="N35 Wijthmen–Nijverdal", line="ruimtelijke-ontwikkeling")
    ds.create_dossier(session=session, now=now, actor="U1", code="ZWM",
                      title="Bestaand spoor Zwolle–Meppel")
    ds.create_dossier(session=session, now=now, actor="U1", code="ZTM",
                      title="Spoor Zwolle–Twente–Münster")
    session.commit()
    return dossier


def test_create_records_an_event_and_rejects_duplicates(session, now, n35):
    assert n35.version == 1 and n35.rag == "green"
    events = session.exec(select(Event).where(Event.dossier_id == n35.id)).all()
    assert [e.kind for e in events] == ["dossier_created"]
    with pytest.raises(Conflict):
        ds.create_dossier(session=session, now=now, actor="U1", code="n35", title="dubbel")
    for code in ("", "met spatie", "x" * 21, "<!channel>"):
        with pytest.raises(InvalidInput):
            ds.create_dossier(session=session, now=now, actor="U1", code=code, title="t")


def test_status_needs_a_reason_and_is_recorded_before_after(session, now, n35):
    with pytest.raises(InvalidInput):
        ds.set_status(session=session, now=now, actor="U1", dossier=n35, rag="rood", reason="  ")
    with pytest.raises(InvalidInput):
        ds.set_status(session=session, now=now, actor="U1", dossier=n35, rag="paars", reason="x")
    later = now + timedelta(days=1)
    ds.set_status(session=session, now=later, actor="U1", dossier=n35, rag="rood",
                  reason="MIRT-brief pauzeert het project")
    session.commit()
    event = session.exec(select(Event).where(Event.kind == "status")).one()
    assert (event.before, event.after, event.text) == ("green", "red", "MIRT-brief pauzeert het project")
    assert n35.rag_since == later and n35.rag_since.tzinfo is not None
    assert n35.version == 2


def test_stale_version_raises_conflict_and_keeps_the_first_change(session, engine, now, n35):
    with pytest.raises(Conflict):
        ds.set_status(session=session, now=now, actor="U2", dossier=n35, rag="red", reason="x",
                      expected_version=n35.version - 1 if n35.version > 1 else 99)
    # Two sessions editing the same record: the second flush loses, nobody's change is lost silently.
    with Session(engine) as first, Session(engine) as second:
        a = first.get(Dossier, n35.id)
        b = second.get(Dossier, n35.id)
        ds.set_status(session=first, now=now, actor="U1", dossier=a, rag="amber", reason="eerste")
        first.commit()
        with pytest.raises(Conflict):
            ds.set_status(session=second, now=now, actor="U2", dossier=b, rag="red", reason="tweede")
        second.rollback()
    session.expire_all()
    assert session.get(Dossier, n35.id).rag_reason == "eerste"


def test_resolve_by_code_title_words_diacritics_and_dashes(session, n35):
    assert resolve_dossier(session, "n35").code == "N35"
    assert resolve_dossier(session, "zwolle meppel").code == "ZWM"
    assert resolve_dossier(session, "munster").code == "ZTM"
    assert resolve_dossier(session, "Zwolle–Twente").code == "ZTM"
    with pytest.raises(Ambiguous) as err:
        resolve_dossier(session, "zwolle")
    assert len(err.value.candidates) == 2
    with pytest.raises(NotFound) as missing:
        resolve_dossier(session, "N53")
    assert missing.value.suggestion == "N35"
    with pytest.raises(InvalidInput):
        resolve_dossier(session, "  ")


def test_a_misspelt_title_word_suggests_its_dossier(session, n35):
    """Not only a misspelt code or whole title: one word of a title, misspelt, names the one
    dossier that has it; a word several titles share suggests none of them."""
    from tracker.services.refs import find_dossier

    for typed, code in (("munstr", "ZTM"), ("muenster", "ZTM"), ("N53", "N35")):
        with pytest.raises(NotFound) as missing:
            find_dossier(session, typed)
        assert missing.value.suggestion == code, typed
    with pytest.raises(NotFound) as missing:
        find_dossier(session, "xyzzy")
    assert missing.value.suggestion is None


def test_deadline_lifecycle(session, now, n35):
    deadline = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35,
                               title="Kamerdebat MIRT", due=date(2023, 11, 20))
    assert deadline.kind == "debate" and dl.offsets_for(deadline) == (14, 7, 1)
    assert deadline.scheduled_at == now
    moved_at = now + timedelta(hours=1)
    dl.move_deadline(session=session, now=moved_at, actor="U1", deadline=deadline,
                     due=date(2023, 11, 27))
    assert deadline.scheduled_at == moved_at
    dl.set_offsets(session=session, now=now, actor="U1", deadline=deadline, offsets=(3, 1))
    assert dl.offsets_for(deadline) == (3, 1)
    dl.complete_deadline(session=session, now=now, actor="U1", deadline=deadline)
    with pytest.raises(InvalidInput):
        dl.complete_deadline(session=session, now=now, actor="U1", deadline=deadline)
    with pytest.raises(InvalidInput):
        dl.move_deadline(session=session, now=now, actor="U1", deadline=deadline, due=date(2024, 1, 1))
    session.commit()
    kinds = [e.kind for e in session.exec(select(Event).where(Event.deadline_id == deadline.id)
                                          .order_by(Event.id))]
    assert kinds == ["deadline_added", "deadline_moved", "deadline_reminders", "deadline_done"]
    moved = session.exec(select(Event).where(Event.kind == "deadline_moved")).one()
    assert (moved.before, moved.after) == ("2023-11-20", "2023-11-27")


def test_kind_is_guessed_from_the_title():
    assert dl.guess_kind("Kamerdebat MIRT") == "debate"
    assert dl.guess_kind("Werkbezoek minister Harbers") == "visit"
    assert dl.guess_kind("Deadline Regio Deal 5e tranche") == "submission"
    assert dl.guess_kind("BO MIRT Noord") == "meeting"
    assert dl.guess_kind("Tweede Kamerverkiezingen") == "election"
    assert dl.guess_kind("Iets anders") == "other"


def test_upcoming_lists_overdue_first_and_recurring_occurrences(session, now, n35):
    today = now.astimezone(AMS).date()
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Te laat",
                    due=today - timedelta(days=2))
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Volgende week",
                    due=today + timedelta(days=7))
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Maandoverleg",
                    due=date(2023, 1, 1), rrule="FREQ=MONTHLY;BYMONTHDAY=1")
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Ver weg",
                    due=today + timedelta(days=90))
    items = dl.list_upcoming(session=session, now=now, tz=AMS, until=today + timedelta(days=30))
    assert [(i.deadline.title, i.overdue) for i in items] == [
        ("Te laat", True), ("Volgende week", False), ("Maandoverleg", False)]
    assert items[2].due == date(2023, 12, 1)
    with pytest.raises(InvalidInput):
        dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="x",
                        due=today, rrule="FREQ=SOMETIMES")


def test_an_event_past_its_date_has_taken_place_and_leaves_the_list(session, now, n35):
    """DESIGN: after its date an event has taken place; only actions become overdue. The list
    (`/deadline list`, as the App Home and the agenda) shows what is coming and the overdue
    actions, not a debate of two days ago as if it were still open."""
    today = now.astimezone(AMS).date()
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Kamerdebat MIRT",
                    kind="debate", due=today - timedelta(days=2))
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Zienswijze",
                    kind="submission", due=today - timedelta(days=2))
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Werkbezoek",
                    kind="visit", due=today)
    items = dl.list_upcoming(session=session, now=now, tz=AMS, until=today + timedelta(days=30))
    assert {i.deadline.title: i.overdue for i in items} == {"Zienswijze": True,
                                                            "Werkbezoek": False}
    page, total = dl.upcoming_page(session=session, now=now, tz=AMS, limit=1,
                                   until=today + timedelta(days=30))
    assert [i.deadline.title for i in page] == ["Zienswijze"] and total == 2


def test_upcoming_page_shows_the_first_and_counts_every_open_one(session, now, n35):
    """The page is cut in SQL; the count leaves out closed dossiers and adds the occurrences
    of recurring deadlines, for every window and for one dossier."""
    today = now.astimezone(AMS).date()
    zwm = resolve_dossier(session, "ZWM")
    ztm = resolve_dossier(session, "ZTM")
    for dossier, days in ((n35, range(-3, 12)), (zwm, range(0, 20, 2)), (ztm, range(-1, 5))):
        for day in days:
            dl.add_deadline(session=session, now=now, actor="U1", dossier=dossier,
                            title=f"{dossier.code} dag {day}", due=today + timedelta(days=day))
    done = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Klaar",
                           due=today + timedelta(days=1))
    dl.complete_deadline(session=session, now=now, actor="U1", deadline=done)
    dl.add_deadline(session=session, now=now, actor="U1", dossier=zwm, title="Wekelijks",
                    due=today, rrule="FREQ=WEEKLY")
    ds.archive_dossier(session=session, now=now, actor="U1", dossier=ztm)
    session.flush()
    until = today + timedelta(days=13)

    def page(**options):
        items, total = dl.upcoming_page(session=session, now=now, tz=AMS, until=until, **options)
        return [(i.deadline.title, i.due) for i in items], total

    everything, total = page()
    # N35: 15 dated (3 overdue); ZWM: 7 dated up to day 13 and 2 weekly occurrences; ZTM closed
    assert total == len(everything) == 15 + 7 + 2
    assert everything[:3] == [(f"N35 dag {d}", today + timedelta(days=d)) for d in (-3, -2, -1)]
    assert [due for _, due in everything] == sorted(due for _, due in everything)
    first, first_total = page(limit=5)
    assert (first, first_total) == (everything[:5], total)
    overdue, overdue_total = page(only_overdue=True, limit=2)
    assert (len(overdue), overdue_total) == (2, 3)
    coming, coming_total = page(include_overdue=False, limit=4)
    assert (coming, coming_total) == (everything[3:7], total - 3)
    own, own_total = page(dossier=zwm, limit=3)
    assert own_total == 9 and [t for t, _ in own] == ["ZWM dag 0", "Wekelijks", "ZWM dag 2"]
    closed, closed_total = page(dossier=ztm, limit=3)
    assert (closed, closed_total) == ([], 0)


def test_bad_input_writes_nothing(session, now, n35):
    before = (_count(session, Event), _count(session, Deadline))
    for title in ("", " ", "x" * 201):
        with pytest.raises(InvalidInput):
            dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title=title,
                            due=date(2023, 12, 1))
    with pytest.raises(InvalidInput):
        ds.add_note(session=session, now=now, actor="U1", dossier=n35, text="x" * 4001)
    with pytest.raises(NotFound):
        get_deadline(session, 999999)
    session.rollback()
    assert (_count(session, Event), _count(session, Deadline)) == before


def test_roles(session, now):
    assert members.role_of(session, "U9") == Role.VIEWER
    assert members.role_of(session, "UADMIN", {"UADMIN"}) == Role.ADMIN
    with pytest.raises(Forbidden) as err:
        members.require_role(session, "U9", Role.EDITOR)
    assert "editor" in err.value.nl
    members.set_role(session=session, now=now, actor="UADMIN", user_id="U0EDITOR", role=Role.EDITOR)
    members.require_role(session, "U0EDITOR", Role.EDITOR)
    with pytest.raises(Forbidden):
        members.require_role(session, "U0EDITOR", Role.ADMIN)
    members.remove_member(session=session, now=now, actor="UADMIN", user_id="U0EDITOR")
    assert members.role_of(session, "U0EDITOR") == Role.VIEWER


def test_programme_status(session, now, n35):
    from tracker.models import Programme

    session.add(Programme(name="Groei Vooruit", name_folded="groei vooruit", updated_at=now))
    session.flush()
    programme = resolve_programme(session, "groei")
    programmes.set_programme_status(session=session, now=now, actor="U1", programme=programme,
                                    status="vertraagd", note="Minder aanmeldingen")
    assert programme.status == "delayed" and programme.note == "Minder aanmeldingen"
    with pytest.raises(InvalidInput):
        programmes.set_programme_status(session=session, now=now, actor="U1",
                                        programme=programme, status="kapot")
    with pytest.raises(NotFound):
        resolve_programme(session, "bestaat niet")


def test_dossier_pages_are_cut_in_sql_and_count_every_match(session, now):
    for i in range(230):
        ds.create_dossier(session=session, now=now, actor="U1", code=f"D{i:03d}",
                          title=f"Dossier {i}")
    session.flush()
    ds.set_status(session=session, now=now, actor="U1", dossier=resolve_dossier(session, "D007"),
                  rag="rood", reason="test")
    first, total = ds.page_dossiers(session=session, per_page=100)
    assert total == 230
    assert [d.code for d in first[:2]] == ["D000", "D001"]
    last, _ = ds.page_dossiers(session=session, page=2, per_page=100)
    assert [d.code for d in last] == [f"D{i:03d}" for i in range(200, 230)]
    beyond, _ = ds.page_dossiers(session=session, page=99, per_page=100)
    assert beyond == last  # clamped to the last page
    red, red_total = ds.page_dossiers(session=session, filter_text="rood")
    assert ([d.code for d in red], red_total) == (["D007"], 1)
    words, words_total = ds.page_dossiers(session=session, filter_text="dossier 12", per_page=5)
    assert words_total == 13  # words are substrings: 12, 112, 120–129, 212
    assert len(words) == 5


def test_milestone_role_defaults_by_kind_and_can_be_given(session, now, n35):
    debate = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35,
                             title="Kamerdebat MIRT", due=date(2023, 11, 20))
    letter = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35,
                             title="Lobbybrief indienen", due=date(2023, 11, 21))
    ours = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Werkbezoek",
                           due=date(2023, 11, 22), role="action", owner="U2")
    assert (debate.role, letter.role, ours.role) == ("event", "action", "action")
    assert (debate.owner, ours.owner) == (None, "U2")
    with pytest.raises(InvalidInput):
        dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="X",
                        due=date(2023, 11, 23), role="party")


def test_an_added_milestone_is_written_at_once_and_stays_in_the_session(session, now, n35):
    """add_deadline writes its row and its history entry past the ORM's flush
    (tracker.services.common.insert_entity): the milestone must still be the session's own,
    so a change to it in the same unit of work is saved, with its version."""
    deadline = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35,
                               title="Overleg gedeputeerde", due=date(2023, 12, 20))
    assert deadline.id is not None and deadline in session
    assert session.get(Deadline, deadline.id) is deadline  # the same object, not a copy
    moved = dl.move_deadline(session=session, now=now, actor="U1", deadline=deadline,
                             due=date(2024, 1, 10), expected_version=1)
    session.commit()
    with Session(session.get_bind()) as other:
        row = other.get(Deadline, deadline.id)
        assert (row.due_date, row.version, row.title) == (date(2024, 1, 10), 2,
                                                          "Overleg gedeputeerde")
        kinds = other.exec(select(Event.kind, Event.after).where(Event.deadline_id == deadline.id)
                           .order_by(Event.id)).all()
    assert moved is deadline
    assert kinds == [("deadline_added", "2023-12-20"), ("deadline_moved", "2024-01-10")]


def test_an_edit_of_several_fields_is_one_version_and_one_update(session, now, n35):
    """History entries wait for the session's flush: writing each at once would flush the edit
    field by field, one version (and one UPDATE) per field."""
    from sqlalchemy import event as sa_event

    updates: list[str] = []
    engine = session.get_bind()
    listener = lambda *a: updates.append(a[2]) if a[2].startswith("UPDATE dossier") else None  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        ds.update_dossier(session=session, now=now, actor="U1", dossier=n35, expected_version=1,
                          title="N35 Wijthmen–Nijverdal (A)", summary="Verdubbeling",
                          goal="Tracébesluit in 2025")
        session.commit()
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    assert n35.version == 2 and len(updates) == 1
    assert _count(session, Event) >= 4  # created, and one entry per field


def test_a_milestone_rolled_back_leaves_the_session(session, now, n35):
    """A row written past the ORM's flush (insert_entity) is taken out of the session by a
    rollback of its transaction or savepoint, as a flushed one is: its id can be handed out
    again, and the next add must not collide with a ghost."""
    ghost = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Spook",
                            due=date(2023, 12, 20))
    session.rollback()
    assert ghost not in session
    with session.begin_nested():
        inner = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35,
                                title="Binnen", due=date(2023, 12, 21))
        session.get_nested_transaction().rollback()
    assert inner not in session
    kept = dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Blijft",
                           due=date(2023, 12, 22))
    session.commit()
    titles = session.exec(select(Deadline.title).where(Deadline.dossier_id == n35.id)).all()
    assert "Blijft" in titles and "Spook" not in titles and "Binnen" not in titles
    assert kept in session


def test_a_page_stops_at_its_horizon(session, now, n35):
    """A page reads from today on in date order (without its end, for PostgreSQL's plans) and
    leaves out what lies past `until`: the count and the page agree, for every window."""
    today = now.astimezone(AMS).date()
    for days, title in ((1, "Binnen"), (5, "Grens"), (6, "Erna"), (40, "Later")):
        dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title=title,
                        kind="submission", due=today + timedelta(days=days))
    dl.add_deadline(session=session, now=now, actor="U1", dossier=n35, title="Te laat",
                    kind="submission", due=today - timedelta(days=3))
    until = today + timedelta(days=5)
    for kw, expected in (({}, ["Te laat", "Binnen", "Grens"]),
                         ({"include_overdue": False}, ["Binnen", "Grens"])):
        for limit in (1, 2, 3, 50, None):
            page, total = dl.upcoming_page(session=session, now=now, tz=AMS, until=until,
                                           limit=limit, **kw)
            assert [i.deadline.title for i in page] == expected[:limit], (kw, limit)
            assert total == len(expected), (kw, limit)
