"""`lobby demo`: the second half of 2023 replayed through the real tick, in its own database."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tracker.cli import main


@pytest.mark.slow
def test_lobby_demo_replays_to_the_half_year_digest(tmp_path: Path, monkeypatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://never@127.0.0.1:1/touched")
    (tmp_path / "lobby-demo.db").write_text("an old demo database")
    started = time.monotonic()
    assert main(["demo"]) == 0
    assert time.monotonic() - started < 60
    out = capsys.readouterr().out
    # In time order: the first reminder in September, the Kamerdebat ladder, the digest last.
    first = out.index("do 14 sep 2023 09:00 · #regio-zwolle-lobby")
    assert out.index("Over 14 dagen: Werkbezoek minister Harbers") > first
    debate = [out.index(f"{when} Kamerdebat MIRT") for when in
              ("Over 14 dagen:", "Over 7 dagen:", "Over 3 dagen:")]  # Fri 24 Nov: 3 days before 27 Nov
    assert debate == sorted(debate)
    assert "Agenda week 47" in out and "[Herinner morgen]" in out
    assert "*" not in out.replace("**", "")  # not a TTY: clean text, no raw mrkdwn
    # December is a few calm bundles, not ten messages in one minute.
    assert re.search(r"\n\d+ herinneringen — vr 15 dec\n", out)
    assert out.count("vr 15 dec 2023 09:00 · #regio-zwolle-lobby") == 1
    # New Year's Day is a holiday: the digest comes on the first working day.
    assert "ma 1 jan 2024" not in out
    digest_at = out.index("di 2 jan 2024 09:00 · #bestuur-regio-zwolle")
    assert out.index("Halfjaarrapportage tweede halfjaar 2023") > digest_at
    assert "di 2 jan 2024 09:00 · #regio-zwolle-lobby" in out  # to the end of 2 January
    assert (tmp_path / "lobby-demo.db").stat().st_size > 10_000  # recreated, not the old file
    summary = re.search(r"\n(\d+) berichten met (\d+) meldingen \(((?:\d+ [A-Za-z' ]+)"
                        r"(?:, \d+ [A-Za-z' ]+)*)\), plus (\d+) teamacties \(gesimuleerd\), "
                        r"in \d+,\d s\n$", out)
    assert summary, out[-400:]
    parts = [int(part.split()[0]) for part in summary[3].split(", ")]
    assert sum(parts) == int(summary[2]) > int(summary[1])  # bundles carry several notices
    # The team's side, labelled: a visit done, a debate moved, a status change, the round.
    team = [line for line in out.splitlines() if line.startswith("(gesimuleerd) ")]
    assert any("Afgerond bij #12 Werkbezoek minister Harbers" in line for line in team)
    assert any("verzet" in line and "Commissiedebat internationaal spoor" in line for line in team)
    assert any("/dossier status ZTM oranje" in line for line in team)
    assert any("bevestigingsronde" in line for line in team)
    # the Tweede Kamer's move comes from bundled sample data, and the demo says so
    assert any("2023A99001" in line and "voorbeeldgegevens" in line for line in team)
    harbers_done = out.index("Afgerond bij #12 Werkbezoek minister Harbers")
    assert "Werkbezoek minister Harbers over NOVEX-gebied Regio Zwolle (bezoek) — verlopen" \
        not in out[harbers_done:]  # done: never overdue afterwards
    last = out.strip().splitlines()[-1]
    assert last.startswith(tuple("0123456789")) and " berichten met " in last and "messages" not in last


def test_demo_today_without_interactive_is_a_usage_error(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--today", "2023-10-01"]) == 2
    err = capsys.readouterr().err
    assert "--interactive" in err and "lobby demo --interactive --today 2023-10-01" in err
    assert not (tmp_path / "lobby-demo.db").exists()


def test_demo_piped_into_head_stops_quietly(tmp_path):
    import os
    import subprocess
    import sys

    command = f"{sys.executable} -m tracker.cli demo | head -n 3"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}  # never the real home
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("Lobbytracker demo")


def test_demo_speaks_english_when_asked(tmp_path, monkeypatch, capsys):
    from tracker.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "In 14 days: Werkbezoek minister Harbers" in out
    assert "Over 14 dagen" not in out and "(simulated) clicks Done" in out
    assert " messages carrying " in out.strip().splitlines()[-1]
