"""The report's sections, one small function each, in the order tracker/digest/markdown.py
renders them (the reference for order and wording): title page and contents, kernboodschap,
per execution line its goals, results, outlook and programmes (the lobby dossiers under
Public Affairs en Communicatie), the next period, key figures, indicators, the budget tables,
risks, decisions and the check annex. Each picks and words what the digest model holds, with
the phrase functions of words.py and front.py: no figure is computed here."""

from __future__ import annotations

from collections.abc import Callable

from tracker.dates.vocab import month_name
from tracker.digest.budget import section_label, shown_sections
from tracker.digest.front import (
    check_phrase,
    column_label,
    front_page,
    outcome_phrase,
    spending_phrase,
)
from tracker.digest.model import COLUMNS, DossierDigest, LineDigest
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
    report_title,
)
from tracker.digest.words import (
    day,
    dossier_heading,
    funding_phrase,
    indicator_phrase,
    item_phrase,
    join,
    key_figure,
    line_title,
    number,
    percent,
    period_span,
    results_heading,
    so_far_note,
    status_phrase,
    upcoming_phrase,
)
from tracker.labels import kind_label, programme_status_label
from tracker.text import format_eur

_BRIEF = ("Kernboodschap", "In brief")  # front_page's part that holds the report's own words


def _title_page(c: _Ctx) -> list[Block]:
    d = c.digest
    # A date of the period, never the day it is built: a past period's report is the same
    # whenever it is made ("Stand per 30 juni 2023"); the running one says how far it goes.
    note = so_far_note(d, c.lang) or (
        c.t(f"stand per {day(d.as_of, 'nl')}", f"as of {day(d.as_of, 'en')}") if d.as_of else "")
    lines = [note[:1].upper() + note[1:]] if note else []
    return [TitlePage(report_title(d, c.lang, c.organisation), period_span(d, c.lang),
                      tuple(lines)),
            Contents(c.t("Inhoudsopgave", "Contents"))]


def _kernboodschap(c: _Ctx) -> list[Block]:
    out: list[Block] = [Heading(1, c.t("Kernboodschap", "Key message"))]
    for heading, phrases in front_page(c.digest, c.lang):
        if heading in _BRIEF:
            out += [Para(join(p)) for p in phrases]
        else:
            out += [Heading(2, heading), Bullets(tuple(join(p) for p in phrases))]
    if c.chart:
        out.append(Figure(c.chart, c.t("Figuur 1. Indicatoren per maand en begrotingsuitvoering",
                                       "Figure 1. Indicators per month and budget execution")))
    return out


def _line(c: _Ctx, line: LineDigest) -> list[Block]:
    out: list[Block] = [Heading(1, line_title(line.line, c.lang))]
    for heading, texts in ((c.t("Doelen", "Goals"), line.goals),
                           (results_heading(c.digest, c.lang), line.results),
                           (c.t("Toelichting en vooruitblik", "Explanation and outlook"),
                            line.outlook)):
        if texts:
            out += [Heading(2, heading), *(Para(t) for t in texts)]
    if line.programmes:
        rows = tuple((p.name, p.parent or "", programme_status_label(p.status, c.lang), p.note)
                     for p in line.programmes)
        out += [Heading(2, c.t("Programma’s", "Programmes")),
                Table(c.t(("Programma", "Onderdeel van", "Status", "Toelichting"),
                          ("Programme", "Part of", "Status", "Note")),
                      rows, (2.4, 1.8, 1.2, 5.6))]
        changes = [f"{p.name}: {join(item_phrase(i, c.lang))}"
                   for p in line.programmes for i in p.changes]
        if changes:
            out += [Para("", label=c.t("Statuswijzigingen in de periode:",
                                       "Status changes in the period:")),
                    Bullets(tuple(changes))]
    if line.line == "public-affairs":
        out += _dossiers(c, level=2)
    return out


def _lines(c: _Ctx) -> list[Block]:
    out = [block for line in c.digest.lines for block in _line(c, line)]
    if not any(line.line == "public-affairs" for line in c.digest.lines) and c.digest.dossiers:
        out += _dossiers(c, level=1)
    return out


def _dossiers(c: _Ctx, *, level: int) -> list[Block]:
    out: list[Block] = [
        Heading(level, c.t("Belangenbehartiging: de lobbydossiers", "Lobby dossiers")),
        Para(c.t("De kleur (groen, oranje, rood) is de beoordeling van het team zelf.",
                 "The team's own assessment (green, amber, red) is labelled so."), style="note")]
    for dossier in c.digest.dossiers:
        out += _dossier(c, dossier, level + 1)
    return out


def _dossier(c: _Ctx, dossier: DossierDigest, level: int) -> list[Block]:
    out: list[Block] = [Heading(level, join(dossier_heading(dossier)))]
    if dossier.summary:
        out.append(Para(dossier.summary, label=c.t("Samenvatting: ", "Summary: ")))
    if dossier.goal:
        out.append(Para(dossier.goal, label=c.t("Lobbydoel: ", "Lobby goal: ")))
    out.append(Para(join(status_phrase(dossier, c.lang)), label=c.t("Stand: ", "Status: ")))
    funding = funding_phrase(dossier, c.lang)
    if funding:
        out.append(Para(join(funding), label=c.t("Financiering: ", "Funding: ")))
    changed = c.t("Wat veranderde:", "What changed:")
    if dossier.items:
        out += [Para("", label=changed),
                Bullets(tuple(join(item_phrase(i, c.lang)) for i in dossier.items))]
    else:
        out.append(Para(c.t("niets in deze periode; opgenomen als lopend dossier.",
                            "nothing in this period; listed as a running dossier."),
                        label=changed + " "))
    if dossier.next_steps:
        out += [Para("", label=c.t("Wat volgt:", "What comes next:")),
                Bullets(tuple(join(upcoming_phrase(u, c.lang, with_code=False))
                              for u in dossier.next_steps))]
    return out


def _next_period(c: _Ctx) -> list[Block]:
    d = c.digest
    if not d.upcoming:
        return []
    rows = tuple((join(upcoming_phrase(u, c.lang)).split(" · ", 1)[0], u.dossier_code,
                  kind_label(u.kind, c.lang), u.title) for u in d.upcoming)
    return [Heading(1, f"{c.t('Volgende periode', 'Next period')}: {d.next_period.label(c.lang)}"),
            Table(c.t(("Datum", "Dossier", "Soort", "Mijlpaal"),
                      ("Date", "Dossier", "Kind", "Milestone")), rows, (2.2, 1.2, 1.4, 6))]


def _key_figures(c: _Ctx) -> list[Block]:
    figures = c.digest.key_figures
    if not figures:
        return []
    return [Heading(1, c.t("Kerncijfers", "Key figures")),
            Bullets(tuple(join(key_figure(f, c.lang)) for f in figures))]


def _indicators(c: _Ctx) -> list[Block]:
    series = c.digest.indicators
    if not series:
        return []
    en = c.lang == "en"
    months = sorted({m for s in series for m, _ in s.months})
    header = (c.t("Reeks", "Series"),
              *(month_name(m.month, "en" if en else "nl", "abbreviated") for m in months),
              c.t("Totaal", "Total"))
    rows = []
    for s in series:
        values = dict(s.months)
        rows.append((s.name + (f" {FLAG}" if s.flagged else ""),
                     *(number(values[m], c.lang) if m in values else "—" for m in months),
                     number(s.total, c.lang)))
    out: list[Block] = [Heading(1, c.t("Indicatoren", "Indicators")),
                        Bullets(tuple(join(indicator_phrase(s, c.lang)) for s in series)),
                        Table(header, tuple(rows), (4, *(1.0,) * len(months), 1.3),
                              frozenset(range(1, len(header))))]
    if any(s.flagged for s in series):
        out.append(Para(c.t(f"{FLAG} Zie de bijlage ‘Controle van de cijfers’.",
                            f"{FLAG} See the annex ‘Check of the figures’."), style="note"))
    return out


def _budget(c: _Ctx) -> list[Block]:
    b = c.digest.budget
    if b is None:
        return []
    columns = ("budget", "actual", "difference", "expected", "spent")
    header = (c.t("Post", "Line"), *(_upper_first(column_label(x, c.lang, b)) for x in columns))
    out: list[Block] = [Heading(1, f"{c.t('Financiën: begroting', 'Finances: budget')} {b.year}")]
    notes: list[tuple[str, str]] = []
    for section in shown_sections(b):
        rows, bold = [], set()
        for i, row in enumerate(section.rows):
            name = row.name
            if row.note:
                notes.append((row.name, row.note))
                name += f" [{len(notes)}]"
            if row.flagged:
                name += f" {FLAG}"
            cells = [format_eur(v, c.lang) for v in row.amounts.values()]
            for col in row.mismatches:
                cells[COLUMNS.index(col)] += f" {FLAG}"
            budget, actual, expected = cells
            spent = percent(row.spent_share, c.lang) if row.spent_share is not None else "—"
            rows.append((name, budget, actual, format_eur(row.difference, c.lang), expected,
                         spent))
            if row.is_total:
                bold.add(i)
        out += [Heading(2, section_label(section.name, c.lang)),
                Table(header, tuple(rows), (3.2, 1.5, 1.6, 1.5, 1.5, 1.6),
                      frozenset({1, 2, 3, 4, 5}), frozenset(bold))]
    out.append(Para(c.t(f"Verschil = begroting − realisatie; {FLAG} = sluit niet, zie de bijlage.",
                        f"Difference = budget − actual; {FLAG} = does not add up, see the annex."),
                    style="note"))
    for phrase in (spending_phrase(b, c.lang), outcome_phrase(b, c.lang)):
        if phrase:
            out.append(Para(join(phrase)))
    if notes:
        out += [Heading(2, c.t("Toelichting", "Explanation")),
                *(Para(text, label=f"{n}. {name}: ") for n, (name, text) in enumerate(notes, 1))]
    return out


def _risks_and_decisions(c: _Ctx) -> list[Block]:
    out: list[Block] = []
    for title, texts in ((c.t("Risico’s", "Risks"), c.digest.risks),
                         (c.t("Besluiten", "Decisions"), c.digest.decisions)):
        if texts:
            out += [Heading(1, title), Bullets(tuple(texts))]
    return out


def _check_annex(c: _Ctx) -> list[Block]:
    d = c.digest
    out: list[Block] = [
        Heading(1, c.t("Bijlage: controle van de cijfers", "Annex: check of the figures")),
        Para(c.t("Cijfers uit de bron die niet sluiten, met beide kanten.",
                 "Figures of the source that do not add up, with both sides."))]
    if not d.checks:
        return [*out, Para(c.t("Alle totalen tellen op.", "All totals add up."), style="note")]
    return [*out, *(Para(join(check_phrase(x, c.lang, d.budget)), label=f"{n}. ")
                    for n, x in enumerate(d.checks, 1))]


SECTIONS: tuple[Callable[[_Ctx], list[Block]], ...] = (
    _title_page, _kernboodschap, _lines, _next_period, _key_figures, _indicators, _budget,
    _risks_and_decisions, _check_annex)


def _upper_first(text: str) -> str:
    """"actual to 30 June 2023" → "Actual to 30 June 2023" (str.capitalize lowers the rest)."""
    return text[:1].upper() + text[1:]
