"""Run one poll round and SIGKILL this process halfway through storing its new items.

Used by the D3 test: ``python -m tests.watch.crash_store <db_path> <kill_after>``.
"""

import os
import signal
import sys

import storage.entries
from bot.features import install_catalogues
from bot.watch.fetch import FetchLimits
from bot.watch.poller import PollSettings
from bot.watch.rounds import poll_feeds
from tests.watch.helpers import NOW

if __name__ == "__main__":
    install_catalogues()
    db_path, kill_after = sys.argv[1], int(sys.argv[2])
    real_create_item = storage.entries.create_item
    created = []

    def create_then_die(*args, **kwargs):
        created.append(real_create_item(*args, **kwargs))
        if len(created) == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)  # in the middle of the feed's transaction
        return created[-1]

    storage.entries.create_item = create_then_die
    limits = FetchLimits(allowed_addresses=frozenset({"127.0.0.1"}))
    poll_feeds(db_path, NOW, PollSettings(limits=limits))
