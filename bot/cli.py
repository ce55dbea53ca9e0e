"""`lobby serve`: added to the `lobby` command through the `lobbytracker.cli` entry point."""

from __future__ import annotations

import argparse
import logging


def _serve(args: argparse.Namespace) -> int:
    from bot.server import serve
    from tracker.cli import settings_from_env

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin list at every start
    from bot import logsafe

    logsafe.install()  # no response_url, token or signature in any line; one line per record
    return serve(settings_from_env(), scheduler=not args.no_scheduler, host=args.host)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `lobby serve`."""
    serve = sub.add_parser("serve", help="run the Slack app (HTTP or Socket Mode) and the scheduler")
    serve.add_argument("--no-scheduler", action="store_true",
                       help="run the Slack app only (another process runs the scheduler)")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    serve.set_defaults(func=_serve)
