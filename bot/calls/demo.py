"""Demo call for proposals for ``veilleur shell --demo``: a story whose deadline the bot reads.

It goes through the real storage path, in the first demo feed of the watch (loaded before), so
its message shows « Échéance détectée : … — [Confirmer] [Modifier] ».
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.core.dates import format_date
from bot.watch.dedup import store_entries
from bot.watch.demo import CHANNEL, FEEDS
from bot.watch.parse import Entry
from bot.watch.urls import canonical_url
from storage.db import write
from storage.feeds import find_feed

LINK = "https://www.resacoop.org/actualites/appel-projets-jeunesse-2027"
DAYS_AHEAD = 40


def load_calls_demo(db: Database, now: datetime) -> None:
    """Store one call for proposals closing in 40 days (idempotent; needs the watch's demo)."""
    feed = find_feed(db, canonical_url(FEEDS[0][0]), CHANNEL)
    if feed is None:
        return
    closing = format_date((now + timedelta(days=DAYS_AHEAD)).date(), "fr")
    entry = Entry(
        f"{LINK}#demo",
        "Appel à projets « Jeunesse et solidarité internationale » 2027",
        LINK,
        canonical_url(LINK),
        "Associations et établissements scolaires de la région peuvent présenter un projet "
        f"d'échange. Date limite de dépôt des dossiers : {closing}.",
        now - timedelta(minutes=30),
    )
    with write(db):
        store_entries(db, feed, [entry], now)
