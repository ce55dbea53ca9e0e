"""The report's own words for a period (kernboodschap, goals, results, outlook, risks,
decisions) and the year's key figures, as the dataset states them. Two queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from tracker.dates import Period
from tracker.digest.model import KeyFigureRow
from tracker.models import KeyFigure, ReportText

SECTIONS = ("kernboodschap", "doelen", "resultaten", "vooruitblik", "risico", "besluit")


@dataclass
class Texts:
    """The report texts of one period, by section (and by line for the per-line ones)."""

    front: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    per_line: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def for_line(self, line: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(goals, results, outlook) of an execution line."""
        return tuple(tuple(self.per_line.get((line, s), ())) for s in
                     ("doelen", "resultaten", "vooruitblik"))  # type: ignore[return-value]


def load_texts(session: Session, period: Period) -> Texts:
    """The texts the data holds for exactly this period (a half-year: "2023H1")."""
    rows = session.exec(select(ReportText.section, ReportText.line, ReportText.text)
                        .where(ReportText.period == period.key)
                        .order_by(col(ReportText.position), col(ReportText.id))).all()
    grouped: dict[str, list[str]] = defaultdict(list)
    per_line: dict[tuple[str, str], list[str]] = defaultdict(list)
    for section, line, text in rows:
        if line:
            per_line[(line, section)].append(text)
        else:
            grouped[section].append(text)
    return Texts(tuple(grouped["kernboodschap"]), tuple(grouped["risico"]),
                 tuple(grouped["besluit"]), dict(per_line))


def load_key_figures(session: Session, year: int) -> tuple[KeyFigureRow, ...]:
    """The key figures of `year`, in the dataset's order."""
    rows = session.exec(select(KeyFigure).where(KeyFigure.year == year)
                        .order_by(col(KeyFigure.position), col(KeyFigure.id))).all()
    return tuple(KeyFigureRow(r.key, r.label, r.value, r.text, r.unit, r.qualifier, r.line)
                 for r in rows)
