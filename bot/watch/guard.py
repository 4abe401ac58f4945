"""urllib3 connections that resolve once, check every address, and connect to a checked one.

Checking the URL's host name and then letting the HTTP library resolve it again leaves a gap
a rebinding DNS server can use (F4). Here the resolution that is checked is the one that is
used: ``getaddrinfo`` is called once, every address must pass, and the socket is opened to
the checked IP. ``self.host`` stays the name, so the Host header and TLS SNI/verification
are those of the name. Each socket is handed to the fetch's :class:`Deadline` before it
connects, so the watchdog can cut any part of the request (connect, TLS, status, headers, body).
"""

from __future__ import annotations

import functools
import socket
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from bot.watch.deadline import Deadline
from bot.watch.errors import FetchError
from bot.watch.urls import address_allowed


class GuardedMixin:
    """Replace ``_new_conn`` with resolve-once, check-all, connect-to-checked-IP."""

    allow_private: bool = False
    allowed_addresses: frozenset[str] = frozenset()
    host: str
    port: int
    timeout: float | None

    def __init__(self, *args: Any, deadline: Deadline | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def _new_conn(self) -> socket.socket:
        host = self.host.strip("[]")
        try:
            infos = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchError("dns") from error
        if not infos:
            raise FetchError("dns")
        for info in infos:
            if not address_allowed(
                info[4][0],
                allow_private=self.allow_private,
                allowed_addresses=self.allowed_addresses,
            ):
                raise FetchError("address")
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
) -> HTTPConnectionPool:
    """Build a one-connection pool for one hop whose connections carry the guard settings.

    ``host`` is the ASCII (IDNA) form of the name: the one resolved, checked and sent (Host, SNI).
    """
    conn_cls = connection_class(scheme == "https", allow_private, allowed_addresses)
    pool_cls = HTTPSConnectionPool if scheme == "https" else HTTPConnectionPool
    pool = pool_cls(host, port=port, maxsize=1, timeout=timeout, retries=False, deadline=deadline)
    pool.ConnectionCls = conn_cls
    return pool
