"""The Tweede Kamer commands run against the services (registered in tracker.execute)."""

from __future__ import annotations

from typing import Any

from tracker.kamer import services as ks
from tracker.kamer.results import DeadlineLinked, DeadlineUnlinked, KamerSearch, WatchWords
from tracker.models import Dossier
from tracker.services.refs import get_deadline, resolve_dossier


def _dossier_of(session: Any, dossier_id: int) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    assert dossier is not None  # a foreign key guarantees it
    return dossier


def _link(args: dict[str, Any], c: Any) -> DeadlineLinked:
    deadline = get_deadline(c.session, args["id"])
    link, activity, filled = ks.link_deadline(session=c.session, now=c.now, actor=c.actor,
                                              deadline=deadline, ref=args["ref"])
    return DeadlineLinked(deadline, _dossier_of(c.session, deadline.dossier_id),
                          ks.link_info(link, activity), tuple(filled), pending=activity is None)


def _unlink(args: dict[str, Any], c: Any) -> DeadlineUnlinked:
    deadline = get_deadline(c.session, args["id"])
    nummer = ks.unlink_deadline(session=c.session, now=c.now, actor=c.actor, deadline=deadline)
    return DeadlineUnlinked(deadline, _dossier_of(c.session, deadline.dossier_id), nummer)


def _words(args: dict[str, Any], c: Any) -> WatchWords:
    dossier = resolve_dossier(c.session, args["ref"])
    return WatchWords(dossier, tuple(ks.watch_words(c.session, dossier)))


def _follow(args: dict[str, Any], c: Any) -> WatchWords:
    dossier = resolve_dossier(c.session, args["ref"])
    added = ks.add_watch_words(session=c.session, now=c.now, actor=c.actor, dossier=dossier,
                               words=args["words"])
    return WatchWords(dossier, tuple(ks.watch_words(c.session, dossier)), added=tuple(added))


def _unfollow(args: dict[str, Any], c: Any) -> WatchWords:
    dossier = resolve_dossier(c.session, args["ref"])
    removed = ks.remove_watch_words(session=c.session, now=c.now, actor=c.actor, dossier=dossier,
                                    words=args["words"])
    gone = {w.casefold() for w in removed}
    return WatchWords(dossier, tuple(ks.watch_words(c.session, dossier)), removed=tuple(removed),
                      not_found=tuple(w for w in args["words"] if w.casefold() not in gone))


def _search(args: dict[str, Any], c: Any) -> KamerSearch:
    found = ks.search_coming(session=c.session, now=c.now, tz=c.settings.tz, words=args["words"],
                             until=args["until"])
    return KamerSearch(args["words"], args["until"], found)


HANDLERS = {("deadline", "link"): _link, ("deadline", "unlink"): _unlink,
            ("kamer", "words"): _words, ("kamer", "follow"): _follow,
            ("kamer", "unfollow"): _unfollow, ("kamer", "search"): _search}
MUTATIONS = {("deadline", "link"), ("deadline", "unlink"), ("kamer", "follow"),
             ("kamer", "unfollow")}
