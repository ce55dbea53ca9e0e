"""The digest in Block Kit: pure, no client, no database.

`render_digest` returns a list of messages: the first is posted in the channel (at most 50
blocks), the others continue it as thread replies. A header per execution line; every
section within 3000 characters, headers within 150; user-typed text escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot.render.limits import (
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    context,
    fallback_text,
    header,
    pack_lines,
    truncate,
)
from bot.render.message import block_json
from bot.render.mrkdwn import escape_user_text, plain_user_text
from tracker.digest.budget import shown_sections
from tracker.digest.front import (
    check_phrase,
    count_phrase,
    front_page,
    headlines,
    outcome_phrase,
    spending_phrase,
)
from tracker.digest.model import Digest, DossierDigest, LineDigest, ProgrammeRow
from tracker.digest.text import budget_table
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
    period_span,
    quoted_note,
    results_heading,
    so_far_note,
    status_phrase,
    upcoming_phrase,
)
from tracker.labels import RAG_EMOJI, programme_status_label

ITEM_TEXT = 400          # user text of one item in Slack; the Markdown export has it whole
REASON_TEXT = 300
NOTE_TEXT = 300          # a programme's note in Slack
STATUS_EMOJI = {"on-track": ":large_green_circle:", "at-risk": ":large_orange_circle:",
                "delayed": ":large_orange_circle:", "paused": ":double_vertical_bar:",
                "done": ":white_check_mark:"}


@dataclass(frozen=True)
class DigestMessage:
    """One Slack message of a digest: `text` for notifications, `blocks` for display."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        """Keyword arguments for chat.postMessage (without channel and thread_ts)."""
        return {"text": fallback_text(self.text), "blocks": [block_json(b) for b in self.blocks]}


_UNSAFE = frozenset("<>&@")


def _esc(limit: int) -> Any:
    def esc(text: str) -> str:
        text = truncate(text, limit)
        # Most notes hold nothing to escape; skipping the six substitutions matters at scale.
        return escape_user_text(text) if not _UNSAFE.isdisjoint(text) else text
    return esc


def _mrkdwn(phrase: Phrase, limit: int = ITEM_TEXT) -> str:
    return join(phrase, _esc(limit))


def _dossier_text(dossier: DossierDigest, lang: str) -> str:
    en = lang == "en"
    emoji = RAG_EMOJI.get(dossier.rag, "")
    lines = [f"*{_mrkdwn(dossier_heading(dossier), 150)}*",
             f"{emoji} {_mrkdwn(status_phrase(dossier, lang), REASON_TEXT)}"]
    if dossier.goal:
        lines.append(("_Lobby goal:_ " if en else "_Lobbydoel:_ ")
                     + escape_user_text(truncate(dossier.goal, REASON_TEXT)))
    funding = funding_phrase(dossier, lang)
    if funding:
        lines.append(("_Funding:_ " if en else "_Financiering:_ ") + _mrkdwn(funding, 300))
    lines += [f"• {_mrkdwn(item_phrase(item, lang))}" for item in dossier.items]
    if dossier.next_steps:
        nxt = "; ".join(join(upcoming_phrase(u, lang, with_code=False), _esc(120))
                        for u in dossier.next_steps[:3])
        lines.append(("_Next:_ " if en else "_Wat volgt:_ ") + nxt)
    return truncate("\n".join(lines), MAX_SECTION_TEXT)


def _programme_line(programme: ProgrammeRow, lang: str, parents: set[str]) -> str:
    indent = "    " if programme.parent in parents else ""
    text = (f"{indent}{STATUS_EMOJI.get(programme.status, '')} "
            f"*{escape_user_text(programme.name)}* — "
            f"{programme_status_label(programme.status, lang)}")
    if programme.note:
        text += f": {escape_user_text(truncate(programme.note, NOTE_TEXT))}"
    for item in programme.changes:
        text += f"\n{indent}      ↳ {_mrkdwn(item_phrase(item, lang), 300)}"
    return text


def _texts(title: str, texts: tuple[str, ...], limit: int = 900) -> list[str]:
    return [f"*{title}*", *(escape_user_text(truncate(t, limit)) for t in texts)] if texts else []


def _dossier_groups(digest: Digest, lang: str) -> list[list[Block]]:
    en = lang == "en"
    groups: list[list[Block]] = [[context(
        "Lobby dossiers. The colour is the team's own assessment." if en else
         "Belangenbehartiging: de lobbydossiers. De kleur is de beoordeling van het team zelf.")]]
    for section in pack_lines([_dossier_text(d, lang) for d in digest.dossiers],
                              max_blocks=len(digest.dossiers) or 1, lang=lang):
        groups.append([section])
    return groups


def _line_groups(line: LineDigest, digest: Digest, lang: str) -> list[list[Block]]:
    en = lang == "en"
    groups: list[list[Block]] = [[header(line_title(line.line, lang))]]
    lines = [*_texts("Goals" if en else "Doelen", line.goals),
             *_texts(results_heading(digest, lang), line.results),
             *_texts("Explanation and outlook" if en else "Toelichting en vooruitblik",
                     line.outlook)]
    if lines:
        groups += [[s] for s in pack_lines(lines, max_blocks=len(lines), lang=lang)]
    if line.programmes:
        names = {p.name for p in line.programmes}
        lines = ["*Programmes*" if en else "*Programma's*",
                 *(_programme_line(p, lang, names) for p in line.programmes)]
        groups += [[s] for s in pack_lines(lines, max_blocks=len(lines), lang=lang)]
    if line.line == "public-affairs":
        groups += _dossier_groups(digest, lang)
    return groups


def _groups(digest: Digest, lang: str) -> list[list[Block]]:
    en = lang == "en"
    note = so_far_note(digest, lang)
    span = period_span(digest, lang) + (f" ({note})" if note else "")
    quoted = quoted_note(lang)  # English: once, under the title (the thread reads as one)
    groups: list[list[Block]] = [[header(plain_user_text(digest_title(digest, lang))),
                                  context(f"{span}\n{quoted}" if quoted else span)]]
    points: list[str] = []
    for heading, phrases in front_page(digest, lang):
        points.append(f"*{heading}*")
        points += [f"• {_mrkdwn(p, 600)}" for p in phrases]
    groups.append(pack_lines(points, max_blocks=len(points), lang=lang))
    if digest.is_empty:
        return groups
    for line in digest.lines:
        groups.append([DividerBlock()])
        groups += _line_groups(line, digest, lang)
    if not any(line.line == "public-affairs" for line in digest.lines) and digest.dossiers:
        groups += _dossier_groups(digest, lang)
    if digest.upcoming:
        label = digest.next_period.label(lang)
        groups.append([DividerBlock(),
                       header(f"{'Next period' if en else 'Volgende periode'}: {label}")])
        lines = [f"• {_mrkdwn(upcoming_phrase(d, lang), 200)}" for d in digest.upcoming]
        groups += [[s] for s in pack_lines(lines, max_blocks=len(lines), lang=lang)]
    extra: list[str] = []
    if digest.key_figures:
        extra.append("*Key figures*" if en else "*Kerncijfers*")
        extra += [f"• {_mrkdwn(key_figure(f, lang), 200)}" for f in digest.key_figures]
    if digest.indicators:
        extra.append("*Indicators*" if en else "*Indicatoren*")
        extra += [f"• {_mrkdwn(indicator_phrase(s, lang), 300)}" for s in digest.indicators]
    if extra:
        groups += [[s] for s in pack_lines(extra, max_blocks=len(extra), lang=lang)]
    if digest.budget is not None:
        budget = digest.budget
        groups.append([DividerBlock(),
                       header(f"{'Finances' if en else 'Financiën'} {budget.year}")])
        table = [escape_user_text(row) for row in budget_table(budget, lang, name_width=36)]
        # A code block per chunk, so each stays aligned and within 3000 characters.
        for chunk in pack_lines(table, limit=MAX_SECTION_TEXT - 8, max_blocks=len(table),
                                lang=lang):
            chunk.text.text = f"```{chunk.text.text}```"  # type: ignore[union-attr]
            groups.append([chunk])
        money = [join(p, _esc(600)) for p in (spending_phrase(budget, lang),
                                               outcome_phrase(budget, lang)) if p]
        money += [f"[{n}] _{escape_user_text(r.name)}:_ {escape_user_text(truncate(r.note, 600))}"
                  for n, r in enumerate((r for s in shown_sections(budget) for r in s.rows
                                         if r.note), 1)]
        if money:
            groups += [[s] for s in pack_lines(money, max_blocks=len(money), lang=lang)]
    tail = [*_texts("Risks" if en else "Risico's", digest.risks, 600),
            *_texts("Decisions" if en else "Besluiten", digest.decisions, 600)]
    if digest.checks:
        tail.append("*Annex: check of the figures*" if en
                    else "*Bijlage: controle van de cijfers*")
        tail += [f"{n}. {_mrkdwn(check_phrase(c, lang, digest.budget), 600)}"
                 for n, c in enumerate(digest.checks, 1)]
    if tail:
        groups += [[s] for s in pack_lines(tail, max_blocks=len(tail), lang=lang)]
    return groups


def render_digest(digest: Digest, lang: str = "nl") -> list[DigestMessage]:
    """The digest as Slack messages: the first within 50 blocks, the rest as thread replies."""
    fallback = f"{digest_title(digest, lang)}: {join(count_phrase(digest, lang))}"
    if digest.is_empty:
        fallback = join(headlines(digest, lang)[0])
    pages: list[list[Block]] = [[]]
    room = MAX_MESSAGE_BLOCKS - 1  # one block kept for the "continued" context
    for group in _groups(digest, lang):
        if len(pages[-1]) + len(group) > room and pages[-1]:
            pages.append([])
        for block in group:  # a group longer than a page (never in practice) is split
            if len(pages[-1]) >= room:
                pages.append([])
            pages[-1].append(block)
    messages = []
    total = len(pages)
    for number_, blocks in enumerate(pages, 1):
        if total > 1:
            marker = (f"Continued in the thread ({number_}/{total})" if lang == "en"
                      else f"Vervolg in de draad ({number_}/{total})")
            if number_ > 1:
                marker = (f"{digest_title(digest, lang)} ({number_}/{total})")
            blocks = [*blocks, context(marker)] if number_ == 1 else [context(marker), *blocks]
        text = fallback if number_ == 1 else f"{digest_title(digest, lang)} ({number_}/{total})"
        messages.append(DigestMessage(text, blocks))
    return messages

