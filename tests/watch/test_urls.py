"""URL guard (F1, F2) and canonical form (F15)."""

import pytest

from bot.watch.urls import UrlRejected, address_allowed, canonical_url, check_url


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "/etc/passwd",
        "ftp://example.org/feed.xml",
        "gopher://example.org/",
        "data:text/xml,<rss/>",
        "feed:file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_f1_disallowed_schemes_are_rejected(url):
    with pytest.raises(UrlRejected) as info:
        check_url(url)
    assert info.value.code == "scheme"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/feed",
        "http://LOCALHOST./feed",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://017700000001/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1:8080/rss",
        "http://224.0.0.1/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
    ],
)
def test_f2_private_literal_addresses_are_rejected(url):
    with pytest.raises(UrlRejected) as info:
        check_url(url)
    assert info.value.code == "address"


@pytest.mark.parametrize("url", ["http://user:pass@example.org/", "https://user@example.org/feed"])
def test_f2_credentials_in_url_are_rejected(url):
    with pytest.raises(UrlRejected) as info:
        check_url(url)
    assert info.value.code == "credentials"


@pytest.mark.parametrize(
    "url", ["https://www.resacoop.org/feed", "http://93.184.216.34/rss", "http://[2606:4700::1]/"]
)
def test_f2_public_urls_are_accepted(url):
    assert check_url(url) == url


def test_f2_private_addresses_pass_when_allowed():
    assert check_url("http://127.0.0.1:8080/feed", allow_private=True)
    with pytest.raises(UrlRejected):
        check_url("file:///etc/passwd", allow_private=True)


@pytest.mark.parametrize(
    "spelling",
    [
        "HTTP://Example.com/feed",
        "http://example.com/feed/",
        "https://example.com/feed",
        "https://example.com:443/feed#top",
        "http://example.com:80/feed?utm_source=x&utm_medium=y",
        "http://example.com/feed?fbclid=1&gclid=2",
    ],
)
def test_f15_spellings_of_one_url_share_a_canonical_form(spelling):
    assert canonical_url(spelling) == "http://example.com/feed"


def test_f15_meaningful_query_and_port_are_kept():
    assert (
        canonical_url("http://example.com:8080/f?id=3&utm_x=1") == "http://example.com:8080/f?id=3"
    )
    assert canonical_url("http://example.com/") == canonical_url("https://EXAMPLE.com")


@pytest.mark.parametrize(
    "address",
    [
        # IPv4-compatible (::a.b.c.d), in its spellings
        "::127.0.0.1",
        "::7f00:1",
        "0:0:0:0:0:0:127.0.0.1",
        "::10.0.0.1",
        "::a00:1",
        "::192.168.1.1",
        "::8.8.8.8",  # deprecated form: refused even with a public address inside
        # NAT64 well-known prefix reaching a private IPv4 address
        "64:ff9b::10.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::7f00:1",
        "64:FF9B:0:0:0:0:7F00:1",
        "64:ff9b::169.254.169.254",
        "64:ff9b::192.168.1.1",
        # local-use NAT64 and IPv4-translated: the operator decides what they reach
        "64:ff9b:1::a00:1",
        "::ffff:0:a00:1",
    ],
)
def test_f2_ipv6_forms_that_reach_private_ipv4_are_refused(address):
    assert not address_allowed(address)
    with pytest.raises(UrlRejected) as info:
        check_url(f"http://[{address}]/feed")
    assert info.value.code == "address"


@pytest.mark.parametrize("address", ["64:ff9b::5db8:d822", "64:ff9b::93.184.216.34"])
def test_f2_nat64_of_a_public_ipv4_stays_allowed(address):
    # DNS64 on an IPv6-only host gives every public feed such an address.
    assert address_allowed(address)
    assert check_url(f"http://[{address}]/feed")


def test_f2_ipv6_private_forms_pass_when_private_urls_are_allowed():
    assert address_allowed("::127.0.0.1", allow_private=True)
    assert address_allowed("64:ff9b::7f00:1", allow_private=True)
    assert check_url("http://[64:ff9b::a00:1]/feed", allow_private=True)
    assert address_allowed("::127.0.0.1", allowed_addresses=frozenset({"::127.0.0.1"}))
