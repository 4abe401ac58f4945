"""Poll rounds never wait for a straggler (F16, D3): feeds served from 127.0.0.1.

A slow feed here is a server that waits a few seconds before answering (bounded by the
server's stop event, so closing the server ends it at once).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

import bot.watch.jobs as jobs
import bot.watch.poller as poller
from bot.core.config import Config
from bot.core.runtime import Runtime
from bot.watch.fetch import FetchLimits
from bot.watch.poller import PollSettings
from bot.watch.rounds import Poller, poll_feeds
from storage.db import connect
from storage.feeds import get_feed
from storage.items import pending_items
from tests.fakes import RecordingMessenger
from tests.watch.feedserver import send
from tests.watch.helpers import NOW, make_feed, rss, rss_item

ROOT = Path(__file__).resolve().parents[2]
SLOW_SECONDS = 3.0  # how long the slow server waits before answering
LIMITS = FetchLimits(
    connect_timeout=2.0,
    read_timeout=10.0,
    total_timeout=15.0,
    allowed_addresses=frozenset({"127.0.0.1"}),
)


def slow_route(feeds, path: str, body: bytes, seconds: float = SLOW_SECONDS) -> None:
    """Serve ``body`` at ``path`` after ``seconds`` (at once when the server closes)."""

    def answer_late(request) -> None:
        feeds.stop.wait(seconds)
        send(request, 200, body, {})

    feeds.routes[path] = answer_late


def watched(db_path: str, feeds, path: str, *, due: bool = True):
    """A feed fetched once before (no seeding), due now or in a minute."""
    feed = make_feed(db_path, feeds.url(path))
    due_at = None if due else (NOW + timedelta(minutes=1)).isoformat()
    with connect(db_path) as db:
        db.execute(
            "UPDATE feeds SET last_success_at = ?, next_poll_at = ? WHERE id = ?",
            [NOW.isoformat(), due_at, feed.id],
        )
        db.conn.commit()
    return feed


def make_due(db_path: str, feed_id: int) -> None:
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL WHERE id = ?", [feed_id])
        db.conn.commit()


def stored_titles(db_path: str) -> list[str]:
    with connect(db_path) as db:
        return [row[0] for row in db.execute("SELECT title FROM items ORDER BY id")]


def wait_until(check: Callable[[], bool], timeout: float) -> float:
    """Return how long ``check`` took to become true (fail after ``timeout`` seconds)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "still not true after the bound"
        time.sleep(0.05)
    return time.monotonic() - started


def watch_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("poll", "watch-post"))]


def test_f16_a_slow_feed_delays_no_other_feed_and_is_not_fetched_twice(db_path, feeds):
    slow_route(feeds, "/slow", rss(rss_item("s", "Lent")))
    feeds.route("/ok", body=rss(rss_item("o", "Vite")))
    feeds.route("/later", body=rss(rss_item("l", "Après")))
    slow = watched(db_path, feeds, "/slow")
    watched(db_path, feeds, "/ok")
    later = watched(db_path, feeds, "/later", due=False)
    polls = Poller(db_path, PollSettings(limits=LIMITS, workers=8))
    try:
        first = polls.submit_due(NOW)
        assert wait_until(lambda: "Vite" in stored_titles(db_path), 2.5) < 2.5
        assert stored_titles(db_path) == ["Vite"], "the slow feed is still being fetched"
        assert polls.in_flight() == {slow.id}

        # The next tick comes while the slow feed is in flight: other due feeds are fetched.
        second = polls.submit_due(NOW + timedelta(minutes=2))
        assert second.feed_ids == {later.id}
        assert second.wait(2.5)
        assert "Après" in stored_titles(db_path)
        assert not first.done.is_set()

        assert first.wait(SLOW_SECONDS + 10)
        assert sorted(stored_titles(db_path)) == ["Après", "Lent", "Vite"]
        assert (first.report.polled, len(first.report.new_items)) == (2, 2)
        assert (feeds.hits["/slow"], feeds.hits["/ok"], feeds.hits["/later"]) == (1, 1, 1)
    finally:
        assert polls.close(timeout=5)


@pytest.fixture
def runtime(db_path):
    """The job's runtime: feeds on loopback allowed, a recording messenger, a fixed clock."""
    config = Config(db_path=db_path, allow_private_urls=True, poll_minutes=60)
    yield Runtime(config=config, messenger=RecordingMessenger(), clock=lambda: NOW)
    assert jobs.close_watch(timeout=5), "the watch's threads must all end"


def posted(runtime) -> list[str]:
    return [post["text"] for post in runtime.messenger.posts]


def test_f16_the_job_posts_healthy_feeds_while_a_slow_one_is_in_flight(
    db_path, feeds, runtime, monkeypatch
):
    monkeypatch.setattr(jobs, "TICK_WAIT_SECONDS", 1.0)
    slow_route(feeds, "/slow", rss(rss_item("s", "Lent")))
    feeds.route("/ok", body=rss(rss_item("o", "Vite")))
    feeds.route("/later", body=rss(rss_item("l", "Après")))
    slow = watched(db_path, feeds, "/slow")
    watched(db_path, feeds, "/ok")
    later = watched(db_path, feeds, "/later", due=False)

    started = time.monotonic()
    tick = threading.Thread(target=jobs.run_poll, args=(runtime,), daemon=True)
    tick.start()
    assert wait_until(lambda: any("Vite" in text for text in posted(runtime)), 2.5) < 2.5
    tick.join(SLOW_SECONDS)
    assert not tick.is_alive(), "the tick must not wait for the straggler"
    assert time.monotonic() - started < SLOW_SECONDS
    assert not any("Lent" in text for text in posted(runtime))

    make_due(db_path, later.id)  # due at the next tick, while the slow feed is in flight
    jobs.run_poll(runtime)
    assert any("Après" in text for text in posted(runtime))
    assert feeds.hits["/slow"] == 1

    wait_until(lambda: any("Lent" in text for text in posted(runtime)), SLOW_SECONDS + 10)
    assert sorted(text.split(" — ")[1] for text in posted(runtime)) == ["Après", "Lent", "Vite"]
    assert (feeds.hits["/slow"], feeds.hits["/ok"], feeds.hits["/later"]) == (1, 1, 1)
    with connect(db_path) as db:  # VEILLEUR_POLL_MINUTES=60 schedules the next poll
        assert get_feed(db, slow.id).next_poll_at == (NOW + timedelta(minutes=60)).isoformat()
    assert jobs.close_watch(timeout=5)
    assert watch_threads() == []


def test_a_feed_that_fails_to_store_delays_no_other_and_is_polled_again(
    db_path, feeds, monkeypatch
):
    feeds.route("/good", body=rss(rss_item("g", "Bon")))
    feeds.route("/bad", body=rss(rss_item("b1", "Un") + rss_item("b2", "Deux")))
    watched(db_path, feeds, "/good")
    bad = watched(db_path, feeds, "/bad")
    real = poller.store_entries

    def store_then_fail(db, feed, entries, now, **kwargs):
        stored = real(db, feed, entries, now, **kwargs)
        if feed.id == bad.id:
            raise RuntimeError("disk trouble halfway through this feed")
        return stored

    monkeypatch.setattr(poller, "store_entries", store_then_fail)
    settings = PollSettings(limits=LIMITS, workers=4)
    report = poll_feeds(db_path, NOW, settings)
    assert (report.polled, report.failed, len(report.new_items)) == (2, 1, 1)
    assert stored_titles(db_path) == ["Bon"], "the failed feed's transaction is rolled back"
    with connect(db_path) as db:
        assert get_feed(db, bad.id).next_poll_at is None, "still due: polled again next round"

    monkeypatch.setattr(poller, "store_entries", real)
    report = poll_feeds(db_path, NOW + timedelta(minutes=1), settings)
    assert (report.polled, len(report.new_items)) == (1, 2)
    assert sorted(stored_titles(db_path)) == ["Bon", "Deux", "Un"]


def test_d3_kill_mid_store_keeps_each_feed_whole_and_the_retry_stores_each_item_once(
    db_path, feeds
):
    # The small feed answers at once and is committed; the big one answers a second later and
    # the process is killed in the middle of storing it.
    feeds.route("/dix", body=rss("".join(rss_item(f"d{n}", f"Brève {n}") for n in range(10))))
    big = rss("".join(rss_item(f"g{n}", f"Dépêche numéro {n}") for n in range(1000)))
    slow_route(feeds, "/mille", big, seconds=1.0)
    small = watched(db_path, feeds, "/dix")
    large = watched(db_path, feeds, "/mille")
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.watch.crash_store", db_path, "510"],
        cwd=ROOT,
        timeout=60,
        capture_output=True,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()

    def items_of(feed_id: int) -> int:
        sql = "SELECT count(DISTINCT item_id) FROM item_sources WHERE feed_id = ?"
        return db.execute(sql, [feed_id]).fetchone()[0]

    with connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (items_of(small.id), items_of(large.id)) == (10, 0)
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 10
        assert get_feed(db, small.id).next_poll_at is not None, "the stored feed is done"

    report = poll_feeds(db_path, NOW, PollSettings(limits=LIMITS))
    assert (report.polled, len(report.new_items)) == (1, 1000)
    with connect(db_path) as db:
        keys = db.execute("SELECT entry_key FROM item_sources").fetchall()
        assert len(pending_items(db)) == 1010
    assert len({key for (key,) in keys}) == len(keys) == 1010


def test_a_parser_that_cannot_start_leaves_the_feeds_due_for_the_next_tick(db_path, feeds):
    feeds.route("/feed", body=rss(rss_item("1", "Un")))
    watched(db_path, feeds, "/feed")
    healthy = [False]

    def parser():
        if not healthy[0]:
            raise OSError("cannot start the parser processes")
        return None

    polls = Poller(db_path, PollSettings(limits=LIMITS, workers=2), parser)
    try:
        with pytest.raises(OSError, match="parser processes"):
            polls.submit_due(NOW)
        assert polls.in_flight() == set(), "no feed may stay stuck in flight"
        healthy[0] = True
        assert polls.submit_due(NOW + timedelta(minutes=1)).wait(5)
        assert stored_titles(db_path) == ["Un"]
    finally:
        assert polls.close(timeout=5)


def test_the_last_feeds_of_a_round_are_stored_without_waiting_for_more(db_path, feeds, monkeypatch):
    """At a round's end nothing else can arrive: its last 304s and failures are stored at once.

    The storing thread waits a little for more quiet feeds to record them together; it must
    not wait when every feed in flight is already in hand (the wait is made huge here).
    """
    import bot.watch.rounds as rounds

    monkeypatch.setattr(rounds, "QUIET_LINGER", 60.0)
    for n in range(3):
        feeds.routes[f"/gone{n}"] = lambda request: send(request, 404, b"", {})
        watched(db_path, feeds, f"/gone{n}")
    started = time.monotonic()
    report = poll_feeds(db_path, NOW, PollSettings(limits=LIMITS, workers=4))
    assert report.failed == 3
    assert time.monotonic() - started < 30  # not the 60 s wait
