"""What a poll round costs (issue 9's performance part): parser workers that are plain children
holding none of the bot's secrets, HTML pages answered without a worker, and the feeds parsed
meanwhile stored together without one failing feed taking the others down."""

from __future__ import annotations

import os
from datetime import timedelta

import bot.watch.rounds as rounds
from bot.watch.fetch import FetchResult
from bot.watch.parse import is_html_page, parse_feed
from bot.watch.poller import FeedOutcome, PollReport, PollSettings
from bot.watch.rounds import Poller, Round, poll_feeds
from bot.watch.sandbox import ParserSandbox
from storage.db import connect
from storage.feeds import get_feed
from storage.items import count_items
from tests.watch import sandbox_targets
from tests.watch.helpers import NOW, make_feed, rss, rss_item

PAGE = (
    b"<!DOCTYPE html><html><head><title>Connexion</title></head><body><form></form></body></html>"
)


def test_f7_parser_worker_is_a_direct_child_without_the_bots_environment(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-never-in-a-worker")
    box = ParserSandbox(workers=1)
    try:
        env = box.submit(sandbox_targets.environment).result(timeout=30)
        assert box.submit(sandbox_targets.parent).result(timeout=30) == os.getpid()
        assert parse_feed(rss(rss_item("1"))).entries  # and it parses as before
    finally:
        box.shutdown()
    assert "SLACK_BOT_TOKEN" not in env
    assert not [value for value in env.values() if "xoxb" in value]
    # Fixed malloc thresholds: a worker gives large blocks back (bench/poll.py: ~10 MB each).
    assert env["MALLOC_MMAP_THRESHOLD_"] == env["MALLOC_TRIM_THRESHOLD_"] == "131072"


def test_html_page_fails_as_not_a_feed_without_starting_a_parser(db_path, feeds, limits):
    feeds.route("/page", body=b"\n  " + PAGE, content_type="text/html")
    feeds.route("/feed", body=rss(rss_item("1")))
    page, feed = make_feed(db_path, feeds.url("/page")), make_feed(db_path, feeds.url("/feed"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL")
        db.conn.commit()
    box = ParserSandbox(workers=1)
    started: list[list[int]] = []
    real_submit = box.submit

    def submit(fn, *args, **kwargs):
        started.append(box.pids())
        return real_submit(fn, *args, **kwargs)

    box.submit = submit
    try:
        report = poll_feeds(db_path, NOW, PollSettings(limits=limits), box)
    finally:
        box.shutdown()
    assert (report.polled, report.failed) == (2, 1)
    assert len(started) == 1, "only the real feed goes to a parser process"
    with connect(db_path) as db:
        assert get_feed(db, page.id).last_error == "not_a_feed"
        assert get_feed(db, feed.id).last_error is None
    assert is_html_page(b"\xef\xbb\xbf<HTML lang=fr>")
    assert not is_html_page(rss(rss_item("1")))


def test_feeds_stored_together_lose_only_the_one_that_fails(db_path, monkeypatch):
    made = [make_feed(db_path, f"https://ex.org/{n}") for n in range(3)]
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL, last_success_at = ?", [NOW.isoformat()])
        db.conn.commit()
    real_apply = rounds.apply_outcome

    def apply_then_fail_for_the_second(db, outcome, *args):
        real_apply(db, outcome, *args)  # its items are written, then must be rolled back
        if outcome.feed.id == made[1].id:
            raise ValueError("a feed that cannot be stored")

    monkeypatch.setattr(rounds, "apply_outcome", apply_then_fail_for_the_second)
    told: list[PollReport] = []
    poller = Poller(db_path, PollSettings(), on_stored=told.append)
    batch = Round(NOW, frozenset(f.id for f in made), PollReport(), remaining=3)
    arrivals = []
    for n, feed in enumerate(made):
        parsed = parse_feed(
            rss("".join(rss_item(f"{n}-{i}", f"Article {n} {i}") for i in range(2)))
        )
        result = FetchResult(feed.url, 200, etag=f'"{n}"')
        arrivals.append((batch, FeedOutcome(feed, result, parsed)))
    try:
        poller._store_together(arrivals)
    finally:
        poller.close(timeout=5)
    assert [one.failed for one in told] == [0, 1, 0]
    assert (batch.report.polled, len(batch.report.new_items)) == (3, 4)
    with connect(db_path) as db:
        assert [count_items(db, feed.id) for feed in made] == [2, 0, 2]
        stored = [get_feed(db, feed.id) for feed in made]
    assert [feed.etag for feed in stored] == ['"0"', None, '"2"']
    assert stored[1].next_poll_at is None  # still due: polled again next round
    assert stored[0].next_poll_at >= (NOW + timedelta(minutes=1)).isoformat()
