"""SQLite storage: connections, migrations and queries (no Slack here)."""
