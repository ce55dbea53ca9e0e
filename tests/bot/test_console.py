"""The console answers typed slash commands with the same code as Slack, as text."""

from __future__ import annotations

import io
from datetime import date

from bot.console import run_console


def test_console_session(tmp_path) -> None:
    typed = io.StringIO("/dossier toon N35\n/deadline nieuw N35 volgende vrijdag Gesprek\n"
                        "/dossier status N35 paars\n/dossier bewerk ZWM\n/home\nquit\n"
                        "/dossier lijst\n")
    out = io.StringIO()
    assert run_console(date(2023, 9, 15), typed, out, database_dir=tmp_path) == 0
    text = out.getvalue()
    assert "N35 — N35 Wijthmen" in text
    assert "vr 22 sep 2023" in text
    assert "Noem het dossier, de status" in text
    assert "Mijn dossiers" in text
    # A form is shown with its fields and what they hold (numbers too), and a hint.
    assert "▌Bewerk ZWM" in text and "Financiering nodig (EUR): [75000000]" in text
    assert "In Slack opent dit formulier" in text
    assert "Dossiers (8)" not in text  # after quit nothing more is read
