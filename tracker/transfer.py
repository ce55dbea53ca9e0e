"""Export and import: lossless JSON backups, CSV of deadlines for spreadsheets, iCalendar."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from icalendar import Calendar
from icalendar import Event as IcsEvent
from sqlalchemy import Date, DateTime, Time, inspect, text
from sqlmodel import Session, SQLModel, col, select

from tracker.errors import InvalidInput, LobbyError
from tracker.models import (
    BudgetLine,
    Deadline,
    DeadlineStatus,
    Delivery,
    Dossier,
    Event,
    Indicator,
    IndicatorSeries,
    Member,
    Programme,
    UTCDateTime,
)

FORMAT_VERSION = 1
# Parents before children, so an import never breaks a foreign key.
TABLES: tuple[type[SQLModel], ...] = (Dossier, Programme, Deadline, Event, Delivery, Member,
                                      BudgetLine, IndicatorSeries, Indicator)
CSV_COLUMNS = ("id", "dossier", "title", "kind", "due_date", "due_time", "status", "offsets",
               "rrule", "source")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def export_json(session: Session) -> str:
    """Every record of every table, as stable, sorted JSON."""
    data: dict[str, Any] = {"format": "lobbytracker", "version": FORMAT_VERSION, "tables": {}}
    for model in TABLES:
        mapper = inspect(model)
        columns = [c.key for c in mapper.column_attrs]
        primary = mapper.primary_key[0]
        rows = session.exec(select(model).order_by(primary)).all()
        data["tables"][model.__tablename__] = [
            {name: _plain(getattr(row, name)) for name in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _typed(model: type[SQLModel], row: dict[str, Any]) -> dict[str, Any]:
    mapper = inspect(model)
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        name = attr.key
        if name not in row:
            continue
        value = row[name]
        column_type = attr.columns[0].type
        if value is not None and isinstance(column_type, UTCDateTime | DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column_type, Time):
            value = time.fromisoformat(value)
        out[name] = value
    return out


def import_json(session: Session, payload: str, *, progress: Any = None) -> int:
    """Load a JSON backup into an empty database; returns the number of records."""
    try:
        data = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Geen geldige JSON: {exc}", f"Not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "lobbytracker":
        raise InvalidInput("Dit is geen Lobbytracker-export.", "This is not a Lobbytracker export.")
    if session.exec(select(Dossier).limit(1)).first() is not None:
        raise InvalidInput("De database is niet leeg; importeer een back-up in een lege database.",
                           "The database is not empty; import a backup into an empty database.")
    tables = data.get("tables") or {}
    total = sum(len(tables.get(m.__tablename__) or []) for m in TABLES)
    done = 0
    for model in TABLES:
        rows = tables.get(model.__tablename__) or []
        try:
            objects = [model(**_typed(model, row)) for row in rows]
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"Ongeldige rij in {model.__tablename__}: {exc}",
                               f"Invalid row in {model.__tablename__}: {exc}") from exc
        for start in range(0, len(objects), 1000):
            session.add_all(objects[start:start + 1000])
            session.flush()
            done += len(objects[start:start + 1000])
            if progress:
                progress(done, total)
    reset_sequences(session)
    return done


def reset_sequences(session: Session) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in TABLES:
        table = model.__tablename__
        if "id" not in model.model_fields or model is Member:
            continue
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def export_csv(session: Session) -> str:
    """Deadlines as CSV, one row each, with the dossier's code."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = session.exec(select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
                        .order_by(Deadline.due_date, Deadline.id))
    for deadline, dossier in rows:
        writer.writerow([deadline.id, dossier.code, deadline.title, deadline.kind,
                         deadline.due_date.isoformat(),
                         deadline.due_time.strftime("%H:%M") if deadline.due_time else "",
                         deadline.status, deadline.offsets or "", deadline.rrule or "",
                         deadline.source])
    return buffer.getvalue()


def import_csv(session: Session, payload: str, *, now: datetime, actor: str | None,
               progress: Any = None) -> int:
    """Add the deadlines of a CSV (columns as `export_csv`) that are not there yet."""
    from tracker.services.deadlines import add_deadline, parse_offsets
    from tracker.services.refs import resolve_dossier
    from tracker.text import fold

    reader = csv.DictReader(io.StringIO(payload))
    missing = {"dossier", "title", "due_date"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidInput(f"De CSV mist kolommen: {', '.join(sorted(missing))}.",
                           f"The CSV lacks columns: {', '.join(sorted(missing))}.")
    rows = list(reader)
    existing = {(d.dossier_id, fold(d.title), d.due_date) for d in session.exec(select(Deadline))}
    added = 0
    for number, row in enumerate(rows, start=2):
        try:
            dossier = resolve_dossier(session, row["dossier"] or "")
            due = date.fromisoformat((row["due_date"] or "").strip())
            due_time = time.fromisoformat(row["due_time"]) if row.get("due_time") else None
            offsets = parse_offsets(row["offsets"]) if row.get("offsets") else None
        except (ValueError, LobbyError) as exc:
            from tracker.messages import explain_value_error

            nl, en = (exc.nl, exc.en) if isinstance(exc, LobbyError) else explain_value_error(exc)
            raise InvalidInput(f"Regel {number}: {nl}", f"Line {number}: {en}") from exc
        key = (dossier.id, fold(row["title"] or ""), due)
        if key in existing:
            continue
        deadline = add_deadline(session=session, now=now, actor=actor, dossier=dossier,
                                title=row["title"], due=due, due_time=due_time,
                                kind=row.get("kind") or None, offsets=offsets,
                                rrule=row.get("rrule") or None, source=row.get("source") or "")
        if row.get("status") in (DeadlineStatus.DONE.value, DeadlineStatus.CANCELLED.value):
            deadline.status, deadline.closed_at = row["status"], now
        existing.add(key)
        added += 1
        if progress:
            progress(number - 1, len(rows))
    session.flush()
    return added


def build_ics(session: Session, *, only_open: bool = False) -> bytes:
    """An iCalendar of deadlines: one VEVENT each, stable UIDs, all-day when there is no time."""
    from tracker.app import utc_now

    calendar = Calendar()
    calendar.add("prodid", "-//Lobbytracker//Regio Zwolle//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Lobbytracker deadlines")
    query = select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
    if only_open:
        query = query.where(Deadline.status == DeadlineStatus.OPEN.value)
    for deadline, dossier in session.exec(query.order_by(Deadline.due_date, Deadline.id)):
        event = IcsEvent()
        event.add("uid", f"deadline-{deadline.id}@lobbytracker")
        event.add("summary", f"[{dossier.code}] {deadline.title}")
        if deadline.due_time is None:
            event.add("dtstart", deadline.due_date)
        else:
            event.add("dtstart", datetime.combine(deadline.due_date, deadline.due_time, tzinfo=UTC))
        event.add("dtstamp", deadline.updated_at or utc_now())
        event.add("status", "CANCELLED" if deadline.status == "cancelled" else "CONFIRMED")
        if deadline.rrule:
            event.add("rrule", _rrule_dict(deadline.rrule))
        if deadline.source:
            event.add("description", deadline.source)
        calendar.add_component(event)
    return calendar.to_ical()


def _rrule_dict(rule: str) -> dict[str, Any]:
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    return {key.lower(): value.split(",") for key, value in parts.items()}


def _write(output: str | bytes, path: str | None) -> None:
    if path:
        Path(path).write_bytes(output if isinstance(output, bytes) else output.encode("utf-8"))
    elif isinstance(output, bytes):
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)


def _progress(done: int, total: int) -> None:
    if total >= 1000 and (done == total or done % 1000 == 0):
        print(f"\r{done}/{total} ({100 * done // max(total, 1)}%)", end="\n" if done == total else "",
              file=sys.stderr, flush=True)


def export_command(args: argparse.Namespace) -> int:
    """`lobby export json|csv|ics [-o FILE]`."""
    from tracker.cli import open_runtime
    from tracker.db import session_scope

    runtime = open_runtime(args)
    try:
        with session_scope(runtime.engine) as session:
            if args.format == "json":
                _write(export_json(session), args.output)
            elif args.format == "csv":
                _write(export_csv(session), args.output)
            else:
                _write(build_ics(session), args.output)
    finally:
        runtime.close()
    return 0


def import_command(args: argparse.Namespace) -> int:
    """`lobby import json|csv FILE`."""
    from tracker.app import utc_now
    from tracker.cli import UsageError, open_runtime
    from tracker.db import session_scope

    try:
        payload = Path(args.file).read_text(encoding="utf-8") if args.file != "-" else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Kan {args.file} niet lezen: {exc}") from exc
    runtime = open_runtime(args)
    try:
        with session_scope(runtime.engine) as session:
            if args.format == "json":
                count = import_json(session, payload, progress=_progress)
            else:
                count = import_csv(session, payload, now=utc_now(), actor="cli", progress=_progress)
        print(f"{count} records geïmporteerd / imported")
    finally:
        runtime.close()
    return 0
