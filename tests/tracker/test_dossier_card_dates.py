"""The dossier card keeps past and future apart: overdue actions, coming deadlines, events
that took place."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from bot.render.as_text import blocks_to_text
from bot.render.dossiers import render_dossier_card
from tests.conftest import AMS
from tracker.models import Deadline, Dossier
from tracker.render_text import render_text
from tracker.results import DossierShown
from tracker.services import deadlines as dl
from tracker.services.dossiers import dossier_card

LATER = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)  # every 2023 milestone has passed


def _n35(session: Session) -> Dossier:
    return session.exec(select(Dossier).where(Dossier.code == "N35")).one()


def test_past_milestones_are_not_next(seeded: Session) -> None:
    n35 = _n35(seeded)
    action = dl.add_deadline(session=seeded, now=LATER, actor="t", dossier=n35,
                             title="Zienswijze indienen", due=date(2023, 12, 1),
                             kind="submission")
    coming = dl.add_deadline(session=seeded, now=LATER, actor="t", dossier=n35,
                             title="Lobbyplan 2024", due=date(2024, 3, 1),
                             kind="other")
    card = dossier_card(session=seeded, dossier=n35, now=LATER, tz=AMS)
    assert [d.id for d in card.next_deadlines] == [coming.id]
    assert action.id in [d.id for d in card.overdue_actions]
    assert all(d.role == "action" for d in card.overdue_actions)
    assert card.past_events and all(d.role == "event" for d in card.past_events)
    assert "Kamerdebat MIRT" in [d.title for d in card.past_events]
    text = blocks_to_text(render_dossier_card(card, tz=AMS, today=LATER.date(), lang="nl")
                          .payload()["blocks"])
    overdue_at, next_at, past_at = (text.index("Verlopen, nog open"),
                                    text.index("Volgende deadlines"), text.index("Plaatsgevonden"))
    assert overdue_at < text.index("Zienswijze indienen") < next_at
    assert next_at < text.index("Lobbyplan 2024") < past_at < text.index("Kamerdebat MIRT")
    assert "Kamerdebat MIRT (debat) — verlopen" not in text
    plain = render_text(DossierShown(card), "nl", AMS)
    assert plain.index("Verlopen, nog open:") < plain.index("Volgende deadlines:") \
        < plain.index("Plaatsgevonden:")


def test_a_rough_date_on_the_card_reads_as_typed(seeded: Session) -> None:
    n35 = _n35(seeded)
    dl.add_deadline(session=seeded, now=LATER, actor="t", dossier=n35, title="Akkoord",
                    due=datetime(2024, 5, 31).date(), precision="season")  # noqa: DTZ001
    card = dossier_card(session=seeded, dossier=n35, now=LATER, tz=AMS)
    text = blocks_to_text(render_dossier_card(card, tz=AMS, today=LATER.date()).payload()["blocks"])
    assert "voorjaar 2024 · Akkoord" in text
    assert seeded.exec(select(Deadline).where(Deadline.title == "Akkoord")).one().approximate


def test_each_list_of_the_card_keeps_its_order_and_the_count_all_open(session: Session) -> None:
    """The card reads its three lists and the count in one statement (a union, which keeps no
    order of its own): coming ones soonest first, overdue actions oldest first, events that
    took place latest first, three of each; the count is every open one of the dossier."""
    from tracker.services.dossiers import create_dossier

    dossier = create_dossier(session=session, now=LATER, actor="t", code="ORD",
                             title="Volgorde")
    other = create_dossier(session=session, now=LATER, actor="t", code="OTH", title="Ander")
    added: dict[str, list[int]] = {"next": [], "overdue": [], "past": []}
    # Added out of date order, two on one day (then the id decides), so neither the order of
    # insertion nor that of the ids alone gives the right answer.
    for part, kind, days in (("next", "other", (40, 10, 25, 10, 60)),
                             ("overdue", "submission", (-5, -30, -12, -30)),
                             ("past", "debate", (-3, -50, -8, -3))):
        for offset in days:
            due = date.fromordinal(LATER.date().toordinal() + offset)
            deadline = dl.add_deadline(session=session, now=LATER, actor="t", dossier=dossier,
                                       title=f"{part} {offset} {len(added[part])}", due=due,
                                       kind=kind)
            added[part].append(deadline.id)
    dl.add_deadline(session=session, now=LATER, actor="t", dossier=other, title="Elders",
                    due=LATER.date(), kind="other")  # not this dossier's
    done = dl.add_deadline(session=session, now=LATER, actor="t", dossier=dossier,
                           title="Klaar", due=LATER.date(), kind="other")
    dl.complete_deadline(session=session, now=LATER, actor="t", deadline=done)
    session.commit()

    def order(part: str, latest_first: bool = False) -> list[int]:
        rows = session.exec(select(Deadline).where(col(Deadline.id).in_(added[part]))).all()
        ranked = sorted(rows, key=lambda d: (d.due_date, d.id), reverse=latest_first)
        return [d.id for d in ranked][:3]

    card = dossier_card(session=session, dossier=dossier, now=LATER, tz=AMS)
    assert [d.id for d in card.next_deadlines] == order("next")
    assert [d.id for d in card.overdue_actions] == order("overdue")
    assert [d.id for d in card.past_events] == order("past", latest_first=True)
    assert card.open_deadlines == 13
    empty = create_dossier(session=session, now=LATER, actor="t", code="LEEG", title="Leeg")
    bare = dossier_card(session=session, dossier=empty, now=LATER, tz=AMS)
    assert (bare.next_deadlines, bare.overdue_actions, bare.past_events,
            bare.open_deadlines) == ([], [], [], 0)
