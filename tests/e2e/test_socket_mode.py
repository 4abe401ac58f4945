"""S11: Socket Mode disconnect and reconnect, against a local WebSocket server."""

from __future__ import annotations

import contextlib
import json
import threading
import time

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import build_app, build_client
from bot.local.localslack import TEAM_ID

websockets_sync = pytest.importorskip("websockets.sync.server")
ConnectionClosed = pytest.importorskip("websockets.exceptions").ConnectionClosed


def envelope(event_id: str, attempt: int) -> str:
    payload = {
        "token": "x",
        "team_id": TEAM_ID,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": "hello",
            "channel": "C1",
            "ts": "1.1",
        },
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UVEILLEUR", "is_bot": True}],
    }
    return json.dumps(
        {
            "envelope_id": f"env-{event_id}-{attempt}",
            "type": "events_api",
            "payload": payload,
            "accepts_response_payload": False,
            "retry_attempt": attempt,
            "retry_reason": "",
        }
    )


def test_s11_socket_mode_reconnects_after_disconnect_and_handles_the_event_once(config, slack_api):
    connections: list[float] = []
    acks: list[str] = []

    def serve(ws) -> None:
        connections.append(time.monotonic())
        attempt = len(connections) - 1
        ws.send(json.dumps({"type": "hello", "num_connections": 1}))
        ws.send(envelope("EvSocket1", attempt))
        acks.append(json.loads(ws.recv(timeout=5))["envelope_id"])
        if attempt == 0:
            ws.send(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
            ws.close()
            return
        with contextlib.suppress(
            ConnectionClosed, TimeoutError
        ):  # stay open until the client leaves
            ws.recv(timeout=10)

    server = websockets_sync.serve(serve, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slack_api.socket_url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
    app, _ = build_app(config, client=build_client(config, timeout=5))
    handled: list[dict] = []
    app.event("app_mention")(lambda body: handled.append(body))
    handler = SocketModeHandler(app, "xapp-test-token", ping_interval=1)
    try:
        handler.connect()
        deadline = time.monotonic() + 10
        while (len(acks) < 2 or not handler.client.is_connected()) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert len(connections) == 2, "the client must reconnect after a disconnect message"
        assert connections[1] - connections[0] < 5
        assert acks == ["env-EvSocket1-0", "env-EvSocket1-1"]
        assert len(handled) == 1
        assert len(slack_api.calls_to("apps.connections.open")) >= 2
        assert handler.client.is_connected()
    finally:
        handler.close()
        server.shutdown()
