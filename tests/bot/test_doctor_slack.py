"""`lobby doctor`'s Slack check says what failed and what to do, in LOBBY_LANGUAGE."""

from __future__ import annotations

import socket

from bot.doctor import check_slack
from tests.slack_double import SlackDouble
from tracker.settings import Settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_wrong_token_says_copy_it_again(bot_settings: Settings, slack_double: SlackDouble) -> None:
    bad = bot_settings.model_copy(update={"slack_bot_token": "xoxb-wrong"})
    (check,) = list(check_slack(bad))
    assert check.mark == "FAIL" and "invalid_auth" in check.detail
    assert "SLACK_BOT_TOKEN" in check.detail and "xoxb-wrong" not in check.detail


def test_unreachable_slack_names_the_cause_not_just_urlerror(bot_settings: Settings) -> None:
    down = bot_settings.model_copy(update={"slack_api_url": f"http://127.0.0.1:{_closed_port()}/"})
    (check,) = list(check_slack(down))
    assert check.mark == "FAIL"
    assert "verbinding wordt geweigerd" in check.detail and "SLACK_API_URL" in check.detail
    assert "URLError" not in check.detail
    english = down.model_copy(update={"lobby_language": "en"})
    (check,) = list(check_slack(english))
    assert "the connection is refused" in check.detail


def test_no_token_is_a_warning_not_a_failure(bot_settings: Settings) -> None:
    (check,) = list(check_slack(bot_settings.model_copy(update={"slack_bot_token": None})))
    assert check.mark == "warn" and check.line().startswith("warn slack:")
