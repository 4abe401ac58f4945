"""The overall deadline covers the whole request (F5): status line, headers, 100s, body, hops.

Each hostile server keeps every single read under the read timeout, so only a deadline that
covers the whole request stops it. Short limits keep the suite fast: a 2 s budget with a 1.5 s
read timeout; the bound asserted is generous (the machine is shared and noisy).
"""

import contextlib
import dataclasses
import os
import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from bot.watch.errors import FetchError
from bot.watch.fetch import FetchLimits, fetch
from bot.watch.subscribe import SubscribeError, subscribe

SHORT = FetchLimits(
    connect_timeout=1.0,
    read_timeout=1.5,
    total_timeout=2.0,
    allowed_addresses=frozenset({"127.0.0.1"}),
)
# The bot's own timeouts (10 s connect, 15 s read, 30 s overall), guard on but for the test server.
DEFAULT_BUT_LOOPBACK = FetchLimits(allowed_addresses=frozenset({"127.0.0.1"}))
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
# Any single loop of a hostile server stops after this many writes, even if nobody stops it.
MAX_WRITES = 400


def drip(request, stop: threading.Event, data: bytes, every: float) -> None:
    """Write ``data`` one byte every ``every`` seconds until the test stops the server."""
    for index in range(min(len(data), MAX_WRITES)):
        if stop.wait(every):
            return
        request.wfile.write(data[index : index + 1])
        request.wfile.flush()


def endless_headers() -> bytes:
    """Header lines that never end (the loop in :func:`drip` bounds them)."""
    return b"".join(b"X-Pad-%d: x\r\n" % n for n in range(MAX_WRITES))


def timed_fetch_error(url: str, limits: FetchLimits) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(url, limits=limits)
    return info.value, time.monotonic() - started


def test_f5_status_line_dripped_byte_by_byte_is_cut_by_the_deadline(feeds):
    status = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n<rss/>"
    feeds.routes["/drip"] = lambda request: drip(request, feeds.stop, status * 10, 0.5)
    error, elapsed = timed_fetch_error(feeds.url("/drip"), SHORT)
    assert error.code == "deadline"
    assert "trop de temps" in error.describe("fr")
    assert elapsed < 6


@pytest.mark.parametrize("status", [b"200 OK", b"304 Not Modified", b"302 Found"])
def test_f5_headers_dripped_forever_are_cut_by_the_deadline(feeds, status):
    # Whatever the status, headers cut short by the deadline are no answer: never a result
    # (an empty 200 body, a 304 "nothing new"), never a redirect followed.
    def headers(request):
        request.wfile.write(b"HTTP/1.1 " + status + b"\r\nLocation: /elsewhere\r\n")
        request.wfile.flush()
        drip(request, feeds.stop, endless_headers(), 0.5)

    feeds.routes["/drip"] = headers
    feeds.route("/elsewhere", body=b"<rss/>")
    error, elapsed = timed_fetch_error(feeds.url("/drip"), SHORT)
    assert error.code == "deadline"
    assert elapsed < 6
    assert feeds.hits["/elsewhere"] == 0


def test_f5_endless_100_continue_flood_is_cut_by_the_deadline(feeds):
    def flood(request):
        for _ in range(MAX_WRITES):
            if feeds.stop.wait(0.3):
                return
            request.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            request.wfile.flush()

    feeds.routes["/flood"] = flood
    error, elapsed = timed_fetch_error(feeds.url("/flood"), SHORT)
    assert error.code == "deadline"
    assert elapsed < 6


def test_f5_body_dripped_forever_is_still_cut_by_the_deadline(feeds):
    def body(request):
        request.send_response(200)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        drip(request, feeds.stop, b"<" * MAX_WRITES, 0.5)

    feeds.routes["/drip"] = body
    error, elapsed = timed_fetch_error(feeds.url("/drip"), SHORT)
    assert error.code == "deadline"
    assert elapsed < 6


def test_f5_deadline_spans_all_redirect_hops(feeds):
    # Each hop answers in 0.6 s, under the read timeout; six of them exceed the 2 s budget.
    def slow_redirect(hop: int):
        def handler(request):
            if feeds.stop.wait(0.6):
                return
            request.send_response(302)
            request.send_header("Location", f"/r{hop + 1}")
            request.send_header("Content-Length", "0")
            request.end_headers()

        return handler

    for hop in range(6):
        feeds.routes[f"/r{hop}"] = slow_redirect(hop)
    error, elapsed = timed_fetch_error(feeds.url("/r0"), SHORT)
    assert error.code == "deadline"
    assert elapsed < 6
    assert feeds.hits["/r5"] == 0


@pytest.fixture
def tls_dripper():
    """A raw TCP server on loopback that drips a TLS ServerHello record, one byte each 0.3 s."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve():
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                record = b"\x16\x03\x03\x40\x00" + b"\x02" * MAX_WRITES
                for index in range(len(record)):
                    if stop.wait(0.3):
                        return
                    connection.sendall(record[index : index + 1])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/feed"
    stop.set()
    listener.close()
    thread.join(5)


def test_f5_tls_handshake_dripped_is_cut_by_the_deadline(tls_dripper):
    # The handshake is part of the request: with a connect timeout longer than the whole
    # budget, the budget still ends it.
    error, elapsed = timed_fetch_error(tls_dripper, dataclasses.replace(SHORT, connect_timeout=10))
    assert error.code == "deadline"
    assert elapsed < 6


def test_f5_a_fetch_inside_its_budget_is_untouched(feeds):
    # A server slower than the old checks expected but within the budget still delivers.
    status = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n<rss/>"
    feeds.routes["/slowish"] = lambda request: drip(request, feeds.stop, status, 0.01)
    result = fetch(feeds.url("/slowish"), limits=SHORT)
    assert result.body == b"<rss/>"


def test_f5_the_watchdog_leaves_no_thread_per_fetch_and_no_descriptor_behind(feeds):
    # The watch runs for months: a thread or a socket left per fetch would exhaust the process.
    feeds.route("/feed", body=b"<rss/>")
    feeds.route("/moved", 302, Location="/feed")
    descriptors = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        assert fetch(feeds.url("/moved"), limits=SHORT).body == b"<rss/>"
        with pytest.raises(FetchError):
            fetch(feeds.url("/missing"), limits=SHORT)
    # one watchdog thread serves every fetch of the process, however many there were
    assert sum(thread.name == "fetch-deadline" for thread in threading.enumerate()) == 1
    assert len(os.listdir("/proc/self/fd")) <= descriptors + 4


def test_f5_subscribe_on_a_header_dripper_fails_with_the_deadline(feeds, db_path):
    feeds.routes["/drip"] = lambda request: drip(
        request, feeds.stop, b"HTTP/1.1 200 OK\r\n" + endless_headers(), 0.5
    )
    started = time.monotonic()
    with pytest.raises(SubscribeError, match="trop de temps"):
        subscribe(db_path, feeds.url("/drip"), "C1", now=NOW, limits=SHORT)
    assert time.monotonic() - started < 6


def test_f5_slow_default_limits_subscribe_gives_up_within_35_s(feeds, db_path):
    """SLOW (about 30 s): the bot's real 30 s budget, through subscribe(), on a header dripper.

    Every read gets a byte within 0.5 s, far under the 15 s read timeout: before the
    deadline covered headers this subscription never returned, and the watch stopped.
    """
    feeds.routes["/drip"] = lambda request: drip(
        request, feeds.stop, b"HTTP/1.1 200 OK\r\n" + endless_headers(), 0.5
    )
    started = time.monotonic()
    with pytest.raises(SubscribeError, match="trop de temps"):
        subscribe(db_path, feeds.url("/drip"), "C1", now=NOW, limits=DEFAULT_BUT_LOOPBACK)
    elapsed = time.monotonic() - started
    assert 25 < elapsed < 35
