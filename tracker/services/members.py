"""Roles: viewer, editor, admin. Users without a row are viewers; LOBBY_ADMINS are admins."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

from tracker.db import read
from tracker.errors import Forbidden, InvalidInput
from tracker.models import Member, Role
from tracker.services.common import EventKind, flush, record_event, require_aware
from tracker.services.dossiers import SLACK_USER_RE

RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}
ROLE_WORDS = {"viewer": Role.VIEWER, "lezer": Role.VIEWER, "kijker": Role.VIEWER,
              "editor": Role.EDITOR, "redacteur": Role.EDITOR, "bewerker": Role.EDITOR,
              "admin": Role.ADMIN, "beheerder": Role.ADMIN}


class Operator(str):
    """The person at the terminal (`lobby` on the server): an admin. Stored as the text "cli"
    like any actor, but only code can make one: the user id of a Slack request is a plain
    string, so `user_id=cli` in a request is nobody special."""

    __slots__ = ()


CLI_ACTOR = Operator("cli")


def role_of(session: Session, user_id: str | None, admins: Iterable[str] = ()) -> Role:
    """The user's role: admin by configuration, else the stored role, else viewer."""
    if user_id is None:
        return Role.VIEWER
    if isinstance(user_id, Operator) or user_id in admins:
        return Role.ADMIN
    role = read(session, _ROLE, {"user_id": user_id}).scalar()
    return Role(role) if role else Role.VIEWER


_ROLE = select(Member.role).where(Member.user_id == bindparam("user_id"))  # built once


def require_role(session: Session, user_id: str | None, needed: Role,
                 admins: Iterable[str] = ()) -> None:
    """Raise Forbidden unless the user has at least `needed`."""
    if RANK[role_of(session, user_id, admins)] < RANK[needed]:
        names = {Role.EDITOR: ("redacteur (editor)", "editor"), Role.ADMIN: ("beheerder", "admin")}
        nl, en = names.get(needed, (needed.value, needed.value))
        raise Forbidden(
            f"Hiervoor heeft u de rol {nl} nodig. Vraag een beheerder om "
            f"`/lobby team add @u {needed.value}`.",
            f"You need the {en} role for this. Ask an admin for "
            f"`/lobby team add @you {needed.value}`.")


def parse_role(word: str) -> Role:
    """The role a word names, or InvalidInput."""
    role = ROLE_WORDS.get((word or "").strip().lower())
    if role is None:
        raise InvalidInput(f"Onbekende rol ‘{word}’. Kies viewer, editor of admin.",
                           f"Unknown role ‘{word}’. Choose viewer, editor or admin.",
                           example="/lobby team add @Anna editor")
    return role


def set_role(*, session: Session, now: datetime, actor: str | None, user_id: str,
             role: Role) -> Member:
    """Give a user a role."""
    require_aware(now)
    if not SLACK_USER_RE.match(user_id or ""):
        raise InvalidInput("Noem een Slack-gebruiker met @.", "Name a Slack user with @.",
                           example="/lobby team add @Anna editor")
    member = session.get(Member, user_id)
    before = member.role if member else None
    if member is None:
        member = Member(user_id=user_id, role=role.value, added_by=actor, added_at=now)
        session.add(member)
    else:
        member.role = role.value
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.MEMBER_ROLE, before=before,
                 after=role.value, text=user_id)
    return member


def remove_member(*, session: Session, now: datetime, actor: str | None, user_id: str) -> None:
    """Take a user's role away (they become a viewer)."""
    require_aware(now)
    member = session.get(Member, user_id)
    if member is None:
        raise InvalidInput(f"<@{user_id}> staat niet in het team.",
                           f"<@{user_id}> is not in the team.")
    before = member.role
    session.delete(member)
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.MEMBER_ROLE, before=before,
                 after=None, text=user_id)


def list_members(*, session: Session) -> list[Member]:
    """Team members with an explicit role."""
    return list(session.exec(select(Member).order_by(Member.role, Member.user_id)))
