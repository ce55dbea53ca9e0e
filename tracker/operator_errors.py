"""How `lobby` answers what went wrong: one line on stderr and DESIGN's exit code, never a
traceback (an unexpected error gets an error id; its traceback goes to the log file)."""

from __future__ import annotations

import argparse
import sys

from tracker.cli import EXIT_REFUSED, UsageError, cli_language


def fail(message: str, code: int) -> int:
    """Print `message` as one line on stderr, without the control, invisible and bidi
    characters a user may have typed into what it echoes; return `code`."""
    from tracker.text import safe_inline

    print(safe_inline(message), file=sys.stderr)
    return code


def check_output_paths(args: argparse.Namespace) -> None:
    """`-o FILE` / `--chart FILE` into a directory that does not exist: say so before any work."""
    from pathlib import Path

    for option in ("output", "chart"):
        value = getattr(args, option, None)
        if isinstance(value, str) and value and value != "-":
            parent = Path(value).expanduser().parent
            if not parent.is_dir():
                raise UsageError(
                    f"Kan ‘{value}’ niet schrijven: de map ‘{parent}’ bestaat niet. Maak hem aan "
                    f"(mkdir -p {parent}) of kies een ander pad."
                    if cli_language() == "nl" else
                    f"Cannot write ‘{value}’: the directory ‘{parent}’ does not exist. Create it "
                    f"(mkdir -p {parent}) or choose another path.")


def file_problem(exc: OSError) -> str:
    """A file named on the command line that cannot be read or written, in words."""
    reason = {2: ("bestaat niet", "does not exist"), 13: ("geen toegang", "permission denied"),
              21: ("is een map", "is a directory"), 20: ("een deel van het pad is geen map",
                                                         "part of the path is not a directory")}
    nl, en = reason.get(exc.errno or 0, (exc.strerror or "", exc.strerror or ""))
    return (f"Bestand ‘{exc.filename}’: {nl}." if cli_language() == "nl"
            else f"File ‘{exc.filename}’: {en}.")


def unexpected(exc: BaseException) -> int:
    """One line with an error id; the traceback goes to the log file."""
    import logging
    import uuid

    from tracker.settings import log_file

    error_id = uuid.uuid4().hex[:8]
    where = "the log"
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger = logging.getLogger("lobby.cli")
        logger.addHandler(handler)
        logger.propagate = False
        logger.error("error %s in `lobby %s`", error_id, " ".join(sys.argv[1:]),
                     exc_info=(type(exc), exc, exc.__traceback__))
        handler.close()
        logger.removeHandler(handler)
        where = str(path)
    except OSError:
        pass
    return fail(f"Onverwachte fout (fout-id {error_id}); de details staan in {where}. "
                 if cli_language() == "nl" else
                 f"Unexpected error (error id {error_id}); the details are in {where}.", EXIT_REFUSED)
