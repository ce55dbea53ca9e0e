"""The report as Slack canvas markdown (`canvases.create` / `canvases.edit`): pure.

Built from the same outline as the DOCX and PDF reports (tracker/digest/outline.py), in the
markdown subset canvases accept: headings (#, ##, ###), bold and italic, bulleted lists and
tables. The chart is not in the canvas: it goes with the announcement message. User text
passes through `canvas_text`, so markup, mentions and links someone typed stay plain text.
"""

from __future__ import annotations

import re

from tracker.digest.model import Digest
from tracker.digest.outline import (
    Block,
    Bullets,
    Contents,
    Figure,
    Heading,
    Para,
    Table,
    TitlePage,
    build_outline,
    report_title,
)
from tracker.text import safe_inline

# Slack refuses a canvas whose markdown is over 1 MiB; we stay well under it and say where
# the rest is (the PDF report has everything).
MAX_CANVAS_MARKDOWN = 900_000
_SPECIAL = re.compile(r"([\\`*_~\[\]()<>#|!])")


def canvas_text(text: str) -> str:
    """Any text (user text included) inert in canvas markdown: one line without invisible or
    bidi control characters (`safe_inline`), markup escaped, so `<@U123>`, `![](@U123)`,
    `**x**` and `[a](b)` read as typed."""
    return _SPECIAL.sub(r"\\\1", safe_inline(text))


def _table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...], bold: bool = False) -> str:
        texts = [canvas_text(c) or " " for c in cells]
        if bold:
            texts = [f"**{t}**" if t.strip() else t for t in texts]
        return "| " + " | ".join(texts) + " |"

    rule = "| " + " | ".join("---:" if i in table.numeric else "---"
                             for i in range(len(table.header))) + " |"
    return [row(table.header), rule,
            *(row(cells, i in table.bold_rows) for i, cells in enumerate(table.rows)), ""]


def _block(block: Block, lang: str) -> list[str]:
    if isinstance(block, TitlePage):  # the canvas title carries the report's title
        return [f"_{canvas_text(block.subtitle)}_", *(canvas_text(x) for x in block.lines), ""]
    if isinstance(block, Contents):  # a canvas shows its own outline of the headings
        return []
    if isinstance(block, Heading):
        return [f"{'#' * min(block.level, 3)} {canvas_text(block.text)}", ""]
    if isinstance(block, Para):
        label = f"**{canvas_text(block.label).strip()}** " if block.label else ""
        text = canvas_text(block.text)
        return [f"{label}{f'_{text}_' if block.style == 'note' and text else text}".strip(), ""]
    if isinstance(block, Bullets):
        return [*(f"- {canvas_text(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return [f"_{canvas_text(block.caption)}: " + (
            "see the message in the channel._" if lang == "en"
            else "zie het bericht in het kanaal._"), ""]
    return []


def canvas_title(digest: Digest, lang: str = "nl") -> str:
    """The canvas's title: the report's ("Halfjaarrapportage Regio Zwolle — eerste halfjaar 2023")."""
    return report_title(digest, lang)


def canvas_notice(digest: Digest, channel: str, lang: str = "nl") -> str:
    """What the console and the demo say instead of publishing the canvas."""
    title = canvas_title(digest, lang)
    if lang == "en":
        return f"(In Slack the report also appears as the canvas ‘{title}’ in {channel}.)"
    return f"(In Slack verschijnt het rapport ook als canvas ‘{title}’ in {channel}.)"


def render_canvas(digest: Digest, lang: str = "nl", *, limit: int = MAX_CANVAS_MARKDOWN) -> str:
    """The report as canvas markdown, within `limit` characters (cut at a block, saying so)."""
    out: list[str] = []
    size = 0
    blocks = build_outline(digest, lang)
    for n, block in enumerate(blocks):
        lines = _block(block, lang)
        grow = sum(len(line) + 1 for line in lines)
        if size + grow > limit - 400:
            rest = len(blocks) - n
            out.append("_" + (f"…and {rest} more parts: the full report is in the PDF "
                              f"(/digest {digest.period.key} pdf)." if lang == "en" else
                              f"…en nog {rest} onderdelen: het volledige rapport staat in de "
                              f"PDF (/digest {digest.period.key} pdf).") + "_")
            break
        out += lines
        size += grow
    return "\n".join(out).rstrip() + "\n"
