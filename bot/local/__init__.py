"""Development stand-ins: the local shell, a local Slack Web API, demo data."""
