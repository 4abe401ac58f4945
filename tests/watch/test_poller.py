"""Poll cycles against feeds served from 127.0.0.1 (F5, F8, F9, F10, F13, F14, F16)."""

import dataclasses
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest

import bot.watch.poller as poller
from bot.app import build_client
from bot.watch.errors import FetchError
from bot.watch.notices import notify_paused
from bot.watch.poller import PollSettings
from bot.watch.posting import PostingSettings, post_pending
from bot.watch.rounds import poll_feeds
from handlers.slack_messenger import SlackMessenger
from storage.db import connect
from storage.feeds import get_feed
from storage.items import pending_items
from tests.watch.helpers import NOW, make_feed, rss, rss_item

LATER = NOW + timedelta(minutes=15)


@pytest.fixture
def settings(limits):
    return PollSettings(limits=limits, workers=8)


@pytest.fixture
def messenger(config):
    return SlackMessenger(build_client(config, timeout=2))


def subscribe(db_path, feeds, path, **kwargs):
    """A feed that was already fetched once (so its next poll does not seed)."""
    feed = make_feed(db_path, feeds.url(path), **kwargs)
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET last_success_at = ?, next_poll_at = NULL", [NOW.isoformat()])
        db.conn.commit()
    return feed


def titles(db_path):
    with connect(db_path) as db:
        return [item.title for item in pending_items(db)]


def test_new_entries_become_pending_items(db_path, feeds, settings):
    feeds.route("/feed", body=rss(rss_item("1", "Un") + rss_item("2", "Deux")))
    subscribe(db_path, feeds, "/feed")
    report = poll_feeds(db_path, NOW, settings)
    assert (report.polled, len(report.new_items)) == (1, 2)
    assert titles(db_path) == ["Deux", "Un"]


def test_first_poll_of_an_imported_feed_seeds_its_backlog(db_path, feeds, settings):
    feeds.route("/feed", body=rss("".join(rss_item(str(n)) for n in range(10))))
    make_feed(db_path, feeds.url("/feed"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL")
        db.conn.commit()
    report = poll_feeds(db_path, NOW, settings)
    assert len(report.new_items) == 3


def test_f5_slow_and_silent_feeds_delay_nothing_but_themselves(db_path, feeds, settings):
    feeds.routes["/silent"] = lambda request: feeds.stop.wait(10)

    def trickle(request):
        request.send_response(200)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        while not feeds.stop.wait(0.1):
            request.wfile.write(b" ")
            request.wfile.flush()

    feeds.routes["/slow"] = trickle
    for n in range(4):
        feeds.route(f"/ok{n}", body=rss(rss_item(f"ok{n}")))
        subscribe(db_path, feeds, f"/ok{n}")
    silent = subscribe(db_path, feeds, "/silent")
    slow = subscribe(db_path, feeds, "/slow")
    limits = dataclasses.replace(settings.limits, read_timeout=0.5, total_timeout=1.0)
    started = time.monotonic()
    report = poll_feeds(db_path, NOW, dataclasses.replace(settings, limits=limits))
    assert time.monotonic() - started < 2.0
    assert (report.polled, report.failed, len(report.new_items)) == (6, 2, 4)
    with connect(db_path) as db:
        assert get_feed(db, silent.id).last_error == "timeout"
        assert get_feed(db, slow.id).last_error == "deadline"


def test_a_crash_in_one_feed_never_stops_the_others(db_path, feeds, settings, monkeypatch):
    feeds.route("/good", body=rss(rss_item("g")))
    feeds.route("/bad", body=rss(rss_item("b")))
    subscribe(db_path, feeds, "/good")
    bad = subscribe(db_path, feeds, "/bad")
    real = poller.parse_feed

    def flaky(body, url, ctype):
        if url.endswith("/bad"):
            raise RuntimeError("boom")
        return real(body, url, ctype)

    monkeypatch.setattr(poller, "parse_feed", flaky)
    report = poll_feeds(db_path, NOW, settings)
    assert len(report.new_items) == 1
    with connect(db_path) as db:
        assert get_feed(db, bad.id).last_error == "internal"


def test_f13_304_costs_no_parsing(db_path, feeds, settings, monkeypatch):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
            return
        body = rss(rss_item("1"))
        request.send_response(200)
        request.send_header("ETag", '"v1"')
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feeds.routes["/feed"] = conditional
    feed = subscribe(db_path, feeds, "/feed")
    poll_feeds(db_path, NOW, settings)
    parsed = []
    monkeypatch.setattr(poller, "parse_feed", lambda *a: parsed.append(a))
    report = poll_feeds(db_path, LATER, settings)
    assert (report.not_modified, parsed) == (1, [])
    with connect(db_path) as db:
        saved = get_feed(db, feed.id)
    assert saved.etag == '"v1"'
    assert saved.next_poll_at == (LATER + timedelta(minutes=15)).isoformat()


def test_f13_gone_pauses_and_the_adder_is_told_once(db_path, feeds, settings, slack_api, messenger):
    feeds.route("/feed", 410)
    feed = subscribe(db_path, feeds, "/feed", added_by="U5")
    report = poll_feeds(db_path, NOW, settings)
    assert report.paused == [feed.id]
    assert notify_paused(db_path, messenger) == [feed.id]
    assert notify_paused(db_path, messenger) == []
    (dm,) = slack_api.messages["D5"]
    assert "supprimé par son site (erreur 410)" in dm["text"]
    assert f"/veille flux reprendre {feed.id}" in dm["text"]
    assert poll_feeds(db_path, NOW + timedelta(days=2), settings).polled == 0


def test_f13_429_backs_off_honouring_retry_after(db_path, feeds, settings):
    feeds.route("/feed", 429, Retry_After="3600")
    feed = subscribe(db_path, feeds, "/feed")
    poll_feeds(db_path, NOW, settings)
    assert poll_feeds(db_path, NOW + timedelta(minutes=59), settings).polled == 0
    assert poll_feeds(db_path, NOW + timedelta(minutes=61), settings).polled == 1
    with connect(db_path) as db:
        assert get_feed(db, feed.id).error_count == 2


def test_f8_not_a_feed_is_counted_then_paused_with_a_notice(
    db_path, feeds, settings, slack_api, messenger
):
    feeds.route("/feed", body=b"<html><body>Connexion</body></html>", Content_Type="text/html")
    feed = subscribe(db_path, feeds, "/feed", added_by="")
    settings = dataclasses.replace(settings, max_failures=3)
    moment = NOW
    for _ in range(3):
        poll_feeds(db_path, moment, settings)
        moment += timedelta(days=2)
    with connect(db_path) as db:
        saved = get_feed(db, feed.id)
    assert (saved.paused, saved.error_count, saved.last_error) == (True, 3, "not_a_feed")
    notify_paused(db_path, messenger)
    (notice,) = slack_api.messages["C1"]
    assert "3 échecs de suite" in notice["text"]
    assert "n'est pas un flux RSS, Atom ou JSON Feed" in notice["text"]


def test_f9_cut_feed_then_recovered_posts_each_item_once(db_path, feeds, settings):
    whole = rss(rss_item("3", "Trois") + rss_item("2", "Deux") + rss_item("1", "Un"))
    feeds.route("/feed", body=whole[: whole.index(b"<title>Deux") + 8])
    subscribe(db_path, feeds, "/feed")
    assert len(poll_feeds(db_path, NOW, settings).new_items) == 1
    feeds.route("/feed", body=whole)
    assert len(poll_feeds(db_path, LATER, settings).new_items) == 2
    assert sorted(titles(db_path)) == ["Deux", "Trois", "Un"]


@pytest.fixture(scope="module")
def process_pool():
    with ProcessPoolExecutor(max_workers=2) as pool:
        yield pool


def test_f10_huge_feed_seeds_then_posts_exactly_three(db_path, feeds, settings, process_pool):
    backlog = "".join(f"<item><guid>g{n}</guid></item>" for n in range(20_000))
    feeds.route("/many", body=rss(backlog))
    make_feed(db_path, feeds.url("/many"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL")
        db.conn.commit()
    first = poll_feeds(db_path, NOW, settings, process_pool)
    assert len(first.new_items) == 3
    newer = "".join(f"<item><guid>new{n}</guid><title>Nouveau {n}</title></item>" for n in range(3))
    feeds.route("/many", body=rss(newer + backlog))
    started = time.monotonic()
    second = poll_feeds(db_path, LATER, settings, process_pool)
    assert time.monotonic() - started < 20
    assert len(second.new_items) == 3
    assert titles(db_path)[-3:] == ["Nouveau 2", "Nouveau 1", "Nouveau 0"]


def test_f14_hostile_feed_reaches_slack_escaped(db_path, feeds, settings, slack_api, messenger):
    hostile = "&lt;!channel&gt; &lt;@U123&gt; &lt;http://evil|bank.com&gt; ```x``` *gras*"
    feeds.route(
        "/feed",
        body=rss(
            rss_item("1", hostile, link="javascript:alert(1)", summary=hostile + "\n" * 500)
            + rss_item("2", "&lt;!here&gt;", link="slack://open")
        ),
    )
    subscribe(db_path, feeds, "/feed")
    poll_feeds(db_path, NOW, settings)
    post_pending(db_path, messenger, NOW, PostingSettings(spacing=0))
    calls = slack_api.calls_to("chat.postMessage")
    assert len(calls) == 2
    for call in calls:
        payload = str(call.params["text"]) + str(call.params["blocks"])
        for raw in ("<!", "<@", "<#", "<http", "javascript:", "slack://"):
            assert raw not in payload
        assert "&lt;" in payload
        assert all(
            "\n" not in block.get("text", {}).get("text", "") for block in call.params["blocks"]
        )


def test_f16_poll_job_is_listed_once_and_runs_without_overlap(config):
    from bot import features
    from bot.core.runtime import Runtime
    from bot.scheduler import start_scheduler

    assert [job.id for job in features.jobs()].count("poll_feeds") == 1
    runtime = Runtime(config=config, messenger=None, clock=lambda: NOW)
    scheduler = start_scheduler(runtime, features.jobs())
    try:
        job = scheduler.get_job("poll_feeds")
        assert (job.max_instances, job.coalesce) == (1, True)
    finally:
        scheduler.shutdown(wait=False)
        scheduler.lock.release()


def test_fetch_errors_survive_pickling_from_the_process_pool():
    import pickle

    error = pickle.loads(pickle.dumps(FetchError("rate_limited", status=429, retry_after=5.0)))
    assert (error.code, error.status, error.retry_after) == ("rate_limited", 429, 5.0)


def test_f1_body_that_is_a_path_is_never_opened_during_a_poll(db_path, feeds, settings):
    import sys

    feeds.route("/feed", body=b"/etc/passwd")
    feed = subscribe(db_path, feeds, "/feed")
    opened = []
    active = [True]

    def hook(event, args):
        if active[0] and event == "open" and "passwd" in str(args[0]):
            opened.append(args[0])

    sys.addaudithook(hook)
    try:
        poll_feeds(db_path, NOW, settings)
    finally:
        active[0] = False
    assert opened == []
    with connect(db_path) as db:
        assert get_feed(db, feed.id).last_error == "not_a_feed"
