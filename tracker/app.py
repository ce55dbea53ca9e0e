"""The running context shared by the CLI, the scheduler and the Slack app: settings + engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from tracker.db import make_engine
from tracker.errors import DatabaseUnavailable
from tracker.migrate import ensure_schema
from tracker.settings import Settings, default_database_url


@dataclass
class Runtime:
    """Settings and the database engine, with the schema checked (or upgraded on SQLite)."""

    settings: Settings
    engine: Engine

    @classmethod
    def open(cls, settings: Settings, *, check_schema: bool = True) -> Runtime:
        """Connect to the configured database and make sure the schema is current; a database
        that cannot be opened raises DatabaseUnavailable saying what to do."""
        from sqlalchemy.exc import DBAPIError

        prepare_sqlite_file(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            if check_schema:
                ensure_schema(engine)
            else:
                with engine.connect():
                    pass
        except DBAPIError as exc:
            engine.dispose()
            raise unreachable(settings.database_url, exc) from exc
        return cls(settings, engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def utc_now() -> datetime:
    """The real clock; only the edges (CLI, Slack adapter, scheduler) call it."""
    return datetime.now(UTC)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (PostgreSQL, in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def prepare_sqlite_file(url: str) -> None:
    """Create the default database's directory on first use; a chosen SQLite path in a missing
    directory is refused (a typo there would otherwise start an empty database elsewhere)."""
    path = sqlite_path(url)
    if path is None or path.parent.is_dir():
        return
    if url == default_database_url():
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    raise DatabaseUnavailable(
        f"DATABASE_URL wijst naar ‘{path}’, maar de map ‘{path.parent}’ bestaat niet. "
        f"Maak de map aan (mkdir -p {path.parent}) of kies een ander pad.",
        f"DATABASE_URL points at ‘{path}’, but the directory ‘{path.parent}’ does not exist. "
        f"Create it (mkdir -p {path.parent}) or choose another path.")


def unreachable(url: str, exc: BaseException) -> DatabaseUnavailable:
    """The one-line explanation of a database that did not answer (no password shown)."""
    shown = make_url(url).render_as_string(hide_password=True)
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
    if "does not exist" in reason and "database" in reason:
        return DatabaseUnavailable(
            f"De database in DATABASE_URL ({shown}) bestaat niet: maak hem aan (createdb) en voer "
            "`lobby db upgrade` uit.",
            f"The database in DATABASE_URL ({shown}) does not exist: create it (createdb) and run "
            "`lobby db upgrade`.")
    nl, en = next(((nl, en) for needle, nl, en in _REASONS if needle in reason.lower()),
                  (f"de driver meldt ‘{reason}’", reason))
    return DatabaseUnavailable(
        f"De database ({shown}) is niet bereikbaar: {nl}. Controleer DATABASE_URL en of de "
        "databaseserver draait.",
        f"The database ({shown}) cannot be reached: {en}. Check DATABASE_URL and that the "
        "database server is running.")


# What drivers say, in the words of the team (their own messages are English).
_REASONS = (
    ("connection refused", "de server weigert de verbinding", "connection refused"),
    ("timeout", "de server antwoordt niet op tijd", "timed out"),
    ("timed out", "de server antwoordt niet op tijd", "timed out"),
    ("could not translate host name", "de servernaam is onbekend", "unknown host name"),
    ("name or service not known", "de servernaam is onbekend", "unknown host name"),
    ("password authentication failed", "gebruiker of wachtwoord klopt niet",
     "wrong user or password"),
    ("unable to open database file", "het bestand kan niet worden geopend",
     "the file cannot be opened"),
    ("file is not a database", "het bestand is geen SQLite-database",
     "the file is not a SQLite database"),
)
