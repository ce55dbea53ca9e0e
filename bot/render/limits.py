"""Slack's Block Kit limits and the helpers every renderer uses to stay within them.

Shared by all renderers (cards, lists, reminders, digests): long text is split at line or
word boundaries into several sections, never cut mid-word; what does not fit is replaced by
"…en nog N" / "…and N more"; headers, buttons and options are shortened at a word boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

T = TypeVar("T")

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100          # modal and Home tab
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_CONTEXT_TEXT = 3000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_SELECT_OPTIONS = 100
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_ACTION_VALUE = 2000
# The plain `text` fallback may be 40,000 characters, but notifications show far less and
# Slack advises under 4,000; we keep it short.
MAX_FALLBACK_TEXT = 3000

ELLIPSIS = "…"


def more_text(n: int, lang: str = "nl") -> str:
    """"…en nog 3" / "…and 3 more"."""
    return f"{ELLIPSIS}and {n} more" if lang == "en" else f"{ELLIPSIS}en nog {n}"


def truncate(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary and marked with "…" when cut."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 1)
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room // 3:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def _split_long_line(line: str, limit: int) -> list[str]:
    """Split one line at spaces; a single word longer than `limit` is split hard (no choice)."""
    parts: list[str] = []
    current = ""
    for word in line.split(" "):
        while len(word) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts


def split_text(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split `text` into chunks of at most `limit` characters, at line breaks, else at spaces."""
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line] if len(line) <= limit else _split_long_line(line, limit)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()] or [truncate(text, limit)]


def header(text: str) -> HeaderBlock:
    """A header block, shortened to 150 characters at a word boundary."""
    return HeaderBlock(text=PlainTextObject(text=truncate(text.strip() or "—", MAX_HEADER_TEXT),
                                            emoji=True))


def plain(text: str, limit: int) -> PlainTextObject:
    """A plain_text object within `limit` (buttons 75, options 75, titles 24)."""
    return PlainTextObject(text=truncate(text.strip() or "—", limit), emoji=True)


def sections(text: str, *, limit: int = MAX_SECTION_TEXT) -> list[SectionBlock]:
    """Markdown text as one or more section blocks of at most 3000 characters each."""
    return [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in split_text(text, limit)]


def section(text: str, *, accessory: Any = None, block_id: str | None = None) -> SectionBlock:
    """One section; text longer than 3000 characters is shortened at a word boundary."""
    return SectionBlock(text=MarkdownTextObject(text=truncate(text or "—", MAX_SECTION_TEXT)),
                        accessory=accessory, block_id=block_id)


def field_sections(texts: Sequence[str]) -> list[SectionBlock]:
    """Markdown fields, ten per section, each within 2000 characters."""
    fields = [MarkdownTextObject(text=truncate(t or "—", MAX_FIELD_TEXT)) for t in texts]
    return [SectionBlock(fields=fields[i:i + MAX_FIELDS]) for i in range(0, len(fields), MAX_FIELDS)]


def context(*texts: str) -> ContextBlock:
    """A context block of up to ten markdown elements."""
    elements = [MarkdownTextObject(text=truncate(t, MAX_CONTEXT_TEXT)) for t in texts if t]
    return ContextBlock(elements=elements[:MAX_CONTEXT_ELEMENTS] or [MarkdownTextObject(text="—")])


def pack_lines(lines: Sequence[str], *, limit: int = MAX_SECTION_TEXT, max_blocks: int,
               lang: str = "nl", not_given: int = 0) -> list[SectionBlock]:
    """Lines packed into as few sections as fit; past `max_blocks` the rest is "…en nog N".

    `not_given`: further items the caller did not render (a list cut short in the query); they
    are counted in the "…en nog N" as well.
    """
    if max_blocks <= 0:
        return []
    chunks: list[list[str]] = [[]]
    sizes = [0]
    for line in lines:
        line = truncate(line, limit)
        extra = len(line) + (1 if chunks[-1] else 0)
        if sizes[-1] + extra > limit:
            chunks.append([])
            sizes.append(0)
            extra = len(line)
        chunks[-1].append(line)
        sizes[-1] += extra
    chunks = [c for c in chunks if c]
    hidden = max(not_given, 0)
    if len(chunks) > max_blocks:
        chunks = chunks[:max_blocks]
        hidden += len(lines) - sum(len(c) for c in chunks)
    if hidden:
        marker = more_text(hidden, lang)
        if chunks and sum(len(x) + 1 for x in chunks[-1]) + len(marker) <= limit:
            chunks[-1].append(marker)
        elif len(chunks) < max_blocks:
            chunks.append([marker])
        else:
            last = chunks[-1]
            while last and sum(len(x) + 1 for x in last) + len(marker) > limit:
                last.pop()
                hidden += 1
                marker = more_text(hidden, lang)
            last.append(marker)
    return [SectionBlock(text=MarkdownTextObject(text="\n".join(c))) for c in chunks]


def fit_blocks(blocks: Sequence[Block], *, max_blocks: int = MAX_MESSAGE_BLOCKS,
               lang: str = "nl", hidden_items: int | None = None) -> list[Block]:
    """At most `max_blocks`: the first ones kept, the last replaced by "…en nog N" when cut."""
    blocks = list(blocks)
    if len(blocks) <= max_blocks:
        return blocks
    kept = blocks[:max_blocks - 1]
    n = hidden_items if hidden_items is not None else len(blocks) - len(kept)
    return [*kept, context(more_text(n, lang))]


def page(items: Sequence[T], page_number: int, per_page: int) -> tuple[list[T], int]:
    """Items of page `page_number` (0-based, clamped) and the number of pages (at least 1)."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(page_number, 0), pages - 1)
    return list(items[number * per_page:(number + 1) * per_page]), pages


def fallback_text(text: str) -> str:
    """The plain `text` of a message, short enough for a notification."""
    return truncate(" ".join(text.split()) or "Lobbytracker", MAX_FALLBACK_TEXT)


def items_within(items: Sequence[T], render: Callable[[T], list[Block]], *, max_blocks: int,
                 lang: str = "nl") -> list[Block]:
    """Render items while they fit in `max_blocks`; the rest is counted in "…en nog N"."""
    out: list[Block] = []
    for index, item in enumerate(items):
        rendered = render(item)
        remaining = len(items) - index
        reserve = 1 if remaining > 1 else 0
        if len(out) + len(rendered) + reserve > max_blocks:
            out.append(context(more_text(remaining, lang)))
            return out
        out.extend(rendered)
    return out
