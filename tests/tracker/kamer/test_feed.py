"""The sync reading the SyncFeed (Atom, skiptoken) of the local double: paging and resume after a
restart, a first pass that seeks a week back, deletions, a moved debate told once, failures that
change nothing, a cursor race, and hostile XML."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from tests.kamer_double import KamerDouble
from tracker.db import make_engine
from tracker.kamer import feed as feed_module
from tracker.kamer import services as ks
from tracker.kamer.client import Activity, AgendaItem, Commitment, KamerClient, SourceError
from tracker.kamer.feed import FeedClient, _FeedParser, read_page
from tracker.kamer.models import KamerActivity, KamerNotice, KamerSync
from tracker.kamer.sync import run_sync
from tracker.models import Deadline, Dossier, Event

AMS = ZoneInfo("Europe/Amsterdam")
NOV20 = datetime(2023, 11, 20, 10, 0, tzinfo=AMS)
ROW = "feed:Activiteit"


@pytest.fixture
def feed(kamer: KamerDouble) -> Iterator[FeedClient]:
    """A real SyncFeed client on the double; retries do not sleep, time-outs are short."""
    with FeedClient(kamer.feed_url, sleep=lambda s: None,
                    timeout=httpx.Timeout(0.5, connect=0.5)) as fc:
        yield fc


def sync(engine, client, feed, settings, now, **kw):
    return run_sync(engine=engine, client=client, feed=feed, settings=settings, now=now, **kw)


def notices(session: Session) -> list[KamerNotice]:
    session.expire_all()
    return list(session.exec(select(KamerNotice).order_by(KamerNotice.id)).all())


def token(session: Session) -> int | None:
    session.expire_all()
    return session.get(KamerSync, ROW).skiptoken


def linked_debate(engine, session, settings, now, client, feed, kamer, debate) -> dict:
    """Activity 2023A07890, read by a first pass, then linked to the debate milestone."""
    raw = kamer.activity("2023A07890", "MIRT", NOV20)
    sync(engine, client, feed, settings, now)
    ks.link_deadline(session=session, now=now, actor="U1", deadline=debate, ref="2023A07890")
    session.commit()
    return raw


def feed_requests(kamer: KamerDouble) -> list[str]:
    return [r for r in kamer.requests if r.startswith("/SyncFeed/") and "Activiteit" in r]


def test_pages_follow_the_skiptoken_which_lives_in_the_database_and_a_restart_resumes(
        db_url, session, settings, now, client, feed, kamer: KamerDouble):
    for i in range(600):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    engine = make_engine(db_url)
    report = sync(engine, client, feed, settings, now)
    engine.dispose()
    assert report.status == "ok" and report.read["Activiteit"] == 600
    # the seek's probe (all of it is new), three pages of 250, 250 and 100, and one that says
    # there is no more
    start = "/SyncFeed/2.0/Feed?category=Activiteit"
    assert [r.split("skiptoken=")[-1] for r in feed_requests(kamer)] == [
        start, start, "250", "500", "600"]
    assert token(session) == 600 and len(session.exec(select(KamerActivity)).all()) == 600
    kamer.activity("2023A99999", "Nieuw debat", NOV20)
    kamer.requests.clear()
    engine = make_engine(db_url)  # a restarted process: a new engine, a new client
    with FeedClient(kamer.feed_url, sleep=lambda s: None) as again:
        report = sync(engine, client, again, settings, now + timedelta(minutes=30))
    engine.dispose()
    assert report.read["Activiteit"] == 1
    assert feed_requests(kamer)[0].endswith("skiptoken=600") and token(session) == 601


def test_a_first_pass_seeks_a_week_back_instead_of_reading_the_archive(
        engine, session, settings, now, client, feed, kamer: KamerDouble):
    kamer.set_clock(datetime(2023, 9, 1, 8, 0, tzinfo=UTC))
    for i in range(900):  # the archive: months old
        kamer.activity(f"2023A{i:05d}", f"Oud debat {i}", NOV20)
    kamer.set_clock(datetime(2023, 11, 14, 8, 0, tzinfo=UTC))
    for i in range(5):
        kamer.activity(f"2023A1{i:04d}", f"Debat {i}", NOV20)
    report = sync(engine, client, feed, settings, now)
    assert report.status == "ok" and report.read["Activiteit"] == 5
    assert len(feed_requests(kamer)) < 15  # galloping and halving over 905 changes
    assert token(session) == 905
    kamer.requests.clear()
    sync(engine, client, feed, settings, now + timedelta(minutes=30))  # the start was stored
    assert [r.split("skiptoken=")[-1] for r in feed_requests(kamer)] == ["905"]


def test_a_moved_debate_moves_the_milestone_once_however_often_the_feed_is_read(
        engine, session, settings, now, client, feed, kamer, debate: Deadline):
    raw = linked_debate(engine, session, settings, now, client, feed, kamer, debate)
    later = now + timedelta(hours=1)
    kamer.put("Activiteit", Id=raw["Id"], Datum="2023-11-27T00:00:00+01:00",
              Aanvangstijd="2023-11-27T14:00:00+01:00")
    for _ in range(2):
        assert sync(engine, client, feed, settings, later).status == "ok"
    with engine.begin() as conn:  # the whole feed read again from the start
        conn.execute(update(KamerSync).where(KamerSync.name == ROW).values(skiptoken=0))
    assert sync(engine, client, feed, settings, later).read["Activiteit"] == 1
    session.expire_all()
    deadline = session.get(Deadline, debate.id)
    assert (deadline.due_date, deadline.due_time) == (date(2023, 11, 27), time(14, 0))
    [notice] = notices(session)
    assert (notice.kind, notice.before, notice.after) == ("moved", "20 nov 10:00", "27 nov 14:00")
    assert len(session.exec(select(Event).where(Event.deadline_id == debate.id,
                                                Event.kind == "deadline_moved")).all()) == 1


def test_a_deleted_activity_cancels_its_milestone_and_keeps_what_we_knew(
        engine, session, settings, now, client, feed, kamer, debate: Deadline):
    raw = linked_debate(engine, session, settings, now, client, feed, kamer, debate)
    kamer.delete("Activiteit", raw["Id"])  # the feed's entry: the bare element, verwijderd=true
    assert sync(engine, client, feed, settings, now + timedelta(hours=1)).status == "ok"
    session.expire_all()
    assert session.get(Deadline, debate.id).status == "cancelled"
    [notice] = notices(session)
    assert (notice.kind, notice.nummer) == ("deleted", "2023A07890")
    stored = session.get(KamerActivity, raw["Id"])
    assert stored.verwijderd and (stored.nummer, stored.onderwerp) == ("2023A07890", "MIRT")


def test_agenda_items_and_commitments_come_through_the_feed_as_suggestions(
        engine, session, settings, now, client, feed, kamer, dossier: Dossier):
    ks.add_watch_words(session=session, now=now, actor="U1", dossier=dossier, words=["N35"])
    session.commit()
    act = kamer.activity("2023A01111", "Wegen en verkeer", NOV20)
    kamer.put("Agendapunt", Activiteit_Id=act["Id"], Onderwerp="Brief over de N35")
    kamer.put("Toezegging", Nummer="TZ202311-001", Tekst="Een brief over de N35.",
              Naam="Harbers", Ministerie="IenW", Status="Openstaand",
              DatumNakoming="2024-03-31T00:00:00+02:00", ActiviteitNummer="2023A01111")
    report = sync(engine, client, feed, settings, now)
    assert report.read == {"Activiteit": 1, "Agendapunt": 1, "Toezegging": 1}
    found = {n.entity: n for n in notices(session)}
    assert set(found) == {"Agendapunt", "Toezegging"}
    assert found["Agendapunt"].activity_id == act["Id"]
    assert (found["Toezegging"].due_date, found["Toezegging"].nummer) == (
        date(2024, 3, 31), "2023A01111")


@pytest.mark.parametrize("kind", ["503", "timeout", "garbage", "partial", "shape", "entities"])
def test_a_failing_feed_changes_nothing_backs_off_and_is_remembered(
        engine, session, settings, now, client, feed, kamer: KamerDouble, kind):
    sync(engine, client, feed, settings, now)  # the start is stored: an empty feed
    kamer.activity("2023A00001", "MIRT", NOV20)
    kamer.fail_next(kind, 3 if kind in ("503", "timeout") else 1)  # those are tried three times
    report = sync(engine, client, feed, settings, now + timedelta(minutes=1))
    assert report.status == "failed", report
    session.expire_all()
    assert session.exec(select(KamerActivity)).all() == [] and token(session) == 0
    state = session.get(KamerSync, "pass")
    assert state.failures == 1 and state.last_error == report.error
    if kind == "entities":
        assert "DOCTYPE" in report.error
    assert sync(engine, client, feed, settings, now + timedelta(minutes=1, seconds=5)
                ).status == "waiting"
    assert sync(engine, client, feed, settings, now + timedelta(minutes=3)).status == "ok"
    assert token(session) == 1


def test_a_page_cut_off_after_the_first_keeps_the_first_and_resumes_after_it(
        engine, session, settings, now, client, feed, kamer: KamerDouble):
    for i in range(300):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    original = kamer.answer

    def answer(path, query):
        if query.get("skiptoken") == ["250"]:
            kamer.fail_next("partial")
        return original(path, query)

    kamer.answer = answer  # type: ignore[method-assign]
    assert sync(engine, client, feed, settings, now).status == "failed"
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 250 and token(session) == 250
    kamer.answer = original  # type: ignore[method-assign]
    assert sync(engine, client, feed, settings, now, respect_backoff=False).read == {
        "Activiteit": 50, "Agendapunt": 0, "Toezegging": 0}
    assert token(session) == 300


def test_a_pass_that_loses_the_skiptoken_race_rolls_its_page_back(
        engine, session, settings, now, client, feed, kamer: KamerDouble):
    sync(engine, client, feed, settings, now)
    for i in range(300):
        kamer.activity(f"2023A{i:05d}", f"Debat {i}", NOV20)
    original = kamer.answer

    def answer(path, query):
        if query.get("skiptoken") == ["250"]:  # another replica moves the cursor meanwhile
            with engine.begin() as conn:
                conn.execute(update(KamerSync).where(KamerSync.name == ROW)
                             .values(version=KamerSync.version + 1))
        return original(path, query)

    kamer.answer = answer  # type: ignore[method-assign]
    assert sync(engine, client, feed, settings, now).status == "conflict"
    session.expire_all()
    assert len(session.exec(select(KamerActivity)).all()) == 250 and token(session) == 250


def test_hostile_entities_are_stored_harmlessly_or_skipped(
        engine, session, settings, now, client, feed, kamer: KamerDouble, dossier: Dossier):
    ks.add_watch_words(session=session, now=now, actor="U1", dossier=dossier, words=["MIRT"])
    session.commit()
    kamer.activity("2023A00001", "<script>alert(1)</script> MIRT &amp; <b>*vet*</b>", NOV20)
    kamer.activity("2023A00002", "MIRT " + "x" * 100_000, NOV20, Noot="y" * 100_000)
    kamer.activity("2023A00003", "MIRT", NOV20, Datum="9999-12-31T00:00:00+01:00")
    kamer.activity("2023A00005", "MIRT", NOV20, Aanvangstijd="0001-01-01T00:00:00")
    kamer.activity("2023A00004", "MIRT", NOV20, Soort="Iets geheel nieuws")
    kamer.put("Activiteit", Id="not-a-guid", Onderwerp="MIRT")
    report = sync(engine, client, feed, settings, now)
    assert report.status == "ok" and report.skipped == 3
    session.expire_all()
    stored = {a.nummer: a for a in session.exec(select(KamerActivity))}
    assert set(stored) == {"2023A00001", "2023A00002", "2023A00004"}
    assert len(stored["2023A00002"].onderwerp) == 1000 and len(stored["2023A00002"].noot) == 1000
    assert stored["2023A00001"].onderwerp == "<script>alert(1)</script> MIRT &amp; <b>*vet*</b>"
    assert stored["2023A00004"].soort == "Iets geheel nieuws"
    assert len(notices(session)) == 3


# --- the documented layout, read without the double ----------------------------------------

PAGE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <title>Gegevensmagazijn SyncFeed (category: Activiteit)</title>
 <link rel="self" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken=100&amp;category=Activiteit"/>
 <link rel="next" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken=175&amp;category=Activiteit"/>
 <updated>2023-11-15T10:00:00.1234567+01:00</updated>
 <entry>
  <title>0b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c</title>
  <id>https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Entiteiten/0b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c</id>
  <updated>2023-11-15T08:12:13.1234567Z</updated>
  <category term="activiteit"/>
  <link rel="next" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken=120&amp;category=Activiteit"/>
  <content type="application/xml">
   <tk:activiteit id="0b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c" tk:bijgewerkt="2023-11-15T09:12:00.0000000" tk:verwijderd="false">
    <tk:voortouwcommissie ref="7a0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c"/>
    <tk:vervangenVanuit ref="1b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c"/>
    <tk:soort>Commissiedebat</tk:soort><tk:nummer>2023A04567</tk:nummer>
    <tk:onderwerp>MIRT</tk:onderwerp><tk:datumSoort>Dag</tk:datumSoort>
    <tk:datum>2023-11-27T00:00:00</tk:datum><tk:aanvangstijd>2023-11-27T14:00:00</tk:aanvangstijd>
    <tk:eindtijd xsi:nil="true"/><tk:locatie>Thorbeckezaal</tk:locatie>
    <tk:status>Gepland</tk:status><tk:vergaderjaar>2023-2024</tk:vergaderjaar>
    <tk:voortouwnaam>vaste commissie voor Infrastructuur en Waterstaat</tk:voortouwnaam>
    <tk:voortouwafkorting>IenW</tk:voortouwafkorting>
   </tk:activiteit>
  </content>
 </entry>
 <entry>
  <title>2b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c</title>
  <updated>2023-11-15T08:20:00.0000000Z</updated>
  <category term="activiteit"/>
  <link rel="next" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken=175&amp;category=Activiteit"/>
  <content type="application/xml"><tk:activiteit id="2b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c" tk:bijgewerkt="2023-11-15T09:19:00.0000000" tk:verwijderd="true"/></content>
 </entry>
</feed>"""


def _read(data: bytes, category: str = "Activiteit", step: int = 7):
    parser = _FeedParser()
    for start in range(0, len(data), step):  # as it streams in, in small chunks
        parser.feed(data[start:start + step])
    parser.feed(b"", final=True)
    return read_page(parser, category)


def test_the_documented_layout_reads_as_the_same_records_as_odata():
    page = _read(PAGE)
    assert (page.entries, page.resume, page.more, page.skipped) == (2, 175, True, 0)
    moved, deleted = page.records
    assert moved == Activity(
        id="0b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c", nummer="2023A04567", soort="Commissiedebat",
        onderwerp="MIRT", datum=date(2023, 11, 27),
        aanvangstijd=datetime(2023, 11, 27, 13, 0, tzinfo=UTC), locatie="Thorbeckezaal",
        status="Gepland", voortouwnaam="vaste commissie voor Infrastructuur en Waterstaat",
        voortouwafkorting="IenW", vergaderjaar="2023-2024",
        vervangen_vanuit="1b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c",
        api_gewijzigd_op=datetime(2023, 11, 15, 8, 12, 13, 123456, tzinfo=UTC))
    assert deleted.verwijderd and deleted.nummer == ""
    # another category's page: agenda items and commitments by their own element names
    item = PAGE.replace(b"tk:activiteit", b"tk:agendapunt").replace(
        b'term="activiteit"', b'term="agendapunt"').replace(
        b"<tk:vervangenVanuit", b"<tk:activiteit")
    agenda = _read(item, "Agendapunt").records[0]
    assert isinstance(agenda, AgendaItem)
    assert agenda.activiteit_id == "1b0c5a57-3c1e-4a8e-9a59-1d2f3e4a5b6c"
    pledge = _read(PAGE.replace(b"tk:activiteit", b"tk:toezegging").replace(
        b'term="activiteit"', b'term="toezegging"').replace(b"<tk:datum>", b"<tk:datumNakoming>")
        .replace(b"</tk:datum>", b"</tk:datumNakoming>"), "Toezegging").records[0]
    assert isinstance(pledge, Commitment) and pledge.datum_nakoming == date(2023, 11, 27)


@pytest.mark.parametrize("hostile", [
    b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom"/>',
    b'<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd"><feed xmlns="http://www.w3.org/2005/Atom"/>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol;</title></feed>',
    b'<html><body>Onderhoud</body></html>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="next" href="/Feed?skiptoken=-1"/>'
    b"</entry></feed>",
])
def test_hostile_or_broken_xml_fails_the_page(hostile: bytes):
    with pytest.raises(SourceError):
        _read(hostile)


def test_a_page_read_is_freed_at_once_not_by_the_cycle_collector(
        monkeypatch, kamer: KamerDouble, feed: FeedClient):
    """expat's handlers are the reader's methods: left so, every page read (entries and all)
    would wait for the cycle collector, and a pass's memory would grow with its pages."""
    readers: list[weakref.ref] = []

    class Watched(_FeedParser):
        def __init__(self) -> None:
            super().__init__()
            readers.append(weakref.ref(self))

    monkeypatch.setattr(feed_module, "_FeedParser", Watched)
    kamer.activity("2023A00001", "MIRT", NOV20)
    gc.disable()
    try:
        assert len(feed.page("Activiteit", 0).records) == 1
        kamer.fail_next("partial")  # a page cut off: the reader fails
        with pytest.raises(SourceError):
            feed.page("Activiteit", 0)
        assert len(readers) == 2 and [r() for r in readers] == [None, None]
    finally:
        gc.enable()


def test_the_sync_reads_changes_from_odata_when_there_is_no_feed(
        engine, session, settings, now, client: KamerClient, kamer: KamerDouble):
    kamer.activity("2023A00001", "MIRT", NOV20)
    assert run_sync(engine=engine, client=client, settings=settings, now=now).read == {
        "Activiteit": 1, "Agendapunt": 0, "Toezegging": 0}
    assert not any(r.startswith("/SyncFeed/") for r in kamer.requests)
    assert token(session) is None
