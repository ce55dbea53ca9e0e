"""The council-ready report as DOCX and PDF: opened again with python-docx and pypdf, it holds
the reference report's structure and figures, the chart, page numbers and a table of contents;
hostile user text does not break it; `lobby digest --format docx|pdf` writes it."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import docx
import pytest
from pypdf import PdfReader
from sqlmodel import Session

from tracker.dates import parse_period
from tracker.digest import Digest, DossierDigest, Item, Reason, build_digest
from tracker.digest.docx import docx_text
from tracker.digest.pdf import pdf_text
from tracker.digest.pdf_layout import REGULAR, wrap
from tracker.digest.report import render_report, report_filename
from tracker.text import NBSP, glue, is_rtl

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)

STRUCTURE_NL = ("Kernboodschap", "Wat de periode bracht", "Financieel resultaat",
                "Economie en arbeidsmarkt", "Ruimtelijke ontwikkeling",
                "Public Affairs en Communicatie", "Doelen", "Resultaten t/m 30 juni 2023",
                "Toelichting en vooruitblik", "Programma’s",
                "Belangenbehartiging: de lobbydossiers", "Volgende periode: tweede halfjaar 2023",
                "Kerncijfers", "Indicatoren", "Financiën: begroting 2023", "Inkomsten", "Lasten",
                "Toelichting", "Risico’s", "Besluiten", "Bijlage: controle van de cijfers")
# the report's column names (a PDF's table cells wrap, so DOCX only)
COLUMNS_NL = ("Realisatie t/m 30 juni 2023", "Verschil", "Verwacht jaartotaal",
              "% van de begroting")
# the budget outcome, the spending and a correction the check annex finds
WORDING_NL = ("batig saldo zien van € 226.713 (de vastgestelde begroting ging uit van een batig",
              "van de begrote lasten is 44% besteed (€ 1.249.769 van € 2.855.000)",
              "De tabel sluit als bij Verwacht restantbudget in de kolom verwacht jaartotaal "
              "€ 1.280.230 staat")
FIGURES = ("€ 75 mln", "€ 35 mln", "€ 40 mln", "€ 226.713", "€ 3.510.230", "€ 3.130.000",
           "€ 2.855.000", "€ 1.849.770", "€ 3.103.517", "1.318", "368",
           "Aanmeldingen ontwikkelfonds inwoners", "Aanvragen ontwikkelfonds werkgevers")
HOSTILE = ("<script>alert(1)</script> **vet** _schuin_ ]]> &amp; {\\rtf1} %PDF-1.7 \x00\x1b[31m "
           "🚆🚧👍🏽 שלום עליכם مرحبا بالعالم \u202eomgekeerd\u202c ")
# invisible and bidi control characters, zero-width ones and the BOM: none reaches a document
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad"


def digest_of(session: Session, key: str) -> Digest:
    return build_digest(session=session, period=parse_period(key, now=NOW, tz=AMS), now=NOW, tz=AMS)


@pytest.fixture
def h1(seeded: Session) -> Digest:
    return digest_of(seeded, "2023H1")


def docx_body_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n" + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    return document, text.replace(NBSP, " ")  # amounts and dates are glued (see glue)


def pdf_body_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_docx_has_the_structure_figures_chart_contents_and_page_numbers(h1: Digest) -> None:
    data = render_report(h1, "docx")
    document, text = docx_body_text(data)
    title = document.paragraphs[1]
    assert (title.style.name, title.text) == (
        "Title", f"Halfjaarrapportage Regio Zwolle — eerste halfjaar{NBSP}2023")
    headings = [p.text.replace(NBSP, " ") for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    for name in STRUCTURE_NL:
        assert name in headings, name
    assert headings.index("Kernboodschap") < headings.index("Public Affairs en Communicatie")
    assert (headings.index("Public Affairs en Communicatie")
            < headings.index("Belangenbehartiging: de lobbydossiers")
            < headings.index("Financiën: begroting 2023") < headings.index("Risico’s"))
    assert headings[-1] == "Bijlage: controle van de cijfers"
    assert "N35 — Wijthmen–Nijverdal / Mobiliteitsfonds" in headings
    for figure in FIGURES + WORDING_NL + COLUMNS_NL:
        assert figure in text, figure
    assert "nodig € 75 mln; toegezegd € 35 mln; tekort € 40 mln" in text
    assert "23 juni 2023" in text  # dates written out in running text
    assert len(document.tables) >= 6
    assert len(document.inline_shapes) == 1  # the chart
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o \"1-2\"", xml)  # a real TOC field
    anchors = set(re.findall(r'w:anchor="(_Toc\d+)"', xml))
    assert anchors and anchors <= set(re.findall(r'w:name="(_Toc\d+)"', xml))
    assert xml.count("<w:pageBreakBefore/>") >= 10  # title page, contents, a page per chapter
    footer = "".join(p._p.xml for p in document.sections[0].footer.paragraphs)
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert document.core_properties.title.startswith("Halfjaarrapportage")


def test_pdf_has_the_structure_figures_chart_and_page_numbers(h1: Digest) -> None:
    reader, text = pdf_body_text(render_report(h1, "pdf"))
    assert len(reader.pages) >= 2
    assert "Halfjaarrapportage Regio Zwolle — eerste halfjaar 2023" in text
    for name in STRUCTURE_NL:
        assert name in text, name
    flat = " ".join(text.split())  # the PDF wraps lines
    for figure in FIGURES + WORDING_NL:
        assert figure in flat, figure
    assert "nodig € 75 mln; toegezegd € 35 mln; tekort € 40 mln" in flat
    assert "Münster" in text and "Financiën" in text and "beïnvloeden" in text  # diacritics come back out as text
    footer = reader.pages[2].extract_text()  # drawn first; the total is a form filled in last
    assert re.match(rf"pagina 3 van \n[^\n]+\n{len(reader.pages)}\n", footer)
    assert sum(len(page.images) for page in reader.pages) == 1  # the chart
    bookmarks = [o.title for o in reader.outline if not isinstance(o, list)]
    assert bookmarks[0] == "Kernboodschap" and "Bijlage: controle van de cijfers" in bookmarks
    contents = reader.pages[1].extract_text()
    assert "Inhoudsopgave" in contents and "Financiën: begroting 2023" in contents
    assert reader.pages[1].get("/Annots")  # contents entries link to their headings
    fonts = {f["/BaseFont"] for page in reader.pages[:3]
             for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in str(f) for f in fonts)  # embedded, not a viewer's substitute


def test_english_and_another_period(seeded: Session) -> None:
    h1 = digest_of(seeded, "2023H1")
    _, text = pdf_body_text(render_report(h1, "pdf", "en"))
    assert "Half-year report Regio Zwolle — first half of 2023" in text
    assert "Key message" in text and "Annex: check of the figures" in text
    assert "23 June 2023" in text and "€75m" in text
    q3 = digest_of(seeded, "2023Q3")
    document, text = docx_body_text(render_report(q3, "docx"))
    assert document.paragraphs[1].text == f"Kwartaalrapportage Regio Zwolle — Q3{NBSP}2023"
    assert "28 september 2023" in text  # the Harbers visit of the quarter
    assert report_filename(q3, "docx") == "kwartaalrapportage-2023Q3.docx"


def hostile_digest(h1: Digest) -> Digest:
    long_word = "x" * 5000
    long_text = ("lange tekst " * 420)[:5000]
    dossier = DossierDigest(
        999, HOSTILE[:40], HOSTILE + INVISIBLE.join("verborgen"), "economie-arbeidsmarkt", "red",
        HOSTILE + long_word,
        date(2023, 6, 1), "active", 10, 5,
        (Item(Reason.NOTE, date(2023, 5, 1), HOSTILE),
         Item(Reason.NOTE, date(2023, 5, 2), long_word),
         Item(Reason.NOTE, date(2023, 5, 3), long_text)))
    return with_dossier(h1, dossier)


def with_dossier(digest: Digest, dossier: DossierDigest, **changes: object) -> Digest:
    """The digest with one more dossier, first in the first execution line."""
    first = digest.lines[0]
    lines = (dataclasses.replace(first, dossiers=(dossier, *first.dossiers)), *digest.lines[1:])
    return dataclasses.replace(digest, lines=lines, **changes)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_hostile_user_text_does_not_break_the_document(h1: Digest, fmt: str) -> None:
    data = render_report(hostile_digest(h1), fmt)
    if fmt == "docx":
        _, text = docx_body_text(data)
    else:
        reader, text = pdf_body_text(data)
        assert len(reader.pages) > len(PdfReader(io.BytesIO(render_report(h1, "pdf"))).pages)
    assert "<script>alert(1)</script> **vet**" in text  # shown as typed, not interpreted
    assert "שלום עליכם" in text  # reading order (pypdf reads the PDF's display order back)
    assert "omgekeerd" in text
    assert not set(INVISIBLE) & set(text), [hex(ord(c)) for c in text if c in INVISIBLE]
    assert "\x00" not in text and "\x1b" not in text
    assert text.count("x" * 50) >= 50  # the 5,000-character word is all there, wrapped
    assert "Kernboodschap" in text and "€ 226.713" in text  # the rest of the report too


RTL_TITLE = "Overleg שלום met de minister"  # Dutch with a Hebrew word: left to right
RTL_SUMMARY = "שלום עליכם (ראשון), פגישה עם השר 10 מאי"  # Hebrew: right to left
ARABIC = "مرحبا بالعالم"
LONG_HEBREW = " ".join(["אחת", "שתיים", "שלוש", "ארבע", "חמש", "שש", "שבע", "שמונה"] * 12)


def rtl_digest(h1: Digest) -> Digest:
    dossier = DossierDigest(
        998, "RTL1", RTL_TITLE, "economie-arbeidsmarkt", "green", "op koers",
        date(2023, 6, 1), "active", 10, 5,
        (Item(Reason.NOTE, date(2023, 5, 1), f"{ARABIC} 🚀 ⚠"),
         Item(Reason.NOTE, date(2023, 5, 2), LONG_HEBREW)), summary=RTL_SUMMARY)
    return with_dossier(h1, dossier, risks=(RTL_SUMMARY, *h1.risks))


def test_pdf_draws_right_to_left_text_in_display_order(h1: Digest) -> None:
    reader, text = pdf_body_text(render_report(rtl_digest(h1), "pdf"))
    # Read back as a PDF reader searches it: in reading order again (pypdf's reading-order
    # guess moves the spaces around a right-to-left word, so compare without them).
    assert RTL_TITLE.replace(" ", "") in text.replace(" ", "")
    assert "שלום עליכם" in text
    page = next(page for page in reader.pages if "RTL1" in page.extract_text())
    # The glyphs as drawn, left to right (pypdf's layout mode leaves their order alone).
    drawn = [" ".join(line.split()) for line in
             page.extract_text(extraction_mode="layout").splitlines()]
    assert any(line.endswith("Overleg םולש met de minister") for line in drawn), drawn
    # Hebrew after a Dutch label: brackets mirrored, the number left to right.
    assert "Samenvatting: יאמ 10 רשה םע השיגפ ,(ןושאר) םכילע םולש" in drawn, drawn
    # A Hebrew risk is a right-to-left paragraph: right-aligned, its bullet on the right.
    assert "יאמ 10 רשה םע השיגפ ,(ןושאר) םכילע םולש •" in [
        " ".join(line.split()) for page in reader.pages
        for line in page.extract_text(extraction_mode="layout").splitlines()]
    # Arabic shaped into its joining forms (which fold back to the letters), in display order.
    arabic = next(line for line in drawn if "\ufe8e" in line)
    assert "ملاعلاب ابحرم" in unicodedata.normalize("NFKC", arabic)
    # A long Hebrew note is wrapped first and each line reordered: the first line holds the
    # first words after the date, the first of them at the line's right end.
    hebrew = [line for line in drawn if "הנומש" in line]
    assert len(hebrew) >= 3
    assert hebrew[0].startswith("• 2 mei 2023 — notitie:") and hebrew[0].endswith(" תחא")


def test_pdf_emoji_are_named_as_slack_names_them(h1: Digest) -> None:
    reader, _ = pdf_body_text(render_report(rtl_digest(h1), "pdf"))
    drawn = "".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    assert ":rocket: ⚠" in drawn  # no glyph in DejaVu Sans: the name; one it has: the glyph
    assert pdf_text("trein 🚆, duim 👍🏽 ⚠️ ok") == "trein :train2:, duim :thumbs_up_medium_skin_tone: ⚠️ ok"


def test_wrap_breaks_lines_in_reading_order_then_reorders_each() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = wrap([(LONG_HEBREW, REGULAR)], 10, 120)
    assert len(lines) > 5
    read = []  # each line read from its right end
    for ((x, shown, font),) in lines:
        read += [word[::-1] for word in reversed(shown.split())]
        assert abs(x + stringWidth(shown, font, 10) - 120) < 0.01  # right-aligned
    assert read == LONG_HEBREW.split()  # reordering the whole first would start at the end
    assert wrap([(RTL_TITLE, REGULAR)], 10, 400) == [[(0.0, "Overleg םולש met de minister",
                                                        REGULAR)]]
    # a Hebrew point stays behind its letter, so it is drawn on it (shalom, pointed)
    ((_, pointed, _),) = wrap([("\u05e9\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd", REGULAR)], 10, 400)[0]
    assert pointed == "\u05dd\u05d5\u05b9\u05dc\u05e9\u05c1\u05b8"


def test_docx_marks_right_to_left_paragraphs_and_runs(h1: Digest) -> None:
    from docx.oxml.ns import qn

    document, text = docx_body_text(render_report(rtl_digest(h1), "docx"))
    assert RTL_SUMMARY in text and ARABIC in text  # logical order: Word does the bidi
    risk = next(p for p in document.paragraphs if p.text == RTL_SUMMARY)
    assert risk._p.pPr.find(qn("w:bidi")) is not None  # a right-to-left paragraph
    assert risk.runs[0]._r.rPr.find(qn("w:rtl")) is not None  # of a right-to-left run
    summary = next(p for p in document.paragraphs if p.text == f"Samenvatting: {RTL_SUMMARY}")
    assert summary._p.pPr is None or summary._p.pPr.find(qn("w:bidi")) is None  # Dutch first
    label, body = summary.runs
    assert body._r.rPr.find(qn("w:rtl")) is not None
    assert label._r.rPr.find(qn("w:rtl")) is None and label._r.rPr.find(qn("w:bCs")) is not None
    heading = next(p for p in document.paragraphs if RTL_TITLE in p.text)
    assert heading._p.pPr.find(qn("w:bidi")) is None
    assert heading.runs[0]._r.rPr is None or heading.runs[0]._r.rPr.find(qn("w:rtl")) is None
    assert is_rtl(RTL_SUMMARY) and is_rtl(f"10 {RTL_SUMMARY}") and not is_rtl(RTL_TITLE)
    assert not is_rtl(f"RTL1 {RTL_SUMMARY}") and not is_rtl("") and not is_rtl("Financiën €")


def test_escaping_functions() -> None:
    assert docx_text("a < b & c\x00\x0b\n\td") == "a &lt; b &amp; c d"
    assert pdf_text("a\x00b\n\n c") == docx_text("a\x00b\n\n c") == "ab c"
    assert pdf_text("ë é ï € – ’") == "ë é ï € – ’"
    assert "\U000f0000" not in pdf_text("private \U000f0000 use")  # no glyph: dropped
    assert docx_text("Samenvatting: ") == "Samenvatting: "  # runs meet at the space
    assert docx_text("a\ud800b\uffff") == pdf_text("a\ud800b\uffff") == "ab"


def test_lobby_digest_writes_docx_and_pdf(seeded: Session, settings, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.cli import main

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    out_docx, out_pdf = tmp_path / "rapport.docx", tmp_path / "rapport.pdf"
    assert main(["digest", "--period", "2023H1", "--format", "docx", "-o", str(out_docx)]) == 0
    assert main(["digest", "--period", "2023H1", "--format", "pdf", "--lang", "en",
                 "-o", str(out_pdf)]) == 0
    _, text = docx_body_text(out_docx.read_bytes())
    assert "€ 226.713" in text
    _, text = pdf_body_text(out_pdf.read_bytes())
    assert "Half-year report Regio Zwolle — first half of 2023" in text


def test_pdf_contents_page_numbers_are_drawn_inside_their_visible_box(h1: Digest) -> None:
    reader = PdfReader(io.BytesIO(render_report(h1, "pdf")))
    contents = reader.pages[1]
    forms = {name: xobject.get_object() for name, xobject
             in contents["/Resources"]["/XObject"].items() if "toc-" in name}
    assert len(forms) > 10
    for name, form in forms.items():
        left, bottom, right, top = (float(v) for v in form["/BBox"])
        stream = form.get_data().decode("latin-1")
        x, y = (float(v) for v in re.findall(r"1 0 0 1 (\S+) (\S+) Tm", stream)[0])
        digits = re.findall(r"\((\d+)\) Tj", stream)[0]
        # a viewer shows only what lies in the form's box: the number starts and ends inside
        assert left <= x and x + 6 * len(digits) <= right and bottom <= y < top, (name, x)
    # and the whole contents line stays on the page: the form is placed inside the margins
    placed = [float(v) for v in re.findall(r"1 0 0 1 (\S+) \S+ cm\n/FormXob\.toc-",
                                           contents.get_contents().get_data().decode("latin-1"))]
    assert placed and all(x <= float(contents.mediabox.right) for x in placed)
    assert " . . ." in contents.extract_text()  # dot leaders lead the eye to the number


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_past_periods_report_is_the_same_file_whenever_it_is_built(seeded: Session,
                                                                     fmt: str,
                                                                     monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:
    def built(now: datetime) -> bytes:
        # the libraries' own clock reads the injected day too (zip entries are dated by it)
        monkeypatch.setattr(zipfile, "time", SimpleNamespace(
            time=now.timestamp, localtime=lambda t=None: now.timetuple()))
        return render_report(build_digest(session=seeded, period=parse_period("2023H1", now=now,
                                                                              tz=AMS),
                                          now=now, tz=AMS), fmt)

    first, later = built(NOW), built(datetime(2026, 12, 8, 9, 30, tzinfo=AMS))
    assert first == later
    text = (pdf_body_text(first)[1] if fmt == "pdf" else docx_body_text(first)[1])
    assert "Stand per 30 juni 2023" in text and "Opgesteld op" not in text


def test_every_note_under_toelichting_has_its_marker_in_a_table_row(h1: Digest) -> None:
    document, _ = docx_body_text(render_report(h1, "docx"))
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    paragraphs = [p.text for p in document.paragraphs]
    start = len(paragraphs) - 1 - paragraphs[::-1].index("Toelichting")  # not the contents
    end = start + paragraphs[start:].index("Risico’s")
    notes = [m[1] for p in paragraphs[start + 1:end] if (m := re.match(r"(\d+)\. [^:]+: ", p))]
    assert notes == ["1", "2", "3", "4"]
    assert sorted(re.findall(r"\[(\d+)\]", cells)) == notes
    assert "Verwacht batig saldo [4] ⚠" in cells
    _, text = pdf_body_text(render_report(h1, "pdf"))
    assert "Verwacht batig saldo [4] ⚠" in text and "4. Verwacht batig saldo:" in text


def test_amounts_and_dates_never_break_inside(h1: Digest) -> None:
    sentence = "van de begrote lasten is 44% besteed (€ 1.249.769 van € 2.855.000) op 30 juni 2023"
    for width in range(100, 400, 7):  # from the widest glued amount up
        lines = [" ".join(t for _, t, _ in line) for line in wrap([(sentence, REGULAR)], 9.5, width)]
        assert " ".join(lines) == sentence  # drawn as plain spaces again
        for line in lines:
            assert not line.endswith(("€", "30", "juni")), (width, lines)
    # the PDF's lines, as laid out: none ends with a bare "€" or day
    _, text = pdf_body_text(render_report(h1, "pdf"))
    assert not re.search(r"€\n|(?<!\d)\d{1,2}\n(januari|juni|juli)", text)
    assert "besteed (€ 1.249.769 van" in " ".join(text.split())
    # the DOCX keeps a no-break space there, which Word honours
    xml = zipfile.ZipFile(io.BytesIO(render_report(h1, "docx"))).read("word/document.xml").decode()
    assert f"(€{NBSP}1.249.769 van €{NBSP}2.855.000)" in xml and f"30{NBSP}juni{NBSP}2023" in xml
    assert glue("€ 75 mln, Q2 2023, 1 januari") == f"€{NBSP}75{NBSP}mln, Q2{NBSP}2023, 1{NBSP}januari"


def test_table_cells_break_at_word_boundaries_and_hyphenate_long_words(h1: Digest) -> None:
    cell = "Werkgeversdienstverlening en Re-integratieverordening"
    for width in (45, 60, 80, 100):
        lines = [" ".join(t for _, t, _ in line) for line in wrap([(cell, REGULAR)], 7.5, width)]
        at = 0
        for line in lines:  # each line ends at a space, or inside a word with its hyphen
            assert _word_width_of(line) <= width
            if cell.startswith(line, at):
                at += len(line)
                assert at == len(cell) or cell[at] == " " or line.endswith("-"), (width, lines)
                at += cell[at:at + 1] == " "
            else:  # a hyphen that the word did not have
                head = line.removesuffix("-")
                assert line.endswith("-") and cell.startswith(head, at), (width, lines)
                at += len(head)
        assert at == len(cell)
    _, text = pdf_body_text(render_report(h1, "pdf"))
    # a cell's line that ends inside a word ends with a hyphen (pypdf reads cell lines apart)
    for word in ("Werkgeversdienstverlening", "Re-integratieverordening"):
        broken = [(word[:i], word[i:]) for i in range(3, len(word) - 1) if word[i - 1] != "-"]
        for head, tail in broken:
            assert f"{head}\n{tail}" not in text, (head, tail)


def _word_width_of(line: str) -> float:
    from tracker.digest.pdf_layout import _word_width

    return _word_width(line, REGULAR) * 7.5
