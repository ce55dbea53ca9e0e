"""Programme services: status with a note, list by execution line."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from tracker.errors import InvalidInput
from tracker.models import Programme, ProgrammeStatus
from tracker.services.common import (
    MAX_TEXT,
    EventKind,
    check_version,
    flush,
    record_event,
    require_aware,
)
from tracker.text import clean, fold

STATUS_WORDS: dict[str, ProgrammeStatus] = {
    "on track": ProgrammeStatus.ON_TRACK, "op schema": ProgrammeStatus.ON_TRACK,
    "ok": ProgrammeStatus.ON_TRACK, "at risk": ProgrammeStatus.AT_RISK,
    "risico": ProgrammeStatus.AT_RISK, "delayed": ProgrammeStatus.DELAYED,
    "vertraagd": ProgrammeStatus.DELAYED, "paused": ProgrammeStatus.PAUSED,
    "stilgelegd": ProgrammeStatus.PAUSED, "gepauzeerd": ProgrammeStatus.PAUSED,
    "done": ProgrammeStatus.DONE, "afgerond": ProgrammeStatus.DONE,
}


def parse_programme_status(word: str) -> ProgrammeStatus | None:
    """The status a (Dutch or English) word names, or None."""
    return STATUS_WORDS.get(fold(word or ""))


def set_programme_status(*, session: Session, now: datetime, actor: str | None,
                         programme: Programme, status: str, note: str | None = None,
                         expected_version: int | None = None) -> Programme:
    """Set a programme's status (and note); recorded in the history."""
    require_aware(now)
    check_version(programme, expected_version, f"Programma {programme.name}",
                  f"Programme {programme.name}")
    parsed = parse_programme_status(status)
    if parsed is None:
        raise InvalidInput(
            f"Onbekende programmastatus ‘{status}’. Kies op-schema, risico, vertraagd, "
            "stilgelegd of afgerond.",
            f"Unknown programme status ‘{status}’. Choose on-track, at-risk, delayed, paused "
            "or done.", example="/programma status Groei Vooruit op-schema")
    text = clean(note or "")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"De toelichting is te lang (maximaal {MAX_TEXT} tekens).",
                           f"The note is too long (at most {MAX_TEXT} characters).")
    before, before_note = programme.status, programme.note
    programme.status = parsed.value
    if text:
        programme.note = text
    programme.updated_at = now
    flush(session)
    record_event(session, now=now, actor=actor, kind=EventKind.PROGRAMME_STATUS,
                 programme_id=programme.id, dossier_id=programme.dossier_id, before=before,
                 after=parsed.value, text=text)
    if programme.note != before_note:
        # the note it replaces, so a digest of an earlier period keeps the note that held
        record_event(session, now=now, actor=actor, kind=EventKind.PROGRAMME_UPDATED,
                     programme_id=programme.id, dossier_id=programme.dossier_id,
                     before=before_note or None, after=programme.note, text="note")
    return programme


def list_programmes(*, session: Session, line: str | None = None) -> list[Programme]:
    """Programmes, parents before their plans, optionally of one execution line."""
    programmes = list(session.exec(select(Programme).order_by(Programme.line, Programme.name)))
    if line:
        programmes = [p for p in programmes if p.line == line]
    by_id = {p.id: p for p in programmes}
    roots = [p for p in programmes if p.parent_id not in by_id]
    ordered: list[Programme] = []
    for root in roots:
        ordered.append(root)
        ordered.extend(p for p in programmes if p.parent_id == root.id)
    return ordered
