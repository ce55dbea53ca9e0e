"""The App Home tab: my dossiers, my reminders, overdue, the next 14 days, the RAG overview
(≤ 100 blocks)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block, DividerBlock
from slack_sdk.models.views import View

from bot.render.deadlines import deadline_line
from bot.render.dossiers import dossier_line, rag_text
from bot.render.limits import MAX_VIEW_BLOCKS, context, header, pack_lines, sections
from tracker.dates import format_date
from tracker.services.deadlines import Upcoming
from tracker.services.dossiers import DossierLine

# Blocks each part may use, so a huge list never squeezes out the others.
BUDGET = {"mine": 15, "reminders": 12, "overdue": 18, "upcoming": 22, "rag": 18}


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


@dataclass(frozen=True)
class HomeData:
    """What the Home tab shows, gathered by the listener."""

    user_id: str
    mine: list[DossierLine] = field(default_factory=list)
    overdue: list[Upcoming] = field(default_factory=list)
    upcoming: list[Upcoming] = field(default_factory=list)
    dossiers: list[DossierLine] = field(default_factory=list)
    today: object = None
    overdue_total: int | None = None  # when the lists were cut short in the query
    upcoming_total: int | None = None
    reminders: list[Upcoming] = field(default_factory=list)  # what this member is reminded of
    reminders_via: str = "kanaal"  # `/lobby voorkeur`: dm or kanaal


def render_home(data: HomeData, *, lang: str = "nl") -> View:
    """The Home tab view."""
    blocks: list[Block] = [header("Lobbytracker")]
    if data.today is not None:
        blocks.append(context(_t(lang, "Bijgewerkt ", "Updated ") + format_date(data.today, lang)
                              + " · `/lobby help`"))
    parts = [
        ("mine", _t(lang, "Mijn dossiers", "My dossiers"),
         [dossier_line(d, lang) for d in data.mine],
         _t(lang, "U bent van geen dossier eigenaar.", "You own no dossiers.")),
        ("reminders", _t(lang, "Mijn herinneringen", "My reminders"),
         ([deadline_line(i, lang) for i in data.reminders]
          or [_t(lang, "Geen herinneringen voor u in de komende 14 dagen.",
                 "No reminders for you in the next 14 days.")])
         + [_t(lang, "_Als direct bericht; `/lobby voorkeur kanaal` zet ze in het kanaal._",
               "_As a direct message; `/lobby voorkeur kanaal` puts them in the channel._")
            if data.reminders_via == "dm" else
            _t(lang, "_Met een vermelding in het kanaal; `/lobby voorkeur dm` stuurt ze als DM._",
               "_With a mention in the channel; `/lobby voorkeur dm` sends them as a DM._")],
         ""),
        ("overdue", _t(lang, "Verlopen", "Overdue"),
         [deadline_line(i, lang) for i in data.overdue],
         _t(lang, "Niets verlopen.", "Nothing overdue.")),
        ("upcoming", _t(lang, "Komende 14 dagen", "Next 14 days"),
         [deadline_line(i, lang) for i in data.upcoming],
         _t(lang, "Geen deadlines in de komende 14 dagen.", "No deadlines in the next 14 days.")),
    ]
    not_given = {"overdue": (data.overdue_total or 0) - len(data.overdue),
                 "upcoming": (data.upcoming_total or 0) - len(data.upcoming)}
    for key, title, lines, empty in parts:
        blocks += [DividerBlock(), *sections(f"*{title}*")]
        blocks += pack_lines(lines or [empty], max_blocks=BUDGET[key], lang=lang,
                             not_given=max(not_given.get(key, 0), 0))
    counts = Counter(d.rag for d in data.dossiers)
    overview = " · ".join(f"{rag_text(rag, lang)}: {counts.get(rag, 0)}"
                          for rag in ("red", "amber", "green"))
    blocks += [DividerBlock(), *sections(f"*{_t(lang, 'RAG-overzicht', 'RAG overview')}*\n{overview}")]
    worrying = [d for d in data.dossiers if d.rag == "red"] + [d for d in data.dossiers
                                                                if d.rag == "amber"]
    if worrying:
        blocks += pack_lines([dossier_line(d, lang) for d in worrying], max_blocks=BUDGET["rag"],
                             lang=lang)
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS])
