"""Validate feed URLs (SSRF guard) and reduce them to a canonical form for de-duplication.

Literal addresses are parsed the way the C resolver does (``inet_aton``), so ``2130706433``,
``0x7f.1`` and ``127.1`` are all recognised as 127.0.0.1. Host names are resolved later, by the
fetcher, which checks every address it actually connects to (see :mod:`bot.watch.fetch`).
Internationalised host names (``médiathèque.fr``) are checked and connected to in their IDNA
(punycode) form, the one DNS knows, and kept readable in the canonical form.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import idna

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})
BLOCKED_HOSTNAMES = frozenset({"localhost", "localhost.localdomain", "metadata.google.internal"})
# Ranges Python's is_private/is_global do not all cover, listed so the intent is explicit.
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
        "fd00:ec2::254/128",
        # IPv4-compatible (::a.b.c.d, deprecated by RFC 4291) and IPv4-translated (SIIT)
        # addresses: no public feed lives there, and a translator would reach the IPv4 inside.
        "::/96",
        "::ffff:0:0:0/96",
        # Local-use NAT64 (RFC 8215): the operator decides what it reaches.
        "64:ff9b:1::/48",
    )
)
# The well-known NAT64 prefix (RFC 6052): on a host with a NAT64 gateway 64:ff9b::a.b.c.d
# reaches a.b.c.d, so the embedded IPv4 address is what must be allowed (DNS64 on an
# IPv6-only host gives public feeds such addresses, so the prefix itself stays usable).
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


class UrlRejected(ValueError):
    """A URL that must not be fetched; ``code`` is a stable catalogue key suffix."""

    def __init__(self, code: str, url: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.url = url


def parse_ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return the address a literal host denotes (any inet_aton form), or None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host:
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def nat64_embedded(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address a well-known-prefix NAT64 address reaches, else None."""
    if address.scope_id is not None:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    if address not in NAT64_PREFIX:
        return None
    return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def ascii_host(host: str) -> str:
    """Return the host as DNS knows it: IDNA (punycode) for a Unicode name, else unchanged.

    Raise :class:`UrlRejected` ("invalid") when a Unicode name has no IDNA form.
    """
    if host.isascii():
        return host
    try:
        # UTS #46 maps case and compatibility forms first (MÉDIATHÈQUE, fullwidth letters).
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as error:
        raise UrlRejected("invalid", host) from error


def readable_host(host: str) -> str:
    """Return a host name lower-cased and, if internationalised, in Unicode (for de-duplication)."""
    host = host.lower()
    if host.isascii() and "xn--" not in host:
        return host
    try:
        return idna.decode(idna.encode(host, uts46=True))
    except (idna.IDNAError, UnicodeError):
        return host


def is_blocked_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address | str) -> bool:
    """Tell whether an address is private, loopback, link-local, CGNAT, multicast or reserved."""
    if isinstance(address, str):
        address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour or nat64_embedded(address)
        if mapped is not None:
            return is_blocked_address(mapped)
        if address.teredo is not None:
            return True
    if any(address in net for net in BLOCKED_NETWORKS if net.version == address.version):
        return True
    return not address.is_global or address.is_multicast


def address_allowed(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | str,
    *,
    allow_private: bool = False,
    allowed_addresses: frozenset[str] = frozenset(),
) -> bool:
    """Tell whether connecting to this address is permitted under the given policy."""
    if allow_private:
        return True
    text = str(address).split("%", 1)[0]
    if text in allowed_addresses:
        return True
    return not is_blocked_address(text)


def check_url(
    url: str, *, allow_private: bool = False, allowed_addresses: frozenset[str] = frozenset()
) -> str:
    """Return the URL stripped of spaces if it may be fetched, else raise :class:`UrlRejected`.

    ``allowed_addresses`` lets tests reach one loopback server while the guard stays on.
    """
    url = (url or "").strip().strip("<>")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UrlRejected("invalid", url) from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UrlRejected("scheme", url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UrlRejected("credentials", url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRejected("invalid", url)
    if port == 0:
        raise UrlRejected("invalid", url)
    try:
        # Check the name that will be resolved: UTS #46 maps fullwidth digits and letters to
        # ASCII, so a fullwidth spelling of 127.0.0.1 or localhost is caught below.
        host = ascii_host(host)
    except UrlRejected as error:
        raise UrlRejected("invalid", url) from error
    if allow_private:
        return url
    if host.lower() in BLOCKED_HOSTNAMES or host.lower().endswith(".localhost"):
        raise UrlRejected("address", url)
    literal = parse_ip_literal(host)
    if literal is not None and not address_allowed(literal, allowed_addresses=allowed_addresses):
        raise UrlRejected("address", url)
    return url


def canonical_url(url: str) -> str:
    """Reduce a URL to the form used to recognise the same feed or story (F15).

    Lower-cases scheme and host (an internationalised host in Unicode, whichever spelling it
    came in), treats http and https alike, drops default ports, the
    fragment, tracking parameters (utm_*, fbclid, gclid, ...) and a trailing slash.
    """
    parts = urlsplit((url or "").strip())
    scheme = parts.scheme.lower()
    if scheme == "https":
        scheme = "http"
    host = readable_host((parts.hostname or "").rstrip("."))
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path or "/"
    while path.endswith("/") and len(path) > 1:
        path = path[:-1]
    if path == "/":
        path = ""
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))
