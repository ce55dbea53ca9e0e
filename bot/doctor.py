"""`lobby doctor` check for Slack: does the bot token work (auth.test)?"""

from __future__ import annotations

from collections.abc import Iterator

from slack_sdk.errors import SlackApiError

from tracker.doctor import Check
from tracker.settings import Settings

# Slack's error codes of auth.test, and what the operator should do (nl, en).
AUTH_ERRORS = {
    "invalid_auth": ("het token is ongeldig; kopieer het Bot User OAuth Token (xoxb-…) opnieuw "
                     "naar SLACK_BOT_TOKEN",
                     "the token is invalid; copy the Bot User OAuth Token (xoxb-…) into "
                     "SLACK_BOT_TOKEN again"),
    "not_authed": ("er is geen token meegestuurd; zet SLACK_BOT_TOKEN",
                   "no token was sent; set SLACK_BOT_TOKEN"),
    "token_revoked": ("het token is ingetrokken; installeer de app opnieuw en gebruik het nieuwe "
                      "token", "the token was revoked; reinstall the app and use the new token"),
    "account_inactive": ("de app of de werkruimte is gedeactiveerd; installeer de app opnieuw",
                         "the app or workspace was deactivated; reinstall the app"),
    "token_expired": ("het token is verlopen; installeer de app opnieuw",
                      "the token expired; reinstall the app"),
}


def check_slack(settings: Settings) -> Iterator[Check]:
    """Call auth.test with SLACK_BOT_TOKEN; say which workspace and bot it is (never the token)."""
    from bot.app import make_client

    lang = settings.lobby_language
    nl = lang == "nl"
    if not settings.slack_bot_token:
        yield Check("slack", True, "SLACK_BOT_TOKEN niet gezet: auth.test overgeslagen" if nl
                    else "SLACK_BOT_TOKEN not set: auth.test skipped", warning=True, lang=lang)
        return
    client = make_client(settings)
    client.retry_handlers = []  # a doctor answers now; it does not wait out rate limits
    client.timeout = 10
    try:
        answer = client.auth_test()
    except SlackApiError as exc:
        code = str(exc.response.get("error", "unknown_error"))
        advice = AUTH_ERRORS.get(code, ("zie https://api.slack.com/methods/auth.test",
                                        "see https://api.slack.com/methods/auth.test"))
        yield Check("slack", False, f"auth.test {'mislukt' if nl else 'failed'}: {code}: "
                                    f"{advice[0] if nl else advice[1]}", lang=lang)
        return
    except Exception as exc:  # network trouble of any kind
        yield Check("slack", False, _network_problem(exc, client.base_url, nl), lang=lang)
        return
    yield Check("slack", True, f"auth.test ok: bot {answer.get('user')} ({answer.get('user_id')}) "
                               f"in {answer.get('team')} ({answer.get('team_id')})",
                lang=lang)


def _network_problem(exc: BaseException, url: str, nl: bool) -> str:
    """What went wrong reaching Slack, said so an operator knows where to look."""
    reason = getattr(exc, "reason", exc)
    text = " ".join(str(reason).split())[:160]
    if isinstance(reason, TimeoutError) or "timed out" in text:
        what = ("Slack antwoordt niet binnen 10 s", "Slack did not answer within 10 s")
    elif isinstance(reason, ConnectionRefusedError) or "refused" in text.lower():
        what = ("de verbinding wordt geweigerd", "the connection is refused")
    elif "Name or service not known" in text or "nodename nor servname" in text \
            or "getaddrinfo" in text:
        what = ("de servernaam is onbekend (DNS)", "the host name is unknown (DNS)")
    elif "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        what = ("het TLS-certificaat wordt niet vertrouwd", "the TLS certificate is not trusted")
    else:
        what = (f"{type(reason).__name__}: {text}", f"{type(reason).__name__}: {text}")
    if nl:
        return (f"Slack niet bereikbaar op {url}: {what[0]}; controleer het netwerk, een proxy "
                "en SLACK_API_URL")
    return f"Slack not reachable at {url}: {what[1]}; check the network, a proxy and SLACK_API_URL"
