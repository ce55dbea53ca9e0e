"""A local HTTP double of the Slack Web API for tests: real HTTP on 127.0.0.1, Slack's shapes.

Point a real client at it with ``WebClient(token=double.token, base_url=double.url)``.
It records every request (``calls``), every posted message (``messages``), every
``response_url`` post (``responses``) and every payload it refused (``rejections``);
it enforces Slack's Block Kit limits, per-channel posting rate limits (HTTP 429 with
``Retry-After``) and can be told to fail (``fail_next``, ``set_down``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

Surface = Literal["message", "modal", "home"]

TEAM_ID = "T0LOBBY"
TEAM_DOMAIN = "lobby-test"
APP_ID = "A0LOBBY"
BOT_USER_ID = "U0LOBBYBOT"
BOT_ID = "B0LOBBYBOT"

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks and the method pages).
MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_MESSAGE_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_ID = 255
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_SELECT_OPTIONS = 100
MAX_CHOICE_OPTIONS = 10  # checkboxes, radio buttons
MAX_OVERFLOW_OPTIONS = 5
MAX_PLACEHOLDER = 150
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_RESPONSE_URL_USES = 5

# Form-encoded requests carry these as JSON strings; decode them so tests see structures.
_JSON_PARAMS = frozenset({"blocks", "attachments", "metadata", "view", "files", "unfurls",
                          "document_content", "changes"})

# Canvases (docs.slack.dev/reference/methods/canvases.create, canvases.edit): markdown content
# up to 1 MiB; the scope they need; what a free workspace may not do.
MAX_CANVAS_MARKDOWN = 1_048_576
CANVAS_SCOPE = "canvases:write"
DEFAULT_SCOPES = frozenset({"chat:write", "commands", "files:write", "im:write", "users:read",
                            "channels:history", "groups:history", CANVAS_SCOPE})
CANVAS_OPERATIONS = frozenset({"insert_after", "insert_before", "insert_at_start",
                               "insert_at_end", "replace", "delete", "rename"})

_SELECTS_WITH_OPTIONS = frozenset({"static_select", "multi_static_select"})
_OTHER_ELEMENTS = frozenset(
    {
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "file_input",
        "workflow_button",
        "image",
    }
)
_FREE_BLOCKS = frozenset(
    {"divider", "rich_text", "file", "video", "call", "table", "context_actions"}
)


# --------------------------------------------------------------------------- validation


def _err(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


def _as_dict(obj: Any) -> Any:
    to_dict = getattr(obj, "to_dict", None)
    return to_dict() if callable(to_dict) else obj


def _check_len(value: Any, limit: int, pointer: str, errors: list[str]) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.append(_err(f"must be less than {limit + 1} characters", pointer))


def _check_text(
    obj: Any,
    pointer: str,
    errors: list[str],
    *,
    limit: int,
    plain_only: bool = False,
    required: bool = True,
) -> None:
    """Check a composition text object: its type, its presence and its length."""
    if obj is None:
        if required:
            errors.append(_err("missing required field", pointer))
        return
    if not isinstance(obj, dict):
        errors.append(_err("must be a text object", pointer))
        return
    kind = obj.get("type")
    if plain_only and kind != "plain_text":
        errors.append(_err("must be a valid enum value: plain_text (mrkdwn not allowed)",
                           f"{pointer}/type"))
    elif kind not in ("plain_text", "mrkdwn"):
        errors.append(_err("must be a valid enum value: plain_text or mrkdwn", f"{pointer}/type"))
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        errors.append(_err("must be more than 0 characters", f"{pointer}/text"))
    else:
        _check_len(text, limit, f"{pointer}/text", errors)


def _check_options(
    options: Any, pointer: str, errors: list[str], *, limit: int, plain_only: bool
) -> None:
    if not isinstance(options, list):
        errors.append(_err("must be an array", pointer))
        return
    if len(options) > limit:
        errors.append(_err(f"no more than {limit} items allowed", pointer))
    for i, option in enumerate(options):
        ptr = f"{pointer}/{i}"
        if not isinstance(option, dict):
            errors.append(_err("must be an option object", ptr))
            continue
        _check_text(option.get("text"), f"{ptr}/text", errors, limit=MAX_OPTION_TEXT,
                    plain_only=plain_only)
        _check_len(option.get("value"), MAX_OPTION_VALUE, f"{ptr}/value", errors)
        if option.get("description") is not None:
            _check_text(option["description"], f"{ptr}/description", errors,
                        limit=MAX_OPTION_TEXT, plain_only=plain_only)


def _check_element(element: Any, pointer: str, errors: list[str]) -> None:
    """Check one interactive element (button, select, picker, input…)."""
    if not isinstance(element, dict):
        errors.append(_err("must be an element object", pointer))
        return
    kind = element.get("type")
    _check_len(element.get("action_id"), MAX_ID, f"{pointer}/action_id", errors)
    if element.get("placeholder") is not None:
        _check_text(element["placeholder"], f"{pointer}/placeholder", errors,
                    limit=MAX_PLACEHOLDER, plain_only=True)
    if kind == "button":
        _check_text(element.get("text"), f"{pointer}/text", errors, limit=MAX_BUTTON_TEXT,
                    plain_only=True)
        _check_len(element.get("value"), 2000, f"{pointer}/value", errors)
        _check_len(element.get("url"), 3000, f"{pointer}/url", errors)
        if element.get("style") not in (None, "primary", "danger"):
            errors.append(_err("must be a valid enum value: primary or danger",
                               f"{pointer}/style"))
    elif kind in _SELECTS_WITH_OPTIONS:
        if "option_groups" in element:
            groups = element["option_groups"]
            if not isinstance(groups, list) or len(groups) > MAX_SELECT_OPTIONS:
                errors.append(_err(f"no more than {MAX_SELECT_OPTIONS} items allowed",
                                   f"{pointer}/option_groups"))
                groups = groups if isinstance(groups, list) else []
            for g, group in enumerate(groups):
                gptr = f"{pointer}/option_groups/{g}"
                group = group if isinstance(group, dict) else {}
                _check_text(group.get("label"), f"{gptr}/label", errors, limit=MAX_OPTION_TEXT,
                            plain_only=True)
                _check_options(group.get("options"), f"{gptr}/options", errors,
                               limit=MAX_SELECT_OPTIONS, plain_only=True)
        else:
            _check_options(element.get("options"), f"{pointer}/options", errors,
                           limit=MAX_SELECT_OPTIONS, plain_only=True)
    elif kind == "overflow":
        _check_options(element.get("options"), f"{pointer}/options", errors,
                       limit=MAX_OVERFLOW_OPTIONS, plain_only=True)
    elif kind in ("checkboxes", "radio_buttons"):
        _check_options(element.get("options"), f"{pointer}/options", errors,
                       limit=MAX_CHOICE_OPTIONS, plain_only=False)
    elif kind == "image":
        _check_len(element.get("alt_text"), 2000, f"{pointer}/alt_text", errors)
        if not element.get("alt_text"):
            errors.append(_err("missing required field: alt_text", f"{pointer}/alt_text"))
    elif kind not in _OTHER_ELEMENTS:
        errors.append(_err(f"unsupported type: {kind}", f"{pointer}/type"))


def _check_block(block: dict[str, Any], ptr: str, errors: list[str]) -> None:
    kind = block.get("type")
    if kind == "section":
        if block.get("text") is None and block.get("fields") is None:
            errors.append(_err("must provide either text or fields", ptr))
        if block.get("text") is not None:
            _check_text(block["text"], f"{ptr}/text", errors, limit=MAX_SECTION_TEXT)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list):
                errors.append(_err("must be an array", f"{ptr}/fields"))
                fields = []
            if len(fields) > MAX_SECTION_FIELDS:
                errors.append(_err(f"no more than {MAX_SECTION_FIELDS} items allowed",
                                   f"{ptr}/fields"))
            for j, item in enumerate(fields):
                _check_text(item, f"{ptr}/fields/{j}", errors, limit=MAX_FIELD_TEXT)
        if block.get("accessory") is not None:
            _check_element(block["accessory"], f"{ptr}/accessory", errors)
    elif kind == "header":
        _check_text(block.get("text"), f"{ptr}/text", errors, limit=MAX_HEADER_TEXT,
                    plain_only=True)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            errors.append(_err("must provide at least 1 item", f"{ptr}/elements"))
            elements = []
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            errors.append(_err(f"no more than {MAX_CONTEXT_ELEMENTS} items allowed",
                               f"{ptr}/elements"))
        for j, item in enumerate(elements):
            if isinstance(item, dict) and item.get("type") == "image":
                _check_element(item, f"{ptr}/elements/{j}", errors)
            else:
                _check_text(item, f"{ptr}/elements/{j}", errors, limit=MAX_SECTION_TEXT)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            errors.append(_err("must provide at least 1 item", f"{ptr}/elements"))
            elements = []
        if len(elements) > MAX_ACTIONS_ELEMENTS:
            errors.append(_err(f"no more than {MAX_ACTIONS_ELEMENTS} items allowed",
                               f"{ptr}/elements"))
        seen: set[str] = set()
        for j, element in enumerate(elements):
            _check_element(element, f"{ptr}/elements/{j}", errors)
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is not None:
                if action_id in seen:
                    errors.append(_err(f"duplicate action_id: {action_id}",
                                       f"{ptr}/elements/{j}/action_id"))
                seen.add(action_id)
    elif kind == "image":
        if not block.get("image_url") and not block.get("slack_file"):
            errors.append(_err("missing required field: image_url", f"{ptr}/image_url"))
        _check_len(block.get("image_url"), 3000, f"{ptr}/image_url", errors)
        if not block.get("alt_text"):
            errors.append(_err("missing required field: alt_text", f"{ptr}/alt_text"))
        _check_len(block.get("alt_text"), 2000, f"{ptr}/alt_text", errors)
        if block.get("title") is not None:
            _check_text(block["title"], f"{ptr}/title", errors, limit=2000, plain_only=True)
    elif kind == "input":
        _check_text(block.get("label"), f"{ptr}/label", errors, limit=2000, plain_only=True)
        if block.get("hint") is not None:
            _check_text(block["hint"], f"{ptr}/hint", errors, limit=2000, plain_only=True)
        if block.get("element") is None:
            errors.append(_err("missing required field: element", f"{ptr}/element"))
        else:
            _check_element(block["element"], f"{ptr}/element", errors)
    elif kind == "markdown":
        _check_len(block.get("text"), 12_000, f"{ptr}/text", errors)
    elif kind not in _FREE_BLOCKS:
        errors.append(_err(f"unsupported type: {kind}", f"{ptr}/type"))


def validate_blocks(blocks: Any, surface: Surface = "message", *, pointer: str = "/blocks"
                    ) -> list[str]:
    """Return Slack-style error strings for every Block Kit limit ``blocks`` breaks (empty = ok).

    ``blocks`` may be dicts or ``slack_sdk.models.blocks`` objects; ``surface`` is
    "message", "modal" or "home" (they differ in how many blocks they hold).
    """
    errors: list[str] = []
    if blocks is None:
        return errors
    if not isinstance(blocks, list | tuple):
        return [_err("must be an array", pointer)]
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        errors.append(_err(f"no more than {limit} items allowed", pointer))
    seen_ids: set[str] = set()
    for i, raw in enumerate(blocks):
        ptr = f"{pointer}/{i}"
        try:
            block = _as_dict(raw)
        except Exception as exc:  # slack_sdk objects check some limits in to_dict()
            errors.append(_err(str(exc), ptr))
            continue
        if not isinstance(block, dict) or "type" not in block:
            errors.append(_err("missing required field: type", ptr))
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            _check_len(block_id, MAX_ID, f"{ptr}/block_id", errors)
            if block_id in seen_ids:
                errors.append(_err(f"duplicate block_id: {block_id}", f"{ptr}/block_id"))
            seen_ids.add(block_id)
        _check_block(block, ptr, errors)
    return errors


def validate_view(view: Any, *, pointer: str = "/view") -> list[str]:
    """Return Slack-style error strings for a modal or Home tab view (empty = ok)."""
    view = _as_dict(view)
    if not isinstance(view, dict):
        return [_err("must be a view object", pointer)]
    errors: list[str] = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        errors.append(_err("must be a valid enum value: modal or home", f"{pointer}/type"))
        return errors
    if kind == "modal":
        _check_text(view.get("title"), f"{pointer}/title", errors, limit=MAX_VIEW_TITLE,
                    plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                _check_text(view[key], f"{pointer}/{key}", errors, limit=MAX_VIEW_TITLE,
                            plain_only=True)
        blocks = view.get("blocks") or []
        has_input = any(isinstance(_as_dict(b), dict) and _as_dict(b).get("type") == "input"
                        for b in blocks)
        if has_input and view.get("submit") is None:
            errors.append(_err("submit is required when an input block is present",
                               f"{pointer}/submit"))
    _check_len(view.get("private_metadata"), MAX_PRIVATE_METADATA,
               f"{pointer}/private_metadata", errors)
    _check_len(view.get("callback_id"), MAX_ID, f"{pointer}/callback_id", errors)
    _check_len(view.get("external_id"), MAX_ID, f"{pointer}/external_id", errors)
    if not isinstance(view.get("blocks"), list):
        errors.append(_err("missing required field: blocks", f"{pointer}/blocks"))
    else:
        errors.extend(validate_blocks(view["blocks"], kind, pointer=f"{pointer}/blocks"))
    return errors


class DoubleHTTPServer(ThreadingHTTPServer):
    """The doubles' HTTP server: daemon threads, and an error in a request's handling (a
    client that went away while it was answered, a bug of the double) goes to the log, not
    to stderr, where it would land in whichever test happens to capture stderr then. The
    client of such a request sees the failure itself."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        logging.getLogger("tests.double").warning(
            "double: error while answering %s", client_address, exc_info=True)


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One request the double received, in arrival order."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float
    status: int = 0  # HTTP status answered, filled in once handled
    response: Any = None  # the decoded body answered (dict for Web API methods)

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.response, dict) and bool(
            self.response.get("ok"))


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    remaining: int


@dataclass
class _Reply:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


class _ApiError(Exception):
    def __init__(self, error: str, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.extra = extra


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _ts_key(ts: Any) -> float:
    try:
        return float(ts)
    except (TypeError, ValueError):
        return 0.0


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            params[name] = payload
        else:
            params[name] = payload.decode("utf-8")
    return params


# --------------------------------------------------------------------------- the double


class SlackDouble:
    """A thread-safe local stand-in for the Slack Web API, served over real HTTP."""

    TS_START = 1_700_000_000  # first message ts is "1700000000.000100"

    def __init__(self, *, rate_limit_per_channel: float | None = None,
                 token: str = "xoxb-test", app_token: str = "xapp-test") -> None:
        self.rate_limit_per_channel = rate_limit_per_channel
        self.token = token
        self.app_token = app_token  # apps.connections.open takes the app-level token
        self.socket_url: str | None = None  # where apps.connections.open sends the app
        self.ts_start = self.TS_START
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.root = ""
        self.url = ""
        self.users: dict[str, dict[str, Any]] = {}
        self._seed_users()
        self.reset()

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> SlackDouble:
        """Serve on 127.0.0.1 on a free port, in a daemon thread."""
        if self._server is not None:
            return self
        double = self

        class Handler(_Handler):
            pass

        Handler.double = double
        server = DoubleHTTPServer(("127.0.0.1", 0), Handler)
        host, port = server.server_address[:2]
        self.root = f"http://{host}:{port}"
        self.url = f"{self.root}/api/"
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="slack-double",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackDouble:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget everything recorded and queued (users and token stay)."""
        with self._lock:
            self.calls: list[Call] = []
            self.messages: list[dict[str, Any]] = []
            self.ephemerals: list[dict[str, Any]] = []
            self.responses: list[dict[str, Any]] = []
            self.rejections: list[dict[str, Any]] = []
            self.files: list[dict[str, Any]] = []
            self.views: dict[str, dict[str, Any]] = {}
            self.home_views: dict[str, dict[str, Any]] = {}
            self.bad_channels: dict[str, str] = {}
            self.channel_names: dict[str, str] = {}
            self.rate_limited: dict[str, int] = defaultdict(int)
            self._post_times: dict[str, list[float]] = defaultdict(list)
            self._history: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
            self._response_urls: dict[str, dict[str, Any]] = {}
            self._pending_uploads: dict[str, dict[str, Any]] = {}
            self.canvases: dict[str, dict[str, Any]] = {}
            self.scopes: set[str] = set(DEFAULT_SCOPES)  # the bot token's scopes
            self.free_plan = False  # free workspace: only channel-tabbed canvases
            self.canvases_disabled = False  # canvases switched off for the workspace
            self._down = False
            self._ts_counter = itertools.count(1)
            self._id_counter = itertools.count(1)
            self._changed.notify_all()

    # -- controls -----------------------------------------------------------

    def fail_next(self, method: str, *, error: str | None = None, status: int | None = None,
                  retry_after: int | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``retry_after`` (or ``status=429``): HTTP 429 with that ``Retry-After``;
        ``status=500/503``: that HTTP error; only ``error``: HTTP 200 ``ok: false``.
        ``method`` may be a Web API method, ``"upload_url"``, ``"response_url"`` or ``"*"``.
        """
        if retry_after is not None and status is None:
            status = 429
        if status is None and error is None:
            raise ValueError("fail_next needs error, status or retry_after")
        status = status or 200
        if status == 429:
            retry_after = max(1, int(retry_after or 1))
        default_error = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}
        error = error or default_error.get(status, "fatal_error")
        with self._lock:
            self._failures[method].append(_Failure(status, error, retry_after, times))

    def set_down(self, down: bool) -> None:
        """While down, every request is answered with HTTP 503."""
        with self._lock:
            self._down = down

    def response_url(self, name: str = "r1", *, channel: str | None = None,
                     message_ts: str | None = None) -> str:
        """A response_url on the double; tie it to a message so replace_original updates it."""
        if not self.root:
            raise RuntimeError("start() the double before asking for a response_url")
        with self._lock:
            self._response_urls[name] = {"channel": channel, "message_ts": message_ts,
                                         "uses": 0}
        return f"{self.root}/actions/{TEAM_ID}/{name}"

    def add_user(self, user_id: str, real_name: str, *, tz: str = "Europe/Amsterdam",
                 display_name: str | None = None, email: str | None = None,
                 is_bot: bool = False) -> dict[str, Any]:
        """Register a workspace member that users.info will describe."""
        offset = int(datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset().total_seconds())
        name = (display_name or real_name).lower().replace(" ", ".")
        user = {
            "id": user_id, "team_id": TEAM_ID, "name": name, "deleted": False,
            "real_name": real_name, "tz": tz, "tz_label": tz, "tz_offset": offset,
            "is_bot": is_bot, "is_admin": False, "is_app_user": False, "updated": 1_700_000_000,
            "profile": {
                "real_name": real_name, "real_name_normalized": real_name,
                "display_name": display_name or "", "display_name_normalized": display_name or "",
                "email": email or f"{name}@example.org", "team": TEAM_ID,
            },
        }
        with self._lock:
            self.users[user_id] = user
        return user

    def _seed_users(self) -> None:
        self.add_user("U0ANNEKE", "Anneke de Vries", display_name="Anneke")
        self.add_user("U0JORIS", "Joris Bakker", display_name="Joris")
        self.add_user(BOT_USER_ID, "Lobbytracker", display_name="lobbytracker", is_bot=True)

    # -- queries ------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call of ``method``, in order."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def post_times(self, channel: str) -> list[float]:
        """Monotonic instants of the accepted chat.postMessage calls to ``channel``."""
        with self._lock:
            return list(self._post_times.get(self._channel_id(channel, create=False), []))

    def rate_limit_hits(self, channel: str | None = None) -> int:
        """How many chat.postMessage calls were answered 429 by the rate limiter."""
        with self._lock:
            if channel is None:
                return sum(self.rate_limited.values())
            return self.rate_limited.get(self._channel_id(channel, create=False), 0)

    def history(self, channel: str) -> list[dict[str, Any]]:
        """The channel as it stands now (updates applied, deletions gone), oldest first."""
        with self._lock:
            return [dict(m) for m in self._history.get(self._channel_id(channel, create=False),
                                                       [])]

    def wait_for(self, predicate: Callable[[SlackDouble], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(double)`` holds (re-checked on every request) or time out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; return those calls."""
        if not self.wait_for(lambda d: len(d.calls_to(method)) >= count, timeout):
            raise TimeoutError(f"{method} called {len(self.calls_to(method))}x, wanted {count}")
        return self.calls_to(method)

    # -- request handling (called from handler threads) ----------------------

    def _next_ts(self) -> str:
        micros = next(self._ts_counter) * 100
        return f"{self.ts_start + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._id_counter):010d}"

    def _channel_id(self, channel: Any, *, create: bool = True) -> str:
        channel = str(channel or "")
        if channel.startswith("#") or (channel and not channel[:1].isupper()):
            name = channel.lstrip("#")
            if name not in self.channel_names and create:
                self.channel_names[name] = self._next_id("C")
            return self.channel_names.get(name, channel)
        if channel[:1] in ("U", "W"):  # posting to a user ID goes to the app's DM with them
            return "D" + channel[1:]
        return channel

    def _take_failure(self, method: str) -> _Failure | None:
        for key in (method, "*"):
            queue = self._failures.get(key)
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    queue.popleft()
                return failure
        return None

    def _failure_reply(self, failure: _Failure) -> _Reply:
        headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
        return _Reply(failure.status, {"ok": False, "error": failure.error}, headers)

    def _handle(self, path: str, call: Call) -> _Reply:
        with self._lock:
            try:
                reply = self._dispatch(path, call)
            except _RateLimited as exc:
                reply = _Reply(429, {"ok": False, "error": "ratelimited"},
                               {"Retry-After": str(exc.retry_after)})
            except _ApiError as exc:
                body = {"ok": False, "error": exc.error, **exc.extra}
                if exc.messages:
                    body["response_metadata"] = {"messages": exc.messages}
                reply = _Reply(200, body)
            call.status, call.response = reply.status, reply.body
            self._changed.notify_all()
            return reply

    def _dispatch(self, path: str, call: Call) -> _Reply:
        self.calls.append(call)
        if self._down:
            return _Reply(503, {"ok": False, "error": "service_unavailable"})
        failure = self._take_failure(call.method)
        if failure is not None:
            return self._failure_reply(failure)
        if path.startswith("/upload/"):
            return self._upload(path.rsplit("/", 1)[-1], call)
        if path.startswith("/actions/"):
            return self._respond(path.rsplit("/", 1)[-1], call)
        handler = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        if not path.startswith("/api/") or handler is None:
            return _Reply(404 if not path.startswith("/api/") else 200,
                          {"ok": False, "error": "unknown_method"})
        if call.method != "api.test":
            self._authenticate(call)
        return _Reply(200, {"ok": True, **handler(call.params, call)})

    def _authenticate(self, call: Call) -> None:
        auth = next((v for k, v in call.headers.items() if k.lower() == "authorization"), "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else call.params.get(
            "token")
        if not token:
            raise _ApiError("not_authed")
        if token != (self.app_token if call.method == "apps.connections.open" else self.token):
            raise _ApiError("invalid_auth")

    def _reject(self, method: str, error: str, messages: list[str], **context: Any) -> None:
        self.rejections.append({"method": method, "error": error, "messages": messages,
                                **context})
        raise _ApiError(error, messages)

    def _check_message(self, method: str, params: dict[str, Any], channel: str) -> None:
        text, blocks = params.get("text"), params.get("blocks")
        attachments = params.get("attachments")
        if not text and not blocks and not attachments:
            self._reject(method, "no_text", [], channel=channel)
        if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
            self._reject(method, "msg_too_long", [], channel=channel)
        errors = validate_blocks(blocks, "message")
        if errors:
            self._reject(method, "invalid_blocks", errors, channel=channel)
        metadata = params.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            self._reject(method, "invalid_metadata_format", [], channel=channel)

    def _check_channel(self, params: dict[str, Any], key: str = "channel") -> str:
        raw = params.get(key)
        if not raw:
            raise _ApiError("channel_not_found")
        channel = self._channel_id(raw)
        for candidate in (str(raw), channel):
            if candidate in self.bad_channels:
                raise _ApiError(self.bad_channels[candidate])
        return channel

    def _find(self, channel: str, ts: Any) -> dict[str, Any]:
        for message in self._history.get(channel, []):
            if message["ts"] == ts:
                return message
        raise _ApiError("message_not_found")

    def _message_record(self, message: dict[str, Any], via: str, **extra: Any) -> None:
        record = {k: message.get(k) for k in
                  ("channel", "ts", "text", "blocks", "thread_ts", "metadata")}
        self.messages.append({**record, "via": via, **extra})

    # -- Web API methods (each returns the fields after "ok": true) ----------

    def _m_api_test(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        return {"args": {k: v for k, v in params.items() if k != "token"}}

    def _m_apps_connections_open(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        if self.socket_url is None:
            raise _ApiError("not_allowed_token_type")  # Socket Mode off (no socket double)
        return {"url": self.socket_url}

    def _m_auth_test(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        return {"url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "Lobby Test",
                "user": "lobbytracker", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_chat_postMessage(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        if self.rate_limit_per_channel:
            last = self._post_times[channel][-1] if self._post_times[channel] else None
            interval = 1.0 / self.rate_limit_per_channel
            if last is not None and call.at - last < interval:
                self.rate_limited[channel] += 1
                wait = max(1, math.ceil(interval - (call.at - last)))
                raise _RateLimited(wait)
        self._check_message("chat.postMessage", params, channel)
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
            "team": TEAM_ID, "ts": ts, "text": params.get("text") or "",
            "blocks": params.get("blocks") or [], "channel": channel,
        }
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        if params.get("metadata") is not None:
            message["metadata"] = params["metadata"]
        if params.get("attachments"):
            message["attachments"] = params["attachments"]
        self._history[channel].append(message)
        self._post_times[channel].append(call.at)
        self._message_record(message, "chat.postMessage")
        visible = {k: v for k, v in message.items() if k != "channel"}
        return {"channel": channel, "ts": ts, "message": visible}

    def _m_chat_update(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        message = self._find(channel, params.get("ts"))
        self._check_message("chat.update", params, channel)
        if "text" in params:
            message["text"] = params.get("text") or ""
        # Slack keeps the previous blocks when the update carries none.
        if params.get("blocks") is not None:
            message["blocks"] = params["blocks"]
        if params.get("metadata") is not None:
            message["metadata"] = params["metadata"]
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        self._message_record(message, "chat.update")
        visible = {k: v for k, v in message.items() if k != "channel"}
        return {"channel": channel, "ts": message["ts"], "text": message["text"],
                "message": visible}

    def _m_chat_delete(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        message = self._find(channel, params.get("ts"))
        self._history[channel].remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def _m_chat_postEphemeral(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        if not params.get("user"):
            raise _ApiError("user_not_in_channel")
        self._check_message("chat.postEphemeral", params, channel)
        ts = self._next_ts()
        self.ephemerals.append({"channel": channel, "user": params["user"], "ts": ts,
                                "text": params.get("text") or "",
                                "blocks": params.get("blocks") or [],
                                "thread_ts": params.get("thread_ts")})
        return {"message_ts": ts}

    def _m_chat_getPermalink(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        message = self._find(channel, params.get("message_ts"))
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{message['ts'].replace('.', '')}"
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _m_conversations_open(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        if params.get("channel"):
            return {"no_op": True, "already_open": True,
                    "channel": {"id": self._channel_id(params["channel"])}}
        users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
        if not users:
            raise _ApiError("users_list_not_supplied")
        if len(users) > 8:
            raise _ApiError("too_many_users")
        if len(users) == 1:
            channel_id = "D" + users[0][1:]
        else:
            channel_id = "G" + "".join(u[1:4] for u in sorted(users))[:20]
        return {"no_op": True, "already_open": True, "channel": {"id": channel_id}}

    def _m_conversations_history(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        oldest, latest = params.get("oldest"), params.get("latest")
        inclusive = _truthy(params.get("inclusive"))
        with_metadata = _truthy(params.get("include_all_metadata"))
        limit = max(1, min(int(params.get("limit") or 100), 999))
        start = int(params.get("cursor") or 0)

        def wanted(m: dict[str, Any]) -> bool:
            t = _ts_key(m["ts"])
            if m.get("thread_ts") not in (None, m["ts"]):
                return False  # thread replies live in conversations.replies
            if oldest is not None and (t < _ts_key(oldest) or (t == _ts_key(oldest)
                                                                and not inclusive)):
                return False
            return not (latest is not None and (t > _ts_key(latest) or (
                t == _ts_key(latest) and not inclusive)))

        found = sorted((m for m in self._history.get(channel, []) if wanted(m)),
                       key=lambda m: _ts_key(m["ts"]), reverse=True)
        page = found[start:start + limit]
        has_more = start + limit < len(found)
        out = []
        for m in page:
            item = {k: v for k, v in m.items() if k != "channel"}
            if not with_metadata:
                item.pop("metadata", None)
            out.append(item)
        return {"messages": out, "has_more": has_more, "pin_count": 0,
                "channel_actions_ts": None, "channel_actions_count": 0,
                "response_metadata": {"next_cursor": str(start + limit) if has_more else ""}}

    def _m_conversations_replies(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        channel = self._check_channel(params)
        parent = self._find(channel, params.get("ts"))
        thread = [m for m in self._history[channel]
                  if m["ts"] == parent["ts"] or m.get("thread_ts") == parent["ts"]]
        with_metadata = _truthy(params.get("include_all_metadata"))
        out = []
        for m in sorted(thread, key=lambda m: _ts_key(m["ts"])):
            item = {k: v for k, v in m.items() if k != "channel"}
            if not with_metadata:
                item.pop("metadata", None)
            out.append(item)
        return {"messages": out, "has_more": False}

    def _m_users_info(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        user_id = str(params.get("user") or "")
        if user_id not in self.users:
            # Any well-formed member ID is known, so tests need not register everyone.
            if not (user_id[:1] in ("U", "W") and user_id.isalnum() and user_id.isupper()):
                raise _ApiError("user_not_found")
            self.add_user(user_id, f"Medewerker {user_id}")
        return {"user": self.users[user_id]}

    def _check_view(self, method: str, params: dict[str, Any], *, home: bool) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", [_err("missing required field: view", "/view")])
        errors = validate_view(view)
        if not errors and (view.get("type") == "home") != home:
            errors = [_err(f"must be a valid enum value: {'home' if home else 'modal'}",
                           "/view/type")]
        if errors:
            self.rejections.append({"method": method, "error": "invalid_arguments",
                                    "messages": errors})
            raise _ApiError("invalid_arguments", errors)
        return view

    def _store_view(self, view: dict[str, Any], view_id: str | None = None,
                    root_view_id: str | None = None, previous: str | None = None
                    ) -> dict[str, Any]:
        view_id = view_id or self._next_id("V")
        stored = {
            "id": view_id, "team_id": TEAM_ID, "type": view["type"],
            "title": view.get("title"), "submit": view.get("submit"), "close": view.get("close"),
            "blocks": view.get("blocks", []), "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""), "external_id": view.get("external_id", ""),
            "state": {"values": {}}, "hash": f"{int(time.time())}.{next(self._id_counter):08d}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_view_id or view_id, "previous_view_id": previous,
            "app_id": APP_ID, "app_installed_team_id": TEAM_ID, "bot_id": BOT_ID,
        }
        self.views[view_id] = stored
        return stored

    def _m_views_open(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise _ApiError("invalid_arguments",
                            [_err("missing required field: trigger_id", "/trigger_id")])
        return {"view": self._store_view(self._check_view("views.open", params, home=False))}

    def _m_views_push(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise _ApiError("invalid_arguments",
                            [_err("missing required field: trigger_id", "/trigger_id")])
        view = self._check_view("views.push", params, home=False)
        previous = next(reversed(self.views), None)
        root = self.views[previous]["root_view_id"] if previous else None
        return {"view": self._store_view(view, root_view_id=root, previous=previous)}

    def _m_views_update(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and params.get("external_id"):
            view_id = next((k for k, v in self.views.items()
                            if v["external_id"] == params["external_id"]), None)
        if not view_id or view_id not in self.views:
            raise _ApiError("not_found")
        current = self.views[view_id]
        if params.get("hash") and params["hash"] != current["hash"]:
            raise _ApiError("hash_conflict")
        view = self._check_view("views.update", params, home=current["type"] == "home")
        return {"view": self._store_view(view, view_id, current["root_view_id"],
                                         current["previous_view_id"])}

    def _m_views_publish(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        user_id = params.get("user_id")
        if not user_id:
            raise _ApiError("invalid_arguments",
                            [_err("missing required field: user_id", "/user_id")])
        current = self.home_views.get(str(user_id))
        if params.get("hash") and current and params["hash"] != current["hash"]:
            raise _ApiError("hash_conflict")
        view = self._check_view("views.publish", params, home=True)
        stored = self._store_view(view, current["id"] if current else None)
        self.home_views[str(user_id)] = stored
        return {"view": stored}

    # -- canvases ------------------------------------------------------------

    def _check_canvas_access(self) -> None:
        if CANVAS_SCOPE not in self.scopes:
            raise _ApiError("missing_scope", needed=CANVAS_SCOPE,
                            provided=",".join(sorted(self.scopes)))
        if self.canvases_disabled:
            raise _ApiError("canvas_disabled_user_team")

    def _canvas_markdown(self, content: Any, failure: str) -> str:
        if not (isinstance(content, dict) and content.get("type") == "markdown"
                and isinstance(content.get("markdown"), str)):
            raise _ApiError("invalid_arguments",
                            [_err("must be {type: markdown, markdown: string}",
                                  "/document_content")])
        if len(content["markdown"]) > MAX_CANVAS_MARKDOWN:
            raise _ApiError(failure)
        return str(content["markdown"])

    def _m_canvases_create(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        self._check_canvas_access()
        channel_id = params.get("channel_id")
        if self.free_plan and not channel_id:
            raise _ApiError("free_teams_cannot_create_non_tabbed_canvases")
        if channel_id:
            channel_id = self._check_channel(params, "channel_id")
        markdown = ""
        if params.get("document_content") is not None:
            markdown = self._canvas_markdown(params["document_content"], "canvas_creation_failed")
        canvas_id = self._next_id("F")
        self.canvases[canvas_id] = {"id": canvas_id, "title": params.get("title") or "",
                                    "markdown": markdown, "channel_id": channel_id,
                                    "edits": 0}
        return {"canvas_id": canvas_id}

    def _m_canvases_edit(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        self._check_canvas_access()
        canvas = self.canvases.get(str(params.get("canvas_id") or ""))
        if canvas is None:
            raise _ApiError("canvas_not_found")
        if self.free_plan and not canvas["channel_id"]:
            raise _ApiError("free_teams_cannot_edit_standalone_canvases")
        changes = params.get("changes")
        if not isinstance(changes, list) or not changes:
            raise _ApiError("invalid_arguments", [_err("must be a non-empty array", "/changes")])
        for i, change in enumerate(changes):
            operation = change.get("operation") if isinstance(change, dict) else None
            if operation not in CANVAS_OPERATIONS:
                raise _ApiError("invalid_arguments",
                                [_err("unknown operation", f"/changes/{i}/operation")])
        for change in changes:
            operation = change["operation"]
            if operation == "rename":
                canvas["title"] = str((change.get("title_content") or {}).get("markdown") or "")
                continue
            if change.get("section_id"):  # the double keeps no sections: only whole documents
                raise _ApiError("canvas_editing_failed")
            markdown = ("" if operation == "delete" else
                        self._canvas_markdown(change.get("document_content"),
                                              "canvas_editing_failed"))
            if operation == "replace" or operation == "delete":
                canvas["markdown"] = markdown
            elif operation in ("insert_at_start", "insert_before"):
                canvas["markdown"] = markdown + canvas["markdown"]
            else:
                canvas["markdown"] = canvas["markdown"] + markdown
            if len(canvas["markdown"]) > MAX_CANVAS_MARKDOWN:
                raise _ApiError("canvas_editing_failed")
        canvas["edits"] += 1
        return {}

    def _m_canvases_delete(self, params: dict[str, Any], call: Call) -> dict[str, Any]:
        self._check_canvas_access()
        if self.canvases.pop(str(params.get("canvas_id") or ""), None) is None:
            raise _ApiError("canvas_not_found")
        return {}

    def _m_files_getUploadURLExternal(self, params: dict[str, Any], call: Call
                                      ) -> dict[str, Any]:
        filename, length = params.get("filename"), params.get("length")
        if not filename or length in (None, ""):
            raise _ApiError("invalid_arguments")
        file_id = self._next_id("F")
        self._pending_uploads[file_id] = {"file_id": file_id, "filename": filename,
                                          "length": int(length), "content": None,
                                          "alt_txt": params.get("alt_txt"),
                                          "snippet_type": params.get("snippet_type")}
        return {"upload_url": f"{self.root}/upload/v1/{file_id}", "file_id": file_id}

    def _upload(self, file_id: str, call: Call) -> _Reply:
        pending = self._pending_uploads.get(file_id)
        if pending is None:
            return _Reply(404, "file not found", content_type="text/plain; charset=utf-8")
        content = call.params.get("file", call.params.get("_raw", b""))
        pending["content"] = content if isinstance(content, bytes) else str(content).encode()
        return _Reply(200, f"OK - {len(pending['content'])}",
                      content_type="text/plain; charset=utf-8")

    def _m_files_completeUploadExternal(self, params: dict[str, Any], call: Call
                                        ) -> dict[str, Any]:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise _ApiError("invalid_arguments")
        channel_id = params.get("channel_id")
        if channel_id:
            channel_id = self._check_channel(params, "channel_id")
        done = []
        for entry in entries:
            pending = self._pending_uploads.get(entry.get("id"))
            if pending is None or pending["content"] is None:
                raise _ApiError("file_not_found")
            done.append((entry, pending))
        out = []
        for entry, pending in done:
            del self._pending_uploads[pending["file_id"]]
            title = entry.get("title") or pending["filename"]
            record = {**pending, "title": title, "channel_id": channel_id,
                      "channels": params.get("channels"),
                      "initial_comment": params.get("initial_comment"),
                      "thread_ts": params.get("thread_ts")}
            self.files.append(record)
            out.append({"id": pending["file_id"], "created": int(time.time()),
                        "name": pending["filename"], "title": title,
                        "size": len(pending["content"]), "user": BOT_USER_ID,
                        "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/"
                                     f"{pending['file_id']}/{pending['filename']}"})
        return {"files": out}

    # -- response_url -------------------------------------------------------

    def _respond(self, name: str, call: Call) -> _Reply:
        hook = self._response_urls.get(name)
        if hook is None:
            return _Reply(404, "no_active_hooks", content_type="text/plain; charset=utf-8")
        if hook["uses"] >= MAX_RESPONSE_URL_USES:
            return _Reply(404, "used_url", content_type="text/plain; charset=utf-8")
        params = call.params
        errors = validate_blocks(params.get("blocks"), "message")
        if not errors and not (params.get("text") or params.get("blocks")
                               or _truthy(params.get("delete_original"))):
            errors = ["no_text"]
        if errors:
            self.rejections.append({"method": "response_url", "error": "invalid_blocks",
                                    "messages": errors, "name": name})
            return _Reply(400, "invalid_blocks", content_type="text/plain; charset=utf-8")
        hook["uses"] += 1
        response = {"name": name, **params, "at": call.at}
        self.responses.append(response)
        channel, ts = hook["channel"], None
        replace = _truthy(params.get("replace_original"))
        delete = _truthy(params.get("delete_original"))
        if channel and hook["message_ts"] and (replace or delete):
            with contextlib.suppress(_ApiError):
                original = self._find(channel, hook["message_ts"])
                ts = original["ts"]
                if delete:
                    self._history[channel].remove(original)
                else:
                    original["text"] = params.get("text") or ""
                    original["blocks"] = params.get("blocks") or []
        elif channel and params.get("response_type") == "in_channel":
            ts = self._next_ts()
            self._history[channel].append({
                "type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                "team": TEAM_ID, "ts": ts, "text": params.get("text") or "",
                "blocks": params.get("blocks") or [], "channel": channel})
        self.messages.append({
            "channel": channel, "ts": ts, "text": params.get("text"),
            "blocks": params.get("blocks"), "thread_ts": params.get("thread_ts"),
            "metadata": None, "via": "response_url", "name": name,
            "response_type": params.get("response_type", "ephemeral"),
            "replace_original": replace, "delete_original": delete})
        return _Reply(200, {"ok": True})


class _RateLimited(_ApiError):
    def __init__(self, retry_after: int) -> None:
        super().__init__("ratelimited")
        self.retry_after = retry_after


class _Handler(BaseHTTPRequestHandler):
    double: SlackDouble
    server_version = "SlackDouble/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_params(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type") or ""
        url = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path.startswith("/upload/") and not content_type.startswith("multipart/"):
            params["_raw"] = body
            return params
        if "application/json" in content_type or (not content_type and body[:1] == b"{"):
            try:
                data = json.loads(body or b"{}")
            except json.JSONDecodeError:
                data = {}
            params.update(data if isinstance(data, dict) else {})
        elif content_type.startswith("multipart/form-data"):
            params.update(_parse_multipart(content_type, body))
        elif body:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        for key in _JSON_PARAMS & params.keys():
            if isinstance(params[key], str):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        return params

    def _serve(self) -> None:
        at = time.monotonic()
        path = urlsplit(self.path).path
        params = self._read_params()
        if path.startswith("/api/"):
            method = path[len("/api/"):].strip("/")
        elif path.startswith("/upload/"):
            method = "upload_url"
        elif path.startswith("/actions/"):
            method = "response_url"
        else:
            method = path
        call = Call(method=method, params=params, headers=dict(self.headers.items()), at=at)
        reply = self.double._handle(path, call)
        payload = (json.dumps(reply.body) if not isinstance(reply.body, str)
                   else reply.body).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

