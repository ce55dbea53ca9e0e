"""The Tweede Kamer in Slack: a notice the sync found (moved, cancelled, deleted, replaced, a
watch-word suggestion) and the replies to `/kamer …` and `/deadline link|unlink`. Pure.

Everything from the source is outside text: it goes through `escape_user_text` like anything a
user typed. Buttons carry `{"notice": id}` or `{"deadline": id}`.
"""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, Option

from bot.ids import ActionId
from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_OPTION_TEXT,
    context,
    plain,
    section,
)
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text, plain_user_text
from bot.render.results import render_result
from tracker.dates import format_date
from tracker.kamer.client import activity_url
from tracker.kamer.deliver import KamerItem, NoticeInfo
from tracker.kamer.models import KamerActivity
from tracker.kamer.results import DeadlineLinked, DeadlineUnlinked, KamerSearch, WatchWords
from tracker.kamer.services import LinkInfo, local_when

SAFE_URL_PREFIX = "https://www.tweedekamer.nl/"


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _value(**data: int) -> str:
    return json.dumps(data, separators=(",", ":"))


def _view_button(url: str, lang: str) -> ButtonElement | None:
    if not url.startswith(SAFE_URL_PREFIX):
        return None
    return ButtonElement(text=plain(_t(lang, "Bekijk", "View"), MAX_BUTTON_TEXT), url=url,
                         action_id=ActionId.KAMER_VIEW.value)


def activity_option(activity: KamerActivity, lang: str = "nl") -> Option:
    """"ma 20 nov 2023 · Commissiedebat MIRT · 2023A04567" for the form's search (value: the
    number, which `/deadline koppel` takes too)."""
    day, _start = local_when(activity)
    when = format_date(day, lang) if day else "?"
    text = f"{when} · {activity.soort} {activity.onderwerp}".strip()
    suffix = f" · {activity.nummer}"
    return Option(value=activity.nummer,
                  text=plain(plain_user_text(text)[:MAX_OPTION_TEXT - len(suffix) - 1] + suffix,
                             MAX_OPTION_TEXT))


def link_line(info: LinkInfo, lang: str = "nl") -> str:
    """"Tweede Kamer: Commissiedebat MIRT · commissie IenW · <url|2030A01234>"."""
    subject = info.onderwerp if len(info.onderwerp) <= 80 else info.onderwerp[:79] + "…"
    parts = [escape_user_text(f"{info.soort} {subject}".strip())]
    if info.committee:
        parts.append(_t(lang, "commissie ", "committee ") + escape_user_text(info.committee))
    number = escape_user_text(info.nummer)
    parts.append(f"<{info.url}|{number}>" if info.url.startswith(SAFE_URL_PREFIX) else number)
    if not info.found:
        parts.append(_t(lang, "wordt bij de volgende synchronisatie aangevuld",
                        "filled in at the next sync"))
    return "Tweede Kamer: " + " · ".join(p for p in parts if p)


def render_kamer_notice(item: KamerItem, *, lang: str = "nl") -> Message:
    """The channel message for one notice, with *Bekijk* / *Ontkoppel* or *Volg als mijlpaal* /
    *Negeer*."""
    n: NoticeInfo = item.notice
    title = escape_user_text(n.title)
    code = escape_user_text(n.dossier_code)
    before, after = escape_user_text(n.before or ""), escape_user_text(n.after or "")
    if n.kind == "suggestion":
        what = {"Toezegging": _t(lang, "Toezegging", "Commitment"),
                "Agendapunt": _t(lang, "Agendapunt", "Agenda item")}.get(n.entity, "")
        when = format_date(n.due_date, lang) if n.due_date else _t(lang, "datum onbekend", "date unknown")
        due_word = _t(lang, "nakoming uiterlijk ", "due by ") if n.entity == "Toezegging" else ""
        text = (_t(lang, f":mag: *Tweede Kamer, mogelijk voor {code}:* ",
                   f":mag: *Tweede Kamer, possibly for {code}:* ")
                + (f"{what}: " if what else "") + f"{title} — {due_word}{when}")
        elements = [ButtonElement(text=plain(_t(lang, "Volg als mijlpaal", "Follow as milestone"),
                                             MAX_BUTTON_TEXT),
                                  action_id=ActionId.KAMER_FOLLOW.value, value=_value(notice=n.id),
                                  style="primary"),
                    ButtonElement(text=plain(_t(lang, "Negeer", "Ignore"), MAX_BUTTON_TEXT),
                                  action_id=ActionId.KAMER_IGNORE.value, value=_value(notice=n.id))]
    else:
        head = {"moved": _t(lang, ":calendar: *Verzet door de Tweede Kamer*",
                            ":calendar: *Moved by the Tweede Kamer*"),
                "replaced": _t(lang, ":twisted_rightwards_arrows: *Vervangen door een nieuwe "
                                     "activiteit van de Tweede Kamer*",
                               ":twisted_rightwards_arrows: *Replaced by a new Tweede Kamer "
                               "activity*"),
                "cancelled": _t(lang, ":x: *Geannuleerd door de Tweede Kamer*",
                                ":x: *Cancelled by the Tweede Kamer*"),
                "deleted": _t(lang, ":x: *Van de agenda van de Tweede Kamer gehaald*",
                              ":x: *Taken off the Tweede Kamer's agenda*")}[n.kind]
        if n.kind in ("moved", "replaced"):
            text = (f"{head}: {title} ({code}) — {before} → {after}. "
                    + _t(lang, "De mijlpaal en de herinneringen zijn aangepast.",
                         "The milestone and its reminders were updated."))
        else:
            text = (f"{head}: {title} ({code}), {before}. "
                    + _t(lang, f"Status: {after}. De mijlpaal is geannuleerd; er komen geen "
                               "herinneringen meer.",
                         f"Status: {after}. The milestone was cancelled; no more reminders."))
        elements = []
        if n.deadline_id is not None:
            elements.append(ButtonElement(text=plain(_t(lang, "Ontkoppel", "Unlink"), MAX_BUTTON_TEXT),
                                          action_id=ActionId.KAMER_UNLINK.value,
                                          value=_value(deadline=n.deadline_id, notice=n.id)))
    view = _view_button(n.url, lang)
    if view is not None:
        elements.insert(1 if n.kind == "suggestion" else 0, view)
    blocks: list[Block] = [section(text)]
    facts = " · ".join(p for p in (escape_user_text(n.detail), escape_user_text(n.nummer)) if p)
    if facts:
        blocks.append(context(facts + (_t(lang, " · (later verzonden)", " · (sent late)")
                                       if item.late else "")))
    if elements:
        blocks.append(ActionsBlock(elements=elements))
    return Message(text.replace("*", "")[:300], blocks)


@render_result.register
def _(result: DeadlineLinked, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    d = result.deadline
    filled = ""
    if result.filled:
        what = " en ".join({"tijd": _t(lang, "de tijd", "the time"),
                            "datum": _t(lang, "de datum", "the date")}[f] for f in result.filled)
        filled = _t(lang, f" Aangevuld: {what}.", f" Filled in: {what}.")
    text = (_t(lang, f":link: #{d.id} *{escape_user_text(d.title)}* ({escape_user_text(result.dossier.code)}) "
                     "volgt nu de agenda van de Tweede Kamer.",
               f":link: #{d.id} *{escape_user_text(d.title)}* ({escape_user_text(result.dossier.code)}) "
               "now follows the Tweede Kamer's agenda.") + filled)
    return Message(text.replace("*", ""), [section(text), context(link_line(result.link, lang))])


@render_result.register
def _(result: DeadlineUnlinked, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    d = result.deadline
    text = _t(lang, f":broken_chain: #{d.id} *{escape_user_text(d.title)}* volgt "
                    f"{escape_user_text(result.nummer)} niet meer.",
              f":broken_chain: #{d.id} *{escape_user_text(d.title)}* no longer follows "
              f"{escape_user_text(result.nummer)}.")
    return Message(text.replace("*", ""), [section(text)])


@render_result.register
def _(result: WatchWords, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    code = escape_user_text(result.dossier.code)
    words = ", ".join(f"‘{escape_user_text(w)}’" for w in result.words)
    lines = []
    if result.added:
        lines.append(_t(lang, "Toegevoegd: ", "Added: ")
                     + ", ".join(escape_user_text(w) for w in result.added) + ".")
    if result.removed:
        lines.append(_t(lang, "Verwijderd: ", "Removed: ")
                     + ", ".join(escape_user_text(w) for w in result.removed) + ".")
    if result.not_found:
        lines.append(_t(lang, "Niet gevolgd: ", "Not followed: ")
                     + ", ".join(escape_user_text(w) for w in result.not_found) + ".")
    if words:
        lines.append(_t(lang, f":eyes: {code} volgt in de Tweede Kamer: {words}.",
                        f":eyes: {code} follows in the Tweede Kamer: {words}."))
    else:
        lines.append(_t(lang, f"{code} volgt nog geen woorden in de Tweede Kamer. "
                              f"Bijvoorbeeld: `/kamer volg {code} N35 Wijthmen`",
                        f"{code} follows no words in the Tweede Kamer yet. "
                        f"For example: `/kamer volg {code} N35 Wijthmen`"))
    text = "\n".join(lines)
    return Message(text, [section(text)])


@render_result.register
def _(result: KamerSearch, *, lang: str = "nl", tz: ZoneInfo, today: date) -> Message:
    words = escape_user_text(result.words)
    until = format_date(result.until, lang)
    if not result.activities:
        text = _t(lang, f"Geen komende activiteiten van de Tweede Kamer over ‘{words}’ tot en met "
                        f"{until} (uit de laatste synchronisatie).",
                  f"No coming Tweede Kamer activities about ‘{words}’ up to {until} (from the "
                  "last sync).")
        return Message(text, [section(text)])
    head = _t(lang, f"*Tweede Kamer over ‘{words}’, tot en met {until}:*",
              f"*Tweede Kamer on ‘{words}’, up to {until}:*")
    blocks: list[Block] = [section(head)]
    for a in result.activities[:MAX_MESSAGE_BLOCKS - 3]:
        day, start = local_when(a)
        when = (format_date(day, lang) if day else "?") + (f" {start:%H:%M}" if start else "")
        number = escape_user_text(a.nummer)
        ref = f"<{activity_url(a.nummer)}|{number}>" if a.nummer else ""
        committee = escape_user_text(a.voortouwafkorting or a.voortouwnaam)
        line = (f"{when} · *{escape_user_text(a.soort)}* {escape_user_text(a.onderwerp)}"
                + (f" · {committee}" if committee else "") + (f" · {ref}" if ref else ""))
        follow = ButtonElement(text=plain(_t(lang, "Volg", "Follow"), MAX_BUTTON_TEXT),
                               action_id=ActionId.KAMER_FOLLOW_ACTIVITY.value,
                               value=json.dumps({"activity": a.id}, separators=(",", ":")))
        blocks.append(section(line, accessory=follow))
    hint = _t(lang, "*Volg* maakt er een mijlpaal van voor het dossier van dit kanaal. Of koppel "
                    "een bestaande: `/deadline koppel <nummer mijlpaal> <activiteitnummer>`.",
              "*Follow* makes it a milestone of this channel's dossier. Or link an existing one: "
              "`/deadline link <milestone number> <activity number>`.")
    blocks.append(context(hint))
    return Message(head.replace("*", ""), blocks)
