"""The `lobby` command line, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tracker.cli import main


@pytest.fixture
def cli_env(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    for name in ("LOBBY_LANGUAGE", "LOBBY_TIMEZONE", "LOBBY_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    return db_url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_seed_show_and_change_through_the_grammar(cli_env, capsys):
    assert run(capsys, "seed", "regio-zwolle-2023")[0] == 0
    code, out, _ = run(capsys, "seed", "regio-zwolle-2023")
    assert code == 0 and "niets gewijzigd" in out
    code, out, _ = run(capsys, "dossier", "show", "N35")
    assert code == 0
    assert "N35 Wijthmen–Nijverdal" in out and "Status: rood" in out and "Kamerdebat MIRT" in out
    code, out, err = run(capsys, "dossier", "status", "zwolle", "meppel", "oranje", "Gesprek", "gepland")
    assert code == 1 and "ZWM staat al op oranje" in err  # the same status: nothing to change
    code, out, _ = run(capsys, "dossier", "status", "zwolle", "meppel", "rood", "Gesprek", "gepland")
    assert code == 0 and "ZWM: status oranje → rood" in out
    code, out, _ = run(capsys, "deadline", "add", "N35", "20", "nov", "2030", "Werkbezoek")
    assert code == 0 and "wo 20 nov 2030" in out and "#" in out


def test_errors_are_one_clear_line_and_exit_1(cli_env, capsys):
    run(capsys, "seed", "regio-zwolle-2023")
    code, _, err = run(capsys, "dossier", "show", "N53")
    assert code == 1 and "Geen dossier gevonden" in err and "N35" in err
    code, _, err = run(capsys, "deadline", "add", "N35", "31", "februari", "Debat")
    assert code == 1 and "februari" in err and "Traceback" not in err


def test_invalid_settings_exit_2(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("LOBBY_TIMEZONE", "Mars/Olympus")
    code, _, err = run(capsys, "dossier", "list")
    assert code == 2 and "LOBBY_TIMEZONE" in err.upper()


def test_export_to_file(cli_env, capsys, tmp_path):
    run(capsys, "seed", "regio-zwolle-2023")
    target = tmp_path / "backup.json"
    assert run(capsys, "export", "json", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    code, out, _ = run(capsys, "export", "ics")
    assert code == 0 and "BEGIN:VCALENDAR" in out


def test_doctor_reports_one_line_per_check(cli_env, capsys):
    code, out, _ = run(capsys, "doctor")
    lines = out.strip().splitlines()
    assert any(line.startswith("ok   database") for line in lines)
    assert any(line.startswith("ok   migraties") for line in lines)
    assert any(line.startswith("FAIL instellingen") for line in lines)  # no Slack tokens here
    assert code == 2  # wrong settings (DESIGN's exit codes)


def test_lobby_works_from_any_directory(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'any.db'}"}
    result = subprocess.run([sys.executable, "-m", "tracker.cli", "db", "upgrade"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "database at" in result.stdout


@pytest.mark.parametrize(("argv", "says"), [
    (["dosier", "show", "N35"], "‘dosier’ is geen opdracht van lobby. Bedoelt u lobby dossier show N35?"),
    (["deadlines", "list"], "Bedoelt u lobby deadline list?"),
    (["Dossier", "list"], "Bedoelt u lobby dossier list?"),
    (["xyz"], "‘xyz’ is geen opdracht van lobby. Kies uit: db, deadline, demo,"),
    ([], "Welke opdracht? Bijvoorbeeld ‘lobby demo’"),
    # one argument "show<newline>N35" stays one (quoted), its newline a space
    (["dos\x1b[31mier\u202e", "show\nN35"], "‘dos[31mier’ is geen opdracht van lobby. Bedoelt u lobby dossier 'show N35'?"),
    (["x" * 5000], "‘" + "x" * 39 + "…’ is geen opdracht van lobby."),
])
def test_a_missing_or_misspelt_command_is_one_line_with_what_was_meant(cli_env, capsys, argv,
                                                                       says):
    """Exit 2 (wrong usage) and one line on stderr naming the command probably meant, in the
    configured language, without echoing control characters or a page of text."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and says in err, err
    assert "\x1b" not in err and "\u202e" not in err and len(err) < 400


def test_a_misspelt_command_in_english_and_help_as_before(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("LOBBY_LANGUAGE", "en")
    code, _, err = run(capsys, "dosier", "list")
    assert (code, err) == (2, "‘dosier’ is not a lobby command. Did you mean lobby dossier list?\n")
    with pytest.raises(SystemExit) as shown:
        main(["--help"])
    assert shown.value.code == 0 and "COMMAND" in capsys.readouterr().out
    with pytest.raises(SystemExit) as wrong:  # a subcommand's own arguments: argparse says so
        main(["seed", "nergens"])
    assert wrong.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_what_the_cli_echoes_is_one_clean_line_that_a_shell_takes_back(cli_env, capsys):
    """The suggestion is quoted as a shell needs it (a # would start a comment), and no
    refusal echoes the bidi or control characters a user typed."""
    code, _, err = run(capsys, "dosier", "channel", "N35", "#lobby-n35")
    assert code == 2 and "Bedoelt u lobby dossier channel N35 '#lobby-n35'?" in err
    code, _, err = run(capsys, "dosier", "note", "N35", "Overleg; vervolg > januari")
    assert "lobby dossier note N35 'Overleg; vervolg > januari'?" in err
    run(capsys, "seed", "regio-zwolle-2023")
    code, _, err = run(capsys, "deadline", "list", "N35", "x\u202ey\x1b[2J")
    assert code == 1 and "het dossier ‘N35’ heb ik wel gevonden" in err
    assert "\u202e" not in err and "\x1b" not in err and err.count("\n") == 1


def test_help_after_an_action_shows_the_area_s_grammar(cli_env, capsys):
    """`lobby deadline list --help` is a question, not a dossier called --help; a note that
    mentions -h is still a note."""
    code, out, err = run(capsys, "deadline", "list", "--help")
    assert (code, err) == (0, "")
    assert "lobby deadline add N35 20 nov 2023 Kamerdebat MIRT" in out and "usage: lobby deadline" in out
    with pytest.raises(SystemExit) as shown:  # right after the area: argparse's own help
        main(["team", "-h"])
    assert shown.value.code == 0 and "lobby team add @U0123ABCD editor" in capsys.readouterr().out
    run(capsys, "seed", "regio-zwolle-2023")
    code, out, _ = run(capsys, "dossier", "note", "N35", "Zie", "-h", "van", "de", "brief")
    assert code == 0 and "Notitie toegevoegd" in out


@pytest.mark.parametrize(("argv", "allowed"), [
    (["--help"], ()),
    (["deadline", "--help"], ()),
    (["deadline", "list", "--help"], ()),
    (["dosier", "list"], ("pydantic_settings",)),  # its language: LOBBY_LANGUAGE or the .env
])
def test_help_and_a_misspelt_command_stay_quick_to_start(tmp_path, argv, allowed):
    """`lobby --help` and a misspelt command need no database layer, and help no settings:
    importing SQLAlchemy, SQLModel and pydantic-settings took `lobby --help` from 0.17 to
    0.98 s (bench `--only startup`). A fresh interpreter reports what they loaded."""
    probe = ("import sys, contextlib, io\n"
             "from tracker.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()), "
             "contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):\n"
             f"    main({argv!r})\n"
             "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic_settings') "
             "if m in sys.modules))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOBBY_")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = eval(done.stdout.strip())  # a list of names printed by the probe
    assert set(loaded) <= set(allowed), loaded


def test_a_database_lost_during_a_command_is_exit_3(cli_env, capsys, monkeypatch):
    """SQLAlchemy's error is matched without importing SQLAlchemy up front (`_sqlalchemy_error`):
    the database going away while a command runs is still one line and exit 3."""
    from sqlalchemy.exc import OperationalError

    import tracker.execute

    def gone(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    run(capsys, "seed", "regio-zwolle-2023")
    monkeypatch.setattr(tracker.execute, "execute", gone)
    code, out, err = run(capsys, "dossier", "list")
    assert code == 3 and out == "" and err.count("\n") == 1
    assert "Traceback" not in err and "SELECT" not in err


def test_the_readme_s_quoted_date_with_a_bar(cli_env, capsys):
    """README: `lobby deadline add N35 "op z'n vroegst eind 2024" "|" Akkoord TEN-T` — the
    shell's quotes around the date come off; an agreement is somebody's decision (an event)."""
    run(capsys, "seed", "regio-zwolle-2023")
    code, out, err = run(capsys, "deadline", "add", "N35", "op z'n vroegst eind 2024", "|",
                         "Akkoord", "TEN-T", "--toch")
    assert code == 0 and "toegevoegd" in out and err == "", err
    code, _, err = run(capsys, "deadline", "add", "N35", "31 februari 2027", "|", "Debat")
    assert code == 1 and "Voorbeeld: lobby deadline add N35" in err
