"""Item messages: content, French date, buttons, and hostile feed text (F14, O7)."""

import json

import pytest

from bot.items.render.message import build_group_message, build_item_message
from storage.items import Item, Source


def make_item(**changes) -> Item:
    values = dict(
        id=12,
        channel_id="C1",
        title="Appel à projets jeunesse",
        link="https://resacoop.org/appel",
        canonical_url="http://resacoop.org/appel",
        title_key="appel a projets jeunesse",
        summary="Un résumé.",
        published_at="2027-01-12T08:00:00+00:00",
        first_seen_at="2027-01-12T09:00:00+00:00",
        status="open",
        owner=None,
        newsletter=False,
        post_state="pending",
        post_attempts=0,
        message_ts=None,
        thread_parent_ts=None,
        note_count=0,
    )
    values.update(changes)
    return Item(**values)


SOURCES = [
    Source(1, "RESACOOP", "Lyon", "https://resacoop.org/appel", "U1"),
    Source(2, "CERAPCOOP", "Clermont-Ferrand", "https://cerapcoop.org/x", "U2"),
]


def texts(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_item_message_has_title_sources_date_number_and_buttons():
    text, blocks = build_item_message(make_item(), SOURCES, "fr", "Europe/Paris")
    assert text == "n° 12 — Appel à projets jeunesse"
    assert blocks[0]["text"]["text"] == "*<https://resacoop.org/appel|Appel à projets jeunesse>*"
    context = blocks[1]["elements"][0]["text"]
    assert "vu dans : RESACOOP, CERAPCOOP" in context
    assert "origine : Lyon, Clermont-Ferrand" in context
    assert "mardi 12 janvier 2027" in context
    assert "n° 12" in context
    actions = blocks[-1]["elements"]
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in actions] == [
        ("item_claim", "12", "Je prends"),
        ("item_dismiss", "12", "Pas pertinent"),
        ("item_newsletter", "12", "Pour la lettre"),
        ("item_show", "12", "Voir"),
        ("item_note", "12", "Noter"),
        ("item_for_holder", "12", "Pour un porteur"),
    ]


def test_item_message_in_english():
    _text, blocks = build_item_message(make_item(), SOURCES, "en", "Europe/Paris")
    assert "seen in: RESACOOP, CERAPCOOP" in texts(blocks)
    assert "Tuesday 12 January 2027" in texts(blocks)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "Libre"),
        ({"owner": "U42", "status": "claimed"}, "👀 Pris par <@U42>"),
        ({"owner": "U42", "status": "done"}, "✅ Traité par <@U42>"),
        ({"status": "dismissed"}, "🚫 Écarté"),
        ({"newsletter": True, "note_count": 3}, "Libre · 📰 Pour la lettre · 3 notes"),
        ({"owner": "<!channel>", "status": "claimed"}, "👀 Pris"),
    ],
)
def test_status_line_follows_the_item(changes, expected):
    _, blocks = build_item_message(make_item(**changes), SOURCES)
    assert blocks[-2]["elements"][0]["text"] == expected


def test_f12_future_publication_date_shows_when_it_was_seen():
    _, blocks = build_item_message(make_item(published_at="2100-01-01T00:00:00+00:00"), SOURCES)
    assert "mardi 12 janvier 2027" in blocks[1]["elements"][0]["text"]


HOSTILE = "<!channel> <!here> <!everyone> <@U123> <#C123> <!subteam^S1> <http://evil|bank.com>"


def test_f14_hostile_title_and_summary_are_escaped_and_verbatim():
    item = make_item(
        title=HOSTILE + " ``` *bold*",
        summary=HOSTILE + "\n" * 500 + "&lt;!here&gt;",
        link="javascript:alert(1)",
    )
    sources = [Source(1, "<!channel> feed", "<@U1>", None, "U1")]
    text, blocks = build_item_message(item, sources)
    payload = text + texts(blocks)
    for raw in ("<!", "<@", "<#", "<http"):
        assert raw not in payload
    assert "&lt;!channel&gt;" in payload
    assert "\\n" not in texts(blocks[:3])
    assert "javascript" not in blocks[0]["text"]["text"].split("|")[0].lstrip("*<")
    for block in blocks:
        for obj in [block.get("text"), *block.get("elements", [])]:
            if obj and obj.get("type") == "mrkdwn":
                assert obj["verbatim"] is True


def test_o7_oversized_content_is_cut_to_block_limits():
    item = make_item(title="T" * 10_000, summary="mot " * 12_500)
    text, blocks = build_item_message(item, SOURCES)
    assert len(text) <= 300
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_group_message_lists_items_safely():
    items = [make_item(id=n, title=f"<!here> {n}") for n in range(1, 13)]
    text, blocks = build_group_message(items)
    assert text.startswith("12 nouveaux articles")
    assert "<!here>" not in texts(blocks)
    assert "… et 2 de plus" in texts(blocks)
