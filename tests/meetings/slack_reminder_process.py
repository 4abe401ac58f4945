"""Child process for R1 over the Web API: one reminder tick through the real SlackMessenger.

Usage: python -m tests.meetings.slack_reminder_process DB API_URL NOW_ISO
"""

from __future__ import annotations

import sys
from datetime import datetime

from bot.app import build_client
from bot.core.config import Config
from bot.features import install_catalogues
from bot.meetings.delivery import send_due_reminders
from handlers.slack_messenger import SlackMessenger

if __name__ == "__main__":
    install_catalogues()
    db, api_url, now = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
    config = Config(bot_token="xoxb-test-token", api_url=api_url, db_path=db)
    messenger = SlackMessenger(build_client(config, timeout=30))
    send_due_reminders(db, messenger, now=now, tz="Europe/Paris")
