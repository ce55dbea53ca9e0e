"""Modals: new dossier, edit dossier, add deadline, change status. Pure: data in, View out.

Each input's block_id is the field name and its action_id is "value" (the dossier search of the
add-deadline form: "dossier_search", which Slack asks for options), so the view listener reads
`state.values[<field>]` and puts validation errors next to the field by block_id.
`private_metadata` carries the record id, its version (a stale edit becomes a Conflict) and the
channel the form was opened from (where the confirmation goes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.ids import ActionId, CallbackId
from bot.render.limits import (
    MAX_OPTION_TEXT,
    MAX_SELECT_OPTIONS,
    MAX_VIEW_TITLE,
    plain,
    truncate,
)
from bot.render.mrkdwn import plain_user_text
from tracker.labels import KINDS, LINES, PHASES, RAG, RAG_EMOJI
from tracker.models import Dossier, Phase
from tracker.services.dossiers import DossierLine

MAX_INPUT_LENGTH = 3000  # plain_text_input's own limit


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def metadata(**values: object) -> str:
    """private_metadata: compact JSON."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def _text_input(block_id: str, label: str, *, initial: str = "", multiline: bool = False,
                optional: bool = False, max_length: int = 200, hint: str | None = None,
                placeholder: str | None = None) -> InputBlock:
    element = PlainTextInputElement(
        action_id="value", multiline=multiline, max_length=min(max_length, MAX_INPUT_LENGTH),
        initial_value=truncate(initial, min(max_length, MAX_INPUT_LENGTH)) or None,
        placeholder=plain(placeholder, 150) if placeholder else None)
    return InputBlock(block_id=block_id, label=plain(label, 2000), element=element,
                      optional=optional, hint=plain(hint, 2000) if hint else None)


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=plain(text, MAX_OPTION_TEXT))


def _select(block_id: str, label: str, table: dict[str, tuple[str, str]], lang: str,
            initial: str | None, *, optional: bool = True) -> InputBlock:
    """A select of a label table's entries (key → Dutch and English name)."""
    options = [_option(key, labels[1] if lang == "en" else labels[0])
               for key, labels in table.items()]
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=optional,
                      element=StaticSelectElement(action_id="value", options=options,
                                                  initial_option=chosen))


def _line_select(lang: str, initial: str | None) -> InputBlock:
    return _select("line", _t(lang, "Uitvoeringslijn", "Execution line"), LINES, lang, initial)


def _amount_input(block_id: str, label: str, initial: int | None) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=True,
                      element=NumberInputElement(action_id="value", is_decimal_allowed=False,
                                                 min_value="0",
                                                 initial_value=None if initial is None else str(initial)))


def render_dossier_new_modal(*, lang: str = "nl", channel_id: str | None = None) -> View:
    """The form behind `/dossier nieuw` without arguments."""
    blocks: list[Block] = [
        _text_input("code", _t(lang, "Code", "Code"), max_length=20, placeholder="N35",
                    hint=_t(lang, "Letters, cijfers of streepjes, zonder spaties.",
                            "Letters, digits or dashes, no spaces.")),
        _text_input("title", _t(lang, "Titel", "Title"), max_length=200),
        _line_select(lang, None),
        _text_input("goal", _t(lang, "Lobbydoel", "Lobby goal"), multiline=True, optional=True,
                    max_length=MAX_INPUT_LENGTH),
        _amount_input("funding_needed", _t(lang, "Financiering nodig (EUR)", "Funding needed (EUR)"),
                      None),
        _amount_input("funding_secured", _t(lang, "Toegezegd (EUR)", "Secured (EUR)"), None),
    ]
    return _modal(CallbackId.DOSSIER_NEW, _t(lang, "Nieuw dossier", "New dossier"),
                  _t(lang, "Aanmaken", "Create"), blocks, lang,
                  metadata(channel=channel_id))


def render_dossier_edit_modal(dossier: Dossier, *, lang: str = "nl",
                              channel_id: str | None = None) -> View:
    """The form behind `/dossier bewerk N35`: the version it shows travels with it."""
    blocks: list[Block] = [
        ContextBlock(elements=[MarkdownTextObject(
            text=f"*{dossier.code}* · {_t(lang, 'versie', 'version')} {dossier.version}")]),
        _text_input("title", _t(lang, "Titel", "Title"), initial=dossier.title, max_length=200),
        _text_input("summary", _t(lang, "Samenvatting", "Summary"), initial=dossier.summary,
                    multiline=True, optional=True, max_length=MAX_INPUT_LENGTH),
        _text_input("goal", _t(lang, "Lobbydoel", "Lobby goal"), initial=dossier.goal,
                    multiline=True, optional=True, max_length=MAX_INPUT_LENGTH),
        _line_select(lang, dossier.line),
        _amount_input("funding_needed", _t(lang, "Financiering nodig (EUR)", "Funding needed (EUR)"),
                      dossier.funding_needed),
        _amount_input("funding_secured", _t(lang, "Toegezegd (EUR)", "Secured (EUR)"),
                      dossier.funding_secured),
        _text_input("funding_note", _t(lang, "Toelichting financiering", "Funding note"),
                    initial=dossier.funding_note, multiline=True, optional=True,
                    max_length=1000, placeholder=_t(lang, "Rijk € 35 mln, regio zoekt de rest",
                                                     "State € 35m, the region seeks the rest")),
        # Archiving stays `/dossier archiveer` (it stops the reminders and says so); the form
        # only offers it back when the dossier is archived already, so it can be reopened.
        _select("phase", _t(lang, "Fase", "Phase"),
                {k: v for k, v in PHASES.items() if k != "closed" or dossier.phase == "closed"},
                lang, dossier.phase, optional=False),
    ]
    return _modal(CallbackId.DOSSIER_EDIT, _t(lang, f"Bewerk {dossier.code}", f"Edit {dossier.code}"),
                  _t(lang, "Opslaan", "Save"), blocks, lang,
                  metadata(dossier=dossier.id, version=dossier.version, channel=channel_id))


def dossier_option(d: Dossier | DossierLine) -> Option:
    """A dossier in a select: "N35 — N35 Wijthmen–Nijverdal", its id as the value."""
    return _option(str(d.id), plain_user_text(f"{d.code} — {d.title}"))


def render_deadline_add_modal(dossiers: Sequence[Dossier | DossierLine], *,
                              selected: Dossier | None = None, lang: str = "nl",
                              channel_id: str | None = None) -> View:
    """The form behind `/deadline nieuw`: dossier, date (and time), title, kind, reminders.

    Up to 100 dossiers are offered in a list (Slack's limit); past that the dossier field
    searches as the user types (`external_select`, answered by `bot.listeners.options`).
    """
    # An archived dossier is not offered (its card's button opens the form without a choice).
    chosen = (dossier_option(selected)
              if selected is not None and selected.phase != Phase.CLOSED.value else None)
    element: StaticSelectElement | ExternalDataSelectElement
    if len(dossiers) <= MAX_SELECT_OPTIONS:
        options = [dossier_option(d) for d in dossiers]
        element = StaticSelectElement(action_id="value", options=options or [_option("-", "—")],
                                      initial_option=next(
                                          (o for o in options if chosen and o.value == chosen.value),
                                          None))
    else:
        element = ExternalDataSelectElement(
            action_id=ActionId.DOSSIER_SEARCH.value, initial_option=chosen, min_query_length=0,
            placeholder=plain(_t(lang, "Typ een code of woorden uit de titel",
                                 "Type a code or words of the title"), 150))
    dossier_block = InputBlock(block_id="dossier", label=plain(_t(lang, "Dossier", "Dossier"), 2000),
                               element=element)
    kinds = [_option(key, labels[1] if lang == "en" else labels[0]) for key, labels in KINDS.items()]
    blocks: list[Block] = [
        dossier_block,
        InputBlock(block_id="due", label=plain(_t(lang, "Datum", "Date"), 2000),
                   element=DatePickerElement(action_id="value")),
        InputBlock(block_id="time", label=plain(_t(lang, "Tijd", "Time"), 2000), optional=True,
                   element=TimePickerElement(action_id="value")),
        _text_input("title", _t(lang, "Titel", "Title"), max_length=200,
                    placeholder="Kamerdebat MIRT"),
        InputBlock(block_id="kind", label=plain(_t(lang, "Soort", "Kind"), 2000), optional=True,
                   hint=plain(_t(lang, "Leeg: afgeleid uit de titel.", "Empty: guessed from the title."),
                              2000),
                   element=StaticSelectElement(action_id="value", options=kinds)),
        _text_input("offsets", _t(lang, "Herinneringen (dagen vooraf)", "Reminders (days before)"),
                    optional=True, max_length=60, placeholder="14,7,1",
                    hint=_t(lang, "Leeg: standaard voor deze soort; 'geen' voor geen.",
                            "Empty: the default for this kind; 'none' for none.")),
        # *Koppel aan Tweede Kamer*: coming activities as the user types (bot.listeners.options)
        InputBlock(block_id="kamer", optional=True,
                   label=plain(_t(lang, "Koppel aan Tweede Kamer", "Link to the Tweede Kamer"), 2000),
                   hint=plain(_t(lang, "Zoek een komende activiteit op onderwerp of nummer.",
                                 "Search a coming activity by subject or number."), 2000),
                   element=ExternalDataSelectElement(
                       action_id=ActionId.KAMER_SEARCH.value, min_query_length=2,
                       placeholder=plain(_t(lang, "Bijvoorbeeld MIRT", "For example MIRT"), 150))),
    ]
    return _modal(CallbackId.DEADLINE_ADD, _t(lang, "Nieuwe deadline", "New deadline"),
                  _t(lang, "Toevoegen", "Add"), blocks, lang, metadata(channel=channel_id))


def render_status_modal(dossier: Dossier, *, lang: str = "nl",
                        channel_id: str | None = None) -> View:
    """Change a dossier's RAG status; the reason is required."""
    options = [Option(value=key, text=plain(f"{RAG_EMOJI[key]} {labels[1] if lang == 'en' else labels[0]}",
                                            MAX_OPTION_TEXT))
               for key, labels in RAG.items()]
    current = next((o for o in options if o.value == dossier.rag), None)
    blocks: list[Block] = [
        ContextBlock(elements=[MarkdownTextObject(
            text=f"*{dossier.code}* · {_t(lang, 'versie', 'version')} {dossier.version}")]),
        InputBlock(block_id="rag", label=plain(_t(lang, "Status", "Status"), 2000),
                   element=RadioButtonsElement(action_id="value", options=options,
                                               initial_option=current)),
        _text_input("reason", _t(lang, "Reden", "Reason"), multiline=True, max_length=2000,
                    placeholder=_t(lang, "MIRT-brief pauzeert het project",
                                   "MIRT letter pauses the project")),
    ]
    return _modal(CallbackId.DOSSIER_STATUS, f"Status {dossier.code}",
                  _t(lang, "Opslaan", "Save"), blocks, lang,
                  metadata(dossier=dossier.id, version=dossier.version, channel=channel_id))


def _modal(callback: CallbackId, title: str, submit: str, blocks: list[Block], lang: str,
           private_metadata: str) -> View:
    """A form with the shared close button and Slack's title limits."""
    return View(type="modal", callback_id=callback.value,
                title=plain(title, MAX_VIEW_TITLE), submit=plain(submit, MAX_VIEW_TITLE),
                close=plain(_t(lang, "Annuleren", "Cancel"), MAX_VIEW_TITLE),
                private_metadata=private_metadata, blocks=blocks)
