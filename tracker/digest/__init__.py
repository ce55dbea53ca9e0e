"""Digests: what changed in a period, as data (`build_digest`) and rendered as Markdown, JSON,
plain text or a chart. Slack Block Kit lives in bot/render/digest.py."""

from tracker.digest.build import build_digest, following_period, period_kind
from tracker.digest.model import (
    Budget,
    BudgetRow,
    BudgetSection,
    Digest,
    DossierDigest,
    IndicatorDigest,
    Item,
    LineDigest,
    ProgrammeRow,
    Reason,
    UpcomingDeadline,
    reason_label,
)

__all__ = [
    "Budget",
    "BudgetRow",
    "BudgetSection",
    "Digest",
    "DossierDigest",
    "IndicatorDigest",
    "Item",
    "LineDigest",
    "ProgrammeRow",
    "Reason",
    "UpcomingDeadline",
    "build_digest",
    "following_period",
    "period_kind",
    "reason_label",
]
