"""Resident memory (VmRSS) of `lobby serve --no-scheduler` in HTTP mode on the large dataset,
after it answered a few signed slash commands."""

from __future__ import annotations

import http.client
import time

from bench.context import Context
from bench.measures.dispatch import COMMANDS, USER
from bench.serve import lobby_serve, rss_mb
from bench.timing import Row
from tests.signing import command_body, sign
from tests.slack_double import SlackDouble

ROUNDS = 5  # each command this many times (no target: the issue asks for the figure)


def run(ctx: Context) -> list[Row]:
    url = ctx.large_sqlite()
    with SlackDouble() as double, lobby_serve(ctx, database_url=url, slack_api_url=double.url,
                                              token=double.token, name="memory") as (proc, port):
        idle = rss_mb(proc.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for _ in range(ROUNDS):
                for command, text in COMMANDS:
                    body = command_body(command, text, user=USER,
                                        response_url=double.response_url())
                    conn.request("POST", "/slack/events", body=body.encode(), headers={
                        "Content-Type": "application/x-www-form-urlencoded", **sign(body)})
                    answer = conn.getresponse()
                    answer.read()
                    if answer.status != 200:
                        raise RuntimeError(f"{command} {text}: HTTP {answer.status}")
        finally:
            conn.close()
        # The App Home refreshes after each /deadline add run after the ack: let them finish.
        deadline = time.monotonic() + 10
        while len(double.calls_to("views.publish")) < ROUNDS and time.monotonic() < deadline:
            time.sleep(0.05)
        after = rss_mb(proc.pid)
    sizes = ctx.sizes
    return [Row(f"lobby serve RSS ({sizes['deadlines']:,} deadlines, "
                f"{sizes['events']:,} events)", None, None,
                note=f"RSS {after:.1f} MB after {ROUNDS * len(COMMANDS)} requests "
                     f"({idle:.1f} MB when ready)",
                extra={"rss_mb": after, "rss_ready_mb": idle})]
