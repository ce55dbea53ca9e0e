"""The HTTP under both Tweede Kamer clients (OData and SyncFeed): httpx with time-outs, retries
with back-off, bodies read as they stream in and bounded, and the one error a failing source
raises. Knows nothing of the source's formats."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Self, TypeVar

import httpx

T = TypeVar("T")
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRIES = 3  # attempts per request
MAX_BODY = 20_000_000  # bytes; a page of 250 entities is far smaller


class SourceError(Exception):
    """The Tweede Kamer could not be read (time-out, 5xx, malformed page); nothing was applied."""



class HttpSource:
    """httpx with time-outs and retries, shared by the OData and the SyncFeed clients;
    `transport` lets tests put a local double behind it."""

    accept = "*/*"

    def __init__(self, *, timeout: httpx.Timeout = TIMEOUT, retries: int = RETRIES,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.retries = max(1, retries)
        self.sleep = sleep
        self.http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False,
                                 headers={"Accept": self.accept,
                                          "User-Agent": "lobbytracker (+regio zwolle)"})

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, params: dict[str, str] | None,
              read: Callable[[httpx.Response], T]) -> T:
        """`read` the streamed answer to a GET; time-outs, connection errors (also mid-body),
        429 and 5xx are retried with back-off. `read` raises SourceError for a malformed body."""
        last = ""
        for attempt in range(self.retries):
            if attempt:
                self.sleep(min(8.0, 0.5 * 2 ** (attempt - 1)))
            try:
                with self.http.stream("GET", url, params=params) as response:
                    if response.status_code >= 500 or response.status_code == 429:
                        last = f"HTTP {response.status_code}"
                        continue
                    return read(response)
            except httpx.HTTPError as exc:  # time-outs, refused connections, broken bodies
                last = f"{type(exc).__name__}"
        raise SourceError(f"{last} na {self.retries} pogingen ({short(url)})")


def bounded_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body a chunk at a time; more than MAX_BODY bytes is a SourceError."""
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            raise SourceError(f"antwoord te groot (meer dan {MAX_BODY} bytes)")
        yield chunk


def short(url: str) -> str:
    """The tail of a URL, without its query, for an error message."""
    return url.split("?")[0][-80:]
