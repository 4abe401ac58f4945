"""Parsing from bytes: paths (F1), entities (F7), not-a-feed (F8), encodings (F9),
identity (F11), dates (F12)."""

import sys
import time
from datetime import UTC, datetime

import pytest

from bot.watch.errors import FetchError
from bot.watch.parse import parse_feed


def rss(items: str, extra: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{extra}<rss version="2.0"><channel>'
        f"<title>Veille</title><link>https://ex.org/</link>{items}</channel></rss>"
    ).encode()


def item(guid="", link="", title="Titre", date="", summary="") -> str:
    parts = [f"<title>{title}</title>"]
    if guid:
        parts.append(f"<guid>{guid}</guid>")
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    return "<item>" + "".join(parts) + "</item>"


@pytest.fixture
def audit():
    """Record open() of files and outbound URL/socket use during the test."""
    events = []
    active = [True]

    def hook(event, args):
        if active[0] and event in ("open", "urllib.Request", "socket.connect"):
            path = str(args[0])
            if event != "open" or (
                not path.endswith((".pyc", ".py")) and "__pycache__" not in path
            ):
                events.append((event, path))

    sys.addaudithook(hook)
    yield events
    active[0] = False


def test_f1_body_that_is_a_local_path_is_parsed_as_a_document(audit):
    with pytest.raises(FetchError) as info:
        parse_feed(b"/etc/passwd")
    assert info.value.code == "not_a_feed"
    assert audit == []


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
    + "\n".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    + "\n]>"
)


@pytest.mark.parametrize(
    "doctype",
    [
        BILLION_LAUGHS,
        BILLION_LAUGHS.replace("\n", ""),
        '<!DOCTYPE rss [<!ENTITY j SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss SYSTEM "http://127.0.0.2:9/evil.dtd">',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.2:9/p.dtd"> %p;]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    ],
)
def test_f7_entity_attacks_neither_expand_nor_open_anything(audit, internal, doctype):
    doctype = doctype.replace("127.0.0.2:9", f"127.0.0.2:{internal.server_address[1]}")
    body = (
        doctype + '<rss version="2.0"><channel><title>T</title>'
        "<item><guid>1</guid><title>x &j;</title></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    try:
        feed = parse_feed(body)
        titles = [entry.title for entry in feed.entries]
    except FetchError:
        titles = []
    assert time.monotonic() - started < 1.0
    assert all(len(title) < 50 and "root:" not in title for title in titles)
    assert audit == []
    assert internal.hits.total() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Login</title></head><body><form>pw</form></body></html>",
        b"",
        b'{"items": [{"title": "json"}]}',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    ],
    ids=["html", "empty", "json", "image"],
)
def test_f8_not_a_feed_is_reported(body):
    with pytest.raises(FetchError) as info:
        parse_feed(body)
    assert info.value.describe("fr") == "cette adresse n'est pas un flux RSS, Atom ou JSON Feed"
    assert info.value.describe("en") == "this URL is not an RSS, Atom or JSON feed"


def test_f8_empty_but_valid_feed_is_a_feed():
    assert parse_feed(rss("")).title == "Veille"


def test_f9_invalid_utf8_bytes_still_give_items():
    body = rss(item(guid="1", title="Caf\xe9 ok") + item(guid="2", title="Deux"))
    body = body.replace("Café".encode(), b"Caf\xe9")  # Latin-1 byte in a UTF-8 document
    feed = parse_feed(body)
    assert [entry.key for entry in feed.entries] == ["id:1", "id:2"]
    assert feed.entries[0].title.startswith("Caf")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_f9_utf16_without_bom_is_read(codec):
    body = (
        rss(item(guid="1", title="Été")).decode().replace('encoding="utf-8"', 'encoding="utf-16"')
    )
    feed = parse_feed(body.encode(codec))
    assert [(entry.key, entry.title) for entry in feed.entries] == [("id:1", "Été")]


def test_f9_document_cut_mid_item_keeps_only_complete_items():
    whole = rss(item(guid="1", title="Un") + item(guid="2", title="Deux"))
    cut = whole[: whole.index(b"<title>Deux") + 9]
    feed = parse_feed(cut)
    assert feed.bozo
    assert [entry.key for entry in feed.entries] == ["id:1"]


def test_f11_keys_fall_back_from_guid_to_link_to_hash():
    body = rss(
        item(guid="g1", link="https://ex.org/a", title="A")
        + item(link="https://ex.org/b", title="B")
        + item(title="C sans rien")
    )
    keys = [entry.key for entry in parse_feed(body).entries]
    assert keys[:2] == ["id:g1", "link:https://ex.org/b"]
    assert keys[2].startswith("hash:")
    assert keys == [entry.key for entry in parse_feed(body).entries]  # stable


def test_f11_same_guid_twice_in_one_feed_gives_one_entry():
    feed = parse_feed(rss(item(guid="same", title="Un") + item(guid="same", title="Deux")))
    assert [(e.key, e.title) for e in feed.entries] == [("id:same", "Un")]


def test_f12_odd_dates_are_kept_or_dropped_never_fatal():
    body = rss(
        item(guid="1", date="Fri, 01 Jan 2100 00:00:00 GMT")
        + item(guid="2", date="le jour d'après")
        + item(guid="3")
        + item(guid="4", date="Tue, 12 Jan 2027 08:30:00 +0100")
    )
    dates = [entry.published for entry in parse_feed(body).entries]
    assert dates[0].year == 2100
    assert dates[1] is None
    assert dates[2] is None
    assert dates[3] == datetime(2027, 1, 12, 7, 30, tzinfo=UTC)


def test_titles_are_decoded_and_collapsed_and_summaries_stripped():
    body = rss(
        item(
            guid="1",
            title="Caf&amp;eacute;   &#233;t&#233;\n\n  solidaire",
            summary="&lt;p&gt;Un &lt;b&gt;texte&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;"
            "&lt;br/&gt;riche &amp;amp; libre&lt;/p&gt;",
        )
    )
    entry = parse_feed(body).entries[0]
    assert entry.title == "Café été solidaire"
    assert entry.summary == "Un texte riche & libre"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://ex.org/a?utm_source=x", "https://ex.org/a?utm_source=x"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("slack://open", None),
        ("file:///etc/passwd", None),
        ("/relative/path", "https://feeds.ex.org/relative/path"),
    ],
)
def test_f14_only_absolute_http_links_are_kept(link, expected):
    entry = parse_feed(rss(item(guid="1", link=link)), url="https://feeds.ex.org/rss").entries[0]
    assert entry.link == expected


def test_canonical_url_of_entry_drops_tracking():
    entry = parse_feed(rss(item(guid="1", link="https://Ex.org/a/?utm_source=x#c"))).entries[0]
    assert entry.canonical_url == "http://ex.org/a"


def test_atom_feed_with_html_title_and_content():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<entry><id>urn:1</id><title type="html">&lt;b&gt;Gras&lt;/b&gt; titre</title>
<link href="https://ex.org/1"/><updated>2027-01-11T09:00:00Z</updated>
<content type="html">&lt;p&gt;Corps&lt;/p&gt;</content></entry></feed>"""
    entry = parse_feed(body).entries[0]
    assert (entry.key, entry.title, entry.summary) == ("id:urn:1", "Gras titre", "Corps")
    assert entry.published == datetime(2027, 1, 11, 9, tzinfo=UTC)


def test_entry_keys_resolve_against_the_document_url_as_feedparser_does():
    """The memoised base-URI check changes no key: relative permalink guids still resolve."""
    body = rss(item(guid="12345") + '<item><guid isPermaLink="false">abc</guid></item>')
    first = parse_feed(body, url="https://feeds.ex.org/a/rss")
    again = parse_feed(body, url="https://feeds.ex.org/a/rss")
    assert [e.key for e in first.entries] == ["id:https://feeds.ex.org/a/12345", "id:abc"]
    assert again == first
