"""Text for the PDF report: DejaVu Sans (shipped inside matplotlib, embedded as a subset), the
escaping function, our own word wrap with the font's widths, and the flowables that draw wrapped
text, the table of contents and the late-filled page numbers (see tracker/digest/pdf.py)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
)

REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
BLUE = colors.HexColor("#1f5f8b")
# Control characters, and bidi overrides/isolates: without a bidi algorithm here they would
# only scramble what a reader copies out of the PDF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
SIZES = {1: 17, 2: 13, 3: 11}
WIDTH = A4[0] - 5 * cm


@cache
def fonts() -> dict[str, dict[int, int]]:
    """Register DejaVu Sans (once) and return each face's character widths (per 1000 em)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    widths = {}
    for name in (REGULAR, BOLD, ITALIC):
        font = TTFont(name, str(folder / f"{name}.ttf"))
        pdfmetrics.registerFont(font)
        widths[name] = defaultdict(lambda: 600, font.face.charWidths)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC)
    return widths


@cache
def _no_glyph() -> re.Pattern[str]:
    """Every character the regular face cannot draw, as one character class (C speed)."""
    codes = sorted(c for c in fonts()[REGULAR] if c > 0x7F)
    ranges, start, prev = [], codes[0], codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = code
        prev = code
    return re.compile(f"[^\x20-\x7e{''.join(ranges)}]")


def pdf_text(text: str) -> str:
    """Any text (user text included) made safe to draw: control characters go, whitespace is
    one space, and characters the font has no glyph for (most emoji) are dropped."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if text.isascii() else _no_glyph().sub("", text)


@cache
def _word_width(word: str, font: str) -> float:
    return sum(map(fonts()[font].__getitem__, map(ord, word))) / 1000


def wrap(runs: list[tuple[str, str]], size: float, width: float
          ) -> list[list[tuple[float, str, str]]]:
    """Greedy word wrap of (text, font) runs into lines of (x, text, font) segments; a word
    wider than the line is broken by characters."""
    lines: list[list[tuple[float, str, str]]] = [[]]
    x = 0.0
    space = _word_width(" ", REGULAR) * size
    for text, font in runs:
        for word in text.split(" "):
            if not word:
                continue
            w = _word_width(word, font) * size
            if x and x + space + w > width:
                lines.append([])
                x = 0.0
            while w > width:  # a 5,000-character "word": cut it to the line
                cut = max(1, int(len(word) * width / w))
                while cut > 1 and _word_width(word[:cut], font) * size > width:
                    cut -= 1
                lines[-1].append((0.0, word[:cut], font))
                lines.append([])
                word = word[cut:]
                w = _word_width(word, font) * size
            line = lines[-1]
            if line and line[-1][2] == font:  # same font: one string per line, so a reader
                start, joined, _ = line[-1]  # copies the line as the words it holds
                line[-1] = (start, f"{joined} {word}", font)
            else:
                line.append((x + space if x else 0.0, word, font))
            x += (space if x else 0.0) + w
    return lines


Line = tuple[bool, list[tuple[float, str, str]]]  # (starts a bullet, segments)


class TextFlowable(Flowable):  # type: ignore[misc]
    """Wrapped text in one size: one paragraph, or a whole bullet list (one flowable for many
    items keeps platypus's per-flowable cost off a big team's report); or a heading, which is
    also a bookmark, an outline entry and a link target of the contents."""

    def __init__(self, paragraphs: list[list[tuple[str, str]]], size: float = 9.5, *,
                 bullets: bool = False, before: float = 0, after: float = 3,
                 colour: Any = colors.black, heading: tuple[int, str, str] | None = None,
                 lines: list[Line] | None = None) -> None:
        super().__init__()
        self.paragraphs, self.size, self.bullets, self.colour = paragraphs, size, bullets, colour
        self.before, self.after, self.heading = before, after, heading
        self.leading = size * 1.3
        self.indent = 11 if bullets else 0
        self._lines = lines
        self.state: dict[str, Any] = {}

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._lines is None:
            self._lines = [(self.bullets and i == 0, segments) for runs in self.paragraphs
                           for i, segments in enumerate(wrap(runs, self.size,
                                                              avail_width - self.indent))]
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return avail_width, self.height

    def getSpaceBefore(self) -> float:
        return self.before

    def getSpaceAfter(self) -> float:
        return self.after

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        lines = self._lines or []
        fit = int(avail_height // self.leading)
        if fit < 1 or self.heading is not None or fit >= len(lines):
            return []
        return [TextFlowable([], self.size, bullets=self.bullets, before=self.before, after=0,
                      colour=self.colour, lines=lines[:fit]),
                TextFlowable([], self.size, bullets=self.bullets, after=self.after,
                      colour=self.colour, lines=lines[fit:])]

    def draw(self) -> None:
        c = self.canv
        if self.heading is not None:
            level, key, title = self.heading
            c.bookmarkPage(key)
            c.addOutlineEntry(title, key, level=level - 1)
            self.state["pages"][key] = c.getPageNumber()
        c.setFillColor(self.colour)
        # PDF text operators written directly: reportlab's text object re-measures and
        # re-encodes every string; at ten thousand items that is most of the rendering time.
        doc, escape, ops = c._doc, c._escape, []
        y = self.height - self.size
        size = f"{self.size:.2f}"
        for marker, segments in self._lines or []:
            if marker:
                ops.append(_show(REGULAR, "•", 1.0, y, size, doc, escape))
            for x, words, font in segments:
                ops.append(_show(font, words, self.indent + x, y, size, doc, escape))
            y -= self.leading
        c._code.append("\n".join(ops))


def _show(font_name: str, text: str, x: float, y: float, size: str, doc: Any,
          escape: Callable[[bytes], str]) -> str:
    """`BT … Tj ET` for one run of text in one face, in the font's subsets."""
    font = pdfmetrics.getFont(font_name)
    state = font.state.get(doc)
    chunks = None
    if state is not None:  # the usual case: every character already has its code
        try:
            chunks = [(0, bytes(map(state.assignments.__getitem__, map(ord, text))))]
        except (KeyError, ValueError):
            chunks = None
    if chunks is None:
        chunks = font.splitString(text, doc)
    shown = " ".join(f"{font.getSubsetInternalName(subset, doc)} {size} Tf ({escape(data)}) Tj"
                     for subset, data in chunks)
    return f"BT {x:.2f} {y:.2f} Td {shown} ET"


class ContentsFlowable(Flowable):  # type: ignore[misc]
    """The table of contents: one line per entry, page numbers filled in at the end, linked."""

    def __init__(self, entries: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.entries, self.leading = entries, 15

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, len(self.entries) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int(avail_height // self.leading)
        if fit < 1 or fit >= len(self.entries):
            return []
        return [ContentsFlowable(self.entries[:fit]), ContentsFlowable(self.entries[fit:])]

    def draw(self) -> None:
        c = self.canv
        y = self.height - 11
        for level, title, key in self.entries:
            indent = 14 * (level - 1)
            font, size = (BOLD, 10) if level == 1 else (REGULAR, 9.5)
            room = self.width - indent - 40
            line = wrap([(title, font)], size, room)[0]
            text = " ".join(t for _, t, _ in line) + ("…" if len(wrap([(title, font)], size, room)) > 1 else "")
            c.setFont(font, size)
            c.drawString(indent, y, text)
            c.saveState()
            c.translate(self.width, y)
            c.doForm(f"toc-{key}")
            c.restoreState()
            c.linkRect("", key, (indent, y - 3, self.width, y + size), relative=1, thickness=0)
            y -= self.leading


class LateCanvas(Canvas):  # type: ignore[misc]
    """Fills in the forms (total pages, contents page numbers) once every page is laid out."""

    def __init__(self, *args: Any, state: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = state

    def save(self) -> None:
        forms = {"total": str(self.getPageNumber() - 1)}
        forms.update({f"toc-{k}": str(v) for k, v in self.state["pages"].items()})
        for key in self.state["keys"]:
            forms.setdefault(f"toc-{key}", "")
        for name, text in forms.items():
            self.beginForm(name)
            self.setFont(REGULAR, 8 if name == "total" else 9.5)
            (self.drawString if name == "total" else self.drawRightString)(0, 0, text)
            self.endForm()
        super().save()
