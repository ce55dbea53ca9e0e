"""The add-deadline form past 100 dossiers: the dossier field searches as the user types
(`external_select`), Slack asks the app for options, and the chosen one is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session, func, select

from tests.bot.conftest import EDITOR, VIEWER
from tests.bot.listeners.test_actions_views import click, submission
from tests.slack_double import SlackDouble, validate_blocks
from tracker.models import Deadline, Dossier
from tracker.services import dossiers as ds


@pytest.fixture
def many(team: Session, now) -> Session:
    """The dataset plus 150 dossiers: more than a static select may list."""
    for i in range(150):
        ds.create_dossier(session=team, now=now, actor=EDITOR, code=f"R{i:03d}",
                          title=f"Regiodossier {i} — Vecht en IJssel")
    team.commit()
    return team


def suggest(value: Any, *, user: str = VIEWER) -> dict[str, Any]:
    return {"type": "block_suggestion", "user": {"id": user, "name": "x"},
            "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY", "action_id": "dossier_search",
            "block_id": "dossier", "value": value,
            "view": {"id": "V1", "type": "modal", "callback_id": "deadline_add",
                     "private_metadata": "{}", "blocks": [], "state": {"values": {}}}}


def options(interact, value: Any) -> list[dict[str, Any]]:
    response = interact(suggest(value))
    assert response.status == 200, response.body
    return json.loads(response.body)["options"]


def test_past_100_dossiers_the_form_searches(many: Session, slash, interact,
                                             slack_double: SlackDouble) -> None:
    slash("/deadline", "nieuw")
    view = slack_double.wait_for_calls("views.open")[0].params["view"]
    select_ = next(b for b in view["blocks"] if b["block_id"] == "dossier")["element"]
    assert select_["type"] == "external_select"
    assert select_["action_id"] == "dossier_search" and "options" not in select_
    # From a dossier card, the form opens with that dossier chosen.
    n35 = many.exec(select(Dossier).where(Dossier.code == "N35")).one()
    interact(click("add_deadline", {"dossier": n35.id, "version": n35.version}))
    opened = slack_double.wait_for_calls("views.open", 2)[1].params["view"]
    chosen = next(b for b in opened["blocks"] if b["block_id"] == "dossier")["element"]
    assert chosen["initial_option"]["value"] == str(n35.id)
    assert chosen["initial_option"]["text"]["text"].startswith("N35 — ")
    assert all(c.ok for c in slack_double.calls_to("views.open"))


def test_options_match_code_and_title_words(many: Session, interact) -> None:
    found = options(interact, "n35")
    assert [o["text"]["text"].split(" — ")[0] for o in found] == ["N35"]
    words = options(interact, "regiodossier 12")  # 12, 112, 120–129
    assert len(words) == 12
    everything = options(interact, "")
    assert len(everything) == 100  # Slack shows at most 100
    for option in everything:
        assert len(option["text"]["text"]) <= 75 and option["value"].isdigit()


@pytest.mark.parametrize(("value", "count"), [
    ("x" * 5000, 0), ("'; DROP TABLE dossier; --", 0), ("<!channel>", 0), ("זוולה", 0),
    ("🚆🚆", 100), (None, 100),  # nothing to search on: the first 100, as for an empty field
    (12, None)])  # not the string Slack sends: refused (400) before any listener runs
def test_odd_input_gives_a_harmless_list(many: Session, interact, value, count) -> None:
    before = many.exec(select(func.count()).select_from(Dossier)).one()
    response = interact(suggest(value))
    if count is None:
        assert response.status == 400
    else:
        assert response.status == 200
        assert len(json.loads(response.body)["options"]) == count
    assert many.exec(select(func.count()).select_from(Dossier)).one() == before


def test_the_searched_dossier_is_saved(many: Session, interact) -> None:
    r042 = many.exec(select(Dossier).where(Dossier.code == "R042")).one()
    added = interact(submission("deadline_add", {
        "dossier": {"type": "external_select",
                    "selected_option": {"value": str(r042.id),
                                        "text": {"type": "plain_text", "text": "R042 — …"}}},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": "Bestuurlijk overleg"}}, {}))
    assert added.status == 200 and added.body == ""
    deadline = many.exec(select(Deadline).where(Deadline.dossier_id == r042.id)).one()
    assert deadline.title == "Bestuurlijk overleg"
    missing = interact(submission("deadline_add", {
        "dossier": {"type": "external_select", "selected_option": None},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": "Zonder dossier"}}, {}))
    assert json.loads(missing.body)["errors"]["dossier"].startswith("Kies een dossier")


def test_the_form_stays_within_slack_limits_with_long_titles(many: Session, now) -> None:
    from bot.render.message import block_json
    from bot.render.modals import render_deadline_add_modal

    dossiers = ds.list_dossiers(session=many)
    view = block_json(render_deadline_add_modal(dossiers, selected=None))
    assert validate_blocks(view["blocks"], surface="modal") == []


def test_an_archived_dossier_is_not_chosen_and_is_refused_next_to_the_field(
        many: Session, interact, slack_double: SlackDouble, now) -> None:
    r007 = many.exec(select(Dossier).where(Dossier.code == "R007")).one()
    ds.archive_dossier(session=many, now=now, actor=EDITOR, dossier=r007)
    many.commit()
    interact(click("add_deadline", {"dossier": r007.id, "version": r007.version}))
    view = slack_double.wait_for_calls("views.open")[0].params["view"]
    element = next(b for b in view["blocks"] if b.get("block_id") == "dossier")["element"]
    assert "initial_option" not in element
    refused = interact(submission("deadline_add", {
        "dossier": {"type": "external_select", "selected_option": {"value": str(r007.id)}},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": "Na de archivering"}}, {}))
    assert "gearchiveerd" in json.loads(refused.body)["errors"]["dossier"]
    assert many.exec(select(Deadline).where(Deadline.dossier_id == r007.id)).all() == []
