"""The weekly feed-health section: feeds in error, paused, or silent for 30 days.

A feed is *in error* when its last fetch failed (and it is not paused), *paused* after a 410,
8 failures in a row or a channel Slack refuses, and *silent* when it works but brought no new
entry for 30 days (or none since it was added, 30 days ago or more): often a moved feed.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates import format_date
from bot.core.i18n import has, t
from bot.core.mrkdwn import safe_text
from storage.digest import last_entry_seen_by_feed
from storage.feeds import Feed, list_feeds

SILENT_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class FeedHealth:
    """The feeds worth a look this week."""

    failing: list[Feed] = field(default_factory=list)
    paused: list[Feed] = field(default_factory=list)
    silent: list[tuple[Feed, str | None]] = field(default_factory=list)  # (feed, last entry)

    def __bool__(self) -> bool:
        return bool(self.failing or self.paused or self.silent)


def build_health(db, now: datetime, channels: Collection[str] | None = None) -> FeedHealth:
    """Return the feeds in error, paused, and silent for :data:`SILENT_AFTER`.

    ``channels``: only feeds posting into these (who sees what; None: every feed).
    """
    health = FeedHealth()
    last_seen = last_entry_seen_by_feed(db)
    for feed in list_feeds(db):
        if channels is not None and feed.channel_id not in channels:
            continue
        if feed.paused:
            health.paused.append(feed)
        elif feed.last_error:
            health.failing.append(feed)
        elif _silent(feed, last_seen.get(feed.id), now):
            health.silent.append((feed, last_seen.get(feed.id)))
    return health


def _silent(feed: Feed, last_entry: str | None, now: datetime) -> bool:
    since = last_entry or feed.added_at
    try:
        return datetime.fromisoformat(since) < now - SILENT_AFTER
    except (TypeError, ValueError):
        return False


def _reason(stored: str | None, lang: str) -> str:
    """Return a feed error in plain words, inner parentheses flattened (the line adds its own).

    The feed keeps "server_error:502" when the status is known, the bare code otherwise.
    """
    code, _, status = (stored or "internal").partition(":")
    key = f"watch.error.{code}"
    if has(f"{key}.no_status", lang) and not status:
        key += ".no_status"  # never « (erreur ) »
    text = t(key, lang, status=status) if status else t(key, lang)
    return re.sub(r" \(([^()]*)\)", r", \1", text)


def _day(stamp: str | None, lang: str, zone: ZoneInfo) -> str:
    try:
        return format_date(datetime.fromisoformat(stamp or ""), lang, zone)
    except ValueError:
        return "?"


def health_lines(health: FeedHealth, lang: str, zone: ZoneInfo) -> list[str]:
    """Return one line per feed worth a look (names escaped)."""
    lines = []
    for feed in health.failing:
        since = _day(feed.last_success_at or feed.added_at, lang, zone)
        error = _reason(feed.last_error, lang)
        lines.append(
            t("digest.health.error", lang, feed=safe_text(feed.name, 120), since=since, error=error)
        )
    for feed in health.paused:
        reason = _reason(feed.paused_reason or feed.last_error, lang)
        lines.append(
            t(
                "digest.health.paused",
                lang,
                feed=safe_text(feed.name, 120),
                reason=reason,
                id=feed.id,
            )
        )
    for feed, last_entry in health.silent:
        key = "digest.health.silent" if last_entry else "digest.health.silent_never"
        since = _day(last_entry or feed.added_at, lang, zone)
        lines.append(t(key, lang, feed=safe_text(feed.name, 120), since=since))
    return ["• " + line for line in lines]
