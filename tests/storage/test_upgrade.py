"""A team upgrades in place: the database of release 0.1.0 opens with today's code, nothing lost.

``tests/fixtures/upgrade/release-0.1.0.db`` was written by release 0.1.0 (the script beside it says
how); every item, claim, note, session and decision it holds must still be found.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.config import Config
from bot.core.router import CommandContext
from bot.features import routers
from bot.items.lists import list_page
from bot.items.states import ItemList, ItemStatus
from storage import claims, notes
from storage.db import connect
from storage.decisions import list_decisions
from storage.meetings import list_agenda, list_meetings
from storage.migrations import apply_migrations
from storage.search import search_items
from tests.fakes import RecordingMessenger

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/upgrade/release-0.1.0.db"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def upgraded(tmp_path) -> str:
    path = tmp_path / "veilleur.db"
    shutil.copy(FIXTURE, path)
    with connect(path) as db:
        apply_migrations(db)
    return str(path)


def test_d7_items_claims_and_flags_of_release_0_1_0_are_all_found(upgraded):
    with connect(upgraded) as db:
        page = list_page(db, ItemList.ALL, "UALICE", limit=50)
        by_id = {item.id: item for item in page.items}
        assert page.total == 4
        assert (by_id[1].status, by_id[1].owner) == (ItemStatus.CLAIMED, "UALICE")
        assert (by_id[2].status, by_id[2].owner) == (ItemStatus.DONE, "UBOB")
        assert (by_id[3].newsletter, by_id[3].status) == (True, ItemStatus.OPEN)
        assert [i.id for i in list_page(db, ItemList.MINE, "UALICE").items] == [1]
        assert [event.action for event in claims.list_events(db, 2)] == ["done"]
        assert {s.feed_title for s in claims.list_sources(db, 1)} == {
            "RESACOOP — actualités",
            "CERAPCOOP — actualités",
        }


def test_d7_notes_of_release_0_1_0_keep_their_edits_and_stay_searchable(upgraded):
    with connect(upgraded) as db:
        assert [n.text for n in notes.list_notes(db, 1)] == ["À relayer aux deux réseaux (ECSI)"]
        assert [n.text for n in notes.list_notes(db, 3)] == ["Pour la lettre de janvier"]
        assert [item.id for item in search_items(db, "ecsi relayer").items] == [1]


def test_d7_sessions_and_decisions_of_release_0_1_0_are_all_found(upgraded):
    with connect(upgraded) as db:
        sessions = list_meetings(db)
        found = list_decisions(db)
        assert len(sessions) == 4
        work = next(m for m in sessions if m.title == "Temps de travail CERAPCOOP et RESACOOP")
        assert (work.place, len(list_agenda(db, work.id))) == ("Lyon", 4)
        assert len(found) == 4
        assert sorted(d.status for d in found) == ["done", "done", "open", "open"]
        assert any(d.text == "Préparer le point sur REDDSO" and d.owner == "UBOB" for d in found)


def test_d7_release_0_1_0_data_answers_the_commands(upgraded):
    ctx = CommandContext("UALICE", "CVEILLE", Config(db_path=upgraded), RecordingMessenger(),
                         clock=lambda: NOW)  # fmt: skip
    shown = routers()["/veille"].dispatch(ctx, "voir 1")
    assert "Festival des Solidarités 2027" in shown.text
    assert "ECSI" in str(shown.blocks)
    assert "REDDSO" in routers()["/decision"].dispatch(ctx, "liste ouvertes").text
    assert "Lyon" in routers()["/session"].dispatch(ctx, "voir 4").text
