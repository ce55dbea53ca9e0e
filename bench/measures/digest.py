"""Building and rendering a half-year digest for 1,000 dossiers and 20,000 events (≤ 500 ms),
and that every rendering of it stays within Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bench.context import Context
from bench.data import build_large_dataset
from bench.timing import Row, summarise, time_calls
from bot.render.digest import render_digest
from tests.slack_double import validate_blocks
from tracker.dates import parse_period
from tracker.digest import build_digest
from tracker.digest.markdown import render_markdown

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def run(ctx: Context) -> list[Row]:
    url = ctx.fresh_sqlite("digest")
    engine = ctx.engine(url)
    dossiers, events = (100, 2000) if ctx.quick else (1000, 20_000)
    build_large_dataset(engine, dossiers=dossiers, deadlines=3 * dossiers, events=events,
                        now=datetime(2023, 12, 31, 12, tzinfo=UTC))
    period = parse_period("2023H2", now=NOW, tz=TZ)
    runs = 3 if ctx.quick else 15
    with Session(engine) as session:
        def build():  # type: ignore[no-untyped-def]
            session.expire_all()
            return build_digest(session=session, period=period, now=NOW, tz=TZ)

        def build_and_render() -> None:
            render_digest(build(), "nl")

        build_ms = time_calls(build, runs=runs, warmup=1)
        slack_ms = time_calls(build_and_render, runs=runs, warmup=1)
        digest = build()
        md_ms = time_calls(lambda: render_markdown(digest, "nl"), runs=runs, warmup=1)
        messages = render_digest(digest, "nl")
    engine.dispose()
    problems = [p for m in messages for p in validate_blocks(m.payload()["blocks"], "message")]
    size = f"{dossiers} dossiers, {events} events"
    bm, bp = summarise(build_ms)
    sm, sp = summarise(slack_ms)
    mm, mp = summarise(md_ms)
    return [
        Row(f"digest build ({size})", bm, bp),
        Row(f"digest build + Slack render ({size})", sm, sp, target="≤ 500 ms", ok=sm <= 500,
            note=f"{len(messages)} messages (first in channel, rest in thread); "
                 f"{len(problems)} Slack-limit violations"),
        Row("digest Markdown render", mm, mp),
        Row("digest Slack limits", None, None, target="0 violations", ok=not problems,
            note="; ".join(problems[:3])),
    ]
