"""Run one deadline-reminder tick in its own process (a bot restart between ticks).

Usage: python -m tests.calls.deadline_process DB OUT NOW_ISO
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from bot.calls.reminders import send_due_deadline_reminders
from bot.features import install_catalogues
from tests.meetings.reminder_process import FileMessenger

if __name__ == "__main__":
    install_catalogues()
    db, out, now = sys.argv[1], Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
    send_due_deadline_reminders(db, FileMessenger(out), now=now, tz="Europe/Paris")
