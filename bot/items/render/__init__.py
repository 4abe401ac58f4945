"""Block Kit for items: pure functions from storage rows to Slack payloads."""
