"""Settings from the environment or `.env`; the names are the contract in DESIGN.md."""

from __future__ import annotations

import re
from datetime import time
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///lobby.db"


class Settings(BaseSettings):
    """Every setting Lobbytracker reads; unknown environment variables are ignored."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")
    port: int = Field(3000, alias="PORT", ge=1, le=65535)
    lobby_timezone: str = Field("Europe/Amsterdam", alias="LOBBY_TIMEZONE")
    lobby_language: str = Field("nl", alias="LOBBY_LANGUAGE")
    lobby_default_channel: str | None = Field(None, alias="LOBBY_DEFAULT_CHANNEL")
    lobby_digest_channel: str | None = Field(None, alias="LOBBY_DIGEST_CHANNEL")
    lobby_admins: str = Field("", alias="LOBBY_ADMINS")
    lobby_reminder_time: str = Field("09:00", alias="LOBBY_REMINDER_TIME")
    lobby_working_hours: str = Field("08:00-18:00", alias="LOBBY_WORKING_HOURS")
    lobby_calendar_token: str | None = Field(None, alias="LOBBY_CALENDAR_TOKEN")

    @field_validator("lobby_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("lobby_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("nl", "en"):
            raise ValueError("LOBBY_LANGUAGE must be 'nl' or 'en'")
        return value

    @field_validator("lobby_reminder_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3])[:.][0-5]\d", value.strip()):
            raise ValueError("LOBBY_REMINDER_TIME must look like 09:00")
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
    """Settings from the environment and `.env`, with explicit overrides (tests, demo)."""
    return Settings(**overrides)  # type: ignore[arg-type]
