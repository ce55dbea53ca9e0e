"""The dossier card keeps past and future apart: overdue actions, coming deadlines, events
that took place."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

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
