"""The bundle renderer alone: many items, many days, overdue ones, long titles, English."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.render.reminders import render_bundle
from tests.slack_double import validate_blocks
from tracker.scheduling.items import DeadlineInfo, Overdue, Reminder


def _info(n: int, role: str = "action") -> DeadlineInfo:
    return DeadlineInfo(id=n, version=1, title=("Zienswijze *met* <!channel> & " * 8)[:200],
                        kind="submission", due_time=None, approximate=False, dossier_code="N35",
                        dossier_title="N35", owner="U0ANNEKE", role=role)


def _items(count: int) -> list[Reminder | Overdue]:
    today = date(2023, 11, 13)
    at = datetime(2023, 11, 13, 8, tzinfo=UTC)
    items: list[Reminder | Overdue] = []
    for n in range(count):
        if n % 7 == 0:
            items.append(Overdue(key=f"overdue:{n}", channel="C1", due_at=at, today=today,
                                 deadline=_info(n), due=today - timedelta(days=1 + n % 3)))
        else:
            items.append(Reminder(key=f"reminder:{n}", channel="C1", due_at=at, today=today,
                                  deadline=_info(n, "event" if n % 2 else "action"),
                                  due=today + timedelta(days=n % 5), offset=n % 5))
    return items


@pytest.mark.parametrize("count", [2, 10, 23, 24, 25, 60, 200])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_item_once_within_slacks_limits(count: int, lang: str) -> None:
    items = _items(count)
    messages = render_bundle(items, lang=lang)
    shown = [i for _, indexes in messages for i in indexes]
    assert sorted(shown) == list(range(count))
    for message, indexes in messages:
        payload = message.payload()
        assert validate_blocks(payload["blocks"]) == []
        assert len(payload["blocks"]) <= 50 and len(payload["text"]) <= 3000
        actions = [b for b in payload["blocks"] if b["type"] == "actions"]
        assert len(actions) == len(indexes)
        assert "<!channel>" not in str(payload)  # typed text never pings
    head = messages[0][0].payload()["blocks"][0]
    assert head["type"] == "header"
    assert head["text"]["text"] == (f"{count} reminders — Mon 13 Nov" if lang == "en"
                                    else f"{count} herinneringen — ma 13 nov")
    first = messages[0][0].payload()["blocks"]
    overdue_heading = "Overdue, still open" if lang == "en" else "Verlopen, nog open"
    assert first[1]["type"] == "context" and overdue_heading in str(first[1])  # overdue first


def test_events_have_no_done_button_actions_do() -> None:
    items = _items(3)  # 0: overdue action, 1: event, 2: action
    [(message, _)] = render_bundle(items)
    actions = [b for b in message.payload()["blocks"] if b["type"] == "actions"]
    ids = [[e["action_id"] for e in a["elements"]] for a in actions]
    assert ids == [["reminder_done", "reminder_snooze", "reminder_move", "open_dossier"],
                   ["reminder_snooze", "reminder_move", "open_dossier"],
                   ["reminder_done", "reminder_snooze", "reminder_move", "open_dossier"]]
