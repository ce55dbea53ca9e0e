"""`lobby digest [--period P] [--format text|markdown|json|docx|pdf] [--post CHANNEL] [--chart FILE]
[-o FILE]`: docx and pdf are the council-ready report (bytes; stdout only when redirected)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

POSTER_GROUP = "lobbytracker.poster"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `digest` subcommand."""
    cmd = sub.add_parser("digest", help="the digest of a period: text, Markdown, JSON, or posted")
    cmd.add_argument("--period", default="",
                     help="2023H1, H2 2023, 2023Q3, 2023-11, week, maand (default: this half-year)")
    cmd.add_argument("--format", choices=("text", "markdown", "json", "docx", "pdf"), default="text",
                     help="docx/pdf: the council-ready report (with -o FILE)")
    cmd.add_argument("--post", metavar="CHANNEL", help="post it in this Slack channel")
    cmd.add_argument("--chart", metavar="FILE", help="write the PNG chart to FILE")
    cmd.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    cmd.add_argument("--lang", choices=("nl", "en"), help="default: LOBBY_LANGUAGE")
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the digest and write, chart and post it as asked."""
    from tracker.app import utc_now
    from tracker.cli import UsageError, open_runtime
    from tracker.dates import parse_period
    from tracker.db import session_scope
    from tracker.digest.build import build_digest

    runtime = open_runtime(args)
    settings = runtime.settings
    lang = args.lang or settings.lobby_language
    try:
        now = utc_now()
        period = parse_period(args.period, now=now, tz=settings.tz)
        with session_scope(runtime.engine) as session:
            digest = build_digest(session=session, period=period, now=now, tz=settings.tz)
    finally:
        runtime.close()

    poster = None
    if args.post:  # check before writing anything: a missing Slack setup is a usage error
        if not settings.slack_bot_token:
            raise UsageError("--post: SLACK_BOT_TOKEN ontbreekt / is not set")
        poster = _poster(settings)

    chart_name = None
    if args.chart:
        from tracker.digest.chart import render_chart

        png = render_chart(digest, lang)
        if png is None:
            print("geen grafiek: geen indicatoren of begroting in deze periode / no chart",
                  file=sys.stderr)
        else:
            Path(args.chart).write_bytes(png)
            chart_name = args.chart

    if args.format in ("docx", "pdf"):
        _write_report(digest, args.format, lang, args.output)
    else:
        _write_text(_render(digest, args.format, lang, chart_name), args.output)

    if poster is not None:
        if digest.is_empty:
            print(f"{args.post}: niets te melden, niet geplaatst / nothing to report, not posted",
                  file=sys.stderr)
        else:
            ts = poster(args.post, digest)
            print(f"{args.post}: geplaatst / posted (ts {ts})", file=sys.stderr)
    return 0


def _write_text(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _write_report(digest, fmt: str, lang: str, output: str | None) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli import UsageError
    from tracker.digest.report import render_report

    if not output and sys.stdout.isatty():
        raise UsageError(f"--format {fmt}: geef een bestand met -o, bijvoorbeeld "
                         f"-o rapport.{fmt} / give a file with -o")
    data = render_report(digest, fmt, lang)
    if output:
        Path(output).write_bytes(data)
        print(f"{output}: {len(data):,} bytes".replace(",", "."), file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _render(digest, fmt: str, lang: str, chart: str | None) -> str:  # type: ignore[no-untyped-def]
    if fmt == "markdown":
        from tracker.digest.markdown import render_markdown

        return render_markdown(digest, lang, chart_path=chart)
    if fmt == "json":
        from tracker.digest.serialize import render_json

        return render_json(digest)
    from tracker.digest.text import render_text

    return render_text(digest, lang)


def _poster(settings):  # type: ignore[no-untyped-def]
    from importlib.metadata import entry_points

    from tracker.cli import UsageError

    found = sorted(entry_points(group=POSTER_GROUP), key=lambda e: e.name)
    if not found:
        raise UsageError("--post: geen Slack-koppeling geïnstalleerd / no Slack poster installed "
                         f"(entry point group {POSTER_GROUP})")
    return found[0].load()(settings)
