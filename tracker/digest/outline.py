"""The council-ready report as an outline of plain blocks, shared by the DOCX and PDF renderers.

One small function per section of the reference report (title page, kernboodschap, execution
lines, programmes, key figures, indicators, budget, risks and decisions, next period, check
annex). Every figure comes from the digest model; these functions only pick and word it. Text
here is raw (user text included): each renderer makes it safe with its own escaping function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from tracker.dates.vocab import month_name
from tracker.digest.model import (
    Digest,
    Item,
    Reason,
    UpcomingDeadline,
    reason_label,
)
from tracker.digest.words import (
    item_detail,
    join,
)

ORGANISATION = "Regio Zwolle"
FLAG = "⚠"
MAX_CONTENTS_SECTIONS = 80


@dataclass(frozen=True, slots=True)
class TitlePage:
    title: str
    subtitle: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contents:
    title: str
    levels: int = 2  # headings of level ≤ this are listed


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 = chapter (starts a new page), 2 = section, 3 = subsection
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    label: str = ""        # bold lead-in ("Status: ")
    style: str = "body"    # body | note


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]                       # relative column widths
    numeric: frozenset[int] = frozenset()           # right-aligned columns
    bold_rows: frozenset[int] = frozenset()         # total rows


@dataclass(frozen=True, slots=True)
class Figure:
    png: bytes
    caption: str


Block = TitlePage | Contents | Heading | Para | Bullets | Table | Figure


@dataclass(frozen=True)
class _Ctx:
    digest: Digest
    lang: str
    chart: bytes | None
    organisation: str
    upcoming_of: dict[str, list[UpcomingDeadline]] = field(default_factory=dict)

    def t(self, nl: str, en: str) -> str:
        return en if self.lang == "en" else nl


def written(d: date, lang: str = "nl", *, approximate: bool = False) -> str:
    """A date written out, as in running text: "23 juni 2023" (approximate: "ca. 23 juni 2023")."""
    text = f"{d.day} {month_name(d.month, 'en' if lang == 'en' else 'nl')} {d.year}"
    return (("c. " if lang == "en" else "ca. ") + text) if approximate else text


def _iso_written(value: str | None, lang: str) -> str:
    if not value:
        return "?"
    try:
        return written(date.fromisoformat(value[:10]), lang) + value[10:]
    except ValueError:
        return value


def item_line(item: Item, lang: str) -> str:
    """One item in running text: "23 juni 2023 — status gewijzigd in de periode: oranje → rood: …"."""
    if item.reason is Reason.DEADLINE_MOVED:
        detail = f"{_iso_written(item.before, lang)} → {_iso_written(item.after, lang)}"
    elif item.reason is Reason.DEADLINE_ADDED and item.after:
        detail = ("due " if lang == "en" else "op ") + _iso_written(item.after, lang)
    else:
        detail = join(item_detail(item, lang))
    text = f"{written(item.at, lang, approximate=item.approximate)} — {reason_label(item.reason, lang)}"
    if detail:
        text += f": {detail}"
    return f"{text}: {item.text}" if item.text else text


def report_title(digest: Digest, lang: str = "nl", organisation: str = ORGANISATION) -> str:
    """"Halfjaarrapportage Regio Zwolle — eerste halfjaar 2023"."""
    kinds = ({"half": "Half-year report", "quarter": "Quarterly report", "month": "Monthly report",
              "week": "Weekly report"} if lang == "en" else
             {"half": "Halfjaarrapportage", "quarter": "Kwartaalrapportage",
              "month": "Maandrapportage", "week": "Weekrapportage"})
    return f"{kinds.get(digest.kind, kinds['half'])} {organisation} — {digest.period.label(lang)}"


def build_outline(digest: Digest, lang: str = "nl", *, chart: bytes | None = None,
                  organisation: str = ORGANISATION) -> list[Block]:
    """The report as blocks, section by section, in the reference report's order."""
    upcoming: dict[str, list[UpcomingDeadline]] = defaultdict(list)
    for u in digest.upcoming:
        upcoming[u.dossier_code].append(u)
    from tracker.digest.report_sections import SECTIONS  # they import the blocks from here

    ctx = _Ctx(digest, lang, chart, organisation, dict(upcoming))
    blocks = [block for section in SECTIONS for block in section(ctx)]
    # A contents page listing a thousand dossiers helps nobody: then chapters only (the
    # headings stay in the navigation pane / bookmarks).
    if sum(1 for b in blocks if isinstance(b, Heading) and b.level == 2) > MAX_CONTENTS_SECTIONS:
        blocks = [Contents(b.title, 1) if isinstance(b, Contents) else b for b in blocks]
    return blocks
