"""Buttons: reminder buttons (Afgerond, Herinner morgen, Verzetten…, Dossier), list paging,
digest posting, and the dossier card's buttons that open modals.

Reminder buttons carry `{"deadline": id, "version": v, "due": "YYYY-MM-DD"}` (the date
picker carries it in its actions block's block_id). A click on a stale reminder — the deadline
was completed, cancelled or moved meanwhile, or a double click — is answered politely and
changes nothing: the version check makes every change apply at most once.
After a click the message is updated in place (chat.update): in a bundle only the clicked
line's actions give way to what was done and by whom; the other lines keep their buttons.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.blocks import Block

from bot.ids import ActionId
from bot.listeners.views import modal_for
from bot.render.dossiers import render_dossier_card, render_dossier_list
from bot.render.limits import MAX_MESSAGE_BLOCKS
from bot.render.limits import context as context_block
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text
from bot.render.results import render_notice, render_result
from bot.unit_of_work import transactional
from tracker.dates import format_date, format_datetime, parse_period
from tracker.errors import InvalidInput
from tracker.labels import due_label
from tracker.models import Deadline, DeadlineStatus, Dossier, Role
from tracker.results import DeadlineAdded, ModalRequested
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services import reminders as rm
from tracker.services.members import require_role


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def action_value(action: dict[str, Any]) -> dict[str, Any]:
    """The JSON an element carries: in `value` (buttons) or its block's block_id (pickers)."""
    for raw in (action.get("value"), action.get("block_id")):
        if raw:
            try:
                data = json.loads(raw)
            except (TypeError, json.JSONDecodeError):
                continue
            if isinstance(data, dict):
                return data
    raise InvalidInput("Deze knop is niet (meer) geldig.", "This button is not valid (anymore).")


def record_id(value: Any) -> int | None:
    """An id, version or page number from a payload: an int, never a bool, float or string
    (JSON `true` == 1 in Python, so `{"deadline": true}` would otherwise be deadline #1), and
    within a BIGINT."""
    return value if type(value) is int and 0 <= value < 2**63 else None


def _text(value: Any) -> str:
    """A text a payload carries; anything else (a number, a list, an object) is no text."""
    return value if isinstance(value, str) else ""


def _respond(context: BoltContext, message: Message, *, replace: bool = False) -> None:
    context["outbox"].append({"op": "respond",
                              "payload": {**message.payload(), "replace_original": replace}})


def _stale(deadline: Deadline | None, value: dict[str, Any], lang: str) -> str | None:
    """Why a reminder button no longer applies, or None when it still does."""
    if deadline is None:
        return _t(lang, "Deze deadline bestaat niet meer; er is niets gewijzigd.",
                  "This deadline no longer exists; nothing was changed.")
    title = f"*#{deadline.id} {escape_user_text(deadline.title)}*"
    if deadline.status == DeadlineStatus.DONE.value:
        return _t(lang, f"{title} is al afgerond; er is niets gewijzigd.",
                  f"{title} is already done; nothing was changed.")
    if deadline.status == DeadlineStatus.CANCELLED.value:
        return _t(lang, f"{title} is geannuleerd; er is niets gewijzigd.",
                  f"{title} was cancelled; nothing was changed.")
    if deadline.status == DeadlineStatus.MISSED.value:
        return _t(lang, f"{title} is al als niet gehaald gemeld; er is niets gewijzigd.",
                  f"{title} was already reported as missed; nothing was changed.")
    due = _text(value.get("due"))
    if (due and due != deadline.due_date.isoformat()) or record_id(value.get("version")) != deadline.version:
        when = due_label(deadline, lang)
        return _t(lang, f"Deze herinnering is verouderd: {title} staat nu op {when}. "
                        "Er is niets gewijzigd.",
                  f"This reminder is out of date: {title} is now due {when}. Nothing was changed.")
    return None


def _reminder_target(body: dict[str, Any], context: BoltContext) -> tuple[Deadline, str] | None:
    """The deadline a reminder button acts on, after the role and staleness checks."""
    deps = context["deps"]
    session, lang = context["session"], deps.lang
    user_id = body["user"]["id"]
    require_role(session, user_id, Role.EDITOR, deps.settings.admins)
    value = action_value(body["actions"][0])
    deadline_id = record_id(value.get("deadline"))
    deadline = session.get(Deadline, deadline_id) if deadline_id is not None else None
    why = _stale(deadline, value, lang)
    if why is not None or deadline is None:
        _respond(context, render_notice(":information_source: " + (why or "")))
        return None
    return deadline, user_id


def _closed_reminder(body: dict[str, Any], note: str) -> Message:
    """The reminder message as it was, the clicked line's buttons replaced by what was done and
    by whom (a single reminder: its only actions block; a bundle: that line's alone)."""
    message = body.get("message") or {}
    raw = message.get("blocks") or []
    clicked = body["actions"][0].get("block_id")
    lines = [b for b in raw if b.get("type") == "actions"]
    if not any(b.get("block_id") == clicked for b in lines):
        kept = [b for b in raw if b.get("type") != "actions"]
        blocks = [block for block in (Block.parse(b) for b in kept) if block is not None]
        return Message(message.get("text") or note,
                       [*blocks[:MAX_MESSAGE_BLOCKS - 1], context_block(note)])
    blocks = []
    for b in raw:
        if b.get("type") == "actions" and b.get("block_id") == clicked:
            blocks.append(context_block(note))
        elif (block := Block.parse(b)) is not None:
            blocks.append(block)
    return Message(message.get("text") or note, blocks[:MAX_MESSAGE_BLOCKS])


def _after_change(context: BoltContext, body: dict[str, Any], note: str, user_id: str) -> None:
    container = body.get("container") or {}
    if body.get("message"):
        updated = _closed_reminder(body, note)
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        if container.get("message_ts") and channel and not container.get("is_ephemeral"):
            context["outbox"].append({"op": "update", "channel": channel,
                                      "ts": container["message_ts"],
                                      "payload": updated.payload()})
        else:
            _respond(context, updated, replace=True)
    else:
        _respond(context, render_notice(note))
    context["outbox"].append({"op": "refresh_home", "user": user_id})


def _close_by_button(body: dict[str, Any], context: BoltContext, close: Any,
                     after: Any, nl: str, en: str) -> None:
    """A button that closes its milestone (`close`: a service taking session, now, actor,
    deadline and expected_version), then `after` shows `nl`/`en` ("{user}": who clicked)."""
    target = _reminder_target(body, context)
    if target is None:
        return
    deadline, user_id = target
    close(session=context["session"], now=context["now"], actor=user_id, deadline=deadline,
          expected_version=action_value(body["actions"][0])["version"])
    note = _t(context["deps"].lang, nl, en).format(user=f"<@{user_id}>")
    after(context, body, note, user_id)


def handle_reminder_done(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Afgerond": mark the milestone reached."""
    ack()
    _close_by_button(body, context, dl.complete_deadline, _after_change,
                     ":white_check_mark: Afgerond door {user}.",
                     ":white_check_mark: Marked done by {user}.")


def _move(body: dict[str, Any], context: BoltContext, new_due: date) -> None:
    target = _reminder_target(body, context)
    if target is None:
        return
    deadline, user_id = target
    lang = context["deps"].lang
    if new_due == deadline.due_date:
        raise InvalidInput(f"Deadline #{deadline.id} staat al op die datum.",
                           f"Deadline #{deadline.id} is already on that date.")
    dl.move_deadline(session=context["session"], now=context["now"], actor=user_id,
                     deadline=deadline, due=new_due, due_time=deadline.due_time,
                     precision="day", qualifier="",  # a day picked is a day known
                     expected_version=action_value(body["actions"][0])["version"])
    when = format_date(new_due, lang)
    _after_change(context, body, _t(lang, f":calendar: Verzet naar {when} door <@{user_id}>.",
                                    f":calendar: Moved to {when} by <@{user_id}>."), user_id)


def handle_reminder_snooze(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Herinner morgen": one more reminder on the next working day; the date stays."""
    ack()
    target = _reminder_target(body, context)
    if target is None:
        return
    deadline, user_id = target
    deps = context["deps"]
    lang, tz = deps.lang, deps.settings.tz
    at = rm.snooze_deadline(session=context["session"], now=context["now"], deadline=deadline,
                            settings=deps.settings,
                            expected_version=action_value(body["actions"][0])["version"])
    when = format_datetime(at, tz, lang)
    _after_change(context, body, _t(lang, f":alarm_clock: <@{user_id}> wordt op {when} opnieuw "
                                          "herinnerd; de datum blijft.",
                                    f":alarm_clock: Reminding again on {when} "
                                    f"(asked by <@{user_id}>); the date stays."), user_id)


def handle_reminder_move(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Verzetten…": the date picked in the reminder's date picker."""
    ack()
    picked = body["actions"][0].get("selected_date")
    if not picked:
        return
    try:
        new_due = date.fromisoformat(picked)
    except ValueError as exc:
        raise InvalidInput("Kies een datum.", "Choose a date.") from exc
    _move(body, context, new_due)


def handle_open_dossier(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Dossier": show the dossier card to the one who clicked."""
    ack()
    deps, session, now = context["deps"], context["session"], context["now"]
    value = action_value(body["actions"][0])
    dossier = None
    dossier_id, deadline_id = record_id(value.get("dossier")), record_id(value.get("deadline"))
    if dossier_id is not None:
        dossier = session.get(Dossier, dossier_id)
    elif deadline_id is not None:
        deadline = session.get(Deadline, deadline_id)
        dossier = session.get(Dossier, deadline.dossier_id) if deadline else None
    if dossier is None:
        raise InvalidInput("Dit dossier bestaat niet meer.", "This dossier no longer exists.")
    tz = deps.settings.tz
    card = ds.dossier_card(session=session, dossier=dossier, now=now, tz=tz)
    _respond(context, render_dossier_card(card, tz=tz, today=now.astimezone(tz).date(),
                                          lang=deps.lang))


def handle_dossier_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Next page of `/dossier list`, in place of the current one."""
    ack()
    value = action_value(body["actions"][0])
    filter_text = _text(value.get("filter"))
    page_number = record_id(value.get("page")) or 0
    dossiers, total = ds.page_dossiers(session=context["session"], filter_text=filter_text,
                                       page=page_number)
    _respond(context, render_dossier_list(dossiers, filter_text=filter_text,
                                          page_number=page_number, lang=context["deps"].lang,
                                          total=total),
             replace=True)


def handle_deadline_add_anyway(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Toch toevoegen": add the deadline that "bestaat al als #19" deliberately, once."""
    ack()
    deps, session, now = context["deps"], context["session"], context["now"]
    user_id = body["user"]["id"]
    require_role(session, user_id, Role.EDITOR, deps.settings.admins)
    value = action_value(body["actions"][0])
    dossier_id = record_id(value.get("dossier"))
    dossier = session.get(Dossier, dossier_id) if dossier_id is not None else None
    if dossier is None:
        raise InvalidInput("Dit dossier bestaat niet meer.", "This dossier no longer exists.")
    try:
        due = date.fromisoformat(_text(value.get("due")))
        raw_time = _text(value.get("time"))
        due_time = time.fromisoformat(raw_time) if raw_time else None
    except ValueError as exc:
        raise InvalidInput("Deze knop is niet (meer) geldig.",
                           "This button is not valid (anymore).") from exc
    deadline = dl.add_deadline(session=session, now=now, actor=user_id, dossier=dossier,
                               title=_text(value.get("title")), due=due, due_time=due_time,
                               precision=_text(value.get("precision")) or "day",
                               qualifier=_text(value.get("qualifier")),
                               part=_text(value.get("part")), allow_duplicate=True)
    tz = deps.settings.tz
    result = DeadlineAdded(deadline, dossier, dl.is_past(deadline, now, tz), dl.offsets_for(deadline))
    # in place of the "bestaat al" reply, so a second click finds no button to press again
    _respond(context, render_result(result, lang=deps.lang, tz=tz, today=now.astimezone(tz).date()),
             replace=True)
    context["outbox"].append({"op": "refresh_home", "user": user_id})


def handle_digest_post(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Plaats in kanaal": post the previewed digest for everyone."""
    ack()
    deps, now = context["deps"], context["now"]
    key = _text(action_value(body["actions"][0]).get("period"))
    period = parse_period(key, now=now, tz=deps.settings.tz)
    channel = (body.get("channel") or {}).get("id")
    context["outbox"].append({"op": "digest", "period": period, "post": True, "channel": channel})


def _confirmed_line(context: BoltContext, body: dict[str, Any], note: str, user_id: str) -> None:
    """The confirmation message as it was, only the answered action's buttons replaced by what
    was done and by whom (the other actions keep theirs)."""
    message = body.get("message") or {}
    answered = body["actions"][0].get("block_id")
    blocks: list[Block] = []
    for raw in message.get("blocks") or []:
        if raw.get("type") == "actions" and raw.get("block_id") == answered:
            blocks.append(context_block(note))
        elif (block := Block.parse(raw)) is not None:
            blocks.append(block)
    if blocks:
        _respond(context, Message(_text(message.get("text")) or note,
                                  blocks[:MAX_MESSAGE_BLOCKS]), replace=True)
    else:
        _respond(context, render_notice(note))
    context["outbox"].append({"op": "refresh_home", "user": user_id})


def handle_confirm_done(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Confirmation round, "Afgerond": the action was delivered."""
    ack()
    _close_by_button(body, context, dl.complete_deadline, _confirmed_line,
                     ":white_check_mark: Afgerond, gemeld door {user}.",
                     ":white_check_mark: Done, reported by {user}.")


def handle_confirm_missed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Confirmation round, "Niet gehaald": somebody says the action was not achieved."""
    ack()
    _close_by_button(body, context, dl.report_missed, _confirmed_line,
                     ":x: Niet gehaald, gemeld door {user}.", ":x: Missed, reported by {user}.")


def handle_confirm_move(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Confirmation round, "Verzetten…": the action gets the date picked."""
    ack()
    picked = body["actions"][0].get("selected_date")
    if not picked:
        return
    try:
        new_due = date.fromisoformat(picked)
    except ValueError as exc:
        raise InvalidInput("Kies een datum.", "Choose a date.") from exc
    target = _reminder_target(body, context)
    if target is None:
        return
    deadline, user_id = target
    lang = context["deps"].lang
    if new_due == deadline.due_date:
        raise InvalidInput(f"Deadline #{deadline.id} staat al op die datum.",
                           f"Deadline #{deadline.id} is already on that date.")
    dl.move_deadline(session=context["session"], now=context["now"], actor=user_id,
                     deadline=deadline, due=new_due, due_time=deadline.due_time,
                     approximate=deadline.approximate,
                     expected_version=action_value(body["actions"][0])["version"])
    when = format_date(new_due, lang)
    _confirmed_line(context, body, _t(lang, f":calendar: Verzet naar {when} door <@{user_id}>.",
                                      f":calendar: Moved to {when} by <@{user_id}>."), user_id)


def _open_modal(modal: str) -> Any:
    def handle(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, session = context["deps"], context["session"]
        require_role(session, body["user"]["id"], Role.EDITOR, deps.settings.admins)
        value = action_value(body["actions"][0])
        dossier_id = record_id(value.get("dossier"))
        dossier = session.get(Dossier, dossier_id) if dossier_id is not None else None
        if dossier is None:
            raise InvalidInput("Dit dossier bestaat niet meer.", "This dossier no longer exists.")
        channel = (body.get("channel") or {}).get("id")
        view = modal_for(ModalRequested(modal, dossier), session=session, lang=deps.lang,
                         channel_id=channel)
        context["outbox"].append({"op": "open_view", "trigger_id": body.get("trigger_id"),
                                  "view": view})
    handle.__name__ = f"handle_open_{modal}"
    return handle


def register(app: App) -> None:
    """Register every button and picker."""
    handlers = {
        ActionId.REMINDER_DONE: handle_reminder_done,
        ActionId.REMINDER_SNOOZE: handle_reminder_snooze,
        ActionId.REMINDER_MOVE: handle_reminder_move,
        ActionId.OPEN_DOSSIER: handle_open_dossier,
        ActionId.DOSSIER_PAGE: handle_dossier_page,
        ActionId.DIGEST_POST: handle_digest_post,
        ActionId.DEADLINE_ADD_ANYWAY: handle_deadline_add_anyway,
        ActionId.CONFIRM_DONE: handle_confirm_done,
        ActionId.CONFIRM_MISSED: handle_confirm_missed,
        ActionId.CONFIRM_MOVE: handle_confirm_move,
        ActionId.CHANGE_STATUS: _open_modal("dossier_status"),
        ActionId.ADD_DEADLINE: _open_modal("deadline_add"),
        ActionId.EDIT_DOSSIER: _open_modal("dossier_edit"),
    }
    for action_id, handler in handlers.items():
        app.action(action_id.value)(ack=transactional(handler), lazy=[])
