"""Fixtures for the Tweede Kamer adapter: the OData double, a client on it, a dossier."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from sqlmodel import Session

from tests.kamer_double import KamerDouble
from tracker.kamer.client import KamerClient
from tracker.models import Deadline, Dossier
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds


@pytest.fixture
def kamer() -> Iterator[KamerDouble]:
    """The OData double, running."""
    double = KamerDouble().start()
    yield double
    double.stop()


@pytest.fixture
def client(kamer: KamerDouble) -> Iterator[KamerClient]:
    """A real client on the double; retries do not sleep, time-outs are short."""
    with KamerClient(kamer.url, sleep=lambda s: None,
                     timeout=httpx.Timeout(0.5, connect=0.5)) as kc:
        yield kc


@pytest.fixture
def dossier(session: Session, now: datetime) -> Dossier:
    """Dossier N35 with its own channel."""
    found = ds.create_dossier(session=session, now=now, actor=None, code="N35",
                              title="N35 Wijthmen–Nijverdal", channel="C0N35")
    session.commit()
    return found


@pytest.fixture
def debate(session: Session, now: datetime, dossier: Dossier) -> Deadline:
    """A debate milestone on 20 November 2023 (no time yet)."""
    from datetime import date

    found = dl.add_deadline(session=session, now=now, actor="U1", dossier=dossier,
                            title="Commissiedebat MIRT", due=date(2023, 11, 20), kind="debate")
    session.commit()
    return found
