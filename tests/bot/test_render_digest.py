"""The digest in Block Kit (within Slack's limits, user text escaped) and posted to the Slack double."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot.digest_post import post_digest
from bot.render.digest import render_digest
from tests.slack_double import SlackDouble, validate_blocks
from tracker.dates import parse_period
from tracker.digest import Digest, build_digest
from tracker.digest.build import following_period
from tracker.digest.model import DossierDigest, Item, LineDigest, Reason

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)


@pytest.fixture
def h1(seeded: Session) -> Digest:
    return build_digest(session=seeded, period=parse_period("2023H1", now=NOW, tz=AMS), now=NOW,
                        tz=AMS)


def big_digest(n: int, text: str = "notitie " * 40) -> Digest:
    """n dossiers with three long items each, spread over the three lines."""
    period = parse_period("2023H1", now=NOW, tz=AMS)
    lines = []
    for line in ("economie-arbeidsmarkt", "ruimtelijke-ontwikkeling", "public-affairs"):
        dossiers = tuple(
            DossierDigest(i, f"D{i}", f"Dossier {i}", line, "amber", "reden " * 60,
                          date(2023, 3, 1), "active", None, None,
                          tuple(Item(Reason.NOTE, date(2023, 3, k + 1), text) for k in range(3)))
            for i in range(n // 3))
        lines.append(LineDigest(line, dossiers, ()))
    return Digest(period, NOW, "Europe/Amsterdam", tuple(lines), following_period(period))


def all_blocks(messages) -> list[dict]:  # type: ignore[no-untyped-def]
    return [b for m in messages for b in m.payload()["blocks"]]


def test_half_year_digest_fits_and_validates(h1: Digest) -> None:
    messages = render_digest(h1)
    for message in messages:
        payload = message.payload()
        assert len(payload["blocks"]) <= 50
        assert validate_blocks(payload["blocks"]) == []
        assert payload["text"]
    blocks = all_blocks(messages)
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers[:4] == ["Halfjaarrapportage eerste halfjaar 2023", "Economie en arbeidsmarkt",
                           "Ruimtelijke ontwikkeling", "Public Affairs en Communicatie"]
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "N35: oranje → rood op 23 juni 2023: MIRT-brief" in text
    assert "tekort € 40 mln" in text and "Indienen aanvraag Regio Deal 5e tranche" in text
    assert "*Mobiliteitstransitie* — stilgelegd: Basisprogrammaplan opgesteld in Q1" in text
    assert "Totaal lasten !" in text  # the flagged total in the budget table
    assert "Bijlage: controle van de cijfers" in text and "€ 226.713" in text
    assert "(beoordeling van het team)" in text
    assert messages[0].payload()["text"].startswith(
        "Halfjaarrapportage eerste halfjaar 2023: 2 statuswijzigingen")


def test_big_digest_continues_in_thread_within_limits() -> None:
    messages = render_digest(big_digest(300))
    assert len(messages) > 1
    for message in messages:
        blocks = message.payload()["blocks"]
        assert len(blocks) <= 50
        assert validate_blocks(blocks) == []
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
    assert "(1/" in messages[0].payload()["blocks"][-1]["elements"][0]["text"]
    shown = "\n".join(b["text"]["text"] for b in all_blocks(messages) if b["type"] == "section")
    assert all(f"*D{i} — Dossier {i}*" in shown for i in range(100))  # nobody dropped


def test_user_text_is_escaped() -> None:
    digest = big_digest(3, text="<!channel> kijk <@U123|anna> & <https://x.nl|x>")
    text = "\n".join(b["text"]["text"] for b in all_blocks(render_digest(digest))
                     if b["type"] == "section")
    assert "<!channel>" not in text and "<@U123" not in text
    assert "@\u200dchannel" in text and "@anna" in text and "&amp;" in text


def test_empty_digest_says_so(h1: Digest) -> None:
    empty = Digest(h1.period, NOW, "Europe/Amsterdam", (), h1.next_period)
    (message,) = render_digest(empty)
    assert message.payload()["text"] == "Niets gewijzigd in eerste halfjaar 2023."


def test_post_digest_posts_threads_and_uploads_the_chart(h1: Digest, slack_double: SlackDouble,
                                                         slack_client: WebClient) -> None:
    ts = post_digest(slack_client, "C0DIGEST", h1, lang="nl", tz=AMS)
    posts = slack_double.calls_to("chat.postMessage")
    assert posts and posts[0].params["channel"] == "C0DIGEST"
    assert all(p.params.get("thread_ts") == ts for p in posts[1:])
    (upload,) = slack_double.files
    assert upload["thread_ts"] == ts and upload["content"].startswith(b"\x89PNG")
    assert upload["filename"] == "digest-2023H1.png"


def test_post_digest_without_chart_for_a_long_digest(slack_double: SlackDouble,
                                                     slack_client: WebClient) -> None:
    digest = big_digest(300)
    ts = post_digest(slack_client, "C0DIGEST", digest, chart=False)
    posts = slack_double.calls_to("chat.postMessage")
    assert len(posts) == len(render_digest(digest)) > 1
    assert all(p.params.get("thread_ts") == ts for p in posts[1:])
    assert slack_double.files == []
