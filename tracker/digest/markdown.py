"""The digest as Markdown, for the written report: headings per line, tables for programmes,
budget and indicators, and the chart as an image when given its path."""

from __future__ import annotations

from tracker.dates import format_date
from tracker.digest.model import Budget, Digest, IndicatorDigest, LineDigest
from tracker.digest.words import (
    Phrase,
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
)
from tracker.labels import due_label, kind_label, programme_status_label
from tracker.text import format_eur

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def md_escape(text: str) -> str:
    """User text made inert in Markdown (and safe inside a table cell)."""
    return " ".join(text.split()).translate(_SPECIAL)


def _md(phrase: Phrase) -> str:
    return join(phrase, md_escape)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return [_row(header), _row(rule), *(_row(r) for r in rows)]


def render_markdown(digest: Digest, lang: str = "nl", *, chart_path: str | None = None) -> str:
    """The whole digest as a Markdown document."""
    en = lang == "en"
    out = [f"# {digest_title(digest, lang)}", ""]
    span = period_span(digest, lang)
    note = so_far_note(digest, lang)
    out.append(f"_{span}{f' ({note})' if note else ''}_")
    out.append("")
    out += ["## " + ("Key points" if en else "Bestuurlijke hoofdlijnen"), ""]
    out += [f"- {_md(p)}" for p in headlines(digest, lang)]
    out.append("")
    if chart_path:
        alt = "Indicators and budget execution" if en else "Indicatoren en begrotingsuitvoering"
        out += [f"![{alt}]({chart_path})", ""]
    for line in digest.lines:
        out += _line(line, lang)
    if digest.upcoming:
        out += [f"## {'Next period' if en else 'Volgende periode'}: {digest.next_period.label(lang)}",
                ""]
        header = (["Date", "Dossier", "Kind", "Milestone"] if en
                  else ["Datum", "Dossier", "Soort", "Mijlpaal"])
        rows = []
        for d in digest.upcoming:
            when = due_label(d, lang, weekday=False)
            rows.append([when, md_escape(d.dossier_code), kind_label(d.kind, lang),
                         md_escape(d.title)])
        out += [*_table(header, rows), ""]
    if digest.budget is not None:
        out += _budget(digest.budget, lang)
    if digest.indicators:
        out += _indicators(digest.indicators, lang)
    return "\n".join(out).rstrip() + "\n"


def _line(line: LineDigest, lang: str) -> list[str]:
    en = lang == "en"
    out = [f"## {line_title(line.line, lang)}", ""]
    for dossier in line.dossiers:
        out.append(f"### {md_escape(dossier.code)} — {md_escape(dossier.title)}")
        out.append("")
        out.append(f"**Status:** {_md(status_phrase(dossier, lang))}")
        funding = funding_phrase(dossier, lang)
        if funding:
            out.append("")
            out.append(f"**{'Funding' if en else 'Financiering'}:** {_md(funding)}")
        out.append("")
        if dossier.items:
            out += [f"- {_md(item_phrase(i, lang))}" for i in dossier.items]
        else:
            out.append("_" + ("No changes in this period." if en
                              else "Geen wijzigingen in deze periode.") + "_")
        out.append("")
    if line.programmes:
        out += [f"### {'Programmes' if en else 'Programma’s'}", ""]
        header = (["Programme", "Part of", "Status", "Note"] if en
                  else ["Programma", "Onderdeel van", "Status", "Toelichting"])
        rows = [[md_escape(p.name), md_escape(p.parent or ""),
                 programme_status_label(p.status, lang), md_escape(p.note)]
                for p in line.programmes]
        out += [*_table(header, rows), ""]
        changes = [(p, i) for p in line.programmes for i in p.changes]
        if changes:
            out += [f"- {md_escape(p.name)}: {_md(item_phrase(i, lang))}" for p, i in changes]
            out.append("")
    return out


def _budget(budget: Budget, lang: str) -> list[str]:
    en = lang == "en"
    actual = f"{column_label('actual', lang)} {budget.actual_period}".strip()
    out = [f"## {'Budget' if en else 'Begroting'} {budget.year}", ""]
    header = ["Post" if not en else "Line", column_label("budget", lang).capitalize(),
              actual.capitalize(), column_label("expected", lang).capitalize(),
              "Difference (expected − budget)" if en else "Verschil (verwacht − begroting)"]
    notes: list[str] = []
    for section in budget.sections:
        out += [f"### {section.name.capitalize()}", ""]
        rows = []
        for row in section.rows:
            name = md_escape(row.name)
            cells = [format_eur(v, lang) for v in row.amounts.values()]
            diff = format_eur(row.difference, lang) if row.difference is not None else "—"
            if row.is_total:
                name, cells, diff = f"**{name}**", [f"**{c}**" for c in cells], f"**{diff}**"
            if row.flagged:
                notes.append(row.name)
                name += f" ⚠ [{len(notes)}]"
                for col in row.mismatches:
                    i = ("budget", "actual", "expected").index(col)
                    cells[i] += " ⚠"
            rows.append([name, *cells, diff])
        out += [*_table(header, rows, right={1, 2, 3, 4}), ""]
    flagged = [r for r in budget.flagged if r not in budget.stated_surplus]
    for n, row in enumerate(flagged, 1):
        parts = []
        for col in row.mismatches:
            stated = format_eur(getattr(row.amounts, col), lang)
            computed = format_eur(getattr(row.computed, col), lang)
            parts.append(f"{column_label(col, lang)}: " + (
                f"stated {stated}, the lines add up to {computed}" if en
                else f"gedrukt {stated}, de regels tellen op tot {computed}"))
        out.append(f"⚠ [{n}] **{md_escape(row.name)}** "
                   + ("does not add up — " if en else "klopt niet — ") + "; ".join(parts) + ".")
        if row.note:
            out.append(f"  {md_escape(row.note)}")
        out.append("")
    stated, computed = budget.stated_balance, budget.computed_balance
    out.append(f"**{'Balance' if en else 'Saldo'}** (" + (
        "income minus expenses" if en else "inkomsten min lasten") + "):")
    out.append("")
    header = ["", column_label("budget", lang).capitalize(), actual.capitalize(),
              column_label("expected", lang).capitalize()]
    rows = []
    if stated is not None:
        rows.append(["stated totals" if en else "volgens de gedrukte totalen",
                     *(format_eur(v, lang) for v in stated.values())])
    rows.append(["from the lines" if en else "volgens de regels",
                 *(format_eur(v, lang) for v in computed.values())])
    for row in budget.stated_surplus:
        rows.append([md_escape(row.name) + (" ⚠" if row.flagged else ""),
                     *(format_eur(v, lang) for v in row.amounts.values())])
    out += [*_table(header, rows, right={1, 2, 3}), ""]
    return out


def _indicators(series: tuple[IndicatorDigest, ...], lang: str) -> list[str]:
    en = lang == "en"
    months = sorted({m for s in series for m, _ in s.months})
    out = [f"## {'Indicators' if en else 'Indicatoren'}", ""]
    header = ["Series" if en else "Reeks",
              *(format_date(m, lang, weekday=False, year=False).split(" ")[-1] for m in months),
              "Total" if en else "Totaal", "Stated total" if en else "Gedrukt totaal"]
    rows = []
    for s in series:
        values = dict(s.months)
        stated = "—" if s.stated_total is None else _num(s.stated_total, lang)
        if s.flagged:
            stated += " ⚠"
        rows.append([md_escape(s.name), *(_num(values[m], lang) if m in values else "—"
                                          for m in months),
                     f"**{_num(s.total, lang)}**", stated])
    out += [*_table(header, rows, right=set(range(1, len(header)))), ""]
    for s in series:
        if s.flagged:
            out.append("⚠ " + md_escape(s.name) + ": " + (
                f"the report states a total of {_num(s.stated_total or 0, lang)}; "
                f"the months add up to {_num(s.total, lang)}." if en else
                f"de rapportage drukt als totaal {_num(s.stated_total or 0, lang)}; "
                f"de maanden tellen op tot {_num(s.total, lang)}."))
            out.append("")
    return out


def _num(value: float, lang: str) -> str:
    return number(value, lang)
