"""Storage: migrations, WAL, BEGIN IMMEDIATE writes across threads."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from storage.backup import backup_database
from storage.db import DatabaseBusy, connect, write
from storage.migrations import apply_migrations, migrations

DESIGN_TABLES = {
    "feeds",
    "items",
    "item_sources",
    "notes",
    "item_events",
    "meetings",
    "agenda_points",
    "decisions",
    "reminders_sent",
    "slack_events_seen",
    "_sqlite_migrations",
}


def test_migrations_create_the_tables_of_the_design(db):
    assert set(db.table_names()) >= DESIGN_TABLES


def test_d7_migrations_applied_twice_are_idempotent(db_path):
    with connect(db_path) as db:
        before = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        apply_migrations(db)
        apply_migrations(db)
        after = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert before == after == len(migrations._migrations)


def test_d7_a_failing_migration_rolls_back_and_stays_pending(tmp_path):
    from sqlite_utils.migrations import Migrations

    broken = Migrations("broken")

    @broken(name="0001_half")
    def half(db):
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("disk on fire")

    with connect(tmp_path / "m.db") as db:
        with pytest.raises(RuntimeError):
            broken.apply(db)
        assert "half_done" not in db.table_names()
        assert [m.name for m in broken.pending(db)] == ["0001_half"]


def test_database_runs_in_wal_mode_with_a_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_d1_two_threads_writing_thousands_of_times_never_see_database_is_locked(db_path):
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            for i in range(1500):
                with connect(db_path) as db, write(db):
                    count = db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0]
                    db.execute(
                        "INSERT INTO slack_events_seen VALUES (?, ?)", [f"{name}{i}", str(count)]
                    )
        except Exception as error:  # the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0] == 3000


def test_d2_lock_held_past_the_busy_timeout_raises_database_busy_and_changes_nothing(db_path):
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with connect(db_path, busy_timeout=0.2) as db, pytest.raises(DatabaseBusy), write(db):
            db.execute("INSERT INTO slack_events_seen VALUES ('x', 'y')")
    finally:
        holder.rollback()
        holder.close()
    with connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0] == 0


def test_write_rolls_back_on_error(db):
    def failing_unit_of_work() -> None:
        with write(db):
            db.execute("INSERT INTO slack_events_seen VALUES ('x', 'y')")
            raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        failing_unit_of_work()
    assert db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0] == 0


def test_d6_online_backup_while_a_writer_inserts(db_path, tmp_path):
    stop = threading.Event()

    def writer() -> None:
        i = 0
        while not stop.is_set():
            with connect(db_path) as db, write(db):
                db.execute("INSERT INTO slack_events_seen VALUES (?, 'x')", [f"k{i}"])
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with connect(db_path) as db:
            committed_before = db.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0]
        backup_database(db_path, tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM slack_events_seen").fetchone()[0] >= committed_before
