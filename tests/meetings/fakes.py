"""A recording stand-in for the Messenger port, with scripted failures."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from bot.messenger import MessengerError


@dataclass
class RecordingMessenger:
    """Record posts and DMs; raise the scripted ``MessengerError``s first."""

    failures: list[MessengerError] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    dms: list[dict] = field(default_factory=list)
    lookups: list[dict] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    def post(self, channel, text, blocks=None, *, thread_ts=None, metadata=None) -> str:
        with self._lock:
            self._maybe_fail()
            ts = f"1800000000.{next(self._ts):06d}"
            self.posts.append(
                {"channel": channel, "text": text, "blocks": blocks, "metadata": metadata, "ts": ts}
            )
            return ts

    def update(self, channel, ts, text, blocks=None) -> None:
        return None

    def ephemeral(self, channel, user, text, blocks=None) -> None:
        return None

    def direct_message(self, user, text, blocks=None) -> str:
        with self._lock:
            self._maybe_fail()
            self.dms.append({"user": user, "text": text})
            return f"1800000000.{next(self._ts):06d}"

    def join(self, channel) -> None:
        return None

    def find_message_by_metadata(self, channel, event_type, key, value, oldest):
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
        return None

    def open_modal(self, trigger_id, view) -> None:
        return None
