"""Listeners, one module per Slack surface; each has `register(app)`."""

from __future__ import annotations

from slack_bolt import App


def register_listeners(app: App) -> None:
    """Register every listener: slash commands, buttons, modals, events and option loaders."""
    from bot.listeners import actions, commands, events, kamer, options, views

    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
    options.register(app)
    kamer.register(app)
