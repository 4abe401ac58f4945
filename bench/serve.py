"""Serve the real app or the do-nothing floor app in its own process (for bench/ack.py).

Usage: python -m bench.serve real|floor <db path> <Slack API URL>. Prints the port, then serves
until stdin closes, so the benchmark's load generator and Slack stand-in do not share this
process's interpreter lock, as in production.
"""

from __future__ import annotations

import logging
import sys
import threading

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot import features
from bot.app import build_app, build_client
from bot.core.config import Config
from bot.web import build_wsgi

SECRET = "bench-signing-secret"
CHANNEL = "CVEILLE"


def real_app(config: Config):
    """Return the WSGI app of Veilleur as HTTP mode serves it."""
    app, runtime = build_app(config, client=build_client(config, timeout=5))
    return build_wsgi(SlackRequestHandler(app), runtime, lambda: True, features.routes())


def floor_app(config: Config):
    """Return a Bolt app that acknowledges and makes one Slack call, doing nothing else."""
    app = App(
        client=build_client(config, timeout=5),
        signing_secret=SECRET,
        token_verification_enabled=False,
        process_before_response=False,
    )

    @app.command("/veille")
    def command(ack, respond):
        ack()
        respond(text="ok", response_type="ephemeral")

    @app.event("reaction_added")
    def reacted(event, client):
        client.chat_postEphemeral(channel=CHANNEL, user=event["user"], text="ok")

    return SlackRequestHandler(app)


def main() -> None:
    mode, db_path, api_url = sys.argv[1:4]
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    config = Config(bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url, db_path=db_path)
    wsgi = real_app(config) if mode == "real" else floor_app(config)
    server = waitress.create_server(wsgi, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    print(server.effective_port, flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
    server.close()


if __name__ == "__main__":
    main()
