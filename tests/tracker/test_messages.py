"""Messages: no English in a Dutch message, no Dutch in an English one — in the catalogue
(tracker/messages.py) and in every domain error raised with an inline (nl, en) pair — and the
helpers that build them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tracker.messages import MESSAGES, closest, explain_value_error, ladder_text

ROOT = Path(__file__).resolve().parents[2]
# Words that are English and not Dutch (nor names, settings or commands).
ENGLISH = {"the", "must", "should", "cannot", "can't", "not", "found", "please", "invalid",
           "unknown", "missing", "month", "range", "which", "with", "without", "from", "does",
           "already", "nothing", "changed", "try", "again", "give", "choose", "example",
           "error", "before", "after", "days", "reminders", "none", "only", "this", "that",
           "you", "your", "out", "exist", "empty", "write", "set", "unsupported", "installed",
           "reachable", "directory", "file", "mean", "did", "command", "date", "time", "year",
           "day", "hour", "minute", "value", "line", "name", "user", "role"}
DUTCH = {"de", "het", "een", "niet", "geen", "voor", "naar", "met", "bij", "wordt", "kan",
         "moet", "bestaat", "gevonden", "opdracht", "datum", "dagen", "herinneringen",
         "voorbeeld", "bedoelt", "ongeldig", "ontbreekt", "leeg", "maand", "jaar", "dag", "uur",
         "periode", "gebruiker", "kies", "schrijf", "probeer", "staat", "heeft",
         "zijn", "wij", "u", "je", "welk", "welke", "nog", "al", "ook", "maar", "dan", "dit",
         "dat", "deze", "er", "hier", "zonder", "tussen", "t/m", "rol", "regel"}
# Left out before scanning: `code`, ‘quoted input’, {placeholders}, SETTINGS, --options,
# URLs and paths, /slash commands and dataset words that are the same in both languages.
_NEUTRAL = re.compile(r"`[^`]*`|‘[^’]*’|'[^']*'|\{[^}]*\}|\b[A-Z][A-Z0-9_]{2,}\b|(?<!\w)--?[a-z-]+"
                      r"|https?://\S+|\S*/\S+|\b[Ss]lack\b|\bbot\b")
ERRORS = {"LobbyError", "InvalidInput", "NotFound", "Ambiguous", "Forbidden", "Conflict",
          "SchemaBehind", "DatabaseUnavailable", "SettingProblem"}


def words(text: str) -> set[str]:
    cleaned = _NEUTRAL.sub(" ", text)
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ'/]+", cleaned)
            if not (len(w) <= 2 and w.isupper())}  # U… (a user id), ID


def _literal(node: ast.expr) -> str | None:
    """A string constant or the constant parts of an f-string; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " {x} ".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None and right is None else f"{left or ''} {right or ''}"
    return None


def inline_pairs() -> list[tuple[str, str, str]]:
    """(where, nl, en) of every domain error raised with two literal messages, and `_fail`."""
    found = []
    for path in sorted((ROOT / "tracker").rglob("*.py")) + sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = node.args
            if name in ERRORS and len(args) >= 2:
                nl, en = _literal(args[0]), _literal(args[1])
            elif name == "_fail" and len(args) >= 4:
                nl, en = _literal(args[2]), _literal(args[3])
            else:
                continue
            if nl is not None and en is not None and nl != en:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", nl, en))
    return found


PAIRS = [(f"messages:{key}", nl, en) for key, (nl, en) in MESSAGES.items()] + inline_pairs()


def test_the_scan_finds_the_error_messages() -> None:
    assert len(PAIRS) > 100  # the scan must see the real messages, or it proves nothing
    assert words("Unknown command {slash}.") & ENGLISH
    assert words("Geen dossier gevonden voor ‘x’.") & DUTCH


@pytest.mark.parametrize(("where", "nl", "en"), PAIRS, ids=[p[0] for p in PAIRS])
def test_no_english_in_dutch_and_no_dutch_in_english(where: str, nl: str, en: str) -> None:
    assert not words(nl) & ENGLISH, f"{where}: English in ‘{nl}’"
    assert not words(en) & DUTCH, f"{where}: Dutch in ‘{en}’"


@pytest.mark.parametrize(("word", "choices", "expected"), [
    ("/dosier", ["/lobby", "/dossier", "/deadline", "/programma", "/digest"], "/dossier"),
    ("sho", ["list", "show", "status", "note"], "show"),
    ("lsit", ["list", "lijst", "add", "done"], "list"),
    ("zwolle", ["list", "show", "status", "note"], None),
    ("show", ["show", "list"], None),
])
def test_closest_word(word: str, choices: list[str], expected: str | None) -> None:
    assert closest(word, choices) == expected


@pytest.mark.parametrize(("offsets", "nl", "en"), [
    ((), "geen herinneringen", "no reminders"),
    ((0,), "herinnering op de dag zelf", "reminder on the day itself"),
    ((1,), "herinneringen 1 dag vooraf", "reminders 1 day before"),
    ((14, 7, 1), "herinneringen 14, 7 en 1 dag vooraf", "reminders 14, 7 and 1 days before"),
    ((28, 14, 7, 3, 1, 0), "herinneringen 28, 14, 7, 3 en 1 dag vooraf en op de dag zelf",
     "reminders 28, 14, 7, 3 and 1 days before and on the day itself"),
])
def test_ladder_in_words(offsets: tuple[int, ...], nl: str, en: str) -> None:
    assert ladder_text(offsets, "nl") == nl
    assert ladder_text(offsets, "en") == en


@pytest.mark.parametrize(("make", "nl"), [
    (lambda: __import__("datetime").date(2023, 13, 1), "de maand moet 1 t/m 12 zijn"),
    (lambda: __import__("datetime").date(2023, 2, 30), "die dag bestaat niet in die maand"),
    (lambda: __import__("datetime").date.fromisoformat("31-02-2023"), "‘31-02-2023’ is geen datum"),
])
def test_python_date_errors_are_translated(make, nl: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        make()
    said_nl, said_en = explain_value_error(caught.value)
    assert said_nl.startswith(nl)
    assert not words(said_en) & DUTCH and "month must be" not in said_nl
