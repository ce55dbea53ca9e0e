"""The confirmation round's message: one per owner, one line per open action with *Afgerond*,
*Niet gehaald* and *Verzetten…*. Pure: a `ConfirmRound` in, a `Message` out.

Each action's buttons carry `{"deadline": id, "version": v, "due": "YYYY-MM-DD"}`; its actions
block's block_id carries the same JSON (the date picker has no value), so a click changes
only that line of the message.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DatePickerElement

from bot.ids import ActionId
from bot.render.limits import MAX_BUTTON_TEXT, MAX_MESSAGE_BLOCKS, context, header, plain, section
from bot.render.message import Message
from bot.render.mrkdwn import escape_user_text
from bot.render.reminders import MAX_PLACEHOLDER, button_value
from tracker.digest.words import day
from tracker.labels import due_label
from tracker.scheduling.confirm import ConfirmEntry, ConfirmRound
from tracker.scheduling.describe import late_mark

# header + intro + closing note, and two blocks per action
PER_MESSAGE = (MAX_MESSAGE_BLOCKS - 3) // 2


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _line(entry: ConfirmEntry, lang: str) -> str:
    x = entry.deadline
    due = due_label(x, lang, on=entry.due)  # as it was typed: "Q3 2023", not a made-up day
    return f"*{escape_user_text(x.title)}* — {escape_user_text(x.dossier_code)} · {due}"


def _actions(entry: ConfirmEntry, lang: str) -> ActionsBlock:
    value = button_value(entry.deadline, entry.due.isoformat())
    return ActionsBlock(block_id=value, elements=[
        ButtonElement(text=plain(_t(lang, "Afgerond", "Done"), MAX_BUTTON_TEXT),
                      action_id=ActionId.CONFIRM_DONE.value, value=value, style="primary"),
        ButtonElement(text=plain(_t(lang, "Niet gehaald", "Missed"), MAX_BUTTON_TEXT),
                      action_id=ActionId.CONFIRM_MISSED.value, value=value),
        DatePickerElement(action_id=ActionId.CONFIRM_MOVE.value,
                          initial_date=entry.due.isoformat(),
                          placeholder=plain(_t(lang, "Verzetten…", "Move…"), MAX_PLACEHOLDER)),
    ])


def render_confirm(item: ConfirmRound, *, lang: str = "nl") -> Message:
    """"Wilt u uw open acties van het tweede halfjaar 2023 bevestigen?" with a line per action."""
    period = item.period.label(lang)
    about = f"het {period}" if period.startswith(("eerste", "tweede")) else period
    digest_on = day(item.digest_day, lang)
    title = _t(lang, f"Bevestigingsronde {period}", f"Confirmation round {period}")
    intro = _t(lang,
               f"Op {digest_on} verschijnt de halfjaarrapportage over {about}. Deze acties staan "
               "nog open. Wilt u per actie aangeven of zij zijn afgerond, niet zijn gehaald of "
               "een nieuwe datum krijgen? Wat niet is afgemeld, staat in de rapportage als "
               "‘niet afgemeld’.",
               f"On {digest_on} the half-year report on the {period} is published. These actions "
               "are still open. Please mark each one done or missed, or give it a new date. "
               "What is not reported is listed as ‘not reported’.")
    if item.owner is None:
        intro += _t(lang, " Deze acties hebben geen eigenaar.", " These actions have no owner.")
    blocks: list[Block] = [header(title), section(intro)]
    shown = item.entries[:PER_MESSAGE]
    for entry in shown:
        blocks += [section(_line(entry, lang)), _actions(entry, lang)]
    rest = len(item.entries) - len(shown)
    if rest:
        blocks.append(context(_t(lang, f"…en nog {rest}: zie /deadline lijst.",
                                 f"…and {rest} more: see /deadline list.")))
    elif item.late:
        blocks.append(context(late_mark(item, lang).strip()))
    n = len(item.entries)
    fallback = _t(lang, f"{title}: {n} open {'actie' if n == 1 else 'acties'} te bevestigen",
                  f"{title}: {n} open {'action' if n == 1 else 'actions'} to confirm")
    return Message(fallback + late_mark(item, lang), blocks)
