"""The digest as plain data: the single source every renderer (Markdown, text, JSON, Block Kit,
DOCX, PDF, canvas) reads. Every figure is computed here or in the builder, never in a renderer.

Sections of a `Digest`, in the order of the half-year report:
- `period`, `as_of` (last day covered; "stand per" when `current`), `kind`
- `front`: the kernboodschap — the report's own words (`ReportText`) for the period, if any;
  the renderers add the counts (`counts`), the financial outcome (`budget.outcome`) and what
  follows (`upcoming`)
- `lines`: per execution line (`LineDigest`) its goals, results, outlook (the report's words),
  dossiers (`DossierDigest`: status at the period's end, summary, goal, funding picture, items)
  and programmes (`ProgrammeRow`: status and note at the period's end). The lobby dossiers sit
  under the public-affairs line ("Public Affairs en Communicatie").
- `upcoming`: open milestones of the next period
- `key_figures`, `indicators` (with the comparison the data allows)
- `budget`: the report's tables (begroting, realisatie t/m de periode, verschil = begroting −
  realisatie, verwacht jaartotaal), the share of the year elapsed, the notes and the outcome
- `risks`, `decisions`: the report's words
- `checks`: the check annex — every figure of the source that does not add up, both sides
"""

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
    DEADLINE_ADDED = "mijlpaal toegevoegd"
    DEADLINE_MOVED = "mijlpaal verzet"
    EVENT_HELD = "heeft plaatsgevonden"            # an event in the world known to the day, past
    # an event with a rough date ("tweede helft 2023", "op z'n vroegst eind 2023", "ca.") whose
    # span has passed and that nobody confirmed: expected, never told as fact
    EVENT_EXPECTED = "verwacht, niet bevestigd"
    MILESTONE_REACHED = "afgerond"                 # an action somebody marked done
    NOT_REPORTED = "niet afgemeld"                 # an action past due that nobody confirmed
    DEADLINE_MISSED = "niet gehaald"               # an action somebody reported as missed
    DEADLINE_CANCELLED = "geannuleerd"
    ARCHIVED = "dossier gearchiveerd"
    PROGRAMME_STATUS = "programmastatus gewijzigd in de periode"
    NEXT_PERIOD = "gepland in de volgende periode"
    TOTAL_MISMATCH = "gedrukt totaal klopt niet met de regels"


REASON_EN = {
    Reason.STATUS_CHANGED: "status changed in the period",
    Reason.NOTE: "note",
    Reason.DEADLINE_ADDED: "milestone added",
    Reason.DEADLINE_MOVED: "milestone moved",
    Reason.EVENT_HELD: "took place",
    Reason.EVENT_EXPECTED: "expected, not confirmed",
    Reason.MILESTONE_REACHED: "done",
    Reason.NOT_REPORTED: "not reported",
    Reason.DEADLINE_MISSED: "missed",
    Reason.DEADLINE_CANCELLED: "cancelled",
    Reason.ARCHIVED: "dossier archived",
    Reason.PROGRAMME_STATUS: "programme status changed in the period",
    Reason.NEXT_PERIOD: "planned for the next period",
    Reason.TOTAL_MISMATCH: "stated total does not add up",
}


def reason_label(reason: Reason, lang: str = "nl") -> str:
    """The reason in words, in `lang`."""
    return REASON_EN[reason] if lang == "en" else reason.value


class Item(NamedTuple):
    """One thing that happened to a dossier or programme in the period.

    `at` is the local date it happened (for a milestone: its due date) and `precision` how
    precisely that is known (day, month, quarter, season, …); `before`/`after` hold RAG
    values, programme statuses or ISO dates, depending on `reason`; `text` is user-typed (a
    reason, a note, a milestone title) and must be escaped by renderers; `owner` is who has
    to confirm an action (a Slack user id, or None). A NamedTuple: a half-year on a big team
    has tens of thousands, and these are cheap.
    """

    reason: Reason
    at: date
    text: str = ""
    before: str | None = None
    after: str | None = None
    approximate: bool = False
    deadline_id: int | None = None
    kind: str | None = None  # milestone kind, for milestones
    precision: str = "day"
    role: str | None = None  # event | action, for milestones
    owner: str | None = None
    qualifier: str = ""
    due_part: str = ""  # begin | mid | end of a span ("eind 2023"), see tracker.dates.spans


@dataclass(frozen=True, slots=True)
class DossierDigest:
    """A dossier with its status at the period's end and what changed in the period."""

    id: int
    code: str
    title: str
    line: str
    rag: str
    rag_reason: str
    rag_since: date | None  # the day (or span, `rag_since_precision`) the history gives; or None
    phase: str
    funding_needed: int | None
    funding_secured: int | None
    items: tuple[Item, ...] = ()
    summary: str = ""
    goal: str = ""
    funding_note: str = ""  # the funding picture in the source's words
    owner: str | None = None
    next_steps: tuple[UpcomingDeadline, ...] = ()  # its milestones of the next period
    rag_since_precision: str = "day"  # how precisely the history dates `rag_since`

    @property
    def funding_gap(self) -> int | None:
        """Needed minus committed, when both are known."""
        if self.funding_needed is None or self.funding_secured is None:
            return None
        return self.funding_needed - self.funding_secured

    @property
    def changed(self) -> bool:
        """True when something happened to the dossier in the period."""
        return bool(self.items)

    @property
    def short_title(self) -> str:
        """The title without a leading repeat of the code ("N35 Wijthmen…" → "Wijthmen…")."""
        title = self.title
        if title.casefold().startswith(self.code.casefold() + " "):
            return title[len(self.code):].strip() or title
        return title


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    """A programme's status and note at the period's end, and its status changes in it."""

    id: int
    name: str
    parent: str | None
    line: str
    status: str
    note: str
    changes: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class LineDigest:
    """One execution line: the report's goals, results and outlook; its dossiers and programmes."""

    line: str
    dossiers: tuple[DossierDigest, ...]
    programmes: tuple[ProgrammeRow, ...]
    goals: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    outlook: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when a dossier or programme of the line changed in the period."""
        return any(d.items for d in self.dossiers) or any(p.changes for p in self.programmes)


@dataclass(frozen=True, slots=True)
class UpcomingDeadline:
    """An open milestone of the next period."""

    id: int
    dossier_code: str
    line: str
    title: str
    kind: str
    due_date: date
    due_time: time | None
    approximate: bool
    reason: Reason = Reason.NEXT_PERIOD
    role: str = "event"
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
    """Begroting, realisatie to date, expected year total (None: not given)."""

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
    forecast_actual: int | None = None        # the realisatie as the expected-totals table prints it

    @property
    def difference(self) -> int | None:
        """The report's "verschil": begroting minus realisatie to date."""
        if self.amounts.actual is None or self.amounts.budget is None:
            return None
        return self.amounts.budget - self.amounts.actual

    @property
    def spent_share(self) -> float | None:
        """Realisatie as a share of the begroting (0.44 = 44 %); None without a begroting."""
        if not self.amounts.budget or self.amounts.actual is None:
            return None
        return self.amounts.actual / self.amounts.budget

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
class Outcome:
    """The financial outcome as the report states it ("een te verwachten batig saldo van
    € 226.713"), beside what the begroting said; `supported` is False when the table's own
    lines do not give it (the check annex says why)."""

    label: str                 # "Verwacht batig saldo"
    expected: int | None       # as stated: 226.713
    budgeted: int | None       # the begroting's balance as stated: 275.000
    supported: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Budget:
    """The year budget as the report's tables, with every total recomputed from the lines."""

    year: int
    actual_period: str
    sections: tuple[BudgetSection, ...]
    stated_balance: Amounts | None             # income total minus expense total, as printed
    computed_balance: Amounts                  # the same from the lines
    stated_surplus: tuple[BudgetRow, ...] = ()  # rows of section "saldo", if the data has them
    actual_through: date | None = None         # realisatie t/m (the period's last day)
    year_share: float | None = None            # share of the year elapsed at `actual_through`
    outcome: Outcome | None = None

    @property
    def flagged(self) -> tuple[BudgetRow, ...]:
        """Total rows whose stated amounts do not add up."""
        return tuple(r for s in self.sections for r in s.rows if r.flagged) + tuple(
            r for r in self.stated_surplus if r.flagged)

    @property
    def expense_share(self) -> float | None:
        """Lasten realised as a share of the begroting, from the lines."""
        lasten = next((s for s in self.sections if s.name == "lasten"), None)
        if lasten is None:
            return None
        total = lasten.line_total
        if not total.budget or total.actual is None:
            return None
        return total.actual / total.budget


@dataclass(frozen=True, slots=True)
class IndicatorDigest:
    """A monthly series: its values, the recomputed total and the total as stated; and the
    comparison the data allows (`baseline`: e.g. 2022's average of 140 a month)."""

    name: str
    line: str
    unit: str
    year: int
    months: tuple[tuple[date, float], ...]
    total: float
    period_total: float
    stated_total: float | None
    note: str = ""
    baseline: float | None = None        # a monthly average to compare with
    baseline_label: str = ""             # "gemiddeld per maand in 2022"

    @property
    def flagged(self) -> bool:
        """True when a stated total differs from the months added up."""
        return self.stated_total is not None and abs(self.stated_total - self.total) > 1e-9

    @property
    def monthly_average(self) -> float:
        """The average month of the series (1.318 over six months → 219,7)."""
        return self.total / len(self.months) if self.months else 0.0


@dataclass(frozen=True, slots=True)
class KeyFigureRow:
    """A key figure as the report states it: qualifier, value, label ("ruim 660 jongeren")."""

    key: str
    label: str
    value: float | None
    text: str
    unit: str
    qualifier: str = ""
    line: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """One line value that makes a table add up: `row`'s `column` should read `needed` (the
    amount found in its column `found_in`) instead of `stated`."""

    row: str
    column: str
    stated: int
    needed: int
    found_in: str


@dataclass(frozen=True, slots=True)
class Check:
    """One inconsistency of the source: where, both sides, and the one correction that makes
    the table add up (None when no single correction does)."""

    table: str              # "Begroting 2023, inkomsten", "Indicatoren"
    row: str
    column: str             # "verwacht jaartotaal"
    stated: float
    computed: float
    kind: str = "total"     # total (a stated total vs its lines) | balance | series |
    #                         tables (two tables of the report differ) | text (its text vs a table)
    correction: Correction | None = None  # the one correction that makes it add up
    note: str = ""
    printed_totals: float | None = None   # balance: what the printed totals give
    corrected: float | None = None        # balance: the lines after the corrections found


@dataclass(frozen=True)
class Digest:
    """What a period brought, shaped like the half-year report (see the module docstring)."""

    period: Period
    generated_at: datetime
    tz: str
    lines: tuple[LineDigest, ...]
    next_period: Period
    upcoming: tuple[UpcomingDeadline, ...] = ()
    budget: Budget | None = None
    indicators: tuple[IndicatorDigest, ...] = ()
    kind: str = "half"  # half | quarter | month | week
    as_of: date | None = None           # last day covered
    current: bool = False               # the period is still running: "stand per <as_of>"
    front: tuple[str, ...] = ()         # the report's kernboodschap for the period
    key_figures: tuple[KeyFigureRow, ...] = ()
    risks: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()

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

    @cached_property
    def counts(self) -> dict[Reason, int]:
        """How many items of each reason (only reasons that occur), and changed programmes
        under `Reason.PROGRAMME_STATUS`."""
        out: dict[Reason, int] = {}
        for _, item in self.items:
            out[item.reason] = out.get(item.reason, 0) + 1
        changed = sum(1 for p in self.programmes if p.changes)
        if changed:
            out[Reason.PROGRAMME_STATUS] = changed
        return out

    @cached_property
    def not_reported(self) -> tuple[tuple[DossierDigest, Item], ...]:
        """Actions past due that nobody confirmed: the confirmation round's open ends."""
        return tuple((d, i) for d, i in self.items if i.reason is Reason.NOT_REPORTED)

    @cached_property
    def not_reported_without_owner(self) -> int:
        """How many of `not_reported` have no owner recorded (nor their dossier)."""
        return sum(1 for _, i in self.not_reported if not i.owner)

    @property
    def budget_stale(self) -> bool:
        """True when the budget's figures end before the period does (the second half-year
        of a dataset that only holds the mid-year figures): the digest says so."""
        through = self.budget.actual_through if self.budget is not None else None
        return through is not None and self.as_of is not None and through < self.as_of

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
