"""Dates through the signed Bolt app: duplicates and *Toch toevoegen*, rough dates as typed,
weekday mismatches refused, the year window on the date picker."""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlmodel import Session, select

from bot.render.as_text import blocks_to_text
from tests.bot.conftest import VIEWER, reply
from tests.bot.listeners.test_actions_views import click, reminder_value, submission
from tests.slack_double import SlackDouble, validate_blocks
from tracker.models import Deadline


def _count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Deadline)).one()


def _button(body: dict) -> dict:
    for block in body["blocks"]:
        if block["type"] == "actions":
            return block["elements"][0]
    raise AssertionError("no button in the reply")


def test_a_duplicate_is_answered_with_its_number_and_added_only_on_toch_toevoegen(
        team: Session, slash, interact, slack_double: SlackDouble) -> None:
    before = _count(team)
    body = reply(slash("/deadline", "add N35 20 nov 2023 kamerdebat  MIRT"))
    assert validate_blocks(body["blocks"]) == []
    assert "bestaat al als #19" in blocks_to_text(body["blocks"])
    assert _count(team) == before
    button = _button(body)
    assert button["text"]["text"] == "Toch toevoegen"
    interact(click("deadline_add_anyway", json.loads(button["value"])))
    assert _count(team) == before + 1
    slack_double.wait_for(lambda d: len(d.responses) >= 1)
    assert "toegevoegd aan *N35*" in json.dumps(slack_double.responses[-1]["blocks"])
    # the same date with another title is no duplicate; --toch adds a duplicate at once
    reply(slash("/deadline", "add N35 20 nov 2023 Voorbespreking debat"))
    reply(slash("/deadline", "add N35 20 nov 2023 Kamerdebat MIRT --toch"))
    assert _count(team) == before + 3


def test_a_viewer_cannot_add_anyway(team: Session, interact, slack_double: SlackDouble) -> None:
    before = _count(team)
    value = {"dossier": 1, "title": "Kamerdebat MIRT", "due": "2023-11-20", "time": None,
             "precision": "day", "qualifier": "", "part": ""}
    interact(click("deadline_add_anyway", value, user=VIEWER))
    assert _count(team) == before


def test_a_rough_date_is_echoed_the_way_it_was_typed(team: Session, slash) -> None:
    text = blocks_to_text(reply(slash("/deadline", "add N35 op z'n vroegst eind 2024 Akkoord TEN-T"))["blocks"])
    assert "op z'n vroegst eind 2024" in text
    team.expire_all()
    added = team.exec(select(Deadline).where(Deadline.title == "Akkoord TEN-T")).one()
    assert (added.precision, added.due_part, added.qualifier, added.due_date.isoformat()) == (
        "year", "end", "vroegst", "2024-10-01")
    listed = blocks_to_text(reply(slash("/deadline", "list N35 2 jaar"))["blocks"])
    assert "op z'n vroegst eind 2024 · [N35] Akkoord TEN-T" in listed


def test_a_weekday_that_does_not_match_is_refused_and_nothing_is_added(team: Session, slash) -> None:
    before = _count(team)
    body = reply(slash("/deadline", "add N35 maandag 21 november Kamerdebat MIRT"))
    assert "21 november 2023 is een dinsdag, geen maandag" in json.dumps(body, ensure_ascii=False)
    assert _count(team) == before


def test_the_date_picker_keeps_to_the_year_window(team: Session, interact,
                                                  slack_double: SlackDouble) -> None:
    value = reminder_value(team)
    interact(click("reminder_move", value, as_block_id=True, selected_date="9999-12-31"))
    team.expire_all()
    assert team.get(Deadline, 19).due_date.isoformat() == "2023-11-20"
    slack_double.wait_for(lambda d: len(d.responses) >= 1)
    assert "buiten 2000–2100" in json.dumps(slack_double.responses[-1], ensure_ascii=False)


def test_the_add_form_keeps_to_the_year_window_and_refuses_a_duplicate(team: Session,
                                                                       interact) -> None:
    before = _count(team)
    for day in ("9999-12-31", "0001-01-01"):
        far = interact(submission("deadline_add", {
            "dossier": {"type": "static_select", "selected_option": {"value": "1"}},
            "due": {"type": "datepicker", "selected_date": day},
            "title": {"type": "plain_text_input", "value": "Ver weg"}}, {}))
        assert "2000–2100" in json.loads(far.body)["errors"]["due"]
    twice = interact(submission("deadline_add", {
        "dossier": {"type": "static_select", "selected_option": {"value": "1"}},
        "due": {"type": "datepicker", "selected_date": "2023-11-20"},
        "title": {"type": "plain_text_input", "value": "Kamerdebat MIRT"}}, {}))
    assert "bestaat al als #19" in json.loads(twice.body)["errors"]["title"]
    assert _count(team) == before
