"""The wire: the Tweede Kamer's SyncFeed (Atom 1.0, XML) in, the same plain records out.

`GET <LOBBY_TK_FEED_URL>?category=Activiteit&skiptoken=N` answers an Atom `feed` of the changes
after skiptoken N, oldest first (250 a page). Each `entry` holds the entity's Id as `title`, the
moment the API recorded the change as `updated`, the entity type as `category term=`, a
`link rel="next"` whose skiptoken resumes right after this entry, and the entity itself inside
`content`: `<activiteit id="…" tk:verwijderd="…" tk:bijgewerkt="…">` with its fields as child
elements in namespace http://www.tweedekamer.nl/xsd/tkData/v1-0 (`xsi:nil="true"` for none,
`<activiteit ref="…"/>` for a relation); a deleted entity is the bare element with
`verwijderd="true"`. The feed's own `link rel="next"` says another page follows. (Layout as
documented at opendata.tweedekamer.nl, "SyncFeed API", and the XSDs of
TweedeKamerDerStaten-Generaal/OpenDataPortaal.)

The XML is read as it streams in (expat, no tree): a DOCTYPE or an entity declaration is refused,
a field keeps at most FIELD_LIMIT characters while reading, a body larger than MAX_BODY fails.
A page is yielded only once it was read completely, so a page cut off changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.parsers import expat

import httpx

from tracker.kamer.client import (
    MAX_PAGES,
    READERS,
    TEXT_LIMIT,
    KamerClient,
    Page,
    Record,
    parse_instant,
)
from tracker.kamer.http import HttpSource, SourceError, bounded_chunks, short

log = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FIELD_LIMIT = 4 * TEXT_LIMIT  # characters kept of a field while reading; the reader keeps fewer
MAX_TOKEN = 2 ** 62
DELETED = f"{TK} verwijderd"
NIL = f"{XSI} nil"
# a relation's OData name where it is not the field's own name in PascalCase
REF_NAMES = {"activiteit": "Activiteit_Id"}


@dataclass
class FeedPage(Page):
    """A page of the SyncFeed: its records, and the skiptoken that resumes after it."""

    entries: int = 0  # entries on the page, readable or not
    resume: int | None = None  # the skiptoken after the page's last entry
    more: bool = False  # the feed's own `next` link: another page follows
    marks: list[tuple[int, datetime]] = field(default_factory=list)  # (skiptoken, updated)


@dataclass
class _Entry:
    title: str = ""
    updated: str = ""
    term: str = ""
    next: int | None = None
    kind: str = ""
    id: str = ""
    deleted: str | None = None
    fields: dict[str, str | None] = field(default_factory=dict)


def skiptoken(href: str | None) -> int | None:
    """The skiptoken of a `next` link; a link without one, or with nonsense, fails the page."""
    if href is None:
        return None
    values = parse_qs(urlsplit(href).query).get("skiptoken", [])
    if len(values) != 1 or not values[0].isdigit() or int(values[0]) >= MAX_TOKEN:
        raise SourceError(f"onleesbare skiptoken in {href[-80:]!r}")
    return int(values[0])


class _FeedParser:
    """A streaming reader of one feed page (expat with handlers, no tree)."""

    def __init__(self) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.UnparsedEntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        parser.buffer_text = True
        self.parser: Any = parser  # None once closed
        self.depth = 0
        self.in_content = False
        self.entries: list[_Entry] = []
        self.feed_next: int | None = None
        self.entry: _Entry | None = None
        self._text: list[str] | None = None
        self._text_len = 0
        self._target = ""
        self._text_depth = 0
        self._names: dict[str, tuple[str, str]] = {}
        self._pascal: dict[str, str] = {}  # a field's local name → its OData name

    def _refuse(self, *args: Any) -> None:
        raise SourceError("feed met DOCTYPE of entiteiten geweigerd")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.parser is None:
            raise SourceError("feed al gelezen")
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise SourceError(f"geen geldige XML ({expat.errors.messages.get(exc.code, exc.code)}, "
                              f"regel {exc.lineno})") from exc
        finally:
            if final:
                self.close()
        if final and self.depth != 0:
            raise SourceError("feed niet volledig")

    def close(self) -> None:
        """Let go of expat. Its handlers are this reader's methods, so the two hold each other:
        kept, every page read (its entries too) would wait for the cycle collector, and the
        memory of a pass would grow with the pages it reads."""
        self.parser = None

    def _capture(self, target: str) -> None:
        self._text, self._text_len, self._target = [], 0, target
        self._text_depth = self.depth

    def _chars(self, data: str) -> None:
        text = self._text
        if text is not None and self._text_len < FIELD_LIMIT:
            if self._text_len + len(data) > FIELD_LIMIT:
                data = data[:FIELD_LIMIT - self._text_len]
            text.append(data)
            self._text_len += len(data)

    def _split(self, name: str) -> tuple[str, str]:
        """(namespace, local name) of an element's name; a page names few, so each is split
        once (a dict of this page's names, not a module-wide one a hostile feed could grow)."""
        uri, _, local = name.rpartition(" ")
        self._names[name] = (uri, local)
        return uri, local

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        depth = self.depth = self.depth + 1
        uri, local = self._names.get(name) or self._split(name)
        entry = self.entry
        if depth == 5:  # an entity's field: by far the most elements, so tested first
            if entry is not None and entry.kind and uri == TK:
                if not attrs:
                    self._capture(self._pascal.get(local) or self._pascalise(local))
                elif attrs.get("ref") is not None:
                    entry.fields[REF_NAMES.get(local) or self._pascal.get(local)
                                 or self._pascalise(local)] = attrs["ref"][:100]
                elif attrs.get(NIL) == "true":
                    entry.fields[self._pascal.get(local) or self._pascalise(local)] = None
                else:
                    self._capture(self._pascal.get(local) or self._pascalise(local))
        elif depth == 1:
            if (uri, local) != (ATOM, "feed"):
                raise SourceError(f"geen Atom-feed maar <{local[:40]}>")
        elif depth == 2 and uri == ATOM:
            if local == "entry":
                self.entry = _Entry()
            elif local == "link" and attrs.get("rel") == "next":
                self.feed_next = skiptoken(attrs.get("href"))
        elif depth == 3 and entry is not None and uri == ATOM:
            if local in ("title", "updated"):
                self._capture(local)
            elif local == "category":
                entry.term = attrs.get("term", "")[:40]
            elif local == "link" and attrs.get("rel") == "next":
                entry.next = skiptoken(attrs.get("href"))
            self.in_content = local == "content"
        elif depth == 4 and entry is not None and self.in_content and uri == TK:
            entry.kind, entry.id = local[:40], attrs.get("id", "")[:100]
            entry.deleted = attrs.get(DELETED)

    def _pascalise(self, local: str) -> str:
        self._pascal[local] = pascal = local[:1].upper() + local[1:]
        return pascal

    def _end(self, name: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        entry = self.entry
        if depth == self._text_depth and self._text is not None and entry is not None:
            text = "".join(self._text)
            if depth == 5:
                entry.fields[self._target] = text
            elif self._target == "title":
                entry.title = text.strip()[:100]
            else:
                entry.updated = text.strip()[:40]
            self._text = None
            return  # a value ends at depth 5, title and updated at 3 (not content)
        if depth == 3:
            self.in_content = False
        elif depth == 2 and entry is not None:
            self.entries.append(entry)
            self.entry = None


def _record(entry: _Entry, category: str) -> Record:
    """An entry as the same record the OData client makes; ValueError when unreadable."""
    kind = entry.term or entry.kind
    if kind.lower() != category.lower() or entry.kind.lower() != category.lower():
        raise ValueError(f"entity of another type: {kind!r}")
    if entry.deleted not in (None, "true", "false"):
        raise ValueError("verwijderd is no boolean")
    raw: dict[str, Any] = dict(entry.fields)
    raw.update(Id=entry.id or entry.title, Verwijderd=entry.deleted == "true",
               ApiGewijzigdOp=entry.updated or None)
    return READERS[category](raw)


def read_page(parser: _FeedParser, category: str) -> FeedPage:
    """The page a finished parser read: readable records, skipped ones, and where to resume."""
    page = FeedPage(entries=len(parser.entries), more=parser.feed_next is not None)
    for entry in parser.entries:
        record: Record | None = None
        try:
            record = _record(entry, category)
        except (ValueError, TypeError, OverflowError) as exc:
            page.skipped += 1
            log.warning("skipped an unreadable SyncFeed entry: %s", str(exc)[:200])
        else:
            page.records.append(record)
        if entry.next is not None:
            page.resume = entry.next
            try:  # the record read `updated` already, as its ApiGewijzigdOp
                updated = (record.api_gewijzigd_op if record is not None
                           else parse_instant(entry.updated))
            except ValueError:
                updated = None
            if updated is not None:
                page.marks.append((entry.next, updated))
    if page.resume is None:
        page.resume = parser.feed_next
    return page


class FeedClient(HttpSource):
    """Reads the SyncFeed, a category at a time."""

    accept = "application/atom+xml, application/xml"

    def __init__(self, feed_url: str, **options: Any) -> None:
        super().__init__(**options)
        self.feed_url = feed_url

    def page(self, category: str, token: int) -> FeedPage:
        """The page of `category` after skiptoken `token`, read completely."""
        params = {"category": category} | ({"skiptoken": str(token)} if token else {})

        def read(response: httpx.Response) -> _FeedParser:
            if response.status_code != 200:
                raise SourceError(f"HTTP {response.status_code} van {short(self.feed_url)}")
            parser = _FeedParser()
            try:  # also when the body breaks off mid-way (the parser closes itself otherwise)
                for chunk in bounded_chunks(response):
                    parser.feed(chunk)
                parser.feed(b"", final=True)
            finally:
                parser.close()
            return parser

        return read_page(self.fetch(self.feed_url, params, read), category)

    def pages(self, category: str, *, skiptoken: int) -> Iterator[FeedPage]:
        """The changes of one category after `skiptoken`, a page at a time, until the feed
        has no more; a page that does not say where to resume fails (nothing of it applied)."""
        token = skiptoken
        for _ in range(MAX_PAGES):
            page = self.page(category, token)
            if not page.entries:
                return
            if page.resume is None or page.resume <= token:
                raise SourceError(f"pagina zonder nieuwe skiptoken (na {token})")
            yield page
            if not page.more:
                return
            token = page.resume
        raise SourceError(f"meer dan {MAX_PAGES} pagina's; de volgende keer verder")

    def seek(self, category: str, *, since: datetime) -> int:
        """A skiptoken after which the feed holds every change since `since` and little more,
        so a first pass need not read the archive from its start. Skiptokens count changes in
        the order they were made: galloping, then halving, finds it in about 2·log2(N) pages,
        and a page that straddles `since` gives it exactly."""
        lo, hi, token = 0, None, 0
        for _ in range(128):
            page = self.page(category, token)
            marks = page.marks
            if not page.entries or (marks and marks[0][1] >= since):
                hi = token
            else:
                newer = next((i for i, (_, at) in enumerate(marks) if at >= since), None)
                if newer:  # the page straddles `since`: resume after its last older entry
                    return marks[newer - 1][0]
                lo = max(lo, page.resume or token, token)
            if hi is None:
                token = max(1, lo * 2)
            elif hi - lo <= 1:
                return lo
            else:
                token = (lo + hi) // 2
        return lo


@contextmanager
def open_sources(settings: Any) -> Iterator[tuple[KamerClient, FeedClient | None]]:
    """The OData client (lookups by number, and the changes when there is no feed) and, when
    LOBBY_TK_FEED_URL is set (it is by default), the SyncFeed client that reads the changes."""
    with KamerClient(settings.lobby_tk_api_url) as client:
        if not settings.lobby_tk_feed_url.strip():
            yield client, None
            return
        with FeedClient(settings.lobby_tk_feed_url.strip()) as feed:
            yield client, feed
