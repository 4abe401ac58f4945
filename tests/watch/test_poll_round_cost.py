"""What a round does once instead of per feed (issue 9, 304 cycle and storing): each host is
resolved and checked once per round and its feeds connect to the checked address (F4), the
304s are recorded in bulk, and the title keys come from the parser workers.

No test here resolves a real name: ``socket.getaddrinfo`` answers from a table, and the only
address ever connected to is the loopback test server."""

from __future__ import annotations

import ipaddress
import socket
from datetime import timedelta

import pytest

import bot.watch.dedup as dedup
from bot.watch.normalise import title_key
from bot.watch.parse import parse_feed
from bot.watch.poller import PollSettings
from bot.watch.rounds import poll_feeds
from storage.db import connect, write
from storage.feed_state import record_unchanged
from storage.feeds import get_feed
from storage.items import count_items
from tests.watch.helpers import NOW, make_feed, rss, rss_item


@pytest.fixture
def resolver(monkeypatch):
    """Answer names from ``table`` (name -> address) and count the questions; never use DNS."""
    table: dict[str, str] = {}
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        except ValueError:
            pass
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "test: unknown name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table, asked


def _all_due(db_path: str) -> None:
    with connect(db_path) as db, write(db):
        db.execute("UPDATE feeds SET next_poll_at = NULL")


def test_f4_round_resolves_each_host_once_and_a_rebound_host_is_refused_next_round(
    db_path, feeds, limits, resolver
):
    table, asked = resolver
    table["news.feeds.test"] = "127.0.0.1"
    table["intranet.feeds.test"] = "10.0.0.7"  # private: refused, never connected to
    port = feeds.server_address[1]
    for n in range(4):
        feeds.route(f"/f{n}", body=rss(rss_item(f"{n}", f"Article numéro {n} du flux")))
    good = [make_feed(db_path, f"http://news.feeds.test:{port}/f{n}") for n in range(3)]
    inner = [
        make_feed(db_path, f"http://intranet.feeds.test:{port}/f3", channel=f"C{n}")
        for n in range(2)
    ]
    _all_due(db_path)

    report = poll_feeds(db_path, NOW, PollSettings(limits=limits, workers=4))

    assert (report.polled, report.failed, len(report.new_items)) == (5, 2, 3)
    assert sorted(asked) == ["intranet.feeds.test", "news.feeds.test"]
    assert feeds.hits["/f3"] == 0
    with connect(db_path) as db:
        assert [get_feed(db, f.id).last_error for f in good] == [None] * 3
        assert [get_feed(db, f.id).last_error for f in inner] == ["address"] * 2

    # The next round asks again: a host that now points inside is refused for every feed.
    table["news.feeds.test"] = "192.168.1.20"
    _all_due(db_path)
    hits = sum(feeds.hits[f"/f{n}"] for n in range(3))
    report = poll_feeds(db_path, NOW + timedelta(minutes=15), PollSettings(limits=limits))
    assert (report.polled, report.failed) == (3, 3)  # the refused ones were paused (permanent)
    assert asked.count("news.feeds.test") == 2
    assert sum(feeds.hits[f"/f{n}"] for n in range(3)) == hits  # nothing connected inside
    with connect(db_path) as db:
        assert [get_feed(db, f.id).last_error for f in good] == ["address"] * 3


def test_304s_recorded_together_keep_their_validators_and_skip_paused_feeds(db_path):
    made = [make_feed(db_path, f"https://ex.org/{n}") for n in range(3)]
    with connect(db_path) as db, write(db):
        db.execute("UPDATE feeds SET etag = 'old', last_error = 'timeout', error_count = 2")
        db.execute("UPDATE feeds SET paused = 1 WHERE id = ?", [made[2].id])
        validators = {
            made[0].id: ('"new"', None),
            made[1].id: (None, None),
            made[2].id: ("x", None),
        }
        recorded = record_unchanged(db, validators, NOW)
    assert sorted(recorded) == [made[0].id, made[1].id]
    with connect(db_path) as db:
        stored = [get_feed(db, f.id, include_removed=True) for f in made]
    assert [f.etag for f in stored] == ['"new"', "old", "old"]
    assert [f.error_count for f in stored] == [0, 0, 2]
    assert stored[0].next_poll_at == (NOW + timedelta(minutes=15)).isoformat()
    assert stored[2].last_error == "timeout"  # paused meanwhile: left as it was


def test_a_round_of_304s_is_stored_as_unchanged(db_path, feeds, limits):
    feeds.route("/a", status=304, ETag='"a2"')
    feeds.route("/b", status=304)
    made = [make_feed(db_path, feeds.url(p)) for p in ("/a", "/b")]
    with connect(db_path) as db, write(db):
        db.execute(
            "UPDATE feeds SET next_poll_at = NULL, etag = 'e1', last_success_at = ?",
            [NOW.isoformat()],
        )
    report = poll_feeds(db_path, NOW, PollSettings(limits=limits))
    assert (report.polled, report.not_modified, report.failed) == (2, 2, 0)
    with connect(db_path) as db:
        assert [get_feed(db, f.id).etag for f in made] == ['"a2"', "e1"]
        assert [count_items(db, f.id) for f in made] == [0, 0]


def test_entries_carry_their_title_key_from_the_parser(db_path, monkeypatch):
    parsed = parse_feed(rss(rss_item("1", "  Élections : LE Résultat, enfin !  ")))
    (entry,) = parsed.entries
    assert entry.title_key == title_key(entry.title) == "elections le resultat enfin"

    def not_here(_title):
        raise AssertionError("the storing thread folded a title again")

    monkeypatch.setattr(dedup, "title_key", not_here)
    feed = make_feed(db_path)
    with connect(db_path) as db, write(db):
        first = dedup.store_entries(db, feed, parsed.entries, NOW)
    other = make_feed(db_path, "https://ex.org/other")
    again = parse_feed(rss(rss_item("2", "Elections: le résultat... enfin")))
    with connect(db_path) as db, write(db):
        second = dedup.store_entries(db, other, again.entries, NOW)
    assert len(first.new_items) == 1
    assert second.merged_items == first.new_items  # the same story, by its title key
