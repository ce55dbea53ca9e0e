"""Over real HTTP: waitress serving the WSGI app — signed Slack requests, /healthz, /calendar.ics."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import create_engine
from sqlmodel import Session

from bot.http_server import HttpServer
from bot.server import make_wsgi_app, missing_settings
from tests.bot.conftest import command_body, sign
from tests.slack_double import SlackDouble
from tracker.settings import Settings, load_settings


@pytest.fixture
def calendar_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"lobby_calendar_token": "s3cret-feed"})


@pytest.fixture
def server(app: App, calendar_settings: Settings, engine) -> Iterator[str]:
    """The production server (bot.http_server) on 127.0.0.1:<free port>; yields the base URL.
    It stops deterministically: its own thread closes every socket it polls."""
    with HttpServer(make_wsgi_app(app, settings=calendar_settings, engine=engine)) as srv:
        yield srv.url


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), ""


def test_signed_slash_command_over_http(team: Session, server: str,
                                        slack_double: SlackDouble) -> None:
    body = command_body("/dossier", "toon N35", response_url=slack_double.response_url())
    status, text = post(f"{server}/slack/events", body, sign(body))
    assert status == 200
    assert "N35 Wijthmen" in json.loads(text)["blocks"][0]["text"]["text"]


@pytest.mark.parametrize("how", ["forged", "stale", "missing"])
def test_forged_or_stale_requests_are_refused(team: Session, server: str, app: App,
                                              slack_double: SlackDouble, how: str) -> None:
    body = command_body("/dossier", "status N35 groen alles goed",
                        response_url=slack_double.response_url())
    headers = {"forged": sign(body, secret="wrong"),
               "stale": sign(body, timestamp=int(time.time()) - 6 * 60),
               "missing": {}}[how]
    status, _ = post(f"{server}/slack/events", body, headers)
    assert status == 401
    assert app.dispatch(BoltRequest(body=body, headers=headers)).status == 401
    team.expire_all()
    from sqlmodel import select

    from tracker.models import Dossier
    assert team.exec(select(Dossier).where(Dossier.code == "N35")).one().rag == "red"
    assert slack_double.calls == []


def test_healthz(server: str) -> None:
    status, body, _ = get(f"{server}/healthz")
    assert (status, body) == (200, b"ok\n")


def test_healthz_503_when_the_database_is_gone(app: App, calendar_settings: Settings) -> None:
    broken = create_engine("sqlite:////nonexistent-dir/x.db")
    with HttpServer(make_wsgi_app(app, settings=calendar_settings, engine=broken)) as srv:
        status, _, _ = get(f"{srv.url}/healthz")
        assert status == 503


def test_calendar_feed(team: Session, server: str) -> None:
    status, body, kind = get(f"{server}/calendar.ics?token=s3cret-feed")
    assert status == 200
    assert kind.startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in body
    assert b"Kamerdebat MIRT" in body
    assert get(f"{server}/calendar.ics?token=wrong")[0] == 404
    assert get(f"{server}/calendar.ics")[0] == 404


def test_calendar_feed_is_in_the_team_time_zone(app: App, team: Session,
                                               calendar_settings: Settings, engine) -> None:
    from tracker.settings import load_settings

    lisbon = load_settings(_env_file=None, DATABASE_URL=calendar_settings.database_url,
                           LOBBY_CALENDAR_TOKEN="s3cret-feed", LOBBY_TIMEZONE="Europe/Lisbon")
    wsgi = make_wsgi_app(app, settings=lisbon, engine=engine)
    seen: list[str] = []
    body = b"".join(wsgi({"PATH_INFO": "/calendar.ics", "REQUEST_METHOD": "GET",
                          "QUERY_STRING": "token=s3cret-feed"},
                         lambda status, headers: seen.append(status)))
    assert seen == ["200 OK"]
    assert b"X-WR-TIMEZONE:Europe/Lisbon" in body
    assert b"Europe/Amsterdam" not in body


def test_calendar_feed_off_without_token(app: App, bot_settings: Settings, engine) -> None:
    wsgi = make_wsgi_app(app, settings=bot_settings, engine=engine)
    seen: list[str] = []
    wsgi({"PATH_INFO": "/calendar.ics", "REQUEST_METHOD": "GET", "QUERY_STRING": "token="},
         lambda status, headers: seen.append(status))
    assert seen == ["404 Not Found"]


def test_serve_refuses_without_the_settings_it_needs(bot_settings: Settings) -> None:
    empty = load_settings(_env_file=None, DATABASE_URL=bot_settings.database_url)
    assert missing_settings(empty) == ("http", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
    socket = load_settings(_env_file=None, DATABASE_URL=bot_settings.database_url,
                           SLACK_APP_TOKEN="xapp-1")
    assert missing_settings(socket) == ("socket", ["SLACK_BOT_TOKEN"])


def test_lobby_serve_exits_2_naming_the_missing_settings(bot_settings: Settings, capsys,
                                                        monkeypatch) -> None:
    from tracker.cli import main

    monkeypatch.setenv("DATABASE_URL", bot_settings.database_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "xyz-secret-value")
    monkeypatch.chdir("/")
    assert main(["serve", "--no-scheduler"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err
    assert "xyz-secret-value" not in err


def test_doctor_check_slack(bot_settings: Settings, slack_double: SlackDouble) -> None:
    from bot.doctor import check_slack

    (check,) = list(check_slack(bot_settings))
    assert check.ok
    assert "U0LOBBYBOT" in check.detail
    bad = bot_settings.model_copy(update={"slack_bot_token": "xoxb-wrong"})
    (check,) = list(check_slack(bad))
    assert not check.ok
    assert "invalid_auth" in check.detail
    assert "xoxb-wrong" not in check.detail
