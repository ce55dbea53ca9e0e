"""Den Haag: the Tweede Kamer open-data adapter (client → sync → match), Slack-free."""
