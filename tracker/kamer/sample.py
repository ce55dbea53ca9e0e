"""A recorded sample of the OData API shipped with the package, for `lobby demo`: a client that
answers from `sample/activiteit.json` as the service would have at a given moment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from typing import Any

from tracker.kamer.client import Activity, Page, parse_instant, read_activity

SAMPLE_NUMBER = "2023A99001"  # the sample's (invented) activity number
# What the demo prints when the team links the debate to the sample (Dutch, English).
SAMPLE_LINKED = (
    f"/deadline link Kamerdebat MIRT {SAMPLE_NUMBER}: gekoppeld aan een voorbeeldactiviteit "
    "van de Tweede Kamer. Het nummer en de verschuiving die volgt komen uit meegeleverde "
    "voorbeeldgegevens, niet uit de echte Kameragenda.",
    f"/deadline link Kamerdebat MIRT {SAMPLE_NUMBER}: linked to a sample activity of the "
    "Tweede Kamer. The number and the move that follows come from bundled sample data, not "
    "from the real agenda of the Tweede Kamer.")


def _load() -> list[dict[str, Any]]:
    text = files("tracker.kamer").joinpath("sample/activiteit.json").read_text(encoding="utf-8")
    return list(json.loads(text)["value"])


@dataclass
class SampleClient:
    """What the sample's service showed at `now`: each entity's latest version changed by then."""

    now: datetime
    rows: list[dict[str, Any]] = field(default_factory=_load)

    def _visible(self) -> list[dict[str, Any]]:
        latest: dict[str, dict[str, Any]] = {}
        for raw in sorted(self.rows, key=lambda r: r["ApiGewijzigdOp"]):
            changed = parse_instant(raw["ApiGewijzigdOp"])
            if changed is not None and changed <= self.now:
                latest[raw["Id"]] = raw
        return list(latest.values())

    def pages(self, entity: str, *, since: datetime) -> Iterator[Page]:
        """One page of the sample's changes since `since` (activities only)."""
        if entity != "Activiteit":
            return
        records = [read_activity(r) for r in self._visible()]
        records = [r for r in records if r.api_gewijzigd_op and r.api_gewijzigd_op >= since]
        yield Page(records=list(records),
                   last_changed=max((r.api_gewijzigd_op for r in records if r.api_gewijzigd_op),
                                    default=None))

    def activities_by_number(self, numbers: list[str]) -> list[Activity]:
        """The visible activities with these numbers."""
        return [read_activity(r) for r in self._visible() if r.get("Nummer") in numbers]


def demo_step(*, engine: Any, settings: Any, now: datetime) -> bool:
    """At each replay moment: the team links the dataset's Kamerdebat MIRT to the sample's
    activity (once, as an editor would), then a sync reads what the sample showed by `now`.
    True when it linked (the demo says so, labelled as simulated)."""
    from sqlmodel import select

    from tracker.db import session_scope
    from tracker.kamer.models import KamerLink
    from tracker.kamer.services import link_deadline
    from tracker.kamer.sync import run_sync
    from tracker.models import Deadline

    linked = False
    with session_scope(engine) as session:
        debate = session.exec(select(Deadline).where(Deadline.title == "Kamerdebat MIRT",
                                                     Deadline.status == "open")).first()
        if debate is not None and session.get(KamerLink, debate.id) is None:
            link_deadline(session=session, now=now, actor="demo", deadline=debate,
                          ref=SAMPLE_NUMBER)
            linked = True
    run_sync(engine=engine, client=SampleClient(now), settings=settings, now=now,
             respect_backoff=False)
    return linked
