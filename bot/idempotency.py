"""Each Slack request changes things at most once, across replicas (table `handled_request`).

Keys a request claims (only signed requests; the console has no replays):
- `req:<sha256 of timestamp and body>`: the request itself. Slack's signature covers exactly
  these two, so an identical signed request within the five-minute window is a replay.
- `view:<view id>:<hash>`: a form. Submitting the same view twice (a double click on the
  submit button) is one submission; Slack changes the hash whenever the view is updated.
- `digest:<channel>:<message ts>`: "Plaats in kanaal" on one preview, for a minute: a burst
  of clicks posts the digest once.

How: the first flush of the request's session (or its first row written past the ORM)
first inserts its keys (a unique primary key),
so a duplicate — a replay later on, or one running at the same moment, which waits on that
insert (PostgreSQL's row lock, SQLite's write lock) — fails on it; it rolls back all it did,
drops its Slack calls and answers with what the first one answered. A request that changes
nothing claims nothing and costs no query (a replayed `/dossier list` is simply answered
again; a replayed "Afgerond" finds the deadline done and says so, changing nothing). The digest key is claimed even though
posting writes nothing. The answer is stored beside the key before the commit, so the one
who waited always finds it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import bindparam, delete, event, select, text, update
from sqlmodel import Session

from bot.ids import ActionId
from bot.signature import REPLAY_WINDOW_SECONDS
from tracker.models import HandledRequest, UTCDateTime
from tracker.services.common import BEFORE_WRITE

log = logging.getLogger("lobbytracker.slack")

DIGEST_BURST_SECONDS = 60
_TABLE = HandledRequest.__table__  # type: ignore[attr-defined]


class AlreadyHandled(Exception):
    """Another request (a replay, a double submission) claimed this one's key first."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Claims:
    """The keys one request claims, when they expire, and whether they are claimed yet."""

    keys: list[tuple[str, datetime]]
    at: datetime
    always: bool = False  # claim even when the request writes nothing (the digest post)
    claimed: bool = False


def request_time(req: BoltRequest) -> datetime | None:
    """The signed timestamp of `req` (aware UTC), or None when it is not signed."""
    values = req.headers.get("x-slack-request-timestamp") or []
    try:
        return datetime.fromtimestamp(int(values[0]), tz=UTC)
    except (IndexError, ValueError, OverflowError, OSError):
        return None


def request_key(req: BoltRequest) -> str | None:
    """`req:<digest>` of a signed request (timestamp and raw body), or None."""
    if req.mode == "socket_mode" or not req.headers.get("x-slack-signature"):
        return None
    stamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
    digest = hashlib.sha256(f"{stamp}:{req.raw_body}".encode()).hexdigest()
    return f"req:{digest}"


def claims_for(req: BoltRequest, body: dict[str, Any]) -> Claims | None:
    """What `req` claims when it changes something (None: unsigned, nothing to remember)."""
    key, at = request_key(req), request_time(req)
    if key is None or at is None:
        return None
    window = at + timedelta(seconds=REPLAY_WINDOW_SECONDS)
    claims = Claims([(key, window)], at)
    kind = body.get("type")
    view = body.get("view") if isinstance(body.get("view"), dict) else {}
    if kind == "view_submission" and view.get("id"):
        claims.keys.append((f"view:{view['id']}:{view.get('hash') or ''}"[:100], window))
    actions = body.get("actions") if kind == "block_actions" else None
    if actions and actions[0].get("action_id") == ActionId.DIGEST_POST.value:
        channel = (body.get("channel") or {}).get("id") or ""
        message = (body.get("container") or {}).get("message_ts") or ""
        claims.keys.append((f"digest:{channel}:{message}:{actions[0].get('value') or ''}"[:100],
                            at + timedelta(seconds=DIGEST_BURST_SECONDS)))
        claims.always = True
    return claims


# Built once, read without the ORM: this look-up runs after every request that changed
# nothing, and `Session.get` costs several times what SQLite takes to answer it.
_ANSWER = select(_TABLE.c.status, _TABLE.c.content_type, _TABLE.c.body,
                 _TABLE.c.expires_at).where(_TABLE.c.key == bindparam("key"))


def answered(session: Session, key: str, at: datetime) -> BoltResponse | None:
    """The stored answer to the request with `key`, while it is remembered."""
    row = session.connection().execute(_ANSWER, {"key": key}).first()
    if row is None or row.expires_at < at:
        return None
    headers = {"content-type": row.content_type} if row.content_type else {}
    return BoltResponse(status=row.status, body=row.body, headers=headers)


PURGE_EVERY = 100  # claims between two sweeps of expired keys (an expired key is reusable)
_claims_made = itertools.count(1)


# INSERT of one key that takes over an expired one, returning the key when it was taken. The
# same SQL on SQLite and PostgreSQL, written out: SQLAlchemy cannot cache the compiled form
# of a dialect's ON CONFLICT statement, and compiling it for every change cost 0.25 ms, 25
# times what SQLite takes to run it.
_CLAIM = text(
    'INSERT INTO handled_request ("key", expires_at, status, content_type, body) '
    "VALUES (:key, :expires_at, 200, '', '') "
    'ON CONFLICT ("key") DO UPDATE SET expires_at = excluded.expires_at, status = 200, '
    "content_type = '', body = '' WHERE handled_request.expires_at < :at "
    'RETURNING "key"').bindparams(bindparam("expires_at", type_=UTCDateTime()),
                                  bindparam("at", type_=UTCDateTime()))


def claim(session: Session, claims: Claims) -> None:
    """Insert the request's keys; AlreadyHandled when another request holds one of them. An
    expired key (a click on the same preview an hour later) is taken over."""
    if claims.claimed:
        return
    claims.claimed = True
    connection = session.connection()
    if next(_claims_made) % PURGE_EVERY == 0:
        connection.execute(delete(_TABLE).where(_TABLE.c.expires_at < claims.at))
    for key, expires in claims.keys:
        # On PostgreSQL a concurrent claim of the same key waits here until the other commits.
        if connection.execute(_CLAIM, {"key": key, "expires_at": expires,
                                       "at": claims.at}).first() is None:
            raise AlreadyHandled(key)


def remember_answer(session: Session, claims: Claims, response: BoltResponse | None) -> None:
    """Store the answer beside the claimed keys (in the same transaction as the change)."""
    if not claims.claimed or response is None:
        return
    body = response.body if isinstance(response.body, str) else json.dumps(response.body)
    content = response.headers.get("content-type") or [""]
    session.connection().execute(_REMEMBER, {
        "keys": [k for k, _ in claims.keys], "answer_status": response.status,
        "answer_body": body, "answer_type": str(content[0])[:100]})


_REMEMBER = update(_TABLE).where(_TABLE.c.key.in_(bindparam("keys", expanding=True))).values(
    status=bindparam("answer_status"), body=bindparam("answer_body"),
    content_type=bindparam("answer_type"))  # built once


def answer_of_first(session: Session, claims: Claims) -> BoltResponse:
    """What the first of the duplicates answered (it committed before our claim failed)."""
    try:
        for key, _ in claims.keys:
            found = answered(session, key, claims.at)
            if found is not None:
                return found
    except Exception:  # the database went away meanwhile: an empty 200 changes nothing
        log.warning("could not read the stored answer of a repeated request", exc_info=True)
    return BoltResponse(status=200, body="")


def attach(session: Session, claims: Claims | None) -> None:
    """Give the request's session its claims: claimed before its first write, whether that is
    a flush or a row written past the ORM (tracker.services.common.insert_entity)."""
    if claims is not None:
        session.info["claims"] = claims
        session.info[BEFORE_WRITE] = (_claim_pending,)


def _claim_pending(session: Session) -> None:
    claims = session.info.get("claims")
    if claims is not None:
        claim(session, claims)


def install(session_class: type[Session]) -> None:
    """Claim the request's keys at the first flush of its session (before any other write)."""
    @event.listens_for(session_class, "before_flush")
    def _claim_first(session: Session, _context: Any, _instances: Any) -> None:
        _claim_pending(session)
