"""D3: the process is killed in the middle of storing 1,000 new items from one poll."""

import signal
import subprocess
import sys
from pathlib import Path

from bot.watch.fetch import FetchLimits
from bot.watch.poller import PollSettings
from bot.watch.rounds import poll_feeds
from storage.db import connect
from storage.items import pending_items
from tests.watch.helpers import NOW, make_feed, rss, rss_item

ROOT = Path(__file__).resolve().parents[2]


def test_d3_kill_mid_batch_keeps_all_or_nothing_and_the_retry_stores_each_item_once(db_path, feeds):
    feeds.route(
        "/mille", body=rss("".join(rss_item(f"g{n}", f"Dépêche numéro {n}") for n in range(1000)))
    )
    feed = make_feed(db_path, feeds.url("/mille"))
    with connect(db_path) as db:  # polled before: every entry of this round is new, no seeding
        db.execute("UPDATE feeds SET next_poll_at = NULL, last_success_at = ? WHERE id = ?",
                   [NOW.isoformat(), feed.id])  # fmt: skip
        db.conn.commit()
    crashed = subprocess.run([sys.executable, "-m", "tests.watch.crash_store", db_path, "500"],
                             cwd=ROOT, timeout=60, capture_output=True)  # fmt: skip
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()
    with connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("items", "item_sources", "seen_entries", "items_fts")]  # fmt: skip
    assert counts == [0, 0, 0, 0], "none of the interrupted feed may be left half-stored"

    report = poll_feeds(
        db_path, NOW, PollSettings(limits=FetchLimits(allowed_addresses=frozenset({"127.0.0.1"})))
    )
    assert len(report.new_items) == 1000
    with connect(db_path) as db:
        pending = pending_items(db)
        keys = db.execute("SELECT entry_key FROM item_sources").fetchall()
    assert len(pending) == 1000
    assert len({key for (key,) in keys}) == len(keys) == 1000


def test_d3_pending_items_are_posted_once_even_when_posting_runs_again_after_a_restart(
    db_path, feeds, slack_api, config
):
    from bot.app import build_client
    from bot.watch.posting import PostingSettings, post_pending
    from handlers.slack_messenger import SlackMessenger

    feeds.route(
        "/dix", body=rss("".join(rss_item(f"g{n}", f"Dépêche numéro {n}") for n in range(10)))
    )
    feed = make_feed(db_path, feeds.url("/dix"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL, last_success_at = ? WHERE id = ?",
                   [NOW.isoformat(), feed.id])  # fmt: skip
        db.conn.commit()
    poll_feeds(
        db_path, NOW, PollSettings(limits=FetchLimits(allowed_addresses=frozenset({"127.0.0.1"})))
    )
    messenger = SlackMessenger(build_client(config, timeout=2))
    post_pending(db_path, messenger, NOW, PostingSettings(spacing=0))
    post_pending(db_path, messenger, NOW, PostingSettings(spacing=0))  # a restart runs it again
    posted = [c.params.get("metadata", {}).get("event_payload", {}).get("item_id")
              for c in slack_api.calls_to("chat.postMessage")]  # fmt: skip
    item_posts = [p for p in posted if p is not None]
    assert sorted(item_posts, key=int) == [str(n) for n in range(1, 11)]
    with connect(db_path) as db:
        assert pending_items(db) == []
