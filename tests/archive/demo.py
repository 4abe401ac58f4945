"""A demo database for the archive tests: the shell's demo plus claims, notes and names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import features
from bot.local.demo import load_demo
from storage import claims
from storage.db import connect
from storage.migrations import apply_migrations
from storage.notes import add_note, delete_note_by_message
from storage.people import remember_name

# Summer time in Paris (UTC+2): local times in the archive must say 12:00 for 10:00 UTC.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
NAMES = {"UVOUS": "Camille Martin", "UALIX": "Alix Durand"}


def build_demo_database(path: str, now: datetime = NOW) -> None:
    """Load the features' demos, then claim, close, annotate and delete as a team would."""
    with connect(path) as db:
        apply_migrations(db)
        load_demo(db, now, [f.demo for f in features.FEATURES if f.demo])
        for user_id, name in NAMES.items():
            remember_name(db, user_id, name, now)
        claims.claim(db, 1, "UVOUS", now)
        claims.claim(db, 2, "UALIX", now + timedelta(minutes=5))
        claims.close(db, 3, "UALIX", "done", now + timedelta(minutes=10))
        add_note(db, 1, "UVOUS", "À relayer avec <@UALIX> dans la lettre", now)
        add_note(db, 2, "UALIX", "Note gardée", now + timedelta(minutes=1))
        add_note(db, 2, "UALIX", "Note effacée ensuite", now + timedelta(minutes=2), "1.0002")
        delete_note_by_message(db, "1.0002", now + timedelta(minutes=3))
