"""Events: app_home_opened renders the Home tab. Retries of an event are harmless (the Home
tab is rebuilt from the records) and skipped by the request middleware when already seen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.views import View
from sqlmodel import Session

from bot.render.home import HomeData, render_home
from bot.unit_of_work import transactional
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services import reminders as rm

HOME_DAYS = 14
HOME_LIST_LIMIT = 100  # deadlines read per list; more than the tab's blocks can hold


def home_view(*, session: Session, user_id: str, deps: Any, now: datetime) -> View:
    """Gather the user's Home tab from the records and render it."""
    tz = deps.settings.tz
    today = now.astimezone(tz).date()
    dossiers = ds.list_dossiers(session=session)
    until = today + timedelta(days=HOME_DAYS)
    # Only what the tab can show is read; the rest is counted ("…en nog N").
    overdue, overdue_total = dl.upcoming_page(session=session, now=now, tz=tz, until=until,
                                              only_overdue=True, limit=HOME_LIST_LIMIT)
    upcoming, upcoming_total = dl.upcoming_page(session=session, now=now, tz=tz, until=until,
                                                include_overdue=False, limit=HOME_LIST_LIMIT)
    reminders = rm.my_reminders(session=session, user_id=user_id, now=now, tz=tz, until=until)
    data = HomeData(user_id=user_id, mine=[d for d in dossiers if d.owner == user_id],
                    overdue=overdue, upcoming=upcoming, dossiers=dossiers, today=today,
                    overdue_total=overdue_total, upcoming_total=upcoming_total,
                    reminders=reminders, reminders_via=rm.reminders_via(session, user_id))
    return render_home(data, lang=deps.lang)


def handle_home_opened(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
    """Publish the Home tab (after the ack, from the outbox)."""
    ack()
    if event.get("tab", "home") == "home" and event.get("user"):
        context["outbox"] = [{"op": "publish_home", "user": event["user"]}]


def register(app: App) -> None:
    """Register the event listeners."""
    app.event("app_home_opened")(ack=transactional(handle_home_opened), lazy=[])
