"""Bodies waiting for a parser: memory first, one spool file beyond it, a wait only when both are full."""

from __future__ import annotations

import os
import pickle
import threading

from bot.watch.poller import PollSettings
from bot.watch.rounds import Poller
from bot.watch.sandbox import ParserSandbox
from bot.watch.spool import BodyQueue, SpooledBody
from storage.db import connect
from storage.items import pending_items
from tests.watch.helpers import NOW, make_feed, rss, rss_item

WAIT = 5.0


def hold_elsewhere(queue: BodyQueue, body: bytes) -> tuple[threading.Thread, list]:
    """Ask for room on another thread (as a fetch thread does); return it and what it got."""
    got: list = []
    thread = threading.Thread(target=lambda: got.append(queue.hold(body)), daemon=True)
    thread.start()
    thread.join(0.2)
    return thread, got


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_body_that_fits_the_memory_budget_stays_as_it_is():
    queue = BodyQueue(memory_bytes=100, disk_bytes=1000)
    body, done = queue.hold(b"x" * 60)
    assert body == b"x" * 60
    assert queue.memory.held == 60
    done()
    assert queue.memory.held == 0
    assert queue.spool.count == 0


def test_a_body_beyond_the_memory_budget_waits_in_the_spool_and_crosses_as_its_bytes():
    queue = BodyQueue(memory_bytes=100, disk_bytes=1000)
    kept, _ = queue.hold(b"a" * 60)
    data = b"<rss>\x00\xff</rss>" * 4
    spooled, done = queue.hold(data)
    assert isinstance(spooled, SpooledBody)
    assert kept == b"a" * 60
    assert len(spooled) == len(data)
    # What a parser process receives: plain bytes, the same ones.
    assert pickle.loads(pickle.dumps(spooled)) == data
    done()
    done()  # a second call (a cancelled future, say) changes nothing
    assert spooled.read() == b""
    assert queue.spool.count == 1


def test_many_spooled_bodies_share_one_descriptor_and_each_reads_back_its_own():
    queue = BodyQueue(memory_bytes=1, disk_bytes=10 * 1024 * 1024)
    queue.hold(b"m")
    before = open_descriptors()
    held = [queue.hold(f"<rss>{n}</rss>".encode() * (n % 7 + 1)) for n in range(500)]
    assert open_descriptors() - before <= 1  # one spool file, not one per body
    for n, (body, _) in enumerate(held):
        assert pickle.loads(pickle.dumps(body)) == f"<rss>{n}</rss>".encode() * (n % 7 + 1)
    for _, done in held:
        done()
    assert queue.spool._end == 0  # emptied once nothing waits in it


def test_the_spool_file_is_emptied_when_nothing_waits_so_it_never_grows_past_its_bound():
    queue = BodyQueue(memory_bytes=1, disk_bytes=100)
    queue.hold(b"m")
    for _ in range(50):  # 50 x 60 bytes through a 100-byte spool, one at a time
        body, done = queue.hold(b"s" * 60)
        assert isinstance(body, SpooledBody)
        done()
    assert queue.spool.peak == 60


def test_with_both_full_a_fetch_thread_waits_for_a_parse_to_end():
    queue = BodyQueue(memory_bytes=10, disk_bytes=10)
    _, free_memory = queue.hold(b"m" * 10)
    _, free_spool = queue.hold(b"d" * 10)
    waiter, got = hold_elsewhere(queue, b"w" * 10)
    assert waiter.is_alive()  # nothing fits: it waits
    assert not got
    free_memory()
    waiter.join(WAIT)
    assert got
    assert got[0][0] == b"w" * 10
    free_spool()


def test_no_temporary_folder_means_waiting_for_memory_not_failing(tmp_path):
    queue = BodyQueue(memory_bytes=10, disk_bytes=1000, folder=str(tmp_path / "missing"))
    _, free_memory = queue.hold(b"m" * 10)
    waiter, got = hold_elsewhere(queue, b"w" * 10)
    assert waiter.is_alive()
    free_memory()
    waiter.join(WAIT)
    assert got
    assert got[0][0] == b"w" * 10
    assert queue.spool.count == 0


def test_a_body_larger_than_the_whole_spool_waits_for_memory_instead():
    queue = BodyQueue(memory_bytes=1, disk_bytes=100)
    _, free_memory = queue.hold(b"m")
    waiter, got = hold_elsewhere(queue, b"x" * 500)
    assert waiter.is_alive()
    free_memory()
    waiter.join(WAIT)
    assert got
    assert got[0][0] == b"x" * 500
    assert queue.spool.count == 0


def test_a_round_whose_bodies_wait_in_the_spool_stores_every_item_as_from_memory(
    db_path, feeds, limits
):
    for n in range(6):
        items = "".join(rss_item(f"{n}-{i}", f"Article {i} du flux {n}") for i in range(3))
        feeds.route(f"/feed{n}", body=rss(items))
        make_feed(db_path, feeds.url(f"/feed{n}"))
    with connect(db_path) as db:
        db.execute("UPDATE feeds SET last_success_at = ?, next_poll_at = NULL", [NOW.isoformat()])
        db.conn.commit()
    # One byte of memory: every body but the one held in memory goes through the spool.
    settings = PollSettings(limits=limits, workers=6, queued_bytes=1)
    box = ParserSandbox(workers=1)
    polls = Poller(db_path, settings, lambda: box)
    try:
        assert polls.submit_due(NOW).wait(60)
        spooled = polls._queued.spool.count
    finally:
        assert polls.close(timeout=10)
        box.shutdown()
    assert spooled >= 1
    with connect(db_path) as db:
        titles = sorted(item.title for item in pending_items(db))
    assert titles == sorted(f"Article {i} du flux {n}" for n in range(6) for i in range(3))
