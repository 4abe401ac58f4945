"""The Slack-free port to Slack's Web API; handlers/ holds the implementation over slack_sdk."""

from __future__ import annotations

from typing import Any, Protocol


class MessengerError(Exception):
    """A Web API call failed; ``code`` is Slack's error string ("ratelimited", "http_500"...)."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


class Messenger(Protocol):
    """What the domain needs from Slack."""

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict] | None = None,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Post a message and return its ts."""

    def update(self, channel: str, ts: str, text: str, blocks: list[dict] | None = None) -> None:
        """Replace a message's text and blocks."""

    def ephemeral(
        self, channel: str, user: str, text: str, blocks: list[dict] | None = None
    ) -> None:
        """Show a message to one person in a channel."""

    def direct_message(self, user: str, text: str, blocks: list[dict] | None = None) -> str:
        """Send a direct message and return its ts."""

    def join(self, channel: str) -> None:
        """Join a public channel."""

    def find_message_by_metadata(
        self, channel: str, event_type: str, key: str, value: str, oldest: str
    ) -> str | None:
        """Return the ts of a message in the channel's history carrying this metadata."""

    def publish_home(self, user: str, view: dict) -> None:
        """Publish the App Home view of a user."""

    def open_modal(self, trigger_id: str, view: dict) -> None:
        """Open a modal."""
