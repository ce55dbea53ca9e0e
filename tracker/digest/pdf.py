"""The council-ready report as PDF (reportlab): pure, the digest in, bytes out.

reportlab's platypus does the pagination, tables and images; body text goes through one small
flowable (`TextFlowable`) that wraps words itself with the font's own widths, because platypus's
Paragraph parses markup per paragraph — seconds for a big team's ten thousand items, and user
text would be read as markup. The font is DejaVu Sans, which ships inside matplotlib (already
a dependency, licence in its mpl-data/fonts/ttf/LICENSE_DEJAVU) and is embedded (subset), so
ë, é, ï and € render and the text can be selected and searched. Page numbers ("pagina 3 van
12") and the table of contents' page numbers are PDF form objects filled in when the last page
is known; the contents entries link to the headings, which are also the PDF's bookmarks.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from tracker.digest.model import Digest
from tracker.digest.outline import (
    ORGANISATION,
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
from tracker.digest.pdf_layout import (
    BLUE,
    BOLD,
    ITALIC,
    REGULAR,
    SIZES,
    WIDTH,
    ContentsFlowable,
    LateCanvas,
    TextFlowable,
    first_line,
    fonts,
    pdf_text,
    wrap,
)
from tracker.text import is_rtl

__all__ = ["pdf_text", "render_pdf"]


def _table(table: Table) -> RLTable:
    total = sum(table.widths)
    widths = [WIDTH * w / total for w in table.widths]
    size = 7.5 if len(widths) > 5 else 8

    right: list[tuple[int, int]] = []  # (column, row) of text cells that read right to left

    def cell(text: str, i: int, r: int, font: str) -> str:
        text = pdf_text(text)
        if i not in table.numeric and is_rtl(text):
            right.append((i, r))
        lines = wrap([(text, font)], size, widths[i] - 6)
        return "\n".join(" ".join(t for _, t, _ in line) for line in lines)

    rows = [[cell(h, i, 0, BOLD) for i, h in enumerate(table.header)]]
    rows += [[cell(v, i, r + 1, BOLD if r in table.bold_rows else REGULAR)
              for i, v in enumerate(row)] for r, row in enumerate(table.rows)]
    style = [("FONT", (0, 0), (-1, -1), REGULAR, size, size * 1.25),
             ("FONT", (0, 0), (-1, 0), BOLD, size, size * 1.25),
             ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("BACKGROUND", (0, 0), (-1, 0), BLUE),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#9bb7cc")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in table.numeric]
    style += [("ALIGN", at, at, "RIGHT") for at in right]
    style += [("FONT", (0, r + 1), (-1, r + 1), BOLD, size, size * 1.25) for r in table.bold_rows]
    return RLTable(rows, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")


def _story(blocks: list[Any], state: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = []
    n = 0
    for block in blocks:
        if isinstance(block, TitlePage):
            story += [Spacer(1, 7 * cm),
                      TextFlowable([[(pdf_text(block.title), BOLD)]], 24, colour=BLUE, after=14),
                      TextFlowable([[(pdf_text(block.subtitle), REGULAR)]], 14, after=30),
                      *(TextFlowable([[(pdf_text(line), REGULAR)]], 10.5) for line in block.lines)]
        elif isinstance(block, Contents):
            story += [PageBreak(),
                      TextFlowable([[(pdf_text(block.title), BOLD)]], 17, colour=BLUE, after=10),
                      ContentsFlowable([(lvl, pdf_text(t), k) for lvl, t, k in state["toc"]
                                 if lvl <= block.levels])]
        elif isinstance(block, Heading):
            n += 1
            # A new page per chapter; no section heading alone at the foot of a page (cheaper
            # than platypus's keepWithNext, which copies the flowables it keeps together).
            story.append(PageBreak() if block.level == 1 else CondPageBreak(3.5 * cm))
            text = pdf_text(block.text)
            flow = TextFlowable([[(text, BOLD)]], SIZES.get(block.level, 11), colour=BLUE,
                         before=4 if block.level == 1 else 9, after=5,
                         heading=(block.level, f"h{n}", text))
            flow.state = state
            story.append(flow)
        elif isinstance(block, Para):
            runs = [(pdf_text(block.label), BOLD)] if block.label else []
            if block.text:
                runs.append((pdf_text(block.text), ITALIC if block.style == "note" else REGULAR))
            story.append(TextFlowable([runs], after=4))
        elif isinstance(block, Bullets):
            story.append(TextFlowable([[(pdf_text(item), REGULAR)] for item in block.items],
                               bullets=True, after=6))
        elif isinstance(block, Table):
            story += [_table(block), Spacer(1, 8)]
        elif isinstance(block, Figure):
            image = Image(io.BytesIO(block.png))
            scale = WIDTH / image.imageWidth
            image.drawWidth, image.drawHeight = WIDTH, image.imageHeight * scale
            story += [image, TextFlowable([[(pdf_text(block.caption), ITALIC)]], 8.5, before=3, after=8)]
    return story


def render_pdf(digest: Digest, lang: str = "nl", *, chart: bytes | None = None,
               organisation: str = ORGANISATION) -> bytes:
    """The report as PDF: title page, linked contents, chapters, tables, chart, page numbers."""
    fonts()
    blocks = build_outline(digest, lang, chart=chart, organisation=organisation)
    title = pdf_text(report_title(digest, lang, organisation))
    headings = [b for b in blocks if isinstance(b, Heading)]
    state: dict[str, Any] = {"pages": {}, "toc": [(h.level, h.text, f"h{i}")
                                                   for i, h in enumerate(headings, 1)]}
    state["keys"] = [k for _, _, k in state["toc"]]
    page_word, of = ("page", "of") if lang == "en" else ("pagina", "van")

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        label = f"{page_word} {canvas.getPageNumber()} {of} "
        right = A4[0] - 2.5 * cm - 18
        canvas.drawRightString(right, 1.4 * cm, label)
        canvas.drawString(2.5 * cm, 1.4 * cm, first_line(title, REGULAR, 8, WIDTH - 90))
        canvas.translate(right, 1.4 * cm)
        canvas.doForm("total")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                            topMargin=2.2 * cm, bottomMargin=2.3 * cm, title=title,
                            author=organisation, subject=title, lang="en-GB" if lang == "en" else "nl-NL",
                            invariant=1)  # no creation date or random id: the same bytes each time
    doc.build(_story(blocks, state), onFirstPage=lambda c, d: None, onLaterPages=footer,
              canvasmaker=lambda *a, **k: LateCanvas(*a, state=state, **k))
    return out.getvalue()
