"""The bot and its parser workers stay under 400 MB while entity bombs are subscribed and polled.

Issue 9 saw one 4 KB gzip response take 3.4 GB and a 9 MiB document 7.5 GB: enough for the kernel
to kill the bot on a small server. The documents are served from 127.0.0.1; the work runs in a
process of its own (``tests/watch/hostile_poll.py``), so the figure is the bot's alone.
"""

import json
import subprocess
import sys
import time

PEAK_LIMIT_MB = 400


def test_f7_peak_memory_with_bombs_subscribed_and_polled_stays_under_400_mb(tmp_path):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tests.watch.hostile_poll", str(tmp_path / "veilleur.db")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["peak_mb"] < PEAK_LIMIT_MB, report
    assert report["refused"] == {}
    # every feed was read at each poll, none expanded: one item per bomb, the newest 3 of the
    # healthy feed (a new feed's backlog is not posted), and no error on any of them
    assert report["feeds"] == {
        "healthy": [3, None], "after-comment": [1, None], "utf-16": [1, None],
        "utf-32": [1, None], "gzip": [1, None], "nine-mib": [1, None],
    }  # fmt: skip
    assert time.monotonic() - started < 120
