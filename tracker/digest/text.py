"""The digest as plain text for the console (`lobby digest`, `lobby demo`), in the report's
order: front page, execution lines, lobby dossiers, next period, key figures, indicators,
budget, risks, decisions, check annex."""

from __future__ import annotations

from tracker.digest.budget import section_label, shown_sections
from tracker.digest.front import (
    check_phrase,
    column_label,
    front_page,
    outcome_phrase,
    spending_phrase,
)
from tracker.digest.model import Budget, Digest, DossierDigest, LineDigest
from tracker.digest.words import (
    digest_title,
    dossier_heading,
    funding_phrase,
    indicator_phrase,
    item_phrase,
    join,
    key_figure,
    line_title,
    percent,
    period_span,
    quoted_note,
    results_heading,
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
    for heading, phrases in front_page(digest, lang):
        out += _heading(heading, "-")
        out += [f"* {join(p)}" for p in phrases]
        out.append("")
    for line in digest.lines:
        out += _line(line, digest, lang)
    if not any(line.line == "public-affairs" for line in digest.lines):
        out += _dossiers(digest, lang)
    if digest.upcoming:
        out += _heading(f"{'Next period' if en else 'Volgende periode'}: "
                        f"{digest.next_period.label(lang)}", "-")
        out += [f"  {join(upcoming_phrase(d, lang))}" for d in digest.upcoming]
        out.append("")
    if digest.key_figures:
        out += _heading("Key figures" if en else "Kerncijfers", "-")
        out += [f"* {join(key_figure(f, lang))}" for f in digest.key_figures]
        out.append("")
    if digest.indicators:
        out += _heading("Indicators" if en else "Indicatoren", "-")
        out += [f"* {join(indicator_phrase(s, lang))}" for s in digest.indicators]
        out.append("")
    if digest.budget is not None:
        out += _heading(f"{'Budget' if en else 'Begroting'} {digest.budget.year}", "-")
        out += budget_table(digest.budget, lang)
        for phrase in (spending_phrase(digest.budget, lang), outcome_phrase(digest.budget, lang)):
            if phrase:
                out.append(join(phrase))
        notes = [(r.name, r.note) for s in shown_sections(digest.budget) for r in s.rows
                 if r.note]
        if notes:
            out.append("Explanation:" if en else "Toelichting:")
            out += [f"  [{n}] {name}: {text}" for n, (name, text) in enumerate(notes, 1)]
        out.append("")
    for nl, en_, texts in (("Risico's", "Risks", digest.risks),
                           ("Besluiten", "Decisions", digest.decisions)):
        if texts:
            out += _heading(en_ if en else nl, "-")
            out += [f"* {t}" for t in texts]
            out.append("")
    if digest.checks:
        out += _heading("Annex: check of the figures" if en
                        else "Bijlage: controle van de cijfers", "-")
        out += [f"{n}. {join(check_phrase(c, lang, digest.budget))}"
                for n, c in enumerate(digest.checks, 1)]
    quoted = quoted_note(lang)
    if quoted:  # English: each section says once that the Dutch in it is the report's own
        out = [x for i, line in enumerate(out)
               for x in ((line, quoted) if i and line and set(line) == {"-"} else (line,))]
    return "\n".join(out).rstrip() + "\n"


def _line(line: LineDigest, digest: Digest, lang: str) -> list[str]:
    en = lang == "en"
    out = _heading(line_title(line.line, lang), "-")
    for heading, texts in (("Goals" if en else "Doelen", line.goals),
                           (results_heading(digest, lang), line.results),
                           ("Explanation and outlook" if en else "Toelichting en vooruitblik",
                            line.outlook)):
        if texts:
            out.append(f"{heading}:")
            out += [f"  {t}" for t in texts]
    if line.programmes:
        out.append("Programmes:" if en else "Programma's:")
        names = {p.name for p in line.programmes}
        for p in line.programmes:
            indent = "    " if p.parent in names else "  "
            out.append(f"{indent}{p.name} — {programme_status_label(p.status, lang)}"
                       + (f": {p.note}" if p.note else ""))
            out += [f"{indent}  ↳ {join(item_phrase(i, lang))}" for i in p.changes]
    out.append("")
    if line.line == "public-affairs":
        out += _dossiers(digest, lang)
    return out


def _dossiers(digest: Digest, lang: str) -> list[str]:
    en = lang == "en"
    out = _heading("Lobby dossiers" if en else "Belangenbehartiging: de lobbydossiers", "~")
    out.append("The colour is the team's own assessment." if en
               else "De kleur is de beoordeling van het team zelf.")
    out.append("")
    for dossier in digest.dossiers:
        out += _dossier(dossier, lang)
    return out


def _dossier(dossier: DossierDigest, lang: str) -> list[str]:
    en = lang == "en"
    out = [join(dossier_heading(dossier))]
    if dossier.summary:
        out.append(f"  {'summary' if en else 'samenvatting'}: {dossier.summary}")
    if dossier.goal:
        out.append(f"  {'lobby goal' if en else 'lobbydoel'}: {dossier.goal}")
    out.append(f"  {'status' if en else 'stand'}: {join(status_phrase(dossier, lang))}")
    funding = funding_phrase(dossier, lang)
    if funding:
        out.append(f"  {'funding' if en else 'financiering'}: {join(funding)}")
    if dossier.items:
        out.append(f"  {'what changed' if en else 'wat veranderde'}:")
        out += [f"  - {join(item_phrase(i, lang))}" for i in dossier.items]
    else:
        out.append("  " + ("nothing changed in this period" if en
                           else "niets gewijzigd in deze periode"))
    if dossier.next_steps:
        out.append(f"  {'what comes next' if en else 'wat volgt'}:")
        out += [f"  - {join(upcoming_phrase(u, lang, with_code=False))}"
                for u in dossier.next_steps]
    out.append("")
    return out


def budget_table(budget: Budget, lang: str = "nl", *, name_width: int = 60) -> list[str]:
    """The budget as aligned text columns in the report's own columns (begroting,
    realisatie t/m, verschil = begroting − realisatie, verwacht jaartotaal, %)."""
    header = [column_label(c, lang, budget)
              for c in ("budget", "actual", "difference", "expected", "spent")]
    rows: list[list[str]] = []
    notes = 0
    for section in shown_sections(budget):
        if rows:
            rows.append([""] * 6)
        rows.append([section_label(section.name, lang).upper(), *header])
        for row in section.rows:
            mark = " !" if row.flagged else ""
            if row.note:  # the explanation's number, as in the list below the table
                notes += 1
                mark = f" [{notes}]{mark}"
            name = row.name if len(row.name) <= name_width else row.name[:name_width - 1] + "…"
            rows.append([name + mark, format_eur(row.amounts.budget, lang),
                         format_eur(row.amounts.actual, lang), format_eur(row.difference, lang),
                         format_eur(row.amounts.expected, lang),
                         percent(row.spent_share, lang) if row.spent_share is not None else "—"])
    out = _columns(rows, {1, 2, 3, 4, 5})
    out.append("! = " + ("does not add up, see the annex" if lang == "en"
                         else "sluit niet, zie de bijlage"))
    return out
