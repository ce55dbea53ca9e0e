"""Settings from the environment or `.env`; the names are the contract in DESIGN.md."""

from __future__ import annotations

import os
import re
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "lobbytracker"
ENV_FILE_VARIABLE = "LOBBY_ENV_FILE"


def data_dir() -> Path:
    """The user's data directory for Lobbytracker (on Linux ~/.local/share/lobbytracker)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    """Where the CLI writes tracebacks of unexpected errors (the user's log directory)."""
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False) / "lobby.log"


def default_database_url() -> str:
    """`lobby.db` in the user's data directory: the same database from any working directory."""
    return f"sqlite:///{data_dir() / 'lobby.db'}"


def env_file() -> Path | None:
    """The `.env` in use: LOBBY_ENV_FILE when set, else `.env` in the working directory if any."""
    chosen = os.environ.get(ENV_FILE_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    local = Path(".env")
    return local.resolve() if local.is_file() else None


class SettingProblem(ValueError):
    """A setting that is wrong, said in Dutch and English (pydantic keeps it in the error's ctx)."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(en)
        self.nl, self.en = nl, en


def normalise_database_url(value: str) -> str:
    """The URL as SQLAlchemy needs it; ValueError saying what is wrong and what to write.

    `postgresql://` and `postgres://` mean psycopg 3, the driver installed with the package
    (SQLAlchemy would otherwise ask for psycopg2)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    value = value.strip()
    example = "sqlite:////pad/naar/lobby.db, postgresql://user:pw@host:5432/lobby"
    if not value:
        raise SettingProblem(
            f"DATABASE_URL is leeg; laat hem weg voor de standaarddatabase of schrijf {example}",
            f"DATABASE_URL is empty; leave it out for the default database or write {example}")
    for plain in ("postgresql://", "postgres://"):
        if value.startswith(plain):
            value = "postgresql+psycopg://" + value[len(plain):]
    try:
        url = make_url(value)
    except ArgumentError as exc:
        shown = _hide_password(value)
        raise SettingProblem(f"DATABASE_URL ‘{shown}’ is geen database-URL; schrijf {example}",
                             f"DATABASE_URL ‘{shown}’ is not a database URL; write {example}"
                             ) from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingProblem(
            f"DATABASE_URL: database ‘{url.get_backend_name()}’ wordt niet ondersteund; "
            "gebruik sqlite of postgresql",
            f"DATABASE_URL: database ‘{url.get_backend_name()}’ is not supported; "
            "use sqlite or postgresql")
    try:
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError) as exc:
        raise SettingProblem(
            f"DATABASE_URL: driver ‘{url.drivername}’ is niet geïnstalleerd; schrijf "
            "postgresql:// of postgresql+psycopg:// (psycopg 3) of sqlite:///",
            f"DATABASE_URL: driver ‘{url.drivername}’ is not installed; write postgresql:// or "
            "postgresql+psycopg:// (psycopg 3) or sqlite:///") from exc
    return value


def _hide_password(value: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", value)


class Settings(BaseSettings):
    """Every setting Lobbytracker reads; unknown environment variables are ignored."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url, alias="DATABASE_URL")
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    port: int = Field(3000, alias="PORT", ge=0, le=65535)  # 0: any free port, logged
    lobby_timezone: str = Field("Europe/Amsterdam", alias="LOBBY_TIMEZONE")
    lobby_language: str = Field("nl", alias="LOBBY_LANGUAGE")
    lobby_default_channel: str | None = Field(None, alias="LOBBY_DEFAULT_CHANNEL")
    lobby_digest_channel: str | None = Field(None, alias="LOBBY_DIGEST_CHANNEL")
    lobby_admins: str = Field("", alias="LOBBY_ADMINS")
    lobby_reminder_time: str = Field("09:00", alias="LOBBY_REMINDER_TIME")
    lobby_working_hours: str = Field("08:00-18:00", alias="LOBBY_WORKING_HOURS")
    lobby_calendar_token: str | None = Field(None, alias="LOBBY_CALENDAR_TOKEN")
    lobby_tk_api_url: str = Field("https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/",
                                  alias="LOBBY_TK_API_URL")
    lobby_tk_feed_url: str = Field("https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed",
                                   alias="LOBBY_TK_FEED_URL")
    lobby_tk_poll_minutes: int = Field(30, alias="LOBBY_TK_POLL_MINUTES", ge=0, le=24 * 60)
    # working days before a half-year digest that owners are asked to confirm (0: no round)
    lobby_confirm_days: int = Field(5, ge=0, le=60, alias="LOBBY_CONFIRM_DAYS")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("lobby_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingProblem(f"LOBBY_TIMEZONE: onbekende tijdzone ‘{value}’; bijvoorbeeld "
                                 "Europe/Amsterdam",
                                 f"LOBBY_TIMEZONE: unknown time zone ‘{value}’; for example "
                                 "Europe/Amsterdam") from exc
        return value

    @field_validator("lobby_tk_api_url", "lobby_tk_feed_url")
    @classmethod
    def _web_address(cls, value: str, info: Any) -> str:
        # An empty SyncFeed address means: read changes through OData (README, Den Haag).
        value = value.strip()
        if not value and info.field_name == "lobby_tk_feed_url":
            return value
        field = cls.model_fields[info.field_name]
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
            raise SettingProblem(
                f"{field.alias}: ‘{value[:80]}’ is geen webadres; bijvoorbeeld {field.default}",
                f"{field.alias}: ‘{value[:80]}’ is not a web address; for example {field.default}")
        return value

    @field_validator("lobby_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("nl", "en"):
            raise SettingProblem("LOBBY_LANGUAGE moet nl of en zijn",
                                 "LOBBY_LANGUAGE must be nl or en")
        return value

    @field_validator("lobby_reminder_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3])[:.][0-5]\d", value.strip()):
            raise SettingProblem("LOBBY_REMINDER_TIME moet een tijd zijn zoals 09:00",
                                 "LOBBY_REMINDER_TIME must be a time like 09:00")
        return value.strip().replace(".", ":")

    @field_validator("lobby_working_hours")
    @classmethod
    def _working_hours(cls, value: str) -> str:
        match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-4])[:.]([0-5]\d)\s*",
                             value)
        if not match or (int(match[1]), int(match[2])) >= (int(match[3]), int(match[4])) \
                or (int(match[3]) == 24 and int(match[4]) != 0):
            raise ValueError("LOBBY_WORKING_HOURS must look like 08:00-18:00 (start before end)")
        return f"{int(match[1]):02d}:{match[2]}-{int(match[3]):02d}:{match[4]}"

    @cached_property
    def tz(self) -> ZoneInfo:
        """The team's time zone."""
        return ZoneInfo(self.lobby_timezone)

    @cached_property
    def reminder_time(self) -> time:
        """Local time of day reminders go out."""
        hour, minute = self.lobby_reminder_time.split(":")
        return time(int(hour), int(minute))

    @cached_property
    def working_hours(self) -> tuple[time, time]:
        """(start, end) local: nothing is posted outside them; end 24:00 reads as 23:59."""
        start, end = self.lobby_working_hours.split("-")
        begin = time(int(start[:2]), int(start[3:]))
        finish = time(23, 59) if end == "24:00" else time(int(end[:2]), int(end[3:]))
        return begin, finish

    @cached_property
    def admins(self) -> frozenset[str]:
        """Slack user IDs that are admins by configuration."""
        return frozenset(part.strip() for part in self.lobby_admins.split(",") if part.strip())


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env` (see `env_file`), with explicit overrides (tests,
    demo; `_env_file=None` reads no file)."""
    if "_env_file" not in overrides:
        overrides["_env_file"] = env_file()
    return Settings(**overrides)  # type: ignore[arg-type]


def describe_problems(exc: Exception, lang: str = "nl") -> list[str]:
    """Each wrong setting of a pydantic ValidationError as one sentence in `lang`."""
    lines = []
    for error in getattr(exc, "errors", list)():
        problem = (error.get("ctx") or {}).get("error")
        if isinstance(problem, SettingProblem):
            lines.append(problem.nl if lang == "nl" else problem.en)
            continue
        name = ".".join(map(str, error.get("loc", ()))).upper()
        value = error.get("input")
        lines.append(f"{name}: ‘{value}’ is geen geldige waarde" if lang == "nl"
                     else f"{name}: ‘{value}’ is not a valid value")
    return lines or [str(exc)]
