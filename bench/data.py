"""The large benchmark dataset: 1,000 dossiers, 50,000 deadlines, 200,000 events — seeded,
bulk-inserted, with a progress bar."""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from tracker.db import refresh_statistics
from tracker.models import Deadline, Dossier, Event, Programme
from tracker.roles import default_role

LINES = ("economie-arbeidsmarkt", "ruimtelijke-ontwikkeling", "public-affairs")
RAGS = ("green", "amber", "red")
KINDS = ("debate", "visit", "submission", "decision", "meeting", "election", "other")
WORDS = ("Kamerdebat", "BO MIRT", "Werkbezoek", "Indienen", "Besluit", "Overleg", "Brief",
         "Zienswijze", "Regio Deal", "Spoor", "Sluis", "Stikstof", "Woningbouw", "Arbeidsmarkt")
CHUNK = 5000


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str, enabled: bool = True) -> None:
        self.total, self.label, self.done, self.enabled = total, label, 0, enabled

    def add(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        sys.stderr.write(f"\r{self.label:<10} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{self.done:>7}/{self.total}")
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _bulk(engine: Engine, model: Any, rows: list[dict[str, Any]], progress: Progress) -> None:
    with engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            conn.execute(insert(model), chunk)
            progress.add(len(chunk))


def build_large_dataset(engine: Engine, *, dossiers: int = 1000, deadlines: int = 50_000,
                        events: int = 200_000, now: datetime | None = None, seed: int = 42,
                        show_progress: bool = True, due_span_days: int = 730) -> dict[str, int]:
    """Fill an empty, migrated database with a deterministic synthetic dataset."""
    rng = random.Random(seed)
    now = now or datetime(2023, 11, 15, 9, 0, tzinfo=UTC)
    today = now.date()
    dossier_rows = [{
        "id": i + 1, "code": f"D{i + 1:04d}", "code_folded": f"d{i + 1:04d}",
        "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} dossier {i + 1}",
        "summary": "", "goal": "", "line": rng.choice(LINES), "rag": rng.choice(RAGS),
        "rag_reason": "Synthetisch", "rag_since": now, "phase": "active",
        "owner": f"U{rng.randrange(100, 120):07d}", "channel": None, "funding_needed": None,
        "funding_secured": None, "funding_note": "", "source": "bench", "created_at": now,
        "updated_at": now, "version": 1} for i in range(dossiers)]
    deadline_rows = []
    for i in range(deadlines):
        due = today + timedelta(days=rng.randrange(-due_span_days // 2, due_span_days // 2))
        kind = rng.choice(KINDS)
        deadline_rows.append({
            "id": i + 1, "dossier_id": rng.randrange(1, dossiers + 1),
            # the role of its kind, as `/deadline add` gives it: submissions are actions (a
            # past one still open is overdue), debates and visits events
            "title": f"{rng.choice(WORDS)} {i + 1}", "kind": kind, "role": default_role(kind),
            "due_date": due,
            "due_time": None, "approximate": False,
            "status": "open" if due >= today or rng.random() < 0.1 else "done",
            "offsets": None, "rrule": None, "source": "", "created_by": "bench",
            "created_at": now - timedelta(days=400), "scheduled_at": now - timedelta(days=400),
            "updated_at": now, "closed_at": None, "version": 1})
    event_rows = []
    start = now - timedelta(days=365)
    for i in range(events):
        kind = rng.choice(("note", "status", "deadline_moved", "note", "deadline_added"))
        event_rows.append({
            "id": i + 1, "at": start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60)),
            "actor": "bench", "kind": kind, "dossier_id": rng.randrange(1, dossiers + 1),
            "deadline_id": None, "programme_id": None,
            "before": "amber" if kind == "status" else None,
            "after": "red" if kind == "status" else None,
            "text": f"Synthetische notitie {i + 1}", "approximate": False})
    programme_rows = [{
        "id": i + 1, "name": f"Programma {i + 1}", "name_folded": f"programma {i + 1}",
        "parent_id": None, "dossier_id": i + 1, "line": LINES[i % 3], "status": "on-track",
        "owner": None, "note": "", "source": "", "updated_at": now, "version": 1}
        for i in range(min(50, dossiers))]
    _bulk(engine, Dossier, dossier_rows, Progress(len(dossier_rows), "dossiers", show_progress))
    _bulk(engine, Programme, programme_rows, Progress(len(programme_rows), "programmas", show_progress))
    _bulk(engine, Deadline, deadline_rows, Progress(len(deadline_rows), "deadlines", show_progress))
    _bulk(engine, Event, event_rows, Progress(len(event_rows), "events", show_progress))
    _reset_sequences(engine)
    # PostgreSQL's statistics as autovacuum gives a database in use: without them it counted
    # /deadline list's rest by reading every open deadline (18 ms of its CPU, 0.9 ms after).
    refresh_statistics(engine)
    return {"dossiers": dossiers, "deadlines": deadlines, "events": events}


def _reset_sequences(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    from sqlmodel import Session

    from tracker.transfer import reset_sequences

    with Session(engine) as session:
        reset_sequences(session)
        session.commit()


def default_today() -> date:
    """The benchmark's pinned day."""
    return date(2023, 11, 15)


def build_open_deadlines(engine: Engine, *, stored: int, due: int, today: date,
                         channels: int = 1, dossiers: int = 100, seed: int = 7,
                         show_progress: bool = True) -> None:
    """`stored` open deadlines far ahead (60–790 days: nothing owed for them yet) and `due`
    deadlines with one reminder owed today (own ladder "7", due in 7 days), over `channels`
    dossier channels C0BENCH000…; for the tick and pacing measures."""
    rng = random.Random(seed)
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    long_ago = now - timedelta(days=400)
    dossier_rows = [{
        "id": i + 1, "code": f"T{i + 1:04d}", "code_folded": f"t{i + 1:04d}",
        "title": f"Tick dossier {i + 1}", "summary": "", "goal": "", "line": LINES[i % 3],
        "rag": "green", "rag_reason": "", "rag_since": now, "phase": "active", "owner": None,
        "channel": f"C0BENCH{i % channels:03d}" if i < max(channels, 1) else None,
        "funding_needed": None, "funding_secured": None, "funding_note": "", "source": "bench",
        "created_at": now, "updated_at": now, "version": 1}
        for i in range(max(dossiers, channels))]

    def deadline(i: int, dossier_id: int, due_date: date, offsets: str | None) -> dict[str, Any]:
        kind = rng.choice(KINDS)
        return {"id": i + 1, "dossier_id": dossier_id, "title": f"{rng.choice(WORDS)} {i + 1}",
                "kind": kind, "role": default_role(kind), "due_date": due_date, "due_time": None,
                "approximate": False, "status": "open", "offsets": offsets, "rrule": None,
                "source": "", "created_by": "bench", "created_at": long_ago,
                "scheduled_at": long_ago, "updated_at": long_ago, "closed_at": None,
                "version": 1}

    rows = [deadline(i, rng.randrange(channels + 1, len(dossier_rows) + 1)
                     if len(dossier_rows) > channels else 1,
                     today + timedelta(days=rng.randrange(60, 790)), None)
            for i in range(stored)]
    rows += [deadline(stored + i, i % channels + 1, today + timedelta(days=7), "7")
             for i in range(due)]
    _bulk(engine, Dossier, dossier_rows, Progress(len(dossier_rows), "dossiers", show_progress))
    _bulk(engine, Deadline, rows, Progress(len(rows), "deadlines", show_progress))
    _reset_sequences(engine)
    refresh_statistics(engine)  # as in build_large_dataset
