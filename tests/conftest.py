"""Shared fixtures: a fresh, migrated database per test (SQLite file, or PostgreSQL when
LOBBY_TEST_DATABASE_URL points at one), pinned clocks, settings and the example dataset.

Speed matters here (CI runs the suite twice): the schema is migrated once per run (a SQLite
template file, one PostgreSQL database), a PostgreSQL database is emptied with DELETE rather
than TRUNCATE, and the example dataset is seeded once per run and copied into each test's empty
database (the same rows, byte for byte) instead of being built again by seed_dataset."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, SQLModel

from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.settings import Settings, load_settings

pytest_plugins = ["tests.slack_fixtures"]

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Wednesday 15 November 2023, 10:00 in Amsterdam: between BO MIRT and the Kamerdebat MIRT.
PINNED_NOW = datetime(2023, 11, 15, 10, 0, tzinfo=AMS)


def _require_postgres() -> bool:
    return os.environ.get("LOBBY_REQUIRE_POSTGRES", "") not in ("", "0")


def postgres_admin_url() -> str:
    """The PostgreSQL server tests may create databases on."""
    url = os.environ.get("LOBBY_TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else os.environ.get("LOBBY_POSTGRES_URL", DEFAULT_PG_URL)


def postgres_available(url: str) -> bool:
    """True when the server answers."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


class PostgresServer:
    """A throw-away database on the local PostgreSQL, one per pytest process (its name is
    unique, so concurrent pytest runs on the same server never share a database)."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"lobby_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        # Kept for the whole run: emptying the database before each test needs no new connection.
        self.engine = make_engine(self.url)
        upgrade(self.engine)

    def empty(self) -> None:
        """Empty every table and restart the id sequences."""
        empty_postgres(self.engine)

    def drop(self) -> None:
        self.engine.dispose()
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A migrated database on the local PostgreSQL; skipped when there is none (fails in CI)."""
    admin_url = postgres_admin_url()
    if not postgres_available(admin_url):
        if _require_postgres():
            pytest.fail(f"PostgreSQL required (LOBBY_REQUIRE_POSTGRES) but not reachable at {admin_url}")
        pytest.skip("PostgreSQL not reachable")
    server = PostgresServer(admin_url)
    yield server
    server.drop()


def _sequences(conn: Connection) -> list[str]:
    """The id sequences of the current schema (looked up each time: a test may rebuild it)."""
    return list(conn.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        " ORDER BY sequencename")).scalars())


def empty_postgres(engine: Engine) -> None:
    """Empty every table and restart the id sequences (PostgreSQL), in one round trip.

    DELETE, children first, rather than TRUNCATE … RESTART IDENTITY: on these small tables a
    TRUNCATE of all of them costs 100-300 ms (a new file per table and per index, fsynced at
    commit) against about 5 ms, and it ran before every test."""
    with engine.begin() as conn:
        statements = [f'DELETE FROM "{t.name}"' for t in reversed(SQLModel.metadata.sorted_tables)]
        statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in _sequences(conn)]
        conn.exec_driver_sql("; ".join(statements))


def is_empty(engine: Engine) -> bool:
    """True when no table of the models holds a row."""
    probes = " OR ".join(f'EXISTS (SELECT 1 FROM "{t.name}")'
                         for t in SQLModel.metadata.sorted_tables)
    with engine.connect() as conn:
        return not conn.exec_driver_sql(f"SELECT {probes}").scalar()


def seed_example(session: Session) -> None:
    """The Regio Zwolle 2023 dataset as of 1 Sep 2023, committed (what `seeded` provides)."""
    from tracker.seed import seed_dataset

    seed_dataset(session=session, now=datetime(2023, 9, 1, 8, 0, tzinfo=AMS), tz=AMS)
    session.commit()


class SeedCopy:
    """The seeded dataset, made once per run and copied into an empty database in one short
    transaction: on SQLite from a seeded file (ATTACH, INSERT … SELECT), on PostgreSQL from
    the tables' own binary COPY data kept in memory, with the sequences set as seeding left
    them. Seeding takes 0.3-1 s (hundreds of flushes); the copy takes a few milliseconds."""

    def __init__(self, *, sqlite_file: Path | None = None,
                 tables: dict[str, bytes] | None = None,
                 sequences: dict[str, tuple[int, bool]] | None = None) -> None:
        self.sqlite_file = sqlite_file
        self.tables = tables or {}
        self.sequences = sequences or {}

    @classmethod
    def from_postgres(cls, engine: Engine) -> SeedCopy:
        """Seed the (empty) database, keep its rows and sequence states, and empty it again."""
        with Session(engine) as session:
            seed_example(session)
        tables: dict[str, bytes] = {}
        sequences: dict[str, tuple[int, bool]] = {}
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for table in SQLModel.metadata.sorted_tables:
                with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT BINARY)') as copy:
                    data = b"".join(bytes(block) for block in copy)
                cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")')
                if cursor.fetchone()[0]:
                    tables[table.name] = data
            cursor.execute("SELECT sequencename FROM pg_sequences"
                           " WHERE schemaname = current_schema()")
            for (name,) in cursor.fetchall():
                cursor.execute(f'SELECT last_value, is_called FROM "{name}"')
                sequences[name] = tuple(cursor.fetchone())
            raw.commit()
        finally:
            raw.close()
        empty_postgres(engine)
        return cls(tables=tables, sequences=sequences)

    def copy_into(self, engine: Engine) -> None:
        """Fill `engine`'s empty database with the seeded rows."""
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.sqlite_file is not None:
                cursor.execute("ATTACH DATABASE ? AS lobby_seed", (str(self.sqlite_file),))
                try:
                    for table in SQLModel.metadata.sorted_tables:
                        cursor.execute(f'INSERT INTO main."{table.name}"'
                                       f' SELECT * FROM lobby_seed."{table.name}"')
                    raw.commit()
                finally:
                    cursor.execute("DETACH DATABASE lobby_seed")
            else:
                for table in SQLModel.metadata.sorted_tables:
                    if table.name in self.tables:
                        with cursor.copy(f'COPY "{table.name}" FROM STDIN (FORMAT BINARY)') as copy:
                            copy.write(self.tables[table.name])
                for name, (value, called) in self.sequences.items():
                    cursor.execute("SELECT setval(%s, %s, %s)", (f'"{name}"', value, called))
                raw.commit()
        finally:
            raw.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating once is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def seed_copy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> SeedCopy:
    """The example dataset, seeded once per run on this run's database kind."""
    if _uses_postgres():
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return SeedCopy.from_postgres(server.engine)
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        seed_example(session)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return SeedCopy(sqlite_file=path)


def _uses_postgres() -> bool:
    return os.environ.get("LOBBY_TEST_DATABASE_URL", "").startswith("postgresql")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, migrated, empty database for this test."""
    if _uses_postgres():
        server: PostgresServer = request.getfixturevalue("postgres_server")
        server.empty()
        return server.url
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path / "lobby.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """A fresh, migrated, empty PostgreSQL database, for tests that are about PostgreSQL."""
    postgres_server.empty()
    return postgres_server.url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on this test's fresh database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on this test's database (the test commits when it needs to)."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def now() -> datetime:
    """The pinned clock: Wednesday 15 November 2023, 10:00 Amsterdam."""
    return PINNED_NOW


@pytest.fixture
def settings(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on this test's database; the real environment and .env are ignored."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
                 "LOBBY_DEFAULT_CHANNEL", "LOBBY_DIGEST_CHANNEL", "LOBBY_ADMINS",
                 "LOBBY_LANGUAGE", "LOBBY_TIMEZONE", "LOBBY_REMINDER_TIME", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(DATABASE_URL=db_url, _env_file=None)


@pytest.fixture
def seeded(request: pytest.FixtureRequest, session: Session, engine: Engine,
           now: datetime) -> Session:
    """The session with the Regio Zwolle 2023 dataset loaded (as of 1 Sep 2023) and committed:
    copied in when the database is still empty (the usual case), else seeded on top."""
    if is_empty(engine):
        request.getfixturevalue("seed_copy").copy_into(engine)
    else:
        seed_example(session)
    return session
