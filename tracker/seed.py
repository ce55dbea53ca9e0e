"""Load an example dataset (`lobby seed regio-zwolle-2023`) into the database, idempotently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from tracker.dataset import load_dataset
from tracker.models import (
    BudgetLine,
    Deadline,
    Dossier,
    Event,
    Indicator,
    IndicatorSeries,
    KeyFigure,
    Programme,
    Qualifier,
    ReportText,
)
from tracker.roles import default_role
from tracker.services.common import EventKind
from tracker.text import fold

DATASET_ACTOR = "dataset"


@dataclass
class SeedReport:
    """What a seed run added (zero everywhere on a second run)."""

    dossiers: int = 0
    deadlines: int = 0
    programmes: int = 0
    events: int = 0
    budget_lines: int = 0
    indicators: int = 0
    texts: int = 0  # key figures and the report's own texts

    def total(self) -> int:
        """Records added in all."""
        return (self.dossiers + self.deadlines + self.programmes + self.events
                + self.budget_lines + self.indicators + self.texts)


def _instant(day: date, tz: ZoneInfo) -> datetime:
    """Noon local on `day`, in UTC: a dated fact from the report without a time of day."""
    return datetime.combine(day, time(12), tzinfo=tz).astimezone(UTC)


def seed_dataset(*, session: Session, now: datetime, tz: ZoneInfo,
                 name: str = "regio-zwolle-2023") -> SeedReport:
    """Add the dataset's records that are not there yet; existing records are left alone."""
    data = load_dataset(name)
    report = SeedReport()
    dossiers = {d.code: d for d in session.exec(select(Dossier))}
    for item in data["dossiers"]:
        if item["code"] in dossiers:
            continue
        dossier = _dossier(item, now, tz)
        session.add(dossier)
        session.flush()
        dossiers[dossier.code] = dossier
        report.dossiers += 1
        session.add(Event(at=now, actor=DATASET_ACTOR, kind=EventKind.DOSSIER_CREATED.value,
                          dossier_id=dossier.id, after=dossier.title,
                          text=f"Geladen uit {data['source']}"))
        report.events += 1
        for entry in item.get("history") or []:
            session.add(_history_event(entry, dossier.id, None, tz))
            report.events += 1
    report.deadlines += _seed_deadlines(session, data, dossiers, now)
    report.programmes, programme_events = _seed_programmes(session, data, dossiers, now, tz)
    report.events += programme_events
    report.budget_lines += _seed_budget(session, data)
    report.indicators += _seed_indicators(session, data)
    report.texts += _seed_texts(session, data)
    session.flush()
    return report


def _dossier(item: dict[str, Any], now: datetime, tz: ZoneInfo) -> Dossier:
    since = item.get("rag_since")
    return Dossier(
        code=item["code"], code_folded=fold(item["code"]).replace(" ", "-"), title=item["title"],
        summary=item.get("summary") or "", goal=item.get("goal") or "", line=item["line"],
        rag=item["rag"], rag_reason=item["rag_reason"],
        rag_since=_instant(since, tz) if since else now, phase=item.get("phase", "active"),
        funding_needed=item.get("funding_needed"), funding_secured=item.get("funding_secured"),
        funding_note=item.get("funding_note") or "", source=item.get("source") or "",
        created_at=now, updated_at=now)


def _history_event(entry: dict[str, Any], dossier_id: int | None, programme_id: int | None,
                   tz: ZoneInfo) -> Event:
    if programme_id is not None:
        kind = EventKind.PROGRAMME_STATUS
    else:
        kind = EventKind.STATUS if entry.get("kind") == "rag" else EventKind.NOTE
    return Event(at=_instant(entry["at"], tz), actor=DATASET_ACTOR, kind=kind.value,
                 dossier_id=dossier_id, programme_id=programme_id, before=entry.get("before"),
                 after=entry.get("after"), text=entry.get("text") or "",
                 approximate=bool(entry.get("approximate")),
                 precision=entry.get("precision") or "day")


_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def _title_key(title: str) -> str:
    """A milestone's title for recognising it again: folded, without a trailing remark in
    brackets, so a later edition of the dataset that rewords "(verwacht)" or "(op z'n
    vroegst)" does not add the milestone a second time."""
    return fold(_TRAILING_NOTE.sub("", title))


def _seed_deadlines(session: Session, data: dict[str, Any], dossiers: dict[str, Dossier],
                    now: datetime) -> int:
    existing = {(d.dossier_id, _title_key(d.title), d.due_date)
                for d in session.exec(select(Deadline))}
    added = 0
    for item in data["deadlines"]:
        dossier = dossiers[item["dossier"]]
        key = (dossier.id, _title_key(item["title"]), item["due"])
        if key in existing:
            continue
        status = item.get("status", "open")
        due_time = time.fromisoformat(item["time"]) if item.get("time") else None
        approximate = bool(item.get("approximate"))
        deadline = Deadline(dossier_id=dossier.id, title=item["title"], kind=item["kind"],
                            role=item.get("role") or default_role(item["kind"]),
                            due_date=item["due"], due_time=due_time,
                            approximate=approximate,
                            # the report's own wording: "in juni", "op z'n vroegst eind dit jaar"
                            precision=item.get("precision", "day"), due_part=item.get("part", ""),
                            qualifier=item.get("qualifier",
                                               Qualifier.LATEST.value if approximate
                                               and item.get("precision", "day") == "day"
                                               else Qualifier.NONE.value),
                            status=status,
                            source=item.get("source") or "", created_by=DATASET_ACTOR,
                            created_at=now, scheduled_at=now, updated_at=now,
                            closed_at=now if status != "open" else None)
        session.add(deadline)
        session.flush()
        session.add(Event(at=now, actor=DATASET_ACTOR, kind=EventKind.DEADLINE_ADDED.value,
                          dossier_id=dossier.id, deadline_id=deadline.id,
                          after=deadline.due_date.isoformat(), text=deadline.title))
        existing.add(key)
        added += 1
    return added


def _seed_programmes(session: Session, data: dict[str, Any], dossiers: dict[str, Dossier],
                     now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    programmes = {p.name: p for p in session.exec(select(Programme))}
    added = events = 0
    for item in data["programmes"]:  # parents come before their plans in the data file
        if item["name"] in programmes:
            continue
        parent = programmes.get(item["parent"]) if item.get("parent") else None
        dossier = dossiers.get(item["dossier"]) if item.get("dossier") else None
        programme = Programme(name=item["name"], name_folded=fold(item["name"]),
                              parent_id=parent.id if parent else None,
                              dossier_id=dossier.id if dossier else None, line=item["line"],
                              status=item["status"], note=item.get("note") or "",
                              source=item.get("source") or "", updated_at=now)
        session.add(programme)
        session.flush()
        programmes[programme.name] = programme
        added += 1
        for entry in item.get("history") or []:
            session.add(_history_event(entry, programme.dossier_id, programme.id, tz))
            events += 1
    return added, events


def _seed_budget(session: Session, data: dict[str, Any]) -> int:
    existing = {(b.year, b.section, b.name) for b in session.exec(select(BudgetLine))}
    added = 0
    for position, item in enumerate(data.get("budget") or []):
        key = (item["year"], item["section"], item["name"])
        if key in existing:
            continue
        session.add(BudgetLine(year=item["year"], section=item["section"], position=position,
                               name=item["name"], budget=item.get("begroting"),
                               actual=item.get("werkelijk"), expected=item.get("verwacht"),
                               forecast_actual=item.get("werkelijk_jaartotalen"),
                               actual_period="jan-jun", is_total=bool(item.get("is_total")),
                               note=item.get("note") or ""))
        existing.add(key)
        added += 1
    return added


def _seed_indicators(session: Session, data: dict[str, Any]) -> int:
    series = {s.name: s for s in session.exec(select(IndicatorSeries))}
    added = 0
    for item in data.get("indicators") or []:
        if item["name"] in series:
            continue
        row = IndicatorSeries(name=item["name"], line=item.get("line") or "economie-arbeidsmarkt",
                              unit=item.get("unit") or "aantal", year=item["year"],
                              stated_total=item.get("stated_total"), note=item.get("note") or "",
                              source=item.get("source") or "", baseline=item.get("baseline"),
                              baseline_label=item.get("baseline_label") or "")
        session.add(row)
        session.flush()
        series[row.name] = row
        for month, value in sorted((item.get("values") or {}).items()):
            session.add(Indicator(series_id=row.id, month=date(item["year"], int(month), 1),
                                  value=value))
            added += 1
    return added


def _seed_texts(session: Session, data: dict[str, Any]) -> int:
    """The key figures (labels over `facts`) and the report's own texts, once."""
    added = 0
    years = {row["year"] for row in data.get("budget") or []} or {2023}
    year = min(years)
    figures = {(f.year, f.key) for f in session.exec(select(KeyFigure))}
    for position, item in enumerate(data.get("key_figures") or []):
        if (year, item["fact"]) in figures:
            continue
        value = data["facts"][item["fact"]]
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        session.add(KeyFigure(year=year, key=item["fact"], label=item["label"],
                              value=number, text="" if number is not None else str(value),
                              unit=item["unit"], qualifier=item.get("qualifier") or "",
                              line=item.get("line"), position=position))
        added += 1
    if session.exec(select(ReportText).limit(1)).first() is None:
        for position, item in enumerate(data.get("report") or []):
            session.add(ReportText(period=item["period"], section=item["section"],
                                   line=item.get("line"), position=position, text=item["text"],
                                   source=item.get("source") or ""))
            added += 1
    return added
