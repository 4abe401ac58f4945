"""Start the real bot (``python -m bot``) in HTTP mode on a free port, for the e2e process tests."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bot.local.localslack import TEAM_ID, LocalSlack
from bot.local.signing import signed_headers

ROOT = Path(__file__).resolve().parents[2]
SECRET = "process-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class BotProcess:
    """A running ``python -m bot`` and how to talk to it."""

    process: subprocess.Popen
    port: int
    slack: LocalSlack
    log: Path

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str, float]:
        """Send one request; return (status, body, seconds taken)."""
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body.encode(), headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode(), time.monotonic() - started
        finally:
            conn.close()

    def command(self, text: str, command: str = "/veille") -> tuple[int, str, float]:
        """POST a slash command signed as Slack does."""
        form = urlencode(
            {
                "command": command,
                "text": text,
                "user_id": "U1",
                "user_name": "u1",
                "channel_id": "C1",
                "team_id": TEAM_ID,
                "trigger_id": f"t.{time.time_ns()}",
                "response_url": self.slack.response_url,
            }
        )
        return self.request("POST", "/slack/events", form, signed_headers(SECRET, form))

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until_serving(bot: BotProcess, timeout: float = 30.0) -> None:
    """Wait until /healthz answers, or fail with the bot's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise AssertionError(f"the bot exited with {bot.process.returncode}:\n{bot.output()}")
        try:
            bot.request("GET", "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the bot did not serve within {timeout} s:\n{bot.output()}")


@contextmanager
def running_bot(
    tmp_path: Path, slack: LocalSlack | None = None, *, http: bool = True, **env: str
) -> Iterator[BotProcess]:
    """Run the bot (HTTP mode unless ``http`` is False) against a local Slack stand-in.

    Kill it (by pid) if it is still alive at the end.
    """
    slack = slack or LocalSlack().start()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "VEILLEUR_"))}
    port = free_port()
    environment.update(
        SLACK_BOT_TOKEN="xoxb-process-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.url,
        PORT=str(port),
        VEILLEUR_DB=str(tmp_path / "veilleur.db"),
        VEILLEUR_ALLOW_PRIVATE_URLS="1",
        PYTHONPATH=str(ROOT),
        **env,
    )
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], env=environment, cwd=tmp_path, stdout=out, stderr=out
        )
    bot = BotProcess(process, port, slack, log)
    try:
        if http:
            wait_until_serving(bot)
        yield bot
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        slack.stop()


def descendants(pid: int) -> set[int]:
    """Return every process whose parent chain leads to ``pid`` (from /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = {int(k) for k in children.read_text().split()}
            except OSError:
                continue
            todo.extend(kids - found)
            found |= kids
    return found


def alive(pid: int) -> bool:
    """Tell whether ``pid`` still runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
