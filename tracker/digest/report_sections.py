"""The report's sections, one small function each, in the reference report's order: each
picks and words what the digest model holds (no figure is computed here) as outline blocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from tracker.dates.vocab import month_name
from tracker.digest.model import COLUMNS, Budget, DossierDigest, Reason, UpcomingDeadline
from tracker.digest.outline import (
    FLAG,
    Block,
    Bullets,
    Contents,
    Figure,
    Heading,
    Para,
    Table,
    TitlePage,
    _Ctx,
    item_line,
    report_title,
    written,
)
from tracker.digest.words import (
    column_label,
    count_phrase,
    funding_phrase,
    headlines,
    join,
    line_title,
    number,
    rag,
    so_far_note,
)
from tracker.labels import kind_label, programme_status_label
from tracker.text import format_eur


def _title_page(c: _Ctx) -> list[Block]:
    d = c.digest
    last = d.period.end - timedelta(days=1)
    span = f"{written(d.period.start, c.lang)} {c.t('t/m', 'to')} {written(last, c.lang)}"
    local = d.generated_at.astimezone(ZoneInfo(d.tz)).date()
    lines = [c.t(f"Opgesteld op {written(local, 'nl')}", f"Prepared on {written(local, 'en')}")]
    if so_far_note(d, c.lang):
        lines.insert(0, c.t(f"Stand per {written(local, 'nl')}", f"Position as of {written(local, 'en')}"))
    return [TitlePage(report_title(d, c.lang, c.organisation), span, tuple(lines)),
            Contents(c.t("Inhoudsopgave", "Contents"))]


def _kernboodschap(c: _Ctx) -> list[Block]:
    return [Heading(1, c.t("Kernboodschap", "Key message")),
            Para(c.t("De belangrijkste ontwikkelingen van de periode, de financiële stand en wat "
                     "er volgt:", "The main developments of the period, the financial position "
                     "and what follows:")),
            Bullets(tuple(join(p) for p in headlines(c.digest, c.lang)))]


def _dossier(c: _Ctx, dossier: DossierDigest) -> list[Block]:
    status = f"{rag(dossier.rag, c.lang)}"
    if dossier.rag_since:
        status += c.t(" sinds ", " since ") + written(dossier.rag_since, c.lang)
    if dossier.rag_reason:
        status += f": {dossier.rag_reason}"
    out: list[Block] = [Heading(2, f"{dossier.code} — {dossier.title}"),
                        Para(status, label=c.t("Status (eigen beoordeling): ",
                                               "Status (own assessment): "))]
    funding = funding_phrase(dossier, c.lang)
    if funding:
        out.append(Para(join(funding), label=c.t("Financiering: ", "Funding: ")))
    if dossier.items:
        out += [Para("", label=c.t("Resultaten en ontwikkelingen in de periode:",
                                   "Results and developments in the period:")),
                Bullets(tuple(item_line(i, c.lang) for i in dossier.items))]
    else:
        out.append(Para(c.t("Geen wijzigingen in deze periode.", "No changes in this period."),
                        style="note"))
    ahead = c.upcoming_of.get(dossier.code)
    if ahead:
        out += [Para("", label=c.t("Vooruitblik:", "Outlook:")),
                Bullets(tuple(_upcoming_line(u, c.lang) for u in ahead))]
    return out


def _upcoming_line(u: UpcomingDeadline, lang: str) -> str:
    when = written(u.due_date, lang, approximate=u.approximate)
    if u.due_time is not None:
        when += f" {u.due_time:%H:%M}"
    return f"{when} · {kind_label(u.kind, lang)}: {u.title}"


def _lines(c: _Ctx) -> list[Block]:
    out: list[Block] = []
    for line in c.digest.lines:
        if not line.dossiers:
            continue
        out.append(Heading(1, line_title(line.line, c.lang)))
        for dossier in line.dossiers:
            out += _dossier(c, dossier)
    return out


def _programmes(c: _Ctx) -> list[Block]:
    rows = [(p.name, p.parent or "", line_title(p.line, c.lang),
             programme_status_label(p.status, c.lang), p.note) for p in c.digest.programmes]
    if not rows:
        return []
    changes = [f"{p.name}: {item_line(i, c.lang)}" for p in c.digest.programmes for i in p.changes]
    out: list[Block] = [
        Heading(1, c.t("Programma’s", "Programmes")),
        Table(c.t(("Programma", "Onderdeel van", "Uitvoeringslijn", "Status", "Toelichting"),
                  ("Programme", "Part of", "Line", "Status", "Note")),
              tuple(rows), (2.2, 1.6, 1.6, 1.1, 4.5))]
    if changes:
        out += [Para("", label=c.t("Statuswijzigingen in de periode:",
                                   "Status changes in the period:")), Bullets(tuple(changes))]
    return out


def _key_figures(c: _Ctx) -> list[Block]:
    d = c.digest
    out: list[Block] = [Heading(1, c.t("Kerncijfers", "Key figures")),
                        Para(join(count_phrase(d, c.lang)) + ".",
                             label=c.t("In de periode: ", "In the period: "))]
    funded = [x for x in d.dossiers if x.funding_needed is not None or x.funding_secured is not None]
    if funded:
        out += [Heading(2, c.t("Financiering van de lobbydossiers", "Funding of the lobby dossiers")),
                Table(c.t(("Dossier", "Nodig", "Gedekt", "Tekort"), ("Dossier", "Needed", "Secured", "Gap")),
                      tuple((f"{x.code} — {x.title}", format_eur(x.funding_needed, c.lang),
                             format_eur(x.funding_secured, c.lang),
                             format_eur(x.funding_gap, c.lang) if x.funding_gap else "—")
                            for x in funded), (4.5, 1.5, 1.5, 1.5), frozenset({1, 2, 3}))]
    if d.indicators:
        out += [Heading(2, c.t("Indicatoren in de periode", "Indicators in the period")),
                Table(c.t(("Indicator", "In de periode", f"Totaal {d.indicators[0].year}"),
                          ("Indicator", "In the period", f"Total {d.indicators[0].year}")),
                      tuple((s.name, number(s.period_total, c.lang), number(s.total, c.lang))
                            for s in d.indicators), (5, 2, 2), frozenset({1, 2}))]
    return out


def _indicators(c: _Ctx) -> list[Block]:
    series = c.digest.indicators
    out: list[Block] = []
    if series:
        months = sorted({m for s in series for m, _ in s.months})
        header = (c.t("Reeks", "Series"), *(month_name(m.month, 'en' if c.lang == 'en' else 'nl', "abbreviated") for m in months),
                  c.t("Totaal", "Total"), c.t("Gedrukt totaal", "Stated total"))
        rows = []
        for s in series:
            values = dict(s.months)
            stated = "—" if s.stated_total is None else number(s.stated_total, c.lang)
            rows.append((s.name, *(number(values[m], c.lang) if m in values else "—" for m in months),
                         number(s.total, c.lang), stated + (f" {FLAG}" if s.flagged else "")))
        out += [Heading(1, c.t("Indicatoren", "Indicators")),
                Table(header, tuple(rows), (4, *(1.0,) * len(months), 1.3, 1.5),
                      frozenset(range(1, len(header))))]
        if any(s.flagged for s in series):
            out.append(Para(c.t(f"{FLAG} Zie de bijlage ‘Controle van de cijfers’.",
                                f"{FLAG} See the annex ‘Check of the figures’."), style="note"))
    if c.chart:
        if not series:
            out.append(Heading(1, c.t("Grafiek", "Chart")))
        out.append(Figure(c.chart, c.t("Figuur 1. Indicatoren per maand en begrotingsuitvoering",
                                       "Figure 1. Indicators per month and budget execution")))
    return out


def _budget(c: _Ctx) -> list[Block]:
    b = c.digest.budget
    if b is None:
        return []
    actual = f"{column_label('actual', c.lang)} {b.actual_period}".strip().capitalize()
    header = (c.t("Post", "Line"), column_label("budget", c.lang).capitalize(), actual,
              column_label("expected", c.lang).capitalize(),
              c.t("Verschil (verwacht − begroting)", "Difference (expected − budget)"))
    out: list[Block] = [Heading(1, f"{c.t('Begroting', 'Budget')} {b.year}")]
    for section in b.sections:
        rows, bold = [], set()
        for i, row in enumerate(section.rows):
            cells = [format_eur(v, c.lang) for v in row.amounts.values()]
            for col in row.mismatches:
                cells[COLUMNS.index(col)] += f" {FLAG}"
            rows.append((row.name, *cells,
                         format_eur(row.difference, c.lang) if row.difference is not None else "—"))
            if row.is_total:
                bold.add(i)
        out += [Heading(2, section.name.capitalize()),
                Table(header, tuple(rows), (4, 1.6, 1.6, 1.6, 1.8), frozenset({1, 2, 3, 4}),
                      frozenset(bold))]
    out += _balance(c, b)
    if b.flagged:
        out.append(Para(c.t(f"{FLAG} Een gedrukt totaal klopt niet met de regels: zie de bijlage "
                            "‘Controle van de cijfers’.",
                            f"{FLAG} A stated total does not add up: see the annex "
                            "‘Check of the figures’."), style="note"))
    return out


def _balance(c: _Ctx, b: Budget) -> list[Block]:
    rows = []
    if b.stated_balance is not None:
        rows.append((c.t("Volgens de gedrukte totalen", "From the stated totals"),
                     *(format_eur(v, c.lang) for v in b.stated_balance.values())))
    rows.append((c.t("Volgens de regels", "From the lines"),
                 *(format_eur(v, c.lang) for v in b.computed_balance.values())))
    for row in b.stated_surplus:
        rows.append((row.name + (f" {FLAG}" if row.flagged else ""),
                     *(format_eur(v, c.lang) for v in row.amounts.values())))
    header = ("", column_label("budget", c.lang).capitalize(),
              f"{column_label('actual', c.lang)} {b.actual_period}".strip().capitalize(),
              column_label("expected", c.lang).capitalize())
    return [Heading(2, c.t("Saldo (inkomsten min lasten)", "Balance (income minus expenses)")),
            Table(header, tuple(rows), (4, 1.8, 1.8, 1.8), frozenset({1, 2, 3}))]


def _risks_and_decisions(c: _Ctx) -> list[Block]:
    d = c.digest
    risks = [f"{x.code} — {x.title}: {rag(x.rag, c.lang)}" + (f": {x.rag_reason}" if x.rag_reason else "")
             for x in d.dossiers if x.rag in ("red", "amber")]
    risks += [f"{p.name}: {programme_status_label(p.status, c.lang)}" + (f": {p.note}" if p.note else "")
              for p in d.programmes if p.status in ("at-risk", "delayed", "paused")]
    risks += [f"{x.code}: {item_line(i, c.lang)}" for x, i in d.items
              if i.reason is Reason.DEADLINE_MISSED]
    decisions = [f"{x.code}: {item_line(i, c.lang)}" for x, i in d.items
                 if i.reason is Reason.MILESTONE_REACHED and i.kind == "decision"]
    none = c.t("Geen in deze periode.", "None in this period.")
    return [Heading(1, c.t("Risico’s en besluiten", "Risks and decisions")),
            Heading(2, c.t("Risico’s", "Risks")),
            Bullets(tuple(risks)) if risks else Para(none, style="note"),
            Heading(2, c.t("Besluiten", "Decisions")),
            Bullets(tuple(decisions)) if decisions else Para(none, style="note")]


def _next_period(c: _Ctx) -> list[Block]:
    d = c.digest
    if not d.upcoming:
        return []
    rows = tuple((written(u.due_date, c.lang, approximate=u.approximate)
                  + (f" {u.due_time:%H:%M}" if u.due_time else ""), u.dossier_code,
                  kind_label(u.kind, c.lang), u.title) for u in d.upcoming)
    return [Heading(1, f"{c.t('Volgende periode', 'Next period')}: {d.next_period.label(c.lang)}"),
            Table(c.t(("Datum", "Dossier", "Soort", "Mijlpaal"), ("Date", "Dossier", "Kind", "Milestone")),
                  rows, (2, 1.2, 1.4, 6))]


def _check_annex(c: _Ctx) -> list[Block]:
    d = c.digest
    found: list[str] = []
    if d.budget is not None:
        for row in d.budget.flagged:
            parts = []
            for col in row.mismatches:
                stated = format_eur(getattr(row.amounts, col), c.lang)
                computed = format_eur(getattr(row.computed, col), c.lang) if row.computed else "—"
                parts.append(f"{column_label(col, c.lang)}: " + c.t(
                    f"gedrukt {stated}, de regels tellen op tot {computed}",
                    f"stated {stated}, the lines add up to {computed}"))
            found.append(f"{row.name}: " + "; ".join(parts) + "." + (f" {row.note}" if row.note else ""))
    for s in d.indicators:
        if s.flagged:
            found.append(c.t(f"{s.name}: de rapportage drukt als totaal {number(s.stated_total or 0, 'nl')}; "
                             f"de maanden tellen op tot {number(s.total, 'nl')}.",
                             f"{s.name}: the report states a total of {number(s.stated_total or 0, 'en')}; "
                             f"the months add up to {number(s.total, 'en')}."))
    intro = c.t("Cijfers uit de bron die niet met elkaar kloppen; beide kanten staan erbij.",
                "Source figures that do not agree; both sides are given.")
    return [Heading(1, c.t("Bijlage: controle van de cijfers", "Annex: check of the figures")),
            Para(intro), Bullets(tuple(found)) if found
            else Para(c.t("Alle totalen tellen op.", "All totals add up."), style="note")]


SECTIONS: tuple[Callable[[_Ctx], list[Block]], ...] = (
    _title_page, _kernboodschap, _lines, _programmes, _key_figures, _indicators, _budget,
    _risks_and_decisions, _next_period, _check_annex)
