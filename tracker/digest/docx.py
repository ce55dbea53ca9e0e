"""The council-ready report as DOCX (python-docx): pure, the digest in, bytes out.

python-docx gives the package, the styles of its template, the page set-up, the footer with
page numbers and the embedded chart. The body (thousands of paragraphs and table rows on a big
team) is written as WordprocessingML and parsed once: python-docx's per-paragraph API looks
styles up by name each time, which costs seconds at that size. Headings use Word's heading
styles and carry bookmarks, so the table of contents (a real TOC field, refreshed by Word on
opening) links to them and the navigation pane lists them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time, timedelta
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree

from tracker.digest.model import Digest
from tracker.digest.outline import (
    ORGANISATION,
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
from tracker.text import glue, is_rtl, safe_inline

TEXT_WIDTH_TWIPS = 9070  # A4 less 2.5 cm margins, in twentieths of a point
_STYLE = {1: "Heading1", 2: "Heading2", 3: "Heading3"}


def docx_text(text: str) -> str:
    """Any text (user text included) made safe inside a WordprocessingML `w:t` element: one
    line without invisible or bidi control characters (`safe_inline`), with no-break spaces
    where a line must not break (`glue`), XML-escaped. A space at
    either end stays: runs meet there ("Samenvatting: " and the summary)."""
    safe = glue(safe_inline(text))  # no line break inside "€ 1.249.769", "30 juni 2023"
    if safe:
        safe = f"{' ' if text[0].isspace() else ''}{safe}{' ' if text[-1].isspace() else ''}"
    return escape(safe)


def _run(text: str, *, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    # Hebrew and Arabic are complex script to Word: they take bold, italic and size from the
    # *Cs twins. A run that reads right to left (`is_rtl`) is marked so (w:rtl), as Word marks
    # what is typed in those scripts; Word's own bidi algorithm orders the letters.
    props = (("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
             + (f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
             + ("<w:rtl/>" if is_rtl(text) else ""))
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{docx_text(text)}</w:t></w:r>'


def _p(runs: str, style: str | None = None, extra: str = "", *, text: str = "") -> str:
    """A paragraph; `text` is what it says, so that one that reads right to left is a bidi
    paragraph (w:bidi: it starts at the right margin, Word orders its runs right to left)."""
    if is_rtl(text):  # w:bidi comes before w:spacing and w:jc in w:pPr
        cut = min((i for i in (extra.find("<w:spacing"), extra.find("<w:jc")) if i >= 0),
                  default=len(extra))
        extra = f"{extra[:cut]}<w:bidi/>{extra[cut:]}"
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + extra
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


class _Writer:
    def __init__(self, document, headings: list[tuple[int, str]]) -> None:  # type: ignore[no-untyped-def]
        self.doc = document
        self.chunks: list[str] = []
        self.toc = headings
        self.bookmark = 0

    def finish(self) -> None:
        """Parse the body once and put it in place of the template's (its page set-up kept)."""
        old = self.doc.element.body
        sect = etree.tostring(old.find(qn("w:sectPr")), encoding="unicode")
        new = parse_xml(f"<w:body {nsdecls('w', 'r', 'wp', 'a', 'pic')}>"
                        f"{''.join(self.chunks)}{sect}</w:body>")
        self.doc.element.replace(old, new)

    def block(self, block: Block) -> None:
        out = self.chunks
        if isinstance(block, TitlePage):
            out += [_p("", extra='<w:spacing w:before="3600"/>'),
                    _p(_run(block.title), "Title", text=block.title),
                    _p(_run(block.subtitle), "Subtitle", text=block.subtitle),
                    *(_p(_run(line), text=line) for line in block.lines)]
        elif isinstance(block, Contents):
            self._contents(block)
        elif isinstance(block, Heading):
            self.bookmark += 1
            n = self.bookmark
            extra = "<w:pageBreakBefore/>" if block.level == 1 else ""
            out.append(_p(f'<w:bookmarkStart w:id="{n}" w:name="_Toc{n:06d}"/>{_run(block.text)}'
                          f'<w:bookmarkEnd w:id="{n}"/>', _STYLE.get(block.level, "Heading3"),
                          extra, text=block.text))
        elif isinstance(block, Para):
            runs = (_run(block.label, bold=True) if block.label else "") + (
                _run(block.text, italic=block.style == "note") if block.text else "")
            out.append(_p(runs, None, '<w:keepNext/>' if not block.text else "",
                          text=f"{block.label or ''} {block.text}"))
        elif isinstance(block, Bullets):
            out += [_p(_run(item), "ListBullet", text=item) for item in block.items]
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Figure):
            inline = self.doc.part.new_pic_inline(io.BytesIO(block.png), Cm(16), None)
            drawing = f"<w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing>"
            out += [_p(f"<w:r>{drawing}</w:r>", None,
                       '<w:keepNext/><w:jc w:val="center"/>'),
                    _p(_run(block.caption), "Caption", text=block.caption)]

    def _contents(self, block: Contents) -> None:
        entries = [(level, text, n) for n, (level, text) in enumerate(self.toc, 1)
                   if level <= block.levels]
        head = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{block.levels}" \\h \\z \\u '
                f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        self.chunks.append(_p(_run(block.title), "TOCHeading", "<w:pageBreakBefore/>",
                              text=block.title))
        for i, (level, text, n) in enumerate(entries):
            link = f'<w:hyperlink w:anchor="_Toc{n:06d}" w:history="1">{_run(text)}</w:hyperlink>'
            self.chunks.append(_p((head if i == 0 else "") + link, f"TOC{level}", text=text))
        if not entries:
            self.chunks.append(_p(head))
        self.chunks.append(_p('<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def _table(table: Table) -> str:
    total = sum(table.widths)
    widths = [round(TEXT_WIDTH_TWIPS * w / total) for w in table.widths]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(cells: tuple[str, ...], *, header: bool = False, bold: bool = False) -> str:
        trpr = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        tcs = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=False)):
            align = '<w:jc w:val="right"/>' if i in table.numeric and not header else ""
            tcs.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                       f'{_p(_run(cell, bold=bold or header, size=18), None, align, text=cell)}'
                       '</w:tc>')
        return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"

    rows = "".join(row(cells, bold=i in table.bold_rows) for i, cells in enumerate(table.rows))
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="LightGrid-Accent1"/>'
            '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{row(table.header, header=True)}{rows}</w:tbl>"
            + _p(""))


def _page_number_footer(section, title: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    page, of = ("page", "of") if lang == "en" else ("pagina", "van")

    def field(code: str) -> str:
        return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                f'xml:space="preserve"> {code} </w:instrText></w:r><w:r><w:fldChar '
                f'w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    xml = (f"{_run(f'{title} · {page} ', size=16)}{field('PAGE')}{_run(f' {of} ', size=16)}"
           f"{field('NUMPAGES')}")
    for element in parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"):
        paragraph._p.append(element)
    paragraph.alignment = 2  # right


def render_docx(digest: Digest, lang: str = "nl", *, chart: bytes | None = None,
                organisation: str = ORGANISATION) -> bytes:
    """The report as a .docx file: title page, table of contents, chapters, tables, the chart."""
    blocks = build_outline(digest, lang, chart=chart, organisation=organisation)
    title = report_title(digest, lang, organisation)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().append(parse_xml(
        f'<w:lang {nsdecls("w")} w:val="{"en-GB" if lang == "en" else "nl-NL"}"/>'))
    for level in (1, 2, 3):  # the TOC's entry styles, as Word names them
        style = document.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style, style.paragraph_format.left_indent = normal, Cm(0.6 * (level - 1))
    _page_number_footer(section, title, lang)
    props = document.core_properties
    props.title, props.author, props.language = title, organisation, "en-GB" if lang == "en" else "nl-NL"
    # Dated by the period (its last day covered), not by the day it is built: a past period's
    # report is the same file whenever it is made.
    stamp = datetime.combine(digest.as_of or digest.period.end - timedelta(days=1), time(12),
                             tzinfo=UTC)
    props.created = props.modified = stamp
    props.revision = 1
    # Word refreshes the TOC field (page numbers) when the document opens.
    document.settings.element.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))

    writer = _Writer(document, [(b.level, b.text) for b in blocks if isinstance(b, Heading)])
    for block in blocks:
        writer.block(block)
    writer.finish()  # the template's empty first paragraph goes: the title page starts it
    out = io.BytesIO()
    document.save(out)
    return _stamped(out.getvalue(), stamp)


def _stamped(package: bytes, stamp: datetime) -> bytes:
    """The package with every part dated `stamp` (python-docx dates them by the clock)."""
    out = io.BytesIO()
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(package)) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(zipfile.ZipInfo(info.filename, when), old.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
