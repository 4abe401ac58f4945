"""Run one posting round and SIGKILL this process right after Slack accepted the first post.

Used by the D4 test: ``python -m tests.watch.crash_poster <db_path> <slack_api_url>``.
"""

import os
import signal
import sys

from bot.app import build_client
from bot.core.config import Config
from bot.features import install_catalogues
from bot.watch.posting import PostingSettings, post_pending
from handlers.slack_messenger import SlackMessenger
from tests.watch.helpers import NOW


class KillAfterPost(SlackMessenger):
    def post(self, *args, **kwargs):
        super().post(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # Slack has the message; our commit never happens


if __name__ == "__main__":
    install_catalogues()
    db_path, api_url = sys.argv[1], sys.argv[2]
    config = Config(bot_token="xoxb-test", api_url=api_url, db_path=db_path)
    post_pending(db_path, KillAfterPost(build_client(config, timeout=2)), NOW, PostingSettings())
