"""Real processes on one database: two bots (R3), and a bot killed mid-send (R1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.meetings.delivery import STALE_AFTER, send_due_reminders
from tests.meetings.helpers import make_session, sent_log_statuses
from tests.meetings.reminder_process import FileMessenger, read_posts

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def spawn(db_path: Path, out: Path, now: datetime, mode: str = "") -> subprocess.Popen:
    """Start a child process running one reminder tick."""
    command = [sys.executable, "-m", "tests.meetings.reminder_process", str(db_path), str(out)]
    return subprocess.Popen([*command, now.isoformat(), mode], cwd=ROOT)


def wait_for(predicate, timeout: float = 15.0) -> None:
    """Poll until ``predicate()`` is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_r3_two_bot_processes_on_one_database_send_each_reminder_once(db_path, tmp_path) -> None:
    for n in range(10):
        make_session(db_path, START + timedelta(minutes=n), offsets="1h", channel=f"C{n}")
    out = tmp_path / "posts.jsonl"
    now = START + timedelta(minutes=15) - timedelta(hours=1)
    children = [spawn(db_path, out, now) for _ in range(2)]
    wait_for(lambda: len(list(tmp_path.glob("posts.jsonl.ready.*"))) == 2)
    (tmp_path / "posts.jsonl.go").touch()  # both start the tick together
    for child in children:
        assert child.wait(timeout=30) == 0
    channels = sorted(post["channel"] for post in read_posts(out))
    assert channels == sorted(f"C{n}" for n in range(10))


@pytest.mark.parametrize("mode", ["hang-after-post", "hang-before-post"])
def test_r1_sigkill_while_a_reminder_is_in_flight_is_not_lost_nor_doubled(
    db_path, tmp_path, mode
) -> None:
    make_session(db_path, START, offsets="1h")
    out = tmp_path / "posts.jsonl"
    due = START - timedelta(hours=1)
    child = spawn(db_path, out, due, mode)
    wait_for(lambda: sent_log_statuses(db_path) == [("1h", "sending", 0)])
    if mode == "hang-after-post":
        wait_for(lambda: len(read_posts(out)) == 1)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    restart = due + STALE_AFTER + timedelta(seconds=30)
    send_due_reminders(db_path, FileMessenger(out), now=restart, tz="Europe/Paris")
    send_due_reminders(db_path, FileMessenger(out), now=restart + timedelta(minutes=1))
    assert len(read_posts(out)) == 1
    assert sent_log_statuses(db_path)[0][1] == "sent"
