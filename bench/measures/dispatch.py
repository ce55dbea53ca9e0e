"""In-process `app.dispatch` of signed slash commands on the large dataset (median ≤ 3 ms, p99
≤ 15 ms each), beside the floor: a bare Bolt app whose handler only acks, with the same signing
and the same `process_before_response=True`."""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bench.context import Context
from bench.timing import Row, summarise, time_calls
from bot.app import create_app
from tests.signing import SECRET, command_body, sign
from tests.slack_double import SlackDouble
from tracker.settings import load_settings

# The dataset's pinned instant (bench.data): Wednesday 15 November 2023, 10:00 Amsterdam.
NOW = datetime(2023, 11, 15, 9, 0, tzinfo=UTC)
USER = "U0BENCHED"  # an admin (LOBBY_ADMINS), so /deadline add is allowed
# /deadline add last: it refreshes the adder's App Home after the ack (once the burst of adds
# is over, on a worker thread), and that work would otherwise run during the next measurement.
COMMANDS = (
    ("/lobby", "help"),
    ("/dossier", "show D0050"),
    ("/dossier", "list"),
    ("/deadline", "list"),
    # A new milestone each time (`numbered`), spread over dossiers and days as a team's adds
    # are: the same one again would be refused as "bestaat al" and measure the refusal.
    ("/deadline", "add D{dossier:04d} over {days} dagen | Overleg bench {n}"),
)
# What each reply must say, so a refusal is never measured as an answer.
EXPECTED = {"help": "/dossier", "show": "D0050", "list": "", "add": "toegevoegd"}
MEDIAN_TARGET_MS = 3.0
REPEATS = 3
P99_TARGET_MS = 15.0


def bare_app(client: WebClient) -> App:
    """The floor: Bolt with the same signing and execution mode, a handler that only acks."""
    app = App(client=client, signing_secret=SECRET, process_before_response=True,
              token_verification_enabled=False)
    for name in ("/lobby", "/dossier", "/deadline"):
        app.command(name)(lambda ack: ack("ok"))
    return app


_SERIAL = itertools.count(1)  # next() is atomic under the GIL: every add gets its own number


def numbered(template: str) -> str:
    """A command's words with `{n}` (a number of its own), `{dossier}` (one of D0001–D0100)
    and `{days}` (1–90) filled in; words without them as they are."""
    if "{" not in template:
        return template
    n = next(_SERIAL)
    return template.format(n=n, dossier=n % 100 + 1, days=n % 90 + 1)


def dispatcher(app: App, command: str, text: str, response_url: str) -> Callable[[], None]:
    """One signed request through `app`; an answer that is not 200 is an error. Each call is a
    new request (its own trigger_id and signature), as from Slack: the same signed body twice
    would be a replay, answered from memory (bot.idempotency) and measure nothing."""
    def call() -> None:
        body = command_body(command, numbered(text), user=USER, response_url=response_url)
        response = app.dispatch(BoltRequest(body=body, headers=sign(body)))
        if response.status != 200:
            raise RuntimeError(f"dispatch answered {response.status}: {response.body[:200]}")
    return call


def check_reply(app: App, command: str, text: str, response_url: str) -> str:
    """The reply's fallback text (and that it is a real answer, not an error)."""
    body = command_body(command, numbered(text), user=USER, response_url=response_url)
    response = app.dispatch(BoltRequest(body=body, headers=sign(body)))
    reply = json.loads(response.body)
    shown = json.dumps(reply, ensure_ascii=False)
    if "fout-id" in shown or EXPECTED[text.split()[0]] not in shown:
        raise RuntimeError(f"{command} {text}: not answered as expected: {reply.get('text')}")
    return str(reply.get("text", ""))


def run(ctx: Context) -> list[Row]:
    url = ctx.large_sqlite()
    runs, warmup = (100, 10) if ctx.quick else (1000, 50)
    engine = ctx.engine(url)
    rows: list[Row] = []
    with SlackDouble() as double:
        settings = load_settings(_env_file=None, DATABASE_URL=url, SLACK_BOT_TOKEN=double.token,
                                 SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=double.url,
                                 LOBBY_ADMINS=USER)
        app = create_app(settings, engine=engine, clock=lambda: NOW)
        floor_app = bare_app(WebClient(token=double.token, base_url=double.url))
        try:
            response_url = double.response_url()
            for command, text in COMMANDS:
                check_reply(app, command, text, response_url)
                medians, p99s, floor_medians, floor_p99s = [], [], [], []
                for _ in range(REPEATS):  # three runs, each with its floor measured beside it
                    median, p99 = summarise(time_calls(
                        dispatcher(app, command, text, response_url), runs=runs, warmup=warmup))
                    floor_median, floor_p99 = summarise(time_calls(
                        dispatcher(floor_app, command, text, response_url), runs=runs,
                        warmup=warmup))
                    medians.append(median)
                    p99s.append(p99)
                    floor_medians.append(floor_median)
                    floor_p99s.append(floor_p99)
                median, p99 = statistics.median(medians), statistics.median(p99s)
                floor_median = statistics.median(floor_medians)
                ok = median <= MEDIAN_TARGET_MS and p99 <= P99_TARGET_MS
                runs_text = ", ".join(f"{m:.2f}" for m in medians)
                floors_text = ", ".join(f"{m:.2f}" for m in floor_medians)
                rows.append(Row(f"dispatch {command} {text.split()[0]}", median, p99,
                                target=f"≤ {MEDIAN_TARGET_MS:g} ms, p99 ≤ {P99_TARGET_MS:g} ms",
                                ok=ok, floor_ms=floor_median,
                                note=f"median of {REPEATS} runs of {runs} (medians {runs_text} "
                                     f"ms; floor {floors_text} ms)",
                                extra={"runs": runs, "repeats": REPEATS, "medians_ms": medians,
                                       "floor_medians_ms": floor_medians,
                                       "floor_p99_ms": statistics.median(floor_p99s),
                                       "sizes": ctx.sizes}))
            # The App Home refreshes wait for the burst of adds to end (bot.debounce): the
            # drain below runs what is still pending; at least one must have been published.
            app.lobby_deps.drain()  # type: ignore[attr-defined]
            published = len(double.calls_to("views.publish"))
            if published < 1:
                raise RuntimeError("no App Home refresh after the adds")
            rows[-1].note += (f"; {published} App Home refresh(es) for "
                              f"{1 + REPEATS * (warmup + runs)} adds")
        finally:
            # The after-ack work (App Home refreshes) ends before the Slack double stops.
            app.lobby_deps.drain()  # type: ignore[attr-defined]
            app.listener_runner.listener_executor.shutdown(wait=True)
            engine.dispose()
    return rows
