"""The shared limit helpers: nothing they build breaks a Slack limit, nothing is cut mid-word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render.as_text import blocks_to_text
from bot.render.limits import (
    MAX_SECTION_TEXT,
    fit_blocks,
    header,
    pack_lines,
    page,
    sections,
    split_text,
    truncate,
)
from bot.render.mrkdwn import ZWJ, escape_user_text
from tests.slack_double import validate_blocks


def test_split_text_keeps_words_whole() -> None:
    text = " ".join(f"woord{i}" for i in range(2000))
    chunks = split_text(text)
    assert all(len(c) <= MAX_SECTION_TEXT for c in chunks)
    assert " ".join(chunks).split() == text.split()


@given(st.text(min_size=0, max_size=9000))
def test_sections_always_valid(text: str) -> None:
    assert validate_blocks(sections(text), "message") == [] or not text.strip()


def test_truncate_marks_the_cut_at_a_word_boundary() -> None:
    short = truncate("Kamerdebat MIRT over de N35 Wijthmen–Nijverdal " * 10, 40)
    assert len(short) <= 40
    assert short.endswith("…")
    assert short[:-1].split()[-1] in ["Kamerdebat", "MIRT", "over", "de", "N35", "Wijthmen–Nijverdal"]
    assert validate_blocks([header("x " * 200)]) == []


def test_pack_lines_counts_what_is_left_out() -> None:
    lines = [f"regel {i} " + "x" * 90 for i in range(500)]
    blocks = pack_lines(lines, max_blocks=3, lang="nl")
    assert len(blocks) == 3
    assert validate_blocks(blocks) == []
    last = blocks[-1].text.text
    shown = sum(b.text.text.count("regel ") for b in blocks)
    assert last.endswith(f"…en nog {500 - shown}")


def test_fit_blocks_and_page() -> None:
    blocks = sections("a") * 80
    fitted = fit_blocks(blocks, max_blocks=50, lang="en")
    assert len(fitted) == 50
    assert "…and 31 more" in blocks_to_text(fitted)
    items, pages = page(list(range(95)), 9, 40)
    assert pages == 3
    assert items == list(range(80, 95))


def test_escape_user_text_never_pings() -> None:
    text = escape_user_text("<!channel> hoi @here & <@U123|anna> <#C1|lobby> <b> @everyone")
    assert "<!" not in text
    assert "<@" not in text
    assert "<b>" not in text
    assert "&amp;" in text
    assert "&lt;b&gt;" in text
    assert f"@{ZWJ}channel" in text
    assert f"@{ZWJ}here" in text
    assert f"@{ZWJ}everyone" in text
    assert "@anna" in text
    assert "#lobby" in text
