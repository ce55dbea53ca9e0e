"""Every field of a JSON backup checked the way the commands check it, before anything is written.

Types from the models (an int is an int, never a bool or "veel"; lengths; nullability),
then the domain's rules: enums (RAG, phase, line, kind, role, status, precision, …), ranges
(amounts 0 or more, versions 1 or more), the one year window for dates, Slack ids, reminder
ladders and recurrence rules as `/deadline` reads them, and dossier codes as `/dossier new`
makes them (NFKC, no invisible characters, none that cannot be told apart from another).
Problems are reported in Dutch and English with the file, table, row and field.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, Time, inspect
from sqlmodel import SQLModel

from tracker.dates import MAX_YEAR, MIN_YEAR
from tracker.dates.spans import PARTS, PRECISIONS, QUALIFIERS
from tracker.errors import InvalidInput, LobbyError
from tracker.models import (
    DeadlineKind,
    DeadlineStatus,
    DeliveryStatus,
    Line,
    MilestoneRole,
    Phase,
    ProgrammeStatus,
    Rag,
    Role,
    UTCDateTime,
)
from tracker.services.dossiers import CODE_RE, SLACK_CHANNEL_RE, SLACK_USER_RE
from tracker.text import fold

MAX_REPORTED = 10
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_BIG = 2**63


class Problem(Exception):
    """One field that is wrong (nl, en)."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(nl)
        self.nl, self.en = nl, en


def _values(enum: Any) -> frozenset[str]:
    return frozenset(item.value for item in enum)


def _enum(allowed: frozenset[str]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in allowed:
            shown = ", ".join(sorted(repr(v) if v == "" else v for v in allowed))
            raise Problem(f"‘{value}’ is geen van {shown}", f"‘{value}’ is not one of {shown}")
    return check


def _at_least(low: int, high: int = _BIG) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is not None and not low <= value < high:
            raise Problem(f"{value} moet {low} of meer zijn", f"{value} must be {low} or more")
    return check


def _matches(pattern: re.Pattern[str], what_nl: str, what_en: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is not None and value != "" and not pattern.match(value):
            raise Problem(f"‘{value}’ is geen {what_nl}", f"‘{value}’ is not a {what_en}")
    return check


def _offsets(value: Any) -> None:
    from tracker.services.deadlines import parse_offsets

    if value is None:
        return
    try:
        ladder = parse_offsets(value) if value != "" else ()
    except LobbyError as exc:
        raise Problem(exc.nl, exc.en) from None
    if ",".join(map(str, ladder)) != value:
        raise Problem(f"‘{value}’ is geen herinneringsladder als ‘14,7,1’",
                      f"‘{value}’ is not a reminder ladder like ‘14,7,1’")


def _rrule(value: Any, row: dict[str, Any]) -> None:
    from tracker.services.recurrence import check_rule

    if value is None:
        return
    start = row.get("due_date") if isinstance(row.get("due_date"), date) else date(MIN_YEAR, 1, 1)
    try:
        if check_rule(value, start) != value:
            raise Problem(f"herhaalregel ‘{value}’ niet in de vorm die Lobbytracker opslaat",
                          f"recurrence rule ‘{value}’ is not in the form Lobbytracker stores")
    except InvalidInput as exc:
        raise Problem(exc.nl, exc.en) from None


def _code(value: Any) -> None:
    if any(unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn") for ch in value):
        raise Problem(f"code ‘{value}’ bevat onzichtbare tekens",
                      f"code ‘{value}’ holds invisible characters")
    normal = unicodedata.normalize("NFKC", value)
    if normal != value:
        raise Problem(f"code ‘{value}’ is niet in gewone tekens geschreven (NFKC: ‘{normal}’)",
                      f"code ‘{value}’ is not written in plain characters (NFKC: ‘{normal}’)")
    if not CODE_RE.match(value) or value != value.upper():
        raise Problem(f"code ‘{value}’ is geen dossiercode (1-20 letters A-Z, cijfers, streepjes)",
                      f"code ‘{value}’ is no dossier code (1-20 letters A-Z, digits, dashes)")


# Per table and column: the domain's rule, on top of the type the model gives.
RULES: dict[str, dict[str, Callable[..., None]]] = {
    "dossier": {"code": _code, "line": _enum(_values(Line)), "rag": _enum(_values(Rag)),
                "phase": _enum(_values(Phase)), "funding_needed": _at_least(0, 10**13),
                "funding_secured": _at_least(0, 10**13),
                "owner": _matches(SLACK_USER_RE, "Slack-gebruiker", "Slack user"),
                "channel": _matches(SLACK_CHANNEL_RE, "Slack-kanaal", "Slack channel")},
    "deadline": {"kind": _enum(_values(DeadlineKind)), "role": _enum(_values(MilestoneRole)),
                 "status": _enum(_values(DeadlineStatus)), "precision": _enum(frozenset(PRECISIONS)),
                 "qualifier": _enum(frozenset(QUALIFIERS)), "due_part": _enum(frozenset(PARTS)),
                 "offsets": _offsets, "rrule": _rrule,
                 "owner": _matches(SLACK_USER_RE, "Slack-gebruiker", "Slack user"),
                 "created_by": _matches(re.compile(r"^[\w.:-]{1,40}$"), "naam", "name")},
    "programme": {"line": _enum(_values(Line)), "status": _enum(_values(ProgrammeStatus))},
    "event": {"kind": _matches(_NAME, "soort", "kind")},
    "delivery": {"status": _enum(_values(DeliveryStatus)), "kind": _matches(_NAME, "soort", "kind"),
                 "attempts": _at_least(0)},
    "member": {"role": _enum(_values(Role))},
}
_NEEDS_ROW = {"rrule"}


def _typed_value(column: Any, value: Any) -> Any:
    """`value` read as the column's type, or Problem."""
    kind = column.type
    if value is None:
        if not column.nullable and not column.primary_key:
            raise Problem("mag niet leeg zijn", "may not be empty")
        return None
    if isinstance(kind, Boolean):
        if type(value) is not bool:
            raise Problem(f"‘{value}’ is geen true/false", f"‘{value}’ is not true/false")
        return value
    if isinstance(kind, Integer | BigInteger):
        if type(value) is not int or not -_BIG <= value < _BIG:
            raise Problem(f"‘{value}’ is geen geheel getal", f"‘{value}’ is not a whole number")
        return value
    if isinstance(kind, Float):
        if type(value) not in (int, float) or not math.isfinite(value):
            raise Problem(f"‘{value}’ is geen getal", f"‘{value}’ is not a number")
        return float(value) if type(value) is int else value
    if isinstance(kind, UTCDateTime | DateTime | Date | Time):
        if not isinstance(value, str):
            raise Problem(f"‘{value}’ is geen datum/tijd in ISO 8601", f"‘{value}’ is not an ISO 8601 date/time")
        try:
            if isinstance(kind, Time):
                return time.fromisoformat(value)
            if isinstance(kind, Date) and not isinstance(kind, DateTime):
                parsed_date = date.fromisoformat(value)
                _window(parsed_date.year)
                return parsed_date
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise Problem(f"‘{value}’ is geen datum/tijd in ISO 8601",
                          f"‘{value}’ is not an ISO 8601 date/time") from None
        if moment.tzinfo is None:
            raise Problem(f"‘{value}’ mist de tijdzone (bijvoorbeeld +00:00)",
                          f"‘{value}’ lacks its time zone (for example +00:00)")
        _window(moment.year)
        return moment
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise Problem(f"‘{value}’ is geen tekst", f"‘{value}’ is not text")
        if kind.length is not None and len(value) > kind.length:
            raise Problem(f"langer dan {kind.length} tekens", f"longer than {kind.length} characters")
        return value
    return value


def _window(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Problem(f"jaar {year} valt buiten {MIN_YEAR}–{MAX_YEAR}",
                      f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")


def typed_rows(model: type[SQLModel], rows: Any, where: str,
               problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The rows of one table, typed and checked; problems are appended as (nl, en)."""
    table = model.__tablename__
    mapper = inspect(model)
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
    rules = RULES.get(str(table), {})
    if not isinstance(rows, list):
        problems.append((f"{where}, tabel {table}: geen lijst van rijen",
                         f"{where}, table {table}: not a list of rows"))
        return []
    out: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        place_nl, place_en = f"{where}, tabel {table}, rij {number}", f"{where}, table {table}, row {number}"
        if not isinstance(row, dict):
            problems.append((f"{place_nl}: geen object", f"{place_en}: not an object"))
            continue
        if "id" in row:
            place_nl, place_en = f"{place_nl} (id {row['id']})", f"{place_en} (id {row['id']})"
        typed: dict[str, Any] = {}
        for name in row:
            if name not in columns:
                problems.append((f"{place_nl}, veld {name}: onbekend veld",
                                 f"{place_en}, field {name}: unknown field"))
        for name, column in columns.items():
            if name not in row:
                field = model.model_fields.get(name)
                if field is not None and not field.is_required():
                    typed[name] = field.get_default(call_default_factory=True)
                elif not column.primary_key:
                    problems.append((f"{place_nl}, veld {name}: ontbreekt",
                                     f"{place_en}, field {name}: missing"))
                continue
            try:
                typed[name] = _typed_value(column, row[name])
                rule = rules.get(name)
                if rule is not None and typed[name] is not None:
                    rule(typed[name], typed) if name in _NEEDS_ROW else rule(typed[name])
            except Problem as exc:
                problems.append((f"{place_nl}, veld {name}: {exc.nl}",
                                 f"{place_en}, field {name}: {exc.en}"))
        out.append(typed)
    return out


def check_codes(rows: list[dict[str, Any]], where: str, problems: list[tuple[str, str]]) -> None:
    """Dossier codes that cannot be told apart (folded equal) and a stale `code_folded`."""
    seen: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        code = row.get("code")
        if not isinstance(code, str):
            continue
        folded = fold(code).replace(" ", "-")
        if row.get("code_folded") not in (None, folded):
            problems.append((f"{where}, tabel dossier, rij {number}, veld code_folded: hoort ‘{folded}’ te zijn",
                             f"{where}, table dossier, row {number}, field code_folded: should be ‘{folded}’"))
        if folded in seen:
            problems.append((f"{where}, tabel dossier, rij {number}, veld code: ‘{code}’ is niet te "
                             f"onderscheiden van ‘{seen[folded]}’",
                             f"{where}, table dossier, row {number}, field code: ‘{code}’ cannot be "
                             f"told apart from ‘{seen[folded]}’"))
        seen.setdefault(folded, code)


def refuse(problems: list[tuple[str, str]]) -> InvalidInput:
    """One error listing the first problems (nothing was imported)."""
    shown = problems[:MAX_REPORTED]
    more_nl = f"\n…en nog {len(problems) - len(shown)}" if len(problems) > len(shown) else ""
    more_en = f"\n…and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
    return InvalidInput("Niets geïmporteerd:\n" + "\n".join(nl for nl, _ in shown) + more_nl,
                        "Nothing imported:\n" + "\n".join(en for _, en in shown) + more_en)
