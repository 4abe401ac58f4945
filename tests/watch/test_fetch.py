"""The HTTP client: guard on every hop (F2-F4), timeouts (F5), caps (F6), statuses (F13)."""

import dataclasses
import gzip
import resource
import socket
import time
import zlib
from datetime import UTC, datetime

import pytest

from bot.watch.errors import FetchError
from bot.watch.fetch import fetch, parse_retry_after

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


def fetch_error(url, limits, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, limits=limits, **kwargs)
    return info.value


def test_fetch_returns_body_and_validators(feeds, limits):
    feeds.route("/feed", body=RSS, ETag='"v1"', Last_Modified="Mon, 11 Jan 2027 09:00:00 GMT")
    result = fetch(feeds.url("/feed"), limits=limits)
    assert result.body == RSS
    assert result.etag == '"v1"'
    assert result.last_modified == "Mon, 11 Jan 2027 09:00:00 GMT"


def test_f2_private_address_is_refused_before_any_request(internal, limits):
    error = fetch_error(internal.url("/feed"), limits)
    assert error.code == "address"
    assert "adresse non autorisée" in error.describe("fr")
    assert internal.hits.total() == 0


def test_f3_redirect_to_private_address_is_refused(feeds, internal, limits):
    feeds.route("/redirect", 302, Location=internal.url("/internal"))
    error = fetch_error(feeds.url("/redirect"), limits)
    assert error.code == "address"
    assert internal.hits.total() == 0


def test_f3_redirect_to_other_scheme_is_refused(feeds, limits):
    feeds.route("/redirect", 301, Location="file:///etc/passwd")
    assert fetch_error(feeds.url("/redirect"), limits).code == "scheme"


def test_f3_redirect_loop_stops(feeds, limits):
    feeds.route("/a", 302, Location="/b")
    feeds.route("/b", 302, Location="/a")
    error = fetch_error(feeds.url("/a"), limits)
    assert error.code == "too_many_redirects"
    assert feeds.hits["/a"] + feeds.hits["/b"] == 6


def test_f3_chain_of_ten_redirects_stops_after_five(feeds, limits):
    for hop in range(10):
        feeds.route(f"/r{hop}", 307, Location=f"/r{hop + 1}")
    feeds.route("/r10", body=RSS)
    assert fetch_error(feeds.url("/r0"), limits).code == "too_many_redirects"
    assert feeds.hits.total() == 6


def test_f3_short_redirect_chain_is_followed(feeds, limits):
    feeds.route("/old", 301, Location=feeds.url("/mid"))
    feeds.route("/mid", 308, Location="/feed")
    feeds.route("/feed", body=RSS)
    result = fetch(feeds.url("/old"), limits=limits)
    assert result.body == RSS
    assert result.url == feeds.url("/feed")


def _rebinding_resolver(monkeypatch, answers):
    calls = []
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host != "feeds.example":
            return real(host, port, *args, **kwargs)
        calls.append(host)
        address = answers[min(len(calls), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return calls


def test_f4_dns_rebinding_connects_to_the_checked_address(monkeypatch, feeds, internal, limits):
    port = feeds.server_address[1]
    feeds.route("/feed", body=RSS)
    calls = _rebinding_resolver(monkeypatch, ["127.0.0.1", "127.0.0.2"])
    result = fetch(f"http://feeds.example:{port}/feed", limits=limits)
    assert result.body == RSS
    assert len(calls) == 1
    assert internal.hits.total() == 0
    assert feeds.requests[-1]["Host"] == f"feeds.example:{port}"


def test_f4_public_then_loopback_never_connects_to_loopback(monkeypatch, limits):
    _rebinding_resolver(monkeypatch, ["93.184.216.34", "127.0.0.1"])
    targets = []

    def fake_connect(self, address):
        targets.append(address[0])
        raise ConnectionRefusedError("test: no internet")

    monkeypatch.setattr(socket.socket, "connect", fake_connect)
    error = fetch_error("http://feeds.example/feed", limits)
    assert error.code == "connect"
    assert targets == ["93.184.216.34"]


def test_f4_any_private_answer_among_several_is_refused(monkeypatch, feeds, limits):
    real = socket.getaddrinfo
    port = feeds.server_address[1]

    def resolver(host, p, *args, **kwargs):
        if host != "feeds.example":
            return real(host, p, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", p)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", p)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    assert fetch_error(f"http://feeds.example:{port}/feed", limits).code == "address"
    assert feeds.hits.total() == 0


def test_f5_silent_server_times_out(feeds, limits):
    feeds.routes["/silent"] = lambda request: feeds.stop.wait(10)
    started = time.monotonic()
    short = dataclasses.replace(limits, read_timeout=0.3)
    assert fetch_error(feeds.url("/silent"), short).code == "timeout"
    assert time.monotonic() - started < 1.0


def test_f5_slow_loris_is_cut_by_the_overall_deadline(feeds, limits):
    def trickle(request):
        request.send_response(200)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        while not feeds.stop.wait(0.1):
            request.wfile.write(b"<")
            request.wfile.flush()

    feeds.routes["/slow"] = trickle
    started = time.monotonic()
    short = dataclasses.replace(limits, total_timeout=0.8)
    assert fetch_error(feeds.url("/slow"), short).code == "deadline"
    assert 0.7 < time.monotonic() - started < 1.6


def test_f6_announced_huge_length_is_refused_without_reading(feeds, limits):
    feeds.route("/big", body=b"x" * 10, Content_Length="200000000")
    assert fetch_error(feeds.url("/big"), limits).code == "too_large"


def test_f6_endless_chunked_stream_stops_at_raw_cap(feeds, limits):
    def stream(request):
        request.protocol_version = "HTTP/1.1"
        request.send_response(200)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        block = b"a" * 65536
        for _ in range(800):  # 50 MiB
            request.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
        request.wfile.write(b"0\r\n\r\n")

    feeds.routes["/stream"] = stream
    assert fetch_error(feeds.url("/stream"), limits).code == "too_large"


@pytest.fixture(scope="module")
def bomb_300mb():
    """About 300 MB of 'A' as 30 concatenated gzip members (legal gzip), about 300 KB."""
    return gzip.compress(b"A" * (10 * 1024 * 1024), 9) * 30


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_f6_compression_bomb_stops_at_decoded_cap(feeds, limits, bomb_300mb, encoding):
    body = bomb_300mb if encoding == "gzip" else zlib.compress(b"A" * (20 * 1024 * 1024), 9)
    feeds.route("/bomb", body=body, Content_Encoding=encoding)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert fetch_error(feeds.url("/bomb"), limits).code == "too_large"
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100 * 1024


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(RSS)),
        ("deflate", zlib.compress(RSS)),
        ("deflate", zlib.compress(RSS)[2:-4]),  # raw deflate, as some servers send it
        ("identity", RSS),
    ],
)
def test_f6_normal_compressed_bodies_are_decoded(feeds, limits, encoding, body):
    feeds.route("/feed", body=body, Content_Encoding=encoding)
    assert fetch(feeds.url("/feed"), limits=limits).body == RSS


def test_f6_unknown_encoding_is_refused(feeds, limits):
    feeds.route("/feed", body=b"...", Content_Encoding="br")
    assert fetch_error(feeds.url("/feed"), limits).code == "encoding"


def test_f13_304_is_not_modified_and_sends_validators(feeds, limits):
    feeds.route("/feed", 304, ETag='"v1"')
    result = fetch(feeds.url("/feed"), etag='"v1"', last_modified="Mon, 11 Jan 2027", limits=limits)
    assert result.not_modified
    assert result.body == b""
    assert feeds.requests[-1]["If-None-Match"] == '"v1"'
    assert feeds.requests[-1]["If-Modified-Since"] == "Mon, 11 Jan 2027"


@pytest.mark.parametrize(
    ("status", "headers", "code", "retry_after", "permanent"),
    [
        (404, {}, "not_found", None, False),
        (410, {}, "gone", None, True),
        (429, {"Retry-After": "120"}, "rate_limited", 120.0, False),
        (503, {"Retry-After": "30"}, "unavailable", 30.0, False),
        (500, {}, "server_error", None, False),
        (403, {}, "http_status", None, False),
    ],
)
def test_f13_statuses_map_to_stable_codes(
    feeds, limits, status, headers, code, retry_after, permanent
):
    feeds.route("/feed", status, b"no", **headers)
    error = fetch_error(feeds.url("/feed"), limits)
    assert (error.code, error.retry_after, error.permanent) == (code, retry_after, permanent)
    assert error.describe("fr") != error.describe("en")


def test_f13_retry_after_accepts_http_dates():
    now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 11 Jan 2027 09:02:00 GMT", now) == 120.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("7", now) == 7.0


def test_connection_refused_is_a_fetch_error(limits):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert fetch_error(f"http://127.0.0.1:{port}/", limits).code == "connect"


def test_server_that_closes_early_is_a_protocol_error(feeds, limits):
    def cut(request):
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        request.wfile.write(b"<rss")

    feeds.routes["/cut"] = cut
    assert fetch_error(feeds.url("/cut"), limits).code == "protocol"
