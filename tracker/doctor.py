"""`lobby doctor`: one line per check — settings, database, migrations, deliveries, and the
checks adapters add through the `lobbytracker.doctor` entry-point group (Slack's auth.test)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points

from pydantic import ValidationError
from sqlalchemy import func, text
from sqlmodel import Session, select

from tracker.db import make_engine
from tracker.migrate import current_revision, head_revision
from tracker.models import Delivery, DeliveryStatus
from tracker.settings import Settings, load_settings

PLUGIN_GROUP = "lobbytracker.doctor"


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    ok: bool
    detail: str
    warning: bool = False

    def line(self) -> str:
        """`ok   database: …` / `FAIL …` / `warn …`."""
        mark = "ok  " if self.ok else ("warn" if self.warning else "FAIL")
        return f"{mark} {self.name}: {self.detail}"


CheckFn = Callable[[Settings], Iterator[Check]]


def check_database(settings: Settings) -> Iterator[Check]:
    """The database answers, its schema is at head, and no delivery failed for good."""
    engine = make_engine(settings.database_url)
    try:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means: not reachable
            yield Check("database", False, f"not reachable ({type(exc).__name__}: {exc})"[:300])
            return
        yield Check("database", True, engine.url.render_as_string(hide_password=True))
        current, head = current_revision(engine), head_revision()
        yield Check("migrations", current == head,
                    f"at {current}" if current == head
                    else f"at {current or 'empty'}, code expects {head}: run `lobby db upgrade`")
        if current != head:
            return
        with Session(engine) as session:
            from tracker.scheduling.plan import SKIP_EMPTY  # an empty agenda is no downtime

            counts = dict(session.exec(
                select(Delivery.status, func.count())
                .where(func.coalesce(Delivery.last_error, "") != SKIP_EMPTY)
                .group_by(Delivery.status)).all())
            failed = list(session.exec(select(Delivery).where(
                Delivery.status == DeliveryStatus.FAILED.value).limit(5)))
        bad = counts.get(DeliveryStatus.FAILED.value, 0)
        retry = counts.get(DeliveryStatus.RETRY.value, 0)
        skipped = counts.get(DeliveryStatus.SKIPPED.value, 0)
        detail = (f"{counts.get(DeliveryStatus.SENT.value, 0)} sent, {retry} waiting to retry, "
                  f"{bad} failed, {skipped} skipped after downtime")
        if failed:
            detail += "; failed: " + ", ".join(f"{d.key} in {d.channel} ({d.last_error})"
                                               for d in failed)
        yield Check("deliveries", bad == 0, detail, warning=bad > 0)
    finally:
        engine.dispose()


def check_settings(settings: Settings) -> Iterator[Check]:
    """Which Slack settings are present (no values are ever printed)."""
    mode = "socket" if settings.slack_app_token else "http"
    needed = ["SLACK_BOT_TOKEN"] + (["SLACK_APP_TOKEN"] if mode == "socket"
                                    else ["SLACK_SIGNING_SECRET"])
    values = {"SLACK_BOT_TOKEN": settings.slack_bot_token, "SLACK_APP_TOKEN": settings.slack_app_token,
              "SLACK_SIGNING_SECRET": settings.slack_signing_secret}
    missing = [name for name in needed if not values[name]]
    yield Check("settings", not missing,
                f"{mode} mode, all Slack settings present" if not missing
                else f"{mode} mode, missing: {', '.join(missing)}")
    for name in ("LOBBY_DEFAULT_CHANNEL", "LOBBY_DIGEST_CHANNEL"):
        if not getattr(settings, name.lower()):
            yield Check(name, True, "not set: nothing will be posted there", warning=True)


def run_checks(settings: Settings) -> list[Check]:
    """Every check, the built-in ones first."""
    checks: list[CheckFn] = [check_settings, check_database]
    checks += [entry.load() for entry in sorted(entry_points(group=PLUGIN_GROUP),
                                                key=lambda e: e.name)]
    results: list[Check] = []
    for fn in checks:
        results.extend(fn(settings))
    return results


def doctor_command(args: argparse.Namespace) -> int:
    """`lobby doctor`: print every check; exit 1 when one failed."""
    try:
        settings = load_settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"FAIL settings: {'.'.join(map(str, error['loc']))}: {error['msg']}")
        return 1
    results = run_checks(settings)
    for check in results:
        print(check.line())
    return 0 if all(c.ok or c.warning for c in results) else 1
