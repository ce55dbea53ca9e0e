"""Text for the PDF report: DejaVu Sans (shipped inside matplotlib, embedded as a subset), the
escaping function, our own word wrap with the font's widths, and the flowables that draw wrapped
text, the table of contents and the late-filled page numbers (see tracker/digest/pdf.py).

A PDF holds glyphs where they are drawn, so right-to-left text is laid out here: Arabic is
shaped into its joining forms (arabic-reshaper: the presentation forms DejaVu Sans has), lines
are broken in reading order, and each line is then put in display order by the Unicode
bidirectional algorithm (python-bidi), mirrored brackets included. A paragraph that reads right
to left (`tracker.text.is_rtl`, the rule the DOCX uses too) is right-aligned, its bullet on the
right. PDF readers turn display order back into reading order when text is copied or
searched, as they do for any PDF."""

from __future__ import annotations

import re
import unicodedata
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

from tracker.text import NBSP, RTL_LETTERS, glue, is_rtl, safe_inline

REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
BLUE = colors.HexColor("#1f5f8b")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")  # letters to shape
# Hebrew points and Arabic marks, and the right-to-left letter they sit on: reversed, the marks
# come before their letter, and would be drawn on the letter to its left (UAX #9, rule L3).
_MARK_FIRST = re.compile("([{}]+)({})".format(
    "".join(chr(c) for c in range(0x591, 0x900) if unicodedata.category(chr(c)) == "Mn"),
    RTL_LETTERS.pattern))
SIZES = {1: 17, 2: 13, 3: 11}
_PAGE_NUMBER_WIDTH = 24  # room for a contents page number ("123") right of the dot leaders
WIDTH = A4[0] - 5 * cm


def _font_file(name: str) -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{name}.ttf")


@cache
def fonts() -> dict[str, dict[int, int]]:
    """Register DejaVu Sans (once) and return each face's character widths (per 1000 em)."""
    widths = {}
    for name in (REGULAR, BOLD, ITALIC):
        font = TTFont(name, _font_file(name))
        pdfmetrics.registerFont(font)
        widths[name] = defaultdict(lambda: 600, font.face.charWidths)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC)
    return widths


@cache
def _no_glyph(face: str = REGULAR) -> re.Pattern[str]:
    """Every character a face cannot draw, as one character class (C speed)."""
    codes = sorted(c for c in fonts()[face] if c > 0x7F)
    ranges, start, prev = [], codes[0], codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = code
        prev = code
    return re.compile(f"[^\x20-\x7e{''.join(ranges)}]")


def pdf_text(text: str) -> str:
    """Any text (user text included) made safe to draw, in reading order (bookmarks and the
    document's title take it as it is; `wrap` lays it out): one line without invisible or bidi
    control characters (`safe_inline`); an emoji the font cannot draw becomes its name, as
    Slack writes it (🚀 → ":rocket:"); any other character without a glyph is dropped."""
    text = safe_inline(text)
    if text.isascii() or not _no_glyph().search(text):
        return text
    import emoji

    return _no_glyph().sub("", emoji.replace_emoji(text, replace=_emoji_name))


def _emoji_name(chars: str, data: dict[str, Any]) -> str:
    if not _no_glyph().search(chars):  # one DejaVu draws (⚠, ☀, ✈): kept
        return chars
    return (data.get("alias") or [data["en"]])[0]


@cache
def _reshaper() -> Any:
    """Arabic joining forms, limited to the ligatures DejaVu Sans has."""
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(arabic_reshaper.config_for_true_type_font(
        _font_file(REGULAR), arabic_reshaper.ENABLE_ALL_LIGATURES))


def _shaped(text: str, font: str) -> tuple[str, str]:
    """A run ready to measure: Arabic in its joining forms, and in the regular face when the
    run's own face lacks a glyph (the oblique has no Arabic)."""
    if _ARABIC.search(text):
        text = _reshaper().reshape(text)
    if font != REGULAR and _no_glyph(font).search(text):
        font = REGULAR
    return text, font


@cache
def _word_width(word: str, font: str) -> float:
    return sum(map(fonts()[font].__getitem__, map(ord, word))) / 1000


Segment = tuple[float, str, str]  # (x, text, font)


def wrap(runs: list[tuple[str, str]], size: float, width: float, *, rtl: bool | None = None
         ) -> list[list[Segment]]:
    """Greedy word wrap of (text, font) runs into lines of (x, text, font) segments in display
    order; a word wider than the line is broken by characters. Text with right-to-left letters
    is shaped before and reordered after the lines are broken; `rtl` (default: `is_rtl` of the
    text) right-aligns the lines to `width`."""
    bidi = False
    if not all(text.isascii() for text, _ in runs):
        runs = [_shaped(text, font) for text, font in runs]
        bidi = any(RTL_LETTERS.search(text) for text, _ in runs)
    if rtl is None:
        rtl = bidi and is_rtl(" ".join(text for text, _ in runs))
    lines = _break([(glue(text), font) for text, font in runs], size, width)
    return [_display(line, size, width, rtl) for line in lines] if bidi or rtl else lines


def _display(line: list[Segment], size: float, width: float, rtl: bool) -> list[Segment]:
    """One line in display order. Each segment (one face: a label, the text after it) is
    reordered on its own, as an isolate; a right-to-left line runs its segments from the right
    margin leftwards."""
    base = "R" if rtl else "L"
    out = []
    for x, text, font in line:
        shown = text
        if rtl or RTL_LETTERS.search(text):
            shown = _MARK_FIRST.sub(lambda m: m[2] + m[1][::-1], _bidi(text, base))
        if rtl:
            x = width - x - _word_width(text, font) * size
        out.append((x, shown, font))
    return out[::-1] if rtl else out


def _bidi(text: str, base: str) -> str:
    """`text` in display order. python-bidi's Rust implementation is thirty times faster than
    its pure-Python one, but leaves mirroring (rule L4: "(" drawn as ")" in right-to-left text)
    to the renderer; text with such a character takes the pure-Python one, which mirrors."""
    if _mirrored().search(text):
        from bidi.algorithm import get_display as mirroring

        return str(mirroring(text, base_dir=base))
    from bidi import get_display

    return str(get_display(text, base_dir=base))


@cache
def _mirrored() -> re.Pattern[str]:
    """Every character the bidi algorithm mirrors in right-to-left text (rule L4)."""
    return re.compile("[{}]".format("".join(
        re.escape(chr(c)) for c in range(0x110000) if unicodedata.mirrored(chr(c)))))


def _break(runs: list[tuple[str, str]], size: float, width: float) -> list[list[Segment]]:
    lines: list[list[Segment]] = [[]]
    x = 0.0
    for text, font in runs:
        space = _word_width(" ", font) * size  # as drawn: a segment is one string in its face
        for word in text.split(" "):
            if not word:
                continue
            w = _word_width(word, font) * size
            if x and x + space + w > width:
                lines.append([])
                x = 0.0
            while w > width:  # a word wider than its column: hyphenated to the line
                head, word = _hyphenate(word, font, size, width)
                lines[-1].append((0.0, head.replace(NBSP, " "), font))
                lines.append([])
                w = _word_width(word, font) * size
            word = word.replace(NBSP, " ")  # glued for the wrap, drawn (and copied) as a space
            line = lines[-1]
            if line and line[-1][2] == font:  # same font: one string per line, so a reader
                start, joined, _ = line[-1]  # copies the line as the words it holds
                line[-1] = (start, f"{joined} {word}", font)
            else:
                line.append((x + space if x else 0.0, word, font))
            x += (space if x else 0.0) + w
    return lines


@cache
def _syllables() -> Any:
    """Dutch hyphenation patterns (pyphen: LibreOffice's dictionaries, pure Python)."""
    import pyphen

    return pyphen.Pyphen(lang="nl_NL")


def _hyphenate(word: str, font: str, size: float, width: float) -> tuple[str, str]:
    """The longest head of `word` that fits `width`, and the rest: cut at a no-break space if
    the word is a glued amount or date, else at a Dutch syllable boundary with a hyphen
    ("Werkgeversdienst-" / "verlening"), else (no boundary fits: "xxxx…", a URL) at the last
    character that fits, still with a hyphen, so no word is ever cut without one."""
    def fits(head: str) -> bool:
        return _word_width(head, font) * size <= width

    if NBSP in word:
        parts = word.split(NBSP)
        for n in range(len(parts) - 1, 0, -1):
            head = NBSP.join(parts[:n])
            if fits(head):
                return head, NBSP.join(parts[n:])
    mark = "" if RTL_LETTERS.search(word) else "-"
    if len(word) <= 60:
        for head, tail in _syllables().iterate(word):
            head = head if head.endswith("-") else head + mark
            if fits(head):
                return head, tail
    cut = max(1, int(len(word) * width / (_word_width(word, font) * size)))
    while cut > 1 and not fits(word[:cut] + mark):
        cut -= 1
    return word[:cut] + mark, word[cut:]


def first_line(text: str, font: str, size: float, width: float) -> str:
    """The first line of `text` in display order, "…" where the rest was left off."""
    lines = wrap([(text, font)], size, width)
    shown = " ".join(words for _, words, _ in lines[0])
    return shown + "…" if len(lines) > 1 else shown


Line = tuple[float | None, float, list[Segment]]  # (a bullet's x or None, text's x, segments)


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
            self._lines = []
            for runs in self.paragraphs:
                rtl = is_rtl(" ".join(text for text, _ in runs))
                # right to left: the text ends at the right margin, the bullet stands there
                offset, bullet = ((0.0, avail_width - 1.0 - _word_width("•", REGULAR) * self.size)
                                  if rtl else (self.indent, 1.0))
                self._lines += [(bullet if self.bullets and i == 0 else None, offset, segments)
                                for i, segments in enumerate(
                                    wrap(runs, self.size, avail_width - self.indent, rtl=rtl))]
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
        for bullet, offset, segments in self._lines or []:
            if bullet is not None:
                ops.append(_show(REGULAR, "•", bullet, y, size, doc, escape))
            for x, words, font in segments:
                ops.append(_show(font, words, offset + x, y, size, doc, escape))
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
            text = first_line(title, font, size, self.width - indent - 40)
            c.setFont(font, size)
            c.drawString(indent, y, text)
            # dot leaders from the title to the page number's column (drawn right-aligned at
            # the right margin by the form, which is filled in once the pages are known)
            start = indent + _word_width(text, font) * size + 4
            dot = _word_width(".", REGULAR) * 9.5 * 2
            dots = int((self.width - _PAGE_NUMBER_WIDTH - start) // dot)
            if dots > 1:
                c.setFont(REGULAR, 9.5)
                c.setFillColor(colors.HexColor("#777777"))
                c.drawRightString(self.width - _PAGE_NUMBER_WIDTH, y, " ." * dots)
                c.setFillColor(colors.black)
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
            # a form shows only what lies inside its box (by default the page, from 0 up); a
            # contents page number ends at 0 (right-aligned), so its box reaches left of it
            self.beginForm(name, lowerx=-_PAGE_NUMBER_WIDTH, lowery=-4, upperx=_PAGE_NUMBER_WIDTH,
                           uppery=12)
            self.setFont(REGULAR, 8 if name == "total" else 9.5)
            (self.drawString if name == "total" else self.drawRightString)(0, 0, text)
            self.endForm()
        super().save()
