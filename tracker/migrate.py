"""Schema state and upgrades through Alembic; the migrations ship inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

import migrations
from tracker.db import is_sqlite
from tracker.errors import DatabaseUnavailable

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


class SchemaBehind(DatabaseUnavailable):
    """The database schema is older than the code; `lobby db upgrade` fixes it."""


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged migrations and `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration the code ships."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` (default: head) on `engine`'s database.

    On SQLite, Alembic's batch mode rebuilds a table by copying and dropping it; with foreign
    keys on, dropping a table other rows refer to fails. So foreign keys are off while the
    migrations run (the PRAGMA only works outside a transaction) and checked afterwards.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # ends SQLAlchemy's autobegun transaction; the PRAGMA opened none
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def ensure_schema(engine: Engine) -> None:
    """Upgrade the embedded SQLite automatically; elsewhere refuse to run on an old schema."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if is_sqlite(engine.url.render_as_string()):
        upgrade(engine)
        return
    raise SchemaBehind(
        f"Het databaseschema loopt achter ({current or 'leeg'}, code verwacht {head}). "
        "Voer eerst `lobby db upgrade` uit.",
        f"The database schema is behind ({current or 'empty'}, code expects {head}). "
        "Run `lobby db upgrade` first.",
    )
