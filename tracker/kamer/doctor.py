"""`lobby doctor`: "Tweede Kamer: laatste geslaagde synchronisatie …" (entry point `kamer`)."""

from __future__ import annotations

from collections.abc import Iterator

from tracker.doctor import Check
from tracker.settings import Settings

NAME = "Tweede Kamer"


def check_kamer(settings: Settings) -> Iterator[Check]:
    """When the last sync succeeded, and whether the source fails now; no network call."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from tracker.db import make_engine
    from tracker.kamer.client import HAGUE
    from tracker.kamer.models import KamerSync
    from tracker.kamer.sync import LEASE_ROW

    if settings.lobby_tk_poll_minutes == 0:
        yield Check(NAME, True, "synchronisatie staat uit (LOBBY_TK_POLL_MINUTES=0)")
        return
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            row = session.get(KamerSync, LEASE_ROW)
    except SQLAlchemyError:
        return  # the database checks say what is wrong
    finally:
        engine.dispose()

    def when(moment: object) -> str:
        return moment.astimezone(HAGUE).strftime("%d-%m-%Y %H:%M") if moment else "nooit"  # type: ignore[attr-defined]

    if row is None or (row.last_success_at is None and not row.failures):
        yield Check(NAME, True, "nog niet gesynchroniseerd; `lobby kamer sync` of `lobby serve`",
                    warning=True)
        return
    detail = f"laatste geslaagde synchronisatie {when(row.last_success_at)}"
    if row.failures:
        yield Check(NAME, False, f"{detail}; {row.failures}× mislukt ({row.last_error}); "
                                 f"volgende poging na {when(row.next_attempt_at)}", warning=True)
        return
    yield Check(NAME, True, detail)
