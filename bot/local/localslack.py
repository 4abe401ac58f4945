"""A local stand-in for Slack's Web API, for the shell and the tests.

A threaded HTTP server on 127.0.0.1 (port 0 by default) that answers the methods Veilleur uses
with realistic JSON, keeps the messages it was sent per channel, records every call, and can be
told to misbehave: 429 with Retry-After, HTTP 500, ``ok: false`` errors, a non-JSON body, delays,
or dropping the connection after storing a post (an "ambiguous send"). ``response_url`` posts go
to ``/response/<anything>`` and are recorded as the method ``response_url``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

JSON_FIELDS = ("blocks", "metadata", "view", "attachments")
BOT_USER_ID = "UVEILLEUR"
BOT_ID = "BVEILLEUR"
TEAM_ID = "T0VEILLEUR"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class Fault:
    """What to do instead of answering normally, ``times`` times."""

    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    delay: float = 0.0
    body: str | None = None
    reset_after_store: bool = False
    times: int = 1


@dataclass
class LocalSlack:
    """State of the stand-in: messages per channel, calls, and pending faults."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict]] = field(default_factory=dict)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    on_call: Callable[[Call], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    clock: Callable[[], float] = time.time
    people: dict[str, str] = field(default_factory=dict)  # users.info: user id → display name
    _last_ts: float = 0.0
    _ts_lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    # Who sees what: channels listed here are private, with these members (the bot is in them
    # unless ``bot_absent`` names them); any other channel is public and holds ``members``.
    private: dict[str, set[str]] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    bot_absent: set[str] = field(default_factory=set)

    # -- control -------------------------------------------------------------------------
    def fail(self, method: str, **fault: Any) -> None:
        """Queue a fault for the next call(s) of ``method``."""
        with self.lock:
            self.faults.setdefault(method, []).append(Fault(**fault))

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        return self.calls_to(method)

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.messages.clear()
            self.faults.clear()
            self.private.clear()
            self.members.clear()
            self.bot_absent.clear()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/"

    @property
    def response_url(self) -> str:
        return self.url.replace("/api/", "/response/") + "r1"

    # -- serving -------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalSlack:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                params = _decode(raw, self.headers.get("Content-Type", ""))
                if self.path.startswith("/response/"):
                    method = "response_url"
                else:
                    method = self.path.split("/api/", 1)[-1].split("?")[0]
                stand_in._handle(self, method, params)

            do_GET = do_POST

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def _handle(self, request: BaseHTTPRequestHandler, method: str, params: dict) -> None:
        call = Call(method, params, time.time())
        with self.lock:
            self.calls.append(call)
            queue = self.faults.get(method) or []
            fault = queue[0] if queue else None
            if fault:
                fault.times -= 1
                if fault.times <= 0:
                    queue.pop(0)
        if self.on_call:
            self.on_call(call)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.reset_after_store:
            self.answer(method, params)
            request.close_connection = True
            request.connection.close()
            return
        if fault and (fault.status != 200 or fault.error or fault.body is not None):
            headers = {"Retry-After": str(int(fault.retry_after))} if fault.retry_after else {}
            if fault.body is not None:
                body = fault.body
            else:
                body = json.dumps({"ok": False, "error": fault.error or "ratelimited"})
            _send(request, fault.status, body, headers)
            return
        _send(request, 200, json.dumps(self.answer(method, params)))

    def answer(self, method: str, params: dict) -> dict:
        """Return the JSON Slack would return for ``method`` (and remember posted messages)."""
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        return handler(params) if handler else {"ok": True}

    def next_ts(self) -> str:
        """Return a unique, increasing message ts taken from ``clock`` (Slack's ts is a time)."""
        with self._ts_lock:
            self._last_ts = max(self.clock(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def _api_chat_postMessage(self, p: dict) -> dict:
        channel = p.get("channel", "")
        if channel.startswith("U"):
            channel = "D" + channel[1:]
        message = {
            "type": "message",
            "ts": self.next_ts(),
            "text": p.get("text", ""),
            "blocks": p.get("blocks") or [],
            "bot_id": BOT_ID,
            "user": BOT_USER_ID,
        }
        if p.get("thread_ts"):
            message["thread_ts"] = p["thread_ts"]
        if p.get("metadata"):
            message["metadata"] = p["metadata"]
        with self.lock:
            self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _api_chat_update(self, p: dict) -> dict:
        with self.lock:
            for message in self.messages.get(p.get("channel", ""), []):
                if message["ts"] == p.get("ts"):
                    message.update(text=p.get("text", ""), blocks=p.get("blocks") or [])
                    return {"ok": True, "channel": p["channel"], "ts": p["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _api_chat_postEphemeral(self, p: dict) -> dict:
        return {"ok": True, "message_ts": self.next_ts()}

    def _api_conversations_history(self, p: dict) -> dict:
        with self.lock:
            messages = [
                m for m in self.messages.get(p.get("channel", ""), []) if "thread_ts" not in m
            ]
        oldest = float(p.get("oldest") or 0)
        found = [m for m in reversed(messages) if float(m["ts"]) > oldest]
        return {"ok": True, "messages": found[: int(p.get("limit") or 100)], "has_more": False}

    def _api_conversations_open(self, p: dict) -> dict:
        return {"ok": True, "channel": {"id": "D" + p.get("users", "U").split(",")[0][1:]}}

    def _api_auth_test(self, p: dict) -> dict:
        return {
            "ok": True,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "team_id": TEAM_ID,
            "user": "veilleur",
        }

    socket_url: str = "ws://127.0.0.1:9/socket"

    def _api_apps_connections_open(self, p: dict) -> dict:
        return {"ok": True, "url": self.socket_url}

    def _api_views_open(self, p: dict) -> dict:
        return {
            "ok": True,
            "view": {"id": "V" + self.next_ts().replace(".", ""), **(p.get("view") or {})},
        }

    def make_private(self, channel: str, *members: str) -> None:
        """Make ``channel`` private with these members (a DM is ``D…``, a group DM ``G…``)."""
        with self.lock:
            self.private[channel] = set(members)

    def leave(self, channel: str, user: str) -> None:
        """Take ``user`` out of ``channel`` (the test then sends member_left_channel)."""
        with self.lock:
            self.private.get(channel, set()).discard(user)
            self.members.get(channel, set()).discard(user)

    def _api_conversations_info(self, p: dict) -> dict:
        channel = p.get("channel", "")
        with self.lock:
            private = channel in self.private
            absent = channel in self.bot_absent
        if private and absent:  # Slack hides a private channel from a bot that is not in it
            return {"ok": False, "error": "channel_not_found"}
        kind = {"is_im": channel.startswith("D"), "is_mpim": False}
        kind["is_private"] = private and not kind["is_im"]
        return {"ok": True, "channel": {"id": channel, "is_member": not absent, **kind}}

    def _api_conversations_members(self, p: dict) -> dict:
        """Answer in pages of ``limit`` (cursor = offset), as Slack does."""
        channel = p.get("channel", "")
        with self.lock:
            found = self.private.get(channel, self.members.get(channel, set()))
            members = sorted(found | {BOT_USER_ID})
        start = int(p.get("cursor") or 0)
        limit = int(p.get("limit") or 100)
        page = members[start : start + limit]
        cursor = str(start + limit) if start + limit < len(members) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _api_users_conversations(self, p: dict) -> dict:
        user = p.get("user", "")
        with self.lock:
            mine = [c for c, who in {**self.members, **self.private}.items() if user in who]
        return {"ok": True, "channels": [{"id": c} for c in sorted(mine)]}

    def _api_users_info(self, p: dict) -> dict:
        user = p.get("user", "")
        name = self.people.get(user)
        if name is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"display_name": name, "real_name": name}
        return {
            "ok": True,
            "user": {"id": user, "name": user.lower(), "real_name": name, "profile": profile},
        }


def _decode(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        try:
            return json.loads(raw or "{}")
        except ValueError:
            return {}
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


def _send(
    request: BaseHTTPRequestHandler, status: int, body: str, headers: dict | None = None
) -> None:
    data = body.encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json; charset=utf-8")
    request.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(data)
