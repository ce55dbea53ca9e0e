"""The Tweede Kamer in Slack: a moved debate is told once in the dossier's channel (and its old
reminder is never posted), suggestions carry Volg als mijlpaal / Negeer, and /kamer and
/deadline link go through the signed Bolt app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import Session, select

from bot.notifier import SlackNotifier, make_client
from tests.bot.conftest import EDITOR, reply
from tests.bot.listeners.test_actions_views import click
from tests.kamer_double import KamerDouble
from tests.slack_double import SlackDouble, validate_blocks
from tests.tracker.scheduling_support import add_deadline, add_dossier, local, scheduler_settings
from tracker.kamer import services as ks
from tracker.kamer.client import KamerClient
from tracker.kamer.models import KamerLink, KamerNotice
from tracker.kamer.sync import run_sync
from tracker.models import Deadline, Delivery
from tracker.scheduling.tick import run_tick
from tracker.settings import Settings

DEBATE = local(2023, 11, 20, 10)


@pytest.fixture
def kamer() -> Iterator[KamerDouble]:
    double = KamerDouble().start()
    yield double
    double.stop()


@pytest.fixture
def client(kamer: KamerDouble) -> Iterator[KamerClient]:
    with KamerClient(kamer.url, sleep=lambda s: None, timeout=httpx.Timeout(0.5)) as kc:
        yield kc


@pytest.fixture
def sched(settings: Settings, db_url: str, slack_double: SlackDouble) -> Settings:
    return scheduler_settings(db_url, SLACK_BOT_TOKEN=slack_double.token,
                              SLACK_API_URL=slack_double.url)


def _posted(double: SlackDouble, channel: str) -> list[dict]:
    return [m for m in double.messages if m["channel"] == channel and m["via"] == "chat.postMessage"]


def test_a_moved_debate_is_told_once_and_its_old_reminder_never_comes(
        engine, session: Session, sched: Settings, slack_double: SlackDouble, client, kamer):
    dossier = add_dossier(session, channel="C0N35")
    deadline = add_deadline(session, dossier, date(2023, 11, 20))
    session.commit()
    raw = kamer.activity("2023A07890", "MIRT", DEBATE)
    sync_at = local(2023, 11, 12, 9)
    run_sync(engine=engine, client=client, settings=sched, now=sync_at)
    ks.link_deadline(session=session, now=sync_at, actor=EDITOR, deadline=deadline, ref="2023A07890")
    session.commit()
    kamer.put("Activiteit", Id=raw["Id"], Datum="2023-11-27T00:00:00+01:00",
              Aanvangstijd="2023-11-27T14:00:00+01:00")
    run_sync(engine=engine, client=client, settings=sched, now=sync_at + timedelta(hours=1))
    notifier = SlackNotifier(make_client(sched), lang="nl")
    for moment in (local(2023, 11, 13, 9), local(2023, 11, 13, 10)):  # the old 7-day rung
        run_tick(engine=engine, settings=sched, notifier=notifier, now=moment)
    message, *reminders = _posted(slack_double, "C0N35")
    # the new date's 14-day rung is owed on the 13th; the old date's 7-day rung never comes
    assert [r["text"][:60] for r in reminders] == [
        "Over 14 dagen: Kamerdebat MIRT — N35 · ma 27 nov 2023 14:00"]
    assert message["text"].startswith(":calendar: Verzet door de Tweede Kamer: Kamerdebat MIRT (N35) — "
                                      "20 nov 10:00 → 27 nov 14:00")
    assert validate_blocks(message["blocks"]) == [] and slack_double.rejections == []
    elements = message["blocks"][-1]["elements"]
    assert [e.get("action_id") for e in elements] == ["kamer_view", "kamer_unlink"]
    assert elements[0]["url"].endswith("details?id=2023A07890")
    assert json.loads(elements[1]["value"])["deadline"] == deadline.id
    assert message["metadata"]["event_payload"]["key"].startswith("kamer:m:")
    session.expire_all()
    assert session.exec(select(KamerNotice)).one().posted is True
    rows = session.exec(select(Delivery).where(Delivery.channel == "C0N35")).all()
    assert [r.kind for r in rows if r.status == "sent"] == ["kamer", "reminder"]
    assert all(":2023-11-27:" in r.key for r in rows if r.kind == "reminder")


def test_a_suggestion_is_followed_once_through_its_button(
        engine, team: Session, sched, slack_double, client, kamer, interact, now):
    from tracker.services.refs import resolve_dossier

    n35 = resolve_dossier(team, "N35")
    ks.add_watch_words(session=team, now=now, actor=EDITOR, dossier=n35, words=["Wijthmen"])
    team.commit()
    kamer.activity("2023A05555", "Commissiedebat MIRT: N35 <b>Wijthmen</b>–Nijverdal", DEBATE)
    run_sync(engine=engine, client=client, settings=sched, now=now)
    team.expire_all()
    notice = team.exec(select(KamerNotice)).one()
    run_tick(engine=engine, settings=sched.model_copy(update={"lobby_default_channel": "C0DEF"}),
             notifier=SlackNotifier(make_client(sched), lang="nl"), now=now)
    [message] = [m for m in slack_double.messages if m["via"] == "chat.postMessage"
                 and any(k.startswith("kamer:") for k in _keys(m["metadata"]))]
    assert "&lt;b&gt;Wijthmen&lt;/b&gt;" in json.dumps(message["blocks"])  # never bold, never a tag
    assert [e.get("action_id") for e in message["blocks"][-1]["elements"]] == [
        "kamer_follow", "kamer_view", "kamer_ignore"]
    for _ in range(2):
        assert interact(click("kamer_follow", {"notice": notice.id})).status == 200
    team.expire_all()
    followed = team.exec(select(Deadline).where(Deadline.title.like("Commissiedebat MIRT%"))).all()
    assert len(followed) == 1 and followed[0].due_date == date(2023, 11, 20)
    assert team.get(KamerLink, followed[0].id).nummer == "2023A05555"
    slack_double.wait_for(lambda d: len(d.responses) >= 2)
    assert "Gevolgd als mijlpaal" in json.dumps(slack_double.responses[0]["blocks"])
    assert "Al gevolgd" in slack_double.responses[1]["text"]


def test_ignore_and_a_viewer_cannot(team: Session, engine, sched, client, kamer, interact, now,
                                    slack_double):
    from tests.bot.conftest import VIEWER
    from tracker.services.refs import resolve_dossier

    ks.add_watch_words(session=team, now=now, actor=EDITOR, dossier=resolve_dossier(team, "N35"),
                       words=["Wijthmen"])
    team.commit()
    kamer.activity("2023A05555", "N35 Wijthmen", DEBATE)
    run_sync(engine=engine, client=client, settings=sched, now=now)
    team.expire_all()
    notice = team.exec(select(KamerNotice)).one()
    interact(click("kamer_follow", {"notice": notice.id}, user=VIEWER))
    interact(click("kamer_ignore", {"notice": notice.id}))
    interact(click("kamer_follow", {"notice": notice.id}))
    team.expire_all()
    assert team.get(KamerNotice, notice.id).state == "ignored"
    assert team.exec(select(Deadline).where(Deadline.title == "N35 Wijthmen")).all() == []


def test_slash_commands_follow_words_search_and_link(team: Session, slash, engine, sched, client,
                                                    kamer, now):
    body = reply(slash("/kamer", "volg N35 N35 \"internationaal spoor\""))
    assert "‘internationaal spoor’" in json.dumps(body, ensure_ascii=False) and "‘N35’" in json.dumps(body, ensure_ascii=False)
    assert "volgt in de Tweede Kamer" in reply(slash("/lobby", "kamer volg N35"))["text"]
    body = reply(slash("/kamer", "ontvolg N35 N35"))
    assert "Verwijderd: N35" in json.dumps(body, ensure_ascii=False)
    kamer.activity("2023A07890", "MIRT <script>", DEBATE)
    run_sync(engine=engine, client=client, settings=sched, now=now)
    body = json.dumps(reply(slash("/kamer", "MIRT 30d")), ensure_ascii=False)
    assert "2023A07890" in body and "&lt;script&gt;" in body and "<script>" not in body
    deadline_id = team.exec(select(Deadline.id).where(Deadline.title.like("%MIRT%"),
                                                      Deadline.status == "open")).first()
    body = json.dumps(reply(slash("/deadline", f"koppel {deadline_id} 2023A07890")), ensure_ascii=False)
    assert "volgt nu de agenda van de Tweede Kamer" in body and "commissie IenW" in body
    dossier_code = team.get(Deadline, deadline_id).dossier_id
    from tracker.models import Dossier

    card = json.dumps(reply(slash("/dossier", f"toon {team.get(Dossier, dossier_code).code}")),
                      ensure_ascii=False)
    assert ("Tweede Kamer: Commissiedebat MIRT &lt;script&gt; · commissie IenW · "
            "<https://www.tweedekamer.nl/debat_en_vergadering/commissievergaderingen/"
            "details?id=2023A07890|2023A07890>") in card
    assert "niet aan de Tweede Kamer gekoppeld" not in json.dumps(
        reply(slash("/deadline", f"ontkoppel {deadline_id}")))
    assert "niet aan de Tweede Kamer gekoppeld" in json.dumps(
        reply(slash("/deadline", f"ontkoppel {deadline_id}")))
    assert "activiteitnummer" in json.dumps(reply(slash("/deadline", f"link {deadline_id} zomaar")), ensure_ascii=False)


def test_viewer_may_search_but_not_follow_words(team: Session, slash):
    from tests.bot.conftest import VIEWER

    assert "rol" in json.dumps(ensure_ascii=False, obj=reply(slash("/kamer", "volg N35 Wijthmen", user=VIEWER))).lower()
    assert "Geen komende activiteiten" in json.dumps(ensure_ascii=False, obj=reply(slash("/kamer", "zoek MIRT",
                                                                 user=VIEWER)))




def test_follow_on_a_search_result_uses_the_channels_dossier(team: Session, slash, interact,
                                                              engine, sched, client, kamer, now,
                                                              slack_double):
    from tracker.services.refs import resolve_dossier

    kamer.activity("2023A07890", "MIRT", DEBATE)
    run_sync(engine=engine, client=client, settings=sched, now=now)
    found = reply(slash("/kamer", "zoek MIRT"))
    assert validate_blocks(found["blocks"]) == []
    value = json.loads(found["blocks"][1]["accessory"]["value"])
    n35 = resolve_dossier(team, "N35")
    n35.channel = "C0N35"
    team.commit()
    payload = click("kamer_follow_activity", value)
    payload["channel"] = {"id": n35.channel}
    for _ in range(2):
        interact(dict(payload))
    payload["channel"] = {"id": "C0NOBODY"}
    interact(dict(payload))
    team.expire_all()
    made = team.exec(select(Deadline).where(Deadline.title == "Commissiedebat MIRT",
                                            Deadline.dossier_id == n35.id)).all()
    assert len(made) == 1 and made[0].due_time is not None
    slack_double.wait_for(lambda d: len(d.responses) >= 3)
    assert "hoort niet bij één dossier" in slack_double.responses[2]["text"]


def test_the_add_form_links_a_coming_activity_found_as_you_type(
        team: Session, slash, interact, engine, sched, client, kamer, now, slack_double):
    from tests.bot.listeners.test_actions_views import submission
    from tests.bot.listeners.test_options import suggest
    from tracker.services.refs import resolve_dossier

    kamer.activity("2023A07890", "MIRT <i>najaar</i>", DEBATE)
    run_sync(engine=engine, client=client, settings=sched, now=now)
    slash("/deadline", "nieuw")
    slack_double.wait_for(lambda d: d.calls_to("views.open"))
    view = slack_double.calls_to("views.open")[0].params["view"]
    [block] = [b for b in view["blocks"] if b.get("block_id") == "kamer"]
    assert block["optional"] and block["element"]["action_id"] == "kamer_search"
    assert validate_blocks(view["blocks"], surface="modal") == []
    payload = suggest("mirt")
    payload["action_id"], payload["block_id"] = "kamer_search", "kamer"
    options = json.loads(interact(payload).body)["options"]
    assert [o["value"] for o in options] == ["2023A07890"]
    assert options[0]["text"]["text"] == "ma 20 nov 2023 · Commissiedebat MIRT <i>najaar</i> · 2023A07890"
    n35 = resolve_dossier(team, "N35")
    response = interact(submission("deadline_add", {
        "dossier": {"type": "static_select", "selected_option": {"value": str(n35.id)}},
        "due": {"type": "datepicker", "selected_date": "2023-11-20"},
        "title": {"type": "plain_text_input", "value": "Commissiedebat MIRT"},
        "kamer": {"type": "external_select", "selected_option": {"value": "2023A07890"}},
    }, {"channel": "C0LOBBY"}))
    assert response.status == 200, response.body
    team.expire_all()
    made = team.exec(select(Deadline).where(Deadline.title == "Commissiedebat MIRT")).one()
    assert team.get(KamerLink, made.id).nummer == "2023A07890"
    assert made.due_time is not None  # filled from the activity


def _keys(metadata: dict) -> list[str]:
    """The ledger keys a posted message shows (one, or a bundle's list)."""
    payload = metadata.get("event_payload") or {}
    return list(payload.get("keys") or [payload.get("key") or ""])
