"""Buttons on the Tweede Kamer's notices: *Volg als mijlpaal*, *Negeer*, *Ontkoppel*.

They carry `{"notice": id}` (and `{"deadline": id}` for Ontkoppel). A second click, or a click
on a notice already handled, changes nothing and says so.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.ids import ActionId
from bot.listeners.actions import _after_change, _respond, action_value, record_id
from bot.render.mrkdwn import escape_user_text
from bot.render.results import render_notice
from bot.unit_of_work import transactional
from tracker.errors import InvalidInput
from tracker.kamer import services as ks
from tracker.kamer.models import KamerLink, NoticeState
from tracker.models import Deadline, Role
from tracker.services.members import require_role


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _notice(body: dict[str, Any], context: BoltContext) -> Any:
    deps = context["deps"]
    require_role(context["session"], body["user"]["id"], Role.EDITOR, deps.settings.admins)
    notice_id = record_id(action_value(body["actions"][0]).get("notice"))
    if notice_id is None:
        raise InvalidInput("Deze knop is niet (meer) geldig.", "This button is not valid (anymore).")
    return ks.get_notice(context["session"], notice_id)


def handle_follow(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Volg als mijlpaal": the suggestion becomes a (linked) milestone of the dossier."""
    ack()
    lang, user_id = context["deps"].lang, body["user"]["id"]
    notice = _notice(body, context)
    if notice.state == NoticeState.IGNORED.value:
        _respond(context, render_notice(_t(lang, ":information_source: Deze suggestie is al "
                                                 "genegeerd; er is niets gewijzigd.",
                                           ":information_source: This suggestion was already "
                                           "ignored; nothing was changed.")))
        return
    already = notice.state == NoticeState.FOLLOWED.value
    deadline = ks.follow_suggestion(session=context["session"], now=context["now"],
                                    actor=user_id, notice=notice)
    title = escape_user_text(deadline.title)
    note = (_t(lang, f":information_source: Al gevolgd als mijlpaal #{deadline.id} {title}.",
               f":information_source: Already followed as milestone #{deadline.id} {title}.")
            if already else
            _t(lang, f":white_check_mark: Gevolgd als mijlpaal #{deadline.id} {title} door <@{user_id}>.",
               f":white_check_mark: Followed as milestone #{deadline.id} {title} by <@{user_id}>."))
    _after_change(context, body, note, user_id)


def handle_ignore(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Negeer": put the suggestion aside."""
    ack()
    lang, user_id = context["deps"].lang, body["user"]["id"]
    notice = _notice(body, context)
    ks.ignore_suggestion(session=context["session"], now=context["now"], actor=user_id,
                         notice=notice)
    _after_change(context, body, _t(lang, f":see_no_evil: Genegeerd door <@{user_id}>.",
                                    f":see_no_evil: Ignored by <@{user_id}>."), user_id)


def handle_unlink(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Ontkoppel": the milestone stops following the Kamer's agenda."""
    ack()
    deps = context["deps"]
    lang, user_id, session = deps.lang, body["user"]["id"], context["session"]
    require_role(session, user_id, Role.EDITOR, deps.settings.admins)
    deadline_id = record_id(action_value(body["actions"][0]).get("deadline"))
    deadline = session.get(Deadline, deadline_id) if deadline_id is not None else None
    if deadline is None or session.get(KamerLink, deadline.id) is None:
        _respond(context, render_notice(_t(lang, ":information_source: Deze mijlpaal is al "
                                                 "ontkoppeld; er is niets gewijzigd.",
                                           ":information_source: This milestone is already "
                                           "unlinked; nothing was changed.")))
        return
    ks.unlink_deadline(session=session, now=context["now"], actor=user_id, deadline=deadline)
    _after_change(context, body, _t(lang, f":broken_chain: Ontkoppeld door <@{user_id}>.",
                                    f":broken_chain: Unlinked by <@{user_id}>."), user_id)


def handle_follow_activity(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """"Volg" on a search result: a linked milestone of the dossier whose channel this is."""
    ack()
    deps = context["deps"]
    lang, user_id, session = deps.lang, body["user"]["id"], context["session"]
    require_role(session, user_id, Role.EDITOR, deps.settings.admins)
    value = action_value(body["actions"][0])
    activity_id = value.get("activity") if isinstance(value.get("activity"), str) else None
    if not activity_id:
        raise InvalidInput("Deze knop is niet (meer) geldig.", "This button is not valid (anymore).")
    dossier = ks.dossier_of_channel(session, (body.get("channel") or {}).get("id"))
    if dossier is None:
        _respond(context, render_notice(_t(
            lang, ":information_source: Dit kanaal hoort niet bij één dossier. Maak de mijlpaal "
                  "aan met `/deadline nieuw` en koppel hem met `/deadline koppel <nr> "
                  "<activiteitnummer>`.",
            ":information_source: This channel belongs to no single dossier. Add the milestone "
            "with `/deadline add` and link it with `/deadline link <nr> <activity number>`.")))
        return
    deadline = ks.follow_activity(session=session, now=context["now"], actor=user_id,
                                  dossier=dossier, activity_id=activity_id)
    _respond(context, render_notice(_t(
        lang, f":white_check_mark: Mijlpaal #{deadline.id} {escape_user_text(deadline.title)} "
              f"({escape_user_text(dossier.code)}) volgt de Tweede Kamer.",
        f":white_check_mark: Milestone #{deadline.id} {escape_user_text(deadline.title)} "
        f"({escape_user_text(dossier.code)}) follows the Tweede Kamer.")))


def handle_view(ack: Ack) -> None:
    """"Bekijk" is a link; Slack still sends the click, which needs only an acknowledgement."""
    ack()


def register(app: App) -> None:
    """Register the Tweede Kamer buttons."""
    for action_id, handler in ((ActionId.KAMER_FOLLOW, handle_follow),
                               (ActionId.KAMER_IGNORE, handle_ignore),
                               (ActionId.KAMER_UNLINK, handle_unlink),
                               (ActionId.KAMER_FOLLOW_ACTIVITY, handle_follow_activity)):
        app.action(action_id.value)(ack=transactional(handler), lazy=[])
    app.action(ActionId.KAMER_VIEW.value)(handle_view)
