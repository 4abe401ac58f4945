"""`veilleur shell --demo` loads one project holder per network, with their follow-up (issue 14, point 4)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.features import FEATURES
from bot.holders.demo import load_holders_demo
from bot.local.demo import load_demo
from storage import holders as store
from storage.db import connect

NOW = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)


def test_demo_has_a_cerapcoop_association_and_a_resacoop_school_with_support_actions(db_path):
    with connect(db_path) as db:
        load_demo(db, NOW, [f.demo for f in FEATURES if f.demo])
        load_holders_demo(db, NOW)  # a second start with --demo adds nothing
        found = store.list_holders(db)
        assert [(h.name, h.territory, h.network) for h in found] == [
            ("Puy Solidaire", "Clermont-Ferrand", "CERAPCOOP"),
            ("École élémentaire Jean Macé", "Lyon", "RESACOOP"),
        ]
        counts = {h.network: len(store.list_actions(db, h.id)) for h in found}
        assert counts == {"RESACOOP": 2, "CERAPCOOP": 3}
        assert all(a.day < "2027-03-15" for h in found for a in store.list_actions(db, h.id))
        assert [h.name for h in store.search_holders(db, "ecole")] == [
            "École élémentaire Jean Macé"
        ]
