"""Run a parsed `Command` against the services: one call in, one `Result` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker.commands import Command
from tracker.errors import InvalidInput
from tracker.models import Dossier, Role
from tracker.results import (
    DeadlineAdded,
    DeadlineChanged,
    DeadlineList,
    DigestRequested,
    DossierChanged,
    DossierList,
    DossierShown,
    HelpResult,
    ModalRequested,
    ProgrammeChanged,
    ProgrammeList,
    Result,
    TeamChanged,
    TeamList,
)
from tracker.services import deadlines as dl
from tracker.services import dossiers as ds
from tracker.services import members, programmes
from tracker.services.refs import get_deadline, resolve_dossier, resolve_programme
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


def _dossier_list(args: Args, c: Ctx) -> Result:
    filter_text = args.get("filter", "")
    found, total = ds.page_dossiers(session=c.session, filter_text=filter_text)
    if total == 1 and filter_text and not args.get("explicit"):
        dossier = c.session.get(Dossier, found[0].id)
        assert dossier is not None  # just listed, in the same transaction
        return DossierShown(ds.dossier_card(session=c.session, dossier=dossier, now=c.now))
    return DossierList(found, filter_text, total=total)


def _dossier_show(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    return DossierShown(ds.dossier_card(session=c.session, dossier=dossier, now=c.now))


def _dossier_new(args: Args, c: Ctx) -> Result:
    dossier = ds.create_dossier(session=c.session, now=c.now, actor=c.actor, code=args["code"],
                                title=args["title"])
    return DossierChanged(dossier, "created")


def _dossier_status(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    before = dossier.rag
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
    dossier = resolve_dossier(c.session, args["ref"]) if args.get("ref") else None
    items, total = dl.upcoming_page(session=c.session, now=c.now, tz=c.settings.tz,
                                    until=args["until"], dossier=dossier, limit=DEADLINE_LIST_LIMIT)
    return DeadlineList(items, args["until"], dossier, args.get("horizon", ""), total)


def _deadline_add(args: Args, c: Ctx) -> Result:
    dossier = resolve_dossier(c.session, args["ref"])
    when = args["when"]
    deadline = dl.add_deadline(session=c.session, now=c.now, actor=c.actor, dossier=dossier,
                               title=args["title"], due=when.date, due_time=when.time,
                               approximate=when.approximate, kind=args.get("kind"))
    return DeadlineAdded(deadline, dossier, dl.is_past(deadline, c.now, c.settings.tz),
                         dl.offsets_for(deadline))


def _deadline_change(action: str) -> Handler:
    def run(args: Args, c: Ctx) -> Result:
        deadline = get_deadline(c.session, args["id"])
        before = deadline.due_date.isoformat()
        if action == "done":
            dl.complete_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline)
        elif action == "cancel":
            dl.cancel_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline)
        elif action == "move":
            when = args["when"]
            if (when.date, when.time) == (deadline.due_date, deadline.due_time):
                raise InvalidInput(f"Deadline #{deadline.id} staat al op die datum.",
                                   f"Deadline #{deadline.id} is already on that date.")
            dl.move_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline,
                             due=when.date, due_time=when.time, approximate=when.approximate)
        else:
            before = ",".join(map(str, dl.offsets_for(deadline)))
            dl.set_offsets(session=c.session, now=c.now, actor=c.actor, deadline=deadline,
                           offsets=args["offsets"])
        dossier = resolve_dossier_by_id(c.session, deadline.dossier_id)
        return DeadlineChanged(deadline, dossier, "remind" if action == "remind" else
                               {"done": "done", "cancel": "cancelled", "move": "moved"}[action],
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
        return DigestRequested(args["period"], post)
    return run


def _team_list(args: Args, c: Ctx) -> Result:
    return TeamList(members.list_members(session=c.session), tuple(sorted(c.settings.admins)))


def _team_add(args: Args, c: Ctx) -> Result:
    role = members.parse_role(args["role"])
    members.set_role(session=c.session, now=c.now, actor=c.actor, user_id=args["user"], role=role)
    return TeamChanged(args["user"], role.value)


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
}

from tracker.kamer.execute import HANDLERS as _KAMER_HANDLERS  # noqa: E402

HANDLERS.update(_KAMER_HANDLERS)
