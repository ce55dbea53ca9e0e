"""The budget and the indicators of a digest, with every total recomputed from its lines.

A stated total that does not add up is kept as printed and flagged, never corrected
silently: the reader must see that the source disagrees with itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import Session, col, select

from tracker.dates import Period
from tracker.digest.model import (
    COLUMNS,
    Amounts,
    Budget,
    BudgetRow,
    BudgetSection,
    Check,
    Correction,
    IndicatorDigest,
    Outcome,
    sum_amounts,
)
from tracker.models import BudgetLine, Indicator, IndicatorSeries

SECTIONS = ("inkomsten", "lasten")
SURPLUS_SECTION = "saldo"  # rows stating a balance ("verwacht batig saldo"), if the data has them


_SECTION_LABELS = {"inkomsten": ("Inkomsten", "Income"), "lasten": ("Lasten", "Expenses"),
                   SURPLUS_SECTION: ("Saldo", "Balance")}


def section_label(name: str, lang: str = "nl") -> str:
    """A budget table's heading: "Inkomsten" / "Income"; a section the data names otherwise
    keeps its own name."""
    nl, en = _SECTION_LABELS.get(name, (name.capitalize(), name.capitalize()))
    return en if lang == "en" else nl


def shown_sections(budget: Budget) -> tuple[BudgetSection, ...]:
    """The budget's tables as every format shows them: income, expenses and, when the data
    states one, the balance ("Verwacht batig saldo"), so that each explanation is referenced
    from its row ([4]) and numbered in the order the rows appear."""
    if not budget.stated_surplus:
        return budget.sections
    return (*budget.sections, BudgetSection(SURPLUS_SECTION, budget.stated_surplus))


def mismatches(stated: Amounts, computed: Amounts) -> tuple[str, ...]:
    """The columns where a stated amount differs from the computed one."""
    return tuple(name for name, s, c in zip(COLUMNS, stated.values(), computed.values(),
                                            strict=True)
                 if s is not None and c is not None and s != c)


def check_section(name: str, rows: list[BudgetRow]) -> BudgetSection:
    """Recompute each total row: the section's last total covers all its lines, an earlier
    (sub)total the lines since the total before it."""
    last_total = max((i for i, r in enumerate(rows) if r.is_total), default=-1)
    checked: list[BudgetRow] = []
    since: list[Amounts] = []
    every: list[Amounts] = []
    for i, row in enumerate(rows):
        if not row.is_total:
            since.append(row.amounts)
            every.append(row.amounts)
            checked.append(row)
            continue
        computed = sum_amounts(every if i == last_total else since)
        checked.append(replace(row, computed=computed,
                               mismatches=mismatches(row.amounts, computed)))
        since = []
    return BudgetSection(name, tuple(checked))


def _minus(a: Amounts | None, b: Amounts | None) -> Amounts | None:
    if a is None or b is None:
        return None
    return Amounts(*(None if x is None or y is None else x - y
                     for x, y in zip(a.values(), b.values(), strict=True)))


def load_budget(session: Session, year: int) -> Budget | None:
    """The budget of `year` (one query), or None when the data has none."""
    lines = session.exec(select(BudgetLine).where(BudgetLine.year == year)
                         .order_by(col(BudgetLine.section), col(BudgetLine.position),
                                   col(BudgetLine.id))).all()
    if not lines:
        return None
    grouped: dict[str, list[BudgetRow]] = defaultdict(list)
    for line in lines:
        grouped[line.section].append(BudgetRow(
            line.name, Amounts(line.budget, line.actual, line.expected), line.is_total,
            note=line.note or "", forecast_actual=line.forecast_actual))
    order = [s for s in SECTIONS if s in grouped] + sorted(
        s for s in grouped if s not in SECTIONS and s != SURPLUS_SECTION)
    sections = tuple(check_section(name, grouped[name]) for name in order)
    by_name = {s.name: s for s in sections}
    income, expense = by_name.get("inkomsten"), by_name.get("lasten")
    stated = _minus(income.stated_total if income else None,
                    expense.stated_total if expense else None)
    computed = _minus(income.line_total if income else Amounts(None, None, None),
                      expense.line_total if expense else Amounts(None, None, None))
    assert computed is not None
    surplus = tuple(replace(row, computed=computed, mismatches=mismatches(row.amounts, computed))
                    for row in grouped.get(SURPLUS_SECTION, ()))
    periods = {line.actual_period for line in lines if line.actual_period}
    actual_period = ", ".join(sorted(periods))
    through = actual_through(year, actual_period)
    share = (through.month / 12 if (through + timedelta(days=1)).day == 1
             else ((through - date(year, 1, 1)).days + 1) / (date(year + 1, 1, 1)
                                                            - date(year, 1, 1)).days) \
        if through else None
    outcome = None
    if surplus:
        row = surplus[-1]
        outcome = Outcome(row.name, row.amounts.expected, row.amounts.budget,
                          supported=not row.flagged, note=row.note)
    return Budget(year, actual_period, sections, stated, computed, surplus, through, share,
                  outcome)


_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def actual_through(year: int, actual_period: str) -> date | None:
    """"jan-jun" → 30 June of `year` (the last day the realisatie covers); None if unreadable."""
    last = actual_period.rsplit("-", 1)[-1].strip().lower()[:3]
    if last not in _MONTHS:
        return None
    month_ = _MONTHS.index(last) + 1
    first_next = date(year + (month_ == 12), month_ % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _correction(section: BudgetSection, total: BudgetRow, column: str) -> Correction | None:
    """The one line value that makes `total` add up in `column`, if one of the line's other
    columns holds exactly the amount needed (a value put in the wrong column)."""
    i = COLUMNS.index(column)
    stated = total.amounts.values()[i]
    computed = total.computed.values()[i] if total.computed else None
    if stated is None or computed is None:
        return None
    found = []
    for row in section.rows:
        if row.is_total:
            continue
        value = row.amounts.values()[i]
        if value is None:
            continue
        needed = stated - (computed - value)
        for j, other in enumerate(row.amounts.values()):
            if j != i and other == needed and other != value:
                found.append((row, value, needed, COLUMNS[j]))
    if len(found) != 1:
        return None
    row, value, needed, other = found[0]
    return Correction(row.name, column, value, needed, other)


_AMOUNT = re.compile(r"€\s?(-?\d{1,3}(?:\.\d{3})+|-?\d+)(?![\d.,]|\s?(?:mln|mld|miljoen|miljard))")


def _table_checks(budget: Budget) -> list[Check]:
    """Where the report's table of expected year totals prints another realisatie than its
    table of actuals ("werkelijk jan-juni": € 83.000 against € 83.465): both figures."""
    out = []
    for section in budget.sections:
        for row in section.rows:
            actual, other = row.amounts.actual, row.forecast_actual
            if actual is not None and other is not None and actual != other:
                out.append(Check(f"{budget.year} {section.name}", row.name, "actual",
                                 float(actual), float(other), "tables"))
    return out


def _text_checks(budget: Budget, texts: dict[str, tuple[str, ...]]) -> list[Check]:
    """Where the report's text gives a budget line another amount than its tables
    ("anticyclisch investeren (€ 1.280.531)" against € 1.280.230 in every table): the text's
    amount is taken for a line when the line's first two words stand just before it, and
    named when no table has it but one has an amount within 1% of it (the same figure)."""
    rows = [r for s in budget.sections for r in s.rows if not r.is_total]
    out = []
    for where, paragraphs in texts.items():
        for text in paragraphs:
            for match in _AMOUNT.finditer(text):
                before = text[max(0, match.start() - 60):match.start()].lower()
                said = int(match[1].replace(".", ""))
                for row in rows:
                    key = " ".join(row.name.lower().split()[:2])
                    if len(key) < 8 or key not in before:
                        continue
                    figures = {v for v in (*row.amounts.values(), row.forecast_actual) if v}
                    near = [v for v in figures if abs(v - said) <= abs(said) / 100]
                    if near and said not in figures:
                        out.append(Check(where, row.name, "expected", float(said),
                                         float(min(near, key=lambda v: abs(v - said))), "text"))
    return out


def find_checks(budget: Budget | None, indicators: tuple[IndicatorDigest, ...],
                texts: dict[str, tuple[str, ...]] | None = None) -> tuple[Check, ...]:
    """The check annex: each stated figure that its own lines do not give, both sides, and
    where one correction makes the table add up, which one; each realisatie that the report's
    two tables print differently; each amount its text (`texts`: "besluiten" → paragraphs)
    gives a budget line that its tables do not."""
    out: list[Check] = []
    if budget is not None:
        table = f"{budget.year}"
        for section in budget.sections:
            for row in section.rows:
                for column in row.mismatches:
                    i = COLUMNS.index(column)
                    assert row.computed is not None
                    out.append(Check(f"{table} {section.name}", row.name, column,
                                     float(row.amounts.values()[i] or 0),
                                     float(row.computed.values()[i] or 0), "total",
                                     _correction(section, row, column), row.note))
        fixed = {c.table.split(" ", 1)[-1]: c for c in out if c.correction is not None}
        for row in budget.stated_surplus:
            for column in row.mismatches:
                i = COLUMNS.index(column)
                assert row.computed is not None
                stated_totals = budget.stated_balance.values()[i] if budget.stated_balance \
                    else None
                corrected = None
                if any(f.column == column for f in fixed.values()):
                    sides = []
                    for section in budget.sections[:2]:
                        fix = fixed.get(section.name)
                        sides.append(fix.stated if fix is not None and fix.column == column
                                     else float(section.line_total.values()[i] or 0))
                    corrected = sides[0] - sides[1] if len(sides) == 2 else None
                out.append(Check(f"{table} saldo", row.name, column,
                                 float(row.amounts.values()[i] or 0),
                                 float(row.computed.values()[i] or 0), "balance", None,
                                 row.note, None if stated_totals is None
                                 else float(stated_totals), corrected))
    if budget is not None:
        out += _table_checks(budget) + _text_checks(budget, texts or {})
    for series in indicators:
        if series.flagged:
            out.append(Check("indicatoren", series.name, "total", float(series.stated_total or 0),
                             series.total, "series", None, series.note))
    return tuple(out)


def load_indicators(session: Session, period: Period) -> tuple[IndicatorDigest, ...]:
    """The monthly series of the period's year that have values in the period (two queries)."""
    years = {period.start.year, (period.end - timedelta(days=1)).year}
    series = session.exec(select(IndicatorSeries).where(col(IndicatorSeries.year).in_(years))
                          .order_by(col(IndicatorSeries.id))).all()
    if not series:
        return ()
    values: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for series_id, month, value in session.exec(
            select(Indicator.series_id, Indicator.month, Indicator.value)
            .where(col(Indicator.series_id).in_([s.id for s in series]))
            .order_by(col(Indicator.series_id), col(Indicator.month))).all():
        values[series_id].append((month, value))
    out = []
    for s in series:
        months = tuple(values.get(s.id or 0, ()))
        in_period = [v for m, v in months if period.start <= m < period.end]
        if not in_period:
            continue
        out.append(IndicatorDigest(s.name, s.line, s.unit, s.year, months,
                                   float(sum(v for _, v in months)), float(sum(in_period)),
                                   s.stated_total, s.note or "", s.baseline,
                                   s.baseline_label or ""))
    return tuple(out)
