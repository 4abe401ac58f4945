"""Fetch a feed over HTTP(S) with every limit a hostile or broken server calls for.

Never feedparser's own fetching: it opens local paths, follows redirects anywhere, has no
timeout and no size cap. Here: http(s) only, the address guard on every hop (including the
address actually connected to), at most ``max_redirects`` redirects, connect/read timeouts
and an overall deadline checked between reads (slow-loris), a cap on the bytes received and
another on the bytes after decompression (gzip/deflate bombs are inflated in bounded steps).
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, ProtocolError, ReadTimeoutError

from bot.watch.errors import FetchError
from bot.watch.guard import make_pool
from bot.watch.inflate import Inflater
from bot.watch.urls import UrlRejected, check_url

MIB = 1024 * 1024
USER_AGENT = "Veilleur/0.1 (veille partagée CERAPCOOP-RESACOOP)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts (seconds) and caps (bytes) for one fetch."""

    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * MIB
    max_decoded_bytes: int = 10 * MIB
    max_redirects: int = 5
    allow_private: bool = False
    allowed_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned: a body to parse, or ``not_modified`` (304: nothing to do)."""

    url: str
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    not_modified: bool = False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def status_error(status: int, retry_after: str | None) -> FetchError:
    """Map a non-success HTTP status to a :class:`FetchError` (F13)."""
    delay = parse_retry_after(retry_after)
    if status == 404:
        return FetchError("not_found", status=status)
    if status == 410:
        return FetchError("gone", status=status)
    if status == 429:
        return FetchError("rate_limited", status=status, retry_after=delay)
    if status == 503:
        return FetchError("unavailable", status=status, retry_after=delay)
    if status >= 500:
        return FetchError("server_error", status=status, retry_after=delay)
    return FetchError("http_status", status=status)


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = FetchLimits(),
) -> FetchResult:
    """Fetch ``url`` conditionally; raise :class:`FetchError` on any failure or limit."""
    deadline = time.monotonic() + limits.total_timeout
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(limits.max_redirects + 1):
        url = _checked(url, limits)
        response = _request(url, headers, limits, deadline)
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"].strip())
                continue
            return _result(url, response, limits, deadline)
        finally:
            response.release_conn()
            response.close()
    raise FetchError("too_many_redirects")


def _checked(url: str, limits: FetchLimits) -> str:
    """Apply the URL guard to one hop."""
    try:
        return check_url(
            url, allow_private=limits.allow_private, allowed_addresses=limits.allowed_addresses
        )
    except UrlRejected as error:
        raise FetchError(error.code) from error


def _request(
    url: str, headers: dict[str, str], limits: FetchLimits, deadline: float
) -> urllib3.HTTPResponse:
    """Send one GET (no automatic redirects or retries) and return the unread response."""
    parts = urlsplit(url)
    remaining = _remaining(deadline)
    timeout = urllib3.Timeout(
        connect=min(limits.connect_timeout, remaining), read=min(limits.read_timeout, remaining)
    )
    pool = make_pool(
        parts.scheme.lower(),
        parts.hostname or "",
        parts.port,
        allow_private=limits.allow_private,
        allowed_addresses=limits.allowed_addresses,
        timeout=timeout,
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        return pool.urlopen(
            "GET",
            path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
    except FetchError:
        raise
    except urllib3.exceptions.ConnectTimeoutError as error:
        raise FetchError("timeout") from error
    except (ReadTimeoutError, TimeoutError) as error:
        raise FetchError("timeout") from error
    except HTTPError as error:
        raise FetchError("connect") from error
    except OSError as error:
        raise FetchError("connect") from error


def _remaining(deadline: float) -> float:
    """Return the seconds left before the overall deadline, or raise once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("deadline")
    return left


def _result(
    url: str, response: urllib3.HTTPResponse, limits: FetchLimits, deadline: float
) -> FetchResult:
    """Turn a final (non-redirect) response into a result or an error."""
    status = response.status
    etag = response.headers.get("ETag")
    last_modified = response.headers.get("Last-Modified")
    if status == 304:
        return FetchResult(url, status, etag=etag, last_modified=last_modified, not_modified=True)
    if status in REDIRECT_STATUSES:
        raise FetchError("bad_redirect", status=status)
    if status != 200:
        raise status_error(status, response.headers.get("Retry-After"))
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchError("too_large")
    body = _read_body(response, limits, deadline)
    content_type = response.headers.get("Content-Type", "")
    return FetchResult(url, status, body, etag, last_modified, content_type)


def _read_body(response: urllib3.HTTPResponse, limits: FetchLimits, deadline: float) -> bytes:
    """Read and inflate the body in bounded steps, enforcing both caps and the deadline."""
    inflater = Inflater(response.headers.get("Content-Encoding", ""), limits.max_decoded_bytes)
    received = 0
    sock = getattr(response.connection, "sock", None)
    try:
        while True:
            remaining = _remaining(deadline)
            if sock is not None:
                sock.settimeout(min(limits.read_timeout, remaining))
            chunk = response.read1(CHUNK, decode_content=False)
            if not chunk:
                break
            received += len(chunk)
            if received > limits.max_bytes:
                raise FetchError("too_large")
            inflater.feed(chunk)
    except (ReadTimeoutError, TimeoutError) as error:
        raise FetchError("deadline" if time.monotonic() >= deadline else "timeout") from error
    except (ProtocolError, HTTPError, OSError) as error:
        raise FetchError("protocol") from error
    return inflater.finish()
