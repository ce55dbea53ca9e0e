"""Modal submissions: new dossier, edit dossier, add deadline, change status.

Validation errors appear next to the field (`response_action: errors`); a stale edit (the
version in private_metadata is no longer current) is a Conflict, shown the same way.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.views import View
from sqlmodel import Session

from bot.ids import CallbackId
from bot.render.dossiers import render_dossier_changed
from bot.render.message import block_json
from bot.render.modals import (
    render_deadline_add_modal,
    render_dossier_edit_modal,
    render_dossier_new_modal,
    render_status_modal,
)
from bot.render.results import render_result
from bot.unit_of_work import transactional
from tracker.dates.core import checked_date
from tracker.errors import InvalidInput
from tracker.models import Dossier, Role
from tracker.results import DeadlineAdded, DossierChanged, ModalRequested
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services.members import require_role


def modal_for(request: ModalRequested, *, session: Session, lang: str,
              channel_id: str | None = None) -> View:
    """The modal a command or button asked for."""
    if request.modal == "dossier_new":
        return render_dossier_new_modal(lang=lang, channel_id=channel_id)
    if request.modal == "dossier_edit" and request.dossier is not None:
        return render_dossier_edit_modal(request.dossier, lang=lang, channel_id=channel_id)
    if request.modal == "dossier_status" and request.dossier is not None:
        return render_status_modal(request.dossier, lang=lang, channel_id=channel_id)
    return render_deadline_add_modal(ds.list_dossiers(session=session), selected=request.dossier,
                                     lang=lang, channel_id=channel_id)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def field(view: dict[str, Any], block_id: str) -> str | None:
    """The submitted value of one input (text, select, radio, date, time or number); None when
    it is missing or not the shape Slack sends. An input block holds one element: its value is
    read whatever its action_id."""
    values = _object(_object(view.get("state")).get("values"))
    value = _object(next(iter(_object(values.get(block_id)).values()), None))
    option = _object(value.get("selected_option"))
    if isinstance(option.get("value"), str):
        return option["value"]
    for key in ("selected_date", "selected_time", "value"):
        if isinstance(value.get(key), str):
            return str(value[key])
    return None


def _meta(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _digits(text: str, most: int = 18) -> bool:
    """ASCII digits only (str.isdigit also accepts "²"), and few enough for a BIGINT."""
    return text.isascii() and text.isdigit() and len(text) <= most


def _meta_int(meta: dict[str, Any], key: str) -> int:
    """A record id or version the form carried; 0 (no such record/version) when garbled."""
    value = meta.get(key)
    return value if type(value) is int and 0 <= value < 2**63 else 0


def _amount(view: dict[str, Any], block_id: str, lang: str) -> int | None:
    raw = (field(view, block_id) or "").strip()
    if not raw:
        return None
    if not _digits(raw, 15):
        raise InvalidInput("Een bedrag is een heel aantal euro's.", "An amount is whole euros.")
    return int(raw)


def _confirm(context: BoltContext, meta: dict[str, Any], user_id: str, message: Any) -> None:
    outbox = [{"op": "refresh_home", "user": user_id}]
    if meta.get("channel"):
        outbox.insert(0, {"op": "ephemeral", "channel": meta["channel"], "user": user_id,
                          "payload": message.payload()})
    context["outbox"] = outbox


def _start(context: BoltContext, body: dict[str, Any], first_block: str) -> tuple[Any, str]:
    """Check the editor role; errors show next to `first_block` unless said otherwise."""
    context["error_block"] = first_block
    deps = context["deps"]
    user_id = body["user"]["id"]
    require_role(context["session"], user_id, Role.EDITOR, deps.settings.admins)
    return deps, user_id


def handle_dossier_new(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                       context: BoltContext) -> None:
    """Create the dossier from the form."""
    deps, user_id = _start(context, body, "code")
    session, now, lang = context["session"], context["now"], deps.lang
    context["error_block"] = "funding_needed"
    needed = _amount(view, "funding_needed", lang)
    context["error_block"] = "funding_secured"
    secured = _amount(view, "funding_secured", lang)
    title = field(view, "title") or ""
    if not title.strip():
        context["error_block"] = "title"
        raise InvalidInput("De titel ontbreekt.", "The title is missing.")
    context["error_block"] = "code"
    dossier = ds.create_dossier(session=session, now=now, actor=user_id,
                                code=field(view, "code") or "", title=title,
                                line=field(view, "line"), goal=field(view, "goal") or "",
                                funding_needed=needed, funding_secured=secured)
    ack()
    _confirm(context, _meta(view), user_id,
             render_dossier_changed(DossierChanged(dossier, "created"), lang=lang))


def handle_dossier_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                        context: BoltContext) -> None:
    """Save the edited fields, refusing when someone changed the dossier meanwhile."""
    deps, user_id = _start(context, body, "title")
    session, now, lang = context["session"], context["now"], deps.lang
    meta = _meta(view)
    dossier = _form_dossier(session, meta)
    shown = block_json(render_dossier_edit_modal(dossier, lang=lang))
    initial = {b["block_id"]: (b["element"].get("initial_value")
                               or (b["element"].get("initial_option") or {}).get("value"))
               for b in shown["blocks"] if b.get("type") == "input"}
    changes: dict[str, object] = {}
    sent = _object(_object(view.get("state")).get("values"))
    # A field the form did not hold (a form opened before the field existed) is left alone.
    for name in [n for n in ("title", "summary", "goal", "line", "funding_note", "phase")
                 if n in sent]:
        value = field(view, name) or ""
        if value != (initial.get(name) or ""):
            changes[name] = value
    for name in [n for n in ("funding_needed", "funding_secured") if n in sent]:
        context["error_block"] = name
        amount = _amount(view, name, lang)
        if amount != getattr(dossier, name):
            changes[name] = amount
    context["error_block"] = "title"
    ds.update_dossier(session=session, now=now, actor=user_id, dossier=dossier,
                      expected_version=_meta_int(meta, "version"), **changes)
    ack()
    _confirm(context, meta, user_id,
             render_dossier_changed(DossierChanged(dossier, "updated"), lang=lang))


def handle_deadline_add(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                        context: BoltContext) -> None:
    """Add the deadline from the form; the reply echoes its id and date in words."""
    deps, user_id = _start(context, body, "dossier")
    session, now, lang, tz = context["session"], context["now"], deps.lang, deps.settings.tz
    raw_dossier = field(view, "dossier") or ""
    dossier = session.get(Dossier, int(raw_dossier)) if _digits(raw_dossier) else None
    if dossier is None:
        raise InvalidInput("Kies een dossier.", "Choose a dossier.")
    dl.require_open_dossier(dossier)  # said next to the dossier field, not under the title
    context["error_block"] = "due"
    try:
        due = date.fromisoformat(field(view, "due") or "")
        raw_time = field(view, "time")
        due_time = time.fromisoformat(raw_time) if raw_time else None
    except ValueError as exc:
        raise InvalidInput("Kies een datum.", "Choose a date.") from exc
    checked_date(due)  # the one year window, said next to the date field
    context["error_block"] = "offsets"
    raw_offsets = (field(view, "offsets") or "").strip()
    offsets = dl.parse_offsets(raw_offsets) if raw_offsets else None
    context["error_block"] = "title"
    deadline = dl.add_deadline(session=session, now=now, actor=user_id, dossier=dossier,
                               title=field(view, "title") or "", due=due, due_time=due_time,
                               kind=field(view, "kind"), offsets=offsets)
    kamer_ref = field(view, "kamer")
    if kamer_ref:  # *Koppel aan Tweede Kamer*: the activity chosen in the form
        from tracker.kamer.services import link_deadline

        context["error_block"] = "kamer"
        link_deadline(session=session, now=now, actor=user_id, deadline=deadline, ref=kamer_ref)
    ack()
    result = DeadlineAdded(deadline, dossier, dl.is_past(deadline, now, tz), dl.offsets_for(deadline))
    _confirm(context, _meta(view), user_id,
             render_result(result, lang=lang, tz=tz, today=now.astimezone(tz).date()))


def handle_status(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                  context: BoltContext) -> None:
    """Set the RAG status with its reason, refusing a stale form."""
    deps, user_id = _start(context, body, "reason")
    session, now, lang = context["session"], context["now"], deps.lang
    meta = _meta(view)
    dossier = _form_dossier(session, meta)
    before = dossier.rag
    context["error_block"] = "reason"
    ds.set_status(session=session, now=now, actor=user_id, dossier=dossier,
                  rag=field(view, "rag") or "", reason=field(view, "reason") or "",
                  expected_version=_meta_int(meta, "version"))
    ack()
    _confirm(context, meta, user_id,
             render_dossier_changed(DossierChanged(dossier, "status", before=before), lang=lang))


def register(app: App) -> None:
    """Register the modal submissions."""
    app.view(CallbackId.DOSSIER_NEW.value)(ack=transactional(handle_dossier_new), lazy=[])
    app.view(CallbackId.DOSSIER_EDIT.value)(ack=transactional(handle_dossier_edit), lazy=[])
    app.view(CallbackId.DEADLINE_ADD.value)(ack=transactional(handle_deadline_add), lazy=[])
    app.view(CallbackId.DOSSIER_STATUS.value)(ack=transactional(handle_status), lazy=[])


def _form_dossier(session: Any, meta: dict[str, Any]) -> Dossier:
    """The dossier a form was opened for (its id travels in private_metadata)."""
    dossier = session.get(Dossier, _meta_int(meta, "dossier"))
    if dossier is None:
        raise InvalidInput("Dit dossier bestaat niet meer.", "This dossier no longer exists.")
    return dossier
