"""The sync against the OData double: link, move, cancel, delete, replace, watch words,
commitments, paging, outage and hostile data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from tests.kamer_double import KamerDouble
from tracker.kamer import services as ks
from tracker.kamer.models import KamerActivity, KamerLink, KamerNotice, KamerSync
from tracker.kamer.sync import run_sync
from tracker.models import Deadline, Dossier, Event
from tracker.settings import Settings

AMS = ZoneInfo("Europe/Amsterdam")
NOV20 = datetime(2023, 11, 20, 10, 0, tzinfo=AMS)


def sync(engine, client, settings, now, **kw):
    return run_sync(engine=engine, client=client, settings=settings, now=now, **kw)


def notices(session: Session) -> list[KamerNotice]:
    session.expire_all()
    return list(session.exec(select(KamerNotice).order_by(KamerNotice.id)).all())


def test_link_before_the_sync_knows_the_activity_fills_the_time_on_the_next_pass(
        engine, session, settings, now, client, kamer: KamerDouble, debate: Deadline):
    kamer.activity("2023A07890", "MIRT", NOV20)
    link, activity, filled = ks.link_deadline(
        session=session, now=now, actor="U1", deadline=debate,
        ref="https://www.tweedekamer.nl/debat_en_vergadering/commissievergaderingen/details?id=2023A07890")
    session.commit()
    assert (link.nummer, link.activity_id, activity, filled) == ("2023A07890", None, None, [])
    report = sync(engine, client, settings, now)
    assert report.status == "ok", report
    session.expire_all()
    deadline = session.get(Deadline, debate.id)
    assert deadline.due_time == time(10, 0) and deadline.due_date == date(2023, 11, 20)
    assert session.get(KamerLink, debate.id).activity_id is not None
    assert notices(session) == []  # same date: nothing to tell


def test_a_moved_debate_moves_the_milestone_once_and_replans_its_reminders(
        engine, session, settings, now, client, kamer, debate):
    raw = kamer.activity("2023A07890", "MIRT", NOV20)
    sync(engine, client, settings, now)
    ks.link_deadline(session=session, now=now, actor="U1", deadline=debate, ref="2023A07890")
    session.commit()
    later = now + timedelta(hours=1)
    kamer.put("Activiteit", Id=raw["Id"], Datum="2023-11-27T00:00:00+01:00",
              Aanvangstijd="2023-11-27T14:00:00+01:00")
    for _ in range(3):  # the same change read again tells nobody twice
        assert sync(engine, client, settings, later).status == "ok"
    session.expire_all()
    deadline = session.get(Deadline, debate.id)
    assert (deadline.due_date, deadline.due_time) == (date(2023, 11, 27), time(14, 0))
    assert deadline.scheduled_at == later  # reminders owed before the move lapse
    [notice] = notices(session)
    assert (notice.kind, notice.before, notice.after, notice.channel) == (
        "moved", "20 nov 10:00", "27 nov 14:00", "C0N35")
    event = session.exec(select(Event).where(Event.deadline_id == debate.id,
                                             Event.kind == "deadline_moved")).one()
    # stored as every other move stores its dates (ISO); the display, with its year, is the text
    assert (event.before, event.after) == ("2023-11-20 10:00", "2023-11-27 14:00")
    assert event.text == "verzet door de Tweede Kamer: 20 nov 2023 10:00 → 27 nov 2023 14:00"
    assert event.actor == "tweedekamer"
    # a digest of the period, and of the one before it (which undoes the move), reads it
    from tracker.dates import parse_period
    from tracker.digest import build_digest
    from tracker.digest.markdown import render_markdown

    after = datetime(2024, 1, 2, 10, 0, tzinfo=AMS)
    for key in ("2023H1", "2023H2"):
        built = build_digest(session=session, period=parse_period(key, now=after, tz=AMS),
                             now=after, tz=AMS)
        md = render_markdown(built)
        assert "20 nov 10:" not in md
    assert ("mijlpaal verzet: Commissiedebat MIRT (verzet door de Tweede Kamer), van 20 november "
            "2023 10:00 naar 27 november 2023 14:00") in md
    assert md.count("verzet door de Tweede Kamer") == 1


def test_cancelled_and_deleted_activities_close_the_milestone_and_say_so(
        engine, session, settings, now, client, kamer, dossier, debate):
    from tracker.services import deadlines as dl

    other = dl.add_deadline(session=session, now=now, actor="U1", dossier=dossier,
                            title="BO MIRT Oost", due=date(2023, 11, 22), kind="debate")
    session.commit()
    a = kamer.activity("2023A00001", "MIRT", NOV20)
    b = kamer.activity("2023A00002", "BO MIRT Oost", NOV20 + timedelta(days=2))
    sync(engine, client, settings, now)
    ks.link_deadline(session=session, now=now, actor="U1", deadline=debate, ref="2023A00001")
    ks.link_deadline(session=session, now=now, actor="U1", deadline=other, ref="2023A00002")
    session.commit()
    kamer.put("Activiteit", Id=a["Id"], Status="Geannuleerd")
    kamer.delete("Activiteit", b["Id"])
    sync(engine, client, settings, now + timedelta(hours=1))
    session.expire_all()
    assert session.get(Deadline, debate.id).status == "cancelled"
    assert session.get(Deadline, other.id).status == "cancelled"
    assert sorted(n.kind for n in notices(session)) == ["cancelled", "deleted"]


def test_a_replacing_activity_takes_over_the_link_and_the_old_cancellation_closes_nothing(
        engine, session, settings, now, client, kamer, debate):
    old = kamer.activity("2023A00001", "MIRT", NOV20)
    sync(engine, client, settings, now)
    ks.link_deadline(session=session, now=now, actor="U1", deadline=debate, ref="2023A00001")
    session.commit()
    kamer.activity("2023A00009", "MIRT", NOV20 + timedelta(days=7), VervangenVanuit=old["Id"])
    kamer.put("Activiteit", Id=old["Id"], Status="Geannuleerd")
    sync(engine, client, settings, now + timedelta(hours=1))
    session.expire_all()
    deadline = session.get(Deadline, debate.id)
    assert deadline.status == "open" and deadline.due_date == date(2023, 11, 27)
    assert session.get(KamerLink, debate.id).nummer == "2023A00009"
    assert [n.kind for n in notices(session)] == ["replaced"]


def test_watch_words_suggest_new_debates_agenda_items_and_commitments_once(
        engine, session, settings, now, client, kamer, dossier):
    ks.add_watch_words(session=session, now=now, actor="U1", dossier=dossier,
                       words=["N35", "internationaal spoor"])
    session.commit()
    act = kamer.activity("2023A01111", "Wegen en verkeer: de N35-verbreding", NOV20)
    kamer.activity("2023A02222", "Spoor", NOV20)  # no word of ours
    kamer.put("Agendapunt", Activiteit_Id=act["Id"], Onderwerp="Brief over de N35")
    kamer.put("Agendapunt", Onderwerp="Het internationaal spoor naar Duitsland",
              Aanvangstijd="2023-12-01T10:00:00+01:00")
    kamer.put("Toezegging", Nummer="TZ202311-001", Tekst="De minister stuurt een brief over de N35.",
              Naam="Harbers", Ministerie="Infrastructuur en Waterstaat", Status="Openstaand",
              DatumNakoming="2024-03-31T00:00:00+02:00", ActiviteitNummer="2023A01111")
    kamer.put("Toezegging", Tekst="Iets over de N35", Status="Voldaan",
              DatumNakoming="2024-03-31T00:00:00+02:00")
    for _ in range(2):
        sync(engine, client, settings, now)
    found = notices(session)
    assert sorted((n.entity, n.kind) for n in found) == [
        ("Activiteit", "suggestion"), ("Agendapunt", "suggestion"), ("Toezegging", "suggestion")]
    commitment = next(n for n in found if n.entity == "Toezegging")
    deadline = ks.follow_suggestion(session=session, now=now, actor="U1", notice=commitment)
    assert (deadline.kind, deadline.due_date, deadline.role) == (
        "commitment", date(2024, 3, 31), "action")
    debate = ks.follow_suggestion(session=session, now=now, actor="U1",
                                  notice=next(n for n in found if n.entity == "Activiteit"))
    session.commit()
    assert (debate.due_date, debate.due_time) == (date(2023, 11, 20), time(10, 0))
    assert session.get(KamerLink, debate.id).nummer == "2023A01111"


def test_pages_are_followed_and_the_cursor_lives_in_the_database(
        engine, session, settings, now, client, kamer: KamerDouble, dossier):
    for i in range(600):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    report = sync(engine, client, settings, now)
    assert report.read["Activiteit"] == 600
    assert sum("skip=" in r for r in kamer.requests) == 2
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 600
    cursor = session.get(KamerSync, "Activiteit").cursor
    assert cursor is not None
    kamer.requests.clear()
    assert sync(engine, client, settings, now).read["Activiteit"] <= 1  # resumes at the cursor


def test_a_failing_source_changes_nothing_backs_off_and_is_remembered(
        engine, session, settings, now, client, kamer: KamerDouble, debate):
    kamer.activity("2023A00001", "MIRT", NOV20)
    kamer.fail_next("503", 3)
    report = sync(engine, client, settings, now)
    assert report.status == "failed" and "503" in report.error
    session.expire_all()
    assert session.exec(select(KamerActivity)).all() == []
    state = session.get(KamerSync, "pass")
    assert state.failures == 1 and state.last_success_at is None and state.lease_until is None
    assert sync(engine, client, settings, now + timedelta(seconds=5)).status == "waiting"
    assert sync(engine, client, settings, now + timedelta(minutes=2)).status == "ok"


def test_time_outs_garbage_and_cut_off_pages_are_failures_not_tracebacks(
        engine, session, settings, now, client, kamer: KamerDouble):
    for kind in ("timeout", "garbage", "partial", "shape"):
        kamer.activity(f"2023A0{len(kind)}000", "MIRT", NOV20)
        kamer.fail_next(kind, 3)
        report = sync(engine, client, settings, now, respect_backoff=False)
        assert report.status == "failed", (kind, report)
    session.expire_all()
    assert session.exec(select(KamerActivity)).all() == []


def test_a_page_cut_off_after_the_first_keeps_the_first_and_resumes(
        engine, session, settings, now, client, kamer: KamerDouble):
    for i in range(300):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    kamer.fail_next("ok-first", 0)
    # the first request succeeds; the second (the nextLink) is cut off three times running
    original = kamer.answer
    calls = {"n": 0}

    def answer(path, query):
        calls["n"] += 1
        if "$skip" in query:
            kamer.fail_next("partial")
        return original(path, query)

    kamer.answer = answer  # type: ignore[method-assign]
    assert sync(engine, client, settings, now).status == "failed"
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 250
    kamer.answer = original  # type: ignore[method-assign]
    assert sync(engine, client, settings, now, respect_backoff=False).status == "ok"
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 300


def test_hostile_records_are_stored_harmlessly_or_skipped(
        engine, session, settings, now, client, kamer: KamerDouble, dossier: Dossier):
    ks.add_watch_words(session=session, now=now, actor="U1", dossier=dossier, words=["MIRT"])
    session.commit()
    kamer.activity("2023A00001", "<script>alert(1)</script> MIRT <b>*vet*</b>", NOV20)
    kamer.activity("2023A00002", "MIRT " + "x" * 100_000, NOV20, Noot="y" * 100_000)
    kamer.activity("2023A00003", "MIRT", NOV20, Datum="9999-12-31T00:00:00+01:00",
                   Aanvangstijd="0001-01-01T00:00:00Z")
    kamer.activity("2023A00004", "MIRT", NOV20, Soort="Iets geheel nieuws")
    kamer.put("Activiteit", Id="not-a-guid", Onderwerp="MIRT")
    kamer.put("Activiteit", Onderwerp=["a", "list"])
    report = sync(engine, client, settings, now)
    assert report.status == "ok" and report.skipped == 3
    session.expire_all()
    stored = {a.nummer: a for a in session.exec(select(KamerActivity))}
    assert set(stored) == {"2023A00001", "2023A00002", "2023A00004"}
    assert len(stored["2023A00002"].onderwerp) == 1000
    assert stored["2023A00001"].onderwerp.startswith("<script>")  # escaped where it is shown
    assert stored["2023A00004"].soort == "Iets geheel nieuws"
    assert len(notices(session)) == 3


def test_a_dossier_without_channel_falls_back_to_the_default(
        engine, session, now, client, kamer, settings: Settings):
    from tracker.services import dossiers as ds

    plain = ds.create_dossier(session=session, now=now, actor=None, code="ZWM", title="Zwolle–Münster")
    ks.add_watch_words(session=session, now=now, actor="U1", dossier=plain, words=["Münster"])
    session.commit()
    kamer.activity("2023A00001", "Spoorlijn Zwolle–Munster", NOV20)
    sync(engine, client, settings.model_copy(update={"lobby_default_channel": "C0DEF"}), now)
    [notice] = notices(session)
    assert (notice.channel, notice.ledger_key) == ("C0DEF", f"kamer:{notice.key}:C0DEF")


def test_a_pass_that_loses_the_cursor_race_rolls_its_page_back(
        engine, session, settings, now, client, kamer: KamerDouble):
    from sqlalchemy import update

    for i in range(300):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    original = kamer.answer

    def answer(path, query):
        if "$skip" in query:  # another replica moves the cursor while page 2 is on its way
            with engine.begin() as conn:
                conn.execute(update(KamerSync).where(KamerSync.name == "Activiteit")
                             .values(version=KamerSync.version + 1))
        return original(path, query)

    kamer.answer = answer  # type: ignore[method-assign]
    report = sync(engine, client, settings, now)
    assert report.status == "conflict"
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 250  # page 2 rolled back whole
    state = session.get(KamerSync, "pass")
    assert state.last_success_at is None and state.lease_until is None and state.failures == 0
