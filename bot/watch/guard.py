"""urllib3 connections that resolve once, check every address, and connect to a checked one.

Checking the URL's host name and then letting the HTTP library resolve it again leaves a gap
a rebinding DNS server can use (F4). Here the resolution that is checked is the one that is
used: ``getaddrinfo`` is called once, every address must pass, and the socket is opened to
the checked IP. ``self.host`` stays the name, so the Host header and TLS SNI/verification
are those of the name. Each socket is handed to the fetch's :class:`Deadline` before it
connects, so the watchdog can cut any part of the request (connect, TLS, status, headers, body).
Within one poll round a :class:`Resolutions` keeps each (host, port)'s checked addresses (or its
refusal): a thousand feeds on a few hosts resolve each host once, and every connection still
goes to an address that was checked.
"""

from __future__ import annotations

import functools
import socket
import threading
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from bot.watch.deadline import Deadline
from bot.watch.errors import FetchError
from bot.watch.urls import address_allowed

AddressInfo = tuple[Any, ...]  # one ``getaddrinfo`` row: family, type, proto, name, sockaddr


def checked_addresses(
    host: str, port: int, *, allow_private: bool, allowed_addresses: frozenset[str]
) -> list[AddressInfo]:
    """Resolve ``host`` once and return its addresses if every one passes the guard.

    Raise ``FetchError("dns")`` when it does not resolve, ``FetchError("address")`` when any
    address is refused (one private address among public ones is enough: F4).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError("dns") from error
    if not infos:
        raise FetchError("dns")
    for info in infos:
        if not address_allowed(
            info[4][0], allow_private=allow_private, allowed_addresses=allowed_addresses
        ):
            raise FetchError("address")
    return infos


class Resolutions:
    """The checked addresses (or the refusal) of each (host, port) of one poll round.

    Lives as long as its round (a few seconds to the fetch deadline), so a host that changes
    its DNS is seen at the next round. The addresses kept are those that were checked, and
    the connection is made to them: caching never lets an unchecked address through.
    """

    def __init__(self) -> None:
        self._found: dict[tuple, list[AddressInfo] | FetchError] = {}
        self._resolving: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(
        self, host: str, port: int, *, allow_private: bool, allowed_addresses: frozenset[str]
    ) -> list[AddressInfo]:
        """Return the checked addresses of (host, port), resolving on first use; raise a refusal."""
        key = (host, port, allow_private, allowed_addresses)
        with self._lock:
            found = self._found.get(key)
            resolving = self._resolving.setdefault(key, threading.Lock())
        if found is None:
            # One lock per host: its other feeds wait for its answer, other hosts do not.
            with resolving:
                with self._lock:
                    found = self._found.get(key)
                if found is None:
                    try:
                        found = checked_addresses(
                            host,
                            port,
                            allow_private=allow_private,
                            allowed_addresses=allowed_addresses,
                        )
                    except FetchError as error:
                        found = error
                    with self._lock:
                        self._found[key] = found
        if isinstance(found, FetchError):
            raise FetchError(found.code)  # a fresh error each time: no shared traceback
        return found


class GuardedMixin:
    """Replace ``_new_conn`` with resolve-once, check-all, connect-to-checked-IP."""

    allow_private: bool = False
    allowed_addresses: frozenset[str] = frozenset()
    host: str
    port: int
    timeout: float | None

    def __init__(
        self,
        *args: Any,
        deadline: Deadline | None = None,
        resolutions: Resolutions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.resolutions = resolutions

    def _new_conn(self) -> socket.socket:
        host = self.host.strip("[]")
        settings = {
            "allow_private": self.allow_private,
            "allowed_addresses": self.allowed_addresses,
        }
        if self.resolutions is None:
            infos = checked_addresses(host, self.port, **settings)
        else:
            infos = self.resolutions.get(host, self.port, **settings)
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                self._watched(sock)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect(sockaddr)
                return sock
            except TimeoutError as error:
                sock.close()
                raise self._late_or(FetchError("timeout")) from error
            except OSError as error:
                sock.close()
                last = error
            except BaseException:
                sock.close()
                raise
        raise self._late_or(FetchError("connect")) from last

    def _watched(self, sock: socket.socket) -> None:
        """Give the socket its connect timeout, capped by the deadline, and let it watch."""
        if self.deadline is None:
            sock.settimeout(self.timeout)
            return
        sock.settimeout(self.deadline.cap(self.timeout))
        self.deadline.watch(sock)

    def _late_or(self, error: FetchError) -> FetchError:
        """Return ``deadline`` instead of ``error`` when the budget ran out meanwhile."""
        if self.deadline is not None and self.deadline.expired:
            return FetchError("deadline")
        return error


class GuardedHTTPConnection(GuardedMixin, HTTPConnection):
    """Plain HTTP connection with the address guard."""


class GuardedHTTPSConnection(GuardedMixin, HTTPSConnection):
    """TLS connection with the address guard; certificate checked against the host name."""


@functools.lru_cache(maxsize=16)
def connection_class(
    tls: bool, allow_private: bool, allowed_addresses: frozenset[str]
) -> type[GuardedMixin]:
    """Return a connection class carrying these guard settings (one per combination)."""
    base = GuardedHTTPSConnection if tls else GuardedHTTPConnection
    attributes = {"allow_private": allow_private, "allowed_addresses": allowed_addresses}
    return type(base.__name__, (base,), attributes)


def make_pool(
    scheme: str,
    host: str,
    port: int | None,
    *,
    allow_private: bool,
    allowed_addresses: frozenset[str],
    timeout: object,
    deadline: Deadline | None = None,
    resolutions: Resolutions | None = None,
) -> HTTPConnectionPool:
    """Build a one-connection pool for one hop whose connections carry the guard settings.

    ``host`` is the ASCII (IDNA) form of the name: the one resolved, checked and sent (Host, SNI).
    With ``resolutions`` (a poll round's) the host's checked addresses are reused.
    """
    conn_cls = connection_class(scheme == "https", allow_private, allowed_addresses)
    pool_cls = HTTPSConnectionPool if scheme == "https" else HTTPConnectionPool
    pool = pool_cls(
        host,
        port=port,
        maxsize=1,
        timeout=timeout,
        retries=False,
        deadline=deadline,
        resolutions=resolutions,
    )
    pool.ConnectionCls = conn_cls
    return pool
