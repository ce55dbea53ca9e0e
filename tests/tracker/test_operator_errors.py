"""Operator errors (issue 11 item 5): every `lobby` subcommand against each bad configuration
prints one line saying what is wrong and what to do, and exits with DESIGN's code — never a
traceback. Run in-process through `tracker.cli.main`; a few real subprocesses check the same
from the outside (and that `postgresql://` works with psycopg 3)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main

# Every subcommand, with arguments that would succeed on a good configuration.
COMMANDS: list[list[str]] = [
    ["db", "upgrade"],
    ["seed", "regio-zwolle-2023"],
    ["dossier", "list"],
    ["deadline", "list"],
    ["programma", "list"],
    ["team", "list"],
    ["export", "json"],
    ["import", "json", "{backup}"],
    ["remind", "--dry-run"],
    ["digest", "--period", "2023H2"],
    ["doctor"],
]

# (name, DATABASE_URL, exit code, a word the one line must hold)
BAD_CONFIGURATIONS = [
    ("empty", "", 2, "DATABASE_URL"),
    ("blank", "   ", 2, "DATABASE_URL"),
    ("malformed", "lobby.db", 2, "DATABASE_URL"),
    ("unknown driver", "postgresql+psycopg2://postgres@127.0.0.1:5432/x", 2, "driver"),
    ("unsupported database", "mysql://root@127.0.0.1/lobby", 2, "mysql"),
    ("sqlite in a missing directory", "sqlite:///{tmp}/missing/dir/lobby.db", 3, "mkdir"),
    ("unreachable postgresql", "postgresql://postgres@127.0.0.1:1/lobby", 3, "bereikbaar"),
]
# doctor reports each check rather than one line; its codes are the same.
DOCTOR_WORD = {"unreachable postgresql": "FAIL database", "sqlite in a missing directory":
               "FAIL database"}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No settings from the developer's environment or home; run in an empty directory."""
    for name in list(os.environ):
        if name.startswith(("LOBBY_", "SLACK_")) or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "home" / "state"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backup.json").write_text("{}", encoding="utf-8")
    return tmp_path


def _argv(command: list[str], tmp: Path) -> list[str]:
    return [word.replace("{backup}", str(tmp / "backup.json")) for word in command]


@pytest.mark.parametrize(("name", "url", "code", "word"), BAD_CONFIGURATIONS,
                         ids=[c[0] for c in BAD_CONFIGURATIONS])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_refuses_a_bad_database_url_in_one_line(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: list[str], name: str, url: str, code: int, word: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url.replace("{tmp}", str(clean_env)))
    result = main(_argv(command, clean_env))
    out = capsys.readouterr()
    if command == ["doctor"]:
        assert result == code, out.out
        assert DOCTOR_WORD.get(name, "FAIL instellingen") in out.out
        assert word in out.out
        return
    assert result == code, (out.out, out.err)
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert word in lines[0] and "Traceback" not in out.err
    assert not (clean_env / "missing").exists()  # nothing created where the URL pointed


def test_a_database_that_does_not_exist_says_create_it(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        postgres_server) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server.url).set(database="lobby_does_not_exist_xyz")
    plain = url.render_as_string(hide_password=False).replace("postgresql+psycopg://",
                                                             "postgresql://")
    monkeypatch.setenv("DATABASE_URL", plain)
    assert main(["dossier", "list"]) == 3
    err = capsys.readouterr().err
    assert "bestaat niet" in err and "createdb" in err and len(err.strip().splitlines()) == 1


def test_plain_postgresql_url_means_psycopg3(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        postgres_server) -> None:
    plain = postgres_server.url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("DATABASE_URL", plain)
    assert main(["db", "upgrade"]) == 0
    assert main(["programma", "list"]) == 0


@pytest.mark.parametrize(("argv", "code", "word"), [
    (["export", "json", "-o", "{tmp}/nope/backup.json"], 2, "mkdir -p"),
    (["digest", "-o", "{tmp}/nope/digest.txt"], 2, "mkdir -p"),
    (["digest", "--chart", "{tmp}/nope/chart.png"], 2, "mkdir -p"),
    (["import", "json", "{tmp}/nope.json"], 2, "nope.json"),
    (["remind", "--now", "0001-01-01T00:00Z"], 2, "2000–2100"),
    (["remind", "--now", "2023-13-01T00:00"], 2, "lobby remind --now 2023-11-20T08:30"),
    (["deadline", "add"], 2, "lobby deadline add N35"),
    (["dossier", "new"], 2, "lobby dossier new"),
    (["dossier", "edit", "N35"], 2, "Slack"),
])
def test_usage_errors_exit_2_with_one_line(clean_env: Path, capsys: pytest.CaptureFixture[str],
                                           argv: list[str], code: int, word: str) -> None:
    assert main(["seed", "regio-zwolle-2023"]) == 0
    capsys.readouterr()
    assert main([a.replace("{tmp}", str(clean_env)) for a in argv]) == code
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and word in err, err
    assert not (clean_env / "nope").exists()


def test_refused_input_exits_1_with_a_cli_example(clean_env: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "regio-zwolle-2023"]) == 0
    capsys.readouterr()
    assert main(["deadline", "add", "N35", "blabla", "Test"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "Voorbeeld: lobby deadline add N35 20 nov 2023 Kamerdebat MIRT" in err
    assert "/deadline" not in err and "`" not in err


def test_invalid_settings_are_named_in_the_language_set(clean_env: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOBBY_TIMEZONE", "Mars/Olympus")
    assert main(["dossier", "list"]) == 2
    assert "onbekende tijdzone ‘Mars/Olympus’" in capsys.readouterr().err
    monkeypatch.setenv("LOBBY_LANGUAGE", "en")
    assert main(["dossier", "list"]) == 2
    assert "unknown time zone ‘Mars/Olympus’" in capsys.readouterr().err
    monkeypatch.setenv("LOBBY_LANGUAGE", "fr")
    assert main(["dossier", "list"]) == 2
    assert "LOBBY_LANGUAGE moet nl of en zijn" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "value"), [
    ("LOBBY_TK_FEED_URL", "htp:/bad url"), ("LOBBY_TK_FEED_URL", "https://"),
    ("LOBBY_TK_FEED_URL", "ftp://example.org/feed"), ("LOBBY_TK_API_URL", "nope"),
    ("LOBBY_TK_API_URL", ""),
])
def test_a_tweede_kamer_address_that_is_no_web_address_is_a_settings_error(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    assert main(["kamer", "sync"]) == 2  # wrong settings (DESIGN), not an outage to back off
    err = capsys.readouterr().err.strip()
    assert f"{name}: ‘{value}’ is geen webadres" in err and len(err.splitlines()) == 1
    assert main(["doctor"]) == 2


@pytest.mark.parametrize("period", ["zomer2023", "2023Q5", "1999H1"])
def test_a_bad_period_is_answered_with_a_period_example_that_runs(
        clean_env: Path, capsys: pytest.CaptureFixture[str], period: str) -> None:
    assert main(["digest", "--period", period]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("Voorbeeld: lobby digest --period 2023H2"), err
    assert main(["digest", "--period", "2023H2", "--format", "json", "-o",
                 str(clean_env / "example.json")]) == 0  # the example itself runs


def test_a_period_example_of_several_words_is_one_shell_argument() -> None:
    from tracker.errors import cli_example

    assert cli_example("/digest H2 2023") == "lobby digest --period 'H2 2023'"


def test_an_unexpected_error_prints_an_id_and_logs_the_traceback(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import tracker.seed

    def broken(**_kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(tracker.seed, "seed_dataset", broken)
    assert main(["seed", "regio-zwolle-2023"]) == 1
    err = capsys.readouterr().err.strip()
    assert "fout-id" in err and "Traceback" not in err and len(err.splitlines()) == 1
    error_id = err.split("fout-id ")[1][:8]
    log = next((clean_env / "home" / "state").rglob("lobby.log")).read_text(encoding="utf-8")
    assert error_id in log and "ZeroDivisionError: boom" in log


def test_missing_env_file_named_by_lobby_env_file(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOBBY_ENV_FILE", str(clean_env / "prod.env"))
    assert main(["dossier", "list"]) == 2
    assert "LOBBY_ENV_FILE" in capsys.readouterr().err


# --- the same from the outside: real processes, a fresh home -------------------------------

def _lobby(tmp: Path, *argv: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LOBBY_", "SLACK_")) and k not in ("DATABASE_URL", "PORT")}
    base.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / "data"),
                XDG_STATE_HOME=str(tmp / "home" / "state"), **env)
    return subprocess.run([sys.executable, "-m", "tracker.cli", *argv], cwd=cwd or tmp, env=base,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_same_database_from_any_directory(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    assert _lobby(tmp_path, "seed", "regio-zwolle-2023", cwd=one).returncode == 0
    shown = _lobby(tmp_path, "dossier", "show", "N35", cwd=two)
    assert shown.returncode == 0 and "N35 Wijthmen–Nijverdal" in shown.stdout
    assert not list(one.iterdir()) and not list(two.iterdir())  # no stray lobby.db
    assert (tmp_path / "home" / "data" / "lobbytracker" / "lobby.db").is_file()
    doctor = _lobby(tmp_path, "doctor", cwd=two)
    assert f"database: sqlite:///{tmp_path}/home/data/lobbytracker/lobby.db" in doctor.stdout


def test_env_file_from_the_working_directory_or_lobby_env_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path}/team.db\n"
                                  "LOBBY_LANGUAGE=en\n", encoding="utf-8")
    doctor = _lobby(tmp_path, "doctor", cwd=project)
    assert f"ok   .env: {project / '.env'}" in doctor.stdout
    assert f"database: sqlite:///{tmp_path}/team.db" in doctor.stdout
    elsewhere = _lobby(tmp_path, "doctor", LOBBY_ENV_FILE=str(project / ".env"))
    assert f"ok   .env: {project / '.env'}" in elsewhere.stdout
    assert "FAIL settings: HTTP mode" in elsewhere.stdout  # English, as the file says


def test_fresh_home_doctor_does_not_fail_migrations(tmp_path: Path) -> None:
    doctor = _lobby(tmp_path, "doctor", SLACK_BOT_TOKEN="", LOBBY_DEFAULT_CHANNEL="C1")
    lines = doctor.stdout.splitlines()
    assert any(line.startswith("ok   migraties: SQLite wordt bij het eerste gebruik") for line in lines)
    assert any(line.startswith("warn LOBBY_DIGEST_CHANNEL") for line in lines)
    assert not any(line.startswith("ok   LOBBY_") for line in lines)
    assert doctor.returncode == 2  # Slack settings missing
    assert not (tmp_path / "home" / "data" / "lobbytracker" / "lobby.db").exists()


def test_bad_url_in_a_real_process_is_one_line(tmp_path: Path) -> None:
    result = _lobby(tmp_path, "dossier", "list", DATABASE_URL="postgres://u@127.0.0.1:1/x")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "postgresql+psycopg://u@127.0.0.1:1/x" in result.stderr


@pytest.mark.parametrize(("host", "word"), [("127.0.0.1", "al in gebruik"),
                                            ("999.1.1.1", "geen adres van deze machine")])
def test_serve_that_cannot_listen_says_why_in_one_line(tmp_path: Path, host: str,
                                                       word: str) -> None:
    """A port in use (the likeliest first-day error) or an address that is not this
    machine's: a settings error (exit 2), not an unexpected one with an error id."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _lobby(tmp_path, "serve", "--no-scheduler", "--host", host,
                        DATABASE_URL=f"sqlite:///{tmp_path / 'lobby.db'}",
                        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="secret",
                        PORT=str(taken.getsockname()[1]))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "fout-id" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if " INFO " not in line]
    assert len(refusals) == 1 and word in refusals[0], result.stderr


def test_an_empty_argument_keeps_its_place(clean_env: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`lobby deadline add "" 20 nov 2027 Debat`: the empty dossier is named as missing, not
    the date read as the dossier and the title as the date."""
    assert main(["seed", "regio-zwolle-2023"]) == 0
    capsys.readouterr()
    for argv in (["deadline", "add", "", "20", "nov", "2027", "Debat"],
                 ["dossier", "note", " ", "Brief", "verstuurd"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("Welk dossier?") and len(err.splitlines()) == 1, err
