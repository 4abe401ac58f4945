"""The demo news of ``veilleur shell --demo``: real storage path, one story seen in both feeds."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from bot.watch.demo import load_watch_demo
from storage.items import list_sources, pending_items

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_demo_news_is_four_pending_items_with_one_story_from_both_networks(db):
    load_watch_demo(db, NOW)
    load_watch_demo(db, NOW)  # idempotent: the shell may be started with --demo again
    items = pending_items(db)
    assert len(items) == 4
    festival = next(item for item in items if item.title.startswith("Festival des Solidarités"))
    assert {s.origin for s in list_sources(db, festival.id)} == {"Lyon", "Clermont-Ferrand"}
    due = db.execute(
        "SELECT count(*) FROM feeds WHERE next_poll_at <= ?", [NOW.isoformat()]
    ).fetchone()[0]
    assert due == 0, "the shell has no Internet: demo feeds are not polled"


def test_shell_demo_posts_the_news_and_a_reaction_claims_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "VEILLEUR_"))}
    env["VEILLEUR_DB"] = str(tmp_path / "demo.db")
    env["PYTHONPATH"] = str(os.getcwd())
    result = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--demo"], input="+:eyes: 1\n:quitter\n",
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    out = result.stdout
    assert out.count("[#veille] Veilleur :") >= 4
    assert "vu dans : RESACOOP — actualités, CERAPCOOP — actualités" in out
    assert "👀 Pris par @vous" in out  # issue 12: the shell shows names, not <@U…>
