"""A local HTTP double of the Tweede Kamer's OData v4 API (gegevensmagazijn.tweedekamer.nl/OData/
v4/2.0/) and its SyncFeed (/SyncFeed/2.0/Feed): real HTTP on 127.0.0.1, the documented shapes.

- entity sets `Activiteit`, `Agendapunt`, `Toezegging`, entities with the XSD's fields in OData's
  PascalCase (`Id`, `Nummer`, `Soort`, `Onderwerp`, `Datum`, `Aanvangstijd`, …, `GewijzigdOp`,
  `ApiGewijzigdOp`, `Verwijderd`); deleted entities stay, with `Verwijderd: true`;
- `$filter` with `ApiGewijzigdOp ge <DateTimeOffset>` and `Nummer eq '…' or …`, `$orderby`
  ApiGewijzigdOp; server paging of 250 with `@odata.nextLink` (a `$skip` link, as the service
  gives); single-entity access `Activiteit(<guid>)`; 404 for an unknown one;
- the SyncFeed of the same data: `Feed?category=<set>&skiptoken=<n>`, an Atom feed of 250
  entries, each entity once at its latest change, oldest first; a change's skiptoken is its
  number in the order of all changes (as the service counts them). An entry holds the Id as
  `title`, `updated`, `category term="activiteit"`, a `link rel="next"` with the skiptoken after
  it, and the entity in namespace tkData/v1-0 inside `content` (fields in camelCase, relations
  as `ref`, `xsi:nil` for none, local times without offset); a deleted entity is the bare
  element with `tk:verwijderd="true"`; the feed's own `link rel="next"` when the page has entries;
- failures on demand: `fail_next(kind, times)` with kind `500`, `503`, `timeout` (answers after
  the client has given up), `garbage` (not JSON, an HTML page), `partial` (a page cut off
  mid-way), `shape` (JSON without `value`), `entities` (XML with a DOCTYPE declaring an entity
  bomb and an external entity).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import threading
import time
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from tests.slack_double import DoubleHTTPServer

PAGE = 250
PREFIX = "/OData/v4/2.0/"
FEED_PATH = "/SyncFeed/2.0/Feed"
REFS = {"VoortgezetVanuit": "voortgezetVanuit", "VervangenVanuit": "vervangenVanuit",
        "Activiteit_Id": "activiteit"}
LOCAL_TIMES = ("Datum", "Aanvangstijd", "Eindtijd", "DatumNakoming", "Aanvraagdatum")
ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaaaaaaaa">'
               + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 16)
                          for i in range(8))
               + b'<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
               b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&i;&x;</title></entry>'
               b"</feed>")
ENTITY_RE = re.compile(r"^(Activiteit|Agendapunt|Toezegging)(?:\(([0-9a-fA-F-]{36})\))?$")
GE_RE = re.compile(r"^ApiGewijzigdOp ge (\S+)$")
NUMBER_RE = re.compile(r"Nummer eq '([^']*)'")


def stamp(moment: datetime) -> str:
    """An Edm.DateTimeOffset as the service writes it (7 decimals, offset)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def new_id() -> str:
    return str(uuid.uuid4())


class KamerDouble:
    """The OData double; `url` is the API root to give `KamerClient`."""

    def __init__(self) -> None:
        self.sets: dict[str, dict[str, dict[str, Any]]] = {
            "Activiteit": {}, "Agendapunt": {}, "Toezegging": {}}
        self.requests: list[str] = []
        self._failures: deque[str] = deque()
        self._lock = threading.Lock()
        self._clock = datetime(2023, 11, 15, 8, 0, tzinfo=UTC)  # just before the tests' pinned now
        self.hang_seconds = 1.5
        self.delay_seconds = 0.0  # every answer waits this long (concurrency tests)
        self.next_page_delay = 0.0  # answers to a nextLink wait this long (kill -9 mid-sync)
        self.delay_after: int | None = None  # requests after this many wait next_page_delay
        self.changes = 0  # changes made so far: the last change's skiptoken
        self.positions: dict[str, dict[str, int]] = {name: {} for name in self.sets}
        # every change of a set in order, (skiptoken, Id): a page is found by bisection, not by
        # sorting the whole set, so the double's cost stays out of the bench's figures
        self.log: dict[str, list[tuple[int, str]]] = {name: [] for name in self.sets}
        self._server: DoubleHTTPServer | None = None

    # --- data ---------------------------------------------------------------------------

    def _tick(self) -> str:
        self._clock += timedelta(seconds=1)
        return stamp(self._clock)

    def put(self, entity: str, **fields: Any) -> dict[str, Any]:
        """Add or change an entity (merging `fields`); it gets a fresh ApiGewijzigdOp."""
        with self._lock:
            raw = dict(self.sets[entity].get(fields.get("Id", ""), {}))
            raw.setdefault("Id", fields.pop("Id", None) or new_id())
            raw.setdefault("Verwijderd", False)
            raw.update(fields)
            changed = self._tick()
            raw["GewijzigdOp"] = changed
            raw["ApiGewijzigdOp"] = changed
            self.sets[entity][raw["Id"]] = raw
            self.changes += 1
            self.positions[entity][raw["Id"]] = self.changes
            self.log[entity].append((self.changes, raw["Id"]))
            return raw

    def set_clock(self, moment: datetime) -> None:
        """Changes from now on are stamped from `moment` on (a second apart)."""
        with self._lock:
            self._clock = moment.astimezone(UTC)

    def activity(self, nummer: str, onderwerp: str, start: datetime, **fields: Any
                 ) -> dict[str, Any]:
        """An Activiteit as the service describes a committee debate."""
        local = start.isoformat()
        defaults = {"Soort": "Commissiedebat", "Nummer": nummer, "Onderwerp": onderwerp,
                    "DatumSoort": "Dag", "Datum": local[:10] + "T00:00:00+01:00",
                    "Aanvangstijd": local, "Eindtijd": (start + timedelta(hours=3)).isoformat(),
                    "Locatie": "Thorbeckezaal", "Besloten": False, "Status": "Gepland",
                    "Vergaderjaar": "2023-2024", "Kamer": "Tweede Kamer", "Noot": None,
                    "VRSNummer": None, "SidVoortouw": None,
                    "Voortouwnaam": "vaste commissie voor Infrastructuur en Waterstaat",
                    "Voortouwafkorting": "IenW", "Voortouwkortenaam": "Infrastructuur en Waterstaat",
                    "VoortgezetVanuit": None, "VervangenVanuit": None, "Aanvraagdatum": None}
        defaults.update(fields)
        return self.put("Activiteit", **defaults)

    def delete(self, entity: str, entity_id: str) -> None:
        """Mark an entity deleted (it stays in the set with Verwijderd: true)."""
        self.put(entity, Id=entity_id, Verwijderd=True)

    def fail_next(self, kind: str, times: int = 1) -> None:
        """The next `times` requests fail in this way."""
        with self._lock:
            self._failures.extend([kind] * times)

    # --- server -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{PREFIX}"

    @property
    def feed_url(self) -> str:
        """The SyncFeed's URL, to give `FeedClient`."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{FEED_PATH}"

    def start(self) -> KamerDouble:
        double = self

        class Handler(_Handler):
            owner = double

        self._server = DoubleHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="kamer-double",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """Status and body for one GET."""
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
            late = self.delay_after is not None and len(self.requests) > self.delay_after
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if self.next_page_delay and ("$skip" in query or late):
            time.sleep(self.next_page_delay)
        if failure in ("500", "503"):
            return int(failure), b'{"error":{"code":"","message":"An error has occurred."}}'
        if failure == "timeout":
            time.sleep(self.hang_seconds)
        if failure == "garbage":
            return 200, b"<html><body>Onderhoud</body></html>"
        if failure == "shape":
            return 200, b'{"error": "nope"}'
        if failure == "entities":
            return 200, ENTITY_BOMB
        if path == FEED_PATH:
            return self._cut(failure, *self.feed(query))
        match = ENTITY_RE.match(path[len(PREFIX):]) if path.startswith(PREFIX) else None
        if match is None:
            return 404, b'{"error":{"code":"","message":"No HTTP resource was found."}}'
        entity, single = match.groups()
        with self._lock:
            rows = list(self.sets[entity].values())
        if single:
            found = next((r for r in rows if r["Id"] == single.lower()), None)
            if found is None:
                return 404, b'{"error":{"code":"","message":"Not found"}}'
            body = {"@odata.context": f"{PREFIX}$metadata#{entity}/$entity", **found}
            return 200, json.dumps(body).encode()
        condition = query.get("$filter", [""])[0]
        if (ge := GE_RE.match(condition)) is not None:
            # every stamp the double writes has the same fixed-width form, so text order is
            # time order (and the double stays cheap beside the client it serves)
            since = stamp(_instant(ge.group(1)))
            rows = [r for r in rows if r["ApiGewijzigdOp"] >= since]
        elif numbers := NUMBER_RE.findall(condition):
            rows = [r for r in rows if r.get("Nummer") in numbers]
        elif condition:
            return 400, b'{"error":{"code":"","message":"The query specified in the URI is not valid."}}'
        if query.get("$orderby", [""])[0].startswith("ApiGewijzigdOp"):
            rows.sort(key=lambda r: (r["ApiGewijzigdOp"], r["Id"]))
        skip = int(query.get("$skip", ["0"])[0])
        page = rows[skip:skip + PAGE]
        body = {"@odata.context": f"{PREFIX}$metadata#{entity}", "value": page}
        if skip + PAGE < len(rows):
            rest = {k: v[0] for k, v in query.items() if k != "$skip"}
            rest["$skip"] = str(skip + PAGE)
            body["@odata.nextLink"] = f"{self.url}{entity}?{urlencode(rest)}"
        return self._cut(failure, 200, json.dumps(body).encode())

    @staticmethod
    def _cut(failure: str | None, status: int, data: bytes) -> tuple[int, bytes]:
        return (status, data[: len(data) // 2]) if failure == "partial" else (status, data)

    # --- the SyncFeed --------------------------------------------------------------------

    def feed(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """A page of the SyncFeed: the entities of `category` changed after `skiptoken`."""
        category = query.get("category", [""])[0]
        token = query.get("skiptoken", ["0"])[0]
        if category not in self.sets or not token.isdigit():
            return 400, b"<error>Ongeldig verzoek</error>"
        with self._lock:
            rows: list[tuple[int, dict[str, Any]]] = []
            positions, log = self.positions[category], self.log[category]
            for position, entity_id in log[bisect.bisect_right(log, int(token), key=_first):]:
                if positions[entity_id] == position:  # its latest change, not a superseded one
                    rows.append((position, self.sets[category][entity_id]))
                    if len(rows) == PAGE:
                        break
        here = f"{self.feed_url}?category={category}" + (f"&skiptoken={token}" if token != "0" else "")
        links = f'<link rel="self" href={quoteattr(here)} />'
        if rows:
            links += f'<link rel="next" href={quoteattr(self._next(category, rows[-1][0]))} />'
        entries = "".join(self._entry(category, position, raw) for position, raw in rows)
        return 200, (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<title>Gegevensmagazijn SyncFeed (category: {category})</title>{links}"
            f"<updated>{stamp(self._clock)}</updated>"
            "<author><name>Tweede Kamer der Staten-Generaal</name></author>"
            f"<id>{escape(here)}</id>{entries}</feed>").encode()

    def _next(self, category: str, position: int) -> str:
        return f"{self.feed_url}?skiptoken={position}&category={category}"

    def _entry(self, category: str, position: int, raw: dict[str, Any]) -> str:
        tag = f"tk:{category.lower()}"
        head = (f"<{tag} id={quoteattr(str(raw['Id']))} "
                f"tk:bijgewerkt={quoteattr(str(raw['GewijzigdOp']))} "
                f'tk:verwijderd="{"true" if raw.get("Verwijderd") else "false"}"')
        body = "" if raw.get("Verwijderd") else "".join(
            _field(name, value) for name, value in raw.items()
            if name not in ("Id", "Verwijderd", "GewijzigdOp", "ApiGewijzigdOp"))
        entity = f"{head}>{body}</{tag}>" if body else f"{head} />"
        return (f"<entry><title>{escape(str(raw['Id']))}</title>"
                f"<id>{escape(self.feed_url.rsplit('/', 1)[0])}/Entiteiten/"
                f"{escape(str(raw['Id']))}</id>"
                "<author><name>Tweede Kamer der Staten-Generaal</name></author>"
                f"<updated>{raw['ApiGewijzigdOp']}</updated>"
                f'<category term="{category.lower()}" />'
                f"<link rel=\"next\" href={quoteattr(self._next(category, position))} />"
                f'<content type="application/xml">{entity}</content></entry>')


def _first(pair: tuple[int, str]) -> int:
    return pair[0]


def _field(name: str, value: Any) -> str:
    """One field of an entity as the SyncFeed writes it."""
    if name in REFS:
        return f"<tk:{REFS[name]} ref={quoteattr(str(value))} />" if value else ""
    tag = "tk:" + name[:1].lower() + name[1:]
    if value is None:
        return f'<{tag} xsi:nil="true" />'
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif name in LOCAL_TIMES:
        text = _local_time(str(value))
    else:
        text = str(value)
    return f"<{tag}>{escape(text)}</{tag}>"


def _local_time(text: str) -> str:
    """The feed writes the wall-clock time in The Hague, without offset ("2023-11-20T10:00:00")."""
    return text[:19]


def _instant(text: str) -> datetime:
    head = text.replace("Z", "")
    if "." in head:
        base, fraction = head.split(".")
        head = f"{base}.{fraction[:6]}"
    return datetime.fromisoformat(head).replace(tzinfo=UTC)


class _Handler(BaseHTTPRequestHandler):
    owner: KamerDouble
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write (no Nagle/delayed-ACK stall)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.owner.requests.append(self.path)
        status, body = self.owner.answer(parts.path, parse_qs(parts.query))
        kind = ("application/atom+xml; charset=utf-8" if parts.path == FEED_PATH
                else "application/json; odata.metadata=minimal")
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_POST(self) -> None:
        """`POST /_bench/changes?n=&dossiers=&offset=`: generate changes (bench/measures/kamer)."""
        parts = urlsplit(self.path)
        query = {k: int(v[0]) for k, v in parse_qs(parts.query).items()}
        if parts.path == "/_bench/changes":
            bench_changes(self.owner, query.get("n", 0), query.get("dossiers", 1),
                          query.get("offset", 0))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


def bench_changes(double: KamerDouble, n: int, dossiers: int, offset: int = 0) -> None:
    """`n` changed activities; one in ten names a watch word `woord<d>x<w>` of dossier d. Times
    in The Hague's zone, as the service writes them, so that OData (with offset) and the
    SyncFeed (local, without) give the same instants."""
    start = datetime(2023, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    for i in range(n):
        subject = (f"Commissiedebat over woord{(i // 10) % dossiers}x{i % 5} en meer"
                   if i % 10 == 0 else f"Procedurevergadering {i} over de begroting")
        double.activity(f"2023A{offset + i:05d}", subject, start + timedelta(minutes=i % 600))


if __name__ == "__main__":  # a double in its own process (the bench): prints its URL, serves
    import sys  # until stdin closes

    served = KamerDouble().start()
    print(served.url, flush=True)
    sys.stdin.read()
    served.stop()
