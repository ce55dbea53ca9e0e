"""The one slash-command grammar: the text after `/lobby`, `/dossier`, … in, a `Command` out.

Slack, the console and the CLI all parse through `parse_command`, so they never disagree.
Anything that cannot be understood raises `InvalidInput` with a usage example.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tracker.dates import parse_horizon, parse_period, parse_when
from tracker.dates.core import Unreadable
from tracker.dates.when import WeekdayMismatch
from tracker.errors import InvalidInput
from tracker.messages import closest, pair
from tracker.services.deadlines import parse_offsets
from tracker.services.dossiers import RAG_WORDS
from tracker.services.members import parse_role
from tracker.services.programmes import parse_programme_status
from tracker.text import clean, fold

MAX_INPUT = 4000
MAX_WHEN_TOKENS = 6

REPORT_FORMATS = ("docx", "pdf")
AREAS = ("dossier", "deadline", "programma", "digest", "team", "voorkeur", "kamer", "help")
SLASH_AREAS = {"/lobby": None, "/dossier": "dossier", "/deadline": "deadline",
               "/programma": "programma", "/digest": "digest", "/kamer": "kamer"}
AREA_WORDS = {"dossier": "dossier", "dossiers": "dossier", "deadline": "deadline",
              "deadlines": "deadline", "programma": "programma", "programmas": "programma",
              "programme": "programma", "programmes": "programma", "digest": "digest",
              "team": "team", "voorkeur": "voorkeur", "voorkeuren": "voorkeur",
              "prefs": "voorkeur", "preferences": "voorkeur", "kamer": "kamer",
              "help": "help", "hulp": "help", "?": "help"}
ACTIONS: dict[str, dict[str, str]] = {
    "dossier": {"list": "list", "lijst": "list", "show": "show", "toon": "show", "new": "new",
                "nieuw": "new", "status": "status", "note": "note", "notitie": "note",
                "owner": "owner", "eigenaar": "owner", "channel": "channel", "kanaal": "channel",
                "edit": "edit", "bewerk": "edit", "archive": "archive", "archiveer": "archive",
                "help": "help", "hulp": "help"},
    "deadline": {"list": "list", "lijst": "list", "add": "add", "nieuw": "add", "new": "add",
                 "done": "done", "klaar": "done", "afgerond": "done", "move": "move",
                 "verzet": "move", "cancel": "cancel", "annuleer": "cancel", "remind": "remind",
                 "herinner": "remind", "snooze": "snooze", "later": "snooze",
                 "link": "link", "koppel": "link", "unlink": "unlink",
                 "ontkoppel": "unlink", "help": "help", "hulp": "help"},
    "programma": {"list": "list", "lijst": "list", "status": "status", "help": "help",
                  "hulp": "help"},
    "digest": {"post": "post", "plaats": "post", "help": "help", "hulp": "help"},
    "team": {"list": "list", "lijst": "list", "add": "add", "toevoegen": "add",
             "remove": "remove", "verwijder": "remove", "help": "help", "hulp": "help"},
}

from tracker.examples import EXAMPLES  # noqa: E402  (re-exported: one example per action)

USER_RE = re.compile(r"^<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>$|^@?([UW][A-Z0-9]{2,20})$")
CHANNEL_RE = re.compile(r"^<#([CGD][A-Z0-9]{2,20})(?:\|[^>]*)?>$|^#?([CGD][A-Z0-9]{2,20})$")
ID_RE = re.compile(r"^#?(\d{1,9})$")


@dataclass(frozen=True)
class Command:
    """A parsed command: area (dossier, deadline, …), action (show, add, …) and its arguments."""

    area: str
    action: str
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def mutates(self) -> bool:
        """True when the command changes records (needs the editor role)."""
        return (self.area, self.action) in MUTATIONS

    @property
    def reads_only(self) -> bool:
        """True when the command only shows what is stored (a list, a card, help, a preview)."""
        return (self.area, self.action) in READS


MUTATIONS = {("dossier", a) for a in ("new", "status", "note", "owner", "channel", "edit",
                                       "archive", "new_modal")} | {
    ("deadline", a) for a in ("add", "add_modal", "done", "move", "cancel", "remind",
                              "snooze")} | {
    ("programma", "status")} | {("team", "add"), ("team", "remove")}
READS = {("help", "help"), ("dossier", "list"), ("dossier", "show"), ("deadline", "list"),
         ("programma", "list"), ("digest", "show"), ("team", "list"), ("voorkeur", "show")}


def _fail(area: str, action: str, nl: str, en: str) -> InvalidInput:
    return InvalidInput(nl, en, example=EXAMPLES.get((area, action)))


def tokenize(text: str) -> list[str]:
    """Split on white space, keeping "quoted words" together."""
    try:
        lexer = shlex.shlex(text, posix=True)
        lexer.whitespace_split = True
        lexer.quotes = '"“”'
        lexer.escape = ""
        lexer.commenters = ""
        return list(lexer)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.replace('"', " ").split()


def parse_command(command: str, text: str, *, now: datetime, tz: ZoneInfo) -> Command:
    """Parse one slash command (`/dossier`, `/lobby`, …) and the text typed after it."""
    text = clean(text or "")
    if len(text) > MAX_INPUT:
        raise InvalidInput(f"Die opdracht is te lang ({len(text)} tekens, maximaal {MAX_INPUT}).",
                           f"That command is too long ({len(text)} characters, at most {MAX_INPUT}).",
                           example="/lobby help")
    slash = (command or "/lobby").strip().lower()
    if slash not in SLASH_AREAS:
        near = closest(slash, SLASH_AREAS)
        if near is not None:
            raise InvalidInput(*pair("unknown_command", slash=slash),
                               example=f"{near} {text}".strip(), suggest=True)
        raise InvalidInput(*pair("unknown_command", slash=slash), example="/lobby help")
    area = SLASH_AREAS[slash]
    rest = text
    if area is None:
        head, _, rest = text.partition(" ")
        if not head:
            return Command("help", "help", {"topic": None})
        area = AREA_WORDS.get(head.lower())
        if area is None:
            near = closest(head, AREA_WORDS)
            if near is not None:
                raise InvalidInput(*pair("unknown_part", word=head),
                                   example=f"/lobby {near} {rest}".strip(), suggest=True)
            raise InvalidInput(*pair("unknown_part", word=head), example="/lobby help")
        if area == "help":
            topic = AREA_WORDS.get(rest.strip().lower())
            return Command("help", "help", {"topic": topic})
    return PARSERS[area](rest.strip(), now, tz)


def _split_action(area: str, text: str, default: str) -> tuple[str, str, bool]:
    head, _, rest = text.partition(" ")
    action = ACTIONS[area].get(head.lower())
    if action is None:
        return default, text, False
    return action, rest.strip(), True


def _parse_dossier(text: str, now: datetime, tz: ZoneInfo) -> Command:
    action, rest, explicit = _split_action("dossier", text, "list")
    if action == "help":
        return Command("help", "help", {"topic": "dossier"})
    if action == "list":
        return Command("dossier", "list", {"filter": rest, "explicit": explicit})
    if action == "new":
        if not rest:
            return Command("dossier", "new_modal")
        code, _, title = rest.partition(" ")
        if not title.strip():
            raise _fail("dossier", "new", "Geef een code en een titel.", "Give a code and a title.")
        return Command("dossier", "new", {"code": code, "title": title.strip()})
    if not rest:
        raise _fail("dossier", action, "Welk dossier? Geef een code of woorden uit de titel.",
                    "Which dossier? Give a code or words of its title.")
    if action in ("show", "edit", "archive"):
        return Command("dossier", action, {"ref": _unquote(rest)})
    if action == "status":
        return _parse_status(rest)
    if action == "note":
        ref, body = _ref_and_rest(rest)
        if not body:
            raise _fail("dossier", "note", "De notitie ontbreekt.", "The note is missing.")
        return Command("dossier", "note", {"ref": ref, "text": body})
    tokens = rest.split()
    last = tokens[-1]
    if action == "owner":
        match = USER_RE.match(last)
        if not match or len(tokens) < 2:
            if fold(last) in ("geen", "none", "-") and len(tokens) >= 2:
                return Command("dossier", "owner", {"ref": " ".join(tokens[:-1]), "user": None})
            raise _fail("dossier", "owner", "Noem het dossier en dan een Slack-gebruiker met @.",
                        "Name the dossier and then a Slack user with @.")
        return Command("dossier", "owner",
                       {"ref": " ".join(tokens[:-1]), "user": match.group(1) or match.group(2)})
    match = CHANNEL_RE.match(last)
    if not match or len(tokens) < 2:
        if fold(last) in ("geen", "none", "-", "standaard", "default") and len(tokens) >= 2:
            return Command("dossier", "channel", {"ref": " ".join(tokens[:-1]), "channel": None})
        raise _fail("dossier", "channel", "Noem het dossier en dan een Slack-kanaal met #.",
                    "Name the dossier and then a Slack channel with #.")
    return Command("dossier", "channel",
                   {"ref": " ".join(tokens[:-1]), "channel": match.group(1) or match.group(2)})


def _parse_status(rest: str) -> Command:
    tokens = rest.split()
    for i, token in enumerate(tokens):
        if i > 0 and fold(token) in RAG_WORDS:
            reason = " ".join(tokens[i + 1:]).lstrip(":—- ").strip()
            if not reason:
                raise _fail("dossier", "status", "Geef ook de reden van de status.",
                            "Give the reason for the status too.")
            return Command("dossier", "status", {"ref": _unquote(" ".join(tokens[:i])),
                                                 "rag": RAG_WORDS[fold(token)], "reason": reason})
    raise _fail("dossier", "status",
                "Noem het dossier, de status (groen, oranje of rood) en de reden.",
                "Name the dossier, the status (green, amber or red) and the reason.")


def _ref_and_rest(rest: str) -> tuple[str, str]:
    """`<ref> | text`, `"multi word ref" text`, or the first word as ref."""
    if "|" in rest:
        ref, _, body = rest.partition("|")
        return ref.strip(), body.strip()
    tokens = tokenize(rest)
    if rest.startswith(("\"", "“")) and tokens:
        return tokens[0], rest[len(tokens[0]) + 2:].strip()
    head, _, body = rest.partition(" ")
    return head, body.strip()


_QUOTED_WHEN = re.compile(r'^["“][^"“”]+["”](\s|$)')
_YEAR = re.compile(r"\d{4}")


def _whole_quote(text: str) -> str:
    """A title the shell (or the user) quoted as a whole, without its quotes; any other title
    as typed."""
    quoted = re.fullmatch(r'\s*["“]([^"“”]*)["”]\s*', text)
    return quoted.group(1).strip() if quoted else text.strip()


def _add_when(text: str, now: datetime, tz: ZoneInfo) -> Any:
    """The date of `/deadline add` given as a whole; a refusal's example is an add command."""
    try:
        return parse_when(text, now=now, tz=tz)
    except InvalidInput as exc:
        exc.example = EXAMPLES[("deadline", "add")]
        raise


def _unquote(text: str) -> str:
    return text.strip().strip('"“”').strip()


def _parse_deadline(text: str, now: datetime, tz: ZoneInfo) -> Command:
    action, rest, explicit = _split_action("deadline", text, "list")
    if action == "help":
        return Command("help", "help", {"topic": "deadline"})
    if action == "list":
        listed = _parse_deadline_list(rest, now, tz)
        listed.args["explicit"] = explicit
        return listed
    if action == "add":
        if not rest:
            return Command("deadline", "add_modal")
        return _parse_deadline_add(rest, now, tz)
    if action in ("link", "unlink"):
        return parse_deadline_link(action, rest)
    head, _, tail = rest.partition(" ")
    match = ID_RE.match(head)
    if not match:
        raise _fail("deadline", action, "Geef het nummer van de deadline, zoals #42.",
                    "Give the deadline's number, like #42.")
    deadline_id = int(match.group(1))
    tail = tail.strip()
    if action in ("done", "cancel", "snooze"):
        if tail:
            raise _fail("deadline", action, f"Onverwachte tekst na het nummer: ‘{tail[:40]}’.",
                        f"Unexpected text after the number: ‘{tail[:40]}’.")
        return Command("deadline", action, {"id": deadline_id})
    if action == "move":
        if not tail:
            raise _fail("deadline", "move", "Geef de nieuwe datum.", "Give the new date.")
        return Command("deadline", "move", {"id": deadline_id,
                                            "when": parse_when(tail, now=now, tz=tz)})
    return Command("deadline", "remind", {"id": deadline_id, "offsets": parse_offsets(tail)})


def _parse_deadline_list(rest: str, now: datetime, tz: ZoneInfo) -> Command:
    """`[ref] [horizon]`: the horizon is the longest ending of up to three words that reads as
    one ("31 dec 2027", "juni 2027", "2027", "60d"); the rest is the dossier. An ending of two
    or three words that is a date but a wrong one ("nov 2026": past, "31 feb 2027") is refused
    as such, not read again from its last word ("2026" → the dossier would be "nov")."""
    tokens = rest.split()
    for size in (3, 2, 1):
        if len(tokens) >= size:
            try:
                until = parse_horizon(" ".join(tokens[-size:]), now=now, tz=tz)
            except Unreadable:
                continue
            except InvalidInput:
                if size > 1:
                    raise
                continue  # "60", "2023": perhaps part of the dossier (tracker.execute says)
            return Command("deadline", "list", {"ref": " ".join(tokens[:-size]) or None,
                                                "until": until,
                                                "horizon": " ".join(tokens[-size:])})
    return Command("deadline", "list", {"ref": rest or None,
                                        "until": parse_horizon("", now=now, tz=tz),
                                        "horizon": ""})


FORCE_FLAGS = frozenset({"--toch", "--force", "--anyway"})


def _parse_deadline_add(rest: str, now: datetime, tz: ZoneInfo) -> Command:
    # "--toch" (or --force) anywhere: add it even when the same deadline exists already
    words = rest.split()
    force = any(word.lower() in FORCE_FLAGS for word in words)
    if force:
        rest = " ".join(word for word in words if word.lower() not in FORCE_FLAGS)
    command = _parse_deadline_add_words(rest, now, tz)
    if force:
        command.args["force"] = True
    return command


def _parse_deadline_add_words(rest: str, now: datetime, tz: ZoneInfo) -> Command:
    ref, after = _ref_and_rest(rest) if rest.startswith(("\"", "“")) else rest.partition(" ")[::2]
    after = after.strip()
    if not after:
        raise _fail("deadline", "add", "Geef het dossier, de datum en de titel.",
                    "Give the dossier, the date and the title.")
    if "|" in after:
        # `"op z'n vroegst eind 2024" | Akkoord`: the shell's quotes (shell_words) come off too
        when_text, _, title = after.partition("|")
        when = _add_when(_unquote(when_text), now, tz)
        title = _whole_quote(title)
    elif _QUOTED_WHEN.match(after):
        # `"20 nov 2027" "Kamerdebat MIRT"` (the shell's quotes, or typed): the quoted part is
        # the date, all of it, and the title loses its quotes.
        when_text, title = _ref_and_rest(after)
        when = _add_when(when_text, now, tz)
        title = _whole_quote(title)
    else:
        tokens = after.split()
        when, title, error = None, "", None
        refused: dict[int, InvalidInput] = {}
        for size in range(min(MAX_WHEN_TOKENS, len(tokens)), 0, -1):
            try:
                when = parse_when(" ".join(tokens[:size]), now=now, tz=tz)
            except WeekdayMismatch:
                raise  # "maandag 20 november" on a Friday: never a shorter date and a title
            except InvalidInput as exc:
                refused[size] = exc
                # Keep the most telling reason: "31 februari bestaat niet" beats "unreadable".
                if error is None or (isinstance(error, Unreadable) and not isinstance(exc, Unreadable)):
                    error = exc
                continue
            year = refused.get(size + 1)
            if year is not None and not isinstance(year, Unreadable) and \
                    _YEAR.fullmatch(tokens[size]):
                # "20 nov 2101 …": a year out of the window is refused, never the next year
                # and a title starting with "2101".
                raise InvalidInput(year.nl, year.en, example=EXAMPLES[("deadline", "add")])
            title = _whole_quote(" ".join(tokens[size:]))
            break
        if when is None:
            if error is not None and not isinstance(error, Unreadable):  # "31 februari …"
                raise InvalidInput(error.nl, error.en, example=EXAMPLES[("deadline", "add")])
            shown = " ".join(tokens[:MAX_WHEN_TOKENS])
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            raise InvalidInput(*pair("no_date_in", text=shown),
                               example=EXAMPLES[("deadline", "add")])
    if not title:
        raise _fail("deadline", "add", "De titel van de deadline ontbreekt.",
                    "The deadline's title is missing.")
    return Command("deadline", "add", {"ref": ref, "when": when, "title": title})


def _parse_programma(text: str, now: datetime, tz: ZoneInfo) -> Command:
    action, rest, _explicit = _split_action("programma", text, "list")
    if action == "help":
        return Command("help", "help", {"topic": "programma"})
    if action == "list":
        return Command("programma", "list", {"line": rest or None})
    tokens = rest.split()
    for i in range(1, len(tokens)):
        for size in (2, 1):
            word = " ".join(tokens[i:i + size])
            status = parse_programme_status(word) if len(tokens[i:i + size]) == size else None
            if status is not None:
                return Command("programma", "status", {
                    "ref": _unquote(" ".join(tokens[:i])), "status": status.value,
                    "note": " ".join(tokens[i + size:]).lstrip(":—- ").strip()})
    raise _fail("programma", "status",
                "Noem het programma en de status (op-schema, risico, vertraagd, stilgelegd, "
                "afgerond).",
                "Name the programme and the status (on-track, at-risk, delayed, paused, done).")


def _parse_digest(text: str, now: datetime, tz: ZoneInfo) -> Command:
    action, rest, explicit = _split_action("digest", text, "show")
    if action == "help":
        return Command("help", "help", {"topic": "digest"})
    # "/digest 2023H1 pdf", "/digest docx": the council-ready report as a file, to the asker.
    words = rest.split()
    fmt = next((w.lower() for w in words if w.lower() in REPORT_FORMATS), None)
    if fmt is not None:
        rest = " ".join(w for w in words if w.lower() not in REPORT_FORMATS)
    period = parse_period(rest, now=now, tz=tz)
    args: dict[str, Any] = {"period": period}
    if fmt is not None:
        args["format"] = fmt
    return Command("digest", action if explicit else "show", args)


def _parse_team(text: str, now: datetime, tz: ZoneInfo) -> Command:
    action, rest, _explicit = _split_action("team", text, "list")
    if action == "help":
        return Command("help", "help", {"topic": "team"})
    tokens = rest.split()
    if action == "list":
        if tokens:
            raise _fail("team", "list", "`team list` heeft geen verdere woorden nodig.",
                        "`team list` takes no further words.")
        return Command("team", "list")
    match = USER_RE.match(tokens[0]) if tokens else None
    if not match:
        raise InvalidInput(*pair("user_needed"), example=EXAMPLES.get(("team", action)))
    user = match.group(1) or match.group(2)
    if action == "remove":
        if len(tokens) != 1:
            raise _fail("team", "remove", "Alleen de gebruiker, niets meer.",
                        "Only the user, nothing more.")
        return Command("team", "remove", {"user": user})
    if len(tokens) != 2:
        raise _fail("team", "add", "Noem de gebruiker en de rol (viewer, editor of admin).",
                    "Name the user and the role (viewer, editor or admin).")
    return Command("team", "add", {"user": user, "role": parse_role(tokens[1]).value})


def _parse_voorkeur(text: str, now: datetime, tz: ZoneInfo) -> Command:
    """`/lobby voorkeur` (show it) or `/lobby voorkeur dm|kanaal` (set it)."""
    from tracker.services.reminders import parse_via

    words = text.split()
    if not words:
        return Command("voorkeur", "show")
    if words[0].lower() in ("help", "hulp"):
        return Command("help", "help", {"topic": "voorkeur"})
    if len(words) > 1:
        raise _fail("voorkeur", "set", "Alleen dm of kanaal, niets meer.",
                    "Just dm or kanaal (channel), nothing more.")
    return Command("voorkeur", "set", {"via": parse_via(words[0])})


PARSERS = {"dossier": _parse_dossier, "deadline": _parse_deadline, "programma": _parse_programma,
           "digest": _parse_digest, "team": _parse_team, "voorkeur": _parse_voorkeur}

# The Tweede Kamer's grammar lives beside its adapter; it needs the names above.
from tracker.kamer.execute import MUTATIONS as _KAMER_MUTATIONS  # noqa: E402
from tracker.kamer.grammar import parse_deadline_link, parse_kamer  # noqa: E402

PARSERS["kamer"] = parse_kamer
MUTATIONS |= _KAMER_MUTATIONS
