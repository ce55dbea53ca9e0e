"""Events: app_home_opened renders the Home tab. Retries of an event are harmless (the Home
tab is rebuilt from the records) and skipped by the request middleware when already seen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.views import View
from sqlmodel import Session

from bot.app import transactional
from bot.listeners.outbox import deliver
from bot.render.home import HomeData, render_home
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds

HOME_DAYS = 14


def home_view(*, session: Session, user_id: str, deps: Any, now: datetime) -> View:
    """Gather the user's Home tab from the records and render it."""
    tz = deps.settings.tz
    today = now.astimezone(tz).date()
    dossiers = ds.list_dossiers(session=session)
    items = dl.list_upcoming(session=session, now=now, tz=tz,
                             until=today + timedelta(days=HOME_DAYS))
    data = HomeData(user_id=user_id, mine=[d for d in dossiers if d.owner == user_id],
                    overdue=[i for i in items if i.overdue],
                    upcoming=[i for i in items if not i.overdue], dossiers=dossiers, today=today)
    return render_home(data, lang=deps.lang)


def handle_home_opened(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
    """Publish the Home tab (after the ack, from the outbox)."""
    ack()
    if event.get("tab", "home") == "home" and event.get("user"):
        context["outbox"] = [{"op": "publish_home", "user": event["user"]}]


def register(app: App) -> None:
    """Register the event listeners."""
    app.event("app_home_opened")(ack=transactional(handle_home_opened), lazy=[deliver])
