"""Numbered schema migrations, applied at start-up (sqlite-utils ``Migrations``).

Each migration runs in a transaction with the record of it being applied, so a failure rolls
back and leaves it pending. Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("veilleur")


def _run(db: Database, statements: str) -> None:
    """Execute ``;``-separated DDL one statement at a time (executescript would commit)."""
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    _run(
        db,
        """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_polled_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    entry_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (canonical_url, channel_id)
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    channel_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    link TEXT,
    canonical_url TEXT,
    title_key TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    first_seen_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    owner TEXT,
    newsletter INTEGER NOT NULL DEFAULT 0,
    post_state TEXT NOT NULL DEFAULT 'pending',
    post_attempts INTEGER NOT NULL DEFAULT 0,
    message_ts TEXT,
    thread_parent_ts TEXT
);
CREATE INDEX items_channel_url ON items (channel_id, canonical_url);
CREATE INDEX items_channel_title ON items (channel_id, title_key, first_seen_at);
CREATE INDEX items_message ON items (channel_id, message_ts);
CREATE INDEX items_post_state ON items (post_state);
CREATE TABLE item_sources (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    entry_key TEXT NOT NULL,
    link TEXT,
    seen_at TEXT NOT NULL,
    UNIQUE (feed_id, entry_key)
);
CREATE INDEX item_sources_item ON item_sources (item_id);
CREATE TABLE seen_entries (
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    entry_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    message_ts TEXT UNIQUE,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notes_item ON notes (item_id);
CREATE TABLE item_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX item_events_item ON item_events (item_id);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    reminder_offsets TEXT NOT NULL DEFAULT '7d 1d 1h',
    announced_ts TEXT
);
CREATE INDEX meetings_starts ON meetings (starts_at);
CREATE TABLE agenda_points (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (meeting_id, position)
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meetings (id),
    text TEXT NOT NULL,
    owner TEXT,
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    done_at TEXT,
    done_by TEXT,
    idempotency_key TEXT UNIQUE
);
CREATE INDEX decisions_meeting ON decisions (meeting_id);
CREATE TABLE reminders_sent (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    offset_key TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sending',
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at TEXT,
    sent_at TEXT,
    detail TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, ref_id, offset_key, due_at)
);
CREATE TABLE slack_events_seen (
    event_key TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, summary, notes, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE decisions_fts USING fts5 (
    text, tokenize = 'unicode61 remove_diacritics 2'
)
""",
    )


@migrations(name="0002_app_state")
def m0002_app_state(db: Database) -> None:
    db.execute(
        "CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )


@migrations(name="0010_watch_feed_state")
def m0010_watch_feed_state(db: Database) -> None:
    """Soft removal of feeds (their sources stay on items) and the once-only pause notice."""
    _run(
        db,
        """
ALTER TABLE feeds ADD COLUMN removed_at TEXT;
ALTER TABLE feeds ADD COLUMN pause_notified INTEGER NOT NULL DEFAULT 0;
CREATE INDEX feeds_due ON feeds (paused, next_poll_at)
""",
    )


@migrations(name="0020_items_claims")
def m0020_items_claims(db: Database) -> None:
    """Index the lists (libres / miennes / lettre) and remember the latest reaction per person.

    ``reaction_marks`` keeps, for each (item, user, reaction), the Slack ``event_ts`` of the latest
    reaction event applied and whether the reaction is present, so that a stale event delivered
    out of order (``reaction_removed`` before ``reaction_added``) is recognised and ignored.
    """
    _run(
        db,
        """
CREATE INDEX items_status_seen ON items (status, first_seen_at);
CREATE INDEX items_owner_status_seen ON items (owner, status, first_seen_at);
CREATE INDEX items_newsletter_seen ON items (newsletter, first_seen_at);
CREATE INDEX items_seen ON items (first_seen_at);
CREATE TABLE reaction_marks (
    item_id INTEGER NOT NULL REFERENCES items (id),
    user_id TEXT NOT NULL,
    reaction TEXT NOT NULL,
    event_ts TEXT NOT NULL,
    present INTEGER NOT NULL,
    PRIMARY KEY (item_id, user_id, reaction)
)
""",
    )


@migrations(name="0030_meetings_reminders")
def m0030_meetings_reminders(db: Database) -> None:
    """Remember when a session's time was last set, and when a failed reminder may retry."""
    _run(
        db,
        """
ALTER TABLE meetings ADD COLUMN rescheduled_at TEXT;
ALTER TABLE reminders_sent ADD COLUMN retry_at TEXT;
ALTER TABLE reminders_sent ADD COLUMN message_ts TEXT;
CREATE INDEX reminders_sent_status ON reminders_sent (status)
""",
    )


@migrations(name="0031_meetings_idempotency")
def m0031_meetings_idempotency(db: Database) -> None:
    """Let a double-submitted session modal create one session (M1)."""
    _run(
        db,
        """
ALTER TABLE meetings ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX meetings_idempotency ON meetings (idempotency_key)
""",
    )


@migrations(name="0032_people")
def m0032_people(db: Database) -> None:
    """Remember the names Slack gives people, so text that leaves Slack shows names, not IDs."""
    _run(
        db,
        """
CREATE TABLE people (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
""",
    )


@migrations(name="0056_item_sources_shown")
def m0056_item_sources_shown(db: Database) -> None:
    """Count the sources an item's message shows, so a new « vu dans » is posted at once."""
    _run(
        db,
        """
ALTER TABLE items ADD COLUMN sources_shown INTEGER NOT NULL DEFAULT 0;
UPDATE items SET sources_shown = (
    SELECT COUNT(*) FROM item_sources WHERE item_sources.item_id = items.id
)
""",
    )


def apply_migrations(db: Database) -> None:
    """Bring the schema up to date; safe to call on every start."""
    migrations.apply(db)
