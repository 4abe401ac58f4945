"""Every Block Kit payload the bot can send is valid by construction, whatever people or feeds typed.

Hostile items, sessions and decisions (10,000-character titles, 5,000-character URLs, URLs full
of ``&``, emoji, RTL and bidi overrides, ``<!channel>``, NUL, 50 KB summaries, many sources) are
rendered by every renderer; each payload is held against slack_sdk's Block Kit models and
against the limits those models do not check (blocks per message or view, unique block and
action ids, fallback text size), and its text against what Slack must never receive (NUL,
bidi overrides, live mentions, cut entities, unclosed links, non-verbatim mrkdwn).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot import features
from bot.core.home import build_home_view
from bot.core.mrkdwn import URL_LINK_LIMIT, slack_len
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from bot.items.lists import list_page
from bot.items.render import lists as list_render
from bot.items.render.detail import build_item_detail
from bot.items.render.lists import build_home_sections, build_item_list
from bot.items.render.message import build_group_message, build_item_message, mrkdwn
from bot.items.render.note_modal import build_note_modal
from bot.items.render.status import status_line
from bot.items.states import ItemList
from bot.meetings import modals
from bot.meetings.render import (
    render_announcement,
    render_decision_dm,
    render_decision_line,
    render_reminder,
    render_session_line,
    section,
)
from storage import claims, decisions, meetings, notes
from storage.feeds import add_feed
from storage.search import search_items

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)
USER = "UALICE"
CHANNEL = "CVEILLE"
MENTIONS = "<!channel> <!here> <!everyone> <@U1> <#C1> <!subteam^S1> <http://evil|bank.com> "


@dataclass(frozen=True)
class Case:
    """What people and feeds typed: one hostile shape of every text the bot shows."""

    name: str
    title: str
    link: str
    summary: str = ""
    feed_title: str = "Flux"
    origin: str = ""
    sources: int = 1


CASES = [
    Case("long_title", "Titre très long " * 700, "https://example.org/a"),
    Case("long_url", "Lien", "https://example.org/" + "a" * 5000),
    Case("url_2450", "Lien moyen", "https://example.org/?" + "q=1&" * 610),
    Case("url_of_amps", "Esperluettes & co", "https://example.org/?" + "&" * 3000),
    Case("long_url_and_title", "Tout est long " * 800, "https://example.org/" + "b/" * 2600),
    Case("emoji", "🎉👩‍👩‍👧‍👦" * 2000, "https://example.org/🎉", summary="😀" * 3000),
    Case(
        "rtl_bidi",
        "مرحبا بالعالم \u202e gnp.exe \u2066x\u2069 " * 300,
        "https://example.org/\u202eevil",
        summary="שלום עולם " * 1000,
        feed_title="\u202eflux\u202c",
    ),
    Case("mentions", MENTIONS * 100, "https://example.org/m", summary=MENTIONS * 300),
    Case(
        "nul_and_controls",
        "a\x00b\x01c\x1bd\x7f " * 1000,
        "https://example.org/\x00",
        summary="\x00" * 100 + "fin",
        feed_title="fl\x00ux",
        origin="\x08orig",
    ),
    Case("summary_50kb", "Résumé énorme", "https://example.org/s", summary="Mot & <b> " * 5000),
    Case(
        "many_sources",
        "Vu partout",
        "https://example.org/p",
        feed_title="Flux au nom interminable & <!here> " * 30,
        origin="Origine " * 100,
        sources=60,
    ),
    Case("not_a_link", "Pas un lien", "javascript:alert(1)|<x>"),
    Case("fences_and_newlines", "```\n" * 2000, "https://example.org/f", summary="\n" * 20000),
]
IDS = [case.name for case in CASES]
_n = itertools.count(1)


# ---- seeding --------------------------------------------------------------------------------


def insert_item(db, case: Case, seen: datetime) -> int:
    """Insert a posted item carrying the case's texts, with its sources, and index it."""
    n = next(_n)
    cursor = db.execute(
        "INSERT INTO items (channel_id, title, link, summary, first_seen_at, post_state, "
        "message_ts) VALUES (?, ?, ?, ?, ?, 'posted', ?)",
        [CHANNEL, case.title, case.link, case.summary, seen.isoformat(), f"1799.{n:06d}"],
    )
    item_id = cursor.lastrowid
    for s in range(case.sources):
        feed = add_feed(db, f"https://f{n}-{s}.example/rss", f"f{n}-{s}.example/rss", CHANNEL,
                        now=NOW - timedelta(days=30), title=f"{case.feed_title} {s}",
                        origin=case.origin)  # fmt: skip
        db.execute(
            "INSERT INTO item_sources (item_id, feed_id, entry_key, link, seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [item_id, feed.id, f"k{n}-{s}", case.link, seen.isoformat()],
        )
    notes.sync_item_fts(db, item_id)
    db.conn.commit()
    return item_id


def seed(db, case: Case) -> dict:
    """Fill the database with hostile items (free, mine, done, flagged), sessions, decisions."""
    day = timedelta(days=1)
    ids = [insert_item(db, case, NOW - day - timedelta(minutes=m)) for m in range(14)]
    for item_id in ids[:11]:
        claims.claim(db, item_id, USER, NOW - day)
    claims.close(db, ids[0], USER, "done", NOW - day)
    for item_id in ids[1:12]:
        claims.set_newsletter(db, item_id, USER, True, NOW - day)
    for _ in range(30):
        notes.add_note(db, ids[1], USER, case.title[:3000] + case.summary[:3000], NOW - day)
    meeting = None
    for k in range(6):
        meeting = meetings.add_meeting(
            db, title=case.title, starts_at=NOW + day * (k + 1), place=case.title[:2000],
            channel_id="CSESSION", created_by=USER, now=NOW - 20 * day,
        )  # fmt: skip
        for _ in range(30):
            meetings.add_agenda_point(db, meeting.id, case.title + case.summary[:2000])
    for k in range(25):
        decisions.add_decision(
            db, meeting_id=meeting.id, text=case.title + case.summary[:3000], owner=USER,
            due_date=(NOW + day * (k % 5)).date(), created_by=USER, now=NOW - 2 * day,
        )  # fmt: skip
    return {"items": ids, "meeting": meeting.id}


@pytest.fixture(params=CASES, ids=IDS)
def hostile(request, db) -> tuple[Case, dict]:
    """Return the case and the ids of a database seeded with it."""
    return request.param, seed(db, request.param)


# ---- checks ---------------------------------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_TOKEN = re.compile(r"<([^<>]*)>")
_BAD_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
LIVE = ["<!channel>", "<!here>", "<!everyone>", "<@U1>", "<#C1>", "<!subteam", "<http://evil"]


def strings(value) -> list[str]:
    """Return every string inside a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def text_objects(value) -> list[dict]:
    """Return every text object ({"type": "mrkdwn"|"plain_text", "text": …}) inside a value."""
    found = []
    if isinstance(value, dict):
        if value.get("type") in ("mrkdwn", "plain_text") and "text" in value:
            found.append(value)
        for v in value.values():
            found += text_objects(v)
    elif isinstance(value, list):
        for v in value:
            found += text_objects(v)
    return found


def check_mrkdwn(text: str) -> None:
    """Assert a mrkdwn text has whole entities, closed links and nothing that pings people."""
    assert not _BAD_ENTITY.search(text), f"cut or raw entity in {text[:200]!r}"
    for token in _TOKEN.findall(text):
        if token.startswith("@"):
            assert token in ("@UALICE",), f"mention of typed text: <{token}>"
            continue
        assert token.startswith(("http://", "https://")), f"unexpected <{token[:80]}>"
        url = token.split("|")[0]
        assert len(url) <= URL_LINK_LIMIT, "a link Slack refuses"
    leftover = _TOKEN.sub("", text)
    assert "<" not in leftover, "unclosed link or raw angle bracket"
    assert ">" not in leftover, "unclosed link or raw angle bracket"


def check_texts(payload) -> None:
    """Assert no text the bot posts carries NUL, controls, bidi overrides or live mentions."""
    for s in strings(payload):
        assert not _UNSAFE.search(s), f"control or bidi character in {s[:80]!r}"
    rendered = json.dumps(payload, ensure_ascii=False)
    for live in LIVE:
        assert live not in rendered
    for obj in text_objects(payload):
        if obj["type"] == "mrkdwn":
            assert obj.get("verbatim") is True, f"mrkdwn not verbatim: {obj['text'][:80]!r}"
            check_mrkdwn(obj["text"])


def check_block_limits(blocks: list[dict]) -> None:
    """Assert the limits slack_sdk's models do not check."""
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "duplicate block_id"
    for block in blocks:
        if block["type"] == "section":
            assert slack_len(block["text"]["text"]) <= 3000
            accessory = block.get("accessory")
            elements = [accessory] if accessory else []
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            for element in block["elements"]:
                assert slack_len(element.get("text", "")) <= 3000
            elements = []
        elif block["type"] == "header":
            assert slack_len(block["text"]["text"]) <= 150
            elements = []
        else:
            elements = block.get("elements", [])
        action_ids = [e["action_id"] for e in elements if "action_id" in e]
        assert len(action_ids) == len(set(action_ids)), "duplicate action_id in a block"
        for element in elements:
            if element.get("type") == "button":
                assert 1 <= slack_len(element["text"]["text"]) <= 75
                assert len(element.get("url", "")) <= 3000
                assert len(element.get("value", "")) <= 2000


def check_blocks(blocks: list[dict], limit: int = 50) -> None:
    """Assert a block set is valid Block Kit: slack_sdk's models, Slack's limits, safe text."""
    assert 1 <= len(blocks) <= limit
    parsed = Block.parse_all(blocks)
    assert None not in parsed, "a block type slack_sdk does not know"
    for block in parsed:
        block.validate_json()
    check_block_limits(blocks)
    check_texts(blocks)


def check_message(text: str, blocks: list[dict]) -> None:
    """Assert a message (fallback text and blocks) is what Slack accepts and shows safely."""
    assert text.strip(), "empty fallback text"
    assert slack_len(text) <= 4000
    check_texts(text)
    check_blocks(blocks, 50)


def check_view(view: dict) -> None:
    """Assert a view (App Home, modal) is valid: slack_sdk's View, ≤ 100 blocks, safe text."""
    View(**view).validate_json()
    check_blocks(view["blocks"], 100)


# ---- every payload --------------------------------------------------------------------------


def test_o7_item_message_is_valid(db, hostile):
    _, ids = hostile
    for item_id in ids["items"][:2]:
        item = claims.get_item(db, item_id)
        check_message(*build_item_message(item, claims.list_sources(db, item_id), "fr"))
        check_message(*build_item_message(item, claims.list_sources(db, item_id), "en"))


def test_o7_grouped_message_is_valid(db, hostile):
    _, ids = hostile
    items = [claims.get_item(db, item_id) for item_id in ids["items"]] * 3
    check_message(*build_group_message(items, "fr"))
    check_message(*build_group_message(items[:12], "en", shown=12))


def test_o7_status_line_is_valid(db, hostile):
    _, ids = hostile
    for item_id in ids["items"][:3]:
        line = status_line(claims.get_item(db, item_id), 30, "fr")
        check_blocks([{"type": "context", "elements": [mrkdwn(line)]}])


@pytest.mark.parametrize("which", list(ItemList))
def test_o7_item_lists_are_valid(db, hostile, which):
    case, _ = hostile
    page = list_page(db, which, USER, limit=10)
    check_message(*build_item_list(page, case.title, "fr", f"/veille liste {case.title} 2"))


def test_o7_search_pages_are_valid(db, hostile):
    case, _ = hostile
    for words in ("Titre", case.title[:200], "mot", "Lien"):
        page = search_items(db, words, limit=10)
        check_message(*build_item_list(page, f"Résultats « {words} »", "fr", "/veille c 2"))


def test_o7_item_detail_is_valid(db, hostile):
    _, ids = hostile
    for item_id in ids["items"][:3]:
        text, blocks = build_item_detail(
            claims.get_item(db, item_id),
            claims.list_sources(db, item_id),
            claims.list_events(db, item_id),
            notes.list_notes(db, item_id),
            "fr",
            "Europe/Paris",
        )
        check_message(text, blocks)


@pytest.mark.parametrize("item_id", [1, 12, 10**15])
def test_o7_note_modal_is_valid(item_id):
    check_view(build_note_modal(item_id, "fr"))
    check_view(build_note_modal(item_id, "en"))


def test_o7_app_home_is_valid(db, hostile):
    for lang in ("fr", "en"):
        view = build_home_view(features.home_parts(), db, USER, lang, "Europe/Paris", NOW)
        check_view(view)
        rendered = json.dumps(view, ensure_ascii=False)
        assert "affichage impossible" not in rendered  # every hostile item is shown, not skipped
        assert len(view["blocks"]) > 10


def test_o7_session_messages_are_valid(db, hostile):
    _, ids = hostile
    meeting = meetings.get_meeting(db, ids["meeting"])
    agenda = meetings.list_agenda(db, meeting.id)
    due = decisions.list_decisions(db, status="open", owner=USER)
    check_message(*render_announcement(meeting, agenda, "fr", "Europe/Paris"))
    for late in (False, True):
        check_message(
            *render_reminder(meeting, agenda, due, late=late, lang="fr", tz="Europe/Paris")
        )
    check_blocks([section(render_session_line(meeting, "fr", "Europe/Paris"))])
    for decision in due[:3]:
        check_blocks([section(render_decision_line(decision, "fr"))])
        for today in (False, True):
            check_message(render_decision_dm(decision, today=today, lang="fr"), [section("x")])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_o7_meeting_modals_are_valid(lang):
    check_view(modals.build_session_modal("C" + "1" * 20, lang))
    check_view(modals.build_decision_modal("C1", lang))


def test_o7_digest_is_valid(db, hostile):
    for lang in ("fr", "en"):
        digest = build_digest(db, NOW + timedelta(days=1))
        check_message(*build_digest_message(digest, lang, "Europe/Paris"))


# ---- the guard: one broken item never breaks the others -------------------------------------


@pytest.fixture
def one_item_breaks(db, monkeypatch) -> tuple[list[int], int]:
    """Seed ordinary items, and make rendering one of them raise."""
    ids = [insert_item(db, Case(f"ok{n}", f"Article {n}", f"https://ex.org/{n}"), NOW) for n in range(5)]  # fmt: skip
    broken = ids[2]
    real = list_render.item_row

    def item_row(item, lang, note_count=0):
        if item.id == broken:
            raise ValueError("cannot render")
        return real(item, lang, note_count)

    monkeypatch.setattr(list_render, "item_row", item_row)
    return ids, broken


def test_o7_one_unrenderable_item_leaves_the_list_shown(db, one_item_breaks):
    ids, broken = one_item_breaks
    text, blocks = build_item_list(list_page(db, ItemList.ALL, USER), "Tous", "fr", "")
    check_message(text, blocks)
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert f"article n° {broken} : affichage impossible" in rendered
    for item_id in ids:
        if item_id != broken:
            assert f"*#{item_id}* <https://ex.org/" in rendered


def test_o7_one_unrenderable_item_leaves_the_app_home_shown(db, one_item_breaks):
    ids, broken = one_item_breaks
    page = list_page(db, ItemList.FREE, USER)
    blocks = build_home_sections([("items.home.unclaimed", page)], "fr")
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert f"article n° {broken} : affichage impossible" in rendered
    assert sum(1 for b in blocks if "accessory" in b) == len(ids) - 1
    view = build_home_view(features.home_parts(), db, USER, "fr", "Europe/Paris", NOW)
    check_view(view)
    assert f"article n° {broken} : affichage impossible" in json.dumps(view, ensure_ascii=False)
