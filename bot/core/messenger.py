"""The Slack-free port through which domain code talks to Slack's Web API.

``handlers/slack_messenger.py`` implements it with the Slack SDK's WebClient; tests of ``bot/`` use
a recording fake. Failures raise :class:`MessengerError` with Slack's error string as ``code``.
"""

from __future__ import annotations

from typing import Any, Protocol

PERMANENT_CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# Slack refuses these for good: retrying cannot help. Auth errors (token revoked) are retried:
# the scheduler pauses jobs until a re-install, then the late/skip policy applies.
PERMANENT_ERRORS = PERMANENT_CHANNEL_ERRORS | {
    "user_not_found", "cannot_dm_bot", "msg_too_long", "no_text", "invalid_blocks",
}  # fmt: skip
AUTH_ERRORS = frozenset({"token_revoked", "invalid_auth", "account_inactive", "not_authed"})
# Worth retrying: rate limits, Slack-side trouble, network errors; plus any ``http_<status>``
# (a non-JSON answer from Slack or a proxy in front of it).
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "timeout", "connection_error", "fatal_error", "internal_error"}
    | {"service_unavailable", "request_timeout", "invalid_response"}
)


def is_transient(code: str) -> bool:
    """Tell whether a Slack error is worth retrying (rate limit, 5xx, network, non-JSON)."""
    return code in TRANSIENT_ERRORS or code.startswith("http_")


class MessengerError(Exception):
    """A Web API call failed; ``code`` is Slack's error (``ratelimited``, ``http_500``…)."""

    def __init__(self, code: str, retry_after: float | None = None):
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after

    @property
    def is_transient(self) -> bool:
        """Worth retrying later: rate limits, server errors, network trouble."""
        return is_transient(self.code)


class Messenger(Protocol):
    """What the bot needs from Slack, in domain terms."""

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict] | None = None,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str: ...

    def update(
        self, channel: str, ts: str, text: str, blocks: list[dict] | None = None
    ) -> None: ...

    def ephemeral(
        self, channel: str, user: str, text: str, blocks: list[dict] | None = None
    ) -> None: ...

    def direct_message(self, user: str, text: str, blocks: list[dict] | None = None) -> str: ...

    def join(self, channel: str) -> None: ...

    def find_message_by_metadata(
        self, channel: str, event_type: str, key: str, value: str, oldest: str | None = None
    ) -> str | None: ...

    def publish_home(self, user: str, view: dict) -> None: ...

    def open_modal(self, trigger_id: str, view: dict) -> None: ...

    def conversation_info(self, channel: str) -> dict[str, bool]:
        """Return ``is_private``, ``is_im``, ``is_mpim`` and ``is_member`` (the bot's) of a channel."""
        ...

    def channel_members(self, channel: str) -> frozenset[str]:
        """Return the user ids of every member of ``channel`` (all pages)."""
        ...

    def user_name(self, user_id: str) -> str | None:
        """Return the name Slack shows for ``user_id`` (``users.info``), None if it has none."""
        ...


def post_joining(
    messenger: Messenger,
    channel: str,
    text: str,
    blocks: list[dict] | None = None,
    *,
    metadata: dict[str, Any] | None = None,
) -> str:
    """Post, joining the channel first if Slack says the bot is not in it yet.

    Only public channels can be joined (``channels:join``); for a private one the second post
    raises ``not_in_channel`` again, which the caller reports as "invite @Veilleur".
    """
    try:
        return messenger.post(channel, text, blocks, metadata=metadata)
    except MessengerError as error:
        if error.code != "not_in_channel":
            raise
    messenger.join(channel)
    return messenger.post(channel, text, blocks, metadata=metadata)
