"""The formats people publish: JSON Feed 1.0/1.1, origLinks, control characters, plain text
kept as typed, non-http links (F8, F11, F14). One tiny document per behaviour, expectations
as dicts (feedparser-corpus style): each listed entry field must hold, in document order."""

import json
import time
from datetime import UTC, datetime

import pytest

from bot.watch.errors import FetchError
from bot.watch.parse import parse_feed

V1 = "https://jsonfeed.org/version/1"
V11 = "https://jsonfeed.org/version/1.1"
FB = 'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'


def jsonfeed(items: list, version: str = V11, **feed) -> bytes:
    return json.dumps({"version": version, "title": "Flux JSON", **feed, "items": items}).encode()


def rss(items: str, ns: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {ns} '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Veille</title>'
        f"{items}</channel></rss>"
    ).encode()


def atom(entries: str, ns: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" {ns}>'
        f"<title>Atom</title>{entries}</feed>"
    ).encode()


CASES = [
    pytest.param(
        jsonfeed(
            [
                {
                    "id": "https://ex.org/1",
                    "url": "https://ex.org/1.html",
                    "title": "Premier",
                    "content_html": "<p>Corps &amp; <b>gras</b></p>",
                    "date_published": "2020-08-07T11:44:36-05:00",
                }
            ]
        ),
        "application/feed+json",
        {
            "title": "Flux JSON",
            "entries": [
                {
                    "key": "id:https://ex.org/1",
                    "title": "Premier",
                    "link": "https://ex.org/1.html",
                    "canonical_url": "http://ex.org/1.html",
                    "summary": "Corps & gras",
                    "published": datetime(2020, 8, 7, 16, 44, 36, tzinfo=UTC),
                }
            ],
        },
        id="jsonfeed-1.1",
    ),
    pytest.param(
        jsonfeed(
            [
                {"id": 42, "url": "https://ex.org/42", "content_text": "Texte seul"},
                {"id": 7.0, "url": "https://ex.org/7", "content_html": "<div>HTML seul</div>"},
                {"url": "https://ex.org/sans-id", "summary": "Résumé", "content_text": "non"},
            ],
            version=V1,
        ),
        "application/json",
        {
            "entries": [
                {"key": "id:42", "title": "", "summary": "Texte seul"},
                {"key": "id:7.0", "summary": "HTML seul"},
                {"key": "link:https://ex.org/sans-id", "summary": "Résumé"},
            ]
        },
        id="jsonfeed-1.0-numeric-ids-missing-titles",
    ),
    pytest.param(
        jsonfeed(
            [
                {"id": "a", "date_published": "hier soir", "date_modified": "2027-01-11T09:00:00Z"},
                {"id": "b", "date_published": "2027-13-45T99:00:00Z"},
                {"id": "c", "date_modified": "2027-01-11t09:00:00.250z"},
                {"id": "d", "date_published": 1700000000},
            ]
        ),
        "",
        {
            "entries": [
                {"key": "id:a", "published": datetime(2027, 1, 11, 9, tzinfo=UTC)},
                {"key": "id:b", "published": None},
                {"key": "id:c", "published": datetime(2027, 1, 11, 9, tzinfo=UTC)},
                {"key": "id:d", "published": None},
            ]
        },
        id="jsonfeed-dates-bad-or-modified",
    ),
    pytest.param(
        jsonfeed(
            [
                {"id": "rel", "url": "/relative/1"},
                {"id": "js", "url": "javascript:alert(1)"},
                {"id": "ext", "url": "javascript:alert(1)", "external_url": "https://ext.org/a"},
                {
                    "id": "at",
                    "url": "at://did:plc:x/app.bsky.feed.post/1",
                    "external_url": "https://bsky.app/p/1",
                },
                {"id": "data", "external_url": "data:text/html,hi"},
            ]
        ),
        "application/feed+json",
        {
            "entries": [
                {"key": "id:rel", "link": None, "canonical_url": None},
                {"key": "id:js", "link": None},
                {"key": "id:ext", "link": "https://ext.org/a"},
                {"key": "id:at", "link": "https://bsky.app/p/1"},
                {"key": "id:data", "link": None},
            ]
        },
        id="jsonfeed-links-http-only",
    ),
    pytest.param(
        b"\xef\xbb\xbf\n  " + jsonfeed([{"id": "1", "title": "Avec BOM"}]),
        "text/plain",
        {"entries": [{"key": "id:1", "title": "Avec BOM"}]},
        id="jsonfeed-bom-sniffed-without-json-type",
    ),
    pytest.param(
        jsonfeed([{"id": "1", "title": "AT&amp;T &copy=2 <b>"}], title="A &amp; B"),
        "",
        {"title": "A &amp; B", "entries": [{"title": "AT&amp;T &copy=2 <b>"}]},
        id="jsonfeed-titles-are-plain-text",
    ),
    pytest.param(
        rss(
            "<item><guid isPermaLink='false'>g1</guid>"
            "<link>http://feeds.feedburner.com/~r/Veille/~3/abc/</link>"
            "<feedburner:origLink>https://ex.org/story</feedburner:origLink>"
            "<enclosure url='http://feeds.feedburner.com/~r/Veille/~5/e.mp3' type='audio/mpeg' length='1'/>"
            "<feedburner:origEnclosureLink>https://ex.org/e.mp3</feedburner:origEnclosureLink>"
            "</item>",
            ns=FB,
        ),
        "",
        {
            "entries": [
                {
                    "key": "id:g1",
                    "link": "https://ex.org/story",
                    "canonical_url": "http://ex.org/story",
                }
            ]
        },
        id="rss-feedburner-origlink",
    ),
    pytest.param(
        atom(
            "<entry><id>urn:1</id><title>A</title>"
            '<link rel="alternate" href="http://feedproxy.google.com/~r/Veille/~3/xyz/"/>'
            "<fb:origLink>https://ex.org/atom-story</fb:origLink></entry>",
            ns='xmlns:fb="http://rssnamespace.org/feedburner/ext/1.0"',
        ),
        "",
        {"entries": [{"key": "id:urn:1", "link": "https://ex.org/atom-story"}]},
        id="atom-origlink-any-prefix",
    ),
    pytest.param(
        rss(
            "<item><guid isPermaLink='false'>p1</guid>"
            "<link>http://ads.pheedo.com/click.phdo?x=1</link>"
            "<pheedo:origLink>https://ex.org/pheedo</pheedo:origLink></item>"
            "<item><guid isPermaLink='false'>p2</guid>"
            "<link>https://ex.org/kept</link>"
            "<pheedo:origLink>javascript:alert(1)</pheedo:origLink></item>",
            ns='xmlns:pheedo="http://www.pheedo.com/namespace/pheedo"',
        ),
        "",
        {
            "entries": [
                {"key": "id:p1", "link": "https://ex.org/pheedo"},
                {"key": "id:p2", "link": "https://ex.org/kept"},
            ]
        },
        id="rss-pheedo-origlink-http-only",
    ),
    pytest.param(
        rss(
            "<item><guid>c1</guid><title>Pay&#x202E;lpd.exe&#x202C; now&#x7F;</title>"
            "<description>a&amp;#x2066;b&amp;#x2069; &amp;#x202E;c&lt;br&gt;d</description></item>"
        ),
        "",
        {"entries": [{"title": "Paylpd.exe now", "summary": "ab c d"}]},
        id="rss-bidi-and-del-removed",
    ),
    pytest.param(
        jsonfeed(
            [
                {
                    "id": "c\u0000\ud800",
                    "title": "un\u0001\u0008deux\ttrois\nquatre\u2067",
                    "summary": "x\u001fy\u202dz",
                }
            ]
        ),
        "",
        {"entries": [{"key": "id:c", "title": "undeux trois quatre", "summary": "xyz"}]},
        id="jsonfeed-controls-and-lone-surrogates-removed",
    ),
    pytest.param(
        rss("<item><guid>t1</guid><title>a &amp;copy=2</title></item>"),
        "",
        {"entries": [{"title": "a &copy=2"}]},
        id="rss-plain-title-keeps-copy",
    ),
    pytest.param(
        atom(
            '<entry><id>urn:t1</id><title type="text">a &amp;copy=2</title>'
            '<summary type="text">b &amp;copy=2</summary></entry>'
            '<entry><id>urn:t2</id><title type="html">a &amp;copy=2</title>'
            '<summary type="html">b &amp;copy=2</summary></entry>'
            '<entry><id>urn:t3</id><title type="text">AT&amp;amp;T</title>'
            "<summary>x&amp;nbsp;y &lt;p&gt;z&lt;/p&gt;</summary></entry>"
        ),
        "",
        {
            "entries": [
                {"title": "a &copy=2", "summary": "b &copy=2"},
                {"title": "a \xa9=2", "summary": "b \xa9=2"},
                {"title": "AT&amp;T", "summary": "x y z"},
            ]
        },
        id="atom-entities-decoded-only-in-html",
    ),
    pytest.param(
        atom(
            '<entry><id>urn:b1</id><link rel="alternate" href="https://bsky.app/profile/x/post/1"/>'
            '<link href="at://did:plc:x/app.bsky.feed.post/1"/></entry>'
            '<entry><id>urn:b2</id><link href="at://did:plc:x/2"/>'
            '<link rel="enclosure" href="https://cdn.ex.org/2.mp3"/>'
            '<link rel="related" href="https://ex.org/"/>'
            '<link rel="shortlink" href="https://ex.org/?p=2"/></entry>'
            '<entry><id>urn:b3</id><link href="at://did:plc:x/3"/>'
            '<link rel="enclosure" href="https://cdn.ex.org/3.mp3"/></entry>'
        ),
        "",
        {
            "entries": [
                {"key": "id:urn:b1", "link": "https://bsky.app/profile/x/post/1"},
                {"key": "id:urn:b2", "link": "https://ex.org/?p=2"},
                {"key": "id:urn:b3", "link": None},
            ]
        },
        id="atom-at-link-with-http-alternate",
    ),
    pytest.param(
        rss(
            "<item><guid isPermaLink='false'>at://did:plc:x/app.bsky.feed.post/9</guid>"
            '<atom:link rel="alternate" href="https://bsky.app/profile/x/post/9"/>'
            "<link>at://did:plc:x/app.bsky.feed.post/9</link></item>"
        ),
        "",
        {"entries": [{"link": "https://bsky.app/profile/x/post/9"}]},
        id="rss-at-link-with-atom-alternate",
    ),
]


@pytest.mark.parametrize(("body", "content_type", "expected"), CASES)
def test_formats_corpus(body, content_type, expected):
    feed = parse_feed(body, "https://feeds.ex.org/flux", content_type or "application/xml")
    assert not feed.bozo
    if "title" in expected:
        assert feed.title == expected["title"]
    assert len(feed.entries) == len(expected["entries"])
    for entry, fields in zip(feed.entries, expected["entries"], strict=True):
        assert {name: getattr(entry, name) for name in fields} == fields


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"data": [{"id": 1, "title": "x"}], "version": "2.3"}', "application/json"),
        (b'{"version": "https://example.org/version/1", "items": []}', "application/feed+json"),
        (b'[{"version": "https://jsonfeed.org/version/1.1"}]', "application/json"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', ""),
        (b'{"version": "https://jsonfeed.org/version/1.1", "n": ' + b"9" * 5000 + b"}", ""),
        (b'{"version": "https://jsonfeed.org/version/1.1", "t": "\xff\xfe"}', ""),
    ],
    ids=["api", "other-version-url", "array", "cut-off", "huge-number", "bad-utf8"],
)
def test_f8_json_that_is_not_a_json_feed_is_not_a_feed(body, content_type):
    with pytest.raises(FetchError) as info:
        parse_feed(body, "https://api.ex.org/v1/posts", content_type)
    assert info.value.code == "not_a_feed"


@pytest.mark.parametrize(
    "opener", [b"[", b'{"a":', b'{"version": "https://jsonfeed.org/version/1", "x":[']
)
def test_f8_deeply_nested_json_is_refused_quickly(opener):
    body = opener * 200_000  # ~1-6 MB of nesting, under the fetch size cap
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        parse_feed(body, "https://api.ex.org/deep", "application/json")
    assert info.value.code == "not_a_feed"
    assert time.monotonic() - started < 5.0


def test_f8_xml_served_as_json_is_still_read_as_xml():
    feed = parse_feed(rss("<item><guid>1</guid></item>"), "", "application/json")
    assert [entry.key for entry in feed.entries] == ["id:1"]


def test_f11_origlink_does_not_change_the_key_of_a_guidless_item():
    """Keys stay on the document's <link>: no item of an existing feed is posted twice."""
    body = rss(
        "<item><title>Sans guid</title><link>http://feeds.feedburner.com/~r/V/~3/abc/</link>"
        "<feedburner:origLink>https://ex.org/story</feedburner:origLink></item>",
        ns=FB,
    )
    entry = parse_feed(body).entries[0]
    assert entry.key == "link:http://feeds.feedburner.com/~r/V/~3/abc/"
    assert entry.link == "https://ex.org/story"


def test_f11_jsonfeed_same_id_twice_gives_one_entry():
    feed = parse_feed(jsonfeed([{"id": 1, "title": "Un"}, {"id": "1", "title": "Deux"}]))
    assert [(entry.key, entry.title) for entry in feed.entries] == [("id:1", "Un")]


def test_jsonfeed_odd_shapes_are_skipped_not_fatal():
    body = jsonfeed(
        [
            "texte",
            7,
            None,
            {"id": {"x": 1}, "title": ["liste"], "url": 12, "summary": {"a": 1}},
            {"id": True, "title": "ok", "date_published": ["2020"]},
        ]
    )
    feed = parse_feed(body)
    assert [(entry.title, entry.link, entry.summary) for entry in feed.entries] == [
        ("", None, ""),
        ("ok", None, ""),
    ]
    assert all(entry.key.startswith("hash:") for entry in feed.entries)
    assert parse_feed(json.dumps({"version": V1, "items": {"a": 1}}).encode()).entries == ()
