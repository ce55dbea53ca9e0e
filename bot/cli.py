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
    settings = settings_from_env()
    logging.getLogger("lobby.serve").info("%s", sources_line(settings))
    return serve(settings, scheduler=not args.no_scheduler, host=args.host)


def sources_line(settings: object) -> str:
    """`database: sqlite:////…/lobby.db; .env: /srv/lobby/.env` (no password): the first log line."""
    from sqlalchemy.engine import make_url

    from tracker.settings import env_file

    url = make_url(settings.database_url).render_as_string(hide_password=True)  # type: ignore[attr-defined]
    chosen = env_file()
    return f"database: {url}; .env: {chosen if chosen else 'none (environment only)'}"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `lobby serve`."""
    serve = sub.add_parser("serve", help="run the Slack app (HTTP or Socket Mode) and the scheduler")
    serve.add_argument("--no-scheduler", action="store_true",
                       help="run the Slack app only (another process runs the scheduler)")
    serve.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    serve.set_defaults(func=_serve)

    manifest = sub.add_parser("manifest", help="print the Slack app manifest for HTTP mode or "
                                               "Socket Mode")
    mode = manifest.add_mutually_exclusive_group()
    mode.add_argument("--http", metavar="BASE_URL",
                      help="HTTP mode: request URLs under BASE_URL (https://…), Socket Mode off")
    mode.add_argument("--socket", action="store_true",
                      help="Socket Mode: no request URLs (the default; what manifest.yaml holds)")
    manifest.set_defaults(func=_manifest)


def _manifest(args: argparse.Namespace) -> int:
    from bot.manifest import manifest_command

    return manifest_command(args)
