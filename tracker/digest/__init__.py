"""Digests: what changed in a period, as data (`build_digest`) and rendered as Markdown, JSON,
plain text or a chart. Slack Block Kit lives in bot/render/digest.py.

Names are imported on first use, so `lobby --help` (which imports tracker.digest.cli) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "build_digest": "build", "following_period": "build", "period_kind": "build",
    "render_markdown": "markdown", "render_text": "text", "render_json": "serialize",
    "digest_to_dict": "serialize", "render_chart": "chart",
    **dict.fromkeys(("Budget", "BudgetRow", "BudgetSection", "Digest", "DossierDigest",
                     "IndicatorDigest", "Item", "LineDigest", "ProgrammeRow", "Reason",
                     "UpcomingDeadline", "reason_label"), "model"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker.digest' has no attribute {name!r}")
    return getattr(import_module(f"tracker.digest.{module}"), name)
