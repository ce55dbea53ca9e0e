"""The digest as Markdown, shaped like the half-year report: front page, the execution lines
(goals, results, outlook, programmes), the lobby dossiers under Public Affairs en
Communicatie, key figures, indicators, the budget tables, risks, decisions, check annex."""

from __future__ import annotations

from pathlib import PurePath

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
    Phrase,
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
from tracker.labels import kind_label, programme_status_label
from tracker.text import format_eur, safe_inline

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def md_escape(text: str) -> str:
    """User text made inert in Markdown (and safe inside a table cell): one line without
    invisible or bidi control characters (`safe_inline`), markup escaped."""
    return safe_inline(text).translate(_SPECIAL)


def _md(phrase: Phrase) -> str:
    return join(phrase, md_escape)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return [_row(header), _row(rule), *(_row(r) for r in rows)]


def render_markdown(digest: Digest, lang: str = "nl", *, chart_path: str | None = None) -> str:
    """The whole digest as a Markdown document. A chart is linked by its file name only."""
    en = lang == "en"
    out = [f"# {digest_title(digest, lang)}", ""]
    note = so_far_note(digest, lang)
    out += [f"_{period_span(digest, lang)}{f' ({note})' if note else ''}_", ""]
    # One outline for every format (tracker/digest/outline.py): the Kernboodschap chapter
    # always, with the report's own words (when the period has them) and its parts below.
    out += [f"## {'Key message' if en else 'Kernboodschap'}", ""]
    for heading, phrases in front_page(digest, lang):
        if heading in ("Kernboodschap", "In brief"):
            out += [p for phrase in phrases for p in (_md(phrase), "")]
        else:
            out += [f"### {heading}", "", *(f"- {_md(p)}" for p in phrases), ""]
    if chart_path:
        alt = "Indicators and budget execution" if en else "Indicatoren en begrotingsuitvoering"
        out += [f"![{alt}]({PurePath(chart_path).name})", ""]
    for line in digest.lines:
        out += _line(line, digest, lang)
    if not any(line.line == "public-affairs" for line in digest.lines) and digest.dossiers:
        out += _dossiers(digest, lang, level="##")
    if digest.upcoming:
        out += _upcoming(digest, lang)
    if digest.key_figures:
        out += [f"## {'Key figures' if en else 'Kerncijfers'}", ""]
        out += [f"- {_md(key_figure(f, lang))}" for f in digest.key_figures]
        out.append("")
    if digest.indicators:
        out += [f"## {'Indicators' if en else 'Indicatoren'}", ""]
        out += [f"- {_md(indicator_phrase(s, lang))}" for s in digest.indicators]
        out.append("")
    if digest.budget is not None:
        out += _budget(digest.budget, lang)
    for title_nl, title_en, texts in (("Risico's", "Risks", digest.risks),
                                      ("Besluiten", "Decisions", digest.decisions)):
        if texts:
            out += [f"## {title_en if en else title_nl}", ""]
            out += [f"- {md_escape(t)}" for t in texts]
            out.append("")
    if digest.checks:
        out += [f"## {'Annex: check of the figures' if en else 'Bijlage: controle van de cijfers'}",
                "", ("Figures of the source that do not add up, with both sides." if en else
                     "Cijfers uit de bron die niet sluiten, met beide kanten."), ""]
        out += [f"{n}. {_md(check_phrase(c, lang, digest.budget))}"
                for n, c in enumerate(digest.checks, 1)]
        out.append("")
    quoted = quoted_note(lang)
    if quoted:  # English: each section says once that the Dutch in it is the report's own
        out = [x for line in out for x in ((line, "", f"_{quoted}_") if line.startswith("## ")
                                            else (line,))]
    return "\n".join(out).rstrip() + "\n"


def _line(line: LineDigest, digest: Digest, lang: str) -> list[str]:
    en = lang == "en"
    out = [f"## {line_title(line.line, lang)}", ""]
    for heading, texts in (("Goals" if en else "Doelen", line.goals),
                           (results_heading(digest, lang), line.results),
                           ("Explanation and outlook" if en else "Toelichting en vooruitblik",
                            line.outlook)):
        if texts:
            out += [f"### {heading}", "", *(p for t in texts for p in (md_escape(t), ""))]
    if line.programmes:
        out += [f"### {'Programmes' if en else 'Programma' + chr(39) + 's'}", ""]
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
    if line.line == "public-affairs":
        out += _dossiers(digest, lang, level="###")
    return out


def _dossiers(digest: Digest, lang: str, *, level: str) -> list[str]:
    en = lang == "en"
    out = [f"{level} {'Lobby dossiers' if en else 'Belangenbehartiging: de lobbydossiers'}", "",
           ("The team's own assessment (green, amber, red) is labelled so." if en else
            "De kleur (groen, oranje, rood) is de beoordeling van het team zelf."), ""]
    for dossier in digest.dossiers:
        out += _dossier(dossier, lang, level + "#")
    return out


def _dossier(dossier: DossierDigest, lang: str, level: str) -> list[str]:
    en = lang == "en"
    out = [f"{level} {_md(dossier_heading(dossier))}", ""]
    if dossier.summary:
        out.append(f"- **{'Summary' if en else 'Samenvatting'}:** {md_escape(dossier.summary)}")
    if dossier.goal:
        out.append(f"- **{'Lobby goal' if en else 'Lobbydoel'}:** {md_escape(dossier.goal)}")
    out.append(f"- **{'Status' if en else 'Stand'}:** {_md(status_phrase(dossier, lang))}")
    funding = funding_phrase(dossier, lang)
    if funding:
        out.append(f"- **{'Funding' if en else 'Financiering'}:** {_md(funding)}")
    changed = "What changed" if en else "Wat veranderde"
    if dossier.items:
        out.append(f"- **{changed}:**")
        out += [f"    - {_md(item_phrase(i, lang))}" for i in dossier.items]
    else:
        out.append(f"- **{changed}:** " + ("nothing in this period; listed as a running dossier."
                                           if en else "niets in deze periode; opgenomen als "
                                                      "lopend dossier."))
    if dossier.next_steps:
        out.append(f"- **{'What comes next' if en else 'Wat volgt'}:**")
        out += [f"    - {_md(upcoming_phrase(u, lang, with_code=False))}"
                for u in dossier.next_steps]
    out.append("")
    return out


def _upcoming(digest: Digest, lang: str) -> list[str]:
    en = lang == "en"
    out = [f"## {'Next period' if en else 'Volgende periode'}: {digest.next_period.label(lang)}",
           ""]
    header = (["Date", "Dossier", "Kind", "Milestone"] if en
              else ["Datum", "Dossier", "Soort", "Mijlpaal"])
    rows = []
    for d in digest.upcoming:
        when_ = join(upcoming_phrase(d, lang)).split(" · ", 1)[0]
        rows.append([when_, md_escape(d.dossier_code), kind_label(d.kind, lang),
                     md_escape(d.title)])
    return [*out, *_table(header, rows), ""]


def _budget(budget: Budget, lang: str) -> list[str]:
    en = lang == "en"
    out = [f"## {'Finances' if en else 'Financiën'}: {'budget' if en else 'begroting'} "
           f"{budget.year}", ""]
    header = ["Line" if en else "Post",
              *(_upper_first(column_label(c, lang, budget))
                for c in ("budget", "actual", "difference", "expected", "spent"))]
    notes: list[tuple[str, str]] = []
    for section in shown_sections(budget):
        out += [f"### {section_label(section.name, lang)}", ""]
        rows = []
        for row in section.rows:
            name = md_escape(row.name)
            cells = [format_eur(row.amounts.budget, lang), format_eur(row.amounts.actual, lang),
                     format_eur(row.difference, lang), format_eur(row.amounts.expected, lang),
                     percent(row.spent_share, lang) if row.spent_share is not None else "—"]
            if row.note:
                notes.append((row.name, row.note))
                name += f" [{len(notes)}]"
            if row.flagged:
                name += " ⚠"
            if row.is_total:
                name, cells = f"**{name}**", [f"**{c}**" for c in cells]
            rows.append([name, *cells])
        out += [*_table(header, rows, right={1, 2, 3, 4, 5}), ""]
    out.append("Difference = budget − actual; ⚠ = does not add up, see the annex." if en else
                "Verschil = begroting − realisatie; ⚠ = sluit niet, zie de bijlage.")
    out.append("")
    for phrase in (spending_phrase(budget, lang), outcome_phrase(budget, lang)):
        if phrase:
            out += [_md(phrase), ""]
    if notes:
        out += [f"**{'Explanation' if en else 'Toelichting'}**", ""]
        out += [f"{n}. {md_escape(name)}: {md_escape(text)}"
                for n, (name, text) in enumerate(notes, 1)]
        out.append("")
    return out


def _upper_first(text: str) -> str:
    """"actual to 30 June 2023" → "Actual to 30 June 2023" (str.capitalize lowers the rest)."""
    return text[:1].upper() + text[1:]
