"""URL guard (F1, F2) and canonical form (F15)."""

import pytest

from bot.watch.urls import UrlRejected, canonical_url, check_url


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
