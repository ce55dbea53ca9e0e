"""The digest as JSON: stable (sorted keys, ISO dates), lossless for what the renderers show."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any

from tracker.dates import Period
from tracker.digest.model import (
    Budget,
    BudgetRow,
    Digest,
    DossierDigest,
    IndicatorDigest,
    Item,
    LineDigest,
    Reason,
    UpcomingDeadline,
)

FORMAT_VERSION = 2
# Derived values worth having in the file, so a reader need not recompute them.
_PROPERTIES: dict[type, tuple[str, ...]] = {
    Digest: ("is_empty", "flags", "counts"),
    DossierDigest: ("funding_gap", "changed", "short_title"),
    LineDigest: ("changed",),
    BudgetRow: ("difference", "spent_share", "flagged"),
    IndicatorDigest: ("flagged", "monthly_average"),
    UpcomingDeadline: ("due_text",),
    Budget: ("expense_share",),
}
# The moment of building is no part of what the digest says: a past period built today and
# tomorrow is the same file ("as_of" says what it covers).
_LEFT_OUT: dict[type, frozenset[str]] = {Digest: frozenset({"generated_at"})}


def _plain(value: Any) -> Any:
    if isinstance(value, Item):
        return {"reason": value.reason.value, "reason_code": value.reason.name.lower(),
                "at": value.at.isoformat(), "text": value.text, "before": value.before,
                "after": value.after, "approximate": value.approximate,
                "deadline_id": value.deadline_id, "kind": value.kind,
                "precision": value.precision, "role": value.role, "owner": value.owner,
                "qualifier": value.qualifier, "due_part": value.due_part}
    if isinstance(value, Reason):
        return value.value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Period):
        return {"key": value.key, "start": value.start.isoformat(),
                "end": value.end.isoformat(), "label_nl": value.label_nl,
                "label_en": value.label_en}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = _LEFT_OUT.get(type(value), frozenset())
        out = {name: _plain(getattr(value, name)) for name in _fields(type(value))
               if name not in skip}
        for name in _PROPERTIES.get(type(value), ()):
            out[name] = _plain(getattr(value, name))
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    """The digest as JSON-ready data."""
    return {"format": "lobbytracker-digest", "version": FORMAT_VERSION, "digest": _plain(digest)}


def render_json(digest: Digest) -> str:
    """The digest as stable, indented JSON."""
    return json.dumps(digest_to_dict(digest), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
