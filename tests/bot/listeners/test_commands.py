"""Slash commands through the real Bolt app with signed requests: replies, refusals, no change."""

from __future__ import annotations

import json
import time

import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import func
from sqlmodel import Session, select

from bot.render.as_text import blocks_to_text
from bot.render.mrkdwn import ZWJ
from tests.bot.conftest import VIEWER, command_body, reply, sign
from tests.slack_double import SlackDouble, validate_blocks
from tracker.models import Deadline, Dossier, Event, Member


def snapshot(session: Session) -> tuple[int, ...]:
    """Counts and versions that any change would move."""
    session.expire_all()
    versions = sum(session.exec(select(Dossier.version)).all()) + sum(
        session.exec(select(Deadline.version)).all())
    return (session.exec(select(func.count()).select_from(Event)).one(),
            session.exec(select(func.count()).select_from(Deadline)).one(),
            session.exec(select(func.count()).select_from(Dossier)).one(),
            session.exec(select(func.count()).select_from(Member)).one(), versions)


def shown(response) -> str:
    body = reply(response)
    assert validate_blocks(body["blocks"]) == []
    assert body["text"]
    return blocks_to_text(body["blocks"])


@pytest.mark.parametrize(("command", "text", "expected"), [
    ("/dossier", "toon N35", "N35 Wijthmen–Nijverdal"),
    ("/dossier", "show zwolle meppel", "Zwolle–Meppel"),
    ("/dossier", "lijst rood", "N35"),
    ("/dossier", "list", "Dossiers (8)"),
    ("/deadline", "lijst 60d", "Kamerdebat MIRT"),
    ("/deadline", "list N35 3 maanden", "Kamerdebat MIRT"),
    ("/programma", "lijst", "Groei Vooruit"),
    ("/programma", "list economie", "Groei Vooruit"),
    ("/lobby", "help", "/dossier"),
    ("/lobby", "hulp", "/dossier"),
    ("/lobby", "", "Lobbytracker"),
    ("/lobby", "team list", "Team en rollen"),
])
def test_read_commands_in_dutch_and_english(team: Session, slash, command: str, text: str,
                                            expected: str) -> None:
    before = snapshot(team)
    assert expected in shown(slash(command, text, user=VIEWER))
    assert snapshot(team) == before


def test_status_change_in_dutch_and_english(team: Session, app, slash,
                                            slack_double: SlackDouble) -> None:
    app.lobby_deps.home_refresh.delay = app.lobby_deps.home_refresh.max_wait  # one burst
    text = shown(slash("/dossier", "status N35 oranje Motie aangenomen"))
    assert "rood → " in text
    assert "oranje" in text
    text = shown(slash("/dossier", "status ZWM red funding gap of 40 million"))
    team.expire_all()
    assert team.exec(select(Dossier).where(Dossier.code == "ZWM")).one().rag == "red"
    assert "funding gap" in text
    assert slack_double.calls_to("views.publish") == []  # the burst is not over yet
    app.lobby_deps.drain()
    published = slack_double.calls_to("views.publish")
    # Two changes in a row: the Home tab is built once, after both, and shows both.
    assert [p.params["user_id"] for p in published] == ["U0ANNEKE"]
    home = json.dumps(published[0].params["view"], ensure_ascii=False)
    assert "RAG-overzicht" in home and "*N35*" in home and "*ZWM*" in home


def test_deadline_add_names_id_and_date_in_words(team: Session, slash) -> None:
    text = shown(slash("/deadline", "nieuw N35 17 nov 2023 | Gesprek met gedeputeerde"))
    added = team.exec(select(Deadline).order_by(Deadline.id.desc())).first()
    assert f"#{added.id}" in text
    assert "vr 17 nov 2023" in text
    text = shown(slash("/deadline", "add N35 1 Nov 2023 Evaluation"))
    assert "in het verleden" in text


def test_deadline_done_then_again_is_refused(team: Session, slash) -> None:
    assert "afgerond" in shown(slash("/deadline", "klaar 19"))
    before = snapshot(team)
    assert "al afgerond" in shown(slash("/deadline", "done 19"))
    assert snapshot(team) == before


def test_english_replies(team: Session, app: App, slack_double: SlackDouble,
                         bot_settings, engine, now) -> None:
    from bot.app import create_app
    from tracker.settings import load_settings

    english = load_settings(_env_file=None, DATABASE_URL=bot_settings.database_url,
                            SLACK_BOT_TOKEN=slack_double.token, SLACK_SIGNING_SECRET="s",
                            SLACK_API_URL=slack_double.url, LOBBY_LANGUAGE="en")
    en_app = create_app(english, engine=engine, clock=lambda: now)
    body = command_body("/dossier", "status N35 purple", response_url=slack_double.response_url())
    answer = reply(en_app.dispatch(BoltRequest(body=body, headers=sign(body, secret="s"))))
    assert "Name the dossier, the status" in answer["text"]
    body = command_body("/dossier", "show N35", response_url=slack_double.response_url())
    answer = reply(en_app.dispatch(BoltRequest(body=body, headers=sign(body, secret="s"))))
    assert "since" in blocks_to_text(answer["blocks"])


BAD_INPUTS = [
    ("/dossier", "status"),                               # missing arguments
    ("/dossier", "status N35 rood"),                      # missing reason
    ("/deadline", "klaar 19 extra words"),                # extra arguments
    ("/deadline", "verzet"),                              # missing id
    ("/deadline", "nieuw N35 gisteren-ish"),              # unreadable date
    ("/lobby", "frobnicate"),                             # unknown subcommand
    ("/lobby", "team add @nobody"),                       # missing role
    ("/dossier", "toon " + "x" * 5000),                   # 5,000 characters
    ("/dossier", "toon '; DROP TABLE dossier; --"),       # SQL-looking text
    ("/dossier", "toon 🚆🚆 شبكة السكك"),                  # emoji and right-to-left text
    ("/dossier", "toon <!channel>"),                      # a broadcast
    ("/deadline", "herinner 19 abc"),                     # bad offsets
    ("/programma", "status Groei Vooruit misschien"),     # unknown status
    ("/digest", "2023H7"),                                # bad period
]


@pytest.mark.parametrize(("command", "text"), BAD_INPUTS)
def test_bad_input_gets_a_clear_ephemeral_reply_and_changes_nothing(
        team: Session, slash, slack_double: SlackDouble, command: str, text: str) -> None:
    before = snapshot(team)
    body = reply(slash(command, text))
    assert body["response_type"] == "ephemeral"
    assert validate_blocks(body["blocks"]) == []
    assert "Traceback" not in body["text"]
    assert "<!channel>" not in body["text"]
    assert "<!channel>" not in str(body["blocks"])
    assert snapshot(team) == before


def test_broadcast_in_a_note_never_pings(team: Session, slash) -> None:
    shown(slash("/dossier", "notitie N35 <!channel> @here gesprek gevoerd"))
    card = reply(slash("/dossier", "toon N35"))
    flat = str(card["blocks"])
    assert "<!channel>" not in flat
    assert f"@{ZWJ}here" in blocks_to_text(card["blocks"])


def test_viewer_cannot_change_anything(team: Session, slash) -> None:
    before = snapshot(team)
    for command, text in [("/dossier", "status N35 groen opgelost"),
                          ("/deadline", "klaar 19"), ("/dossier", "nieuw ABC Iets nieuws"),
                          ("/lobby", "team add <@U0JORIS|joris> admin")]:
        answer = reply(slash(command, text, user=VIEWER))
        assert "rol" in answer["text"] or "beheerder" in answer["text"]
    assert snapshot(team) == before


def test_admin_manages_the_team(team: Session, slash) -> None:
    assert "editor" in shown(slash("/lobby", "team add <@U0JORIS|joris> editor", user="U0ADMIN"))
    assert "afgerond" in shown(slash("/deadline", "klaar 19", user=VIEWER))
    assert "niet meer in het team" in shown(slash("/lobby", "team remove <@U0JORIS>", user="U0ADMIN"))


def test_modal_commands_open_a_form(team: Session, slash, slack_double: SlackDouble) -> None:
    response = slash("/dossier", "nieuw")
    assert response.status == 200
    opened = slack_double.wait_for_calls("views.open")
    assert opened[0].ok
    assert opened[0].params["view"]["callback_id"] == "dossier_new"
    slash("/deadline", "nieuw")
    slash("/dossier", "bewerk N35")
    calls = slack_double.wait_for_calls("views.open", 3)
    assert all(c.ok for c in calls)
    assert not slack_double.rejections


def test_digest_acks_at_once_then_shows_the_preview(team: Session, slash,
                                                    slack_double: SlackDouble) -> None:
    started = time.monotonic()
    body = reply(slash("/digest", "2023H1", user=VIEWER))
    assert time.monotonic() - started < 3
    assert "rapportage over eerste halfjaar 2023 wordt gemaakt" in body["text"]
    slack_double.wait_for(lambda d: len(d.responses) >= 1, timeout=10)
    preview = slack_double.responses[0]
    assert preview["response_type"] == "ephemeral"
    assert any(b.get("type") == "actions" for b in preview["blocks"])


def test_digest_of_a_period_not_begun_is_refused(team: Session, slash,
                                                 slack_double: SlackDouble) -> None:
    reply(slash("/digest", "2031Q2", user=VIEWER))
    slack_double.wait_for(lambda d: len(d.responses) >= 1, timeout=10)
    assert "nog niet begonnen" in slack_double.responses[0]["text"]
    assert not slack_double.calls_to("chat.postMessage")


def test_digest_post_goes_to_the_channel(team: Session, slash, slack_double: SlackDouble) -> None:
    reply(slash("/digest", "post 2023H1", user=VIEWER))
    posted = slack_double.wait_for_calls("chat.postMessage", 1, timeout=10)
    assert posted[0].ok
    assert posted[0].params["channel"] == "C0LOBBY"


def test_unexpected_error_is_an_apology_with_an_id(team: Session, slash, monkeypatch,
                                                   caplog) -> None:
    import bot.listeners.commands as commands

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(commands, "execute", boom)
    before = snapshot(team)
    body = reply(slash("/dossier", "toon N35"))
    assert "fout-id" in body["text"]
    assert "secret internals" not in body["text"]
    assert "secret internals" in caplog.text
    assert snapshot(team) == before
