"""One PNG chart for the half-year digest: the indicators' monthly series and the budget
execution per line (begroting, werkelijk, verwacht). Matplotlib on Agg, never a display."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, in the server as in tests

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from tracker.dates import format_date
from tracker.digest.model import Budget, Digest, IndicatorDigest
from tracker.digest.words import digest_title

COLOURS = ("#1f5f8b", "#e07b00", "#7a9a01")  # begroting, werkelijk, verwacht


def render_chart(digest: Digest, lang: str = "nl") -> bytes | None:
    """The chart as PNG bytes, or None when the digest has no indicators and no budget."""
    budget = digest.budget
    lasten = None
    if budget is not None:
        lasten = next((s for s in budget.sections if s.name == "lasten"), None)
    has_budget = lasten is not None and any(not r.is_total for r in lasten.rows)
    if not digest.indicators and not has_budget:
        return None
    panels = int(bool(digest.indicators)) + int(has_budget)
    # Figure, not pyplot: no global state, nothing to close, safe in threads.
    fig = Figure(figsize=(11, 4.8 * panels), dpi=100, layout="constrained")
    axes = fig.subplots(panels, 1, squeeze=False)[:, 0]
    i = 0
    if digest.indicators:
        _indicators(axes[i], digest.indicators, lang)
        i += 1
    if has_budget and budget is not None:
        _budget(axes[i], budget, lang)
    fig.suptitle(digest_title(digest, lang), fontsize=14, fontweight="bold")
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _indicators(ax, series: tuple[IndicatorDigest, ...], lang: str) -> None:  # type: ignore[no-untyped-def]
    en = lang == "en"
    months = sorted({m for s in series for m, _ in s.months})
    labels = [format_date(m, lang, weekday=False, year=False).split(" ")[-1] for m in months]
    for s in series:
        values = dict(s.months)
        ax.plot(range(len(months)), [values.get(m) for m in months], marker="o", linewidth=2,
                label=f"{s.name} ({'total' if en else 'totaal'} {s.total:,.0f})".replace(
                    ",", "." if not en else ","))
        for x, m in enumerate(months):
            if m in values:
                ax.annotate(f"{values[m]:,.0f}".replace(",", "."), (x, values[m]),
                            textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_xticks(range(len(months)), labels)
    ax.set_title("Indicators per month" if en else "Indicatoren per maand", loc="left")
    ax.set_xlabel(f"{'Month' if en else 'Maand'} {months[0].year}" if months else "")
    ax.set_ylabel("Number" if en else "Aantal")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower left", fontsize=9)


def _budget(ax, budget: Budget, lang: str) -> None:  # type: ignore[no-untyped-def]
    en = lang == "en"
    section = next(s for s in budget.sections if s.name == "lasten")
    rows = [r for r in section.rows if not r.is_total]
    names = [r.name if len(r.name) <= 34 else r.name[:33] + "…" for r in rows]
    width = 0.27
    series = (("Budget" if en else "Begroting", [r.amounts.budget or 0 for r in rows]),
              (f"{'Actual' if en else 'Werkelijk'} {budget.actual_period}".strip(),
               [r.amounts.actual or 0 for r in rows]),
              ("Expected year total" if en else "Verwacht jaartotaal",
               [r.amounts.expected or 0 for r in rows]))
    for k, (label, values) in enumerate(series):
        ax.barh([y + (k - 1) * width for y in range(len(rows))], values, height=width,
                label=label, color=COLOURS[k])
    ax.set_yticks(range(len(rows)), names, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: f"{v / 1000:,.0f}".replace(",", "." if not en else ",")))
    ax.set_title((f"Budget execution {budget.year}: expenses per line" if en
                  else f"Begrotingsuitvoering {budget.year}: lasten per post"), loc="left")
    ax.set_xlabel("Euro (thousands)" if en else "Euro (× 1.000)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper right", fontsize=9)
