"""`lobby kamer sync [--now ISO] [--force]`, and `lobby kamer volg|ontvolg|zoek …` as /kamer.

Only argparse at import time: `register` runs for every `lobby` invocation."""

from __future__ import annotations

import argparse


def _kamer(args: argparse.Namespace) -> int:
    if args.words[:1] != ["sync"]:
        from tracker.cli import slash_command

        args.slash, args.prefix = "/kamer", []
        return slash_command(args)
    return _sync(_sync_parser().parse_args(args.words[1:]))


def _sync_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lobby kamer sync",
                                     description="read what changed in the Tweede Kamer")
    parser.add_argument("--now", help="the moment to sync as (ISO 8601), for tests and replays")
    parser.add_argument("--force", action="store_true",
                        help="do not wait for the back-off after failures")
    return parser


def _sync(args: argparse.Namespace) -> int:
    from tracker.app import utc_now
    from tracker.cli import UsageError, open_runtime
    from tracker.kamer.feed import open_sources
    from tracker.kamer.sync import run_sync
    from tracker.scheduling.cli import parse_now

    runtime = open_runtime(args)
    try:
        try:
            now = parse_now(args.now, runtime.settings.tz) if args.now else utc_now()
        except ValueError as exc:
            raise UsageError(f"--now: geen geldig tijdstip ‘{args.now}’; bijvoorbeeld "
                             "2023-11-15T10:00+01:00") from exc
        with open_sources(runtime.settings) as (client, feed):
            report = run_sync(engine=runtime.engine, client=client, settings=runtime.settings,
                              now=now, respect_backoff=not args.force, feed=feed)
    finally:
        runtime.close()
    if report.status == "failed":  # the source is down: one line on stderr, nothing half done
        import sys

        print(report.summary(), file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `lobby kamer`."""
    kamer = sub.add_parser("kamer", help="Tweede Kamer: sync, and /kamer volg|ontvolg|zoek")
    kamer.add_argument("words", nargs=argparse.REMAINDER,
                       help="sync [--now ISO] [--force] | volg N35 N35 Wijthmen | zoek MIRT 60d")
    kamer.set_defaults(func=_kamer)
