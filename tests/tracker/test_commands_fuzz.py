"""Property: whatever is typed after a slash command, the grammar answers with a Command or
InvalidInput — never another exception. LOBBY_FUZZ_EXAMPLES sets the number of examples."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import AMS, PINNED_NOW
from tracker.commands import Command, parse_command
from tracker.errors import InvalidInput

EXAMPLES = int(os.environ.get("LOBBY_FUZZ_EXAMPLES", "300"))
VOCABULARY = [
    "dossier", "deadline", "programma", "digest", "team", "help", "list", "lijst", "show", "toon",
    "new", "nieuw", "status", "note", "owner", "channel", "edit", "archive", "add", "done",
    "klaar", "move", "verzet", "cancel", "remind", "herinner", "post", "remove", "N35", "ZWM",
    "rood", "groen", "oranje", "red", "op-schema", "stilgelegd", "20", "nov", "2023", "31",
    "februari", "Q4", "Q5", "eind", "medio", "morgen", "volgende", "vrijdag", "over", "2", "weken",
    "14:00", "#42", "42", "14,7,1", "|", '"', "<@U012AB>", "<#C012AB|x>", "<!channel>", "@here",
    "'; DROP TABLE dossier; --", "🚆", "שלום", "\u202e", "60d", "3", "maanden", "2023H1", "editor",
    "-1", "0", "99999999999", "H2", "week", "maand", "x" * 300,
]
SLASHES = st.sampled_from(["/lobby", "/dossier", "/deadline", "/programma", "/digest"])
TEXT = st.one_of(st.text(max_size=300),
                 st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slash=SLASHES, text=TEXT)
def test_grammar_answers_command_or_invalid_input(slash: str, text: str) -> None:
    refusal: InvalidInput | None = None
    try:
        result = parse_command(slash, text, now=PINNED_NOW, tz=AMS)
    except InvalidInput as err:
        refusal = err
    if refusal is None:
        assert isinstance(result, Command)
    else:
        assert refusal.message("nl")
        assert refusal.message("en")
