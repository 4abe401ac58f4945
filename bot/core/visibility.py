"""Who sees what: everything stored belongs to the channel it was posted or typed in.

A public channel's content is visible to every member of the workspace; a private channel's
(or a direct message's, or a multi-person DM's) only to its members. Slack decides, through the
:class:`Directory` port (``conversations.info`` and ``conversations.members``); answers are
cached for at most :data:`TTL` seconds and dropped when Slack says membership or privacy
changed (``handlers/events.py``). When Slack cannot be asked (rate limit, outage) private content
is denied and the person is told to retry; public content is still shown. A channel whose type
Slack does not tell (``channel_not_found``: the bot is not in that private channel) is private.
Content with no channel (``''``: typed at the command line) is public.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.messenger import MessengerError

TTL = 300.0  # seconds: Slack's membership changes reach us through events; this bounds a miss
DOWN_FOR = 5.0  # seconds without asking again after a failed look-up (Retry-After if longer)
_ATTRIBUTE = "_veilleur_visibility"
_REGISTRY_LOCK = threading.Lock()


class Directory(Protocol):
    """What the rule needs from Slack: a channel's kind, and who is in it."""

    def conversation_info(self, channel: str) -> dict[str, bool]: ...

    def channel_members(self, channel: str) -> frozenset[str]: ...


class Unavailable(Exception):
    """Slack could not be asked (rate limit, outage): private content stays hidden."""


@dataclass(frozen=True)
class ChannelKind:
    """Whether a channel's content is restricted to its members, and whether the bot is in it."""

    private: bool
    bot_member: bool = True
    found: bool = True


PUBLIC = ChannelKind(private=False)
UNKNOWN = ChannelKind(private=True, bot_member=False, found=False)


@dataclass(frozen=True)
class Sight:
    """The channels whose content one person may see (``None``: every channel)."""

    channels: frozenset[str] | None
    unsure: bool = False

    def allows(self, channel: str) -> bool:
        """Tell whether content of ``channel`` may be shown."""
        return self.channels is None or channel in self.channels

    def both(self, other: Sight) -> Sight:
        """Return what both sights allow."""
        if self.channels is None or other.channels is None:
            channels = other.channels if self.channels is None else self.channels
        else:
            channels = self.channels & other.channels
        return Sight(channels, self.unsure or other.unsure)


class Visibility:
    """Answer "may this person see this channel's content?" from briefly cached Slack answers."""

    def __init__(
        self, directory: Directory, clock: Callable[[], float] = time.monotonic, ttl: float = TTL
    ):
        self.directory = directory
        self.clock = clock
        self.ttl = ttl
        self._lock = threading.Lock()
        self._kinds: dict[str, tuple[float, ChannelKind]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._down_until: dict[str, float] = {}

    # -- Slack answers, cached -----------------------------------------------------------
    def kind(self, channel: str) -> ChannelKind:
        """Return whether ``channel`` is private; raise Unavailable when Slack cannot say."""
        if not channel:
            return PUBLIC
        cached = self._cached(self._kinds, channel)
        if cached is not None:
            return cached
        info = self._ask("info", lambda: self.directory.conversation_info(channel))
        if info is None:
            found = UNKNOWN
        else:
            private = bool(info.get("is_private") or info.get("is_im") or info.get("is_mpim"))
            known = "is_private" in info or "is_im" in info or "is_mpim" in info
            found = ChannelKind(private or not known, bool(info.get("is_member", True)))
        self._store(self._kinds, channel, found)
        return found

    def members(self, channel: str) -> frozenset[str]:
        """Return who is in ``channel``; raise Unavailable when Slack cannot say."""
        cached = self._cached(self._members, channel)
        if cached is not None:
            return cached
        found = self._ask("members", lambda: self.directory.channel_members(channel))
        found = found or frozenset()
        self._store(self._members, channel, frozenset(found))
        return frozenset(found)

    def _ask(self, method: str, call: Callable[[], Any]) -> Any:
        """Call Slack unless ``method`` failed a moment ago; None: Slack does not know the channel.

        Each method backs off alone: a rate-limited members call must not hide public channels.
        """
        with self._lock:
            if self.clock() < self._down_until.get(method, 0.0):
                raise Unavailable("Slack failed a moment ago")
        try:
            return call()
        except MessengerError as error:
            if error.is_transient:
                with self._lock:
                    pause = max(DOWN_FOR, error.retry_after or 0.0)
                    self._down_until[method] = self.clock() + pause
                raise Unavailable(error.code) from error
            return None  # channel_not_found and the like: nothing to show from there

    def _cached(self, table: dict[str, tuple[float, Any]], channel: str) -> Any:
        with self._lock:
            entry = table.get(channel)
            if entry and self.clock() - entry[0] < self.ttl:
                return entry[1]
        return None

    def _store(self, table: dict[str, tuple[float, Any]], channel: str, value: Any) -> None:
        with self._lock:
            table[channel] = (self.clock(), value)

    def forget(self, channel: str | None = None) -> None:
        """Drop what is known of ``channel`` (of every channel when None)."""
        with self._lock:
            if channel is None:
                self._kinds.clear()
                self._members.clear()
            else:
                self._kinds.pop(channel, None)
                self._members.pop(channel, None)

    @property
    def degraded(self) -> bool:
        """Tell whether Slack failed a moment ago (private content is hidden meanwhile)."""
        with self._lock:
            return any(self.clock() < until for until in self._down_until.values())

    # -- the rule ------------------------------------------------------------------------
    def can_see(self, user: str, channel: str) -> bool:
        """Tell whether ``user`` may see content of ``channel`` (denied when Slack is unsure)."""
        try:
            return self.can_see_or_raise(user, channel)
        except Unavailable:
            return False

    def visible_channels(self, user: str, channels: Iterable[str]) -> Sight:
        """Return which of ``channels`` ``user`` may see; None when nothing is hidden."""
        seen: set[str] = set()
        hidden = unsure = False
        for channel in set(channels):
            try:
                allowed = self.can_see_or_raise(user, channel)
            except Unavailable:
                allowed, unsure = False, True
            if allowed:
                seen.add(channel)
            else:
                hidden = True
        return Sight(frozenset(seen) if hidden else None, unsure)

    def can_see_or_raise(self, user: str, channel: str) -> bool:
        """Like :meth:`can_see`, but raise Unavailable when Slack cannot be asked."""
        kind = self.kind(channel)
        return not kind.private or (kind.found and user in self.members(channel))

    def shared_channels(self, channel: str, channels: Iterable[str]) -> Sight:
        """Return what every member of ``channel`` may see: public channels, plus ``channel``."""
        seen: set[str] = {channel}
        hidden = unsure = False
        for other in set(channels) - {channel}:
            try:
                public = not self.kind(other).private
            except Unavailable:
                public, unsure = False, True
            if public:
                seen.add(other)
            else:
                hidden = True
        return Sight(frozenset(seen) if hidden else None, unsure)

    def member_problem(self, user: str, channel: str) -> str | None:
        """Return why ``user`` may not manage content of ``channel`` (a message key), or None."""
        try:
            kind = self.kind(channel)
            if not kind.found or (kind.private and not kind.bot_member):
                return "visibility.bot_not_in_channel"
            if kind.private and user not in self.members(channel):
                return "visibility.not_member"
        except Unavailable:
            return "visibility.retry"
        return None

    def public_channels(self, channels: Iterable[str]) -> Sight:
        """Return the public ones of ``channels`` (what a shared link may show)."""
        sight = self.shared_channels("", channels)
        return Sight(sight.channels, sight.unsure)


class _Viewer:
    """The sight of whoever a read is for: given (the App Home's) or made on first use (a command's)."""

    def __init__(self, make: Callable[[], Sight | None]):
        self._make = make
        self._made = False
        self._sight: Sight | None = None

    def channels(self) -> frozenset[str] | None:
        if not self._made:  # most commands never ask: no Slack call, no query for them
            self._sight, self._made = self._make(), True
        return None if self._sight is None else self._sight.channels


_VIEWER: ContextVar[_Viewer | None] = ContextVar("veilleur_viewer", default=None)


@contextmanager
def viewing(sight: Sight | None) -> Iterator[None]:
    """Let the App Home parts built inside know what their viewer may see."""
    with viewing_lazily(lambda: sight):
        yield


@contextmanager
def viewing_lazily(make: Callable[[], Sight | None]) -> Iterator[None]:
    """Let reads inside learn what their viewer may see, asking ``make`` only if one asks."""
    token = _VIEWER.set(_Viewer(make))
    try:
        yield
    finally:
        _VIEWER.reset(token)


def viewer_channels() -> frozenset[str] | None:
    """Return the channels the current viewer may see (None: every channel, or no viewer).

    Set around an App Home build and around every slash command (``bot/core/router.py``), so a
    read shared by both (the coming deadlines) follows the rule without being handed the person.
    """
    viewer = _VIEWER.get()
    return None if viewer is None else viewer.channels()


def visibility_of(port: Any) -> Visibility:
    """Return the one Visibility (and cache) of a Slack connection, made on first use.

    It rides on the messenger itself, so every listener, command and job that holds the port
    shares one cache without new plumbing; a test's fresh messenger starts with an empty cache.
    """
    found = getattr(port, _ATTRIBUTE, None)
    if found is None:
        with _REGISTRY_LOCK:
            found = getattr(port, _ATTRIBUTE, None)
            if found is None:
                found = Visibility(port)
                object.__setattr__(port, _ATTRIBUTE, found)
    return found
