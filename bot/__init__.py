"""Slack adapter: the Bolt app, listeners, Block Kit renderers and the Slack notifier."""
