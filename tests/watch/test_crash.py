"""D4: the process is killed between Slack accepting a post and the commit of its ts."""

import signal
import subprocess
import sys
from pathlib import Path

from bot.app import build_client
from bot.watch.posting import PostingSettings, post_pending
from handlers.slack_messenger import SlackMessenger
from storage.db import connect
from storage.items import get_item
from tests.watch.helpers import NOW, add_items, make_feed

ROOT = Path(__file__).resolve().parents[2]


def test_d4_kill_between_post_and_commit_does_not_post_twice(db_path, slack_api, config):
    first, second = add_items(db_path, make_feed(db_path), 2)
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.watch.crash_poster", db_path, slack_api.url],
        cwd=ROOT,
        timeout=30,
        capture_output=True,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()
    assert len(slack_api.messages["C1"]) == 1
    with connect(db_path) as db:
        stuck = get_item(db, first)
    assert (stuck.post_state, stuck.post_attempts, stuck.message_ts) == ("pending", 1, None)

    messenger = SlackMessenger(build_client(config, timeout=2))
    report = post_pending(db_path, messenger, NOW, PostingSettings(spacing=0))
    assert report.reconciled == [first]
    assert report.posted == [second]
    messages = slack_api.messages["C1"]
    assert len(messages) == 2
    with connect(db_path) as db:
        assert get_item(db, first).message_ts == messages[0]["ts"]
        assert get_item(db, second).message_ts == messages[1]["ts"]
