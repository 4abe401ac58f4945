"""Subscriptions, poll state and storing entries (F10, F11, F12, F13, F15, dedup, keywords)."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.watch.dedup import store_entries
from bot.watch.normalise import parse_keywords
from bot.watch.parse import Entry
from bot.watch.urls import canonical_url
from storage.db import write
from storage.feed_state import (
    backoff_delay,
    feeds_to_notify,
    record_failure,
    record_success,
    resume_feed,
)
from storage.feeds import FeedExists, add_feed, due_feeds, get_feed, list_feeds, remove_feed
from storage.items import get_item, list_sources, pending_items

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def entry(key, title="Un titre assez long", link=None, published=None, summary=""):
    return Entry(
        key=key,
        title=title,
        link=link,
        canonical_url=canonical_url(link) if link else None,
        summary=summary,
        published=published,
    )


def subscribe(db, url="https://ex.org/feed", channel="C1", **kwargs):
    with write(db):
        return add_feed(db, url, canonical_url(url), channel, now=NOW, **kwargs)


@pytest.mark.parametrize(
    "spelling", ["HTTP://Ex.org/feed", "http://ex.org/feed/", "https://ex.org/feed"]
)
def test_f15_same_feed_spelled_differently_is_one_subscription(db, spelling):
    first = subscribe(db)
    with pytest.raises(FeedExists) as info:
        subscribe(db, spelling)
    assert info.value.feed.id == first.id
    assert subscribe(db, spelling, channel="C2").id != first.id


def test_removed_feed_comes_back_with_its_seen_entries(db):
    feed = subscribe(db)
    with write(db):
        store_entries(db, feed, [entry("id:1")], NOW)
        remove_feed(db, feed.id, NOW)
    assert list_feeds(db) == []
    again = subscribe(db)
    assert again.id == feed.id
    with write(db):
        report = store_entries(db, again, [entry("id:1")], NOW)
    assert report.new_items == []


def test_seeding_posts_only_the_newest_three(db):
    feed = subscribe(db)
    entries = [
        entry(f"id:{n}", f"Article numéro {n}", published=NOW - timedelta(hours=n))
        for n in range(10)
    ]
    with write(db):
        report = store_entries(db, feed, entries, NOW, seed=True)
    titles = [get_item(db, item_id).title for item_id in report.new_items]
    assert titles == ["Article numéro 2", "Article numéro 1", "Article numéro 0"]
    assert report.seen == 10
    with write(db):
        assert store_entries(db, feed, entries, NOW).new_items == []


def test_f10_huge_backlog_seeds_then_posts_exactly_the_new_ones(db):
    feed = subscribe(db)
    backlog = [entry(f"id:{n}", f"Article {n}") for n in range(20_000)]
    with write(db):
        first = store_entries(db, feed, backlog, NOW, seed=True)
    assert len(first.new_items) == 3
    newer = [entry(f"id:new{n}", f"Nouveau {n}") for n in range(3)]
    with write(db):
        second = store_entries(db, feed, newer + backlog, NOW + timedelta(minutes=15))
    assert [get_item(db, i).title for i in second.new_items] == [
        "Nouveau 2",
        "Nouveau 1",
        "Nouveau 0",
    ]


def test_f11_keyless_entries_polled_three_times_are_stored_once(db):
    feed = subscribe(db)
    for _ in range(3):
        with write(db):
            store_entries(db, feed, [entry("hash:abc", "Sans guid ni lien ni date")], NOW)
    assert len(pending_items(db)) == 1


def test_f11_changed_content_under_the_same_guid_is_not_posted_again(db):
    feed = subscribe(db)
    with write(db):
        store_entries(db, feed, [entry("id:1", "Version un du titre")], NOW)
    with write(db):
        report = store_entries(db, feed, [entry("id:1", "Version deux, corrigée")], NOW)
    assert report.new_items == []
    assert [item.title for item in pending_items(db)] == ["Version un du titre"]


def test_f12_dates_do_not_decide_what_is_new(db):
    feed = subscribe(db)
    future = entry(
        "id:future", "Un article daté de 2100", published=datetime(2100, 1, 1, tzinfo=UTC)
    )
    with write(db):
        store_entries(db, feed, [future], NOW)
    later = entry("id:normal", "Un article normal ensuite", published=NOW)
    undated = entry("id:undated", "Un article sans date du tout")
    with write(db):
        report = store_entries(db, feed, [undated, later, future], NOW)
    assert len(report.new_items) == 2


def test_same_url_in_two_feeds_is_one_item_with_two_sources(db):
    a = subscribe(db, "https://resacoop.org/feed", title="RESACOOP", origin="Lyon")
    b = subscribe(db, "https://cerapcoop.org/rss", title="CERAPCOOP", origin="Clermont-Ferrand")
    with write(db):
        store_entries(
            db, a, [entry("id:a1", "Titre A", link="https://ex.org/story?utm_source=a")], NOW
        )
        report = store_entries(
            db, b, [entry("id:b9", "Autre titre", link="http://EX.org/story/")], NOW
        )
    assert report.new_items == []
    (item,) = pending_items(db)
    assert [s.feed_title for s in list_sources(db, item.id)] == ["RESACOOP", "CERAPCOOP"]


def test_same_title_within_seven_days_is_one_item(db):
    a = subscribe(db, "https://a.org/feed")
    b = subscribe(db, "https://b.org/feed")
    title = "Appel à projets : « Jeunesse et solidarité »"
    with write(db):
        store_entries(db, a, [entry("id:1", title, link="https://a.org/1")], NOW)
        merged = store_entries(db, b, [entry("id:2", title.upper(), link="https://b.org/2")], NOW)
        late = store_entries(
            db,
            b,
            [entry("id:3", title, link="https://b.org/3")],
            NOW + timedelta(days=8),
        )
    assert merged.new_items == []
    assert len(late.new_items) == 1


def sources_of(db, item_id):
    sql = "SELECT entry_key FROM item_sources WHERE item_id = ? ORDER BY entry_key"
    return [row[0] for row in db.execute(sql, [item_id]).fetchall()]


def test_one_story_twice_in_one_feed_is_one_item_with_both_entries(db):
    feed = subscribe(db)
    title = "Assises régionales de la solidarité internationale à Lyon"
    with write(db):
        report = store_entries(
            db,
            feed,
            [
                entry("id:3", title, link="https://ex.org/autre"),  # newest first, as feeds list
                entry("id:2", "Un autre titre bien distinct", link="https://ex.org/assises"),
                entry("id:1", "Assises : le programme", link="https://ex.org/assises"),
            ],
            NOW,
        )
    # Oldest first: id:1 makes an item, id:2 has its URL (one item, two entries), id:3 shares
    # neither its URL nor its title: an item of its own.
    assert len(report.new_items) == 2
    first, third = report.new_items
    assert report.merged_items == [first]
    assert sources_of(db, first) == ["id:1", "id:2"]
    assert sources_of(db, third) == ["id:3"]


def test_same_title_twice_in_one_feed_is_one_item(db):
    feed = subscribe(db)
    title = "Appel à projets Jeunesse et solidarité internationale 2027"
    with write(db):
        report = store_entries(
            db,
            feed,
            [entry("id:2", title.upper(), link="https://ex.org/b"), entry("id:1", title)],
            NOW,
        )
    assert len(report.new_items) == 1
    assert report.merged_items == report.new_items


def test_a_url_match_wins_over_a_title_match_and_the_oldest_item_wins(db):
    a, b, c = (subscribe(db, f"https://{n}.org/feed") for n in "abc")
    title = "Coopération décentralisée : bilan de l'année 2026"
    with write(db):
        by_title = store_entries(db, a, [entry("id:1", title, link="https://a.org/1")], NOW)
        first_at_url = store_entries(
            db, b, [entry("id:2", "Un tout autre titre ici", link="https://ex.org/story")], NOW
        )
        # A second item at the same URL can exist (stored before the rule); the oldest wins.
        db.execute(
            "INSERT INTO items (channel_id, title, canonical_url, title_key, first_seen_at,"
            " post_state) VALUES ('C1', 'x', ?, 'x', ?, 'pending')",
            [canonical_url("https://ex.org/story"), NOW.isoformat()],
        )
        report = store_entries(db, c, [entry("id:3", title, link="https://ex.org/story")], NOW)
    assert report.new_items == []
    assert report.merged_items == first_at_url.new_items
    assert report.merged_items != by_title.new_items


def test_hundreds_of_entries_of_a_feed_are_matched_against_another_feeds(db):
    a, b = subscribe(db, "https://a.org/feed"), subscribe(db, "https://b.org/feed")
    links = [f"https://ex.org/article/{n}" for n in range(1200)]  # more than one query's worth
    with write(db):
        first = store_entries(
            db, a, [entry(f"a:{n}", f"Titre {n}", link=link) for n, link in enumerate(links)], NOW
        )
        again = store_entries(
            db, b, [entry(f"b:{n}", f"Autre {n}", link=link) for n, link in enumerate(links)], NOW
        )
    assert len(first.new_items) == 1200
    assert again.new_items == []
    assert sorted(again.merged_items) == sorted(first.new_items)


def test_same_story_in_another_channel_is_another_item(db):
    a = subscribe(db, channel="C1")
    b = subscribe(db, channel="C2")
    with write(db):
        store_entries(db, a, [entry("id:1", link="https://ex.org/1")], NOW)
        report = store_entries(db, b, [entry("id:1", link="https://ex.org/1")], NOW)
    assert len(report.new_items) == 1


def test_keyword_filter_ignores_case_and_accents(db):
    feed = subscribe(db, keywords=parse_keywords("éducation, migrations"))
    with write(db):
        report = store_entries(
            db,
            feed,
            [
                entry("id:1", "EDUCATION populaire en Auvergne"),
                entry("id:2", "Rien à voir avec le sujet"),
                entry("id:3", "Un texte", summary="Les Migrations en Méditerranée"),
            ],
            NOW,
        )
    assert report.filtered == 1
    assert len(report.new_items) == 2


def test_new_items_are_searchable(db):
    feed = subscribe(db)
    with write(db):
        store_entries(db, feed, [entry("id:1", "Coopération décentralisée au Sénégal")], NOW)
    hits = db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'senegal'").fetchall()
    assert len(hits) == 1


def test_f13_failures_back_off_exponentially_and_pause_after_n(db):
    feed = subscribe(db)
    delays = [backoff_delay(n, None) for n in (1, 2, 3)]
    assert delays == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]
    for _ in range(7):
        with write(db):
            assert not record_failure(db, feed.id, NOW, code="server_error")
    with write(db):
        assert record_failure(db, feed.id, NOW, code="not_a_feed")
    paused = get_feed(db, feed.id)
    assert (paused.paused, paused.paused_reason, paused.error_count) == (True, "not_a_feed", 8)
    assert feeds_to_notify(db) == [feed.id]
    assert due_feeds(db, NOW + timedelta(days=30)) == []


def test_f13_retry_after_is_honoured_up_to_a_cap(db):
    feed = subscribe(db)
    with write(db):
        record_failure(db, feed.id, NOW, code="rate_limited", retry_after=7200)
    assert get_feed(db, feed.id).next_poll_at == (NOW + timedelta(hours=2)).isoformat()
    assert backoff_delay(1, 10**9) == timedelta(hours=6)


def test_f13_gone_pauses_at_once_and_resume_clears(db):
    feed = subscribe(db)
    with write(db):
        assert record_failure(db, feed.id, NOW, code="gone", permanent=True)
    with write(db):
        resume_feed(db, feed.id, NOW)
    resumed = get_feed(db, feed.id)
    assert (resumed.paused, resumed.error_count, resumed.last_error) == (False, 0, None)
    assert [f.id for f in due_feeds(db, NOW)] == [feed.id]


def test_success_records_validators_and_title(db):
    feed = subscribe(db)
    with write(db):
        record_failure(db, feed.id, NOW, code="timeout")
        record_success(
            db, feed.id, NOW, etag='"e"', last_modified="lm", title="Titre", entry_count=4
        )
    saved = get_feed(db, feed.id)
    assert (saved.etag, saved.last_modified, saved.title, saved.error_count) == (
        '"e"',
        "lm",
        "Titre",
        0,
    )
    assert due_feeds(db, NOW + timedelta(minutes=14)) == []
    assert len(due_feeds(db, NOW + timedelta(minutes=15))) == 1
