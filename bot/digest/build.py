"""The weekly digest: what the watch did in the last days and what is coming up.

:func:`build_digest` reads the database into a :class:`Digest` (plain values, no Slack);
``bot/render/digest.py`` turns it into Block Kit and ``bot/newsletter.py`` turns the items kept
"pour la lettre" into Markdown or HTML for whoever writes the networks' newsletter.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.calls.deadlines import coming_deadlines
from bot.core.visibility import Sight
from bot.digest.health import FeedHealth, build_health
from bot.items.states import ItemStatus
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.db import iso
from storage.decisions import Decision
from storage.digest import (
    count_claims_by_owner,
    list_flagged_items,
    list_items_changed,
    list_new_items,
)
from storage.items import Item, Source, list_sources
from storage.meetings import Meeting
from storage.notes import Note, list_notes

WINDOW = timedelta(days=7)
DEADLINE_DAYS = 14


@dataclass(frozen=True)
class Digest:
    """The last window from ``since`` to ``until`` of the watch, and the next seven days of meetings."""

    since: datetime
    until: datetime
    new: list[Item]
    done: list[Item]
    dismissed: list[Item]
    free: list[Item]
    claims: list[tuple[str, int]]
    flagged: list[Item]
    sessions: list[Meeting]
    decisions: list[Decision]
    deadlines: tuple[Item, ...] = ()  # calls closing in the next two weeks
    health: FeedHealth = field(default_factory=FeedHealth)

    def has_news(self) -> bool:
        """Tell whether there is anything to say (else the weekly post is skipped)."""
        return any(
            (self.new, self.done, self.dismissed, self.claims, self.flagged, self.sessions,
             self.decisions, self.deadlines, self.health)
        )  # fmt: skip


@dataclass(frozen=True)
class NewsletterEntry:
    """One item kept for the newsletter, with where it was seen and the notes left on it."""

    item: Item
    sources: list[Source]
    notes: list[Note]


def build_digest(
    db: Database, now: datetime, tz: str | ZoneInfo = "Europe/Paris", days: int = 7,
    sight: Sight | None = None,
) -> Digest:  # fmt: skip
    """Collect the digest of the ``days`` days before ``now`` and the 7 days after it.

    With ``sight``, only content of the channels it allows (bot/core/visibility).
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    since, until = now - timedelta(days=days), now
    start, end = iso(since), iso(until)
    sight = sight or Sight(None)
    seen = sight.allows
    new = [i for i in list_new_items(db, start, end) if seen(i.channel_id)]
    return Digest(
        since=since,
        until=until,
        new=new,
        done=_of(sight, list_items_changed(db, ItemStatus.DONE, ItemStatus.DONE, start, end)),
        dismissed=_of(
            sight, list_items_changed(db, ItemStatus.DISMISSED, ItemStatus.DISMISSED, start, end)
        ),
        free=[item for item in new if item.status == ItemStatus.OPEN],
        claims=count_claims_by_owner(db, sight.channels),
        flagged=_of(sight, list_flagged_items(db, start, end)),
        sessions=[m for m in upcoming_sessions(db, now) if seen(m.channel_id)],
        decisions=decisions_due(db, now, zone, sight.channels),
        deadlines=tuple(_of(sight, coming_deadlines(db, now, zone, DEADLINE_DAYS))),
        health=build_health(db, now, sight.channels),
    )


def _of(sight: Sight, items: list[Item]) -> list[Item]:
    """Keep the items of channels ``sight`` allows."""
    return [item for item in items if sight.allows(item.channel_id)]


def upcoming_sessions(db: Database, now: datetime) -> list[Meeting]:
    """Return the sessions (not cancelled) starting within the week after ``now``."""
    return [m for m in meeting_store.list_scheduled_since(db, now) if m.starts_at < now + WINDOW]


def decisions_due(
    db: Database, now: datetime, zone: ZoneInfo, channels: Collection[str] | None = None
) -> list[Decision]:
    """Return the open decisions due by a week from today, overdue ones included."""
    last_day = (now.astimezone(zone) + WINDOW).date()
    found = [
        d
        for d in decision_store.list_decisions(db, status="open", channels=channels)
        if d.due_date is not None and d.due_date <= last_day
    ]
    return sorted(found, key=lambda d: (d.due_date, d.id))


def newsletter_entries(db: Database, now: datetime, days: int = 7) -> list[NewsletterEntry]:
    """Return the items flagged for the newsletter in the ``days`` days before ``now``."""
    return newsletter_entries_between(db, now - timedelta(days=days), now)


def newsletter_entries_between(
    db: Database, since: datetime, until: datetime, sight: Sight | None = None
) -> list[NewsletterEntry]:
    """Return the items flagged for the newsletter from ``since`` to ``until``, oldest flag first.

    ``sight``: only items of the channels it allows (None: all, for the command line).
    """
    items = list_flagged_items(db, iso(since), iso(until))
    if sight is not None:
        items = _of(sight, items)
    return [NewsletterEntry(i, list_sources(db, i.id), list_notes(db, i.id)) for i in items]


def note_authors(entries: list[NewsletterEntry]) -> list[str]:
    """Return the authors of the entries' notes, each once (whose names the export shows)."""
    return list(dict.fromkeys(note.author for entry in entries for note in entry.notes))
