"""Rough dates in the confirmation round and the weekly agenda: as typed, and said once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.render.confirm import render_confirm
from tests.conftest import AMS
from tracker.dates.periods import parse_period
from tracker.scheduling.confirm import ConfirmEntry, ConfirmRound
from tracker.scheduling.items import DeadlineInfo


def _info(title: str, **kwargs: object) -> DeadlineInfo:
    return DeadlineInfo(id=7, version=1, title=title, kind="other", due_time=None,
                        approximate=True, dossier_code="LLO", dossier_title="Arbeidsmarkt",
                        owner=None, **kwargs)  # type: ignore[arg-type]


def test_a_rough_date_is_shown_as_typed_never_as_a_made_up_day() -> None:
    now = datetime(2023, 12, 21, 9, 0, tzinfo=UTC)
    entries = (ConfirmEntry(_info("Lobbystrategie", precision="quarter"), date(2023, 9, 30)),
               ConfirmEntry(_info("Inbreng", precision="season"), date(2023, 11, 30)),
               ConfirmEntry(_info("Zienswijze", precision="day", qualifier="uiterlijk"),
                            date(2023, 10, 1)))
    item = ConfirmRound(key="confirm:2023H2:-:C1", channel="C1", due_at=now, today=now.date(),
                        period=parse_period("2023H2", now=now, tz=AMS), owner=None,
                        digest_day=date(2024, 1, 2), entries=entries)
    text = str(render_confirm(item, lang="nl").payload())
    assert "Lobbystrategie* — LLO · Q3 2023" in text
    assert "Inbreng* — LLO · najaar 2023" in text
    assert "uiterlijk 30 september" not in text and "uiterlijk 30 nov" not in text
    assert "uiterlijk" in text  # where it was typed so, it stays


def test_an_overdue_rough_action_in_the_agenda_says_its_date_once() -> None:
    from bot.render.reminders import render_agenda
    from tracker.scheduling.items import Agenda, AgendaEntry

    now = datetime(2023, 10, 9, 6, 30, tzinfo=UTC)
    entry = AgendaEntry(_info("Lobbystrategie", precision="quarter"), date(2023, 9, 30), True)
    agenda = Agenda(key="agenda:2023-W41:C1", channel="C1", due_at=now, today=now.date(),
                    week_key="2023W41", week_start=date(2023, 10, 9), entries=(entry,),
                    overdue_count=1)
    text = str(render_agenda(agenda, lang="nl").payload())
    assert text.count("Q3 2023") == 1 and "(was Q3 2023)" in text
