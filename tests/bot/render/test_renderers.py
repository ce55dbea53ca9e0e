"""Renderers with oversized data stay within every Slack limit and say what they left out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.render.as_text import blocks_to_text
from bot.render.deadlines import render_deadline_list
from bot.render.dossiers import render_dossier_card, render_dossier_list
from bot.render.home import HomeData, render_home
from bot.render.modals import render_deadline_add_modal, render_dossier_edit_modal
from bot.render.results import render_help
from tests.slack_double import validate_blocks, validate_view
from tracker.models import Deadline, Dossier, Event, Programme
from tracker.results import DeadlineList
from tracker.services.deadlines import Upcoming
from tracker.services.dossiers import DossierCard

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)
WORD = "Zwolle–Meppel "


def dossier(i: int, title_len: int = 200) -> Dossier:
    return Dossier(id=i, code=f"D{i}", code_folded=f"d{i}", title=(WORD * 20)[:title_len],
                   rag=("red", "amber", "green")[i % 3], rag_reason="<!channel> " + WORD * 140,
                   rag_since=NOW, goal=WORD * 280, funding_needed=75_000_000,
                   funding_secured=35_000_000, owner="U0ANNEKE", version=3)


def test_list_of_500_long_dossiers_pages() -> None:
    dossiers = [dossier(i) for i in range(500)]
    message = render_dossier_list(dossiers, lang="nl")
    payload = message.payload()
    assert validate_blocks(payload["blocks"]) == []
    assert len(payload["blocks"]) <= 50
    assert "Pagina 1 van 5" in blocks_to_text(payload["blocks"])
    assert payload["blocks"][-1]["elements"][0]["action_id"] == "dossier_page"
    last = render_dossier_list(dossiers, page_number=4, lang="en").payload()
    assert "Page 5 of 5" in blocks_to_text(last["blocks"])


def test_card_with_huge_notes() -> None:
    d = dossier(1)
    notes = [Event(id=i, at=NOW, kind="note", text=("lang verhaal " * 500)[:5000], actor="U0JORIS")
             for i in range(3)]
    deadlines = [Deadline(id=i, dossier_id=1, title="T" * 200, due_date=date(2023, 11, 20 + i),
                          kind="debate") for i in range(3)]
    programmes = [Programme(id=i, name=f"Programma {i} " + WORD * 10, name_folded="x",
                            status="at-risk") for i in range(40)]
    card = DossierCard(dossier=d, next_deadlines=deadlines, recent_notes=notes,
                       programmes=programmes, open_deadlines=12)
    payload = render_dossier_card(card, tz=AMS, today=date(2023, 11, 15), lang="nl").payload()
    assert validate_blocks(payload["blocks"]) == []
    text = blocks_to_text(payload["blocks"])
    assert "<!channel>" not in str(payload)
    assert "…en nog 9" in text
    assert "lang verhaal" in text


def test_50000_deadlines_in_a_list() -> None:
    d = dossier(7, 60)
    items = [Upcoming(Deadline(id=i, dossier_id=7, title=f"Mijlpaal {i} " + WORD * 5,
                               due_date=date(2024, 1, 1 + i % 28), kind="meeting"), d,
                      date(2024, 1 + (i // 28) % 12, 1 + i % 28), i < 100)
             for i in range(50_000)]
    payload = render_deadline_list(DeadlineList(items, date(2024, 12, 31)), lang="en").payload()
    assert validate_blocks(payload["blocks"]) == []
    assert "more" in blocks_to_text(payload["blocks"][-1:])


def test_home_and_modals_within_view_limits() -> None:
    dossiers = [dossier(i) for i in range(1000)]
    d = dossiers[0]
    items = [Upcoming(Deadline(id=i, dossier_id=0, title="x " * 100, due_date=date(2023, 11, 20),
                               kind="other"), d, date(2023, 11, 20), i % 2 == 0)
             for i in range(2000)]
    home = render_home(HomeData(user_id="U0ANNEKE", mine=dossiers, overdue=items[::2],
                                upcoming=items[1::2], dossiers=dossiers, today=date(2023, 11, 15)))
    assert validate_view(home) == []
    assert validate_view(render_deadline_add_modal(dossiers[:100], selected=d)) == []
    assert validate_view(render_deadline_add_modal(dossiers)) == []
    assert validate_view(render_dossier_edit_modal(d)) == []


def test_help_in_both_languages() -> None:
    assert "/dossier" in blocks_to_text(render_help(None, "nl").blocks)
    assert "Dates" in blocks_to_text(render_help(None, "en").blocks)
