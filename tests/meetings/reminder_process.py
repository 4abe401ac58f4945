"""Run one reminder tick in a child process, posting to a JSON-lines file (R1, R3 tests).

Usage: python -m tests.meetings.reminder_process DB OUT NOW_ISO [hang-after-post|hang-before-post]
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.features import install_catalogues
from bot.meetings.delivery import send_due_reminders


class FileMessenger:
    """Append each post to a file (one line, O_APPEND) and read it back for history look-ups."""

    def __init__(self, path: Path, mode: str = "") -> None:
        self.path, self.mode = path, mode

    def post(self, channel, text, blocks=None, *, thread_ts=None, metadata=None) -> str:
        if self.mode == "hang-before-post":
            time.sleep(60)
        line = json.dumps(
            {"channel": channel, "text": text, "metadata": metadata, "pid": os.getpid()}
        )
        with self.path.open("a") as out:
            out.write(line + "\n")
        if self.mode == "hang-after-post":
            time.sleep(60)  # Slack stored it; the answer never comes back before SIGKILL
        return f"{time.time():.6f}"

    def direct_message(self, user, text, blocks=None) -> str:
        return self.post(user, text)

    def find_message_by_metadata(self, channel, event_type, key, value, oldest):
        for post in read_posts(self.path):
            payload = (post["metadata"] or {}).get("event_payload", {})
            if post["channel"] == channel and payload.get(key) == value:
                return "1.0"
        return None


def read_posts(path: Path) -> list[dict]:
    """Return the posts recorded in the file."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


if __name__ == "__main__":
    install_catalogues()
    db, out, now = sys.argv[1], Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else ""
    Path(str(out) + f".ready.{os.getpid()}").touch()
    go = Path(str(out) + ".go")
    while not go.exists() and mode == "":
        time.sleep(0.005)
    send_due_reminders(db, FileMessenger(out, mode), now=now, tz="Europe/Paris")
