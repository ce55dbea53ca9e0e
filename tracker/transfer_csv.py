"""CSV of deadlines for spreadsheets: formula cells neutralised on the way out; on the way in
what Dutch Excel saves (BOM, ';', CRLF, 20-11-2023), every row checked as `/deadline add`."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from tracker.errors import InvalidInput, LobbyError
from tracker.models import Deadline, DeadlineStatus, Dossier
from tracker.transfer_checks import refuse

CSV_COLUMNS = ("id", "dossier", "title", "kind", "due_date", "due_time", "precision", "part",
               "qualifier", "when", "status", "offsets", "rrule", "source")


# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before anything it would run."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def export_csv(session: Session) -> str:
    """Deadlines as CSV, one row each, with the dossier's code and the date as typed; cells a
    spreadsheet would run as a formula are neutralised."""
    from tracker.labels import due_label

    buffer = io.StringIO()
    # CRLF as RFC 4180 and Excel have it; it also makes the writer quote a cell holding a bare CR
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = session.exec(select(Deadline, Dossier).join(Dossier, col(Dossier.id) == Deadline.dossier_id)
                        .order_by(Deadline.due_date, Deadline.id))
    for deadline, dossier in rows:
        cells = [str(deadline.id), dossier.code, deadline.title, deadline.kind,
                 deadline.due_date.isoformat(),
                 deadline.due_time.strftime("%H:%M") if deadline.due_time else "",
                 deadline.precision, deadline.due_part, deadline.qualifier,
                 due_label(deadline, "nl", weekday=False),
                 deadline.status, deadline.offsets or "", deadline.rrule or "", deadline.source]
        writer.writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()


def _csv_reader(payload: str) -> csv.DictReader[str]:
    """Our own export, or what Dutch Excel saves: UTF-8 with a BOM, ';' between cells, CRLF."""
    payload = payload.removeprefix("\ufeff")
    first = payload.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(payload, newline=""), delimiter=delimiter)


def import_csv(session: Session, payload: str, *, now: datetime, actor: str | None,
               progress: Any = None, name: str = "CSV") -> int:
    """Add the deadlines of a CSV (columns as `export_csv`) that are not there yet, all or
    nothing: every row is checked as `/deadline add` checks it, and one wrong row adds none."""
    from tracker.dates.core import checked_date
    from tracker.services.deadlines import add_deadline, find_duplicate, parse_offsets
    from tracker.services.refs import resolve_dossier

    reader = _csv_reader(payload)
    fields = [f.strip().lower() for f in reader.fieldnames or ()]
    reader.fieldnames = fields
    missing = {"dossier", "title", "due_date"} - set(fields)
    if missing:
        raise InvalidInput(f"{name}: de CSV mist kolommen: {', '.join(sorted(missing))}.",
                           f"{name}: the CSV lacks columns: {', '.join(sorted(missing))}.")
    rows = list(reader)
    problems: list[tuple[str, str]] = []
    added = 0
    with session.begin_nested() as nested:
        for number, raw in enumerate(rows, start=2):
            row = {k: _unneutralise((v or "").strip()) for k, v in raw.items() if k}
            field = "dossier"
            try:
                dossier = resolve_dossier(session, row["dossier"])
                field = "due_date"
                due = checked_date(_iso_date(row["due_date"]))
                field = "due_time"
                due_time = time.fromisoformat(row["due_time"]) if row.get("due_time") else None
                field = "offsets"
                offsets = parse_offsets(row["offsets"]) if row.get("offsets") else None
                field = "status"
                status = row.get("status") or DeadlineStatus.OPEN.value
                if status not in {s.value for s in DeadlineStatus}:
                    raise InvalidInput(f"‘{status}’ is geen van open, done, cancelled",
                                       f"‘{status}’ is not one of open, done, cancelled")
                field = "title"
                if find_duplicate(session, dossier.id, row.get("title", ""), due) is not None:
                    continue
                deadline = add_deadline(
                    session=session, now=now, actor=actor, dossier=dossier, title=row["title"],
                    due=due, due_time=due_time, kind=row.get("kind") or None, offsets=offsets,
                    rrule=row.get("rrule") or None, source=row.get("source") or "",
                    precision=row.get("precision") or "day", qualifier=row.get("qualifier") or "",
                    part=row.get("part") or "")
            except (ValueError, LobbyError) as exc:
                if isinstance(exc, LobbyError):
                    nl, en = exc.nl, exc.en or exc.nl
                else:  # Python's own date errors, said in the reader's language
                    from tracker.messages import explain_value_error

                    nl, en = explain_value_error(exc)
                problems.append((f"{name}, regel {number}, kolom {field}: {nl}",
                                 f"{name}, line {number}, column {field}: {en}"))
                continue
            if status != DeadlineStatus.OPEN.value:
                deadline.status, deadline.closed_at = status, now
            added += 1
            if progress:
                progress(number - 1, len(rows))
        if problems:
            nested.rollback()
    if problems:
        raise refuse(problems)
    session.flush()
    return added


def _iso_date(text: str) -> date:
    """2023-11-20, or 20-11-2023 as Dutch Excel writes a date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        day, month, year = (int(part) for part in text.replace("/", "-").split("-"))
        return date(year, month, day)
