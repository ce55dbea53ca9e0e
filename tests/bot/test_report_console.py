"""The console and `lobby demo` say where the canvas would appear and write the report file."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.console import run_console


def test_console_posts_with_the_canvas_notice_and_writes_the_report(tmp_path: Path,
                                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    typed = io.StringIO("/digest post 2023H1\n/digest 2023H1 pdf\nquit\n")
    out = io.StringIO()
    assert run_console(date(2023, 9, 15), typed, out, database_dir=tmp_path) == 0
    text = out.getvalue()
    assert ("In Slack verschijnt het rapport ook als canvas ‘Halfjaarrapportage Regio Zwolle — "
            "eerste halfjaar 2023’") in text
    report = tmp_path / "halfjaarrapportage-2023H1.pdf"
    assert f"Het rapport staat in {report}" in text
    assert "€ 226.713" in "".join(p.extract_text() for p in PdfReader(report).pages)


@pytest.mark.slow
def test_lobby_demo_writes_the_second_half_year_report(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    report = tmp_path / "lobby-demo-2023H2.pdf"
    assert f"Rapport: {report}" in out
    assert "als canvas ‘Halfjaarrapportage Regio Zwolle — tweede halfjaar 2023’ in " in out
    reader = PdfReader(report)
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 2 and "Halfjaarrapportage Regio Zwolle" in text
    assert "Kernboodschap" in text and "28 september 2023" in text
