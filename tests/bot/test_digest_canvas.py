"""The report as a Slack canvas, against the Slack double: created with the digest, linked from
its first message, edited in place when the same period is posted again (never a second one),
made anew when deleted in Slack; where canvases are unavailable the messages still go and the
admins are told once why."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.digest_post import CanvasStore, post_digest
from bot.render.canvas import canvas_text, render_canvas
from tests.slack_double import TEAM_ID, SlackDouble
from tracker.dates import parse_period
from tracker.digest import Digest, build_digest
from tracker.models import DigestCanvas

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)
ADMINS = frozenset({"U0ANNEKE"})


@pytest.fixture
def h1(seeded: Session) -> Digest:
    return build_digest(session=seeded, period=parse_period("2023H1", now=NOW, tz=AMS), now=NOW,
                        tz=AMS)


@pytest.fixture
def store(engine: Engine) -> CanvasStore:
    return CanvasStore(engine, clock=lambda: NOW)


def post(client: WebClient, digest: Digest, store: CanvasStore) -> str:
    return post_digest(client, "C0DIGEST", digest, lang="nl", canvases=store, admins=ADMINS,
                       chart=False)


def first_message(double: SlackDouble) -> dict:  # type: ignore[type-arg]
    return next(m for m in double.history("C0DIGEST") if m.get("thread_ts") in (None, m["ts"]))


def admin_dms(double: SlackDouble) -> list[str]:
    return [c.params["text"] for c in double.calls_to("chat.postMessage")
            if str(c.params["channel"]).startswith("D")]


def test_canvas_markdown_has_the_report_with_tables_and_inert_user_text(h1: Digest) -> None:
    markdown = render_canvas(h1)
    assert markdown.startswith("_1 januari 2023 t/m 30 juni 2023_")
    assert "# Kernboodschap" in markdown and "# Bijlage: controle van de cijfers" in markdown
    assert "# Public Affairs en Communicatie" in markdown
    assert "### N35 — Wijthmen–Nijverdal / Mobiliteitsfonds" in markdown
    assert ("| Post | Begroting | Realisatie t/m 30 juni 2023 | Verschil | Verwacht jaartotaal "
            "| % van de begroting |") in markdown
    assert ("| **Totaal lasten ⚠** | **€ 2.855.000** | **€ 1.249.769** | **€ 1.605.231** "
            "| **€ 3.510.230 ⚠** | **44%** |") in markdown
    assert "nodig € 75 mln; toegezegd € 35 mln; tekort € 40 mln" in markdown
    assert canvas_text("<@U123> **x** [a](b) ![](@U9) | #kanaal") == (
        "\\<@U123\\> \\*\\*x\\*\\* \\[a\\]\\(b\\) \\!\\[\\]\\(@U9\\) \\| \\#kanaal")
    assert len(render_canvas(h1, limit=3000)) < 3000  # cut at a block, saying where the rest is
    assert "/digest 2023H1 pdf" in render_canvas(h1, limit=3000)


def test_posting_creates_the_canvas_and_links_it(h1: Digest, slack_double: SlackDouble,
                                                 slack_client: WebClient, store: CanvasStore,
                                                 session: Session) -> None:
    post(slack_client, h1, store)
    ((canvas_id, canvas),) = slack_double.canvases.items()
    assert canvas["title"] == "Halfjaarrapportage Regio Zwolle — eerste halfjaar 2023"
    assert canvas["channel_id"] == "C0DIGEST"
    assert "€ 226.713" in canvas["markdown"]
    url = f"https://lobby-test.slack.com/docs/{TEAM_ID}/{canvas_id}"
    message = first_message(slack_double)
    assert url in str(message["blocks"]) and url in message["text"]
    row = session.exec(select(DigestCanvas)).one()
    assert (row.period, row.channel, row.canvas_id, row.error) == (
        "2023H1", "C0DIGEST", canvas_id, None)


def test_posting_again_edits_the_same_canvas(h1: Digest, slack_double: SlackDouble,
                                             slack_client: WebClient, store: CanvasStore) -> None:
    post(slack_client, h1, store)
    post(slack_client, h1, store)
    post(slack_client, h1, store)
    assert len(slack_double.canvases) == 1
    assert len(slack_double.calls_to("canvases.create")) == 1
    edits = slack_double.calls_to("canvases.edit")
    assert len(edits) == 2 and all(c.ok for c in edits)
    assert edits[0].params["changes"][0]["operation"] == "replace"
    (canvas,) = slack_double.canvases.values()
    assert canvas["edits"] == 2 and "# Kernboodschap" in canvas["markdown"]


def test_a_canvas_deleted_in_slack_is_made_anew(h1: Digest, slack_double: SlackDouble,
                                                slack_client: WebClient, store: CanvasStore) -> None:
    post(slack_client, h1, store)
    slack_double.canvases.clear()  # someone deleted it in Slack
    post(slack_client, h1, store)
    (new_id,) = slack_double.canvases
    assert store.get("2023H1", "C0DIGEST") == new_id


@pytest.mark.parametrize("setup", ["missing_scope", "free_plan_edit", "disabled"])
def test_without_canvases_the_messages_go_and_admins_are_told_once(
        h1: Digest, slack_double: SlackDouble, slack_client: WebClient, store: CanvasStore,
        setup: str) -> None:
    if setup == "missing_scope":
        slack_double.scopes.discard("canvases:write")
        expected = "missing_scope"
    elif setup == "disabled":
        slack_double.canvases_disabled = True
        expected = "canvas_disabled_user_team"
    else:  # a free workspace that had a standalone canvas of the period
        slack_double.free_plan = True
        slack_double.canvases["F0OLD"] = {"id": "F0OLD", "title": "", "markdown": "",
                                          "channel_id": None, "edits": 0}
        store.put("2023H1", "C0DIGEST", "F0OLD")
        expected = "free_teams_cannot_edit_standalone_canvases"
    ts = post(slack_client, h1, store)
    ts_again = post(slack_client, h1, store)
    assert ts and ts_again  # the digest went out, twice
    channel_posts = [c for c in slack_double.calls_to("chat.postMessage")
                     if c.params["channel"] == "C0DIGEST" and not c.params.get("thread_ts")]
    assert len(channel_posts) == 2 and all(c.ok for c in channel_posts)
    assert "docs/" not in first_message(slack_double)["text"]  # no link to a canvas
    (told,) = admin_dms(slack_double)  # once, not per post
    assert f"`{expected}`" in told and "niet als canvas" in told
    if setup == "missing_scope":
        assert "canvases:write" in told


def test_slack_double_canvas_errors(slack_double: SlackDouble, slack_client: WebClient) -> None:
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as err:
        slack_client.canvases_edit(canvas_id="F0NONE", changes=[
            {"operation": "replace", "document_content": {"type": "markdown", "markdown": "x"}}])
    assert err.value.response["error"] == "canvas_not_found"
    with pytest.raises(SlackApiError) as err:
        slack_client.canvases_create(title="t", document_content={
            "type": "markdown", "markdown": "x" * 1_048_577})
    assert err.value.response["error"] == "canvas_creation_failed"
    slack_double.free_plan = True
    with pytest.raises(SlackApiError) as err:
        slack_client.canvases_create(title="t")
    assert err.value.response["error"] == "free_teams_cannot_create_non_tabbed_canvases"
    assert slack_client.canvases_create(title="t", channel_id="C1")["canvas_id"]


def test_scheduled_half_year_digest_publishes_the_canvas(seeded: Session, settings,  # type: ignore[no-untyped-def]
                                                         slack_double: SlackDouble) -> None:
    from bot.notifier import from_settings
    from tests.tracker.scheduling_support import scheduler_settings
    from tracker.scheduling.items import DigestItem

    sched = scheduler_settings(settings.database_url, LOBBY_ADMINS="U0ANNEKE",
                               SLACK_BOT_TOKEN=slack_double.token, SLACK_API_URL=slack_double.url)
    now = datetime(2023, 7, 3, 9, 0, tzinfo=AMS)
    period = parse_period("2023H1", now=now, tz=AMS)
    digest = build_digest(session=seeded, period=period, now=now, tz=AMS)
    item = DigestItem(key="digest:2023H1:C0DIGEST", channel="C0DIGEST", due_at=now,
                      today=now.date(), period=period, digest=digest)
    notifier = from_settings(sched)
    try:
        check_scheduled_post(notifier, item, slack_double)
    finally:
        notifier.canvases.engine.dispose()  # its own engine, as in `lobby serve`


def check_scheduled_post(notifier, item, slack_double: SlackDouble) -> None:  # type: ignore[no-untyped-def]
    result = notifier.post("C0DIGEST", item)
    ((canvas_id, canvas),) = slack_double.canvases.items()
    assert canvas["channel_id"] == "C0DIGEST" and "# Kernboodschap" in canvas["markdown"]
    message = first_message(slack_double)
    assert message["ts"] == result.ts and canvas_id in message["text"]
    assert message["metadata"]["event_payload"] == {"key": "digest:2023H1:C0DIGEST"}
    (chart,) = slack_double.files
    assert chart["thread_ts"] == result.ts and chart["content"].startswith(b"\x89PNG")
    notifier.post("C0DIGEST", item)  # a retried post: still the one canvas
    assert len(slack_double.canvases) == 1


def test_slash_digest_post_publishes_the_canvas(team: Session, slash, slack_double: SlackDouble,  # type: ignore[no-untyped-def]
                                                app) -> None:
    from tests.bot.conftest import VIEWER, reply

    reply(slash("/digest", "post 2023H1", user=VIEWER))
    app.lobby_deps.drain()
    slack_double.wait_for_calls("chat.update", 1, timeout=10)
    ((canvas_id, canvas),) = slack_double.canvases.items()
    assert canvas["channel_id"] == "C0LOBBY"
    assert canvas_id in first_message_of(slack_double, "C0LOBBY")["text"]


def first_message_of(double: SlackDouble, channel: str) -> dict:  # type: ignore[type-arg]
    return next(m for m in double.history(channel) if m.get("thread_ts") in (None, m["ts"]))


@pytest.mark.parametrize(("text", "fmt"), [("2023H1 pdf", "pdf"), ("docx 2023H1", "docx")])
def test_slash_digest_report_file_goes_to_the_asker(team: Session, slash, app,  # type: ignore[no-untyped-def]
                                                    slack_double: SlackDouble, text: str,
                                                    fmt: str) -> None:
    from tests.bot.conftest import VIEWER, reply

    body = reply(slash("/digest", text, user=VIEWER))
    assert fmt.upper() in body["text"] and "privébericht" in body["text"]
    app.lobby_deps.drain()
    slack_double.wait_for(lambda d: len(d.files) >= 1 and len(d.responses) >= 1, timeout=20)
    (upload,) = slack_double.files
    assert upload["channel_id"] == "D" + VIEWER[1:]  # the asker's direct message
    assert upload["filename"] == f"halfjaarrapportage-2023H1.{fmt}"
    magic = b"%PDF" if fmt == "pdf" else b"PK"
    assert upload["content"].startswith(magic) and len(upload["content"]) > 20_000
    note = slack_double.responses[-1]
    assert note["response_type"] == "ephemeral" and "privébericht" in note["text"]
    assert slack_double.canvases == {}  # a file to one person is not a post in the channel
