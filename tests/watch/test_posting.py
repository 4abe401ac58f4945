"""Posting through the local Slack stand-in: O1-O7 and crash reconciliation (D4)."""

import itertools
import time

import pytest

from bot.app import build_client
from bot.watch.notices import notify_paused
from bot.watch.posting import ITEM_EVENT, PostingSettings, post_pending
from handlers.slack_messenger import SlackMessenger
from storage.db import connect, write
from storage.feeds import get_feed
from storage.items import get_item, mark_attempt, pending_items
from tests.watch.helpers import NOW, add_items, make_feed

FAST = PostingSettings(spacing=0.05, retry_base=0.05)


@pytest.fixture
def messenger(config):
    return SlackMessenger(build_client(config, timeout=2))


def posts(slack_api, channel=None):
    calls = slack_api.calls_to("chat.postMessage")
    return [c for c in calls if channel is None or c.params.get("channel") == channel]


def test_items_are_posted_with_metadata_and_marked(db_path, slack_api, messenger):
    feed = make_feed(db_path)
    ids = add_items(db_path, feed, 2)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.posted == ids
    calls = posts(slack_api)
    assert [c.params["metadata"]["event_payload"]["item_id"] for c in calls] == [
        str(i) for i in ids
    ]
    assert all(c.params["metadata"]["event_type"] == ITEM_EVENT for c in calls)
    assert all("link_names" not in c.params and c.params.get("parse") != "full" for c in calls)
    with connect(db_path) as db:
        assert [get_item(db, i).message_ts for i in ids] == [
            m["ts"] for m in slack_api.messages["C1"]
        ]
        assert pending_items(db) == []
    assert post_pending(db_path, messenger, NOW, FAST).posted == []


def test_o1_rate_limited_post_waits_retries_once_and_other_channels_flow(
    db_path, slack_api, messenger
):
    add_items(db_path, make_feed(db_path, channel="C1"), 1, "a")
    add_items(db_path, make_feed(db_path, "https://b.org/rss", channel="C2"), 1, "b")
    slack_api.fail("chat.postMessage", status=429, retry_after=2)
    started = time.monotonic()
    post_pending(db_path, messenger, NOW, FAST)
    calls = posts(slack_api)
    first_channel = calls[0].params["channel"]
    other = "C2" if first_channel == "C1" else "C1"
    assert len(slack_api.messages["C1"]) == len(slack_api.messages["C2"]) == 1
    delayed = posts(slack_api, first_channel)
    assert delayed[-1].at - delayed[0].at >= 1.9
    assert posts(slack_api, other)[0].at < delayed[-1].at
    assert time.monotonic() - started < 5


def test_o2_burst_of_thirty_is_grouped_paced_and_in_order(db_path, slack_api, messenger):
    ids = add_items(db_path, make_feed(db_path), 30)
    post_pending(db_path, messenger, NOW, PostingSettings(spacing=0.05, retry_base=0.05))
    calls = posts(slack_api)
    assert len(calls) == 31
    parent, children = calls[0], calls[1:]
    assert parent.params["text"].startswith("30 nouveaux articles")
    parent_ts = slack_api.messages["C1"][0]["ts"]
    assert all(c.params["thread_ts"] == parent_ts for c in children)
    assert [c.params["metadata"]["event_payload"]["item_id"] for c in children] == [
        str(i) for i in ids
    ]
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
    assert min(gaps) >= 0.045


def test_o2_default_pace_is_one_post_per_second_per_channel():
    assert PostingSettings().spacing == 1.0
    assert PostingSettings().group_threshold == 5


def test_five_items_are_not_grouped(db_path, slack_api, messenger):
    add_items(db_path, make_feed(db_path), 5)
    post_pending(db_path, messenger, NOW, FAST)
    assert all("thread_ts" not in c.params for c in posts(slack_api))
    assert len(posts(slack_api)) == 5


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 500, "times": 3},
        {"status": 503, "times": 3},
        {"status": 200, "body": "<html>oops</html>", "times": 2},
    ],
    ids=["500", "503", "html"],
)
def test_o3_server_errors_then_ok_give_one_post(db_path, slack_api, messenger, fault):
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    slack_api.fail("chat.postMessage", **fault)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.posted == [item_id]
    assert len(slack_api.messages["C1"]) == 1


def test_o3_persistent_errors_leave_the_item_pending(db_path, slack_api, messenger):
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    slack_api.fail("chat.postMessage", status=500, times=10)
    report = post_pending(
        db_path, messenger, NOW, PostingSettings(spacing=0, retry_base=0.01, retries=2)
    )
    assert report.posted == []
    assert len(posts(slack_api)) == 3
    with connect(db_path) as db:
        assert get_item(db, item_id).post_state == "pending"


def test_o4_reset_after_store_is_reconciled_without_a_second_post(db_path, slack_api, messenger):
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    slack_api.fail("chat.postMessage", reset_after_store=True)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert len(slack_api.messages["C1"]) == 1
    assert len(posts(slack_api)) == 1
    assert report.posted == [item_id]
    with connect(db_path) as db:
        assert get_item(db, item_id).message_ts == slack_api.messages["C1"][0]["ts"]


def test_d4_item_posted_before_a_crash_is_found_not_reposted(db_path, slack_api, messenger):
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    with connect(db_path) as db, write(db):
        mark_attempt(db, item_id)
    metadata = {"event_type": ITEM_EVENT, "event_payload": {"item_id": str(item_id)}}
    ts = messenger.post("C1", "déjà publié", metadata=metadata)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.reconciled == [item_id]
    assert len(posts(slack_api)) == 1
    with connect(db_path) as db:
        assert get_item(db, item_id).message_ts == ts


def test_d4_attempt_that_never_reached_slack_is_posted(db_path, slack_api, messenger):
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    with connect(db_path) as db, write(db):
        mark_attempt(db, item_id)
    assert post_pending(db_path, messenger, NOW, FAST).posted == [item_id]
    assert len(slack_api.messages["C1"]) == 1


def test_o5_not_in_channel_joins_then_posts(db_path, slack_api, messenger):
    add_items(db_path, make_feed(db_path), 1)
    slack_api.fail("chat.postMessage", error="not_in_channel")
    post_pending(db_path, messenger, NOW, FAST)
    assert len(slack_api.calls_to("conversations.join")) == 1
    assert len(slack_api.messages["C1"]) == 1


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived", "not_in_channel"])
def test_o5_permanent_channel_error_pauses_feeds_and_tells_the_adder(
    db_path, slack_api, messenger, code
):
    feed = make_feed(db_path, added_by="U7")
    other = make_feed(db_path, "https://b.org/rss", added_by="U8")
    (item_id,) = add_items(db_path, feed, 1)
    slack_api.fail("chat.postMessage", error=code, times=10)
    slack_api.fail("conversations.join", error=code, times=10)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.blocked_channels == ["C1"]
    assert len(posts(slack_api, "C1")) == 1
    assert len(slack_api.calls_to("conversations.join")) == (code == "not_in_channel")
    with connect(db_path) as db:
        assert get_item(db, item_id).post_state == "pending"
        assert get_feed(db, feed.id).paused_reason == code
        assert get_feed(db, other.id).paused
    slack_api.faults.clear()
    assert notify_paused(db_path, messenger) == [feed.id, other.id]
    dm = slack_api.messages["D7"][0]["text"]
    assert "invitez @Veilleur" in dm.lower() or "Invitez @Veilleur" in dm
    assert f"/veille flux reprendre {feed.id}" in dm
    assert notify_paused(db_path, messenger) == []
    assert post_pending(db_path, messenger, NOW, FAST).posted == []


def test_o6_revoked_token_stops_posting(db_path, slack_api, messenger):
    add_items(db_path, make_feed(db_path), 3)
    slack_api.fail("chat.postMessage", error="token_revoked", times=10)
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.stopped == "token_revoked"
    assert len(posts(slack_api)) == 1


def test_o7_msg_too_long_marks_the_item_failed_once(db_path, slack_api, messenger):
    first, second = add_items(db_path, make_feed(db_path), 2)
    slack_api.fail("chat.postMessage", error="msg_too_long")
    report = post_pending(db_path, messenger, NOW, FAST)
    assert report.failed == [first]
    assert report.posted == [second]
    with connect(db_path) as db:
        assert get_item(db, first).post_state == "failed"
    assert post_pending(db_path, messenger, NOW, FAST).posted == []


def test_a_later_source_updates_the_posted_message(db_path, slack_api, messenger):
    from bot.watch.dedup import store_entries
    from bot.watch.posting import refresh_messages
    from tests.watch.helpers import entry

    first = make_feed(db_path, title="RESACOOP")
    second = make_feed(db_path, "https://cerapcoop.org/rss", title="CERAPCOOP")
    with connect(db_path) as db, write(db):
        (item_id,) = store_entries(
            db, first, [entry("a", link="https://ex.org/story")], NOW
        ).new_items
    post_pending(db_path, messenger, NOW, FAST)
    with connect(db_path) as db, write(db):
        merged = store_entries(db, second, [entry("b", link="http://ex.org/story/")], NOW)
    assert merged.merged_items == [item_id]
    assert refresh_messages(db_path, messenger, merged.merged_items, FAST) == [item_id]
    (message,) = slack_api.messages["C1"]
    assert "vu dans : RESACOOP, CERAPCOOP" in str(message["blocks"])


def test_o4_post_slower_than_the_client_timeout_is_not_resent_blindly(db_path, slack_api, config):
    quick = SlackMessenger(build_client(config, timeout=1))
    (item_id,) = add_items(db_path, make_feed(db_path), 1)
    slack_api.fail("chat.postMessage", delay=1.5)
    first = post_pending(db_path, quick, NOW, FAST)
    assert first.posted == []
    time.sleep(0.7)  # the stand-in stores the message once its delay is over
    second = post_pending(db_path, quick, NOW, FAST)
    assert second.reconciled == [item_id]
    assert len(posts(slack_api)) == 1
    assert len(slack_api.messages["C1"]) == 1


def test_f16_concurrent_posting_rounds_post_each_item_once(db_path, slack_api, messenger):
    import threading

    add_items(db_path, make_feed(db_path), 3)
    rounds = [
        threading.Thread(target=post_pending, args=(db_path, messenger, NOW, FAST))
        for _ in range(3)
    ]
    for thread in rounds:
        thread.start()
    for thread in rounds:
        thread.join()
    assert len(slack_api.messages["C1"]) == 3
