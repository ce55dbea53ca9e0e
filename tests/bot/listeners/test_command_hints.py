"""Refusals that say what to type, through the real Bolt app (Slack syntax) — the CLI's
counterparts are in tests/tracker/test_first_hour.py."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.render.as_text import blocks_to_text
from tests.bot.conftest import reply
from tests.bot.listeners.test_commands import snapshot


def said(response) -> str:
    return blocks_to_text(reply(response)["blocks"])


@pytest.mark.parametrize(("command", "text", "expected"), [
    ("/dossier", "sho N35", "Bedoelt u /dossier show N35?"),
    ("/deadline", "lsit N35", "Bedoelt u /deadline list N35?"),
    ("/lobby", "dosier show N35", "Bedoelt u /lobby dossier show N35?"),
    ("/deadline", "list N35 bananen", "Ik kan ‘bananen’ niet als periode lezen"),
    ("/deadline", "list N35 2022", "Die periode ligt in het verleden"),
    ("/deadline", "list 2022", "Die periode ligt in het verleden"),
    ("/deadline", "list 60", "Bedoelt u 60 dagen? Schrijf 60d."),
    ("/deadline", "list zwolle meppel 60", "Bedoelt u 60 dagen? Schrijf 60d."),
    # A date of two or three words that is wrong is refused as such, not read again from its
    # last word (then "nov" would be the dossier NOVEX and 2023 the horizon).
    ("/deadline", "list nov 2022", "Die periode ligt in het verleden"),
    ("/deadline", "list Q3 2023", "Die periode ligt in het verleden"),
    ("/deadline", "list 31 feb 2024", "31 februari bestaat niet"),
    ("/deadline", "list N35 31 feb 2024", "31 februari bestaat niet"),
    ("/deadline", "list 9999 maanden", "buiten de jaren 2000–2100"),
    ("/deadline", "nieuw N35 blabla Test i", "Ik kan geen datum lezen in ‘blabla Test i’"),
    ("/dossier", "status ZWM oranje nog steeds oranje", "ZWM staat al op oranje"),
    ("/lobby", "team add @anna editor", "/lobby team add @U0123ABCD editor"),
])
def test_refusals_say_what_was_meant(team: Session, slash, command: str, text: str,
                                     expected: str) -> None:
    before = snapshot(team)
    shown = said(slash(command, text))
    assert expected in shown
    assert "lobby deadline" not in shown and "lobby dossier" not in shown.replace("/lobby", "")
    assert snapshot(team) == before  # nothing changed


def test_no_sentence_said_twice(team: Session, slash) -> None:
    shown = said(slash("/deadline", "nieuw N35 blabla Test i"))
    assert shown.count("blabla Test i") == 1 and "niet als datum lezen" not in shown


def test_an_unknown_horizon_is_not_an_unknown_dossier(team: Session, slash) -> None:
    shown = said(slash("/deadline", "list N35 bananen"))
    assert "Geen dossier gevonden" not in shown
    assert "/deadline list N35 60d" in shown


@pytest.mark.parametrize(("text", "until"), [
    ("list N35 2024", "t/m di 31 dec 2024 — N35"),
    ("list 2024", "t/m di 31 dec 2024"),
    ("list zwolle meppel juni 2024", "t/m zo 30 jun 2024 — ZWM"),
    ("list N35 31 dec 2024", "t/m di 31 dec 2024 — N35"),
    ("list nov", "t/m do 30 nov 2023"),  # a month alone: the next one (novex: the dossier)
    ("list juni", "t/m zo 30 jun 2024"),
    ("list novex", "— NOVEX"),
])
def test_a_year_a_month_or_a_day_is_a_horizon(team: Session, slash, text: str,
                                              until: str) -> None:
    """`/deadline list N35 2027` lists up to the end of 2027, as "Q4" and "eind 2027" do."""
    assert until in said(slash("/deadline", text))


def test_reminders_none_in_words(team: Session, slash) -> None:
    shown = said(slash("/deadline", "herinner 19 geen"))
    assert "geen herinneringen" in shown and "herinneringen geen" not in shown
