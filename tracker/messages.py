"""The catalogue of user-facing sentences: each key holds its Dutch and its English text.

New messages belong here (tests/tracker/test_messages.py scans every Dutch text for English
words and every English text for Dutch ones, and the inline messages of the domain errors as
well). `text(key, lang, **values)` fills one in; `pair(key, **values)` gives both, the way
`LobbyError(nl, en)` takes them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_command": ("Onbekende opdracht {slash}.", "Unknown command {slash}."),
    "unknown_part": ("Onbekend onderdeel ‘{word}’. Kies dossier, deadline, programma, digest, "
                     "team, voorkeur of kamer.",
                     "Unknown part ‘{word}’. Choose dossier, deadline, programma, digest, team, "
                     "voorkeur or kamer."),
    "not_an_action": ("Geen {what} gevonden voor ‘{text}’, en ‘{word}’ is geen opdracht.",
                      "No {what_en} found for ‘{text}’, and ‘{word}’ is not a command."),
    "did_you_mean": ("Bedoelt u", "Did you mean"),
    "example": ("Voorbeeld", "Example"),
    "unreadable_horizon": ("Ik kan ‘{text}’ niet als periode lezen; het dossier ‘{ref}’ heb ik "
                           "wel gevonden. Schrijf de periode als 60d, 3 maanden, Q4 of eind "
                           "{year}.",
                           "I cannot read ‘{text}’ as a horizon; the dossier ‘{ref}’ I did find. "
                           "Write the horizon as 60d, 3 months, Q4 or end {year}."),
    "no_date_in": ("Ik kan geen datum lezen in ‘{text}’. Zet de datum direct na het dossier, "
                   "bijvoorbeeld 20 nov 2023, morgen, over 2 weken of eind Q3.",
                   "I cannot read a date in ‘{text}’. Put the date right after the dossier, "
                   "for example 20 nov 2023, tomorrow, in 2 weeks or end Q3."),
    "same_status": ("{code} staat al op {rag} (sinds {since}): er verandert niets. Wilt u iets "
                    "vastleggen zonder de status te wijzigen? Maak dan een notitie.",
                    "{code} is already {rag} (since {since}): nothing changes. To record "
                    "something without changing the status, add a note."),
    "user_needed": ("Noem een Slack-gebruiker: kies in Slack de naam uit de lijst na @, of geef "
                    "het gebruikers-ID (U…, te vinden in het profiel onder ‘Lid-ID kopiëren’).",
                    "Name a Slack user: in Slack pick the name from the list after @, or give the "
                    "user ID (U…, in the profile under ‘Copy member ID’)."),
    "no_reminders": ("geen herinneringen", "no reminders"),
    "reminders_before": ("herinneringen {ladder} vooraf", "reminders {ladder} before"),
    "reminder_on_the_day": ("herinnering op de dag zelf", "reminder on the day itself"),
    "form_only_in_slack": ("`lobby {area} {action}` heeft argumenten nodig (het formulier bestaat "
                           "alleen in Slack).",
                           "`lobby {area} {action}` needs arguments (the form exists only in "
                           "Slack)."),
    "edit_only_in_slack": ("Dit formulier bestaat alleen in Slack; wijzig op de opdrachtregel "
                           "met de losse opdrachten (status, notitie, eigenaar, kanaal).",
                           "This form exists only in Slack; on the command line use the single "
                           "commands instead (status, note, owner, channel)."),
    "demo_today_needs_interactive": ("--today hoort bij --interactive: de replay loopt altijd "
                                     "van 1 september 2023 tot en met 2 januari 2024.",
                                     "--today goes with --interactive: the replay always runs "
                                     "from 1 September 2023 to the end of 2 January 2024."),
    # What Python's date and time functions say, in the team's words.
    "py_month_range": ("de maand moet 1 t/m 12 zijn", "the month must be 1 to 12"),
    "py_day_range": ("die dag bestaat niet in die maand", "that day does not exist in that month"),
    "py_year_range": ("het jaar valt buiten het bereik", "the year is out of range"),
    "py_hour_range": ("het uur moet 0 t/m 23 zijn", "the hour must be 0 to 23"),
    "py_minute_range": ("de minuut moet 0 t/m 59 zijn", "the minute must be 0 to 59"),
    "py_isoformat": ("‘{value}’ is geen datum of tijd zoals 2023-11-20 of 14:00",
                     "‘{value}’ is not a date or time like 2023-11-20 or 14:00"),
    "py_value": ("ongeldige waarde", "invalid value"),
}


def text(key: str, lang: str = "nl", /, **values: object) -> str:
    """The message `key` in `lang`, filled in."""
    nl, en = MESSAGES[key]
    return (en if lang == "en" else nl).format(**values)


def pair(key: str, /, **values: object) -> tuple[str, str]:
    """The Dutch and English message `key`, filled in (for `LobbyError(nl, en)`)."""
    nl, en = MESSAGES[key]
    return nl.format(**values), en.format(**values)


_PYTHON_ERRORS = (
    (re.compile(r"month must be in 1\.\.12"), "py_month_range"),
    (re.compile(r"day is out of range for month|day \d+ must be in range"), "py_day_range"),
    (re.compile(r"year \d+ is out of range|year must be in"), "py_year_range"),
    (re.compile(r"hour must be in 0\.\.23"), "py_hour_range"),
    (re.compile(r"minute must be in 0\.\.59"), "py_minute_range"),
    (re.compile(r"Invalid isoformat string: '(?P<value>.*)'"), "py_isoformat"),
)


def explain_value_error(exc: BaseException) -> tuple[str, str]:
    """A ValueError of Python's date/time functions as a Dutch and an English sentence."""
    message = str(exc)
    for pattern, key in _PYTHON_ERRORS:
        match = pattern.search(message)
        if match:
            return pair(key, **match.groupdict())
    return pair("py_value")


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.7) -> str | None:
    """The valid word nearest to a misspelt one (`dosier` → `dossier`), or None."""
    word = word.lower()
    options: Sequence[str] = sorted(set(choices))
    if len(word) < 2 or word in options:
        return None
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    if found:
        return found[0]
    # A prefix of one word only: `sho` → `show`.
    prefixed = [o for o in options if o.startswith(word) and len(word) >= 3]
    return prefixed[0] if len(prefixed) == 1 else None


def ladder_text(offsets: Sequence[int], lang: str = "nl") -> str:
    """(14, 7, 1, 0) → "herinneringen 14, 7 en 1 dag vooraf en op de dag zelf"; () → "geen
    herinneringen"."""
    days = sorted({int(o) for o in offsets if int(o) > 0}, reverse=True)
    on_the_day = any(int(o) == 0 for o in offsets)
    if not days:
        return text("reminder_on_the_day" if on_the_day else "no_reminders", lang)
    word_and = " en " if lang == "nl" else " and "
    listed = ", ".join(map(str, days[:-1])) + word_and + str(days[-1]) if len(days) > 1 \
        else str(days[0])
    unit = ("dag" if days[-1] == 1 else "dagen") if lang == "nl" else (
        "day" if days[-1] == 1 and len(days) == 1 else "days")
    result = text("reminders_before", lang, ladder=f"{listed} {unit}")
    if on_the_day:
        result += " en op de dag zelf" if lang == "nl" else " and on the day itself"
    return result
