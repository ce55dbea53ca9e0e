"""Pytest fixtures for the Slack Web API double; load with ``pytest_plugins``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from tests.slack_double import SlackDouble


@pytest.fixture
def slack_double() -> Iterator[SlackDouble]:
    """A started Slack Web API double, stopped after the test."""
    with SlackDouble() as double:
        yield double


@pytest.fixture
def slack_client(slack_double: SlackDouble) -> WebClient:
    """A real ``WebClient`` pointed at ``slack_double``."""
    return WebClient(token=slack_double.token, base_url=slack_double.url)


@pytest.fixture
def make_slack_double() -> Iterator[Callable[..., SlackDouble]]:
    """Start doubles with custom settings (e.g. ``rate_limit_per_channel=1.0``); all stopped after."""
    started: list[SlackDouble] = []

    def make(**kwargs: Any) -> SlackDouble:
        double = SlackDouble(**kwargs).start()
        started.append(double)
        return double

    yield make
    for double in started:
        double.stop()
