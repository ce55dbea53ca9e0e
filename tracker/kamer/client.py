"""The wire: the Tweede Kamer's OData v4 API (JSON) in, plain records out.

Only this module knows the source's field names (`Nummer`, `Onderwerp`, `Aanvangstijd`, …, as
in the XSDs of TweedeKamerDerStaten-Generaal/OpenDataPortaal and opendata.tweedekamer.nl);
feed.py maps the SyncFeed's elements onto them.
Changes are read with `$filter=ApiGewijzigdOp ge …&$orderby=ApiGewijzigdOp`, a page (250) at a
time, following `@odata.nextLink`; pages are yielded one by one, so memory stays bounded.
A time-out, a 5xx or a connection error is retried with back-off (`http.py`, shared with the
SyncFeed client in `feed.py`, which makes the same records); what still fails, or a page that is
not the documented shape, raises `SourceError` — the sync then changes nothing.
A single bad record (a date out of range, a field of the wrong type) is skipped and counted.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import httpx

from tracker.kamer.http import HttpSource, SourceError, bounded_chunks, short

log = logging.getLogger(__name__)

HAGUE = ZoneInfo("Europe/Amsterdam")
ENTITY_SETS = ("Activiteit", "Agendapunt", "Toezegging")
MAX_PAGES = 1000  # a guard against a nextLink that loops
TEXT_LIMIT = 1000  # what we keep of a free-text field (Onderwerp, Tekst, Noot)
NUMBER_RE = re.compile(r"\b(\d{4}[A-Z]\d{5})\b")
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_FRACTION_RE = re.compile(r"(\.\d{6})\d+")


@dataclass(frozen=True)
class Activity:
    """An *Activiteit*: a debate, committee meeting, procedure meeting, …"""

    id: str
    nummer: str = ""
    soort: str = ""
    onderwerp: str = ""
    datum: date | None = None
    aanvangstijd: datetime | None = None
    eindtijd: datetime | None = None
    locatie: str = ""
    status: str = ""
    voortouwnaam: str = ""
    voortouwafkorting: str = ""
    vergaderjaar: str = ""
    noot: str = ""
    voortgezet_vanuit: str | None = None
    vervangen_vanuit: str | None = None
    verwijderd: bool = False
    api_gewijzigd_op: datetime | None = None


@dataclass(frozen=True)
class AgendaItem:
    """An *Agendapunt* of an activity."""

    id: str
    activiteit_id: str | None = None
    onderwerp: str = ""
    aanvangstijd: datetime | None = None
    verwijderd: bool = False
    api_gewijzigd_op: datetime | None = None


@dataclass(frozen=True)
class Commitment:
    """A *Toezegging*: what a minister promised the Kamer, by `DatumNakoming`."""

    id: str
    nummer: str = ""
    tekst: str = ""
    naam: str = ""
    ministerie: str = ""
    status: str = ""
    datum_nakoming: date | None = None
    activiteit_id: str | None = None
    activiteit_nummer: str = ""
    verwijderd: bool = False
    api_gewijzigd_op: datetime | None = None


Record = Activity | AgendaItem | Commitment


@dataclass
class Page:
    """One page of changes: the records read and how many were unreadable."""

    records: list[Record] = field(default_factory=list)
    skipped: int = 0
    last_changed: datetime | None = None  # the greatest ApiGewijzigdOp seen on the page


# --- reading values --------------------------------------------------------------------------

def _text(value: Any, limit: int = TEXT_LIMIT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"text expected, got {type(value).__name__}")
    return " ".join(value.split())[:limit]


def _guid(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not GUID_RE.match(value):
        raise ValueError(f"not an Id: {str(value)[:60]!r}")
    return value.lower()


def parse_instant(value: Any) -> datetime | None:
    """An OData `Edm.DateTimeOffset` ("2023-11-20T10:00:00+01:00", up to 7 decimals) as aware
    UTC; a value without offset is read as The Hague's local time."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("date-time expected")
    text = _FRACTION_RE.sub(r"\1", value.strip().replace("Z", "+00:00"))
    parsed = datetime.fromisoformat(text)  # ValueError on nonsense and on year 0 / 10000
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=HAGUE)
    if not 1900 <= parsed.year <= 2200:
        raise ValueError(f"date out of range: {value}")
    return parsed.astimezone(UTC)


def _local_date(value: Any) -> date | None:
    """A calendar date (`Datum`, `DatumNakoming`): the date as written, in its own offset."""
    instant = parse_instant(value)
    if instant is None:
        return None
    written = datetime.fromisoformat(_FRACTION_RE.sub(r"\1", value.strip().replace("Z", "+00:00")))
    return written.date()


def _bool(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError("boolean expected")
    return value


def _required_id(raw: dict[str, Any]) -> str:
    found = _guid(raw.get("Id"))
    if found is None:
        raise ValueError("entity without Id")
    return found


def read_activity(raw: dict[str, Any]) -> Activity:
    """An OData `Activiteit` entity as a record; ValueError when it cannot be read."""
    return Activity(
        id=_required_id(raw), nummer=_text(raw.get("Nummer"), 20), soort=_text(raw.get("Soort"), 100),
        onderwerp=_text(raw.get("Onderwerp")), datum=_local_date(raw.get("Datum")),
        aanvangstijd=parse_instant(raw.get("Aanvangstijd")),
        eindtijd=parse_instant(raw.get("Eindtijd")), locatie=_text(raw.get("Locatie"), 200),
        status=_text(raw.get("Status"), 40), voortouwnaam=_text(raw.get("Voortouwnaam"), 200),
        voortouwafkorting=_text(raw.get("Voortouwafkorting"), 40),
        vergaderjaar=_text(raw.get("Vergaderjaar"), 20), noot=_text(raw.get("Noot")),
        voortgezet_vanuit=_guid(raw.get("VoortgezetVanuit")),
        vervangen_vanuit=_guid(raw.get("VervangenVanuit")),
        verwijderd=_bool(raw.get("Verwijderd")),
        api_gewijzigd_op=parse_instant(raw.get("ApiGewijzigdOp")))


def read_agenda_item(raw: dict[str, Any]) -> AgendaItem:
    """An OData `Agendapunt` entity as a record."""
    return AgendaItem(
        id=_required_id(raw), activiteit_id=_guid(raw.get("Activiteit_Id")),
        onderwerp=_text(raw.get("Onderwerp")), aanvangstijd=parse_instant(raw.get("Aanvangstijd")),
        verwijderd=_bool(raw.get("Verwijderd")),
        api_gewijzigd_op=parse_instant(raw.get("ApiGewijzigdOp")))


def read_commitment(raw: dict[str, Any]) -> Commitment:
    """An OData `Toezegging` entity as a record."""
    return Commitment(
        id=_required_id(raw), nummer=_text(raw.get("Nummer"), 20), tekst=_text(raw.get("Tekst")),
        naam=_text(raw.get("Naam"), 200), ministerie=_text(raw.get("Ministerie"), 200),
        status=_text(raw.get("Status"), 40), datum_nakoming=_local_date(raw.get("DatumNakoming")),
        activiteit_id=_guid(raw.get("Activiteit_Id")),
        activiteit_nummer=_text(raw.get("ActiviteitNummer"), 20),
        verwijderd=_bool(raw.get("Verwijderd")),
        api_gewijzigd_op=parse_instant(raw.get("ApiGewijzigdOp")))


READERS: dict[str, Callable[[dict[str, Any]], Record]] = {
    "Activiteit": read_activity, "Agendapunt": read_agenda_item, "Toezegging": read_commitment}


def number_in(text: str) -> str | None:
    """The activity number in `text` ("2023A04567", or a tweedekamer.nl URL holding it)."""
    found = NUMBER_RE.search(text.upper())
    return found.group(1) if found else None


def activity_url(nummer: str) -> str:
    """The activity's page on tweedekamer.nl."""
    return f"https://www.tweedekamer.nl/debat_en_vergadering/commissievergaderingen/details?id={nummer}"


def odata_instant(moment: datetime) -> str:
    """A literal for `$filter` (OData DateTimeOffset, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- the client ------------------------------------------------------------------------------

class KamerClient(HttpSource):
    """Reads the OData API (JSON)."""

    accept = "application/json"

    def __init__(self, api_url: str, **options: Any) -> None:
        super().__init__(**options)
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"

    def _get(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        def read(response: httpx.Response) -> dict[str, Any]:
            if response.status_code == 404:
                return {"value": []}
            if response.status_code != 200:
                raise SourceError(f"HTTP {response.status_code} van {short(url)}")
            try:
                body = json.loads(b"".join(bounded_chunks(response)))
            except ValueError as exc:
                raise SourceError(f"geen geldige JSON van {short(url)}") from exc
            if not isinstance(body, dict):
                raise SourceError(f"onverwachte vorm van {short(url)}")
            return body

        return self.fetch(url, params, read)

    def pages(self, entity: str, *, since: datetime) -> Iterator[Page]:
        """The changes of one entity set since `since`, oldest first, a page at a time."""
        reader = READERS[entity]
        url: str | None = urljoin(self.api_url, entity)
        params: dict[str, str] | None = {
            "$filter": f"ApiGewijzigdOp ge {odata_instant(since)}",
            "$orderby": "ApiGewijzigdOp"}
        for _ in range(MAX_PAGES):
            if url is None:
                return
            body = self._get(url, params)
            yield _page(body, reader)
            next_link = body.get("@odata.nextLink")
            if next_link is not None and not isinstance(next_link, str):
                raise SourceError("@odata.nextLink is geen tekst")
            url, params = (urljoin(self.api_url, next_link) if next_link else None), None
        raise SourceError(f"meer dan {MAX_PAGES} pagina's; de volgende keer verder")

    def activities_by_number(self, numbers: list[str]) -> list[Activity]:
        """The activities with these numbers (a linked milestone the sync has not seen yet)."""
        found: list[Activity] = []
        for start in range(0, len(numbers), 20):
            chunk = [n for n in numbers[start:start + 20] if NUMBER_RE.fullmatch(n)]
            if not chunk:
                continue
            condition = " or ".join(f"Nummer eq '{n}'" for n in chunk)
            body = self._get(urljoin(self.api_url, "Activiteit"), {"$filter": condition})
            found.extend(r for r in _page(body, read_activity).records if isinstance(r, Activity))
        return found


def _page(body: dict[str, Any], reader: Callable[[dict[str, Any]], Record]) -> Page:
    values = body.get("value")
    if not isinstance(values, list):
        raise SourceError("pagina zonder ‘value’-lijst")
    page = Page()
    for raw in values:
        try:
            if not isinstance(raw, dict):
                raise ValueError("entity is no object")
            record = reader(raw)
        except (ValueError, TypeError, OverflowError) as exc:
            page.skipped += 1
            log.warning("skipped an unreadable Tweede Kamer record: %s", str(exc)[:200])
            continue
        page.records.append(record)
        if record.api_gewijzigd_op and (page.last_changed is None
                                        or record.api_gewijzigd_op > page.last_changed):
            page.last_changed = record.api_gewijzigd_op
    return page
