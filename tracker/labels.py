"""Words shown to users for the domain's values, in Dutch and English, and the help text."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.dates.spans import due_words

RAG = {"green": ("groen", "green"), "amber": ("oranje", "amber"), "red": ("rood", "red")}
RAG_EMOJI = {"green": ":large_green_circle:", "amber": ":large_orange_circle:",
             "red": ":red_circle:"}
LINES = {
    "economie-arbeidsmarkt": ("Economie en arbeidsmarkt", "Economy and labour market"),
    "ruimtelijke-ontwikkeling": ("Ruimtelijke ontwikkeling", "Spatial development"),
    "public-affairs": ("Public affairs", "Public affairs"),
}
PROGRAMME_STATUS = {
    "on-track": ("op schema", "on track"), "at-risk": ("risico", "at risk"),
    "delayed": ("vertraagd", "delayed"), "paused": ("stilgelegd", "paused"),
    "done": ("afgerond", "done"),
}
PHASES = {"active": ("actief", "active"), "paused": ("gepauzeerd", "paused"),
          "closed": ("gearchiveerd", "archived")}
KINDS = {
    "debate": ("debat", "debate"), "visit": ("bezoek", "visit"),
    "submission": ("indiening", "submission"), "decision": ("besluit", "decision"),
    "meeting": ("overleg", "meeting"), "election": ("verkiezing", "election"),
    "commitment": ("toezegging", "commitment"), "other": ("overig", "other"),
}
DEADLINE_STATUS = {
    "open": ("open", "open"), "done": ("afgerond", "done"),
    "missed": ("niet gehaald", "missed"), "cancelled": ("geannuleerd", "cancelled"),
}


def _pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def rag_label(rag: str, lang: str = "nl") -> str:
    """"red" → "rood" (nl) / "red" (en)."""
    return _pick(RAG, rag, lang)


def line_label(line: str, lang: str = "nl") -> str:
    """The execution line's name as the report writes it."""
    return _pick(LINES, line, lang)


def programme_status_label(status: str, lang: str = "nl") -> str:
    """"paused" → "stilgelegd"."""
    return _pick(PROGRAMME_STATUS, status, lang)


def phase_label(phase: str, lang: str = "nl") -> str:
    """"paused" → "gepauzeerd"."""
    return _pick(PHASES, phase, lang)


def deadline_status_label(status: str, lang: str = "nl") -> str:
    """"missed" → "niet gehaald"."""
    return _pick(DEADLINE_STATUS, status, lang)


def kind_label(kind: str, lang: str = "nl") -> str:
    """"debate" → "debat"."""
    return _pick(KINDS, kind, lang)


HELP_NL = {
    None: """*Lobbytracker* — dossiers, deadlines en programma's van het team public affairs.
`/dossier [lijst] [filter]` · `/dossier toon N35` · `/dossier status N35 rood <reden>`
`/dossier notitie N35 <tekst>` · `/dossier eigenaar N35 @naam` · `/dossier kanaal N35 #kanaal`
`/dossier nieuw <CODE> <titel>` · `/dossier bewerk N35` · `/dossier archiveer N35`
`/deadline [lijst] [dossier] [60d|3 maanden|Q4]` · `/deadline nieuw N35 20 nov 2023 Kamerdebat MIRT`
`/deadline klaar 42` · `/deadline verzet 42 27 nov` · `/deadline annuleer 42` · `/deadline herinner 42 14,7,1` · `/deadline koppel 42 2023A04567`
`/programma [lijst] [lijn]` · `/programma status <naam> op-schema|risico|vertraagd|stilgelegd|afgerond [toelichting]`
`/digest [2023H1|Q3 2023|2023-11|week|maand]` · `/digest post [periode]`
`/lobby team [lijst]` · `/lobby team add @naam viewer|editor|admin` · `/lobby team remove @naam`
`/kamer volg N35 N35 Wijthmen` · `/kamer zoek MIRT 60d` — de Tweede Kamer volgen
Data: `2023-11-20`, `20 nov`, `maandag 20 november`, `morgen`, `volgende vrijdag`, `over 2 weken`, `eind Q3`.""",
    "dossier": """*Dossiers*
`/dossier [lijst] [filter]` — alle dossiers, of gefilterd op code, woord, lijn of status (`rood`)
`/dossier toon <code of woorden>` — de dossierkaart
`/dossier status <dossier> groen|oranje|rood <reden>` — de reden is verplicht
`/dossier notitie <dossier> <tekst>` — lobbyactiviteit vastleggen (`|` scheidt een dossiernaam van meerdere woorden)
`/dossier eigenaar <dossier> @naam` · `/dossier kanaal <dossier> #kanaal`
`/dossier nieuw <CODE> <titel>` (zonder argumenten: een formulier) · `/dossier bewerk <dossier>` · `/dossier archiveer <dossier>`""",
    "deadline": """*Deadlines en mijlpalen*
`/deadline [lijst] [dossier] [horizon]` — standaard 30 dagen; `60d`, `3 maanden`, `Q4`
`/deadline nieuw <dossier> <wanneer> <titel>` — of `<wanneer> | <titel>`; zonder argumenten een formulier
`/deadline klaar <nr>` · `/deadline verzet <nr> <wanneer>` · `/deadline annuleer <nr>`
`/deadline herinner <nr> 14,7,1` — dagen vooraf (`geen` voor geen herinneringen)
`/deadline later <nr>` — nog één herinnering op de volgende werkdag; de datum blijft
Wanneer: `2023-11-20`, `20-11-2023`, `20 nov 2023 14:00`, `morgen`, `vrijdag volgende week`, `over 2 weken`, `eind Q3`, `medio 2024`, `voorjaar 2024`, `in juni`, `week 47`, `uiterlijk 1 oktober`, `op z'n vroegst eind 2024`.
Bestaat hij al (zelfde dossier, titel en datum), dan zegt de bot ‘bestaat al als #19’; `--toch` voegt hem toch toe.""",
    "programma": """*Programma's*
`/programma [lijst] [economie|ruimtelijke-ontwikkeling|public-affairs]`
`/programma status <naam> op-schema|risico|vertraagd|stilgelegd|afgerond [toelichting]`""",
    "digest": """*Digest*
`/digest [periode]` — voorbeeld, met een knop om in het kanaal te plaatsen
`/digest post [periode]` — direct in het kanaal, voor iedereen zichtbaar, en als canvas
`/digest [periode] pdf` of `docx` — het rapport voor de raden als bestand, in een privébericht
Periodes: `2023H1`, `H2 2023`, `2023Q3`, `Q3 2023`, `2023-11`, `week`, `maand`, `halfjaar` (standaard).""",
    "voorkeur": """*Uw herinneringen*
`/lobby voorkeur dm` — herinneringen die u als eigenaar krijgt, komen als direct bericht
`/lobby voorkeur kanaal` — als vermelding in het kanaal van het dossier (standaard)""",
    "team": """*Team en rollen* (alleen beheerders)
`/lobby team [lijst]` · `/lobby team add @naam viewer|editor|admin` · `/lobby team remove @naam`
Wie niet in het team staat, is lezer (viewer): lezen en digests opvragen mag iedereen.""",
    "kamer": """*Tweede Kamer*
`/kamer volg <dossier> <woorden…>` — volgwoorden; nieuwe debatten, agendapunten en toezeggingen die ze noemen komen als suggestie in het kanaal (`"internationaal spoor"` tussen aanhalingstekens als één begrip)
`/kamer volg <dossier>` — de volgwoorden van het dossier · `/kamer ontvolg <dossier> <woorden…>`
`/kamer [zoek] <woorden> [60d]` — komende activiteiten van de Tweede Kamer (standaard 90 dagen)
`/deadline koppel <nr> <activiteitnummer of link op tweedekamer.nl>` — de mijlpaal volgt de Kameragenda: verzet, geannuleerd of vervangen wordt gemeld · `/deadline ontkoppel <nr>`""",
}

HELP_EN = {
    None: """*Lobbytracker* — the public-affairs team's dossiers, deadlines and programmes.
`/dossier [list] [filter]` · `/dossier show N35` · `/dossier status N35 red <reason>`
`/dossier note N35 <text>` · `/dossier owner N35 @name` · `/dossier channel N35 #channel`
`/dossier new <CODE> <title>` · `/dossier edit N35` · `/dossier archive N35`
`/deadline [list] [dossier] [60d|3 months|Q4]` · `/deadline add N35 20 Nov 2023 Kamerdebat MIRT`
`/deadline done 42` · `/deadline move 42 27 Nov` · `/deadline cancel 42` · `/deadline remind 42 14,7,1`
`/programma [list] [line]` · `/programma status <name> on-track|at-risk|delayed|paused|done [note]`
`/digest [2023H1|Q3 2023|2023-11|week|month]` · `/digest post [period]`
`/lobby team [list]` · `/lobby team add @name viewer|editor|admin` · `/lobby team remove @name`
Dates: `2023-11-20`, `20 Nov`, `Monday 20 November`, `tomorrow`, `next friday`, `in 2 weeks`, `end of Q3`.""",
    "dossier": """*Dossiers*
`/dossier [list] [filter]` — all dossiers, or filtered by code, word, line or status (`red`)
`/dossier show <code or words>` — the dossier card
`/dossier status <dossier> green|amber|red <reason>` — the reason is required
`/dossier note <dossier> <text>` — log lobby activity (`|` separates a multi-word dossier name)
`/dossier owner <dossier> @name` · `/dossier channel <dossier> #channel`
`/dossier new <CODE> <title>` (no arguments: a form) · `/dossier edit <dossier>` · `/dossier archive <dossier>`""",
    "deadline": """*Deadlines and milestones*
`/deadline [list] [dossier] [horizon]` — 30 days by default; `60d`, `3 months`, `Q4`
`/deadline add <dossier> <when> <title>` — or `<when> | <title>`; no arguments: a form
`/deadline done <no>` · `/deadline move <no> <when>` · `/deadline cancel <no>`
`/deadline remind <no> 14,7,1` — days before (`none` for no reminders)
`/deadline snooze <no>` — one more reminder on the next working day; the date stays
When: `2023-11-20`, `20-11-2023`, `20 Nov 2023 14:00`, `tomorrow`, `friday next week`, `in 2 weeks`, `end of Q3`, `mid 2024`, `spring 2024`, `in June`, `week 47`, `by 1 October`, `no earlier than end of 2024`.
If it exists already (same dossier, title and date) the bot says ‘already exists as #19’; `--toch` adds it anyway.""",
    "programma": """*Programmes*
`/programma [list] [economie|ruimtelijke-ontwikkeling|public-affairs]`
`/programma status <name> on-track|at-risk|delayed|paused|done [note]`""",
    "digest": """*Digest*
`/digest [period]` — a preview, with a button to post it in the channel
`/digest post [period]` — posted in the channel, visible to all, and as a canvas
`/digest [period] pdf` or `docx` — the report for the councils as a file, by direct message
Periods: `2023H1`, `H2 2023`, `2023Q3`, `Q3 2023`, `2023-11`, `week`, `month`, `halfyear` (default).""",
    "voorkeur": """*Your reminders*
`/lobby voorkeur dm` — the reminders you own come as a direct message
`/lobby voorkeur kanaal` — as a mention in the dossier's channel (the default)""",
    "team": """*Team and roles* (admins only)
`/lobby team [list]` · `/lobby team add @name viewer|editor|admin` · `/lobby team remove @name`
Anyone not in the team is a viewer: everyone may read and ask for digests.""",
    "kamer": """*Tweede Kamer*
`/kamer follow <dossier> <words…>` — watch words; new debates, agenda items and commitments that mention them are suggested in the channel (`"internationaal spoor"` in quotes as one phrase)
`/kamer follow <dossier>` — the dossier's watch words · `/kamer unfollow <dossier> <words…>`
`/kamer [search] <words> [60d]` — coming Tweede Kamer activities (90 days by default)
`/deadline link <nr> <activity number or tweedekamer.nl link>` — the milestone follows the Kamer's agenda: moves, cancellations and replacements are announced · `/deadline unlink <nr>`""",
}


def help_text(topic: str | None, lang: str = "nl") -> str:
    """The help text for a topic (None: the overview), in mrkdwn."""
    table = HELP_EN if lang == "en" else HELP_NL
    return table.get(topic, table[None])


# Kinds that take place on a day others pick: one on a weekend or holiday is worth a second look.
_CHECK_DAY_KINDS = frozenset({"debate", "visit"})


def day_note(item: Any, lang: str = "nl") -> str | None:
    """"za 25 nov 2023 is een zaterdag": a debate or visit on a weekend or Dutch holiday is
    accepted, with this note beside it (None when there is nothing to say)."""
    from tracker.dates import format_date, is_working_day, public_holidays
    from tracker.dates.vocab import day_name

    if getattr(item, "kind", None) not in _CHECK_DAY_KINDS or (getattr(item, "precision", "day")
                                                               or "day") != "day":
        return None
    day = item.due_date
    if is_working_day(day):
        return None
    when = format_date(day, lang)
    if day in public_holidays(day.year):
        return (f"{when} is a public holiday in the Netherlands; is that right?" if lang == "en"
                else f"{when} is een feestdag; klopt dat?")
    weekday = day_name(day.weekday(), "en" if lang == "en" else "nl")
    return (f"{when} is a {weekday}; is that right?" if lang == "en"
            else f"{when} is een {weekday}; klopt dat?")


def due_label(item: Any, approximate: bool | str = "nl", lang: str | None = None, *,
              on: date | None = None, weekday: bool = True, year: bool = True,
              written_out: bool = False) -> str:
    """A deadline's date the way it was typed, on every surface: "ma 20 nov 2023 14:00",
    "uiterlijk 1 okt 2023", "voorjaar 2024", "op z'n vroegst eind 2024".

    `item` is anything with `due_date`, `due_time`, `precision`, `qualifier` and `due_part`
    (a Deadline, a DeadlineLine, a digest item); `on` is the date of one occurrence of a
    recurring deadline. The older form `due_label(date_text, approximate, lang)` still works
    for callers not yet moved over.
    """
    if isinstance(item, str):  # the older form
        flag, lang = bool(approximate), lang or "nl"
        if not flag:
            return item
        return f"by {item}" if lang == "en" else f"uiterlijk {item}"
    lang = approximate if isinstance(approximate, str) else (lang or "nl")
    precision = getattr(item, "precision", None) or "day"
    qualifier = getattr(item, "qualifier", None) or ""
    if qualifier == "" and precision == "day" and getattr(item, "approximate", False):
        qualifier = "uiterlijk"  # a record from before precision was kept
    day, at = on or item.due_date, getattr(item, "due_time", None)
    try:
        return due_words(day, at, precision, qualifier, getattr(item, "due_part", None) or "",
                         lang, weekday=weekday, year=year, written_out=written_out)
    except ValueError:  # a precision no code knows (an old or foreign record): the day itself
        return due_words(day, at, "day", "", "", lang, weekday=weekday, year=year,
                         written_out=written_out)
