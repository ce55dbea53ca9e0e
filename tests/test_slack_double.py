"""The Slack Web API double behaves like Slack for a real ``slack_sdk`` client."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, HeaderBlock, SectionBlock
from slack_sdk.webhook import WebhookClient

from tests.slack_double import SlackDouble, validate_blocks, validate_view

# slack_double, slack_client and make_slack_double come from tests/slack_fixtures.py,
# loaded by tests/conftest.py (pytest_plugins).


def section(text: str, **extra: object) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str, action_id: str) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text},
            "action_id": action_id}


# --------------------------------------------------------------------------- basics


def test_post_message_answers_like_slack_and_is_recorded(
    slack_double: SlackDouble, slack_client: WebClient
) -> None:
    first = slack_client.chat_postMessage(channel="C0LOBBY", text="Over 7 dagen: MIRT",
                                          blocks=[section("*Kamerdebat MIRT*")])
    second = slack_client.chat_postMessage(channel="C0LOBBY", text="tweede",
                                           thread_ts=first["ts"])

    assert slack_double.url.endswith("/api/")
    assert slack_double.url.startswith("http://127.0.0.1:")
    assert first["ok"] is True
    assert first["channel"] == "C0LOBBY"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "Over 7 dagen: MIRT"
    assert first["message"]["bot_id"] == "B0LOBBYBOT"
    assert second["message"]["thread_ts"] == first["ts"]

    [call, _] = slack_double.calls_to("chat.postMessage")
    assert call.params["blocks"][0]["text"]["text"] == "*Kamerdebat MIRT*"
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert call.status == 200
    assert call.ok
    assert [m["text"] for m in slack_double.messages] == ["Over 7 dagen: MIRT", "tweede"]
    assert slack_double.messages[1]["thread_ts"] == first["ts"]
    assert slack_double.messages[0]["via"] == "chat.postMessage"


def test_form_encoded_calls_have_their_json_params_decoded(slack_double: SlackDouble) -> None:
    client = WebClient(token="xoxb-test", base_url=slack_double.url)
    client.api_call("chat.postMessage", params={
        "channel": "C1", "text": "x", "blocks": '[{"type": "divider"}]'})

    assert slack_double.calls[0].params["blocks"] == [{"type": "divider"}]
    assert slack_double.messages[0]["blocks"] == [{"type": "divider"}]


def test_auth_test_describes_the_bot(slack_client: WebClient) -> None:
    response = slack_client.auth_test()

    assert response["team_id"] == "T0LOBBY"
    assert response["user_id"] == "U0LOBBYBOT"
    assert response["bot_id"] == "B0LOBBYBOT"
    assert response["url"].startswith("https://")


@pytest.mark.parametrize(("token", "error"), [("xoxb-wrong", "invalid_auth"), (None, "not_authed")])
def test_a_wrong_or_missing_token_is_refused(
    slack_double: SlackDouble, token: str | None, error: str
) -> None:
    client = WebClient(token=token, base_url=slack_double.url)

    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="hallo")

    assert caught.value.response["error"] == error
    assert slack_double.messages == []


def test_unknown_methods_are_refused(slack_client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        slack_client.api_call("chat.sendCarrierPigeon")

    assert caught.value.response["error"] == "unknown_method"


def test_update_delete_permalink_and_ephemeral(
    slack_double: SlackDouble, slack_client: WebClient
) -> None:
    posted = slack_client.chat_postMessage(channel="C1", text="oud", blocks=[section("oud")])
    updated = slack_client.chat_update(channel="C1", ts=posted["ts"], text="nieuw")
    link = slack_client.chat_getPermalink(channel="C1", message_ts=posted["ts"])
    slack_client.chat_postEphemeral(channel="C1", user="U0ANNEKE", text="alleen voor jou")

    assert updated["text"] == "nieuw"
    # Slack keeps the old blocks when an update carries none.
    assert slack_double.history("C1")[0]["blocks"] == [section("oud")]
    assert [m["via"] for m in slack_double.messages] == ["chat.postMessage", "chat.update"]
    assert link["permalink"].endswith("/archives/C1/p1700000000000100")
    assert slack_double.ephemerals[0]["user"] == "U0ANNEKE"
    assert len(slack_double.history("C1")) == 1

    slack_client.chat_delete(channel="C1", ts=posted["ts"])
    assert slack_double.history("C1") == []
    with pytest.raises(SlackApiError) as caught:
        slack_client.chat_update(channel="C1", ts=posted["ts"], text="weg")
    assert caught.value.response["error"] == "message_not_found"


def test_dm_and_users(slack_double: SlackDouble, slack_client: WebClient) -> None:
    dm = slack_client.conversations_open(users="U0ANNEKE")["channel"]["id"]
    posted = slack_client.chat_postMessage(channel="U0ANNEKE", text="herinnering")
    anneke = slack_client.users_info(user="U0ANNEKE")["user"]
    stranger = slack_client.users_info(user="U9NEW")["user"]

    assert dm.startswith("D")
    assert posted["channel"] == dm
    assert anneke["profile"]["real_name"] == "Anneke de Vries"
    assert anneke["tz"] == "Europe/Amsterdam"
    assert anneke["tz_offset"] in (3600, 7200)
    assert stranger["id"] == "U9NEW"
    with pytest.raises(SlackApiError) as caught:
        slack_client.users_info(user="nobody")
    assert caught.value.response["error"] == "user_not_found"


def test_channel_names_resolve_to_one_id(slack_double: SlackDouble, slack_client: WebClient
                                         ) -> None:
    first = slack_client.chat_postMessage(channel="#lobby", text="a")
    second = slack_client.chat_postMessage(channel="lobby", text="b")

    assert first["channel"] == second["channel"] == slack_double.channel_names["lobby"]
    assert len(slack_double.post_times("#lobby")) == 2


# --------------------------------------------------------------------------- failures


def test_rate_limit_answers_429_with_retry_after(make_slack_double: Callable[..., SlackDouble]
                                                 ) -> None:
    double = make_slack_double(rate_limit_per_channel=1.0)
    client = WebClient(token=double.token, base_url=double.url)

    client.chat_postMessage(channel="C1", text="eerste")
    client.chat_postMessage(channel="C2", text="ander kanaal mag")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="te snel")

    response = caught.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    assert int(response.headers["Retry-After"]) >= 1
    assert double.rate_limit_hits("C1") == 1
    assert double.rate_limit_hits() == 1
    assert len(double.post_times("C1")) == 1
    assert [m["text"] for m in double.messages] == ["eerste", "ander kanaal mag"]


def test_retry_handler_waits_out_the_rate_limit(make_slack_double: Callable[..., SlackDouble]
                                                ) -> None:
    double = make_slack_double(rate_limit_per_channel=1.0)
    client = WebClient(token=double.token, base_url=double.url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])

    client.chat_postMessage(channel="C1", text="een")
    response = client.chat_postMessage(channel="C1", text="twee")

    assert response["ok"] is True
    first, second = double.post_times("C1")
    assert second - first >= 1.0
    assert double.rate_limit_hits("C1") >= 1
    assert [c.status for c in double.calls_to("chat.postMessage")][-1] == 200


def test_queued_429_is_retried_by_slack_sdk(slack_double: SlackDouble) -> None:
    slack_double.fail_next("chat.postMessage", retry_after=1)
    client = WebClient(token=slack_double.token, base_url=slack_double.url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])

    response = client.chat_postMessage(channel="C1", text="na de pauze")

    assert response["ok"] is True
    calls = slack_double.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert len(slack_double.messages) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_surface_as_slack_api_errors(
    slack_double: SlackDouble, slack_client: WebClient, status: int
) -> None:
    slack_double.fail_next("chat.postMessage", status=status, times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            slack_client.chat_postMessage(channel="C1", text="x")
        assert caught.value.response.status_code == status

    assert slack_client.chat_postMessage(channel="C1", text="x")["ok"] is True


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_queued_and_permanent_channel_errors(
    slack_double: SlackDouble, slack_client: WebClient, error: str
) -> None:
    slack_double.fail_next("chat.postMessage", error=error)
    slack_double.bad_channels["C0GONE"] = error

    with pytest.raises(SlackApiError) as queued:
        slack_client.chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError) as permanent:
        slack_client.chat_postMessage(channel="C0GONE", text="x")

    assert queued.value.response.status_code == 200
    assert queued.value.response["error"] == error
    assert permanent.value.response["error"] == error
    assert slack_double.messages == []


def test_down_answers_503_until_back_up(slack_double: SlackDouble, slack_client: WebClient
                                        ) -> None:
    slack_double.set_down(True)
    with pytest.raises(SlackApiError) as caught:
        slack_client.auth_test()
    slack_double.set_down(False)

    assert caught.value.response.status_code == 503
    assert slack_client.auth_test()["ok"] is True


def test_reset_forgets_everything(slack_double: SlackDouble, slack_client: WebClient) -> None:
    slack_client.chat_postMessage(channel="C1", text="x")
    slack_double.fail_next("auth.test", error="invalid_auth")

    slack_double.reset()

    assert slack_double.calls == []
    assert slack_double.messages == []
    assert slack_client.auth_test()["ok"] is True


def test_concurrent_posts_get_unique_timestamps(slack_double: SlackDouble) -> None:
    client = WebClient(token=slack_double.token, base_url=slack_double.url)

    def post(n: int) -> None:
        for i in range(5):
            client.chat_postMessage(channel=f"C{n % 3}", text=f"{n}-{i}")

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stamps = [m["ts"] for m in slack_double.messages]
    assert len(stamps) == 40
    assert len(set(stamps)) == 40
    assert len(slack_double.calls) == 40


# --------------------------------------------------------------------------- Block Kit


def test_invalid_blocks_are_rejected_with_an_explanation(
    slack_double: SlackDouble, slack_client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as caught:
        slack_client.chat_postMessage(channel="C1", text="x", blocks=[section("a" * 3001)])

    response = caught.value.response
    assert response["error"] == "invalid_blocks"
    [message] = response["response_metadata"]["messages"]
    assert "3001" in message
    assert "/blocks/0/text/text" in message
    assert slack_double.rejections[0]["error"] == "invalid_blocks"
    assert slack_double.messages == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"text": ""}, "no_text"), ({"text": "x" * 40_001}, "msg_too_long")],
)
def test_missing_or_overlong_text(
    slack_double: SlackDouble, slack_client: WebClient, kwargs: dict, error: str
) -> None:
    # slack_sdk itself warns before sending a message without text; Slack then refuses it.
    expect_warning = pytest.warns(UserWarning, match="text") if error == "no_text" else (
        contextlib.nullcontext())
    with expect_warning, pytest.raises(SlackApiError) as caught:
        slack_client.chat_postMessage(channel="C1", **kwargs)

    assert caught.value.response["error"] == error
    assert slack_double.rejections[0]["error"] == error


many_options = [{"text": {"type": "plain_text", "text": f"o{i}"}, "value": str(i)}
                for i in range(101)]
BROKEN = {
    "51 blocks": [{"type": "divider"}] * 51,
    "section text": [section("a" * 3001)],
    "header length": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
    "header mrkdwn": [{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}],
    "button text": [{"type": "actions", "elements": [button("b" * 76, "a")]}],
    "button mrkdwn": [{"type": "actions", "elements": [
        {"type": "button", "text": {"type": "mrkdwn", "text": "b"}, "action_id": "a"}]}],
    "block_id": [section("x", block_id="b" * 256)],
    "action_id": [{"type": "actions", "elements": [button("b", "a" * 256)]}],
    "26 actions": [{"type": "actions", "elements": [button("b", f"a{i}") for i in range(26)]}],
    "11 fields": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
    "long field": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
    "11 context": [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
    "option text": [section("x", accessory={"type": "static_select", "action_id": "s",
                                            "options": [{"text": {"type": "plain_text",
                                                                  "text": "o" * 76},
                                                         "value": "1"}]})],
    "101 options": [section("x", accessory={"type": "static_select", "action_id": "s",
                                            "options": many_options})],
    "duplicate action_id": [{"type": "actions", "elements": [button("a", "x"),
                                                             button("b", "x")]}],
    "duplicate block_id": [section("a", block_id="b"), section("b", block_id="b")],
    "empty section": [{"type": "section"}],
    "unknown type": [{"type": "sparkle"}],
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_validator_catches_each_limit(name: str) -> None:
    assert validate_blocks(BROKEN[name], "message"), name


def test_validator_accepts_valid_blocks_at_the_limits() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        section("a" * 3000, block_id="b" * 255),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {"type": "actions", "elements": [button("b" * 75, f"a{i}") for i in range(25)]},
        section("x", accessory={"type": "static_select", "action_id": "s",
                                "options": many_options[:100]}),
        {"type": "divider"},
    ]
    assert validate_blocks(blocks, "message") == []
    assert validate_blocks([{"type": "divider"}] * 50, "message") == []
    assert validate_blocks([{"type": "divider"}] * 100, "home") == []
    assert validate_blocks([{"type": "divider"}] * 101, "modal")


def test_validator_takes_slack_sdk_block_objects() -> None:
    blocks = [HeaderBlock(text="Dossier N35"), SectionBlock(text="*rood*"),
              ActionsBlock(elements=[ButtonElement(text="Afgerond", action_id="done")])]

    assert validate_blocks(blocks, "message") == []
    assert validate_blocks([HeaderBlock(text="h" * 151)], "message")


def test_views_open_publish_and_limits(slack_double: SlackDouble, slack_client: WebClient
                                       ) -> None:
    modal = {"type": "modal", "callback_id": "new_deadline",
             "title": {"type": "plain_text", "text": "Nieuwe deadline"},
             "submit": {"type": "plain_text", "text": "Opslaan"},
             "blocks": [{"type": "input", "block_id": "when",
                         "label": {"type": "plain_text", "text": "Datum"},
                         "element": {"type": "datepicker", "action_id": "date"}}]}
    opened = slack_client.views_open(trigger_id="123.456", view=modal)["view"]
    updated = slack_client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal)
    home = slack_client.views_publish(user_id="U0ANNEKE", view={
        "type": "home", "blocks": [{"type": "divider"}] * 100})

    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "new_deadline"
    assert updated["view"]["id"] == opened["id"]
    assert home["view"]["type"] == "home"
    assert slack_double.home_views["U0ANNEKE"]["id"] == home["view"]["id"]

    too_long = {**modal, "title": {"type": "plain_text", "text": "t" * 25}}
    with pytest.raises(SlackApiError) as caught:
        slack_client.views_open(trigger_id="123.456", view=too_long)
    assert caught.value.response["error"] == "invalid_arguments"
    assert "/view/title/text" in caught.value.response["response_metadata"]["messages"][0]
    with pytest.raises(SlackApiError):
        slack_client.views_publish(user_id="U0ANNEKE", view={
            "type": "home", "blocks": [{"type": "divider"}] * 101})
    with pytest.raises(SlackApiError) as stale:
        slack_client.views_update(view_id=opened["id"], hash="old", view=modal)
    assert stale.value.response["error"] == "hash_conflict"
    assert [r["method"] for r in slack_double.rejections] == ["views.open", "views.publish"]


def test_validate_view_requires_submit_with_inputs() -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Nieuw"},
            "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "x"},
                        "element": {"type": "plain_text_input", "action_id": "x"}}]}

    assert any("/view/submit" in e for e in validate_view(view))


# --------------------------------------------------------------------------- files, history


def test_files_upload_v2_end_to_end(slack_double: SlackDouble, slack_client: WebClient
                                    ) -> None:
    anchor = slack_client.chat_postMessage(channel="C1", text="Halfjaardigest")

    response = slack_client.files_upload_v2(
        channel="C1", content=b"%PDF-1.4 digest", filename="digest-2023H2.pdf",
        title="Digest H2 2023", initial_comment="De digest als bijlage", thread_ts=anchor["ts"])

    assert response["file"]["title"] == "Digest H2 2023"
    [upload] = slack_double.files
    assert upload["content"] == b"%PDF-1.4 digest"
    assert upload["length"] == len(b"%PDF-1.4 digest")
    assert upload["filename"] == "digest-2023H2.pdf"
    assert upload["channel_id"] == "C1"
    assert upload["initial_comment"] == "De digest als bijlage"
    assert upload["thread_ts"] == anchor["ts"]
    assert [c.method for c in slack_double.calls[1:]] == [
        "files.getUploadURLExternal", "upload_url", "files.completeUploadExternal"]


def test_history_returns_newest_first_with_metadata_on_request(
    slack_double: SlackDouble, slack_client: WebClient
) -> None:
    metadata = {"event_type": "lobby_reminder", "event_payload": {"delivery": "dl-42"}}
    first = slack_client.chat_postMessage(channel="C1", text="een", metadata=metadata)
    slack_client.chat_postMessage(channel="C1", text="reactie", thread_ts=first["ts"])
    slack_client.chat_postMessage(channel="C1", text="twee")
    slack_client.chat_postMessage(channel="C1", text="drie")

    plain = slack_client.conversations_history(channel="C1")["messages"]
    full = slack_client.conversations_history(channel="C1", include_all_metadata=True)
    since = slack_client.conversations_history(channel="C1", oldest=first["ts"], limit=1)

    assert [m["text"] for m in plain] == ["drie", "twee", "een"]
    assert "metadata" not in plain[-1]
    assert full["messages"][-1]["metadata"] == metadata
    assert [m["text"] for m in since["messages"]] == ["drie"]
    assert since["has_more"] is True
    assert slack_double.messages[0]["metadata"] == metadata


def test_metadata_must_have_event_type_and_payload(slack_client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        slack_client.chat_postMessage(channel="C1", text="x", metadata={"event_type": "x"})

    assert caught.value.response["error"] == "invalid_metadata_format"


# --------------------------------------------------------------------------- response_url


def test_response_url_posts_are_recorded(slack_double: SlackDouble, slack_client: WebClient
                                         ) -> None:
    posted = slack_client.chat_postMessage(channel="C1", text="Herinnering",
                                           blocks=[section("Over 7 dagen")])
    url = slack_double.response_url("r1", channel="C1", message_ts=posted["ts"])
    ephemeral_url = slack_double.response_url("r2")

    replaced = WebhookClient(url).send(text="Afgerond ✓", replace_original=True,
                                       blocks=[section("~Over 7 dagen~ afgerond")])
    ephemeral = WebhookClient(ephemeral_url).send(text="Onbekend dossier", response_type="ephemeral")
    refused = WebhookClient(ephemeral_url).send(text="x", blocks=[section("a" * 3001)])

    assert replaced.status_code == 200
    assert ephemeral.status_code == 200
    assert refused.status_code == 400
    assert [r["name"] for r in slack_double.responses] == ["r1", "r2"]
    assert slack_double.responses[0]["replace_original"] is True
    assert slack_double.responses[1]["text"] == "Onbekend dossier"
    assert slack_double.history("C1")[0]["text"] == "Afgerond ✓"
    assert slack_double.messages[-1]["via"] == "response_url"
    assert slack_double.rejections[-1]["method"] == "response_url"


def test_wait_for_calls_sees_posts_from_other_threads(slack_double: SlackDouble) -> None:
    client = WebClient(token=slack_double.token, base_url=slack_double.url)
    worker = threading.Timer(0.05, client.chat_postMessage, kwargs={"channel": "C1", "text": "x"})
    worker.start()

    [call] = slack_double.wait_for_calls("chat.postMessage", timeout=5)
    worker.join()

    assert call.params["text"] == "x"
