"""`lobby kamer sync`, `lobby kamer volg …`, the doctor's line and the bundled demo sample."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from tests.kamer_double import KamerDouble
from tracker.cli import main
from tracker.doctor import Check
from tracker.kamer.doctor import check_kamer
from tracker.kamer.models import KamerActivity, KamerLink
from tracker.kamer.sample import SAMPLE_NUMBER, SampleClient, demo_step
from tracker.models import Deadline
from tracker.settings import load_settings

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str, kamer: KamerDouble, tmp_path) -> str:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "LOBBY_DEFAULT_CHANNEL", "LOBBY_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("LOBBY_TK_API_URL", kamer.url)
    monkeypatch.setenv("LOBBY_TK_FEED_URL", kamer.feed_url)  # the default source: the SyncFeed
    return db_url


def _doctor(db_url: str, **extra: str) -> list[Check]:
    return list(check_kamer(load_settings(_env_file=None, DATABASE_URL=db_url, **extra)))


def test_cli_sync_reports_and_the_doctor_tells_success_and_failure(env, kamer, capsys, now):
    [check] = _doctor(env)
    assert check.warning and "nog niet gesynchroniseerd" in check.detail
    kamer.activity("2023A00001", "MIRT", datetime(2023, 11, 20, 10, tzinfo=AMS))
    assert main(["kamer", "sync", "--now", "2023-11-15T10:00+01:00"]) == 0
    assert "Tweede Kamer gesynchroniseerd: 1 Activiteit" in capsys.readouterr().out
    [check] = _doctor(env)
    assert check.ok and check.line() == ("ok   Tweede Kamer: laatste geslaagde synchronisatie "
                                         "15-11-2023 10:00")
    kamer.fail_next("500", 10)
    assert main(["kamer", "sync", "--now", "2023-11-15T11:00+01:00"]) == 1
    err = capsys.readouterr().err
    assert "niet bereikbaar (HTTP 500" in err and "Traceback" not in err
    [check] = _doctor(env)
    assert check.line().startswith("warn Tweede Kamer: laatste geslaagde synchronisatie "
                                   "15-11-2023 10:00; 1× mislukt (HTTP 500")
    assert main(["kamer", "sync", "--now", "nonsense"]) == 2
    assert _doctor(env, LOBBY_TK_POLL_MINUTES="0")[0].detail.startswith("synchronisatie staat uit")


def test_cli_speaks_the_kamer_grammar(env, capsys, seeded):
    assert main(["kamer", "volg", "N35", "N35", "Wijthmen"]) == 0
    assert "N35 volgt in de Tweede Kamer: N35, Wijthmen" in capsys.readouterr().out
    assert main(["kamer", "volg", "GEENDOSSIER", "x"]) == 1


def test_the_bundled_sample_moves_the_kamerdebat_mirt(engine, session, settings, seeded):
    before = datetime(2023, 10, 5, 9, tzinfo=AMS)
    demo_step(engine=engine, settings=settings, now=before)
    session.expire_all()
    debate = session.exec(select(Deadline).where(Deadline.title == "Kamerdebat MIRT")).one()
    assert session.get(KamerLink, debate.id).nummer == SAMPLE_NUMBER
    assert (debate.due_date.isoformat(), debate.due_time.isoformat()) == ("2023-11-20", "10:00:00")
    demo_step(engine=engine, settings=settings, now=datetime(2023, 11, 9, 9, tzinfo=AMS))
    session.expire_all()
    debate = session.get(Deadline, debate.id)
    assert (debate.due_date.isoformat(), debate.due_time.isoformat()) == ("2023-11-27", "14:00:00")
    assert len(session.exec(select(KamerActivity)).all()) == 1
    [page] = SampleClient(before - timedelta(days=60)).pages("Activiteit", since=before)
    assert page.records == []  # before it was recorded, the sample shows nothing
