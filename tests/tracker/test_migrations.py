"""Migrations build the schema from nothing and never drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from tracker.db import make_engine
from tracker.migrate import SchemaBehind, current_revision, ensure_schema, head_revision, upgrade


def _diff(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_sqlite_from_nothing_to_head_without_drift(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _diff(engine) == []
    upgrade(engine)  # idempotent
    engine.dispose()


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()


def test_embedded_sqlite_is_created_on_first_use(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_postgres_from_nothing_to_head_without_drift(postgres_server):
    engine = make_engine(postgres_server.url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    with pytest.raises(SchemaBehind) as err:
        ensure_schema(engine)  # PostgreSQL is never upgraded behind the operator's back
    assert "lobby db upgrade" in err.value.nl
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _diff(engine) == []
    engine.dispose()


def test_sqlite_upgrade_keeps_existing_data(tmp_path):
    """Every migration applied to a database full of linked records (batch table rebuilds on
    SQLite must not trip over foreign keys, nor lose a row)."""
    from datetime import UTC, date, datetime

    from alembic.script import ScriptDirectory

    from tracker.migrate import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    revisions = [r.revision for r in
                 ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()][::-1]
    upgrade(engine, revisions[0])
    now = datetime(2023, 9, 1, tzinfo=UTC).isoformat(sep=" ")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO dossier (id, code, code_folded, title, summary, goal, line, rag, rag_reason,"
            " phase, funding_note, source, created_at, updated_at, version, funding_needed)"
            f" VALUES (1, 'ZWM', 'zwm', 'Zwolle–Meppel', '', '', 'public-affairs', 'amber', 'x',"
            f" 'active', '', '', '{now}', '{now}', 1, 75000000)")
        conn.exec_driver_sql(
            "INSERT INTO deadline (id, dossier_id, title, kind, due_date, approximate, status,"
            " source, created_at, scheduled_at, updated_at, version)"
            f" VALUES (1, 1, 'Kamerdebat', 'debate', '{date(2023, 11, 20)}', 0, 'open', '',"
            f" '{now}', '{now}', '{now}', 1)")
        conn.exec_driver_sql(
            "INSERT INTO event (id, at, kind, dossier_id, deadline_id, text, approximate)"
            f" VALUES (1, '{now}', 'note', 1, 1, 'notitie', 0)")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT funding_needed FROM dossier").scalar() == 75_000_000
        assert conn.exec_driver_sql("SELECT count(*) FROM deadline").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM event").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
