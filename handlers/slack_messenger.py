"""The :class:`bot.core.messenger.Messenger` port implemented with slack_sdk's WebClient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.messenger import AUTH_ERRORS, MessengerError

CHANNEL_FLAGS = ("is_private", "is_im", "is_mpim", "is_member")
LOOKUP_TIMEOUT = 3  # seconds: a look-up runs before an answer the person waits for
MEMBER_PAGE = 1000
MAX_MEMBER_PAGES = 50


def _translate(call: Callable[[], Any]) -> Any:
    """Run a Web API call, turning every failure into a MessengerError with Slack's code."""
    try:
        return call()
    except SlackApiError as error:
        response = error.response
        status = getattr(response, "status_code", 200)
        data = response.data if isinstance(getattr(response, "data", None), dict) else {}
        if status == 429:
            retry = response.headers.get("Retry-After") or response.headers.get("retry-after")
            if isinstance(retry, list):
                retry = retry[0]
            raise MessengerError("ratelimited", float(retry) if retry else None) from error
        if status >= 500 or not data:
            raise MessengerError(f"http_{status}") from error
        code = str(data.get("error", "unknown_error"))
        if code.startswith("Received a response in a non-JSON format"):
            # slack_sdk puts its own sentence in "error" for a non-JSON body (a proxy's page).
            raise MessengerError("invalid_response") from error
        raise MessengerError(code) from error
    except (SlackClientError, OSError) as error:
        raise MessengerError("connection_error") from error


class SlackMessenger:
    """Talk to Slack through a WebClient (its base URL comes from SLACK_API_URL)."""

    def __init__(self, client: WebClient, on_auth_error: Callable[[str], None] | None = None):
        self.client = client
        self.on_auth_error = on_auth_error
        self._lookups: WebClient | None = None

    def _call(self, call: Callable[[], Any]) -> Any:
        """Translate failures; report a revoked or invalid token once to ``on_auth_error``."""
        try:
            return _translate(call)
        except MessengerError as error:
            if error.code in AUTH_ERRORS and self.on_auth_error:
                self.on_auth_error(error.code)
            raise

    def auth_ok(self) -> bool:
        """Tell whether Slack accepts our token (one auth.test call)."""
        try:
            return bool(_translate(self.client.auth_test).get("ok"))
        except MessengerError:
            return False

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict] | None = None,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        response = self._call(
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                metadata=metadata,
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        return str(response["ts"])

    def update(self, channel: str, ts: str, text: str, blocks: list[dict] | None = None) -> None:
        self._call(
            lambda: self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        )

    def ephemeral(
        self, channel: str, user: str, text: str, blocks: list[dict] | None = None
    ) -> None:
        self._call(
            lambda: self.client.chat_postEphemeral(
                channel=channel, user=user, text=text, blocks=blocks
            )
        )

    def direct_message(self, user: str, text: str, blocks: list[dict] | None = None) -> str:
        opened = self._call(lambda: self.client.conversations_open(users=user))
        return self.post(opened["channel"]["id"], text, blocks)

    def join(self, channel: str) -> None:
        self._call(lambda: self.client.conversations_join(channel=channel))

    def find_message_by_metadata(
        self, channel: str, event_type: str, key: str, value: str, oldest: str | None = None
    ) -> str | None:
        response = self._call(
            lambda: self.client.conversations_history(
                channel=channel, oldest=oldest or "0", limit=200, include_all_metadata=True
            )
        )
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == event_type and str(payload.get(key)) == str(value):
                return str(message["ts"])
        return None

    def publish_home(self, user: str, view: dict) -> None:
        self._call(lambda: self.client.views_publish(user_id=user, view=view))

    def user_name(self, user_id: str) -> str | None:
        user = self._call(lambda: self.client.users_info(user=user_id)).get("user") or {}
        profile = user.get("profile") or {}
        # The name people chose to be called first, as Slack itself shows it.
        for name in (profile.get("display_name"), profile.get("real_name"), user.get("real_name")):
            if isinstance(name, str) and name.strip():
                return name.strip()
        name = user.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None

    def open_modal(self, trigger_id: str, view: dict) -> None:
        self._call(lambda: self.client.views_open(trigger_id=trigger_id, view=view))

    @property
    def lookups(self) -> WebClient:
        """A client that never waits out a 429: a visibility look-up denies and says retry."""
        if self._lookups is None:
            self._lookups = WebClient(
                token=self.client.token, base_url=self.client.base_url, timeout=LOOKUP_TIMEOUT
            )
            self._lookups.retry_handlers = []
        return self._lookups

    def conversation_info(self, channel: str) -> dict[str, bool]:
        response = self._call(lambda: self.lookups.conversations_info(channel=channel))
        found = response.get("channel") or {}
        return {key: bool(found[key]) for key in CHANNEL_FLAGS if key in found}

    def channel_members(self, channel: str) -> frozenset[str]:
        members: set[str] = set()
        cursor = None
        for _ in range(MAX_MEMBER_PAGES):  # bounded: a workspace-wide channel is a few pages
            response = self._call(
                lambda cursor=cursor: self.lookups.conversations_members(
                    channel=channel, limit=MEMBER_PAGE, cursor=cursor
                )
            )
            members.update(response.get("members") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return frozenset(members)
