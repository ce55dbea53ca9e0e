"""Export and import: lossless JSON backups, CSV of deadlines for spreadsheets, iCalendar."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from tracker.errors import InvalidInput
from tracker.ics import build_ics
from tracker.models import (
    BudgetLine,
    Deadline,
    Delivery,
    Dossier,
    Event,
    Indicator,
    IndicatorSeries,
    Member,
    Programme,
)
from tracker.transfer_checks import check_codes, refuse, typed_rows
from tracker.transfer_csv import CSV_COLUMNS, FORMULA_STARTS, export_csv, import_csv, neutralise

FORMAT_VERSION = 1
# Parents before children, so an import never breaks a foreign key.
TABLES: tuple[type[SQLModel], ...] = (Dossier, Programme, Deadline, Event, Delivery, Member,
                                      BudgetLine, IndicatorSeries, Indicator)
__all__ = ["CSV_COLUMNS", "FORMULA_STARTS", "build_ics", "export_csv", "export_json", "import_csv",
           "import_json", "neutralise"]


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


def import_json(session: Session, payload: str, *, progress: Any = None,
                name: str = "back-up") -> int:
    """Load a JSON backup into an empty database, all or nothing; returns the number of records.

    Every field is checked first (`tracker.transfer_checks`); one wrong field anywhere and
    nothing is written. Rows go in as they are (Core inserts), versions included, so an
    export of the result is byte-identical to the file.
    """
    try:
        data = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: geen geldige JSON: {exc}", f"{name}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "lobbytracker":
        raise InvalidInput(f"{name} is geen Lobbytracker-export.", f"{name} is not a Lobbytracker export.")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise InvalidInput(f"{name}: onbekende exportversie ‘{version}’.",
                           f"{name}: unknown export version ‘{version}’.")
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"{name} is een Lobbytracker-export van formaatversie {version}; deze versie leest "
            f"t/m formaatversie {FORMAT_VERSION}. Werk Lobbytracker eerst bij.",
            f"{name} is a Lobbytracker export of format version {version}; this version reads "
            f"up to format version {FORMAT_VERSION}. Upgrade Lobbytracker first.")
    if session.exec(select(Dossier).limit(1)).first() is not None:
        raise InvalidInput("De database is niet leeg; importeer een back-up in een lege database.",
                           "The database is not empty; import a backup into an empty database.")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(f"{name}: de tabellen ontbreken.", f"{name}: the tables are missing.")
    known = {m.__tablename__ for m in TABLES}
    problems: list[tuple[str, str]] = [
        (f"{name}: onbekende tabel {t}", f"{name}: unknown table {t}") for t in tables if t not in known]
    typed = {model: typed_rows(model, tables.get(model.__tablename__) or [], name, problems)
             for model in TABLES}
    check_codes(typed[Dossier], name, problems)
    _check_references(typed, name, problems)
    if problems:
        raise refuse(problems)
    total = sum(len(rows) for rows in typed.values())
    done = 0
    try:
        with session.begin_nested():
            for model, rows in typed.items():
                for start in range(0, len(rows), 1000):
                    chunk = rows[start:start + 1000]
                    if chunk:
                        session.execute(insert(model.__table__), chunk)  # type: ignore[attr-defined]
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except IntegrityError as exc:
        raise InvalidInput(f"{name}: de rijen passen niet bij elkaar ({exc.orig}); niets geïmporteerd.",
                           f"{name}: the rows do not fit together ({exc.orig}); nothing imported.") from None
    session.expire_all()
    reset_sequences(session)
    return done


_REFERENCES = ((Deadline, "dossier_id", Dossier), (Programme, "dossier_id", Dossier),
               (Programme, "parent_id", Programme), (Event, "dossier_id", Dossier),
               (Event, "deadline_id", Deadline), (Event, "programme_id", Programme),
               (Delivery, "deadline_id", Deadline), (Indicator, "series_id", IndicatorSeries))


def _check_references(typed: dict[Any, list[dict[str, Any]]], name: str,
                      problems: list[tuple[str, str]]) -> None:
    """Rows that point at a record the file does not hold."""
    ids = {model: {row.get("id") for row in rows} for model, rows in typed.items()}
    for model, column, target in _REFERENCES:
        for number, row in enumerate(typed[model], start=1):
            value = row.get(column)
            if value is not None and value not in ids[target]:
                problems.append((
                    f"{name}, tabel {model.__tablename__}, rij {number}, veld {column}: "
                    f"{target.__tablename__} {value} bestaat niet in het bestand",
                    f"{name}, table {model.__tablename__}, row {number}, field {column}: "
                    f"{target.__tablename__} {value} is not in the file"))


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
                _write(build_ics(session, tz=runtime.settings.tz), args.output)
    finally:
        runtime.close()
    return 0


def import_command(args: argparse.Namespace) -> int:
    """`lobby import json|csv FILE`."""
    from tracker.app import utc_now
    from tracker.cli import UsageError, open_runtime
    from tracker.db import refresh_statistics, session_scope

    try:
        payload = (Path(args.file).read_text(encoding="utf-8-sig") if args.file != "-"
                   else sys.stdin.read())
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Kan {args.file} niet lezen: {exc}") from exc
    runtime = open_runtime(args)
    try:
        with session_scope(runtime.engine) as session:
            if args.format == "json":
                count = import_json(session, payload, progress=_progress, name=args.file)
            else:
                count = import_csv(session, payload, now=utc_now(), actor="cli", progress=_progress,
                                   name=args.file)
        refresh_statistics(runtime.engine)  # a restore of thousands of rows plans well at once
        print(f"{count} records geïmporteerd / imported")
    finally:
        runtime.close()
    return 0
