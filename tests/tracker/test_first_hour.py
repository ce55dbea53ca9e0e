"""What a new team meets in its first hour on the command line: quoting as a shell user
expects, examples in CLI syntax, misspellings answered with "Bedoelt u …?", and a dry run
that says why nothing is due."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    for name in ("LOBBY_LANGUAGE", "LOBBY_DEFAULT_CHANNEL", "LOBBY_ENV_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["seed", "regio-zwolle-2023"]) == 0

    def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def test_quoted_ref_in_a_real_shell_as_the_readme_shows(db_url: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_")}
    env.update(DATABASE_URL=db_url, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    lobby = f"{sys.executable} -m tracker.cli"
    script = (f'{lobby} seed regio-zwolle-2023 >/dev/null && '
              f'{lobby} dossier note "zwolle meppel" Brief verstuurd && '
              f'{lobby} dossier show "zwolle meppel"')
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Notitie toegevoegd aan ZWM." in result.stdout
    assert "Brief verstuurd" in result.stdout  # the note itself, without the ref's words


def test_argv_words_keep_their_boundaries(cli, capsys) -> None:
    code, out, _ = cli(capsys, "deadline", "add", "zwolle meppel", "20 nov 2030", "Werkbezoek")
    assert code == 0 and "toegevoegd aan ZWM" in out and "wo 20 nov 2030" in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["dossier", "sho", "N35"], "Bedoelt u lobby dossier show N35?"),
    (["deadline", "lsit", "N35"], "Bedoelt u lobby deadline list N35?"),
    (["deadline", "list", "N35", "bananen"], "Voorbeeld: lobby deadline list N35 60d"),
    (["dossier", "status", "N35", "rood", "nog", "steeds"], "Voorbeeld: lobby dossier note N35"),
    (["team", "add", "@anna", "editor"], "Voorbeeld: lobby team add @U0123ABCD editor"),
    (["dossier", "channel", "N35", "lobby"], "Voorbeeld: lobby dossier channel N35 '#lobby-n35'"),
])
def test_cli_refusals_in_cli_syntax(cli, capsys, argv: list[str], expected: str) -> None:
    code, _, err = cli(capsys, *argv)
    assert code == 1
    assert expected in err and "`" not in err and len(err.strip().splitlines()) == 1


def test_ladder_in_words_on_the_cli(cli, capsys) -> None:
    code, out, _ = cli(capsys, "deadline", "remind", "19", "geen")
    assert code == 0 and "#19: geen herinneringen." in out
    code, out, _ = cli(capsys, "deadline", "add", "N35", "20", "nov", "2030", "Debat", "MIRT")
    assert "herinneringen 14, 7 en 1 dag vooraf" in out


def test_dry_run_says_why_nothing_is_due(cli, capsys) -> None:
    code, out, _ = cli(capsys, "remind", "--dry-run", "--now", "2023-11-13T09:30")
    assert code == 0
    assert "LOBBY_DEFAULT_CHANNEL is niet gezet" in out and "N35" in out
    assert "proefdraai: 0 te versturen" in out


def test_dry_run_skip_lines_in_words(cli, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LOBBY_DEFAULT_CHANNEL", "C0123ABCD")
    code, out, _ = cli(capsys, "remind", "--dry-run", "--now", "2023-11-21T08:00Z")
    assert code == 0 and "reminder:" not in out and "deadline passed" not in out
    assert "LOBBY_DEFAULT_CHANNEL is niet gezet" not in out


def test_serve_logs_which_database_and_env_first(monkeypatch, tmp_path: Path) -> None:
    from bot.cli import sources_line
    from tracker.settings import load_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOBBY_ENV_FILE", raising=False)
    settings = load_settings(_env_file=None, DATABASE_URL="postgresql://u:geheim@db:5432/lobby")
    line = sources_line(settings)
    assert line.startswith("database: postgresql+psycopg://u:***@db:5432/lobby; .env: none")
    assert "geheim" not in line
    (tmp_path / ".env").write_text("PORT=3001\n", encoding="utf-8")
    assert sources_line(settings).endswith(f".env: {tmp_path / '.env'}")


def test_refusals_speak_the_language_of_the_env_file(cli, capsys, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LOBBY_LANGUAGE=en\n", encoding="utf-8")
    code, _, err = cli(capsys, "dossier", "show", "N53")
    assert code == 1 and "No dossier found for ‘N53’. Did you mean N35?" in err
    code, _, err = cli(capsys, "deadline", "add")
    assert code == 2 and "Example: lobby deadline add N35" in err


@pytest.mark.parametrize(("due", "said"), [("2023-13-01", "regel 2, kolom due_date: de maand moet 1 t/m 12 zijn"),
                                           ("2023-02-30", "regel 2, kolom due_date: die dag bestaat niet")])
def test_csv_import_errors_in_dutch(cli, capsys, tmp_path: Path, due: str, said: str) -> None:
    sheet = tmp_path / "deadlines.csv"
    sheet.write_text(f"dossier,title,due_date\nN35,Debat,{due}\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", "csv", str(sheet))
    assert code == 1 and said in err and "must be" not in err and "out of range" not in err


def test_a_duplicate_from_the_cli_is_refused_input(cli, capsys) -> None:
    first, out, _ = cli(capsys, "deadline", "add", "N35", "20", "nov", "2030", "Testdebat")
    assert first == 0 and "#" in out
    code, out, err = cli(capsys, "deadline", "add", "N35", "20", "nov", "2030", "Testdebat")
    assert code == 1 and out == "" and "Bestaat al als #" in err and "--toch" in err
    again, out, _ = cli(capsys, "deadline", "add", "N35", "20", "nov", "2030", "Testdebat",
                        "--toch")
    assert again == 0 and "toegevoegd" in out
