"""`lobby doctor` check for Slack: does the bot token work (auth.test)?"""

from __future__ import annotations

from collections.abc import Iterator

from slack_sdk.errors import SlackApiError

from tracker.doctor import Check
from tracker.settings import Settings


def check_slack(settings: Settings) -> Iterator[Check]:
    """Call auth.test with SLACK_BOT_TOKEN; say which workspace and bot it is (never the token)."""
    from bot.app import make_client

    if not settings.slack_bot_token:
        yield Check("slack", False, "SLACK_BOT_TOKEN not set: auth.test skipped", warning=True)
        return
    client = make_client(settings)
    client.retry_handlers = []  # a doctor answers now; it does not wait out rate limits
    client.timeout = 10
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        yield Check("slack", False, f"auth.test failed: {exc.response.get('error', 'unknown error')}")
        return
    except Exception as exc:  # network trouble of any kind
        yield Check("slack", False, f"auth.test failed: {type(exc).__name__}")
        return
    yield Check("slack", True, f"auth.test ok: bot {answer.get('user')} ({answer.get('user_id')}) "
                               f"in {answer.get('team')} ({answer.get('team_id')})")
