"""The Slack app manifest, built from one Python structure for either mode.

`lobby manifest --http https://lobby.example.org` prints it for HTTP mode (every request URL
under that address, Socket Mode off); `lobby manifest --socket` for Socket Mode (no URLs).
`manifest.yaml` in the repository is the Socket Mode one, written by `write_repo_manifest()`;
tests/bot/test_manifest.py checks that the two agree.

To add a slash command, a scope or an event: append to SLASH_COMMANDS, BOT_SCOPES or BOT_EVENTS
below (each scope and event says why it is needed), then run
`python -m bot.manifest` to rewrite manifest.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EVENTS_PATH = "/slack/events"
REPO_MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yaml"


@dataclass(frozen=True)
class SlashCommand:
    """One slash command as Slack shows it (description and usage hint in Dutch)."""

    command: str
    description: str
    usage_hint: str


SLASH_COMMANDS: list[SlashCommand] = [
    SlashCommand("/lobby", "Lobbytracker – hulp en teambeheer; ook dossier, deadline, programma "
                 "en digest",
                 "[help|hulp] · team [list] · team add @naam viewer|editor|admin · team remove "
                 "@naam · dossier … · deadline … · programma … · digest …"),
    SlashCommand("/dossier", "Lobbydossiers bekijken en bijwerken (status, notitie, eigenaar, "
                 "kanaal)",
                 "[lijst] [filter] · toon N35 · nieuw CODE titel · status N35 groen|oranje|rood "
                 "reden · notitie N35 tekst · eigenaar N35 @naam · kanaal N35 #kanaal · bewerk "
                 "N35 · archiveer N35"),
    SlashCommand("/deadline", "Deadlines en mijlpalen van dossiers bekijken, toevoegen en "
                 "bijwerken",
                 "[lijst] [dossier] [60d|3 maanden|Q4] · nieuw N35 20 nov 2023 Kamerdebat MIRT · "
                 "klaar 42 · verzet 42 datum · annuleer 42 · herinner 42 14,7,1 · later 42 · "
                 "koppel 42 2023A04567"),
    SlashCommand("/programma", "Status van programma's bekijken en bijwerken",
                 "[lijst] [lijn] · status naam op-schema|risico|vertraagd|stilgelegd|afgerond "
                 "[toelichting]"),
    SlashCommand("/digest", "Digest van wat er in een periode veranderde (voorbeeld, of plaatsen "
                 "in het kanaal)",
                 "[periode: 2023H2|Q3 2023|2023-11|week|maand|halfjaar] · post [periode] · "
                 "[periode] docx|pdf"),
    SlashCommand("/kamer", "Tweede Kamer volgen: volgwoorden per dossier en komende debatten "
                 "zoeken",
                 "volg N35 [woorden…] · ontvolg N35 woorden… · zoek woorden [60d]"),
]

# (scope, why): least privilege — every scope is here for a named use in the code.
# app_mentions:read is deliberately absent: the bot answers slash commands, buttons and App
# Home, never @-mentions.
BOT_SCOPES: list[tuple[str, str]] = [
    ("commands", "the slash commands above"),
    ("chat:write", "reminders, agenda, digests, chat.update of stale reminders, ephemeral replies"),
    ("chat:write.public", "post to LOBBY_DEFAULT_CHANNEL / dossier channels without being "
                          "invited first"),
    ("users:read", "users.info: owner names and time zones in cards and reminders"),
    ("im:write", "conversations.open: direct messages to admins about failed posts, and "
                 "reminders to members who chose them as a DM"),
    ("files:write", "files.upload v2: the chart of a posted digest, and the report "
                    "(DOCX/PDF) to the asker"),
    ("canvases:write", "canvases.create/edit: the half-year report as the digest channel's "
                       "canvas"),
    ("channels:history", "crash recovery: find an already-posted reminder by its message "
                         "metadata (public channels)"),
    ("groups:history", "the same lookup in private channels"),
]

# (event, why)
BOT_EVENTS: list[tuple[str, str]] = [
    ("app_home_opened", "render the Home tab (needs no extra scope)"),
]

DESCRIPTION = ("Lobbydossiers, deadlines en programma's van het public-affairsteam, met "
               "herinneringen, weekagenda en halfjaarrapportage.")
LONG_DESCRIPTION = (
    "Lobbytracker houdt de lobbydossiers van het public-affairsteam bij (N35, Zwolle–Meppel, "
    "Kornwerderzand, NOVEX, …): de status per dossier (groen, oranje, rood) met de reden, de "
    "deadlines en mijlpalen (Kamerdebatten, bestuurlijke overleggen, werkbezoeken, "
    "indieningstermijnen) en de voortgang van de programma's. Herinneringen gaan naar het "
    "kanaal van het dossier (of het standaardkanaal); hoeveel dagen vooraf hangt af van de "
    "soort: bij een indiening 28, 14, 7, 3 en 1 dag vooraf en op de dag zelf, bij een debat "
    "14, 7 en 1 dag, bij een werkbezoek 14, 3 en 1 dag, bij al het andere 14, 7 en 1 dag en op "
    "de dag zelf; per deadline aan te passen. Op de eerste werkdag van de week zet de bot de "
    "weekagenda in het standaardkanaal, en op de eerste werkdag op of na 1 januari en 1 juli "
    "de halfjaarrapportage in het kanaal daarvoor. Gebruik /dossier, /deadline, /programma en "
    "/digest, of /lobby help voor een overzicht.")


class ManifestError(ValueError):
    """A base URL Slack would not accept."""


def events_url(base_url: str) -> str:
    """`https://host[/prefix]` → `https://host[/prefix]/slack/events`; refuses what Slack does."""
    parts = urlsplit(base_url.strip())
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ManifestError(base_url)
    return f"https://{parts.netloc}{parts.path.rstrip('/')}{EVENTS_PATH}"


def build_manifest(*, base_url: str | None = None) -> dict[str, Any]:
    """The manifest for HTTP mode (with `base_url`) or Socket Mode (without)."""
    url = events_url(base_url) if base_url else None
    commands = []
    for command in SLASH_COMMANDS:
        entry: dict[str, Any] = {"command": command.command}
        if url:
            entry["url"] = url
        entry |= {"description": command.description, "usage_hint": command.usage_hint,
                  "should_escape": True}
        commands.append(entry)
    events: dict[str, Any] = {"request_url": url} if url else {}
    events["bot_events"] = [name for name, _ in BOT_EVENTS]
    interactivity: dict[str, Any] = {"is_enabled": True}
    if url:
        # the add-deadline form's dossier search (more than 100 dossiers) asks here for options
        interactivity |= {"request_url": url, "message_menu_options_url": url}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": "Lobbytracker", "description": DESCRIPTION,
                                "long_description": LONG_DESCRIPTION,
                                "background_color": "#0b4f8a"},
        "features": {
            # Messages tab on and writable: people type the slash commands in the bot's DM too.
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": "Lobbytracker", "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": [name for name, _ in BOT_SCOPES]}},
        "settings": {"event_subscriptions": events, "interactivity": interactivity,
                     "org_deploy_enabled": False, "socket_mode_enabled": url is None,
                     "token_rotation_enabled": False},
    }


def render_yaml(manifest: dict[str, Any]) -> str:
    """The manifest as YAML with a header and the reason beside each scope and event."""
    import yaml

    socket = manifest["settings"]["socket_mode_enabled"]
    header = ("# Slack app manifest for Lobbytracker, " + (
        "Socket Mode (`lobby serve` with SLACK_APP_TOKEN set).\n"
        "# For HTTP mode print one with your address: lobby manifest --http https://lobby.example.org\n"
        if socket else "HTTP mode (`lobby serve` without SLACK_APP_TOKEN).\n")
        + "# Install: api.slack.com/apps → Create New App → From an app manifest → paste this.\n"
        "# Generated by bot/manifest.py (`lobby manifest`); edit that file, not this one.\n")
    body = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
    why = {f"- {name}": reason for name, reason in BOT_SCOPES + BOT_EVENTS}
    lines = []
    for line in body.splitlines():
        reason = why.get(line.strip())
        lines.append(f"{line}  # {reason}" if reason else line)
    return header + "\n".join(lines) + "\n"


def write_repo_manifest(path: Path = REPO_MANIFEST) -> None:
    """Rewrite manifest.yaml (the Socket Mode manifest) from this module."""
    path.write_text(render_yaml(build_manifest()), encoding="utf-8")


def manifest_command(args: Any) -> int:
    """`lobby manifest [--http BASE_URL | --socket]`: print the manifest for that mode."""
    import sys

    from tracker.cli import UsageError

    try:
        manifest = build_manifest(base_url=args.http)
    except ManifestError as exc:
        raise UsageError(
            f"--http: ‘{exc}’ is geen https-adres; Slack stuurt verzoeken alleen naar https. "
            "Voorbeeld: lobby manifest --http https://lobby.example.org") from exc
    sys.stdout.write(render_yaml(manifest))
    return 0


if __name__ == "__main__":
    write_repo_manifest()
