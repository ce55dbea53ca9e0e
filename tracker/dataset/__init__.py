"""Example datasets shipped with the package, and their validating loader.

`load_dataset()` reads a packaged YAML file (or any file given by `path`), checks its
structure and returns plain Python data: dates as `datetime.date`, amounts as `int`.
Every problem raises `ValueError` naming the file, the record and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, NoReturn

import yaml

from tracker.dates.spans import PARTS, PRECISIONS, QUALIFIERS, containing

__all__ = [
    "DEADLINE_KINDS",
    "DEADLINE_STATUSES",
    "HISTORY_KINDS",
    "LINES",
    "PHASES",
    "PROGRAMME_STATUSES",
    "RAGS",
    "SECTIONS",
    "available_datasets",
    "load_dataset",
]

LINES = ("economie-arbeidsmarkt", "ruimtelijke-ontwikkeling", "public-affairs")
PHASES = ("active", "paused", "closed")
RAGS = ("green", "amber", "red")
HISTORY_KINDS = ("rag", "note")
DEADLINE_KINDS = ("debate", "visit", "submission", "decision", "meeting", "election", "commitment",
                  "other")
MILESTONE_ROLES = ("event", "action")
DEADLINE_STATUSES = ("open", "done", "missed", "cancelled")
PROGRAMME_STATUSES = ("on-track", "at-risk", "delayed", "paused", "done")
SECTIONS = ("inkomsten", "lasten", "saldo")

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

# Per record: (required keys, optional keys).
_TOP = ({"source", "dossiers", "deadlines", "programmes", "budget", "indicators", "facts"},
        {"key_figures", "report"})
_DOSSIER = (
    {"code", "title", "summary", "goal", "line", "phase", "rag", "rag_reason", "rag_since",
     "funding_needed", "funding_secured", "source", "history"},
    {"funding_note", "source_note"},
)
_DOSSIER_EVENT = ({"at", "kind", "text", "approximate", "source"},
                  {"before", "after", "source_note", "precision"})
_DEADLINE = (
    {"dossier", "title", "kind", "due", "time", "status", "approximate", "source"},
    {"source_note", "role", "precision", "part", "qualifier"},
)
_PROGRAMME = (
    {"name", "parent", "line", "dossier", "status", "note", "source"},
    {"history", "source_note"},
)
_PROGRAMME_EVENT = ({"at", "before", "after", "text", "approximate", "source"},
                    {"source_note", "precision"})
_BUDGET = ({"year", "section", "name", "begroting", "werkelijk", "verwacht", "is_total", "note"},
           {"source_note", "werkelijk_jaartotalen"})
_INDICATOR = (
    {"name", "line", "unit", "year", "values", "stated_total", "note", "source"},
    {"baseline", "baseline_label"},
)
_KEY_FIGURE = ({"fact", "label", "unit"}, {"qualifier", "line"})
_REPORT_TEXT = ({"period", "section", "text", "source"}, {"line"})
KEY_FIGURE_UNITS = ("aantal", "eur", "pct", "tekst")
REPORT_SECTIONS = ("kernboodschap", "doelen", "resultaten", "vooruitblik", "risico", "besluit")
_PERIOD = re.compile(r"^\d{4}(H[12]|Q[1-4])$")


def available_datasets() -> list[str]:
    """Names of the datasets packaged with Lobbytracker."""
    folder = resources.files(__name__)
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_dataset(
    name: str = "regio-zwolle-2023", path: str | PathLike[str] | None = None
) -> dict[str, Any]:
    """Read and validate a dataset: the packaged one called `name`, or the file at `path`."""
    if path is not None:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"{label}: cannot read dataset: {exc}") from exc
    else:
        if not _NAME.match(name):
            raise ValueError(f"invalid dataset name {name!r}: use lowercase letters, digits and '-'")
        label = f"{name}.yaml"
        resource = resources.files(__name__).joinpath(label)
        if not resource.is_file():
            known = ", ".join(available_datasets()) or "none"
            raise ValueError(f"unknown dataset {name!r} (available: {known})")
        text = resource.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{label}: not valid YAML: {exc}") from exc
    _Validator(label).dataset(data)
    return data


class _Validator:
    """Checks one parsed dataset in place (normalising ISO date strings to dates)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def fail(self, where: str, message: str) -> NoReturn:
        raise ValueError(f"{self.label}: {where}: {message}")

    # -- generic field checks -----------------------------------------------------------
    def keys(self, where: str, record: Any, spec: tuple[set[str], set[str]]) -> None:
        if not isinstance(record, dict):
            self.fail(where, f"expected a mapping, got {type(record).__name__}")
        required, optional = spec
        missing = sorted(required - record.keys())
        if missing:
            self.fail(where, f"missing required key(s): {', '.join(missing)}")
        unknown = sorted(str(k) for k in record.keys() - required - optional)
        if unknown:
            self.fail(where, f"unknown key(s): {', '.join(unknown)}")

    def text(self, where: str, record: dict[str, Any], key: str, *, nullable: bool = False) -> None:
        value = record[key]
        if value is None and nullable:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"{key} must be a non-empty string, got {value!r}")

    def enum(self, where: str, record: dict[str, Any], key: str, allowed: Iterable[str],
             *, nullable: bool = False) -> None:
        value = record[key]
        if value is None and nullable:
            return
        allowed = tuple(allowed)
        if value not in allowed:
            self.fail(where, f"{key} {value!r} is not one of {', '.join(allowed)}")

    def flag(self, where: str, record: dict[str, Any], key: str) -> None:
        if not isinstance(record[key], bool):
            self.fail(where, f"{key} must be true or false, got {record[key]!r}")

    def integer(self, where: str, record: dict[str, Any], key: str, *, nullable: bool = False,
                minimum: int | None = None) -> None:
        value = record[key]
        if value is None and nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"{key} must be an integer, got {value!r}")
        if minimum is not None and value < minimum:
            self.fail(where, f"{key} must be at least {minimum}, got {value}")

    def date(self, where: str, record: dict[str, Any], key: str) -> dt.date:
        value = record[key]
        if isinstance(value, dt.datetime):
            self.fail(where, f"{key} must be a date without a time, got {value!r}")
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(where, f"{key} {value!r} is not a date (YYYY-MM-DD)")
        if not isinstance(value, dt.date):
            self.fail(where, f"{key} must be a date (YYYY-MM-DD), got {value!r}")
        record[key] = value
        return value

    def unique(self, where: str, values: Iterable[Any], what: str) -> None:
        seen: set[Any] = set()
        for value in values:
            if value in seen:
                self.fail(where, f"duplicate {what} {value!r}")
            seen.add(value)

    def items(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data[key]
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {type(value).__name__}")
        return value

    # -- sections -------------------------------------------------------------------------
    def dataset(self, data: Any) -> None:
        self.keys("top level", data, _TOP)
        self.text("top level", data, "source")
        dossiers = self.items(data, "dossiers")
        for i, dossier in enumerate(dossiers):
            self.dossier(f"dossiers[{i}]", dossier)
        self.unique("dossiers", (d["code"] for d in dossiers), "dossier code")
        codes = {d["code"] for d in dossiers}
        deadlines = self.items(data, "deadlines")
        for i, deadline in enumerate(deadlines):
            self.deadline(f"deadlines[{i}]", deadline, codes)
        self.unique("deadlines", ((d["dossier"], d["title"], d["due"]) for d in deadlines),
                    "(dossier, title, due)")
        self.programmes(self.items(data, "programmes"), codes)
        budget = self.items(data, "budget")
        for i, row in enumerate(budget):
            self.budget_row(f"budget[{i}]", row)
        self.unique("budget", ((r["year"], r["section"], r["name"]) for r in budget), "row")
        indicators = self.items(data, "indicators")
        for i, indicator in enumerate(indicators):
            self.indicator(f"indicators[{i}]", indicator)
        self.unique("indicators", ((x["name"], x["year"]) for x in indicators), "indicator")
        self.facts(data["facts"])
        for i, figure in enumerate(data.get("key_figures") or []):
            self.key_figure(f"key_figures[{i}]", figure, data["facts"])
        for i, text in enumerate(data.get("report") or []):
            self.report_text(f"report[{i}]", text)

    def key_figure(self, where: str, figure: Any, facts: dict[str, Any]) -> None:
        self.keys(where, figure, _KEY_FIGURE)
        if figure["fact"] not in facts:
            self.fail(where, f"fact {figure['fact']!r} is not a key under facts")
        self.text(where, figure, "label")
        self.enum(where, figure, "unit", KEY_FIGURE_UNITS)
        if "line" in figure:
            self.enum(where, figure, "line", LINES)

    def report_text(self, where: str, text: Any) -> None:
        self.keys(where, text, _REPORT_TEXT)
        if not isinstance(text["period"], str) or not _PERIOD.match(text["period"]):
            self.fail(where, f"period {text['period']!r} must read like 2023H1 or 2023Q3")
        self.enum(where, text, "section", REPORT_SECTIONS)
        self.text(where, text, "text")
        self.text(where, text, "source")
        if "line" in text:
            self.enum(where, text, "line", LINES)

    def dossier(self, where: str, d: Any) -> None:
        self.keys(where, d, _DOSSIER)
        if not isinstance(d["code"], str) or not _CODE.match(d["code"]):
            self.fail(where, f"code {d['code']!r} must be upper-case letters and digits")
        where = f"{where} ({d['code']})"
        for key in ("title", "summary", "goal", "rag_reason", "source"):
            self.text(where, d, key)
        for key in ("funding_note", "source_note"):
            if key in d:
                self.text(where, d, key, nullable=True)
        self.enum(where, d, "line", LINES)
        self.enum(where, d, "phase", PHASES)
        self.enum(where, d, "rag", RAGS)
        self.date(where, d, "rag_since")
        self.integer(where, d, "funding_needed", nullable=True, minimum=0)
        self.integer(where, d, "funding_secured", nullable=True, minimum=0)
        needed, secured = d["funding_needed"], d["funding_secured"]
        if needed is not None and secured is not None and secured > needed:
            self.fail(where, f"funding_secured {secured} exceeds funding_needed {needed}")
        history = d["history"]
        if not isinstance(history, list):
            self.fail(where, "history must be a list")
        last_rag: dict[str, Any] | None = None
        for j, event in enumerate(history):
            at = f"{where}.history[{j}]"
            self.keys(at, event, _DOSSIER_EVENT)
            self.event(at, event)
            self.enum(at, event, "kind", HISTORY_KINDS)
            if event["kind"] == "rag":
                for key in ("before", "after"):
                    if key not in event:
                        self.fail(at, f"a rag event needs {key}")
                    self.enum(at, event, key, RAGS)
                if event["before"] == event["after"]:
                    self.fail(at, f"before and after are both {event['after']!r}")
                if last_rag is not None and event["before"] != last_rag["after"]:
                    self.fail(at, f"before {event['before']!r} does not follow the previous "
                                  f"rag event's after {last_rag['after']!r}")
                last_rag = event
            elif "before" in event or "after" in event:
                self.fail(at, "only a rag event has before/after")
        self.chronological(where, history)
        if last_rag is not None:
            if last_rag["after"] != d["rag"]:
                self.fail(where, f"rag {d['rag']!r} differs from the last rag event's after "
                                 f"{last_rag['after']!r}")
            if last_rag["at"] != d["rag_since"]:
                self.fail(where, f"rag_since {d['rag_since']} differs from the last rag event's "
                                 f"date {last_rag['at']}")

    def event(self, where: str, event: dict[str, Any]) -> None:
        self.date(where, event, "at")
        if "precision" in event:
            self.enum(where, event, "precision", PRECISIONS)
        self.text(where, event, "text")
        self.text(where, event, "source")
        self.flag(where, event, "approximate")
        if "source_note" in event:
            self.text(where, event, "source_note")

    def chronological(self, where: str, history: list[dict[str, Any]]) -> None:
        for j in range(1, len(history)):
            if history[j]["at"] < history[j - 1]["at"]:
                self.fail(f"{where}.history[{j}]", f"at {history[j]['at']} is before the previous "
                                                   f"event ({history[j - 1]['at']}); keep oldest first")

    def deadline(self, where: str, d: Any, codes: set[str]) -> None:
        self.keys(where, d, _DEADLINE)
        self.text(where, d, "title")
        where = f"{where} ({d['title']!r})"
        if d["dossier"] not in codes:
            self.fail(where, f"dossier {d['dossier']!r} does not exist "
                             f"(known: {', '.join(sorted(codes))})")
        self.enum(where, d, "kind", DEADLINE_KINDS)
        self.enum(where, d, "status", DEADLINE_STATUSES)
        self.date(where, d, "due")
        if d["time"] is not None and not (isinstance(d["time"], str) and _TIME.match(d["time"])):
            self.fail(where, f"time must be null or a quoted \"HH:MM\", got {d['time']!r}")
        self.flag(where, d, "approximate")
        self.precision(where, d)
        if "role" in d:
            self.enum(where, d, "role", MILESTONE_ROLES)
        self.text(where, d, "source")
        if "source_note" in d:
            self.text(where, d, "source_note")

    def precision(self, where: str, d: Any) -> None:
        """`precision`/`part`/`qualifier` as the report words it; `due` is that span's anchor."""
        precision, part, qualifier = (d.get("precision", "day"), d.get("part", ""),
                                      d.get("qualifier", ""))
        self.enum(where, {"precision": precision}, "precision", set(PRECISIONS))
        self.enum(where, {"part": part}, "part", set(PARTS))
        self.enum(where, {"qualifier": qualifier}, "qualifier", set(QUALIFIERS))
        if not isinstance(d.get("due"), dt.date) or precision == "day":
            if part:
                self.fail(where, "a day has no part")
            return
        if (precision != "day") != bool(d.get("approximate")):
            self.fail(where, "a rough date (precision other than day) has approximate: true")
        try:
            anchor = containing(precision, d["due"], part).anchor(qualifier)
        except ValueError as exc:
            self.fail(where, str(exc))
            return
        if anchor != d["due"]:
            self.fail(where, f"due {d['due']} is not the anchor of its span: {anchor}")

    def programmes(self, programmes: list[Any], codes: set[str]) -> None:
        for i, p in enumerate(programmes):
            where = f"programmes[{i}]"
            self.keys(where, p, _PROGRAMME)
            self.text(where, p, "name")
            where = f"{where} ({p['name']!r})"
            self.text(where, p, "parent", nullable=True)
            self.enum(where, p, "line", LINES)
            if p["dossier"] is not None and p["dossier"] not in codes:
                self.fail(where, f"dossier {p['dossier']!r} does not exist "
                                 f"(known: {', '.join(sorted(codes))})")
            self.enum(where, p, "status", PROGRAMME_STATUSES)
            self.text(where, p, "note")
            self.text(where, p, "source")
            if "source_note" in p:
                self.text(where, p, "source_note")
            history = p.setdefault("history", [])
            if not isinstance(history, list):
                self.fail(where, "history must be a list")
            for j, event in enumerate(history):
                at = f"{where}.history[{j}]"
                self.keys(at, event, _PROGRAMME_EVENT)
                self.event(at, event)
                self.enum(at, event, "before", PROGRAMME_STATUSES)
                self.enum(at, event, "after", PROGRAMME_STATUSES)
                if j and event["before"] != history[j - 1]["after"]:
                    self.fail(at, f"before {event['before']!r} does not follow the previous "
                                  f"event's after {history[j - 1]['after']!r}")
            self.chronological(where, history)
            if history and history[-1]["after"] != p["status"]:
                self.fail(where, f"status {p['status']!r} differs from the last history "
                                 f"event's after {history[-1]['after']!r}")
        self.unique("programmes", (p["name"] for p in programmes), "programme name")
        # A parent must come earlier in the list: the seeder creates records in file order.
        names = [p["name"] for p in programmes]
        for i, p in enumerate(programmes):
            parent = p["parent"]
            if parent is None or parent in names[:i]:
                continue
            where = f"programmes[{i}] ({p['name']!r})"
            if parent == p["name"]:
                self.fail(where, "a programme cannot be its own parent")
            if parent in names:
                self.fail(where, f"parent {parent!r} must be listed before its children")
            self.fail(where, f"parent {parent!r} does not exist")

    def budget_row(self, where: str, row: Any) -> None:
        self.keys(where, row, _BUDGET)
        self.text(where, row, "name")
        where = f"{where} ({row['name']!r})"
        self.integer(where, row, "year", minimum=2000)
        self.enum(where, row, "section", SECTIONS)
        for key in ("begroting", "werkelijk", "verwacht"):
            self.integer(where, row, key, nullable=True)
        if "werkelijk_jaartotalen" in row:  # as the table of expected year totals prints it
            self.integer(where, row, "werkelijk_jaartotalen", nullable=True)
        self.flag(where, row, "is_total")
        self.text(where, row, "note", nullable=True)
        if "source_note" in row:
            self.text(where, row, "source_note")

    def indicator(self, where: str, x: Any) -> None:
        self.keys(where, x, _INDICATOR)
        self.text(where, x, "name")
        where = f"{where} ({x['name']!r})"
        self.enum(where, x, "line", LINES)
        self.text(where, x, "unit")
        self.integer(where, x, "year", minimum=2000)
        self.integer(where, x, "stated_total", nullable=True)
        self.text(where, x, "note", nullable=True)
        self.text(where, x, "source")
        if "baseline" in x and (isinstance(x["baseline"], bool)
                                or not isinstance(x["baseline"], int | float)):
            self.fail(where, f"baseline must be a number, got {x['baseline']!r}")
        if "baseline_label" in x:
            self.text(where, x, "baseline_label")
        values = x["values"]
        if not isinstance(values, dict) or not values:
            self.fail(where, "values must be a non-empty mapping of month (1-12) to number")
        for month, value in values.items():
            if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
                self.fail(where, f"month {month!r} in values is not 1-12")
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(where, f"value for month {month} must be a number, got {value!r}")

    def facts(self, facts: Any) -> None:
        if not isinstance(facts, dict):
            self.fail("facts", f"expected a mapping, got {type(facts).__name__}")
        scalar: tuple[type, ...] = (int, float, str, dt.date)
        for key, value in facts.items():
            if not isinstance(key, str) or not key:
                self.fail("facts", f"key {key!r} must be a non-empty string")
            if not isinstance(value, scalar):
                self.fail(f"facts.{key}", f"must be a number, text or date, got {value!r}")

