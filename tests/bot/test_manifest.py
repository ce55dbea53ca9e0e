"""The manifests install: manifest.yaml (Socket Mode) and `lobby manifest --http/--socket` match
Slack's JSON Schema and the rules Slack enforces on top, and come from one source (bot/manifest.py)."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / "manifest.yaml"
# A copy of slackapi/manifest-schema (MIT, see the LICENSE beside it) so the test needs
# nothing outside the repository; LOBBY_MANIFEST_SCHEMA points at a newer one.
BUNDLED_SCHEMA = Path(__file__).parent / "data" / "slack-app-manifest.schema.json"

EVENTS_URL = "https://lobby.example.org/slack/events"
COMMANDS = {"/lobby", "/dossier", "/deadline", "/programma", "/digest", "/kamer"}
# Every scope the code uses, and nothing more (see the comments in manifest.yaml).
BOT_SCOPES = {
    "commands",
    "chat:write",
    "chat:write.public",
    "users:read",
    "im:write",
    "files:write",
    "canvases:write",
    "channels:history",
    "groups:history",
}
# Slack's own rules, stricter than or absent from the schema.
COMMAND_NAME = re.compile(r"/[a-z0-9_-]{1,31}")  # 2–32 chars, lowercase, no spaces
MAX_COMMANDS = 50
MAX_COMMAND_DESCRIPTION = 2000
MAX_USAGE_HINT = 1000
MAX_DISPLAY_NAME = 35


def load_schema() -> dict[str, Any]:
    path = Path(os.environ.get("LOBBY_MANIFEST_SCHEMA") or BUNDLED_SCHEMA)
    return json.loads(path.read_text(encoding="utf-8"))


def load_manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def manifest_problems(manifest: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Everything Slack would refuse in ``manifest``, one readable line each."""
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message[:200]}"
        for error in Draft7Validator(schema).iter_errors(manifest)
    ]
    if not isinstance(manifest, dict):
        return problems
    name = manifest.get("display_information", {}).get("name", "")
    if len(name) > MAX_DISPLAY_NAME:
        problems.append(f"display name longer than {MAX_DISPLAY_NAME}: {name!r}")
    commands = manifest.get("features", {}).get("slash_commands") or []
    if len(commands) > MAX_COMMANDS:
        problems.append(f"{len(commands)} slash commands, Slack allows {MAX_COMMANDS}")
    seen: set[str] = set()
    for command in commands:
        if not isinstance(command, dict):
            continue
        text = str(command.get("command", ""))
        if not COMMAND_NAME.fullmatch(text):
            problems.append(f"{text!r}: must be '/' plus 1–31 lowercase letters, digits, - or _")
        if text in seen:
            problems.append(f"{text!r}: defined twice")
        seen.add(text)
        if len(command.get("description", "")) > MAX_COMMAND_DESCRIPTION:
            problems.append(f"{text}: description longer than {MAX_COMMAND_DESCRIPTION}")
        if len(command.get("usage_hint", "")) > MAX_USAGE_HINT:
            problems.append(f"{text}: usage_hint longer than {MAX_USAGE_HINT}")
    return problems


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded = load_schema()
    Draft7Validator.check_schema(loaded)
    return loaded


@pytest.fixture
def manifest() -> dict[str, Any]:
    return load_manifest()


def test_manifest_is_valid_for_slack(manifest: dict[str, Any], schema: dict[str, Any]) -> None:
    assert manifest_problems(manifest, schema) == []


def test_bundled_schema_keeps_its_licence() -> None:
    licence = BUNDLED_SCHEMA.parent / "slack-app-manifest.schema.LICENSE"
    assert "MIT License" in licence.read_text(encoding="utf-8")


def test_app_identity_is_dutch_and_named_lobbytracker(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]

    assert info["name"] == "Lobbytracker"
    assert manifest["features"]["bot_user"]["display_name"] == "Lobbytracker"
    assert "deadlines" in info["description"]
    assert " en " in info["description"]  # written in Dutch for the team


def http_manifest() -> dict[str, Any]:
    from bot.manifest import build_manifest

    return build_manifest(base_url="https://lobby.example.org")


def test_slash_commands_match_the_design(manifest: dict[str, Any]) -> None:
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    http = {c["command"]: c for c in http_manifest()["features"]["slash_commands"]}

    assert set(commands) == COMMANDS == set(http)
    for command in commands.values():
        assert command["should_escape"] is True, command["command"]
        assert "url" not in command, command["command"]  # Socket Mode: no URLs
        assert http[command["command"]]["url"] == EVENTS_URL, command["command"]
        assert command["usage_hint"], command["command"]
    # The hints show the grammar of DESIGN.md in the team's language.
    assert "status N35 groen|oranje|rood" in commands["/dossier"]["usage_hint"]
    assert "herinner 42 14,7,1" in commands["/deadline"]["usage_hint"]
    assert "op-schema" in commands["/programma"]["usage_hint"]
    assert "post [periode]" in commands["/digest"]["usage_hint"]
    assert "team add @naam viewer|editor|admin" in commands["/lobby"]["usage_hint"]


def test_bot_scopes_are_exactly_what_the_code_uses(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]

    assert len(scopes) == len(set(scopes))
    assert set(scopes) == BOT_SCOPES
    assert "user" not in manifest["oauth_config"]["scopes"]


def test_surfaces_and_settings(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    home = manifest["features"]["app_home"]

    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False
    assert settings["interactivity"] == {"is_enabled": True}
    assert settings["event_subscriptions"] == {"bot_events": ["app_home_opened"]}
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True


def test_http_manifest_has_every_url_and_socket_mode_off(schema: dict[str, Any]) -> None:
    http = http_manifest()
    settings = http["settings"]

    assert manifest_problems(http, schema) == []
    assert settings["socket_mode_enabled"] is False
    assert settings["interactivity"] == {"is_enabled": True, "request_url": EVENTS_URL,
                                         "message_menu_options_url": EVENTS_URL}
    assert settings["event_subscriptions"]["request_url"] == EVENTS_URL
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_repo_manifest_is_the_generated_socket_mode_one(manifest: dict[str, Any]) -> None:
    from bot.manifest import build_manifest, render_yaml

    assert manifest == build_manifest()
    assert MANIFEST.read_text(encoding="utf-8") == render_yaml(build_manifest()), (
        "manifest.yaml is stale: run `python -m bot.manifest`")


@pytest.mark.parametrize(("argv", "mode"), [
    (["manifest"], "socket"), (["manifest", "--socket"], "socket"),
    (["manifest", "--http", "https://lobby.example.org/"], "http"),
    (["manifest", "--http", "https://example.org/team/lobby"], "prefix")])
def test_lobby_manifest_prints_a_valid_manifest_for_the_mode(
        argv: list[str], mode: str, schema: dict[str, Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    assert main(argv) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert manifest_problems(printed, schema) == []
    urls = {c.get("url") for c in printed["features"]["slash_commands"]}
    urls.add(printed["settings"]["interactivity"].get("request_url"))
    urls.add(printed["settings"]["event_subscriptions"].get("request_url"))
    expected = {"socket": {None}, "http": {EVENTS_URL},
                "prefix": {"https://example.org/team/lobby/slack/events"}}[mode]
    assert urls == expected
    assert printed["settings"]["socket_mode_enabled"] is (mode == "socket")


@pytest.mark.parametrize("base", ["lobby.example.org", "http://lobby.example.org", "https://",
                                  "https://x.org/?a=1"])
def test_lobby_manifest_refuses_what_slack_would(base: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from tracker.cli import main

    assert main(["manifest", "--http", base]) == 2
    err = capsys.readouterr().err
    assert "lobby manifest --http https://" in err and len(err.strip().splitlines()) == 1


def test_descriptions_promise_only_what_the_app_does(manifest: dict[str, Any]) -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    long = manifest["display_information"]["long_description"]

    assert "dag(en)" not in long and "herinnert eigenaren" not in long
    assert "hangt af van de soort" in long and "kanaal" in long
    assert "28, 14, 7, 3 en 1 dag" in long  # DESIGN's defaults for a submission
    # No Markdown attachment is uploaded; the DOCX/PDF report is (files_upload_v2 to the asker).
    assert "Markdown" not in text
    assert "canvases:write" in text and "(DOCX/PDF) to the asker" in text


def _set_command(name: str) -> Any:
    def breaker(m: dict[str, Any]) -> None:
        m["features"]["slash_commands"][0]["command"] = name
    return breaker


def _set(path: tuple[str | int, ...], value: Any) -> Any:
    def breaker(m: dict[str, Any]) -> None:
        target = m
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return breaker


def _too_many_commands(m: dict[str, Any]) -> None:
    template = m["features"]["slash_commands"][0]
    m["features"]["slash_commands"] = [{**template, "command": f"/cmd{i}"} for i in range(51)]


def _duplicate_command(m: dict[str, Any]) -> None:
    m["features"]["slash_commands"].append(copy.deepcopy(m["features"]["slash_commands"][0]))


BREAKAGES = {
    "40-char command": _set_command("/" + "x" * 39),
    "uppercase command": _set_command("/Dossier"),
    "command with a space": _set_command("/lobby help"),
    "command without slash": _set_command("lobby"),
    "1-char command": _set_command("/"),
    "duplicate command": _duplicate_command,
    "51 commands": _too_many_commands,
    "long description": _set(("features", "slash_commands", 0, "description"), "d" * 2001),
    "long usage hint": _set(("features", "slash_commands", 0, "usage_hint"), "u" * 1001),
    "long display name": _set(("display_information", "name"), "L" * 36),
    "long app description": _set(("display_information", "description"), "d" * 141),
    "unknown setting": _set(("settings", "socket_mode"), True),
    "missing name": _set(("display_information",), {}),
    "bad request url": _set(("settings", "interactivity", "request_url"), "lobby.example.org"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_manifest_is_caught(
    manifest: dict[str, Any], schema: dict[str, Any], breakage: str
) -> None:
    broken = copy.deepcopy(manifest)
    BREAKAGES[breakage](broken)

    assert manifest_problems(broken, schema), breakage
