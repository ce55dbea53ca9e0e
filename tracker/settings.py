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
    lobby_calendar_token: str | None = Field(None, alias="LOBBY_CALENDAR_TOKEN")
    lobby_tk_api_url: str = Field("https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/",
                                  alias="LOBBY_TK_API_URL")
    lobby_tk_feed_url: str = Field("https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed",
                                   alias="LOBBY_TK_FEED_URL")
    lobby_tk_poll_minutes: int = Field(30, alias="LOBBY_TK_POLL_MINUTES", ge=0, le=24 * 60)

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
    def admins(self) -> frozenset[str]:
        """Slack user IDs that are admins by configuration."""
        return frozenset(part.strip() for part in self.lobby_admins.split(",") if part.strip())


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with explicit overrides (tests, demo)."""
    return Settings(**overrides)  # type: ignore[arg-type]
