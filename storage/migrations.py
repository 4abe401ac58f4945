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


@migrations(name="0033_decision_events")
def m0033_decision_events(db: Database) -> None:
    """Keep each decision's corrections (edit, move, delete, undo, reopen) for the minutes.

    ``decisions.meeting_id`` was nullable from the start: a decision taken in a channel with no
    session is stored with none (« hors session »). A deleted decision keeps its row with status
    ``deleted`` so that the minutes can say who removed it and when.
    """
    _run(
        db,
        """
CREATE TABLE decision_events (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX decision_events_decision ON decision_events (decision_id)
""",
    )


# Now in the storage form of storage.db.iso (UTC, "+00:00"), for rows changed without a time given.
_SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
_MEETING_TRIGGERS = (
    # A new row carries its own "last changed" time: the creation, unless the writer said otherwise.
    f"""CREATE TRIGGER meetings_stamp_insert AFTER INSERT ON meetings
WHEN NEW.updated_at IS NULL
BEGIN
    UPDATE meetings SET updated_at = COALESCE(NEW.rescheduled_at, NEW.created_at, {_SQL_NOW})
    WHERE id = NEW.id;
END""",
    # RFC 5546: calendar clients ignore an update whose SEQUENCE did not grow. Every writer of
    # time, place, title or status gets the bump, including ones written after this migration.
    # The new "last changed" time is the writer's own (updated_at, else rescheduled_at) when it
    # gave one, else the database clock; it never goes back.
    f"""CREATE TRIGGER meetings_sequence_bump AFTER UPDATE OF starts_at, title, place, status ON meetings
WHEN NEW.starts_at IS NOT OLD.starts_at OR NEW.title IS NOT OLD.title
    OR NEW.place IS NOT OLD.place OR NEW.status IS NOT OLD.status
BEGIN
    UPDATE meetings SET
        sequence = max(NEW.sequence, OLD.sequence + 1),
        updated_at = max(COALESCE(OLD.updated_at, ''), CASE
            WHEN NEW.updated_at IS NOT OLD.updated_at THEN NEW.updated_at
            WHEN NEW.rescheduled_at IS NOT OLD.rescheduled_at THEN NEW.rescheduled_at
            ELSE {_SQL_NOW} END)
    WHERE id = NEW.id;
END""",
)


def _touch_parent(name: str, event: str, row: str) -> str:
    """Return a trigger that marks the session of an agenda point as changed (DTSTAMP follows)."""
    return f"""CREATE TRIGGER {name} AFTER {event} ON agenda_points
BEGIN
    UPDATE meetings SET updated_at = max(COALESCE(updated_at, ''), {_SQL_NOW})
    WHERE id = {row}.meeting_id;
END"""


@migrations(name="0034_decisions_channel")
def m0034_decisions_channel(db: Database) -> None:
    """Give every decision the channel it was typed in: one « hors session » has no session to
    say whose it is, and a private channel's decisions are seen only by its members."""
    _run(
        db,
        """
ALTER TABLE decisions ADD COLUMN channel_id TEXT;
UPDATE decisions SET channel_id = (SELECT channel_id FROM meetings WHERE meetings.id = decisions.meeting_id);
CREATE INDEX decisions_channel ON decisions (channel_id)
""",
    )


@migrations(name="0035_meetings_sequence")
def m0035_meetings_sequence(db: Database) -> None:
    """Count changes of a session (iCalendar SEQUENCE) and stamp each one, with triggers.

    Triggers rather than Python: every update path, present or future, bumps ``sequence`` and
    ``updated_at`` without having to remember to. Agenda points touch their session's stamp.
    Trigger bodies hold ";" so they are executed one by one, not through :func:`_run`.
    """
    _run(
        db,
        """
ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN updated_at TEXT;
UPDATE meetings SET updated_at = COALESCE(rescheduled_at, created_at)
""",
    )
    for statement in _MEETING_TRIGGERS:
        db.execute(statement)
    db.execute(_touch_parent("agenda_points_touch_insert", "INSERT", "NEW"))
    db.execute(_touch_parent("agenda_points_touch_delete", "DELETE", "OLD"))
    db.execute(_touch_parent("agenda_points_touch_update_old", "UPDATE", "OLD"))
    db.execute(_touch_parent("agenda_points_touch_update_new", "UPDATE", "NEW"))


@migrations(name="0050_calls")
def m0050_calls(db: Database) -> None:
    """Give items a deadline (set or confirmed by a person) and remember who added a link by hand.

    ``deadline_state`` is '' while nobody decided (the message may propose a detected date),
    'set' once someone confirmed or typed one, 'none' once someone said there is none.
    ``added_by`` lists, space-separated, who added the item's link by hand (first adder first);
    ``link_additions`` keeps each addition with its URL and note.
    """
    _run(
        db,
        """
ALTER TABLE items ADD COLUMN deadline_on TEXT;
ALTER TABLE items ADD COLUMN deadline_state TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN deadline_set_at TEXT;
ALTER TABLE items ADD COLUMN added_by TEXT NOT NULL DEFAULT '';
CREATE INDEX items_deadline ON items (deadline_state, deadline_on);
CREATE TABLE link_additions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id),
    user_id TEXT NOT NULL,
    url TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
CREATE INDEX link_additions_item ON link_additions (item_id)
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


@migrations(name="0060_holders")
def m0060_holders(db: Database) -> None:
    """Project holders the networks advise, their support log, and the items kept for them.

    ``holders_fts`` is kept by ``storage.holders`` (rowid = holder id): name, structure, territory
    and the log's texts, accents folded, so « ecole » finds « École ».
    """
    _run(
        db,
        """
CREATE TABLE holders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    structure TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    territory_key TEXT NOT NULL DEFAULT '',
    network TEXT NOT NULL DEFAULT '',
    referent TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX holders_channel ON holders (channel_id);
CREATE INDEX holders_referent ON holders (referent);
CREATE INDEX holders_territory ON holders (territory_key);
CREATE TABLE holder_actions (
    id INTEGER PRIMARY KEY,
    holder_id INTEGER NOT NULL REFERENCES holders (id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX holder_actions_holder ON holder_actions (holder_id, day);
CREATE INDEX holder_actions_day ON holder_actions (day);
CREATE TABLE holder_items (
    holder_id INTEGER NOT NULL REFERENCES holders (id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES items (id),
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (holder_id, item_id)
);
CREATE INDEX holder_items_item ON holder_items (item_id);
CREATE VIRTUAL TABLE holders_fts USING fts5 (
    name, structure, territory, log, tokenize = 'unicode61 remove_diacritics 2'
)
""",
    )


@migrations(name="0036_calendar_tokens")
def m0036_calendar_tokens(db: Database) -> None:
    """One personal calendar token per person (``/session calendrier``); a new one replaces it.

    The token is kept as issued, so ``/session calendrier`` can show the same address again: it
    opens only what the database file already holds for whoever can read it.
    """
    _run(
        db,
        """
CREATE TABLE calendar_tokens (
    user_id TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
)
""",
    )


def apply_migrations(db: Database) -> None:
    """Bring the schema up to date; safe to call on every start."""
    migrations.apply(db)
