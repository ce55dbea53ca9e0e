"""Dossier list (paged), dossier card and dossier confirmations as Block Kit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from bot.ids import ActionId
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    context,
    field_sections,
    fit_blocks,
    header,
    pack_lines,
    page,
    plain,
    section,
    sections,
)
from bot.render.message import Message
from bot.render.mrkdwn import channel_ref, escape_user_text, plain_user_text, user_ref
from tracker.dates import format_date
from tracker.labels import (
    RAG_EMOJI,
    due_label,
    kind_label,
    line_label,
    phase_label,
    programme_status_label,
    rag_label,
)
from tracker.models import Dossier, funding_gap
from tracker.results import DossierChanged
from tracker.services.dossiers import LIST_PAGE_SIZE, DossierCard, DossierLine
from tracker.text import format_eur

DOSSIERS_PER_PAGE = LIST_PAGE_SIZE
MAX_FILTER_IN_VALUE = 500


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def rag_text(rag: str, lang: str) -> str:
    """":red_circle: rood"."""
    return f"{RAG_EMOJI.get(rag, '')} {rag_label(rag, lang)}".strip()


def dossier_line(d: Dossier | DossierLine, lang: str) -> str:
    """One line of the dossier list."""
    owner = f" · {user_ref(d.owner)}" if d.owner else ""
    return f"{RAG_EMOJI.get(d.rag, '')} *{d.code}* — {escape_user_text(d.title)}{owner}"


def page_button_value(filter_text: str, page_number: int) -> str:
    """The next-page button's value: the filter and the page to show."""
    return json.dumps({"filter": filter_text[:MAX_FILTER_IN_VALUE], "page": page_number})


def render_dossier_list(dossiers: Sequence[Dossier | DossierLine], *, filter_text: str = "", page_number: int = 0,
                        lang: str = "nl", total: int | None = None) -> Message:
    """All (or the filtered) dossiers, 100 a page, with a button to the next page.

    With `total`, `dossiers` is already page `page_number` of `total` matches (paged in SQL);
    without, it is every match and the page is cut here."""
    shown_filter = escape_user_text(filter_text)
    if not dossiers:
        text = (_t(lang, f"Geen dossiers gevonden voor ‘{shown_filter}’.",
                   f"No dossiers found for ‘{shown_filter}’.") if filter_text
                else _t(lang, "Nog geen dossiers. Maak er een met `/dossier nieuw`.",
                        "No dossiers yet. Create one with `/dossier new`."))
        return Message(text, [section(text)])
    if total is None:
        items, pages = page(dossiers, page_number, DOSSIERS_PER_PAGE)
        total = len(dossiers)
    else:
        items, pages = dossiers, max(1, -(-total // DOSSIERS_PER_PAGE))
    number = min(max(page_number, 0), pages - 1)
    title = f"Dossiers ({total})"
    blocks: list[Block] = [header(title)]
    if filter_text:
        blocks.append(context(_t(lang, f"Filter: {shown_filter}", f"Filter: {shown_filter}")))
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2
    blocks += pack_lines([dossier_line(d, lang) for d in items], max_blocks=room, lang=lang)
    if pages > 1:
        blocks.append(context(_t(lang, f"Pagina {number + 1} van {pages}",
                                 f"Page {number + 1} of {pages}")))
        if number + 1 < pages:
            blocks.append(ActionsBlock(elements=[ButtonElement(
                text=plain(_t(lang, "Volgende pagina", "Next page"), MAX_BUTTON_TEXT),
                action_id=ActionId.DOSSIER_PAGE.value,
                value=page_button_value(filter_text, number + 1))]))
    fallback = f"{title}: " + ", ".join(d.code for d in items[:20])
    return Message(fallback, fit_blocks(blocks, lang=lang))


def _since(d: Dossier, tz: ZoneInfo, lang: str) -> str:
    if d.rag_since is None:
        return ""
    return _t(lang, " sinds ", " since ") + format_date(d.rag_since.astimezone(tz).date(), lang)


def card_actions(d: Dossier, lang: str) -> ActionsBlock:
    """Buttons under the card: change status, add a deadline, edit."""
    value = json.dumps({"dossier": d.id, "version": d.version})
    buttons = [(ActionId.CHANGE_STATUS, _t(lang, "Status wijzigen", "Change status")),
               (ActionId.ADD_DEADLINE, _t(lang, "Deadline toevoegen", "Add deadline")),
               (ActionId.EDIT_DOSSIER, _t(lang, "Bewerken", "Edit"))]
    return ActionsBlock(elements=[ButtonElement(text=plain(label, MAX_BUTTON_TEXT),
                                                action_id=action.value, value=value)
                                  for action, label in buttons])


def render_dossier_card(card: DossierCard, *, tz: ZoneInfo, today: date,
                        lang: str = "nl") -> Message:
    """The dossier card: status with reason, owner, goal, funding, deadlines, notes, programmes."""
    d = card.dossier
    blocks: list[Block] = [header(plain_user_text(f"{d.code} — {d.title}"))]
    status = f"*{rag_text(d.rag, lang)}*{_since(d, tz, lang)}"
    if d.rag_reason:
        status += "\n" + escape_user_text(d.rag_reason)
    blocks += sections(status)
    blocks += field_sections([
        f"*{_t(lang, 'Eigenaar', 'Owner')}*\n{user_ref(d.owner)}",
        f"*{_t(lang, 'Kanaal', 'Channel')}*\n"
        + (channel_ref(d.channel) if d.channel else _t(lang, "standaardkanaal", "default channel")),
        f"*{_t(lang, 'Uitvoeringslijn', 'Execution line')}*\n{line_label(d.line, lang)}",
        f"*{_t(lang, 'Fase', 'Phase')}*\n{phase_label(d.phase, lang)}",
    ])
    if d.goal:
        blocks += sections(f"*{_t(lang, 'Lobbydoel', 'Lobby goal')}*\n{escape_user_text(d.goal)}")
    if d.funding_needed is not None or d.funding_secured is not None:
        blocks += field_sections([
            f"*{_t(lang, 'Nodig', 'Needed')}*\n{format_eur(d.funding_needed, lang)}",
            f"*{_t(lang, 'Toegezegd', 'Secured')}*\n{format_eur(d.funding_secured, lang)}",
            f"*{_t(lang, 'Tekort', 'Gap')}*\n{format_eur(funding_gap(d), lang)}",
        ])
    blocks.append(DividerBlock())
    def line(x: Any, flag: str = "") -> str:
        text = (f"• #{x.id} · {due_label(x, lang)} · {escape_user_text(x.title)}"
                f" ({kind_label(x.kind, lang)}){flag}")
        if x.id in card.kamer:  # "Tweede Kamer: Commissiedebat MIRT · commissie IenW · 2030A01234"
            from bot.render.kamer import link_line

            text += f"\n   {link_line(card.kamer[x.id], lang)}"
        return text

    lines: list[str] = []
    if card.overdue_actions:  # actions only: an event does not become overdue
        lines.append(f"*{_t(lang, 'Verlopen, nog open', 'Overdue, still open')}*")
        lines += [line(x, _t(lang, " — verlopen", " — overdue")) for x in card.overdue_actions]
    lines.append(f"*{_t(lang, 'Volgende deadlines', 'Next deadlines')}*")
    lines += [line(x) for x in card.next_deadlines]
    if not card.next_deadlines:
        lines.append(_t(lang, "Geen komende deadlines.", "No coming deadlines."))
    shown = len(card.next_deadlines) + len(card.overdue_actions) + len(card.past_events)
    if card.past_events:
        lines.append(f"*{_t(lang, 'Plaatsgevonden', 'Took place')}*")
        lines += [line(x) for x in card.past_events]
    if card.open_deadlines > shown:
        rest = card.open_deadlines - shown
        lines.append(_t(lang, f"…en nog {rest} (`/deadline lijst {d.code}`)",
                        f"…and {rest} more (`/deadline list {d.code}`)"))
    blocks += sections("\n".join(lines))
    if card.recent_notes:
        blocks += sections(f"*{_t(lang, 'Laatste notities', 'Latest notes')}*")
        for note in card.recent_notes:
            when = format_date(note.at.astimezone(tz).date(), lang)
            who = f" · {user_ref(note.actor)}" if note.actor and note.actor != "cli" else ""
            blocks += sections(f"_{when}{who}_\n{escape_user_text(note.text)}")
    if card.programmes:
        blocks += pack_lines(
            [f"*{_t(lang, 'Programma’s', 'Programmes')}*"]
            + [f"• {escape_user_text(p.name)} — {programme_status_label(p.status, lang)}"
               for p in card.programmes], max_blocks=2, lang=lang)
    actions = card_actions(d, lang)
    blocks = fit_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS - 1, lang=lang)
    blocks.append(actions)
    fallback = f"{d.code} — {escape_user_text(d.title)}: {rag_label(d.rag, lang)}"
    return Message(fallback, blocks)


def render_dossier_changed(result: DossierChanged, *, lang: str = "nl") -> Message:
    """Confirmation of a dossier change."""
    d = result.dossier
    code = f"*{d.code}*"
    title = escape_user_text(d.title)
    if result.what == "created":
        text = _t(lang, f":white_check_mark: Dossier {code} aangemaakt: {title}",
                  f":white_check_mark: Dossier {code} created: {title}")
    elif result.what == "status":
        before = rag_text(result.before or "", lang)
        text = (f"{code}: {_t(lang, 'status', 'status')} {before} → {rag_text(d.rag, lang)}\n"
                + escape_user_text(d.rag_reason))
    elif result.what == "note":
        text = _t(lang, f":memo: Notitie toegevoegd aan {code}.", f":memo: Note added to {code}.")
    elif result.what == "owner":
        text = _t(lang, f"{code}: eigenaar is nu {user_ref(d.owner)}.",
                  f"{code}: owner is now {user_ref(d.owner)}.")
    elif result.what == "channel":
        where = channel_ref(d.channel) if d.channel else _t(lang, "het standaardkanaal",
                                                            "the default channel")
        text = _t(lang, f"{code}: herinneringen gaan nu naar {where}.",
                  f"{code}: reminders now go to {where}.")
    elif result.what == "archived":
        text = _t(lang, f"Dossier {code} gearchiveerd.", f"Dossier {code} archived.")
    else:
        text = _t(lang, f":white_check_mark: {code} bijgewerkt.", f":white_check_mark: {code} updated.")
    return Message(text, sections(text))
