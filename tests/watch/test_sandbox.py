"""The parser sandbox (issue 9): a worker over its memory, CPU or wall-time limit is killed and
replaced, only its own document fails ("too_heavy", backed off), and no worker outlives it."""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.watch import poller
from bot.watch.errors import FetchError
from bot.watch.parse import ParsedFeed, parse_feed
from bot.watch.poller import PollSettings, parser_pool
from bot.watch.rounds import poll_feeds
from bot.watch.sandbox import MIB, ParserSandbox, SandboxLimits
from storage.db import connect
from storage.feeds import get_feed
from tests.watch import sandbox_targets
from tests.watch.helpers import make_feed

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Veille</title>'
    b"<item><guid>1</guid><title>Un</title></item></channel></rss>"
)
SMALL = SandboxLimits(
    memory_bytes=256 * MIB, cpu_seconds=1, wall_seconds=8.0, retire_bytes=128 * MIB
)


def alive(pid: int) -> bool:
    """Tell whether a process with this pid runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def sandbox():
    """Two workers with small limits; every worker it ever ran must be gone after shutdown."""
    box = ParserSandbox(workers=2, limits=SMALL)
    seen: set[int] = set()
    original = box.pids

    def pids() -> list[int]:
        current = original()
        seen.update(current)
        return current

    box.pids = pids
    yield box
    pids()
    box.shutdown()
    assert not [pid for pid in seen if alive(pid)]


def too_heavy(future) -> FetchError:
    with pytest.raises(FetchError) as info:
        future.result(timeout=30)
    return info.value


def test_f7_worker_over_the_memory_ceiling_fails_only_its_document(sandbox):
    hog = sandbox.submit(sandbox_targets.allocate, 2048)  # 2 GB, the size of a bomb
    normal = sandbox.submit(parse_feed, FEED)
    error = too_heavy(hog)
    assert error.code == "too_heavy"
    assert error.describe("fr") == "flux trop lourd à lire"
    assert error.describe("en") == "the feed is too heavy to read"
    assert [entry.key for entry in normal.result(timeout=30).entries] == ["id:1"]
    assert sandbox.submit(sandbox_targets.allocate, 20).result(timeout=30) == 20 * MIB


def test_f7_worker_over_its_cpu_budget_is_ended_by_the_kernel(sandbox):
    started = time.monotonic()
    spinning = sandbox.submit(sandbox_targets.spin)
    others = [sandbox.submit(parse_feed, FEED) for _ in range(5)]
    assert too_heavy(spinning).code == "too_heavy"
    # Well before the 8 s wall-time budget: RLIMIT_CPU stopped it, not the parent's timer.
    assert time.monotonic() - started < 7
    assert all(other.result(timeout=30).title == "Veille" for other in others)


def test_f7_worker_over_its_wall_time_budget_is_killed_by_pid(sandbox):
    warm = [sandbox.submit(sandbox_targets.sleep, 0.5) for _ in range(2)]  # start both workers
    assert [future.result(timeout=30) for future in warm] == [0.5, 0.5]
    before = set(sandbox.pids())
    started = time.monotonic()
    stuck = sandbox.submit(sandbox_targets.sleep, 600)
    normal = sandbox.submit(parse_feed, FEED)
    assert normal.result(timeout=30).title == "Veille"
    assert too_heavy(stuck).code == "too_heavy"
    assert 7 < time.monotonic() - started < 20  # the 8 s budget, not the 600 s sleep
    killed = before - set(sandbox.pids())
    assert len(before) == 2
    assert len(killed) == 1
    assert not alive(killed.pop())


def test_f7_document_queued_behind_a_runaway_is_parsed_by_its_replacement():
    box = ParserSandbox(workers=1, limits=SandboxLimits(memory_bytes=256 * MIB, wall_seconds=2))
    try:
        first = box.submit(sandbox_targets.pid).result(timeout=30)
        stuck = box.submit(sandbox_targets.sleep, 600)
        queued = [box.submit(parse_feed, FEED) for _ in range(3)]
        assert too_heavy(stuck).code == "too_heavy"
        assert all(future.result(timeout=30).entries for future in queued)
        assert not alive(first)
        replacement = box.pids()
        assert len(replacement) == 1
        assert replacement != [first]
    finally:
        box.shutdown()
    assert not alive(replacement[0])


def test_worker_that_dies_fails_its_document_and_is_replaced(sandbox):
    assert too_heavy(sandbox.submit(sandbox_targets.die)).code == "too_heavy"
    assert sandbox.submit(parse_feed, FEED).result(timeout=30).title == "Veille"


def test_worker_left_with_more_than_its_retiring_size_is_replaced_after_its_document():
    box = ParserSandbox(workers=1, limits=SMALL)
    try:
        first = box.submit(sandbox_targets.pid).result(timeout=30)
        assert box.submit(sandbox_targets.hoard, 50).result(timeout=30) == 1  # under 128 MiB
        assert box.submit(sandbox_targets.pid).result(timeout=30) == first
        assert box.submit(sandbox_targets.hoard, 90).result(timeout=30) == 2  # past 128 MiB
        second = box.submit(sandbox_targets.pid).result(timeout=30)
        assert second != first
        assert not alive(first)
        assert box.submit(sandbox_targets.hoard, 100).result(timeout=30) == 1  # a fresh heap
    finally:
        box.shutdown()
    assert not alive(second)


def test_errors_of_the_parse_itself_come_back_unchanged(sandbox):
    with pytest.raises(FetchError) as info:
        sandbox.submit(parse_feed, b"<html><body>login</body></html>").result(timeout=30)
    assert info.value.code == "not_a_feed"
    with pytest.raises(TypeError):
        sandbox.submit(parse_feed).result(timeout=30)
    assert sandbox.submit(parse_feed, FEED).result(timeout=30).title == "Veille"


def test_shutdown_stops_every_worker_and_refuses_new_work():
    box = ParserSandbox(workers=2, limits=SMALL)
    futures = [box.submit(sandbox_targets.pid) for _ in range(8)]
    workers = {future.result(timeout=30) for future in futures}
    assert len(workers) in (1, 2)
    assert all(alive(pid) for pid in workers)
    box.shutdown()
    assert not any(alive(pid) for pid in workers)
    assert box.pids() == []
    with pytest.raises(RuntimeError):
        box.submit(parse_feed, FEED)


def test_shutdown_waits_for_queued_documents_unless_told_to_cancel():
    box = ParserSandbox(workers=1, limits=SMALL)
    slow = box.submit(sandbox_targets.sleep, 0.5)
    waiting = [box.submit(parse_feed, FEED) for _ in range(3)]
    box.shutdown(wait=True)
    assert slow.result() == 0.5
    assert all(isinstance(future.result(), ParsedFeed) for future in waiting)
    box = ParserSandbox(workers=1, limits=SMALL)
    slow = box.submit(sandbox_targets.sleep, 0.5)
    time.sleep(0.2)
    cancelled = [box.submit(parse_feed, FEED) for _ in range(3)]
    box.shutdown(wait=True, cancel_futures=True)
    assert all(future.cancelled() for future in cancelled)


def test_shared_parser_pool_is_a_sandbox_recreated_after_shutdown(monkeypatch):
    monkeypatch.setattr(poller, "_pool", None)
    first = parser_pool()
    try:
        assert isinstance(first, ParserSandbox)
        assert parser_pool() is first
        assert first.submit(parse_feed, FEED).result(timeout=30).title == "Veille"
    finally:
        first.shutdown()
    second = parser_pool()
    try:
        assert second is not first
        assert not second.closed
    finally:
        second.shutdown()


def test_f7_too_heavy_feed_backs_off_like_a_failed_fetch(db_path, feeds, limits):
    feeds.route("/feed", body=FEED)
    feed = make_feed(db_path, feeds.url("/feed"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET next_poll_at = NULL")
        db.conn.commit()
    settings = PollSettings(limits=limits, interval=timedelta(minutes=30))
    box = ParserSandbox(workers=1, limits=SandboxLimits(wall_seconds=0.0))  # every parse too long
    try:
        report = poll_feeds(db_path, NOW, settings, box)
    finally:
        box.shutdown()
    assert (report.polled, report.failed, report.paused) == (1, 1, [])
    with connect(db_path) as db:
        feed = get_feed(db, feed.id)
    assert (feed.last_error, feed.error_count, feed.paused) == ("too_heavy", 1, False)
    assert datetime.fromisoformat(feed.next_poll_at) >= NOW + timedelta(minutes=30)


def test_large_documents_are_parsed_one_at_a_time_small_ones_side_by_side():
    box = ParserSandbox(workers=2, limits=SandboxLimits(large_bytes=MIB))
    try:
        large = [box.submit(sandbox_targets.hold, 0.5, b"x" * (2 * MIB)) for _ in range(2)]
        first, second = sorted(f.result(timeout=30) for f in large)
        assert second[0] >= first[1]  # two big documents at once would double the workers' peak
        small = [box.submit(sandbox_targets.hold, 0.5, b"x" * 1024) for _ in range(2)]
        first, second = sorted(f.result(timeout=30) for f in small)
        assert second[0] < first[1]
    finally:
        box.shutdown()
