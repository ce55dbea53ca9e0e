"""The grammar of `/kamer …` (also `/lobby kamer …`) and of `/deadline link|unlink`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tracker.commands import ID_RE, Command, tokenize
from tracker.dates import parse_horizon
from tracker.errors import InvalidInput

KAMER_ACTIONS = {"volg": "follow", "follow": "follow", "ontvolg": "unfollow",
                 "unfollow": "unfollow", "zoek": "search", "search": "search", "help": "help",
                 "hulp": "help"}
DEADLINE_ACTIONS = {"link": "link", "koppel": "link", "unlink": "unlink", "ontkoppel": "unlink"}
EXAMPLES = {
    "follow": "/kamer volg N35 N35 Wijthmen",
    "unfollow": "/kamer ontvolg N35 Wijthmen",
    "search": "/kamer zoek MIRT 60d",
    "link": "/deadline link 42 2023A04567",
    "unlink": "/deadline unlink 42",
}
DEFAULT_SEARCH_HORIZON = "90d"


def _fail(action: str, nl: str, en: str) -> InvalidInput:
    return InvalidInput(nl, en, example=EXAMPLES.get(action))


def parse_kamer(text: str, now: datetime, tz: ZoneInfo) -> Command:
    """`/kamer volg <ref> [woorden…]`, `/kamer ontvolg <ref> <woorden…>`, `/kamer zoek …`."""
    head, _, rest = text.strip().partition(" ")
    action = KAMER_ACTIONS.get(head.lower())
    if not head or action == "help":
        return Command("help", "help", {"topic": "kamer"})
    if action is None:  # `/kamer MIRT 60d`: zoek is the default
        action, rest = "search", text.strip()
    tokens = tokenize(rest.strip())
    if action == "search":
        return _parse_search(tokens, now, tz)
    if not tokens:
        raise _fail(action, "Welk dossier? Geef de code, zoals N35.",
                    "Which dossier? Give its code, like N35.")
    ref, words = tokens[0], [w for w in tokens[1:] if w.strip()]
    if action == "unfollow" and not words:
        raise _fail("unfollow", "Welke woorden moet het dossier niet meer volgen?",
                    "Which words should the dossier stop following?")
    return Command("kamer", action if words else "words", {"ref": ref, "words": words})


def _parse_search(tokens: list[str], now: datetime, tz: ZoneInfo) -> Command:
    for size in (2, 1):
        if len(tokens) > size:
            try:
                until = parse_horizon(" ".join(tokens[-size:]), now=now, tz=tz)
            except InvalidInput:
                continue
            return Command("kamer", "search", {"words": " ".join(tokens[:-size]), "until": until})
    if not tokens:
        raise _fail("search", "Waar zoekt u naar? Geef een of meer woorden.",
                    "What are you looking for? Give one or more words.")
    return Command("kamer", "search", {
        "words": " ".join(tokens), "until": parse_horizon(DEFAULT_SEARCH_HORIZON, now=now, tz=tz)})


def parse_deadline_link(action: str, rest: str) -> Command:
    """`/deadline link <id> <nummer of URL>` and `/deadline unlink <id>`."""
    head, _, tail = rest.strip().partition(" ")
    match = ID_RE.match(head)
    if not match:
        raise _fail(action, "Geef het nummer van de deadline, zoals #42.",
                    "Give the deadline's number, like #42.")
    tail = tail.strip()
    if action == "unlink":
        if tail:
            raise _fail("unlink", f"Onverwachte tekst na het nummer: ‘{tail[:40]}’.",
                        f"Unexpected text after the number: ‘{tail[:40]}’.")
        return Command("deadline", "unlink", {"id": int(match.group(1))})
    if not tail:
        raise _fail("link", "Geef het activiteitnummer (zoals 2023A04567) of de link op "
                    "tweedekamer.nl.", "Give the activity number (like 2023A04567) or its "
                    "tweedekamer.nl link.")
    return Command("deadline", "link", {"id": int(match.group(1)), "ref": tail.strip("<>")})
