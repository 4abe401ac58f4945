"""A database seeded with one week of the watch: items, their history, sessions and decisions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.job import week_key
from bot.items.states import ItemStatus
from storage import claims, decisions, meetings, notes, people, reminders
from storage.db import connect, iso
from storage.feeds import add_feed
from tests.fakes import RecordingMessenger

# Monday 11 January 2027, 09:00 in Paris: when the weekly digest is due.
NOW = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)
CHANNEL = "CVEILLE"
HOSTILE = "<!channel> <@U1> <http://evil|bank> & co"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Seeded:
    """Ids of what the seeded week holds."""

    new_free: list[int]
    claimed_alice: list[int]
    claimed_bob: int
    done: int
    dismissed: int
    flagged: int
    hostile: int
    old: int
    session_soon: int
    session_far: int
    session_cancelled: int
    decision_due: int
    decision_overdue: int
    decision_far: int
    decision_done: int


def insert_item(db, title: str, seen: datetime, link: str | None = None) -> int:
    """Insert a posted item as the watch does, first seen at ``seen``."""
    n = next(_counter)
    cursor = db.execute(
        "INSERT INTO items (channel_id, title, link, summary, first_seen_at, post_state, "
        "message_ts) VALUES (?, ?, ?, '', ?, 'posted', ?)",
        [CHANNEL, title, link or f"https://example.org/{n}", iso(seen), f"1799.{n:06d}"],
    )
    notes.sync_item_fts(db, cursor.lastrowid)
    db.conn.commit()
    return cursor.lastrowid


def add_source(db, item_id: int, feed_id: int, link: str, seen: datetime) -> None:
    """Record that a feed's entry was this item."""
    db.execute(
        "INSERT INTO item_sources (item_id, feed_id, entry_key, link, seen_at) VALUES (?, ?, ?, ?, ?)",
        [item_id, feed_id, f"k{next(_counter)}", link, iso(seen)],
    )
    db.conn.commit()


def _items(db) -> dict:
    day = timedelta(days=1)
    ids = {"new_free": [insert_item(db, f"Libre {n}", NOW - n * day) for n in (1, 2)]}
    ids["claimed_alice"] = [insert_item(db, f"Alice {n}", NOW - n * day) for n in (1, 3)]
    for item_id in ids["claimed_alice"]:
        claims.claim(db, item_id, "UALICE", NOW - day)
    ids["claimed_bob"] = insert_item(db, "Bob", NOW - 20 * day)
    claims.claim(db, ids["claimed_bob"], "UBOB", NOW - 19 * day)
    ids["done"] = insert_item(db, "Traité cette semaine", NOW - 10 * day)
    claims.close(db, ids["done"], "UBOB", ItemStatus.DONE, NOW - 2 * day)
    ids["dismissed"] = insert_item(db, "Écarté", NOW - 3 * day)
    claims.close(db, ids["dismissed"], "UALICE", ItemStatus.DISMISSED, NOW - 2 * day)
    ids["old"] = insert_item(db, "Vieux, traité il y a longtemps", NOW - 30 * day)
    claims.close(db, ids["old"], "UBOB", ItemStatus.DONE, NOW - 29 * day)
    return ids


def _newsletter(db, ids: dict) -> None:
    day = timedelta(days=1)
    one = add_feed(db, "https://cerapcoop.example/rss", "cerapcoop.example/rss", CHANNEL,
                   now=NOW - 40 * day, title="Actualités CERAPCOOP", origin="CERAPCOOP")  # fmt: skip
    two = add_feed(db, "https://resacoop.example/feed", "resacoop.example/feed", CHANNEL,
                   now=NOW - 40 * day, title="RESACOOP", origin="")  # fmt: skip
    ids["flagged"] = insert_item(
        db, "Appel à projets 2027-2028 : coopération *décentralisée*", NOW - 4 * day,
        link="https://www.example.org/appel?a=1&b=2",
    )  # fmt: skip
    add_source(db, ids["flagged"], one.id, "https://cerapcoop.example/appel", NOW - 4 * day)
    add_source(db, ids["flagged"], two.id, "https://resacoop.example/appel", NOW - 3 * day)
    db.execute(
        "UPDATE items SET summary = ? WHERE id = ?",
        ["Les collectivités & associations ont jusqu'au 15 mars <b>2027</b>.", ids["flagged"]],
    )
    claims.set_newsletter(db, ids["flagged"], "UALICE", True, NOW - 2 * day)
    notes.add_note(db, ids["flagged"], "UALICE", "À relayer avant le 15 février.", NOW - 2 * day)
    ids["hostile"] = insert_item(db, HOSTILE, NOW - day, link="javascript:alert(1)")
    add_source(db, ids["hostile"], two.id, "http://evil.example/<x>", NOW - day)
    claims.set_newsletter(db, ids["hostile"], "UBOB", True, NOW - day + timedelta(hours=1))
    notes.add_note(db, ids["hostile"], "UBOB", "- <script>alert(1)</script> [bank](http://evil)", NOW - day)  # fmt: skip
    people.remember_name(db, "UALICE", "Alice Martin", NOW - 3 * day)
    people.remember_name(db, "UBOB", "Bruno", NOW - 3 * day)
    old = insert_item(db, "Retenu il y a un mois", NOW - 31 * day)
    claims.set_newsletter(db, old, "UBOB", True, NOW - 30 * day)


def _meetings(db, ids: dict) -> None:
    def session(title: str, starts: datetime) -> int:
        return meetings.add_meeting(
            db, title=title, starts_at=starts, place="Lyon", channel_id="CSESSION",
            created_by="UALICE", now=NOW - timedelta(days=20),
        ).id  # fmt: skip

    ids["session_soon"] = session("Temps de travail <!here>", NOW + timedelta(days=2, hours=1))
    ids["session_far"] = session("Assemblée générale", NOW + timedelta(days=8))
    ids["session_cancelled"] = session("Annulée", NOW + timedelta(days=1))
    meetings.update_meeting(db, ids["session_cancelled"], status="cancelled")

    def decision(text: str, due: date, owner: str | None = "UALICE") -> int:
        found, _ = decisions.add_decision(
            db, meeting_id=ids["session_soon"], text=text, owner=owner, due_date=due,
            created_by="UBOB", now=NOW - timedelta(days=10),
        )  # fmt: skip
        return found.id

    ids["decision_due"] = decision("Envoyer le compte rendu <@U1>", date(2027, 1, 15))
    ids["decision_overdue"] = decision("Relancer la mairie", date(2027, 1, 8), owner=None)
    ids["decision_far"] = decision("Préparer l'AG", date(2027, 2, 1))
    ids["decision_done"] = decision("Réserver la salle", date(2027, 1, 12))
    decisions.mark_done(db, ids["decision_done"], by="UALICE", now=NOW - timedelta(days=1))


def record_earlier_digest(db_path: str) -> None:
    """Record last week's digest as sent: the bot ran before (its very first start posts none)."""
    with connect(db_path) as db:
        key = week_key(NOW - timedelta(days=7), ZoneInfo("Europe/Paris"))
        reminders.record(db, key, "sent", "", NOW - timedelta(days=7))


def seed_week(db_path: str) -> Seeded:
    """Fill the database with the week before NOW and the week after it (and last week's digest)."""
    with connect(db_path) as db:
        ids = _items(db)
        _newsletter(db, ids)
        _meetings(db, ids)
    record_earlier_digest(db_path)
    return Seeded(**ids)


@pytest.fixture
def ran_before(db_path) -> None:
    """A bot that posted last week's digest and has one item claimed: something to say."""
    with connect(db_path) as db:
        item_id = insert_item(db, "Pris par Alice", NOW - timedelta(days=2))
        claims.claim(db, item_id, "UALICE", NOW - timedelta(days=1))
    record_earlier_digest(db_path)


@pytest.fixture
def seeded(db_path) -> Seeded:
    return seed_week(db_path)


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()
