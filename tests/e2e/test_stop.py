"""A stopped bot leaves nothing behind: SIGTERM or SIGINT ends it cleanly, with its parser processes."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

import pytest

from bot.local.localslack import LocalSlack
from tests.e2e.botprocess import alive, descendants, running_bot
from tests.watch.feedserver import serving
from tests.watch.helpers import rss, rss_item


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_stop_signal_ends_the_bot_and_every_process_it_started(tmp_path, signum):
    with serving() as feeds, running_bot(tmp_path) as bot:
        feeds.route("/feed", body=rss("".join(rss_item(str(n)) for n in range(3)), "Veille"))
        status, _, _ = bot.command(f"flux ajouter {feeds.url('/feed')}")
        assert status == 200
        bot.slack.wait_for("response_url", 1, timeout=30)  # fetched, parsed in the sandbox
        assert feeds.hits["/feed"] >= 1
        children = descendants(bot.process.pid)
        assert children, "the parser sandbox should have started its processes"

        started = time.monotonic()
        bot.process.send_signal(signum)
        code = bot.process.wait(timeout=20)
        seconds = time.monotonic() - started

        assert code == 0, bot.output()
        assert seconds < 15, bot.output()
        deadline = time.monotonic() + 5  # the kernel reaps orphans through PID 1: a moment
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in children if alive(pid)] == [], bot.output()
        log = bot.output()
        assert "Veilleur stopped cleanly" in log
        assert "Traceback" not in log


def test_sigterm_in_socket_mode_closes_the_connection_and_exits_0(tmp_path):
    websockets_sync = pytest.importorskip("websockets.sync.server")
    closed = pytest.importorskip("websockets.exceptions").ConnectionClosed
    connected = threading.Event()

    def serve(ws) -> None:
        ws.send('{"type": "hello", "num_connections": 1}')
        connected.set()
        with contextlib.suppress(closed, TimeoutError):
            while True:
                ws.recv(timeout=30)

    server = websockets_sync.serve(serve, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slack = LocalSlack().start()
    slack.socket_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
    try:
        with running_bot(tmp_path, slack, http=False, SLACK_APP_TOKEN="xapp-process-test") as bot:
            assert connected.wait(30), bot.output()
            started = time.monotonic()
            bot.process.send_signal(signal.SIGTERM)
            code = bot.process.wait(timeout=20)
            assert code == 0, bot.output()
            assert time.monotonic() - started < 15
            assert "Veilleur stopped cleanly" in bot.output()
            assert "Traceback" not in bot.output()
    finally:
        server.shutdown()
