"""Options Slack asks for while someone types in an `external_select`: the add-deadline form's
dossier search, used once there are more than 100 dossiers (a static list's limit)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.ids import ActionId
from bot.render.limits import MAX_SELECT_OPTIONS
from bot.render.message import block_json
from bot.render.modals import dossier_option
from bot.unit_of_work import transactional
from tracker.services import dossiers as ds
from tracker.services.refs import MAX_REF


def handle_dossier_search(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Open dossiers whose code, title, line or owner hold every typed word; the first 100."""
    typed = body.get("value")
    text = typed if isinstance(typed, str) else ""
    matches = ([] if len(text) > MAX_REF
               else ds.list_dossiers(session=context["session"], filter_text=text))
    ack(options=[block_json(dossier_option(d)) for d in matches[:MAX_SELECT_OPTIONS]])


def handle_kamer_search(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Coming Tweede Kamer activities (as the last sync stored them) matching what is typed."""
    from datetime import timedelta

    from bot.render.kamer import activity_option
    from tracker.kamer.services import search_coming

    typed = body.get("value")
    text = typed if isinstance(typed, str) and len(typed) <= MAX_REF else ""
    settings, now = context["deps"].settings, context["now"]
    found = search_coming(session=context["session"], now=now, tz=settings.tz, words=text,
                          until=now.astimezone(settings.tz).date() + timedelta(days=366),
                          limit=MAX_SELECT_OPTIONS) if text.strip() else []
    ack(options=[block_json(activity_option(a)) for a in found if a.nummer])


def register(app: App) -> None:
    """Register the option loaders."""
    app.options(ActionId.DOSSIER_SEARCH.value)(ack=transactional(handle_dossier_search), lazy=[])
    app.options(ActionId.KAMER_SEARCH.value)(ack=transactional(handle_kamer_search), lazy=[])
