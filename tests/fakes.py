"""A recording stand-in for the Messenger port, shared by the tests of bot/ code."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from bot.core.messenger import MessengerError


@dataclass
class RecordingMessenger:
    """Record every call; raise scripted failures first.

    ``calls`` holds every call as a tuple (``updates()`` picks the chat.update ones); ``posts``,
    ``dms`` and ``lookups`` hold posts, direct messages and history look-ups as dicts.
    ``failures`` are raised in order by ``post`` and ``direct_message``; ``fail_update`` by
    every ``update``. Posts get increasing ts values and can be found again by their metadata.
    """

    failures: list[MessengerError] = field(default_factory=list)
    fail_update: Exception | None = None
    calls: list[tuple] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    dms: list[dict] = field(default_factory=list)
    lookups: list[dict] = field(default_factory=list)
    private: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    def _next_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    def post(self, channel, text, blocks=None, *, thread_ts=None, metadata=None) -> str:
        with self._lock:
            self.calls.append(("post", channel, text, blocks, thread_ts))
            self._maybe_fail()
            ts = self._next_ts()
            self.posts.append(
                {"channel": channel, "text": text, "blocks": blocks, "metadata": metadata, "ts": ts}
            )
            return ts

    def update(self, channel, ts, text, blocks=None) -> None:
        self.calls.append(("update", channel, ts, text, blocks))
        if self.fail_update:
            raise self.fail_update

    def ephemeral(self, channel, user, text, blocks=None) -> None:
        self.calls.append(("ephemeral", channel, user, text, blocks))

    def direct_message(self, user, text, blocks=None) -> str:
        with self._lock:
            self.calls.append(("direct_message", user, text, blocks))
            self._maybe_fail()
            self.dms.append({"user": user, "text": text})
            return self._next_ts()

    def join(self, channel) -> None:
        self.calls.append(("join", channel))

    def find_message_by_metadata(self, channel, event_type, key, value, oldest=None):
        with self._lock:
            self.lookups.append({"channel": channel, "value": value})
            for post in self.posts:
                meta = post["metadata"] or {}
                if (
                    post["channel"] == channel
                    and meta.get("event_type") == event_type
                    and meta.get("event_payload", {}).get(key) == value
                ):
                    return post["ts"]
            return None

    def publish_home(self, user, view) -> None:
        self.calls.append(("publish_home", user, view))

    def open_modal(self, trigger_id, view) -> None:
        self.calls.append(("open_modal", trigger_id, view))

    def conversation_info(self, channel) -> dict[str, bool]:
        """Every channel is public unless the test lists it in ``private`` (channel → members)."""
        return {"is_private": channel in self.private, "is_member": True}

    def channel_members(self, channel) -> frozenset[str]:
        return frozenset(self.private.get(channel, ()))

    def user_name(self, user_id) -> str | None:
        self.calls.append(("user_name", user_id))
        return self.names.get(user_id)

    def updates(self) -> list[tuple]:
        """Return the chat.update calls, oldest first."""
        return [call for call in self.calls if call[0] == "update"]
