"""What measurements share: mode, the database with the large dataset, the environment."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from bench.data import build_large_dataset
from tracker.db import make_engine
from tracker.migrate import upgrade


@dataclass
class Context:
    """Shared by every measurement of one run."""

    quick: bool
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="lobby-bench-")))
    _large: dict[str, str] = field(default_factory=dict)

    @property
    def sizes(self) -> dict[str, int]:
        """The large dataset's size; a tenth of it in quick mode."""
        if self.quick:
            return {"dossiers": 100, "deadlines": 5000, "events": 20_000}
        return {"dossiers": 1000, "deadlines": 50_000, "events": 200_000}

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for subprocesses, without the user's Slack settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LOBBY_"))}
        env.update(extra)
        return env

    def fresh_sqlite(self, name: str) -> str:
        """URL of a new, migrated SQLite file in the work directory."""
        path = self.workdir / f"{name}.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url

    def large_sqlite(self, now: datetime | None = None) -> str:
        """URL of a SQLite database with the large dataset (its dates around `now`; default:
        the pinned instant of bench.data), built once per run."""
        key = "sqlite" if now is None else f"sqlite-{now:%Y%m%d}"
        if key not in self._large:
            url = self.fresh_sqlite("large" if now is None else "large-today")
            engine = make_engine(url)
            build_large_dataset(engine, **self.sizes, now=now)
            engine.dispose()
            self._large[key] = url
        return self._large[key]

    def engine(self, url: str) -> Engine:
        """An engine on url (the caller disposes it)."""
        return make_engine(url)
