"""Feeds on internationalised host names (médiathèque.fr): checked, resolved and fetched in IDNA form.

No test here resolves or contacts a real name: ``socket.getaddrinfo`` is replaced by a table
that knows only the names below and maps them to the loopback test server.
"""

import ipaddress
import socket

import pytest

from bot.watch.errors import FetchError
from bot.watch.fetch import fetch
from bot.watch.urls import UrlRejected, canonical_url, check_url

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
PUNYCODE = "xn--mdiathque-53af.fr"


@pytest.fixture
def resolver(monkeypatch):
    """Answer only from ``table`` (name -> address), record every name asked, never use DNS."""
    table: dict[str, str] = {PUNYCODE: "127.0.0.1"}
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if _is_literal(host):  # the test server's own 127.0.0.1: no DNS either
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "test: unknown name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table, asked


def _is_literal(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("host", ["médiathèque.fr", "MÉDIATHÈQUE.FR", PUNYCODE])
def test_feed_on_an_internationalised_host_is_fetched(feeds, limits, resolver, host):
    _table, asked = resolver
    port = feeds.server_address[1]
    feeds.route("/rss", body=RSS)
    url = f"http://{host}:{port}/rss"
    result = fetch(url, limits=limits)
    assert result.body == RSS
    assert result.url == url  # the address the user typed, readable
    assert asked == [PUNYCODE]
    assert feeds.requests[-1]["Host"] == f"{PUNYCODE}:{port}"


def redirect_utf8(location: str):
    """A route that redirects with the Location header in raw UTF-8, as web servers send it."""

    def handler(request):
        head = f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
        request.wfile.write(head.encode())

    return handler


def test_redirect_to_an_internationalised_host_is_followed(feeds, limits, resolver):
    port = feeds.server_address[1]
    feeds.routes["/old"] = redirect_utf8(f"http://médiathèque.fr:{port}/rss")
    feeds.route("/rss", body=RSS)
    result = fetch(feeds.url("/old"), limits=limits)
    assert result.body == RSS
    assert result.url == f"http://médiathèque.fr:{port}/rss"


def test_internationalised_host_resolving_to_a_private_address_is_refused(
    monkeypatch, limits, resolver
):
    table, _asked = resolver
    table[PUNYCODE] = "10.0.0.1"
    targets = []

    def connect(self, address):
        targets.append(address)
        raise ConnectionRefusedError("test: never connect")

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(FetchError) as info:
        fetch("http://médiathèque.fr/rss", limits=limits)
    assert info.value.code == "address"
    assert targets == []


def test_redirect_to_a_name_with_no_idna_form_is_a_fetch_error(feeds, limits, resolver):
    _table, asked = resolver
    feeds.routes["/old"] = redirect_utf8("http://☃.example/rss")
    with pytest.raises(FetchError) as info:
        fetch(feeds.url("/old"), limits=limits)
    assert info.value.code == "invalid"
    assert asked == []


@pytest.mark.parametrize(
    "url", ["http://médiathèque.fr/rss", "https://straße.de/feed", "http://xn--mdiathque-53af.fr/"]
)
def test_check_url_accepts_internationalised_hosts_and_keeps_them_readable(url):
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/feed",  # fullwidth localhost
        "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/feed",  # fullwidth 127.0.0.1
        "http://\uff11\uff10.\uff10.\uff10.\uff11/feed",  # fullwidth 10.0.0.1
    ],
)
def test_f2_fullwidth_spellings_of_private_hosts_are_refused(url):
    with pytest.raises(UrlRejected) as info:
        check_url(url)
    assert info.value.code == "address"


@pytest.mark.parametrize("url", ["http://☃.example/rss", "http://exa\u200bmple.\u0000org/"])
def test_host_with_no_idna_form_is_invalid(url):
    with pytest.raises(UrlRejected) as info:
        check_url(url)
    assert info.value.code == "invalid"


@pytest.mark.parametrize(
    "spelling",
    [
        "http://médiathèque.fr/rss",
        "https://MÉDIATHÈQUE.FR/rss/",
        "http://xn--mdiathque-53af.fr/rss",
        "https://XN--MDIATHQUE-53AF.FR:443/rss?utm_source=x",
    ],
)
def test_f15_spellings_of_an_internationalised_host_share_a_readable_canonical_form(spelling):
    assert canonical_url(spelling) == "http://médiathèque.fr/rss"
