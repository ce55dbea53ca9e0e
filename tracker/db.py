"""Engine, sessions and schema state. SQLite gets foreign keys, WAL and a busy timeout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, Result, make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000


def is_sqlite(url: str) -> bool:
    """True for a SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
                **kwargs: Any) -> Engine:
    """An engine for `url`; on SQLite with foreign keys on, WAL and a busy timeout (how long a
    write waits for another connection's write lock before "database is locked")."""
    if is_sqlite(url):
        connect_args = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect",
                     lambda conn, record: _sqlite_pragmas(conn, record, busy_timeout_ms))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any,
                    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return all(not row[2] for row in rows)


def read(session: Session, statement: Any, params: dict[str, Any] | None = None) -> Result[Any]:
    """Run a prebuilt read on the session's connection, past the ORM: rows (named tuples of
    the selected columns) instead of tracked entities. A `select(Deadline)` read this way
    gives rows with the Deadline's columns as attributes. The reads a command answers from
    (a card, a list) take a third of the time the ORM needs to build and track entities
    (bench `--only http`); what a command changes is still loaded as an entity. Changes
    not yet flushed are flushed first, so a read sees what the session has done. Take many
    rows with `.all()` (one fetch) rather than by iterating (a fetch a row)."""
    session.flush()
    return session.connection().execute(statement, params or {})


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def refresh_statistics(engine: Engine) -> None:
    """PostgreSQL's planner statistics after a bulk load (an import, a restore), at once
    instead of when autovacuum gets to it: without them it guesses one row where there are
    thousands and picks plans that read every row (VACUUM also sets the visibility map, so
    counts come from indexes alone). Not on SQLite: without statistics its planner uses our
    indexes as they were designed; after ANALYZE it chose a scan for the scheduler's tick
    (11 → 176 ms with 100,000 open deadlines, bench `--only tick`)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
