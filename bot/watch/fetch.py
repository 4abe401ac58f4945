"""Fetch a feed over HTTP(S) with every limit a hostile or broken server calls for.

Never feedparser's own fetching: it opens local paths, follows redirects anywhere, has no
timeout and no size cap. Here: http(s) only, the address guard on every hop (including the
address actually connected to), at most ``max_redirects`` redirects, connect/read timeouts
and an overall deadline over the whole fetch, redirects included (a watchdog closes the socket
under a server that drips its status line, headers or body, or floods ``100 Continue``), a cap
on the bytes received and another on the bytes after decompression (gzip/deflate bombs are
inflated in bounded steps). Internationalised host names are connected to in IDNA form.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import HTTPError, ProtocolError, ReadTimeoutError

from bot.watch.deadline import Deadline
from bot.watch.errors import FetchError
from bot.watch.guard import Resolutions, make_pool
from bot.watch.inflate import Inflater
from bot.watch.urls import UrlRejected, ascii_host, check_url

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
    resolutions: Resolutions | None = None,
) -> FetchResult:
    """Fetch ``url`` conditionally; raise :class:`FetchError` on any failure or limit.

    ``resolutions`` (a poll round's) reuses the checked addresses of hosts already resolved.
    """
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with Deadline(limits.total_timeout) as deadline:
        for _hop in range(limits.max_redirects + 1):
            url = _checked(url, limits)
            pool = _pool(url, limits, deadline, resolutions)
            try:
                response = _request(pool, url, headers, deadline)
                try:
                    location = _location(response)
                    if response.status in REDIRECT_STATUSES and location:
                        url = urljoin(url, location)
                        continue
                    return _result(url, response, limits, deadline)
                finally:
                    response.release_conn()
                    response.close()
            finally:
                pool.close()
                deadline.forget()
    raise FetchError("too_many_redirects")


def _location(response: urllib3.HTTPResponse) -> str:
    """Return the Location header, read as UTF-8 as servers send it (http.client reads Latin-1)."""
    location = (response.headers.get("Location") or "").strip()
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def _checked(url: str, limits: FetchLimits) -> str:
    """Apply the URL guard to one hop."""
    try:
        return check_url(
            url, allow_private=limits.allow_private, allowed_addresses=limits.allowed_addresses
        )
    except UrlRejected as error:
        raise FetchError(error.code) from error


def _pool(
    url: str, limits: FetchLimits, deadline: Deadline, resolutions: Resolutions | None = None
) -> HTTPConnectionPool:
    """Build the one-connection pool of one hop, to the host's IDNA form, under the deadline."""
    parts = urlsplit(url)
    remaining = deadline.remaining()
    timeout = urllib3.Timeout(
        connect=min(limits.connect_timeout, remaining), read=min(limits.read_timeout, remaining)
    )
    try:
        return make_pool(
            parts.scheme.lower(),
            ascii_host(parts.hostname or ""),
            parts.port,
            allow_private=limits.allow_private,
            allowed_addresses=limits.allowed_addresses,
            timeout=timeout,
            deadline=deadline,
            resolutions=resolutions,
        )
    except UrlRejected as error:
        raise FetchError(error.code) from error
    except (HTTPError, ValueError) as error:
        # urllib3 refusing the host (LocationParseError) is a bad URL, never a crash.
        raise FetchError("invalid") from error


def _request(
    pool: HTTPConnectionPool, url: str, headers: dict[str, str], deadline: Deadline
) -> urllib3.HTTPResponse:
    """Send one GET (no automatic redirects or retries) and return the unread response."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen(
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
        raise _late_or(deadline, "timeout") from error
    except (ReadTimeoutError, TimeoutError) as error:
        raise _late_or(deadline, "timeout") from error
    except HTTPError as error:
        raise _late_or(deadline, "connect") from error
    except OSError as error:
        raise _late_or(deadline, "connect") from error
    if deadline.expired:
        # The watchdog cut the headers short: what was parsed is not the server's answer.
        response.release_conn()
        response.close()
        raise FetchError("deadline")
    return response


def _late_or(deadline: Deadline, code: str) -> FetchError:
    """Return a ``deadline`` error if the budget ran out (the watchdog caused this), else ``code``."""
    return FetchError("deadline" if deadline.expired else code)


def _result(
    url: str, response: urllib3.HTTPResponse, limits: FetchLimits, deadline: Deadline
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


def _read_body(response: urllib3.HTTPResponse, limits: FetchLimits, deadline: Deadline) -> bytes:
    """Read and inflate the body in bounded steps, enforcing both caps and the deadline."""
    inflater = Inflater(response.headers.get("Content-Encoding", ""), limits.max_decoded_bytes)
    received = 0
    sock = getattr(response.connection, "sock", None)
    try:
        while True:
            remaining = deadline.remaining()
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
        raise _late_or(deadline, "timeout") from error
    except (ProtocolError, HTTPError, OSError) as error:
        raise _late_or(deadline, "protocol") from error
    if deadline.expired:
        # The watchdog ended the stream: the body may be cut anywhere.
        raise FetchError("deadline")
    return inflater.finish()
