"""Resolving what users type (`N35`, `zwolle meppel`, `munster`) to records."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, select

from tracker.db import read
from tracker.errors import Ambiguous, InvalidInput, NotFound
from tracker.models import Deadline, Dossier, Phase, Programme
from tracker.text import fold

MAX_REF = 200
# Built once, read as rows (tracker.db.read): building a statement and loading entities cost
# SQLAlchemy more than SQLite takes to answer.
_ID_BY_CODE = select(Dossier.id).where(Dossier.code_folded == bindparam("code"))
_BY_CODE = select(Dossier).where(Dossier.code_folded == bindparam("code"))
_BY_ID = select(Dossier).where(Dossier.id == bindparam("id"))
_NAMES = select(Dossier.id, Dossier.code, Dossier.code_folded, Dossier.title, Dossier.phase)


def resolve_dossier(session: Session, ref: str, *, include_closed: bool = True) -> Dossier:
    """The dossier `ref` names (its code, or words of its title, folded), as an entity to
    change."""
    dossier = session.get(Dossier, dossier_id(session, ref, include_closed=include_closed))
    assert dossier is not None  # just found, in the same transaction
    return dossier


def find_dossier(session: Session, ref: str, *, include_closed: bool = True) -> Any:
    """The dossier `ref` names, as a row with the dossier's columns: to show, not to change."""
    key = _key(ref)
    by_code = read(session, _BY_CODE, {"code": key}).first()  # one query, mostly
    if by_code is not None:
        return by_code
    return dossier_row(session, _id_by_words(session, ref, key, include_closed))


def dossier_row(session: Session, id_: int) -> Any:
    """The dossier with this id (it exists), as a row with its columns."""
    return read(session, _BY_ID, {"id": id_}).one()


def dossier_id(session: Session, ref: str, *, include_closed: bool = True) -> int:
    """The id of the dossier `ref` names: its code, or words of its title (folded)."""
    key = _key(ref)
    by_code = read(session, _ID_BY_CODE, {"code": key}).scalar()
    if by_code is not None:
        return int(by_code)
    return _id_by_words(session, ref, key, include_closed)


def _id_by_words(session: Session, ref: str, key: str, include_closed: bool) -> int:
    """The id of the one dossier whose code and title hold every word of `key` (no code
    matched it); Ambiguous or NotFound (with the nearest name) otherwise."""
    dossiers = read(session, _NAMES).all()
    if not include_closed:
        dossiers = [d for d in dossiers if d.phase != Phase.CLOSED]
    words = key.split()
    matches = [d for d in dossiers if _all_words_in(words, f"{d.code_folded} {fold(d.title)}")]
    if len(matches) == 1:
        return int(matches[0].id)
    if len(matches) > 1:
        names = [f"{d.code} — {d.title}" for d in sorted(matches, key=lambda d: d.code)]
        raise Ambiguous(
            f"‘{ref}’ past bij {len(matches)} dossiers: " + "; ".join(names[:10]) + ". Gebruik de code.",
            f"‘{ref}’ matches {len(matches)} dossiers: " + "; ".join(names[:10]) + ". Use the code.",
            candidates=names,
        )
    raise _not_found(("dossier", "dossier"), ref, _nearest(key, _names(dossiers)), "/dossier list")


def _names(dossiers: list[Any]) -> dict[str, str]:
    """What a misspelt reference may be near, each with its dossier's code: the code, the
    title, and each word of a title that only one dossier has (`munstr` → ZTM, by "münster")."""
    owners: dict[str, set[str]] = {}
    for d in dossiers:
        for word in fold(d.title).split():
            if len(word) >= 4:
                owners.setdefault(word, set()).add(d.code)
    words = {word: next(iter(codes)) for word, codes in owners.items() if len(codes) == 1}
    return words | {fold(d.title): d.code for d in dossiers} | {d.code_folded: d.code
                                                                for d in dossiers}


def _key(ref: str) -> str:
    """`ref` folded for look-up; InvalidInput when too long (checked first: a hostile
    megabyte is not folded) or empty."""
    if len(ref or "") > MAX_REF:
        raise InvalidInput(f"Die dossierverwijzing is te lang (maximaal {MAX_REF} tekens): geef "
                           "de code of een paar woorden uit de titel.",
                           f"That dossier reference is too long (at most {MAX_REF} "
                           "characters): give the code or a few words of the title.",
                           example="/dossier show N35")
    key = fold(ref or "")
    if not key:
        raise InvalidInput("Welk dossier? Geef een code of woorden uit de titel.",
                           "Which dossier? Give a code or words of its title.",
                           example="/dossier show N35")
    return key


def resolve_programme(session: Session, ref: str) -> Programme:
    """The programme `ref` names: exact name or words of it (folded)."""
    key = fold(ref or "")
    if not key:
        raise InvalidInput("Welk programma?", "Which programme?",
                           example="/programma status Groei Vooruit op-schema")
    programmes = list(session.exec(select(Programme)))
    exact = [p for p in programmes if p.name_folded == key]
    if exact:
        return exact[0]
    matches = [p for p in programmes if _all_words_in(key.split(), p.name_folded)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = sorted(p.name for p in matches)
        raise Ambiguous(f"‘{ref}’ past bij meerdere programma's: " + "; ".join(names[:10]) + ".",
                        f"‘{ref}’ matches several programmes: " + "; ".join(names[:10]) + ".",
                        candidates=names)
    raise _not_found(("programma", "programme"), ref,
                     _nearest(key, {p.name_folded: p.name for p in programmes}), "/programma list")


def _not_found(what: tuple[str, str], ref: str, suggestion: str | None, example: str) -> NotFound:
    """"Geen dossier gevonden voor ‘munstr’. Bedoelt u ZTM?" (what: the Dutch and English noun)."""
    hint_nl = f" Bedoelt u {suggestion}?" if suggestion else ""
    hint_en = f" Did you mean {suggestion}?" if suggestion else ""
    return NotFound(f"Geen {what[0]} gevonden voor ‘{ref}’.{hint_nl}",
                    f"No {what[1]} found for ‘{ref}’.{hint_en}",
                    example=example, suggestion=suggestion)


def get_deadline(session: Session, deadline_id: int) -> Deadline:
    """The deadline with this id, or NotFound."""
    deadline = session.get(Deadline, deadline_id) if 0 < deadline_id < 2**31 else None
    if deadline is None:
        raise NotFound(f"Deadline #{deadline_id} bestaat niet.",
                       f"Deadline #{deadline_id} does not exist.", example="/deadline list")
    return deadline


def _all_words_in(words: list[str], haystack: str) -> bool:
    tokens = haystack.split()
    return all(any(token.startswith(word) for token in tokens) for word in words)


def _nearest(key: str, names: dict[str, str]) -> str | None:
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None
