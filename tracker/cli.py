"""The `lobby` command line. Adapters (the Slack app, the demo) add their subcommands through the
`lobbytracker.cli` entry-point group, so tracker/ never imports them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from pydantic import ValidationError

from tracker.app import Runtime, utc_now
from tracker.commands import parse_command
from tracker.db import session_scope
from tracker.errors import LobbyError
from tracker.execute import execute
from tracker.render_text import render_text
from tracker.settings import Settings, load_settings

Handler = Callable[[argparse.Namespace], int]
PLUGIN_GROUP = "lobbytracker.cli"


class UsageError(Exception):
    """A problem with how `lobby` was called or configured (exit code 2)."""


def settings_from_env() -> Settings:
    """The settings, or a UsageError naming what is wrong."""
    try:
        return load_settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"Ongeldige instellingen / invalid settings: {problems}") from exc


def open_runtime(args: argparse.Namespace, *, check_schema: bool = True) -> Runtime:
    """Settings from the environment and a connected database."""
    return Runtime.open(settings_from_env(), check_schema=check_schema)


def _db_upgrade(args: argparse.Namespace) -> int:
    from tracker.migrate import current_revision, upgrade

    runtime = open_runtime(args, check_schema=False)
    try:
        before = current_revision(runtime.engine)
        upgrade(runtime.engine)
        after = current_revision(runtime.engine)
        print(f"database at {after}" + (" (unchanged)" if before == after else f" (was {before or 'empty'})"))
    finally:
        runtime.close()
    return 0


def _seed(args: argparse.Namespace) -> int:
    from tracker.seed import seed_dataset

    runtime = open_runtime(args)
    try:
        with session_scope(runtime.engine) as session:
            report = seed_dataset(session=session, now=utc_now(), tz=runtime.settings.tz,
                                  name=args.dataset)
        if report.total() == 0:
            print(f"{args.dataset}: al geladen, niets gewijzigd / already loaded, nothing changed")
        else:
            print(f"{args.dataset}: {report.dossiers} dossiers, {report.deadlines} deadlines, "
                  f"{report.programmes} programma's, {report.events} gebeurtenissen, "
                  f"{report.budget_lines} begrotingsregels, {report.indicators} indicatorwaarden")
    finally:
        runtime.close()
    return 0


def _slash(command: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        runtime = open_runtime(args)
        settings = runtime.settings
        try:
            now = utc_now()
            with session_scope(runtime.engine) as session:
                parsed = parse_command(command, " ".join(args.words), now=now, tz=settings.tz)
                result = execute(parsed, session=session, now=now, actor="cli", settings=settings)
                print(render_text(result, settings.lobby_language, settings.tz))
        finally:
            runtime.close()
        return 0
    return run


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand, plugins included."""
    parser = argparse.ArgumentParser(
        prog="lobby", description="Lobbytracker: lobby dossiers, deadlines, reminders and digests.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    db = sub.add_parser("db", help="database schema (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db_sub.required = True
    db_sub.add_parser("upgrade", help="migrate DATABASE_URL to the newest schema").set_defaults(
        func=_db_upgrade)

    seed = sub.add_parser("seed", help="load an example dataset (idempotent)")
    seed.add_argument("dataset", choices=["regio-zwolle-2023"])
    seed.set_defaults(func=_seed)

    for name, slash, text in (("dossier", "/dossier", "dossier commands, as /dossier in Slack"),
                              ("deadline", "/deadline", "deadline commands, as /deadline in Slack"),
                              ("programma", "/programma", "programme commands, as /programma"),
                              ("team", "/lobby", "team roles, as /lobby team")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("words", nargs=argparse.REMAINDER, help="e.g. show N35")
        cmd.set_defaults(func=_slash(slash) if name != "team" else _team)

    from tracker import doctor, transfer

    transfer.register(sub)
    doctor.register(sub)
    for plugin in _plugins():
        plugin(sub)
    return parser


def _team(args: argparse.Namespace) -> int:
    args.words = ["team", *args.words]
    return _slash("/lobby")(args)


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    found = []
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        found.append(entry.load())
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lobby` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except LobbyError as exc:
        print(exc.message(_language()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _language() -> str:
    try:
        return load_settings().lobby_language
    except ValidationError:
        return "nl"


if __name__ == "__main__":
    sys.exit(main())
