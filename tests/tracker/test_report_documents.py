"""The council-ready report as DOCX and PDF: opened again with python-docx and pypdf, it holds
the reference report's structure and figures, the chart, page numbers and a table of contents;
hostile user text does not break it; `lobby digest --format docx|pdf` writes it."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from pypdf import PdfReader
from sqlmodel import Session

from tracker.dates import parse_period
from tracker.digest import Digest, DossierDigest, Item, Reason, build_digest
from tracker.digest.docx import docx_text
from tracker.digest.pdf import pdf_text
from tracker.digest.report import render_report, report_filename

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
WORDING_NL = ("te verwachten batig saldo zien van € 226.713",
              "van de begrote lasten is 44% besteed (€ 1.249.769 van € 2.855.000)",
              "De tabel sluit als bij Verwacht restantbudget in de kolom verwacht jaartotaal "
              "€ 1.280.230 staat")
FIGURES = ("€ 75 mln", "€ 35 mln", "€ 40 mln", "€ 226.713", "€ 3.510.230", "€ 3.130.000",
           "€ 2.855.000", "€ 1.849.770", "€ 3.103.517", "1.318", "368",
           "Aanmeldingen ontwikkelfonds inwoners", "Aanvragen ontwikkelfonds werkgevers")
HOSTILE = ("<script>alert(1)</script> **vet** _schuin_ ]]> &amp; {\\rtf1} %PDF-1.7 \x00\x1b[31m "
           "🚆🚧👍🏽 שלום עליכם مرحبا بالعالم \u202eomgekeerd\u202c ")


def digest_of(session: Session, key: str) -> Digest:
    return build_digest(session=session, period=parse_period(key, now=NOW, tz=AMS), now=NOW, tz=AMS)


@pytest.fixture
def h1(seeded: Session) -> Digest:
    return digest_of(seeded, "2023H1")


def docx_body_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n" + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    return document, text


def pdf_body_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_docx_has_the_structure_figures_chart_contents_and_page_numbers(h1: Digest) -> None:
    data = render_report(h1, "docx")
    document, text = docx_body_text(data)
    title = document.paragraphs[1]
    assert (title.style.name, title.text) == (
        "Title", "Halfjaarrapportage Regio Zwolle — eerste halfjaar 2023")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
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
    assert document.paragraphs[1].text == "Kwartaalrapportage Regio Zwolle — Q3 2023"
    assert "28 september 2023" in text  # the Harbers visit of the quarter
    assert report_filename(q3, "docx") == "kwartaalrapportage-2023Q3.docx"


def hostile_digest(h1: Digest) -> Digest:
    long_word = "x" * 5000
    long_text = ("lange tekst " * 420)[:5000]
    dossier = DossierDigest(
        999, HOSTILE[:40], HOSTILE, "economie-arbeidsmarkt", "red", HOSTILE + long_word,
        date(2023, 6, 1), "active", 10, 5,
        (Item(Reason.NOTE, date(2023, 5, 1), HOSTILE),
         Item(Reason.NOTE, date(2023, 5, 2), long_word),
         Item(Reason.NOTE, date(2023, 5, 3), long_text)))
    first = h1.lines[0]
    lines = (dataclasses.replace(first, dossiers=(dossier, *first.dossiers)), *h1.lines[1:])
    return dataclasses.replace(h1, lines=lines)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_hostile_user_text_does_not_break_the_document(h1: Digest, fmt: str) -> None:
    data = render_report(hostile_digest(h1), fmt)
    if fmt == "docx":
        _, text = docx_body_text(data)
    else:
        reader, text = pdf_body_text(data)
        assert len(reader.pages) > len(PdfReader(io.BytesIO(render_report(h1, "pdf"))).pages)
    assert "<script>alert(1)</script> **vet**" in text  # shown as typed, not interpreted
    # Right-to-left letters are all there (a PDF reader may give them in visual order).
    assert "שלום" in text or "םולש" in text
    assert fmt == "docx" or "\u202e" not in text  # Word applies bidi itself; the PDF drops overrides
    assert "\x00" not in text and "\x1b" not in text
    assert text.count("x" * 50) >= 50  # the 5,000-character word is all there, wrapped
    assert "Kernboodschap" in text and "€ 226.713" in text  # the rest of the report too


def test_escaping_functions() -> None:
    assert docx_text("a < b & c\x00\x0b\n\td") == "a &lt; b &amp; c d"
    assert pdf_text("a\x00b\n\n c") == "a b c"
    assert pdf_text("ë é ï € – ’") == "ë é ï € – ’"
    assert "\U000f0000" not in pdf_text("private \U000f0000 use")  # no glyph: dropped


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
