"""What the weekly digest says, from a seeded database, and how it looks in Slack."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from bot.core.mrkdwn import BLOCK_TEXT_LIMIT
from bot.digest.build import build_digest
from bot.digest.render import build_digest_message
from storage.db import connect
from tests.digest.conftest import NOW, insert_item


def _digest(db_path, now=NOW):
    with connect(db_path) as db:
        return build_digest(db, now, "Europe/Paris")


def _texts(blocks: list[dict]) -> list[str]:
    """Return every text a person can read in the blocks."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [element["text"] for element in block.get("elements", [])]
    return found


def test_digest_holds_the_weeks_items_claims_picks_sessions_and_decisions(db_path, seeded):
    digest = _digest(db_path)
    new_ids = {seeded.dismissed, seeded.flagged, seeded.hostile, *seeded.new_free}
    assert {i.id for i in digest.new} == new_ids | set(seeded.claimed_alice)
    assert [i.id for i in digest.done] == [seeded.done]  # done long ago: not this week's
    assert [i.id for i in digest.dismissed] == [seeded.dismissed]
    assert {i.id for i in digest.free} == {*seeded.new_free, seeded.flagged, seeded.hostile}
    assert digest.claims == [("UALICE", 2), ("UBOB", 1)]
    assert [i.id for i in digest.flagged] == [seeded.flagged, seeded.hostile]
    assert [m.id for m in digest.sessions] == [seeded.session_soon]  # not in 8 days, not cancelled
    assert [d.id for d in digest.decisions] == [seeded.decision_overdue, seeded.decision_due]


def test_digest_in_french_spells_counts_people_and_dates(db_path, seeded):
    text, blocks = build_digest_message(_digest(db_path), "fr", "Europe/Paris")
    assert text.startswith("Résumé de la veille du lundi 4 janvier 2027 au lundi 11 janvier 2027")
    readable = "\n".join(_texts(blocks))
    assert "Nouveaux : *7* · Traités : *1* · Écartés : *1* · Encore libres : *4*" in readable
    assert "• <@UALICE> : 2\n• <@UBOB> : 1" in readable
    assert "mercredi 13 janvier 2027 à 10 h 00 — Temps de travail" in readable
    assert "échéance vendredi 8 janvier 2027 — ⚠️ en retard" in readable
    assert f"*#{seeded.done}* <https://example.org/" in readable
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Résumé de la veille"},
    }


def test_digest_in_english(db_path, seeded):
    text, blocks = build_digest_message(_digest(db_path), "en", "Europe/Paris")
    assert text.startswith("Watch digest from Monday 4 January 2027 to Monday 11 January 2027")
    readable = "\n".join(_texts(blocks))
    assert "New: *7* · Done: *1* · Dismissed: *1* · Still free: *4*" in readable
    assert "Wednesday 13 January 2027 at 10:00" in readable


def test_empty_week_says_so_instead_of_empty_sections(db_path):
    _, blocks = build_digest_message(_digest(db_path), "fr")
    readable = "\n".join(_texts(blocks))
    assert "Nouveaux : *0*" in readable
    assert "Aucune session prévue." in readable
    assert "Aucun article retenu pour la lettre cette semaine." in readable


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_f14_hostile_feed_and_user_text_never_becomes_a_mention_or_a_link(db_path, seeded, lang):
    text, blocks = build_digest_message(_digest(db_path), lang)
    dumped = json.dumps(blocks, ensure_ascii=False) + text
    for hostile in ("<!channel>", "<!here>", "<@U1>", "<http://evil", "javascript:"):
        assert hostile not in dumped
    assert "&lt;!channel&gt; &lt;@U1&gt; &lt;http://evil|bank&gt; &amp;amp; co" not in dumped
    assert "&lt;!channel&gt; &lt;@U1&gt; &lt;http://evil|bank&gt; &amp; co" in dumped
    assert "Temps de travail &lt;!here&gt;" in dumped
    assert "Envoyer le compte rendu &lt;@U1&gt;" in dumped
    for block in blocks:
        if block.get("text", {}).get("type") == "mrkdwn":
            assert block["text"]["verbatim"] is True
    # the only mentions left are the Slack user ids stored as owners
    assert set(re.findall(r"<@([^>]*)>", dumped)) == {"UALICE", "UBOB"}


def test_a_huge_week_stays_within_slacks_limits(db_path):
    with connect(db_path) as db:
        for n in range(400):
            insert_item(
                db, f"Article {n} " + "très long titre " * 40, NOW - timedelta(hours=n % 150)
            )
    text, blocks = build_digest_message(_digest(db_path), "fr")
    assert len(blocks) <= 50
    assert "400 nouveaux" in text
    assert all(len(t) <= BLOCK_TEXT_LIMIT for t in _texts(blocks))
    readable = "\n".join(_texts(blocks))
    assert "Encore libres : *400*" in readable
    free_block = next(t for t in _texts(blocks) if t.startswith("*Encore libres*"))
    shown = free_block.count("\n• ")
    assert 1 <= shown <= 10
    assert free_block.endswith(f"… et {400 - shown} de plus : `/veille liste libres`")


def test_owner_that_is_not_a_slack_id_is_shown_not_pinged():
    from bot.digest.render import mention

    assert mention("UALICE") == "<@UALICE>"
    assert mention("!channel") == "!channel"
    assert mention("U1>|x") == "U1&gt;|x"
