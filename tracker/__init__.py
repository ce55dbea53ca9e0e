"""Lobbytracker domain: dossiers, deadlines, programmes, reminders and digests (Slack-free)."""
