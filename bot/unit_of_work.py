"""The unit of work of one Slack request: its session, commit or rollback, then the outbox.

The global middleware (bot.app) opens one session per request (`context["session"]`);
`transactional` commits it when the listener succeeded and rolls it back on any error — before
the ack is returned and before the outbox is sent (Bolt for Python runs listeners after the
middleware chain, so the middleware itself cannot see the outcome).

Listeners import this module, and bot.app imports the listeners: the layers point one way
(bot.app → bot.listeners → bot.unit_of_work), never back.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from sqlmodel import Session

from bot import idempotency
from tracker.errors import LobbyError

log = logging.getLogger("lobbytracker.slack")


class RequestSession(Session):
    """The request's session; lazy listeners get None in its place (they open their own)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> None:
        return None


idempotency.install(RequestSession)


class Committed:
    """Set once the request's transaction is committed or rolled back; lazy work waits for it."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __deepcopy__(self, memo: dict[int, Any]) -> Committed:
        return self

    def wait(self, timeout: float = 10.0) -> bool:
        return self.event.wait(timeout)


def transactional(listener: Callable[..., None]) -> Callable[..., None]:
    """Run `listener` in the request's unit of work: commit on success, roll back on any error.

    Bolt passes the listener's own arguments (it unwraps to read them), so every wrapped
    listener declares `context`.
    """
    @functools.wraps(listener)
    def run(**kwargs: Any) -> None:
        context: BoltContext = kwargs["context"]
        session: Session = context["session"]
        claims = session.info.get("claims")
        try:
            listener(**kwargs)
            if _may_repeat(context, claims) and \
                    (first := _answered_before(session, claims)) is not None:
                # A replay that wrote nothing (it found what its twin committed, "bestaat
                # al", before or while it ran): answer what the first answered. Costs one key
                # lookup, and only for requests that changed nothing.
                rollback(session)
                context["outbox"] = []
                context.ack.response = first
            elif context.get("failed"):
                session.rollback()
            else:
                if claims is not None:
                    if claims.always:
                        idempotency.claim(session, claims)
                    idempotency.remember_answer(session, claims, context.ack.response)
                session.commit()
        except idempotency.AlreadyHandled as handled:
            # A duplicate of a request that is (or just was) handled: undo, send nothing,
            # answer what the first one answered.
            rollback(session)
            context["outbox"] = []
            log.info("duplicate request (%s already handled): nothing changed",
                     handled.key.split(":")[0])
            context.ack.response = idempotency.answer_of_first(session, claims)
        except LobbyError:
            rollback(session)
            if _may_repeat(context, claims) and \
                    (first := _answered_before(session, claims)) is not None:
                # Refused because an identical request committed meanwhile ("bestaat al"):
                # the first one's answer, as for any replay.
                context["outbox"] = []
                context.ack.response = first
            else:
                raise  # handle_error answers, and sends its own outbox
        except BaseException:
            rollback(session)
            raise  # handle_error answers, and sends its own outbox
        finally:
            _close(session, context)
        send_outbox(context)
    return run


def _may_repeat(context: BoltContext, claims: idempotency.Claims | None) -> bool:
    """Whether the request may be a replay of one that changed something: signed, claimed
    nothing, and not a command that only reads (the listener says so in `reads_only`; a
    replayed `/dossier list` is simply answered again)."""
    return claims is not None and not claims.claimed and not context.get("reads_only")


def _answered_before(session: Session, claims: idempotency.Claims) -> Any:
    """The stored answer of an identical request handled before, or None (one key lookup)."""
    try:
        for key, _ in claims.keys:
            found = idempotency.answered(session, key, claims.at)
            if found is not None:  # committed together with its answer: never a placeholder
                return found
    except Exception:  # the database is down: the listener's own error path answers
        log.warning("could not look up a repeated request", exc_info=True)
        rollback(session)
    return None


def _close(session: Session, context: BoltContext) -> None:
    try:
        session.close()
    except Exception:  # a lost connection: the pool discards it
        log.warning("closing the request's session failed", exc_info=True)
    context["committed"].event.set()


def send_outbox(context: BoltContext) -> None:
    """Hand the request's queued Slack calls to the worker pool (once, after the commit);
    App Home refreshes after a change wait for the user's burst of changes to end."""
    items = context.get("outbox")
    if not items or context.get("outbox_sent"):
        return
    context["outbox_sent"] = True
    from bot.listeners.outbox import deliver

    deps = context["deps"]  # bot.app.Deps
    calls = []
    for item in items:
        if item.get("op") == "refresh_home" and deps.home_refresh is not None:
            deps.home_refresh.touch(item["user"])
        else:
            calls.append(item)
    if not calls:
        return
    pool = deps.digest_pool if any(i.get("op") == "digest" for i in calls) else deps.outbox_pool
    deps.submit(pool, deliver, calls, deps=deps, client=context.client, respond=context.respond)


def rollback(session: Session | None) -> None:
    """Roll back; a connection that is gone (database down) has nothing left to roll back."""
    if session is None:
        return
    try:
        session.rollback()
    except Exception:
        log.warning("rollback failed (connection lost?)", exc_info=True)
