"""The digest as plain data: what changed in a period, per execution line, and why each item is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from tracker.dates import Period


class Reason(StrEnum):
    """Why an item is in the digest (the value is the Dutch phrase; `reason_label` translates)."""

    STATUS_CHANGED = "status gewijzigd in de periode"
    NOTE = "notitie"
    DEADLINE_ADDED = "deadline toegevoegd"
    DEADLINE_MOVED = "deadline verzet"
    MILESTONE_REACHED = "mijlpaal bereikt"
    DEADLINE_MISSED = "deadline gemist"
    DEADLINE_CANCELLED = "deadline geannuleerd"
    ARCHIVED = "dossier gearchiveerd"
    PROGRAMME_STATUS = "programmastatus gewijzigd in de periode"
    NEXT_PERIOD = "deadline in de volgende periode"
    TOTAL_MISMATCH = "gedrukt totaal klopt niet met de regels"


REASON_EN = {
    Reason.STATUS_CHANGED: "status changed in the period",
    Reason.NOTE: "note",
    Reason.DEADLINE_ADDED: "deadline added",
    Reason.DEADLINE_MOVED: "deadline moved",
    Reason.MILESTONE_REACHED: "milestone reached",
    Reason.DEADLINE_MISSED: "deadline missed",
    Reason.DEADLINE_CANCELLED: "deadline cancelled",
    Reason.ARCHIVED: "dossier archived",
    Reason.PROGRAMME_STATUS: "programme status changed in the period",
    Reason.NEXT_PERIOD: "deadline in the next period",
    Reason.TOTAL_MISMATCH: "stated total does not add up",
}


def reason_label(reason: Reason, lang: str = "nl") -> str:
    """The reason in words, in `lang`."""
    return REASON_EN[reason] if lang == "en" else reason.value


class Item(NamedTuple):
    """One thing that happened to a dossier or programme in the period.

    `at` is the local date it happened (for a milestone: its due date); `before`/`after`
    hold RAG values, programme statuses or ISO dates, depending on `reason`; `text` is
    user-typed (a reason, a note, a deadline title) and must be escaped by renderers.
    A NamedTuple: a half-year on a big team has tens of thousands, and these are cheap.
    """

    reason: Reason
    at: date
    text: str = ""
    before: str | None = None
    after: str | None = None
    approximate: bool = False
    deadline_id: int | None = None
    kind: str | None = None  # deadline kind, for milestones
    precision: str = "day"  # a milestone's date as typed ("in juni"), see tracker.dates.spans
    qualifier: str = ""
    due_part: str = ""


@dataclass(frozen=True, slots=True)
class DossierDigest:
    """A dossier with its status now and what changed in the period."""

    id: int
    code: str
    title: str
    line: str
    rag: str
    rag_reason: str
    rag_since: date | None
    phase: str
    funding_needed: int | None
    funding_secured: int | None
    items: tuple[Item, ...] = ()

    @property
    def funding_gap(self) -> int | None:
        """Needed minus secured, when both are known."""
        if self.funding_needed is None or self.funding_secured is None:
            return None
        return self.funding_needed - self.funding_secured

    @property
    def changed(self) -> bool:
        """True when something happened to the dossier in the period."""
        return bool(self.items)


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    """A programme's status now, and its status changes in the period."""

    id: int
    name: str
    parent: str | None
    line: str
    status: str
    note: str
    changes: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class LineDigest:
    """One execution line: its dossiers and programmes."""

    line: str
    dossiers: tuple[DossierDigest, ...]
    programmes: tuple[ProgrammeRow, ...]

    @property
    def changed(self) -> bool:
        """True when a dossier or programme of the line changed in the period."""
        return any(d.items for d in self.dossiers) or any(p.changes for p in self.programmes)


@dataclass(frozen=True, slots=True)
class UpcomingDeadline:
    """An open deadline of the next period."""

    id: int
    dossier_code: str
    line: str
    title: str
    kind: str
    due_date: date
    due_time: time | None
    approximate: bool
    reason: Reason = Reason.NEXT_PERIOD
    precision: str = "day"  # how precisely the date is known (tracker.dates.spans)
    qualifier: str = ""
    due_part: str = ""

    @property
    def due_text(self) -> str:
        """The date the way it was typed, in Dutch ("voorjaar 2024", "uiterlijk 1 okt 2023")."""
        from tracker.labels import due_label

        return due_label(self, "nl", weekday=False)


@dataclass(frozen=True, slots=True)
class Amounts:
    """Begroting, actual to date, expected year total (None: not given)."""

    budget: int | None
    actual: int | None
    expected: int | None

    def values(self) -> tuple[int | None, int | None, int | None]:
        """(budget, actual, expected)."""
        return (self.budget, self.actual, self.expected)


COLUMNS = ("budget", "actual", "expected")


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """A budget line; totals carry what their lines add up to and the columns that disagree."""

    name: str
    amounts: Amounts
    is_total: bool = False
    computed: Amounts | None = None           # totals only: the sum of the lines they cover
    mismatches: tuple[str, ...] = ()          # columns ("budget", "actual", "expected") that differ
    note: str = ""

    @property
    def difference(self) -> int | None:
        """Expected year total minus begroting (positive: more than budgeted)."""
        if self.amounts.expected is None or self.amounts.budget is None:
            return None
        return self.amounts.expected - self.amounts.budget

    @property
    def flagged(self) -> bool:
        """True when the stated total does not add up."""
        return bool(self.mismatches)


@dataclass(frozen=True, slots=True)
class BudgetSection:
    """Inkomsten or lasten."""

    name: str
    rows: tuple[BudgetRow, ...]

    @property
    def stated_total(self) -> Amounts | None:
        """The section's last total row as stated, if any."""
        totals = [r for r in self.rows if r.is_total]
        return totals[-1].amounts if totals else None

    @property
    def line_total(self) -> Amounts:
        """The section's lines added up (totals excluded)."""
        return sum_amounts([r.amounts for r in self.rows if not r.is_total])


def sum_amounts(rows: list[Amounts]) -> Amounts:
    """Column sums; a column is None only when no row gives it."""
    sums: list[int | None] = [None, None, None]
    for amounts in rows:
        for i, value in enumerate(amounts.values()):
            if value is not None:
                sums[i] = (sums[i] or 0) + value
    return Amounts(*sums)


@dataclass(frozen=True, slots=True)
class Budget:
    """The year budget: sections, the balance (stated and recomputed) and stated balances."""

    year: int
    actual_period: str
    sections: tuple[BudgetSection, ...]
    stated_balance: Amounts | None             # income total minus expense total, as printed
    computed_balance: Amounts                  # the same from the lines
    stated_surplus: tuple[BudgetRow, ...] = ()  # rows of section "saldo", if the data has them

    @property
    def flagged(self) -> tuple[BudgetRow, ...]:
        """Total rows whose stated amounts do not add up."""
        return tuple(r for s in self.sections for r in s.rows if r.flagged) + tuple(
            r for r in self.stated_surplus if r.flagged)


@dataclass(frozen=True, slots=True)
class IndicatorDigest:
    """A monthly series: its values, the recomputed total and the total as stated."""

    name: str
    line: str
    unit: str
    year: int
    months: tuple[tuple[date, float], ...]
    total: float
    period_total: float
    stated_total: float | None
    note: str = ""

    @property
    def flagged(self) -> bool:
        """True when a stated total differs from the months added up."""
        return self.stated_total is not None and abs(self.stated_total - self.total) > 1e-9


@dataclass(frozen=True)
class Digest:
    """What changed in `period`, shaped like the half-year report."""

    period: Period
    generated_at: datetime
    tz: str
    lines: tuple[LineDigest, ...]
    next_period: Period
    upcoming: tuple[UpcomingDeadline, ...] = ()
    budget: Budget | None = None
    indicators: tuple[IndicatorDigest, ...] = ()
    kind: str = "half"  # half | quarter | month | week

    @cached_property
    def dossiers(self) -> tuple[DossierDigest, ...]:
        """Every dossier, line by line."""
        return tuple(d for line in self.lines for d in line.dossiers)

    @cached_property
    def programmes(self) -> tuple[ProgrammeRow, ...]:
        """Every programme, line by line."""
        return tuple(p for line in self.lines for p in line.programmes)

    @cached_property
    def items(self) -> tuple[tuple[DossierDigest, Item], ...]:
        """Every dossier item, with its dossier."""
        return tuple((d, i) for d in self.dossiers for i in d.items)

    @property
    def is_empty(self) -> bool:
        """True when nothing happened in the period: the scheduler does not post it."""
        return not any(line.changed for line in self.lines)

    @property
    def flags(self) -> tuple[str, ...]:
        """Names of figures that do not add up (budget totals, indicator totals)."""
        out = [r.name for r in self.budget.flagged] if self.budget else []
        out += [s.name for s in self.indicators if s.flagged]
        return tuple(out)
