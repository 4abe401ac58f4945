"""Block Kit rendering: pure functions from domain objects to Slack message payloads."""
