"""Races and locks: S8 claim races, D1 cross-thread use, D2 lock contention."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.items.actions import Actor, claim_item, release_item
from bot.items.reactions import react
from storage import claims
from storage.db import connect, write
from tests.items.conftest import CHANNEL, NOW, insert_item


def test_s8_twenty_concurrent_claims_have_exactly_one_owner(db_path, db):
    item_id = insert_item(db, message_ts="1799990000.000001")
    barrier = threading.Barrier(20)

    def claim_as(n: int):
        with connect(db_path) as own:
            barrier.wait()
            if n % 2:  # reactions and buttons interleaved
                return react(
                    own,
                    Actor(f"U{n:02d}", NOW),
                    CHANNEL,
                    "1799990000.000001",
                    "eyes",
                    f"1800000000.{n:06d}",
                    True,
                )
            return claim_item(own, Actor(f"U{n:02d}", NOW), item_id)

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(claim_as, range(20)))
    winners = [o for o in outcomes if o.changed]
    assert len(winners) == 1
    owner = claims.get_item(db, item_id).owner
    assert winners[0].item.owner == owner
    losers = [o for o in outcomes if not o.changed]
    assert all(f"déjà pris par <@{owner}>" in o.message for o in losers)
    assert not any("locked" in o.message for o in outcomes)
    assert [e.action for e in claims.list_events(db, item_id)] == ["claimed"]


def test_d1_claims_and_polls_from_two_threads_1000_iterations(db_path, db):
    item_id = insert_item(db)
    db.execute(
        "INSERT INTO feeds (url, canonical_url, channel_id, added_at) VALUES ('u','u','C','t')"
    )
    db.conn.commit()
    errors: list[BaseException] = []

    def bolt_worker():
        with connect(db_path) as own:
            for n in range(1000):
                actor = Actor("UALICE", NOW)
                outcome = (claim_item if n % 2 == 0 else release_item)(own, actor, item_id)
                if not outcome.changed:
                    errors.append(AssertionError(outcome.message))

    def scheduler_poll():
        with connect(db_path) as own:
            for n in range(1000):
                with write(own):
                    own.execute("UPDATE feeds SET entry_count = entry_count + 1")
                    insert_poll_item(own, n)

    threads = [threading.Thread(target=bolt_worker), threading.Thread(target=scheduler_poll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.execute("SELECT entry_count FROM feeds").fetchone()[0] == 1000
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1001
    assert len(claims.list_events(db, item_id)) == 1000
    assert claims.get_item(db, item_id).status == "open"


def insert_poll_item(db, n: int) -> None:
    db.execute(
        "INSERT INTO items (channel_id, title, first_seen_at) VALUES ('C', ?, ?)",
        [f"poll {n}", NOW.isoformat()],
    )


def _read_then_write(db_path, begin: str, between: threading.Event, go: threading.Event):
    """Read the counter, let the other transaction run, then write counter + 1."""
    conn = sqlite3.connect(db_path, timeout=5, isolation_level=None)
    try:
        conn.execute(begin)
        value = conn.execute("SELECT entry_count FROM feeds").fetchone()[0]
        between.set()
        go.wait(timeout=5)
        conn.execute("UPDATE feeds SET entry_count = ?", [value + 1])
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.fixture
def counter_db(db_path, db):
    db.execute(
        "INSERT INTO feeds (url, canonical_url, channel_id, added_at) VALUES ('u','u','C','t')"
    )
    db.conn.commit()
    return db_path


def test_d2_deferred_read_then_write_fails_with_database_is_locked(counter_db):
    between, go = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def deferred():
        try:
            _read_then_write(counter_db, "BEGIN", between, go)
        except sqlite3.OperationalError as error:
            failure.append(error)

    thread = threading.Thread(target=deferred)
    thread.start()
    between.wait(timeout=5)
    with connect(counter_db) as other, write(other):  # B commits between A's read and write
        other.execute("UPDATE feeds SET entry_count = entry_count + 1")
    go.set()
    thread.join()
    assert failure
    assert "database is locked" in str(failure[0])


def test_d2_begin_immediate_read_then_write_waits_and_succeeds(counter_db):
    between, go = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=_read_then_write, args=(counter_db, "BEGIN IMMEDIATE", between, go)
    )
    thread.start()
    between.wait(timeout=5)
    threading.Timer(0.2, go.set).start()
    started = time.monotonic()
    with connect(counter_db) as other, write(other):  # waits for A instead of failing
        value = other.execute("SELECT entry_count FROM feeds").fetchone()[0]
        other.execute("UPDATE feeds SET entry_count = ?", [value + 1])
    thread.join()
    assert time.monotonic() - started >= 0.15
    with connect(counter_db) as check:
        assert check.execute("SELECT entry_count FROM feeds").fetchone()[0] == 2


def test_d2_lock_longer_than_busy_timeout_says_busy_and_changes_nothing(db_path, db):
    item_id = insert_item(db)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with connect(db_path, busy_timeout=0.2) as impatient:
            outcome = claim_item(impatient, Actor("UALICE", NOW), item_id)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome.busy
    assert not outcome.changed
    assert (
        outcome.message
        == "La base est occupée, réessayez dans quelques secondes : rien n'a été modifié."
    )
    item = claims.get_item(db, item_id)
    assert (item.status, item.owner) == ("open", None)
    assert claims.list_events(db, item_id) == []
