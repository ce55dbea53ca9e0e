"""Run a parsed `Command` against the services: one call in, one `Result` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker.commands import ACTIONS, Command
from tracker.dates import parse_horizon
from tracker.dates.core import Unreadable
from tracker.errors import InvalidInput, NotFound
from tracker.messages import closest, pair
from tracker.models import Role
from tracker.results import (
    DeadlineAdded,
    DeadlineChanged,
    DeadlineExists,
    DeadlineList,
    DigestRequested,
    DossierChanged,
    DossierList,
    DossierShown,
    HelpResult,
    ModalRequested,
    PreferenceResult,
    ProgrammeChanged,
    ProgrammeList,
    Result,
    TeamChanged,
    TeamList,
)
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services import members, programmes
from tracker.services import reminders as rm
from tracker.services.refs import (
    dossier_row,
    find_dossier,
    get_deadline,
    resolve_dossier,
    resolve_programme,
)
from tracker.settings import Settings


def execute(command: Command, *, session: Session, now: datetime, actor: str | None,
            settings: Settings) -> Result:
    """Check the actor's role, then carry out `command`."""
    if command.area == "team" and command.action != "list":
        members.require_role(session, actor, Role.ADMIN, settings.admins)
    elif command.mutates:
        members.require_role(session, actor, Role.EDITOR, settings.admins)
    handler = HANDLERS[(command.area, command.action)]
    return handler(command.args, Ctx(session, now, actor, settings))


@dataclass(frozen=True)
class Ctx:
    """Who asks, when, and where: what every handler needs besides the arguments."""

    session: Session
    now: datetime
    actor: str | None
    settings: Settings


Args = dict[str, Any]
# A deadline list shows the first ones (overdue first) and counts the rest ("…en nog N"): a
# reply people read, which costs what it shows, not what is stored.
DEADLINE_LIST_LIMIT = 30
Handler = Callable[[Args, Ctx], Result]


def _help(args: Args, c: Ctx) -> Result:
    return HelpResult(args.get("topic"))


def _misspelt_action(area: str, text: str, what: tuple[str, str]) -> InvalidInput | None:
    """`/dossier sho N35` found nothing: if `sho` is close to an action, suggest it."""
    head, _, rest = text.partition(" ")
    near = closest(head, ACTIONS[area])
    if near is None:
        return None
    slash = {"team": "/lobby team"}.get(area, f"/{area}")
    return InvalidInput(*pair("not_an_action", what=what[0], what_en=what[1], text=text,
                              word=head),
                        example=f"{slash} {near} {rest}".strip(), suggest=True)


def _dossier_list(args: Args, c: Ctx) -> Result:
    filter_text = args.get("filter", "")
    found, total = ds.page_dossiers(session=c.session, filter_text=filter_text)
    if total == 0 and filter_text and not args.get("explicit"):
        misspelt = _misspelt_action("dossier", filter_text, ("dossiers", "dossiers"))
        if misspelt is not None:
            raise misspelt
    if total == 1 and filter_text and not args.get("explicit"):
        return DossierShown(ds.dossier_card(session=c.session,
                                            dossier=dossier_row(c.session, found[0].id),
                                            now=c.now, tz=c.settings.tz))
    return DossierList(found, filter_text, total=total)


def _dossier_show(args: Args, c: Ctx) -> Result:
    dossier = find_dossier(c.session, args["ref"])
    return DossierShown(ds.dossier_card(session=c.session, dossier=dossier, now=c.now,
                                        tz=c.settings.tz))


def _dossier_new(args: Args, c: Ctx) -> Result:
    dossier = ds.create_dossier(session=c.session, now=c.now, actor=c.actor, code=args["code"],
                                title=args["title"])
    return DossierChanged(dossier, "created")


def _dossier_status(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    before = dossier.rag
    if before == args["rag"]:
        from tracker.dates import format_date
        from tracker.labels import rag_label

        lang = c.settings.lobby_language
        since = (format_date(dossier.rag_since.astimezone(c.settings.tz).date(), lang)
                 if dossier.rag_since else "?")
        raise InvalidInput(
            *pair("same_status", code=dossier.code, rag=rag_label(before, "nl"), since=since),
            example=f"/dossier note {dossier.code} {args['reason']}")
    ds.set_status(session=c.session, now=c.now, actor=c.actor, dossier=dossier, rag=args["rag"],
                  reason=args["reason"])
    return DossierChanged(dossier, "status", before=before)


def _dossier_note(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    event = ds.add_note(session=c.session, now=c.now, actor=c.actor, dossier=dossier, text=args["text"])
    return DossierChanged(dossier, "note", event=event)


def _dossier_owner(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    before = dossier.owner
    ds.set_owner(session=c.session, now=c.now, actor=c.actor, dossier=dossier, owner=args["user"])
    return DossierChanged(dossier, "owner", before=before)


def _dossier_channel(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    before = dossier.channel
    ds.set_channel(session=c.session, now=c.now, actor=c.actor, dossier=dossier, channel=args["channel"])
    return DossierChanged(dossier, "channel", before=before)


def _dossier_archive(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    ds.archive_dossier(session=c.session, now=c.now, actor=c.actor, dossier=dossier)
    return DossierChanged(dossier, "archived")


def _dossier_edit(args: Args, c: Ctx) -> Result:
    return ModalRequested("dossier_edit", resolve_dossier(c.session, args["ref"]))


def _dossier_new_modal(args: Args, c: Ctx) -> Result:
    return ModalRequested("dossier_new")


def _deadline_add_modal(args: Args, c: Ctx) -> Result:
    return ModalRequested("deadline_add")


def _deadline_list(args: Args, c: Ctx) -> Result:
    dossier = _list_dossier(args, c) if args.get("ref") else None
    items, total = dl.upcoming_page(session=c.session, now=c.now, tz=c.settings.tz,
                                    until=args["until"], dossier=dossier, limit=DEADLINE_LIST_LIMIT)
    return DeadlineList(items, args["until"], dossier, args.get("horizon", ""), total)


def _list_dossier(args: Args, c: Ctx) -> Any:
    """The dossier of `/deadline list <ref> [horizon]`; when <ref> names none, say what was
    probably meant: a misspelt action (`lsit N35`) or a horizon that did not parse
    (`N35 2027`: the dossier is N35, `2027` is no horizon)."""
    ref = args["ref"]
    try:
        return find_dossier(c.session, ref)
    except NotFound:
        tokens = ref.split()
        misspelt = _misspelt_action("deadline", ref, ("dossier", "dossier")) \
            if not args.get("explicit") else None
        if misspelt is not None:
            raise misspelt from None
        for size in (1, 2, 3):
            if len(tokens) > size:
                try:
                    dossier = resolve_dossier(c.session, " ".join(tokens[:-size]))
                except (NotFound, InvalidInput):
                    continue
                horizon = " ".join(tokens[-size:])
                _horizon_problem(horizon, c)  # its own words: in the past, 31 February, 60
                year = int(horizon) if horizon.isdigit() and len(horizon) == 4 else \
                    c.now.astimezone(c.settings.tz).year
                raise InvalidInput(*pair("unreadable_horizon", text=horizon, ref=dossier.code,
                                         year=year),
                                   example=f"/deadline list {dossier.code} 60d") from None
        _horizon_problem(ref, c)  # no dossier at all: `2025`, `60` were meant as a horizon
        raise


def _horizon_problem(text: str, c: Ctx) -> None:
    """Raise what is wrong with `text` as a horizon when it is more than "unreadable" (a period
    in the past, a day that does not exist, a number without its unit); else nothing."""
    try:
        parse_horizon(text, now=c.now, tz=c.settings.tz)
    except Unreadable:
        return
    except InvalidInput as problem:
        raise problem from None


def _deadline_add(args: Args, c: Ctx) -> Result:
    dossier = find_dossier(c.session, args["ref"])  # read, not changed: a row will do
    when = args["when"]
    try:
        deadline = dl.add_deadline(session=c.session, now=c.now, actor=c.actor, dossier=dossier,
                                   title=args["title"], due=when.date, due_time=when.time,
                                   precision=when.precision, qualifier=when.qualifier,
                                   part=when.part, kind=args.get("kind"),
                                   allow_duplicate=bool(args.get("force")))
    except dl.Duplicate as exc:
        request = {"dossier": dossier.id, "title": args["title"], "due": when.date.isoformat(),
                   "time": when.time.strftime("%H:%M") if when.time else None,
                   "precision": when.precision, "qualifier": when.qualifier, "part": when.part}
        return DeadlineExists(exc.existing, dossier, request)
    return DeadlineAdded(deadline, dossier, dl.is_past(deadline, c.now, c.settings.tz),
                         dl.offsets_for(deadline))


def _deadline_change(action: str) -> Handler:
    def run(args: Args, c: Ctx) -> Result:
        deadline = get_deadline(c.session, args["id"])
        before = deadline.due_date.isoformat()
        if action == "done":
            dl.complete_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline)
        elif action == "snooze":
            rm.snooze_deadline(session=c.session, now=c.now, deadline=deadline,
                               settings=c.settings)
        elif action == "cancel":
            dl.cancel_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline)
        elif action == "move":
            when = args["when"]
            if (when.date, when.time, when.precision, when.qualifier, when.part) == (
                    deadline.due_date, deadline.due_time, deadline.precision, deadline.qualifier,
                    deadline.due_part):
                raise InvalidInput(f"Deadline #{deadline.id} staat al op die datum.",
                                   f"Deadline #{deadline.id} is already on that date.")
            dl.move_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline,
                             due=when.date, due_time=when.time, precision=when.precision,
                             qualifier=when.qualifier, part=when.part)
        else:
            before = ",".join(map(str, dl.offsets_for(deadline)))
            dl.set_offsets(session=c.session, now=c.now, actor=c.actor, deadline=deadline,
                           offsets=args["offsets"])
        dossier = resolve_dossier_by_id(c.session, deadline.dossier_id)
        return DeadlineChanged(deadline, dossier, "remind" if action == "remind" else
                               {"done": "done", "cancel": "cancelled", "move": "moved",
                                "snooze": "snoozed"}[action],
                               before=before, past=dl.is_past(deadline, c.now, c.settings.tz))
    return run


def resolve_dossier_by_id(session: Session, dossier_id: int) -> ds.Dossier:
    """The dossier a deadline belongs to."""
    dossier = session.get(ds.Dossier, dossier_id)
    assert dossier is not None  # a foreign key guarantees it
    return dossier


def _programme_list(args: Args, c: Ctx) -> Result:
    line = None
    if args.get("line"):
        parsed = ds.parse_line(args["line"])
        if parsed is None:
            raise InvalidInput(
                f"Onbekende uitvoeringslijn ‘{args['line']}’. Kies economie-arbeidsmarkt, "
                "ruimtelijke-ontwikkeling of public-affairs.",
                f"Unknown execution line ‘{args['line']}’. Choose economie-arbeidsmarkt, "
                "ruimtelijke-ontwikkeling or public-affairs.", example="/programma list economie")
        line = parsed.value
    found = programmes.list_programmes(session=c.session, line=line)
    names = {p.id: p.name for p in found if p.id is not None}
    return ProgrammeList(found, line, names)


def _programme_status(args: Args, c: Ctx) -> Result:
    programme = resolve_programme(c.session, args["ref"])
    before = programme.status
    programmes.set_programme_status(session=c.session, now=c.now, actor=c.actor, programme=programme,
                                    status=args["status"], note=args.get("note"))
    return ProgrammeChanged(programme, before)


def _digest(post: bool) -> Handler:
    def run(args: Args, c: Ctx) -> Result:
        return DigestRequested(args["period"], post, args.get("format"))
    return run


def _team_list(args: Args, c: Ctx) -> Result:
    return TeamList(members.list_members(session=c.session), tuple(sorted(c.settings.admins)))


def _team_add(args: Args, c: Ctx) -> Result:
    role = members.parse_role(args["role"])
    members.set_role(session=c.session, now=c.now, actor=c.actor, user_id=args["user"], role=role)
    return TeamChanged(args["user"], role.value)


def _voorkeur(args: Args, c: Ctx) -> Result:
    if c.actor is None or c.actor == "cli":
        raise InvalidInput("Een voorkeur hoort bij een Slack-gebruiker.",
                           "A preference belongs to a Slack user.")
    if "via" in args:
        rm.set_reminders_via(session=c.session, now=c.now, user_id=c.actor, via=args["via"])
        return PreferenceResult(c.actor, args["via"], changed=True)
    return PreferenceResult(c.actor, rm.reminders_via(c.session, c.actor), changed=False)


def _team_remove(args: Args, c: Ctx) -> Result:
    members.remove_member(session=c.session, now=c.now, actor=c.actor, user_id=args["user"])
    return TeamChanged(args["user"], None)


HANDLERS = {
    ("help", "help"): _help,
    ("dossier", "list"): _dossier_list, ("dossier", "show"): _dossier_show,
    ("dossier", "new"): _dossier_new, ("dossier", "new_modal"): _dossier_new_modal,
    ("dossier", "status"): _dossier_status, ("dossier", "note"): _dossier_note,
    ("dossier", "owner"): _dossier_owner, ("dossier", "channel"): _dossier_channel,
    ("dossier", "edit"): _dossier_edit, ("dossier", "archive"): _dossier_archive,
    ("deadline", "list"): _deadline_list, ("deadline", "add"): _deadline_add,
    ("deadline", "add_modal"): _deadline_add_modal,
    ("deadline", "done"): _deadline_change("done"), ("deadline", "cancel"): _deadline_change("cancel"),
    ("deadline", "move"): _deadline_change("move"), ("deadline", "remind"): _deadline_change("remind"),
    ("programma", "list"): _programme_list, ("programma", "status"): _programme_status,
    ("digest", "show"): _digest(False), ("digest", "post"): _digest(True),
    ("team", "list"): _team_list, ("team", "add"): _team_add, ("team", "remove"): _team_remove,
    ("deadline", "snooze"): _deadline_change("snooze"),
    ("voorkeur", "show"): _voorkeur, ("voorkeur", "set"): _voorkeur,
}

from tracker.kamer.execute import HANDLERS as _KAMER_HANDLERS  # noqa: E402

HANDLERS.update(_KAMER_HANDLERS)
