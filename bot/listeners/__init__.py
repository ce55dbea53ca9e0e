"""Listeners, one module per Slack surface; each has `register(app)`."""

from __future__ import annotations

from slack_bolt import App


def register_listeners(app: App) -> None:
    """Register every listener: slash commands, buttons, modals and events."""
    from bot.listeners import actions, commands, events, views

    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
