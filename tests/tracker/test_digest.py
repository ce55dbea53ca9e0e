"""build_digest: what changed in a period, per execution line, from the history (own small fixtures)."""

from __future__ import annotations

import difflib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from tracker.dates import parse_period
from tracker.digest import Reason, build_digest, following_period, period_kind
from tracker.digest.budget import check_section
from tracker.digest.model import Amounts, BudgetRow
from tracker.models import BudgetLine, Indicator, IndicatorSeries, Programme
from tracker.services.deadlines import (
    add_deadline,
    cancel_deadline,
    complete_deadline,
    move_deadline,
)
from tracker.services.dossiers import add_note, archive_dossier, create_dossier, set_status
from tracker.services.programmes import set_programme_status

AMS = ZoneInfo("Europe/Amsterdam")


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=AMS)


@pytest.fixture
def world(session: Session) -> Session:
    """Two dossiers with a history in the second half of 2023, and a quiet third one."""
    t0 = at(2023, 6, 1)
    n35 = create_dossier(session=session, now=t0, actor="U1", code="N35", title="N35 Wijthmen–Nijverdal",
                         line="ruimtelijke-ontwikkeling")
    set_status(session=session, now=t0, actor="U1", dossier=n35, rag="amber", reason="stikstof")
    rd5 = create_dossier(session=session, now=t0, actor="U1", code="RD5", title="Regio Deal 5e tranche",
                         line="public-affairs", funding_needed=10_000_000, funding_secured=4_000_000)
    create_dossier(session=session, now=t0, actor="U1", code="EU", title="Europa",
                   line="public-affairs")
    debate = add_deadline(session=session, now=t0, actor="U1", dossier=n35, title="Kamerdebat MIRT",
                          due=date(2023, 11, 20), kind="debate")
    bid = add_deadline(session=session, now=t0, actor="U1", dossier=rd5, title="Indienen aanvraag",
                       due=date(2023, 10, 31), kind="submission")
    visit = add_deadline(session=session, now=t0, actor="U1", dossier=rd5, title="Werkbezoek",
                         due=date(2023, 9, 28), kind="visit")
    add_deadline(session=session, now=t0, actor="U1", dossier=rd5, title="Kabinetsbesluit",
                 due=date(2024, 3, 31), kind="decision")
    gone = add_deadline(session=session, now=t0, actor="U1", dossier=n35, title="Werkbezoek minister",
                        due=date(2023, 10, 2), kind="visit")
    set_status(session=session, now=at(2023, 6, 23), actor="U1", dossier=n35, rag="red",
               reason="MIRT-brief pauzeert het project")
    add_note(session=session, now=at(2023, 7, 5), actor="U1", dossier=n35, text="Twee moties aangenomen")
    move_deadline(session=session, now=at(2023, 8, 1), actor="U1", deadline=debate,
                  due=date(2023, 11, 27))
    complete_deadline(session=session, now=at(2023, 10, 30), actor="U1", deadline=bid)
    cancel_deadline(session=session, now=at(2023, 9, 1), actor="U1", deadline=gone)
    del visit  # stays open: an event, so it took place on 28 Sep
    plan = Programme(name="Mobiliteitstransitie", name_folded="mobiliteitstransitie",
                     line="ruimtelijke-ontwikkeling", status="on-track", updated_at=t0)
    session.add(plan)
    session.flush()
    set_programme_status(session=session, now=at(2023, 8, 15), actor="U1", programme=plan,
                         status="paused", note="Kwartiermaker vertrokken")
    session.commit()
    return session


def digest(session: Session, text: str, now: datetime | None = None):  # type: ignore[no-untyped-def]
    now = now or at(2024, 1, 2)
    return build_digest(session=session, period=parse_period(text, now=now, tz=AMS), now=now, tz=AMS)


def items_of(d, code):  # type: ignore[no-untyped-def]
    return [i for dossier in d.dossiers if dossier.code == code for i in dossier.items]


def test_status_change_with_reason_and_date(world: Session) -> None:
    d = digest(world, "2023H1")
    change = next(i for i in items_of(d, "N35") if i.reason is Reason.STATUS_CHANGED
                  and i.after == "red")
    assert (change.before, change.at, change.text) == ("amber", date(2023, 6, 23),
                                                       "MIRT-brief pauzeert het project")
    assert change.reason == "status gewijzigd in de periode"


def test_second_half_items_and_their_reasons(world: Session) -> None:
    d = digest(world, "H2 2023")
    n35 = {i.reason: i for i in items_of(d, "N35")}
    assert n35[Reason.NOTE].text == "Twee moties aangenomen"
    moved = n35[Reason.DEADLINE_MOVED]
    assert (moved.before, moved.after, moved.at) == ("2023-11-20", "2023-11-27", date(2023, 8, 1))
    assert n35[Reason.DEADLINE_CANCELLED].text == "Werkbezoek minister"
    assert Reason.STATUS_CHANGED not in n35  # the June change belongs to H1
    rd5 = {i.reason: i for i in items_of(d, "RD5")}
    assert rd5[Reason.MILESTONE_REACHED].text == "Indienen aanvraag"
    assert rd5[Reason.MILESTONE_REACHED].at == date(2023, 10, 31)
    # a visit is an event in the world: nobody cancelled it, so it took place (never "missed")
    assert rd5[Reason.EVENT_HELD].text == "Werkbezoek"
    assert Reason.DEADLINE_MISSED not in rd5 and Reason.NOT_REPORTED not in rd5
    # reached once, not once for its due date and again for its "done" event
    assert sum(1 for i in items_of(d, "RD5") if i.reason is Reason.MILESTONE_REACHED) == 1


def test_every_dossier_is_there_with_its_status_now(world: Session) -> None:
    d = digest(world, "H2 2023")
    by_code = {x.code: x for x in d.dossiers}
    assert set(by_code) == {"N35", "RD5", "EU"}
    assert by_code["N35"].rag == "red" and by_code["EU"].items == ()
    assert by_code["RD5"].funding_gap == 6_000_000
    assert [line.line for line in d.lines] == ["ruimtelijke-ontwikkeling", "public-affairs"]


def test_programme_change_and_table(world: Session) -> None:
    d = digest(world, "2023Q3")
    (row,) = d.programmes
    assert row.status == "paused"
    (change,) = row.changes
    assert (change.before, change.after, change.reason) == ("on-track", "paused",
                                                            Reason.PROGRAMME_STATUS)


def test_next_period_deadlines(world: Session) -> None:
    d = digest(world, "H2 2023")
    assert d.next_period.key == "2024H1"
    assert [(u.dossier_code, u.title) for u in d.upcoming] == [("RD5", "Kabinetsbesluit")]
    assert all(u.reason is Reason.NEXT_PERIOD for u in d.upcoming)


def test_running_period_next_window_starts_today(world: Session) -> None:
    d = digest(world, "halfjaar", now=at(2023, 11, 15))
    assert d.period.end == date(2023, 11, 16)
    assert d.next_period.start == date(2023, 11, 15)
    assert [u.title for u in d.upcoming][:1] == ["Kamerdebat MIRT"]  # 27 Nov, after its move
    assert "Kamerdebat MIRT" not in {i.text for _, i in d.items if i.reason is Reason.DEADLINE_MISSED}


def test_empty_week_is_empty(world: Session) -> None:
    d = digest(world, "2023W50")
    assert d.is_empty
    assert d.budget is None and d.indicators == ()


def test_archived_dossier_only_when_something_happened(world: Session) -> None:
    from sqlmodel import select

    from tracker.models import Dossier

    eu = world.exec(select(Dossier).where(Dossier.code == "EU")).one()
    archive_dossier(session=world, now=at(2023, 12, 1), actor="U1", dossier=eu)
    world.commit()
    assert "EU" in {x.code for x in digest(world, "H2 2023").dossiers}
    assert "EU" not in {x.code for x in digest(world, "2024H1", now=at(2024, 7, 2)).dossiers}


def test_period_kinds_and_following() -> None:
    now = at(2023, 11, 15)
    keys = {t: parse_period(t, now=now, tz=AMS) for t in ("2023H1", "2023Q3", "2023-11", "week")}
    assert [period_kind(p) for p in keys.values()] == ["half", "quarter", "month", "week"]
    assert [following_period(p).key for p in keys.values()] == ["2023H2", "2023Q4", "2023-12",
                                                                "2023W47"]


def test_totals_recomputed_and_flagged() -> None:
    rows = [BudgetRow("a", Amounts(1, 2, 3)), BudgetRow("b", Amounts(10, 20, 30)),
            BudgetRow("Subtotaal", Amounts(11, 22, 33), is_total=True),
            BudgetRow("c", Amounts(100, 0, -5)),
            BudgetRow("Totaal", Amounts(111, 22, 99), is_total=True)]
    section = check_section("inkomsten", rows)
    sub, total = section.rows[2], section.rows[4]
    assert not sub.flagged
    assert total.computed == Amounts(111, 22, 28)
    assert total.mismatches == ("expected",)


def test_budget_and_indicator_flags_from_the_records(world: Session) -> None:
    for pos, (name, values, total) in enumerate([("x", (10, 5, 8), False), ("y", (20, 5, 30), False),
                                                 ("Totaal lasten", (30, 10, 99), True)]):
        world.add(BudgetLine(year=2023, section="lasten", position=pos, name=name, budget=values[0],
                             actual=values[1], expected=values[2], is_total=total))
    series = IndicatorSeries(name="Aanmeldingen", year=2023, stated_total=0)
    world.add(series)
    world.flush()
    for month, value in ((1, 225), (2, 200), (7, 5)):
        world.add(Indicator(series_id=series.id, month=date(2023, month, 1), value=value))
    world.commit()
    d = digest(world, "2023H1")
    assert d.budget is not None
    (flagged,) = d.budget.flagged
    assert flagged.name == "Totaal lasten" and flagged.computed.expected == 38
    (ind,) = d.indicators
    assert (ind.total, ind.period_total, ind.flagged) == (430, 425, True)
    assert d.flags == ("Totaal lasten", "Aanmeldingen")


def test_naive_now_refused(world: Session) -> None:
    with pytest.raises(ValueError, match="aware"):
        build_digest(session=world, period=parse_period("2023H1", now=at(2024, 1, 2), tz=AMS),
                     now=datetime(2024, 1, 2), tz=AMS)  # noqa: DTZ001


# --- true to its period ------------------------------------------------------------------------

def _renderings(d):  # type: ignore[no-untyped-def]
    from tracker.digest.markdown import render_markdown
    from tracker.digest.serialize import render_json
    from tracker.digest.text import render_text

    return render_markdown(d), render_text(d), render_json(d), render_markdown(d, "en")


def test_a_later_change_never_alters_a_past_digest(world: Session) -> None:
    from sqlmodel import select

    from tracker.models import Deadline, Dossier, Programme

    before = _renderings(digest(world, "H2 2023", now=at(2024, 1, 2)))
    n35 = world.exec(select(Dossier).where(Dossier.code == "N35")).one()
    today = at(2026, 12, 1)
    set_status(session=world, now=today, actor="U2", dossier=n35, rag="green", reason="Geld gevonden")
    from tracker.services.dossiers import set_owner, update_dossier

    update_dossier(session=world, now=today, actor="U2", dossier=n35, title="N35 hernoemd",
                   summary="Nieuwe samenvatting", funding_needed=5_000_000)
    set_owner(session=world, now=today, actor="U2", dossier=n35, owner="U0NIEUW")
    add_note(session=world, now=today, actor="U2", dossier=n35, text="Nieuwe notitie")
    debate = world.exec(select(Deadline).where(Deadline.title == "Kamerdebat MIRT")).one()
    move_deadline(session=world, now=today, actor="U2", deadline=debate, due=date(2027, 2, 1))
    cabinet = world.exec(select(Deadline).where(Deadline.title == "Kabinetsbesluit")).one()
    complete_deadline(session=world, now=today, actor="U2", deadline=cabinet)
    plan = world.exec(select(Programme)).one()
    set_programme_status(session=world, now=today, actor="U2", programme=plan, status="done",
                         note="Klaar")
    newer = create_dossier(session=world, now=today, actor="U2", code="NEW", title="Nieuw dossier",
                           line="public-affairs")
    add_deadline(session=world, now=today, actor="U2", dossier=newer, title="Later toegevoegd",
                 due=date(2024, 2, 1), kind="submission")
    archive_dossier(session=world, now=today, actor="U2",
                    dossier=world.exec(select(Dossier).where(Dossier.code == "EU")).one())
    world.commit()
    # built on another day, after all those changes: the same bytes in every format
    after = _renderings(digest(world, "H2 2023", now=at(2026, 12, 2)))
    for old, new in zip(before, after, strict=True):
        assert new == old, "\n".join(difflib.unified_diff(old.splitlines(), new.splitlines(),
                                                            lineterm="", n=1))
    d = digest(world, "H2 2023", now=at(2026, 12, 2))
    by_code = {x.code: x for x in d.dossiers}
    assert by_code["N35"].rag == "red" and "NEW" not in by_code and by_code["EU"].phase == "active"
    assert (by_code["N35"].title, by_code["N35"].summary, by_code["N35"].funding_needed,
            by_code["N35"].owner) == ("N35 Wijthmen–Nijverdal", "", None, None)
    assert d.programmes[0].status == "paused" and d.programmes[0].note == "Kwartiermaker vertrokken"
    assert [u.title for u in d.upcoming] == ["Kabinetsbesluit"]


def test_the_current_period_says_stand_per(world: Session) -> None:
    from tracker.digest.markdown import render_markdown

    d = digest(world, "halfjaar", now=at(2023, 11, 15))
    assert d.current and d.as_of == date(2023, 11, 15)
    assert "(stand per 15 november 2023)" in render_markdown(d)
    past = digest(world, "H1 2023", now=at(2023, 11, 15))
    assert not past.current and "stand per" not in render_markdown(past)


@pytest.mark.parametrize("text", ["2031Q2", "2024H1", "2024-01"])
def test_a_period_that_has_not_begun_is_refused(world: Session, text: str) -> None:
    from tracker.digest.build import PeriodNotStarted

    with pytest.raises(PeriodNotStarted) as caught:
        digest(world, text, now=at(2023, 12, 31))
    assert "nog niet begonnen" in caught.value.message("nl")
    assert "has not begun" in caught.value.message("en")


# --- events and actions ------------------------------------------------------------------------

def test_actions_past_due_are_not_reported_with_their_owner_until_someone_says(world: Session
                                                                              ) -> None:
    from sqlmodel import select

    from tracker.models import Dossier
    from tracker.services.deadlines import report_missed

    rd5 = world.exec(select(Dossier).where(Dossier.code == "RD5")).one()
    t0 = at(2023, 7, 1)
    plan = add_deadline(session=world, now=t0, actor="U1", dossier=rd5, title="Lobbyplan",
                        due=date(2023, 9, 1), kind="other", owner="U7")
    letter = add_deadline(session=world, now=t0, actor="U1", dossier=rd5, title="Brief",
                          due=date(2023, 9, 5), kind="submission")
    world.commit()
    d = digest(world, "H2 2023")
    found = {i.text: i for _, i in d.items}
    assert found["Lobbyplan"].reason is Reason.NOT_REPORTED and found["Lobbyplan"].owner == "U7"
    assert found["Brief"].reason is Reason.NOT_REPORTED and found["Brief"].owner is None
    assert [i.text for _, i in d.not_reported] == ["Lobbyplan", "Brief"]
    from tracker.digest.markdown import render_markdown

    md = render_markdown(d)  # the owner named where there is one; "none" said once, not per line
    assert "niet afgemeld: Lobbyplan (eigenaar: <@U7>)" in md
    assert "- 5 september 2023 — niet afgemeld: Brief\n" in md and "geen eigenaar" not in md
    assert ("2 acties zijn na de datum niet afgemeld; zij staan per dossier vermeld, met "
            "eigenaar waar die is vastgelegd (voor 1 niet).") in md
    report_missed(session=world, now=at(2023, 12, 20), actor="U7", deadline=plan)
    complete_deadline(session=world, now=at(2023, 12, 20), actor="U1", deadline=letter)
    world.commit()
    d = digest(world, "H2 2023")
    found = {i.text: i for _, i in d.items}
    assert found["Lobbyplan"].reason is Reason.DEADLINE_MISSED  # somebody said so
    assert found["Brief"].reason is Reason.MILESTONE_REACHED
    md = render_markdown(d)
    assert "niet gehaald: Lobbyplan (eigenaar: <@U7>)" in md
    # a milestone planned for later is never told as reached
    assert "Kabinetsbesluit" not in {i.text for _, i in d.items}


# --- the history reader ------------------------------------------------------------------------

def test_one_unreadable_stored_date_never_fails_a_digest(world: Session,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    """A record written before every move stored ISO dates (a Tweede Kamer move stored its
    display text): the digest is built, the value logged and the milestone told by its date."""
    from sqlmodel import select

    from tracker.models import Deadline, Event

    debate = world.exec(select(Deadline).where(Deadline.title == "Kamerdebat MIRT")).one()
    world.add(Event(at=at(2024, 2, 1), actor="tweedekamer", kind="deadline_moved",
                    dossier_id=debate.dossier_id, deadline_id=debate.id,
                    before="20 nov 10:00", after="27 nov 14:00", text="verzet"))
    world.commit()
    with caplog.at_level("WARNING", logger="tracker.digest.history"):
        d = digest(world, "H2 2023", now=at(2024, 3, 1))
    assert "20 nov 10:00" in caplog.text
    held = {i.text: i for _, i in d.items}
    assert held["Kamerdebat MIRT"].at == date(2023, 11, 27)


def test_a_stored_date_keeps_how_it_was_meant() -> None:
    from tracker.services.deadlines import StoredWhen, read_stored_when

    assert read_stored_when("2023-11-20 14:00").at is not None
    assert read_stored_when("2023-10-01 (year end vroegst)") == StoredWhen(
        date(2023, 10, 1), None, "year", "end", "vroegst")
    for bad in ("20 nov 10:00", "2023-10-01 (soon)", ""):
        with pytest.raises(ValueError, match="stored date"):
            read_stored_when(bad)


def test_a_move_reads_like_the_report(world: Session) -> None:
    """"van eind 2023 naar uiterlijk 31 maart 2024", through the one due_label."""
    from sqlmodel import select

    from tracker.digest.markdown import render_markdown
    from tracker.models import Deadline, Dossier

    rd5 = world.exec(select(Dossier).where(Dossier.code == "RD5")).one()
    plan = add_deadline(session=world, now=at(2023, 7, 1), actor="U1", dossier=rd5,
                        title="Lobbyplan", due=date(2023, 12, 31), kind="other",
                        precision="year", part="end")
    move_deadline(session=world, now=at(2023, 9, 1), actor="U1", deadline=plan,
                  due=date(2024, 3, 31), qualifier="uiterlijk")
    world.commit()
    md = render_markdown(digest(world, "H2 2023"))
    assert ("1 september 2023 — mijlpaal verzet: Lobbyplan, van eind 2023 naar uiterlijk "
            "31 maart 2024") in md
    assert "(half)" not in md and "(day" not in md and "(year" not in md
    assert world.exec(select(Deadline).where(Deadline.title == "Lobbyplan")).one()


# --- the status at the period's end ------------------------------------------------------------

def test_since_only_when_the_history_dates_the_status(seeded: Session) -> None:
    """The dataset's own placeholder (30 June) is no date of a status: only N35 (23 June) and
    LLO (June) have theirs in the history."""
    from tracker.digest.markdown import render_markdown

    d = digest(seeded, "2023H1")
    since = {x.code: (x.rag_since, x.rag_since_precision) for x in d.dossiers}
    assert since["N35"] == (date(2023, 6, 23), "day")
    assert since["LLO"][1] == "month"
    assert all(since[code][0] is None for code in ("ZWM", "ZTM", "KWZ", "NOVEX", "RD5", "EU"))
    md = render_markdown(d)
    assert "sinds 30 juni 2023" not in md
    assert "oranje (beoordeling van het team), sinds juni 2023: Door de val" in md


def test_a_later_status_change_keeps_every_past_digest(seeded: Session) -> None:
    """Every dossier, also one whose only earlier state is the seeded one: its colour, reason
    and date as they stood at the period's end, byte for byte, in every format."""
    from sqlmodel import select

    from tracker.models import Dossier

    keys = ("2023H1", "2023H2")
    before = {k: _renderings(digest(seeded, k)) for k in keys}
    today = at(2026, 12, 1)
    for code in ("N35", "ZWM", "ZTM", "KWZ", "NOVEX", "LLO", "RD5", "EU"):
        dossier = seeded.exec(select(Dossier).where(Dossier.code == code)).one()
        set_status(session=seeded, now=today, actor="U2", dossier=dossier, rag="red",
                   reason="test later change")
    ztm = seeded.exec(select(Dossier).where(Dossier.code == "ZTM")).one()
    set_status(session=seeded, now=at(2026, 12, 2), actor="U2", dossier=ztm, rag="green",
               reason="and once more")
    # a programme whose only earlier state is the seeded one: its note as it was then, too
    plan = seeded.exec(select(Programme).where(Programme.name == "Stedelijk Zwolle")).one()
    set_programme_status(session=seeded, now=today, actor="U2", programme=plan,
                         status="at-risk", note="Nieuwe toelichting")
    seeded.commit()
    for key in keys:
        after = _renderings(digest(seeded, key, now=at(2026, 12, 3)))
        for old, new in zip(before[key], after, strict=True):
            assert new == old, "\n".join(difflib.unified_diff(
                old.splitlines(), new.splitlines(), lineterm="", n=1))
    md = before["2023H2"][0]
    assert "**Stand:** groen (beoordeling van het team): Medio april 2023 heeft het Europees" in md


def test_an_unreadable_stored_amount_never_fails_a_digest(world: Session,
                                                           caplog: pytest.LogCaptureFixture
                                                           ) -> None:
    from sqlmodel import select

    from tracker.models import Dossier, Event

    rd5 = world.exec(select(Dossier).where(Dossier.code == "RD5")).one()
    world.add(Event(at=at(2024, 2, 1), actor="import", kind="dossier_updated", dossier_id=rd5.id,
                    before="tien miljoen", after="12000000", text="funding_needed"))
    world.commit()
    with caplog.at_level("WARNING", logger="tracker.digest.history"):
        d = digest(world, "H2 2023", now=at(2024, 3, 1))
    assert "tien miljoen" in caplog.text
    assert next(x for x in d.dossiers if x.code == "RD5").funding_needed == 10_000_000


def test_at_the_earliest_is_placed_by_the_end_of_its_span(world: Session) -> None:
    """"op z'n vroegst 2023" is stored on 1 January 2023 (the reminders run toward the span's
    start) but belongs to the half-year its span ends in, and is not told as having happened."""
    from sqlmodel import select

    from tracker.models import Dossier

    rd5 = world.exec(select(Dossier).where(Dossier.code == "RD5")).one()
    add_deadline(session=world, now=at(2023, 1, 2), actor="U1", dossier=rd5, title="Akkoord",
                 due=date(2023, 1, 1), kind="decision", precision="year", qualifier="vroegst")
    world.commit()
    assert "Akkoord" not in {i.text for _, i in digest(world, "H1 2023").items
                             if i.kind is not None}  # added, yes; not told as happened
    assert "Akkoord" in {u.title for u in digest(world, "H1 2023").upcoming}
    (item,) = [i for _, i in digest(world, "H2 2023").items
               if i.text == "Akkoord" and i.kind is not None]
    assert item.reason is Reason.EVENT_EXPECTED
