"""The `lobby` command line.

Start-up matters (`lobby --help` is measured in bench/), so this module imports only argparse:
each command's handler is imported when that command runs. Adapters (the Slack app, the demo) add
their subcommands through the `lobbytracker.cli` entry-point group, so tracker/ never imports
them; their `register(sub)` functions must stay as light as these.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.app import Runtime
    from tracker.settings import Settings

Handler = Callable[[argparse.Namespace], int]
PLUGIN_GROUP = "lobbytracker.cli"
# Tracker modules that add their own subcommands with a light `register(sub)`.
TRACKER_COMMANDS: tuple[str, ...] = ("tracker.scheduling.cli", "tracker.digest.cli",
                                     "tracker.kamer.cli")


class UsageError(Exception):
    """A problem with how `lobby` was called or configured (exit code 2)."""


def lazy(target: str) -> Handler:
    """A handler that imports `module:function` only when the command runs."""
    module_name, _, function_name = target.partition(":")

    def run(args: argparse.Namespace) -> int:
        handler = getattr(importlib.import_module(module_name), function_name)
        return int(handler(args) or 0)

    return run


def settings_from_env() -> Settings:
    """The settings, or a UsageError naming what is wrong."""
    from pydantic import ValidationError

    from tracker.settings import ENV_FILE_VARIABLE, env_file, load_settings

    chosen = env_file()
    if chosen is not None and not chosen.is_file():
        raise UsageError(f"{ENV_FILE_VARIABLE} wijst naar ‘{chosen}’, maar dat bestand bestaat "
                         f"niet: maak het aan of haal {ENV_FILE_VARIABLE} weg."
                         if cli_language() == "nl" else
                         f"{ENV_FILE_VARIABLE} points at ‘{chosen}’, which does not exist: create "
                         f"it or unset {ENV_FILE_VARIABLE}.")
    try:
        return load_settings()
    except ValidationError as exc:
        raise UsageError(settings_problem(exc)) from exc


def settings_problem(exc: Exception) -> str:
    """One line naming every setting that is wrong (from pydantic's ValidationError)."""
    from tracker.settings import describe_problems

    lang = cli_language()
    problems = "; ".join(describe_problems(exc, lang))
    return (f"Ongeldige instelling: {problems}. Pas de omgeving of .env aan (zie .env.example)."
            if lang == "nl" else
            f"Invalid setting: {problems}. Fix the environment or .env (see .env.example).")


def open_runtime(args: argparse.Namespace | None = None, *, check_schema: bool = True) -> Runtime:
    """Settings from the environment and a connected database."""
    from tracker.app import Runtime

    return Runtime.open(settings_from_env(), check_schema=check_schema)


def db_upgrade_command(args: argparse.Namespace) -> int:
    """`lobby db upgrade`."""
    from tracker.migrate import current_revision, upgrade

    runtime = open_runtime(args, check_schema=False)
    try:
        before = current_revision(runtime.engine)
        upgrade(runtime.engine)
        after = current_revision(runtime.engine)
        print(f"database at {after}"
              + (" (unchanged)" if before == after else f" (was {before or 'empty'})"))
    finally:
        runtime.close()
    return 0


def seed_command(args: argparse.Namespace) -> int:
    """`lobby seed regio-zwolle-2023`."""
    from tracker.app import utc_now
    from tracker.db import session_scope
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


def shell_words(words: Sequence[str]) -> str:
    """The argv words as the grammar's text: a word the shell kept together (`"zwolle meppel"`)
    is quoted again, so it stays one <ref>; an empty one (`""`) stays in its place, so the
    words after it are not read as the part it left out."""
    return " ".join('""' if not w.strip() else
                    f'"{w}"' if (" " in w.strip() and '"' not in w) else w for w in words)


def slash_command(args: argparse.Namespace) -> int:
    """`lobby dossier|deadline|programma|team …`: the Slack grammar, answered as text."""
    # `lobby deadline list --help` (a note that mentions -h is a note: only up to two words)
    if len(args.words) <= 2 and any(word in ("-h", "--help") for word in args.words):
        print(args.area_help(), end="")
        return 0
    from tracker.app import utc_now
    from tracker.commands import EXAMPLES, parse_command
    from tracker.db import session_scope
    from tracker.errors import cli_example
    from tracker.execute import execute
    from tracker.render_text import render_text
    from tracker.results import DeadlineExists, ModalRequested
    from tracker.services.members import CLI_ACTOR

    settings = settings_from_env()
    now = utc_now()
    parsed = parse_command(args.slash, shell_words(args.prefix + args.words), now=now,
                           tz=settings.tz)
    if parsed.action.endswith("_modal"):  # Slack opens a form here; a shell needs the words
        area, action = parsed.area, parsed.action.removesuffix("_modal")
        example = cli_example(EXAMPLES[(area, action)])
        raise UsageError(f"`lobby {area} {action}` heeft argumenten nodig (het formulier bestaat "
                         f"alleen in Slack). Voorbeeld: {example}"
                         if settings.lobby_language == "nl" else
                         f"`lobby {area} {action}` needs arguments (the form exists only in "
                         f"Slack). Example: {example}")
    runtime = open_runtime(args)
    try:
        with session_scope(runtime.engine) as session:
            result = execute(parsed, session=session, now=now, actor=CLI_ACTOR, settings=settings)
            if isinstance(result, ModalRequested):  # `/dossier edit N35`: a form only
                raise UsageError(render_text(result, settings.lobby_language, settings.tz))
            if isinstance(result, DeadlineExists):  # refused input: nothing added (exit 1)
                print(" ".join(render_text(result, settings.lobby_language, settings.tz).split()),
                      file=sys.stderr)
                return 1
            print(render_text(result, settings.lobby_language, settings.tz))
    finally:
        runtime.close()
    return 0


def _grammar_examples(area: str) -> list[str]:
    """`lobby <area> …` command lines, one per action (tracker.examples)."""
    from tracker.errors import cli_example
    from tracker.examples import EXAMPLES

    return [cli_example(example) for (name, _), example in EXAMPLES.items() if name == area]


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
        func=db_upgrade_command)

    seed = sub.add_parser("seed", help="load an example dataset (idempotent)")
    seed.add_argument("dataset", choices=["regio-zwolle-2023"])
    seed.set_defaults(func=seed_command)

    for name, slash, prefix, text in (
            ("dossier", "/dossier", [], "dossier commands, as /dossier in Slack"),
            ("deadline", "/deadline", [], "deadline commands, as /deadline in Slack"),
            ("programma", "/programma", [], "programme commands, as /programma in Slack"),
            ("team", "/lobby", ["team"], "team roles, as /lobby team in Slack")):
        examples = _grammar_examples(name)
        cmd = sub.add_parser(name, help=text, description=text,
                             epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.add_argument("words", nargs=argparse.REMAINDER,
                         help=f"what follows {slash}{' team' if prefix else ''} in Slack, e.g. "
                              + examples[0].split(" ", 2)[2])
        cmd.set_defaults(func=slash_command, slash=slash, prefix=prefix, area_help=cmd.format_help)

    export = sub.add_parser("export", help="write a JSON backup, a CSV of deadlines or an ICS")
    export.add_argument("format", choices=["json", "csv", "ics"])
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    export.set_defaults(func=lazy("tracker.transfer:export_command"))
    imp = sub.add_parser("import", help="load a JSON backup (empty database) or a CSV of deadlines")
    imp.add_argument("format", choices=["json", "csv"])
    imp.add_argument("file", help="the file to read, or - for stdin")
    imp.set_defaults(func=lazy("tracker.transfer:import_command"))

    sub.add_parser("doctor", help="check settings, database, migrations and Slack").set_defaults(
        func=lazy("tracker.doctor:doctor_command"))

    for module in TRACKER_COMMANDS:
        importlib.import_module(module).register(sub)
    for register in _plugins():
        register(sub)
    parser.set_defaults(commands=sorted(sub.choices))
    return parser


def is_command_problem(argv: Sequence[str], commands: Sequence[str]) -> bool:
    """No subcommand, or a first word that is neither a subcommand nor an option (argparse's
    own help and errors stay as they are)."""
    return not argv or (argv[0] not in commands and not argv[0].startswith("-"))


def command_problem(argv: Sequence[str], commands: Sequence[str], lang: str) -> str:
    """One line for a missing or unknown subcommand (`lobby`, `lobby dosier show N35`, see
    `is_command_problem`), with the command probably meant."""
    import difflib
    import shlex

    from tracker.text import safe_inline, shorten

    first = next(iter(argv), None)
    nl = lang == "nl"
    if first is None:
        return ("Welke opdracht? Bijvoorbeeld ‘lobby demo’ of ‘lobby dossier list’; alle "
                "opdrachten: lobby --help" if nl else "Which command? For example ‘lobby demo’ "
                "or ‘lobby dossier list’; every command: lobby --help")
    shown = shorten(safe_inline(first), 40) or "…"  # as typed, but no control characters
    close = difflib.get_close_matches(first.lower(), commands, n=1, cutoff=0.6)
    if close:
        # the words as the shell must get them again ('#lobby-n35', 'a; b'), control
        # characters out
        meant = shorten(safe_inline(shlex.join(["lobby", close[0], *argv[1:]])), 80)
        return (f"‘{shown}’ is geen opdracht van lobby. Bedoelt u {meant}?" if nl
                else f"‘{shown}’ is not a lobby command. Did you mean {meant}?")
    return (f"‘{shown}’ is geen opdracht van lobby. Kies uit: {', '.join(commands)}." if nl
            else f"‘{shown}’ is not a lobby command. Choose from: {', '.join(commands)}.")


def _plugins() -> list[Callable[[Any], None]]:
    from importlib.metadata import entry_points

    return [entry.load() for entry in sorted(entry_points(group=PLUGIN_GROUP),
                                             key=lambda e: e.name)]


# Exit codes (DESIGN "Install and run").
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DATABASE = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lobby` console script: every outcome is an exit code and at most one
    line on stderr; an unexpected error prints an error id and logs its traceback."""
    parser = build_parser()
    from tracker.operator_errors import check_output_paths, fail, file_problem, unexpected

    words = list(sys.argv[1:] if argv is None else argv)
    commands = parser.get_default("commands")
    if is_command_problem(words, commands):
        # the language only now: reading it imports the settings (0.2 s of `lobby --help`)
        return fail(command_problem(words, commands, cli_language()), EXIT_USAGE)
    args = parser.parse_args(words)  # wrong usage of a subcommand: argparse says so, exit 2
    from tracker.errors import DatabaseUnavailable, LobbyError

    try:
        check_output_paths(args)
        return int(args.func(args) or 0)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except DatabaseUnavailable as exc:
        return fail(exc.message(cli_language()), EXIT_DATABASE)
    except LobbyError as exc:
        return fail(exc.message(cli_language(), surface="cli"), EXIT_REFUSED)
    except _sqlalchemy_error() as exc:  # the database went away while the command ran
        from tracker.app import unreachable

        return fail(unreachable(_database_url(), exc).message(cli_language()), EXIT_DATABASE)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `lobby export json | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file named on the command line that cannot be read or written
        if exc.filename is None:
            return unexpected(exc)
        return fail(file_problem(exc), EXIT_USAGE)
    except Exception as exc:
        return unexpected(exc)


def _sqlalchemy_error() -> type[Exception]:
    """SQLAlchemy's base error, imported only when an error is being matched: importing
    SQLAlchemy takes a quarter of a second that `lobby deadline list --help` does not need."""
    from sqlalchemy.exc import SQLAlchemyError

    return SQLAlchemyError


def cli_language() -> str:
    """LOBBY_LANGUAGE from the environment or the `.env` in use when it is nl or en, else nl (read
    without validating the other settings, so even a broken one is reported in that language)."""
    import os

    lang = os.environ.get("LOBBY_LANGUAGE", "")
    if not lang:
        from tracker.settings import env_file

        chosen = env_file()
        if chosen is not None and chosen.is_file():
            from dotenv import dotenv_values

            lang = dotenv_values(chosen).get("LOBBY_LANGUAGE") or ""
    lang = lang.strip().lower()
    return lang if lang in ("nl", "en") else "nl"


def _database_url() -> str:
    try:
        return settings_from_env().database_url
    except Exception:
        return "sqlite://"


if __name__ == "__main__":
    # `python -m tracker.cli` runs this file as `__main__`, a second copy of the module: a
    # UsageError raised by the subcommands (bot/, which import `tracker.cli`) would not be the
    # class this copy's main() catches, and exit 2 became "Onverwachte fout". Run the one
    # module everything else imports.
    from tracker.cli import main as _main

    sys.exit(_main())
