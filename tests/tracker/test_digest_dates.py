"""The digest shows milestones' dates the way the report words them, in every format."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from tests.conftest import AMS
from tracker.dates import parse_period
from tracker.digest.build import build_digest
from tracker.digest.markdown import render_markdown
from tracker.digest.serialize import render_json
from tracker.digest.text import render_text

LATER = datetime(2023, 9, 1, 9, 0, tzinfo=AMS)


def test_milestones_read_as_the_report_words_them(seeded: Session) -> None:
    period = parse_period("2023H1", now=LATER, tz=AMS)
    digest = build_digest(session=seeded, period=period, now=LATER, tz=AMS)
    text = render_text(digest)
    assert "juni 2023" in text  # "In juni was minister Helder … op werkbezoek"
    # "In het tweede kwartaal is het Uitvoeringsplan SUWI opgeleverd": one notation in
    # running text, never "Q2 2023"
    assert "tweede kwartaal 2023 — afgerond: Uitvoeringsplan SUWI" in text
    assert "Q2 2023" not in text
    assert "medio april 2023" in text
    milestone_lines = [line for line in text.splitlines()
                       if "Helder" in line or "SUWI" in line or "TEN-T netwerk" in line
                       or "Europees Parlement" in line]
    assert milestone_lines and not [line for line in milestone_lines if "ca. " in line]
    markdown = render_markdown(digest)
    assert "medio april 2023" in markdown
    data = json.loads(render_json(digest))
    assert "precision" in json.dumps(data)
