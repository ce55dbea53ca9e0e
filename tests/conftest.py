"""Shared fixtures: a fresh, migrated database per test (SQLite file, or PostgreSQL when
LOBBY_TEST_DATABASE_URL points at one), pinned clocks, settings and the example dataset."""

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
from sqlalchemy.engine import Engine, make_url
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
    """A throw-away database on the local PostgreSQL, one per pytest process."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"lobby_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        engine = make_engine(self.url)
        upgrade(engine)
        engine.dispose()

    def drop(self) -> None:
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


def truncate_all(engine: Engine) -> None:
    """Empty every table and restart the id sequences (PostgreSQL)."""
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


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


def _uses_postgres() -> bool:
    return os.environ.get("LOBBY_TEST_DATABASE_URL", "").startswith("postgresql")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, migrated, empty database for this test."""
    if _uses_postgres():
        server: PostgresServer = request.getfixturevalue("postgres_server")
        engine = make_engine(server.url)
        truncate_all(engine)
        engine.dispose()
        return server.url
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path / "lobby.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """A fresh, migrated, empty PostgreSQL database, for tests that are about PostgreSQL."""
    engine = make_engine(postgres_server.url)
    truncate_all(engine)
    engine.dispose()
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
def seeded(session: Session, now: datetime) -> Session:
    """The session with the Regio Zwolle 2023 dataset loaded (as of 1 Sep 2023) and committed."""
    from tracker.seed import seed_dataset

    seed_dataset(session=session, now=datetime(2023, 9, 1, 8, 0, tzinfo=AMS), tz=AMS)
    session.commit()
    return session
