"""Buttons and modals through the signed Bolt app: reminder buttons act once, stale clicks
change nothing, modal validation shows next to the field, stale edits are conflicts."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from tests.bot.conftest import EDITOR, VIEWER
from tests.signing import trigger_id
from tests.slack_double import SlackDouble
from tracker.models import Deadline, Dossier


def click(action_id: str, value: dict[str, Any], *, user: str = EDITOR,
          message: dict[str, Any] | None = None, selected_date: str | None = None,
          as_block_id: bool = False) -> dict[str, Any]:
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b1", "type": "button",
                              "value": json.dumps(value), "action_ts": "1700000000.1"}
    if as_block_id:
        action = {"action_id": action_id, "type": "datepicker", "block_id": json.dumps(value),
                  "selected_date": selected_date, "action_ts": "1700000000.1"}
    return {"type": "block_actions", "user": {"id": user, "name": user.lower()},
            "team": {"id": "T0LOBBY"}, "api_app_id": "A0LOBBY", "trigger_id": "1.2.x",
            "channel": {"id": "C0LOBBY"}, "container": {"type": "message"},
            "message": message or {"ts": "1700000000.000100", "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "Over 7 dagen: *Kamerdebat MIRT*"}},
                {"type": "actions", "elements": []}]},
            "actions": [action]}


def reminder_value(session: Session, deadline_id: int = 19) -> dict[str, Any]:
    session.expire_all()
    d = session.get(Deadline, deadline_id)
    return {"deadline": d.id, "version": d.version, "due": d.due_date.isoformat()}


def test_done_button_then_double_click(team: Session, interact, slack_double: SlackDouble) -> None:
    value = reminder_value(team)
    assert interact(click("reminder_done", value)).status == 200
    assert interact(click("reminder_done", value)).status == 200
    team.expire_all()
    assert team.get(Deadline, 19).status == "done"
    assert team.get(Deadline, 19).version == value["version"] + 1
    slack_double.wait_for(lambda d: len(d.responses) >= 2)
    first, second = slack_double.responses[:2]
    assert first["replace_original"] in (True, "true")
    assert "Afgerond door" in json.dumps(first["blocks"])
    assert second["replace_original"] in (False, "false")
    assert "al afgerond" in second["text"]


def test_snooze_and_stale_move(team: Session, interact, slack_double: SlackDouble) -> None:
    value = reminder_value(team)
    interact(click("reminder_snooze", value))
    team.expire_all()
    # "Herinner morgen" keeps the date and asks for one more reminder on the next working day.
    assert team.get(Deadline, 19).due_date.isoformat() == "2023-11-20"
    assert team.get(Deadline, 19).snooze_until is not None
    interact(click("reminder_move", value, as_block_id=True, selected_date="2023-11-30"))
    team.expire_all()
    assert team.get(Deadline, 19).due_date.isoformat() == "2023-11-20"
    slack_double.wait_for(lambda d: len(d.responses) >= 2)
    assert "opnieuw herinnerd; de datum blijft" in json.dumps(slack_double.responses[0]["blocks"])
    assert "verouderd" in slack_double.responses[1]["text"]
    fresh = reminder_value(team)
    interact(click("reminder_move", fresh, as_block_id=True, selected_date="2023-11-30"))
    team.expire_all()
    assert team.get(Deadline, 19).due_date.isoformat() == "2023-11-30"


def test_viewer_click_is_refused(team: Session, interact, slack_double: SlackDouble) -> None:
    value = reminder_value(team)
    interact(click("reminder_done", value, user=VIEWER))
    team.expire_all()
    assert team.get(Deadline, 19).status == "open"
    slack_double.wait_for(lambda d: len(d.responses) >= 1)
    assert "editor" in slack_double.responses[0]["text"]


def test_open_dossier_and_paging(team: Session, interact, slack_double: SlackDouble) -> None:
    interact(click("open_dossier", {"deadline": 19}))
    interact(click("dossier_page", {"filter": "", "page": 0}))
    slack_double.wait_for(lambda d: len(d.responses) >= 2)
    assert "N35 Wijthmen" in json.dumps(slack_double.responses[0]["blocks"], ensure_ascii=False)
    assert not slack_double.rejections


def submission(callback_id: str, values: dict[str, dict[str, Any]], metadata: dict[str, Any],
               user: str = EDITOR, view_id: str | None = None) -> dict[str, Any]:
    """A form submission; each modal Slack opens has its own view id."""
    return {"type": "view_submission", "user": {"id": user}, "team": {"id": "T0LOBBY"},
            "api_app_id": "A0LOBBY", "trigger_id": "1.2.x",
            "view": {"id": view_id or f"V{trigger_id().replace('.', '')}", "type": "modal", "callback_id": callback_id,
                     "private_metadata": json.dumps(metadata), "blocks": [],
                     "state": {"values": {k: {"value": v} for k, v in values.items()}}}}


def test_status_modal_reason_required_and_stale_version(team: Session, interact) -> None:
    n35 = team.exec(select(Dossier).where(Dossier.code == "N35")).one()
    meta = {"dossier": n35.id, "version": n35.version, "channel": "C0LOBBY"}
    missing = interact(submission("dossier_status", {
        "rag": {"type": "radio_buttons", "selected_option": {"value": "amber"}},
        "reason": {"type": "plain_text_input", "value": ""}}, meta))
    assert json.loads(missing.body)["response_action"] == "errors"
    assert "reason" in json.loads(missing.body)["errors"]
    ok = interact(submission("dossier_status", {
        "rag": {"type": "radio_buttons", "selected_option": {"value": "amber"}},
        "reason": {"type": "plain_text_input", "value": "Motie aangenomen"}}, meta))
    assert ok.status == 200
    assert ok.body == ""
    stale = interact(submission("dossier_status", {
        "rag": {"type": "radio_buttons", "selected_option": {"value": "green"}},
        "reason": {"type": "plain_text_input", "value": "Opgelost"}}, meta))
    errors = json.loads(stale.body)["errors"]
    assert "gewijzigd" in errors["reason"]
    team.expire_all()
    assert team.get(Dossier, n35.id).rag == "amber"


def test_new_dossier_and_deadline_modals(team: Session, interact, slack_double) -> None:
    duplicate = interact(submission("dossier_new", {
        "code": {"type": "plain_text_input", "value": "N35"},
        "title": {"type": "plain_text_input", "value": "Dubbel"}}, {}))
    assert "code" in json.loads(duplicate.body)["errors"]
    created = interact(submission("dossier_new", {
        "code": {"type": "plain_text_input", "value": "A28"},
        "title": {"type": "plain_text_input", "value": "A28 Zwolle–Amersfoort"},
        "funding_needed": {"type": "number_input", "value": "1000000"}}, {"channel": "C0LOBBY"}))
    assert created.body == ""
    a28 = team.exec(select(Dossier).where(Dossier.code == "A28")).one()
    bad_offsets = interact(submission("deadline_add", {
        "dossier": {"type": "static_select", "selected_option": {"value": str(a28.id)}},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": "Statendebat"},
        "offsets": {"type": "plain_text_input", "value": "x,y"}}, {}))
    assert "offsets" in json.loads(bad_offsets.body)["errors"]
    added = interact(submission("deadline_add", {
        "dossier": {"type": "static_select", "selected_option": {"value": str(a28.id)}},
        "due": {"type": "datepicker", "selected_date": "2023-12-01"},
        "title": {"type": "plain_text_input", "value": "Statendebat"}}, {"channel": "C0LOBBY"}))
    assert added.body == ""
    slack_double.wait_for_calls("chat.postEphemeral", 2)
    assert "vr 1 dec 2023" in slack_double.calls_to("chat.postEphemeral")[-1].params["text"]


def test_app_home(team: Session, app, slack_double: SlackDouble) -> None:
    from slack_bolt import BoltRequest

    from tests.bot.conftest import sign

    event = {"type": "event_callback", "team_id": "T0LOBBY", "api_app_id": "A0LOBBY",
             "event_id": "Ev1", "event_time": 1700000000,
             "event": {"type": "app_home_opened", "user": EDITOR, "channel": "D1", "tab": "home"}}
    body = json.dumps(event)
    headers = {**sign(body), "content-type": "application/json"}
    assert app.dispatch(BoltRequest(body=body, headers=headers)).status == 200
    retry = {**headers, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    assert app.dispatch(BoltRequest(body=body, headers=retry)).status == 200
    app.lobby_deps.drain()
    published = slack_double.calls_to("views.publish")
    assert len(published) == 1
    assert published[0].ok
    text = json.dumps(published[0].params["view"], ensure_ascii=False)
    assert "Mijn dossiers" in text
    assert "RAG-overzicht" in text


def _edit_values(view: dict[str, Any], **changed: str) -> dict[str, dict[str, Any]]:
    """The edit form's state as Slack sends it: each input's initial value, some changed."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, name = block["element"], block["block_id"]
        if "options" in element:
            chosen = changed.get(name, (element.get("initial_option") or {}).get("value"))
            values[name] = {"type": element["type"],
                            "selected_option": {"value": chosen} if chosen else None}
        else:
            values[name] = {"type": element["type"],
                            "value": changed.get(name, element.get("initial_value"))}
    return values


def test_edit_form_saves_only_what_changed_and_refuses_a_stale_one(team: Session,
                                                                   interact) -> None:
    from bot.render.message import block_json
    from bot.render.modals import render_dossier_edit_modal
    from tracker.models import Event

    zwm = team.exec(select(Dossier).where(Dossier.code == "ZWM")).one()
    view = block_json(render_dossier_edit_modal(zwm))
    phases = next(b for b in view["blocks"] if b.get("block_id") == "phase")["element"]["options"]
    assert [o["value"] for o in phases] == ["active", "paused"]  # archiving is its own command
    meta = {"dossier": zwm.id, "version": zwm.version}
    last_event = max(e.id for e in team.exec(select(Event)).all())
    saved = interact(submission("dossier_edit", _edit_values(
        view, funding_note="Rijk € 35 mln; regio zoekt € 40 mln", phase="paused"), meta))
    assert saved.status == 200 and saved.body == ""
    team.expire_all()
    zwm = team.get(Dossier, zwm.id)
    assert (zwm.funding_note, zwm.phase) == ("Rijk € 35 mln; regio zoekt € 40 mln", "paused")
    new_events = team.exec(select(Event).where(Event.id > last_event)).all()
    assert sorted(e.text for e in new_events) == ["funding_note", "phase"]
    stale = interact(submission("dossier_edit", _edit_values(view, title="Oude titel"), meta))
    assert "gewijzigd" in json.loads(stale.body)["errors"]["title"]
    team.expire_all()
    assert team.get(Dossier, zwm.id).title != "Oude titel"


def test_edit_form_of_an_archived_dossier_can_reopen_it(team: Session) -> None:
    from bot.render.message import block_json
    from bot.render.modals import render_dossier_edit_modal

    zwm = team.exec(select(Dossier).where(Dossier.code == "ZWM")).one()
    zwm.phase = "closed"
    phase = next(b for b in block_json(render_dossier_edit_modal(zwm))["blocks"]
                 if b.get("block_id") == "phase")["element"]
    assert [o["value"] for o in phase["options"]] == ["active", "paused", "closed"]
    assert phase["initial_option"]["value"] == "closed"
    assert phase["initial_option"]["text"]["text"] == "gearchiveerd"
    team.rollback()


def test_an_edit_form_without_the_newer_fields_leaves_them_alone(team: Session, interact) -> None:
    """A form opened before the funding note and phase were on it (or a hand-made one)."""
    zwm = team.exec(select(Dossier).where(Dossier.code == "ZWM")).one()
    note, phase = zwm.funding_note, zwm.phase
    saved = interact(submission("dossier_edit", {
        "title": {"type": "plain_text_input", "value": "Spoor Zwolle–Meppel"}},
        {"dossier": zwm.id, "version": zwm.version}))
    assert saved.status == 200 and saved.body == ""
    team.expire_all()
    zwm = team.get(Dossier, zwm.id)
    assert (zwm.title, zwm.funding_note, zwm.phase) == ("Spoor Zwolle–Meppel", note, phase)
    assert zwm.funding_needed is not None  # not cleared by its absence either
