"""Demo news for ``veilleur shell --demo``: two networks' feeds and a few stories to claim.

The shell has no Internet, so the demo feeds are not polled; their stories go through the real
storage path (one story seen in both feeds becomes one item « vu dans : A, B ») and are posted
to #veille by the poll job like any new item.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.watch.dedup import store_entries
from bot.watch.parse import Entry
from bot.watch.urls import canonical_url
from storage.db import write
from storage.feed_state import record_success
from storage.feeds import add_feed, find_feed

CHANNEL = "CVEILLE"
NOT_POLLED = timedelta(days=365 * 50)
FEEDS = (
    ("https://www.resacoop.org/actualites.rss", "RESACOOP — actualités", "Lyon"),
    ("https://www.cerapcoop.org/actualites.rss", "CERAPCOOP — actualités", "Clermont-Ferrand"),
)
STORIES = (
    (0, "festisol-2027", "Festival des Solidarités 2027 : l'appel à participation est ouvert",
     "Associations, collectivités et établissements scolaires peuvent inscrire leurs animations."),
    (1, "festisol-2027", "Festival des Solidarités 2027 : l'appel à participation est ouvert",
     "Associations, collectivités et établissements scolaires peuvent inscrire leurs animations."),
    (0, "ecsi-ressources", "Éducation à la citoyenneté et à la solidarité internationale : nouvelles ressources",
     "Une sélection d'outils pédagogiques pour les animateurs et les enseignants."),
    (1, "porteurs-projets", "Accompagner les porteurs de projets : partage d'outils de suivi",
     "Grilles de suivi et fiches de capitalisation mises en commun par les deux réseaux."),
    (1, "representations", "Représentations de la solidarité internationale : restitution de l'étude",
     "Les résultats seront confrontés au projet européen REDDSO."),
)  # fmt: skip


def load_watch_demo(db: Database, now: datetime) -> None:
    """Subscribe #veille to the two networks' feeds and store a few stories (idempotent)."""
    with write(db):
        feeds = []
        for url, title, origin in FEEDS:
            feed = find_feed(db, canonical_url(url), CHANNEL) or add_feed(
                db, url, canonical_url(url), CHANNEL, now=now, title=title, origin=origin,
                added_by="UVOUS",
            )  # fmt: skip
            # read once "now", then never polled: the shell has no Internet
            record_success(db, feed.id, now, etag=None, last_modified=None, interval=NOT_POLLED)
            feeds.append(feed)
        for hours, (feed_index, slug, title, summary) in enumerate(STORIES):
            site = FEEDS[feed_index][0].rsplit("/", 1)[0]
            link = f"{site}/actualites/{slug}"
            entry = Entry(f"{link}#demo", title, link, canonical_url(link), summary,
                          now - timedelta(hours=len(STORIES) - hours))  # fmt: skip
            store_entries(db, feeds[feed_index], [entry], now)
