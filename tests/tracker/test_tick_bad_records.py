"""No record can stop the tick: what cannot be planned or rendered is skipped and recorded with
its error (shown by `lobby doctor`); everyone else's reminders go out in the same tick."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.render.reminders import render_overdue, render_reminder
from tests.tracker.scheduling_support import (
    RecordingNotifier,
    add_deadline,
    add_dossier,
    ledger,
    local,
    scheduler_settings,
    tick,
)
from tracker.doctor import check_database
from tracker.scheduling.items import Item, Overdue, PostResult, Reminder
from tracker.settings import Settings


@pytest.fixture
def sched(settings: Settings, db_url: str) -> Settings:
    return scheduler_settings(db_url)


class RenderingNotifier(RecordingNotifier):
    """Renders every reminder with the real Block Kit renderer before keeping it."""

    def post(self, channel: str, item: Item) -> PostResult:
        if isinstance(item, Reminder):
            render_reminder(item).payload()
        elif isinstance(item, Overdue):
            render_overdue(item).payload()
        return super().post(channel, item)


def test_bad_records_are_skipped_and_recorded_while_the_others_go_out(
        engine: Engine, session: Session, sched: Settings) -> None:
    dossier = add_dossier(session)
    good = add_deadline(session, dossier, date(2023, 11, 20), title="Kamerdebat MIRT")
    other = add_deadline(session, add_dossier(session, "ZWM"), date(2023, 11, 20),
                         title="BO Spoor")
    planted = [
        add_deadline(session, dossier, date(9999, 12, 31), title="Ver weg", offsets="0"),
        add_deadline(session, dossier, date(2023, 11, 1), title="Elke seconde",
                     rrule="FREQ=SECONDLY"),
        add_deadline(session, dossier, date(2023, 11, 1), title="Kapotte regel",
                     rrule="FREQ=MONTHLY;BYMONTHDAY=99x"),
        add_deadline(session, dossier, date(2023, 11, 20), title="Rare ladder", offsets="7,abc"),
        add_deadline(session, dossier, date(1, 1, 1), title="Jaar een", offsets="0"),
    ]
    # a row the renderers have to cope with: unknown kind, long hostile title
    add_deadline(session, dossier, date(2023, 11, 20), kind="bogus",
                 title="<!channel> *" + "x" * 180 + "\r\n`")
    session.commit()
    notifier = RenderingNotifier()
    report = tick(engine, sched, notifier, local(2023, 11, 13, 9))
    posted = {item.deadline_id for _, item in notifier.posts}
    assert {good.id, other.id} <= posted
    rows = ledger(engine)
    for bad in planted:
        row = rows[f"plan:{bad.id}:v1"]
        assert row.status == "failed" and row.last_error, bad.title
    assert "9999" in rows[f"plan:{planted[0].id}:v1"].last_error
    assert len(report.of("failed")) == len(planted)
    [line] = [c for c in check_database(sched) if c.name == "deliveries"]
    # shown by the doctor as a warning that names what failed (the others did go out)
    assert (not line.ok or line.warning) and "9999" in line.detail
    # later ticks go on, and a bad record is recorded once, not every minute
    again = tick(engine, sched, notifier, local(2023, 11, 13, 9, 1))
    assert again.of("failed") == []
    assert len([k for k in ledger(engine) if k.startswith("plan:")]) == len(planted)
