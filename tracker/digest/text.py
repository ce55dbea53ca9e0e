"""The digest as plain text for the console (`lobby digest`, `lobby demo`)."""

from __future__ import annotations

from tracker.digest.model import Budget, Digest, IndicatorDigest, LineDigest
from tracker.digest.words import (
    column_label,
    digest_title,
    funding_phrase,
    headlines,
    item_phrase,
    join,
    line_title,
    number,
    period_span,
    so_far_note,
    status_phrase,
    upcoming_phrase,
)
from tracker.labels import programme_status_label
from tracker.text import format_eur


def _heading(text: str, char: str = "=") -> list[str]:
    return [text, char * len(text)]


def _columns(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.rjust(w) if i in right else c.ljust(w)
                      for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in rows]


def render_text(digest: Digest, lang: str = "nl") -> str:
    """The whole digest as plain text lines."""
    en = lang == "en"
    note = so_far_note(digest, lang)
    out = [*_heading(digest_title(digest, lang)),
           period_span(digest, lang) + (f" ({note})" if note else ""), ""]
    out += [*_heading("Key points" if en else "Bestuurlijke hoofdlijnen", "-")]
    out += [f"* {join(p)}" for p in headlines(digest, lang)]
    out.append("")
    for line in digest.lines:
        out += _line(line, lang)
    if digest.upcoming:
        out += _heading(f"{'Next period' if en else 'Volgende periode'}: "
                        f"{digest.next_period.label(lang)}", "-")
        out += [f"  {join(upcoming_phrase(d, lang))}" for d in digest.upcoming]
        out.append("")
    if digest.budget is not None:
        out += _budget(digest.budget, lang)
    if digest.indicators:
        out += _indicators(digest.indicators, lang)
    return "\n".join(out).rstrip() + "\n"


def _line(line: LineDigest, lang: str) -> list[str]:
    en = lang == "en"
    out = _heading(line_title(line.line, lang), "-")
    for dossier in line.dossiers:
        out.append(f"{dossier.code} — {dossier.title}")
        out.append(f"  status: {join(status_phrase(dossier, lang))}")
        funding = funding_phrase(dossier, lang)
        if funding:
            out.append(f"  {'funding' if en else 'financiering'}: {join(funding)}")
        out += [f"  - {join(item_phrase(i, lang))}" for i in dossier.items]
        if not dossier.items:
            out.append("  (" + ("no changes" if en else "geen wijzigingen") + ")")
    if line.programmes:
        out.append("")
        out.append("Programmes:" if en else "Programma's:")
        rows = [[("  " if p.parent else "") + p.name, programme_status_label(p.status, lang)]
                for p in line.programmes]
        out += ["  " + r for r in _columns(rows, set())]
        for p in line.programmes:
            out += [f"  - {p.name}: {join(item_phrase(i, lang))}" for i in p.changes]
    out.append("")
    return out


def _budget(budget: Budget, lang: str) -> list[str]:
    en = lang == "en"
    return [*_heading(f"{'Budget' if en else 'Begroting'} {budget.year}", "-"),
            *budget_table(budget, lang), ""]


def budget_table(budget: Budget, lang: str = "nl", *, name_width: int = 60) -> list[str]:
    """The budget as aligned text columns: both sections, flagged totals with what their lines
    add up to, and the balance."""
    en = lang == "en"
    out: list[str] = []
    header = ["", column_label("budget", lang), f"{column_label('actual', lang)} "
              f"{budget.actual_period}".strip(), column_label("expected", lang)]
    rows: list[list[str]] = []
    for section in budget.sections:
        if rows:
            rows.append(["", "", "", ""])
        rows.append([section.name.upper(), *header[1:]])
        for row in section.rows:
            mark = " !" if row.flagged else ""
            name = row.name if len(row.name) <= name_width else row.name[:name_width - 1] + "…"
            rows.append([name + mark, *(format_eur(v, lang) for v in row.amounts.values())])
            if row.flagged and row.computed is not None:
                rows.append(["  " + ("lines add up to" if en else "regels tellen op tot"),
                             *(format_eur(v, lang) for v in row.computed.values())])
    rows.append(["", "", "", ""])
    rows.append(["SALDO" if not en else "BALANCE", *header[1:]])
    balance = rows
    if budget.stated_balance is not None:
        balance.append(["stated totals" if en else "gedrukte totalen",
                        *(format_eur(v, lang) for v in budget.stated_balance.values())])
    balance.append(["from the lines" if en else "volgens de regels",
                    *(format_eur(v, lang) for v in budget.computed_balance.values())])
    for row in budget.stated_surplus:
        balance.append([row.name + (" !" if row.flagged else ""),
                        *(format_eur(v, lang) for v in row.amounts.values())])
    out += _columns(balance, {1, 2, 3})
    return out


def _indicators(series: tuple[IndicatorDigest, ...], lang: str) -> list[str]:
    en = lang == "en"
    out = _heading("Indicators" if en else "Indicatoren", "-")
    for s in series:
        months = ", ".join(f"{m:%m}: {number(v, lang)}" for m, v in s.months)
        flag = ""
        if s.flagged:
            flag = (f" — stated total {number(s.stated_total or 0, lang)} does not add up" if en
                    else f" — gedrukt totaal {number(s.stated_total or 0, lang)} klopt niet")
        out.append(f"{s.name}: {'total' if en else 'totaal'} {number(s.total, lang)}{flag}")
        out.append(f"  {months}")
    out.append("")
    return out
