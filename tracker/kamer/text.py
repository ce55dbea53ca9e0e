"""The Tweede Kamer results as plain text, for the `lobby` CLI."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tracker.dates import format_date
from tracker.kamer.results import DeadlineLinked, DeadlineUnlinked, KamerSearch, WatchWords
from tracker.kamer.services import local_when
from tracker.render_text import render_text


@render_text.register
def _(result: DeadlineLinked, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    info = result.link
    line = " · ".join(p for p in (f"{info.soort} {info.onderwerp}".strip(), info.committee,
                                  info.nummer) if p)
    pending = " (wordt bij de volgende synchronisatie aangevuld)" if result.pending else ""
    return (f"#{result.deadline.id} {result.deadline.title} ({result.dossier.code}) volgt nu "
            f"de Tweede Kamer: {line}{pending}")


@render_text.register
def _(result: DeadlineUnlinked, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    return f"#{result.deadline.id} {result.deadline.title} volgt {result.nummer} niet meer."


@render_text.register
def _(result: WatchWords, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    words = ", ".join(result.words) or "(geen)"
    return f"{result.dossier.code} volgt in de Tweede Kamer: {words}"


@render_text.register
def _(result: KamerSearch, lang: str = "nl", tz: ZoneInfo | None = None) -> str:
    if not result.activities:
        return f"Geen komende activiteiten over ‘{result.words}’ tot en met {format_date(result.until, lang)}."
    lines = []
    for a in result.activities:
        day, start = local_when(a)
        when = (format_date(day, lang) if day else "?") + (f" {start:%H:%M}" if start else "")
        lines.append(f"{when}  {a.nummer}  {a.soort}: {a.onderwerp}")
    return "\n".join(lines)
