"""One property ties it together: every date any entry path accepts can be planned by the
tick, rendered by every renderer, exported to ICS, CSV and JSON, and imported back."""

from __future__ import annotations

import csv
import io
import os
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlmodel import Session, select

from bot.render.deadlines import deadline_line, render_deadline_added
from bot.render.dossiers import render_dossier_card
from bot.render.reminders import render_overdue, render_reminder
from tests.conftest import AMS
from tests.slack_double import validate_blocks
from tracker.dates import parse_when
from tracker.db import make_engine
from tracker.digest.model import UpcomingDeadline
from tracker.digest.words import upcoming_phrase
from tracker.errors import InvalidInput
from tracker.ics import build_ics
from tracker.labels import due_label
from tracker.models import Deadline
from tracker.render_text import render_text
from tracker.results import DeadlineAdded
from tracker.scheduling.items import Overdue, Reminder
from tracker.scheduling.plan import deadline_info, plan_tick
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.settings import load_settings
from tracker.transfer import export_csv, export_json, import_csv, import_json

NOW = datetime(2023, 11, 15, 9, 0, tzinfo=AMS)
MONTHS = ["januari", "feb", "maart", "apr", "mei", "juni", "juli", "aug", "sept", "okt", "nov",
          "december"]
YEARS = st.integers(2000, 2100).map(str)
DAYS = st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(1, 28), st.sampled_from(MONTHS), YEARS)
ROUGH = st.one_of(
    st.builds(lambda q, y: f"Q{q} {y}", st.integers(1, 4), YEARS),
    st.builds(lambda p, q, y: f"{p} Q{q} {y}", st.sampled_from(["begin", "medio", "eind"]),
              st.integers(1, 4), YEARS),
    st.builds(lambda s, y: f"{s} {y}", st.sampled_from(["voorjaar", "zomer", "najaar", "winter"]),
              st.integers(2000, 2099).map(str)),
    st.builds(lambda p, y: f"{p} {y}", st.sampled_from(["begin", "medio", "eind"]), YEARS),
    st.builds(lambda m: f"in {m}", st.sampled_from(MONTHS)),
    st.builds(lambda p, m: f"{p} {m}", st.sampled_from(["begin", "medio", "eind"]),
              st.sampled_from(MONTHS)),
    st.builds(lambda w, y: f"week {w} {y}", st.integers(1, 52), YEARS),
    st.builds(lambda h, y: f"H{h} {y}", st.integers(1, 2), YEARS),
    st.sampled_from(["morgen", "volgende vrijdag", "over 2 weken", "eind dit jaar", "in 2024"]),
)
WHEN = st.builds(lambda q, w: f"{q}{w}", st.sampled_from(["", "uiterlijk ", "ca. ",
                                                         "op z'n vroegst "]),
                 st.one_of(DAYS, ROUGH, st.builds(lambda d, h: f"{d} {h:02d}:30", DAYS,
                                                  st.integers(0, 23))))
TITLES = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=80).filter(
    lambda t: t.strip() and "\x00" not in t)
KINDS = st.sampled_from(["debate", "visit", "submission", "decision", "meeting", "election",
                         "commitment", "other"])
EXAMPLES = int(os.environ.get("LOBBY_FUZZ_EXAMPLES", "25"))


def _fresh(sqlite_template: Path, tmp: Path) -> str:
    path = tmp / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=WHEN, title=TITLES, kind=KINDS)
def test_every_accepted_date_is_planned_rendered_exported_and_imported(
        sqlite_template, tmp_path, text, title, kind):
    try:
        when = parse_when(text, now=NOW, tz=AMS)
    except InvalidInput:
        return  # refused politely: nothing to carry further
    source = make_engine(_fresh(sqlite_template, tmp_path))
    target = make_engine(_fresh(sqlite_template, tmp_path))
    try:
        with Session(source) as session:
            dossier = ds.create_dossier(session=session, now=NOW, actor="t", code="N35", title="N35")
            try:
                deadline = dl.add_deadline(session=session, now=NOW, actor="t", dossier=dossier,
                                           title=title, due=when.date, due_time=when.time,
                                           precision=when.precision, qualifier=when.qualifier,
                                           part=when.part, kind=kind)
            except InvalidInput:
                return  # e.g. a title of control characters only
            session.commit()
            label = due_label(deadline, "nl")
            assert label and "None" not in label
            # planned by the tick, a week before and on its anchor day, never recorded as broken
            settings_ = load_settings(DATABASE_URL=str(source.url), LOBBY_DEFAULT_CHANNEL="C0LOBBY",
                                      _env_file=None)
            for moment in (datetime.combine(when.date, datetime.min.time(), tzinfo=AMS)
                           - timedelta(days=7), datetime.combine(when.date, datetime.min.time(),
                                                                 tzinfo=AMS) + timedelta(hours=10)):
                plan = plan_tick(session=session, settings=settings_, now=moment.astimezone(UTC))
                assert not [s for s in plan.skip if s.status == "failed"], plan.skip
            # rendered by every renderer
            info = deadline_info(deadline, dossier)
            for message in (
                    render_reminder(Reminder(key="k", channel="C", due_at=NOW, today=NOW.date(),
                                             deadline=info, due=when.date, offset=7)),
                    render_overdue(Overdue(key="k", channel="C", due_at=NOW, today=NOW.date(),
                                           deadline=info, due=when.date)),
                    render_deadline_added(DeadlineAdded(deadline, dossier, False, (7, 1)),
                                          today=NOW.date()),
                    render_dossier_card(ds.dossier_card(session=session, dossier=dossier, now=NOW,
                                                        tz=AMS), tz=AMS, today=NOW.date())):
                assert validate_blocks(message.payload()["blocks"]) == []
            for item in dl.list_upcoming(session=session, now=NOW, tz=AMS,
                                         until=when.date + timedelta(days=1)):
                assert label.split(" ")[-1] in deadline_line(item, "nl")
            assert render_text(DeadlineAdded(deadline, dossier, False, (7,)), "nl", AMS)
            upcoming = UpcomingDeadline(deadline.id, "N35", "public-affairs", title, kind,
                                        deadline.due_date, deadline.due_time, deadline.approximate,
                                        precision=deadline.precision, qualifier=deadline.qualifier,
                                        due_part=deadline.due_part)
            assert "".join(map(str, upcoming_phrase(upcoming)))
            # ICS
            [event] = Calendar.from_ical(build_ics(session, tz=AMS)).walk("VEVENT")
            assert str(event["uid"]) == f"deadline-{deadline.id}@lobbytracker"
            # CSV, read back and imported into another database
            csv_text = export_csv(session)
            assert len(list(csv.DictReader(io.StringIO(csv_text, newline="")))) == 1
            json_text = export_json(session)
        with Session(target) as other:
            ds.create_dossier(session=other, now=NOW, actor="t", code="N35", title="N35")
            assert import_csv(other, csv_text, now=NOW, actor="t") == 1
            back = other.exec(select(Deadline)).one()
            assert (back.title, back.kind, back.due_date, back.due_time, back.precision,
                    back.qualifier, back.due_part) == (
                deadline.title, deadline.kind, deadline.due_date, deadline.due_time,
                deadline.precision, deadline.qualifier, deadline.due_part)
            other.rollback()
        target.dispose()
        target = make_engine(_fresh(sqlite_template, tmp_path))
        with Session(target) as other:
            import_json(other, json_text)
            other.commit()
            assert export_json(other) == json_text
    finally:
        source.dispose()
        target.dispose()
