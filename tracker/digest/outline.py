"""The council-ready report as an outline of plain blocks, shared by the DOCX and PDF renderers.

One small function per section (tracker/digest/report_sections.py), in the order and words of
the Markdown digest (tracker/digest/markdown.py). Every figure comes from the digest model;
these functions only pick and word it. Text here is raw (user text included): each renderer makes it safe with its own escaping function.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.digest.model import Digest
from tracker.digest.words import quoted_note

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

    def t(self, nl: str, en: str) -> str:
        return en if self.lang == "en" else nl


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
    from tracker.digest.report_sections import SECTIONS  # they import the blocks from here

    ctx = _Ctx(digest, lang, chart, organisation)
    blocks = [block for section in SECTIONS for block in section(ctx)]
    quoted = quoted_note(lang)
    if quoted:  # English: each chapter says once that the Dutch in it is the report's own
        blocks = [x for b in blocks for x in ((b, Para(quoted, style="note"))
                                              if isinstance(b, Heading) and b.level == 1
                                              else (b,))]
    # A contents page listing a thousand dossiers helps nobody: then chapters only (the
    # headings stay in the navigation pane / bookmarks).
    if sum(1 for b in blocks if isinstance(b, Heading) and b.level == 2) > MAX_CONTENTS_SECTIONS:
        blocks = [Contents(b.title, 1) if isinstance(b, Contents) else b for b in blocks]
    return blocks
