"""Hostile titles, through the real app (signed requests) into every surface that shows them:
the reply to `/deadline add`, `/deadline list`, the dossier card, the App Home (views.publish on
the Slack double) — Block Kit text and the plain `text` fallback alike. A title must not start a
line of its own, restyle the message, hide characters or carry a live link."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from sqlmodel import Session

from bot.render.canvas import canvas_text
from bot.render.mrkdwn import escape_user_text, plain_user_text
from tests.signing import EDITOR, sign
from tests.slack_double import SlackDouble
from tracker.digest.docx import docx_text
from tracker.digest.markdown import md_escape
from tracker.digest.pdf import pdf_text
from tracker.text import safe_inline

FAKE = "Actie vereist: log in op"
HOSTILE = ("Overleg\n\n*" + FAKE + " slack-login.example*\r\n> _citaat_ ~weg~ `code` "
           "\u202egnp.exe\u202c \u200bverborgen\u200b \ufeffBOM \u2066x\u2069 "
           "<https://evil.example/login>")
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200e\u200f\ufeff"


def _texts(value: Any) -> list[str]:
    """Every `text` string in a Slack payload (fallback, mrkdwn and plain_text alike)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                found.append(item)
            else:
                found.extend(_texts(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_texts(item))
    return found


def _assert_safe(payload: Any) -> None:
    texts = _texts(payload)
    shown = [t for t in texts if "Overleg" in t]
    assert shown, texts  # the title is shown somewhere, or this test tests nothing
    for text in shown:
        for line in text.split("\n"):
            assert not line.lstrip("*_ >").startswith(FAKE), text  # no line of its own
        assert "*" + FAKE not in text  # not bold
        assert "<https://evil" not in text  # no live link under a false label
        assert "\n> " not in text and "\n&gt;" not in text  # no quote block
        assert "_citaat_" not in text and "~weg~" not in text and "`code`" not in text
        assert not set(INVISIBLE) & set(text), [hex(ord(c)) for c in text if c in INVISIBLE]


@pytest.fixture
def hostile(team: Session, slash: Any) -> dict[str, Any]:
    response = slash("/deadline", f"add N35 17 nov 2023 {HOSTILE}")
    assert response.status == 200
    payload = json.loads(response.body)
    assert "toegevoegd" in payload["text"], payload["text"]
    return payload


def test_reply_to_deadline_add(hostile: dict[str, Any]) -> None:
    _assert_safe(hostile)


def test_deadline_list_and_dossier_card(hostile: dict[str, Any], slash: Any) -> None:
    _assert_safe(json.loads(slash("/deadline", "list N35 90d").body))
    _assert_safe(json.loads(slash("/dossier", "toon N35").body))


def test_app_home(hostile: dict[str, Any], app: App, slack_double: SlackDouble) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T0LOBBY", "api_app_id": "A0LOBBY",
                       "event_id": "Ev0HOSTILE", "event_time": 1700000000,
                       "event": {"type": "app_home_opened", "user": EDITOR, "tab": "home",
                                 "channel": "D0HOME"}})
    assert app.dispatch(BoltRequest(body=body, headers={
        **sign(body), "content-type": "application/json"})).status == 200
    app.lobby_deps.drain()  # type: ignore[attr-defined]
    published = slack_double.wait_for_calls("views.publish", 1)
    _assert_safe(json.loads(published[-1].params["view"]) if isinstance(
        published[-1].params["view"], str) else published[-1].params["view"])


@pytest.mark.parametrize("escape", [escape_user_text, plain_user_text, safe_inline])
def test_every_escape_collapses_lines_and_removes_invisible_characters(escape: Any) -> None:
    text = escape(HOSTILE)
    assert "\n" not in text and "\r" not in text
    assert not set(INVISIBLE) & set(text)
    assert "gnp.exe" in text and "verborgen" in text  # the visible text stays


def test_mrkdwn_markers_and_references_are_escaped() -> None:
    text = escape_user_text("*vet* _schuin_ ~door~ `code` > quote <!here> a & b <b>")
    for marker in "*_~`":
        assert marker not in text
    assert "vet" in text and "schuin" in text and "door" in text and "code" in text
    assert "&gt; quote" in text and "a &amp; b" in text and "&lt;b&gt;" in text
    assert "<!" not in text



@pytest.mark.parametrize("escape", [escape_user_text, plain_user_text, docx_text, pdf_text,
                                    canvas_text, md_escape])
def test_every_renderer_drops_invisible_characters(escape: Callable[[str], str]) -> None:
    """Slack, DOCX, PDF, canvas and Markdown all make user text safe through `safe_inline`."""
    shown = escape(INVISIBLE.join("verborgen") + " \ufefftitel\u202e")
    assert "verborgen titel" in shown
    assert not set(INVISIBLE + "\u00ad\u2060") & set(shown), [hex(ord(c)) for c in shown]
