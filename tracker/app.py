"""The running context shared by the CLI, the scheduler and the Slack app: settings + engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from tracker.db import make_engine
from tracker.migrate import ensure_schema
from tracker.settings import Settings


@dataclass
class Runtime:
    """Settings and the database engine, with the schema checked (or upgraded on SQLite)."""

    settings: Settings
    engine: Engine

    @classmethod
    def open(cls, settings: Settings, *, check_schema: bool = True) -> Runtime:
        """Connect to the configured database and make sure the schema is current."""
        engine = make_engine(settings.database_url)
        if check_schema:
            ensure_schema(engine)
        return cls(settings, engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def utc_now() -> datetime:
    """The real clock; only the edges (CLI, Slack adapter, scheduler) call it."""
    return datetime.now(UTC)
