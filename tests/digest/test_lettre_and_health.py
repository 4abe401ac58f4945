"""Issue 12, points 5 and 10: the newsletter draft in Slack, names outside Slack, a quiet digest.

The draft and the toggle go through the real HTTP endpoint; the export and the minutes through
the command line; the weekly job on a seeded database.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import time_machine
from click.testing import CliRunner

from bot.__main__ import cli
from bot.digest.job import post_weekly_digest
from storage import people
from storage import reminders as sent_log
from storage.db import connect, iso
from storage.feeds import add_feed
from tests.digest.conftest import CHANNEL, NOW, record_earlier_digest
from tests.fakes import RecordingMessenger
from tests.items.test_e2e_slack import wait_until


def tick(db_path, messenger, now=NOW):
    return post_weekly_digest(db_path, messenger, "CDIGEST", now=now, lang="fr", tz="Europe/Paris")


def draft(app_server, text: str) -> dict:
    before = len(app_server.slack.calls_to("response_url"))
    app_server.command("/veille", text, user="UBOB", channel=CHANNEL)
    return app_server.slack.wait_for("response_url", before + 1, timeout=10)[-1].params


def test_brouillon_in_slack_has_summaries_sources_and_notes_with_authors(app_server, seeded):
    with time_machine.travel(NOW, tick=False):
        answer = draft(app_server, "lettre brouillon")
    shown = json.dumps(answer, ensure_ascii=False)
    assert answer["response_type"] == "ephemeral"
    assert "Pour la lettre — du lundi 4 janvier 2027 au lundi 11 janvier 2027" in shown
    assert "2 articles retenus pour la lettre" in shown
    assert (
        "Les collectivités &amp; associations ont jusqu'au 15 mars &lt;b&gt;2027&lt;/b&gt;."
        in shown
    )
    assert "_Vu dans_ : <https://cerapcoop.example/appel|Actualités CERAPCOOP (CERAPCOOP)>" in shown
    assert "• À relayer avant le 15 février. — <@UALICE>" in shown
    assert "Retenu il y a un mois" not in shown
    assert "veilleur digest" in shown  # Markdown/HTML stay on the command line


def test_brouillon_takes_a_period_and_explains_a_bad_one(app_server, seeded):
    with time_machine.travel(NOW, tick=False):
        month = draft(app_server, "lettre brouillon du 1er décembre 2026 au 11 janvier 2027")
        bad = draft(app_server, "lettre brouillon du 31 février au 3 mars")
    assert "Retenu il y a un mois" in json.dumps(month, ensure_ascii=False)
    assert "du mardi 1 décembre 2026" in json.dumps(
        month, ensure_ascii=False
    ) or "1er décembre 2026" in json.dumps(month, ensure_ascii=False)
    assert "Je ne comprends pas la date" in bad["text"]


def test_cli_newsletter_and_minutes_show_names_not_ids(db_path, seeded):
    env = {"VEILLEUR_DB": db_path, "VEILLEUR_LANG": "fr", "VEILLEUR_TZ": "Europe/Paris"}
    with time_machine.travel(NOW, tick=False):
        md = CliRunner().invoke(cli, ["digest"], env=env)
        page = CliRunner().invoke(
            cli, ["digest", "--format", "html", "--since", "2026-12-01"], env=env
        )
        minutes = CliRunner().invoke(cli, ["minutes", str(seeded.session_soon)], env=env)
    assert md.exit_code == page.exit_code == minutes.exit_code == 0, md.output + minutes.output
    assert "- À relayer avant le 15 février. — Alice Martin" in md.output
    assert "Retenu il y a un mois" in page.output
    assert "@Alice Martin" in minutes.output  # the decisions' owner
    for output in (md.output, page.output, minutes.output):
        assert "UALICE" not in output
        assert "UBOB" not in output


def test_names_are_learned_from_users_info_when_someone_acts(app_server, db_path, seeded):
    app_server.slack.people["UCHLOE"] = "Chloé"
    app_server.command(
        "/veille", f"note {seeded.flagged} Chloé relit", user="UCHLOE", channel=CHANNEL
    )
    assert app_server.slack.wait_for("users.info", 1, timeout=10)
    assert wait_until(lambda: _names(db_path).get("UCHLOE") == "Chloé")
    app_server.command("/veille", f"note {seeded.flagged} encore", user="UCHLOE", channel=CHANNEL)
    app_server.slack.wait_for("response_url", 2, timeout=10)
    time.sleep(0.3)  # give a wrongly repeated users.info the time to show up
    assert len(app_server.slack.calls_to("users.info")) == 1  # cached for a day


def _names(db_path) -> dict:
    with connect(db_path) as db:
        return people.known_names(db)


def test_first_start_posts_no_digest_and_records_the_start(db_path, seeded):
    with connect(db_path) as db:
        db.execute("DELETE FROM reminders_sent")
        db.conn.commit()
    messenger = RecordingMessenger()
    assert tick(db_path, messenger) is None
    assert messenger.posts == []
    with connect(db_path) as db:
        assert [(r.status, r.detail) for r in sent_log.list_rows(db, "digest")] == [
            ("skipped", "first start")
        ]
    assert tick(db_path, messenger, NOW + timedelta(days=7)) is not None  # the next Monday: posted
    assert len(messenger.posts) == 1


def test_empty_week_posts_nothing(db_path):
    record_earlier_digest(db_path)
    messenger = RecordingMessenger()
    assert tick(db_path, messenger) is None
    assert messenger.posts == []
    with connect(db_path) as db:
        rows = [(r.key.ref_id, r.status) for r in sent_log.list_rows(db, "digest")]
    assert (202702, "skipped") in rows
    assert tick(db_path, messenger, NOW + timedelta(hours=2)) is None  # not retried all week
    assert messenger.posts == []


def test_weekly_digest_has_a_feed_health_section(db_path):
    record_earlier_digest(db_path)
    with connect(db_path) as db:
        failing = add_feed(
            db,
            "https://a.example/rss",
            "a.example/rss",
            CHANNEL,
            now=NOW - timedelta(days=60),
            title="Flux en erreur",
            origin="",
        )
        paused = add_feed(
            db,
            "https://b.example/rss",
            "b.example/rss",
            CHANNEL,
            now=NOW - timedelta(days=60),
            title="Flux en pause",
            origin="",
        )
        silent = add_feed(
            db,
            "https://c.example/rss",
            "c.example/rss",
            CHANNEL,
            now=NOW - timedelta(days=60),
            title="Flux muet",
            origin="",
        )
        alive = add_feed(
            db,
            "https://d.example/rss",
            "d.example/rss",
            CHANNEL,
            now=NOW - timedelta(days=60),
            title="Flux vivant",
            origin="",
        )
        db.execute(
            "UPDATE feeds SET last_error = 'timeout', error_count = 2, last_success_at = ? WHERE id = ?",
            [iso(NOW - timedelta(days=3)), failing.id],
        )
        db.execute("UPDATE feeds SET paused = 1, paused_reason = 'gone' WHERE id = ?", [paused.id])
        for feed, age in ((silent, 45), (alive, 2)):
            db.execute(
                "INSERT INTO seen_entries (feed_id, entry_key, seen_at) VALUES (?, 'k', ?)",
                [feed.id, iso(NOW - timedelta(days=age))],
            )
        db.conn.commit()
    messenger = RecordingMessenger()
    assert tick(db_path, messenger) is not None  # feed trouble alone is worth the post
    text = json.dumps(messenger.posts[0]["blocks"], ensure_ascii=False)
    assert "*État des flux*" in text
    assert "⚠️ Flux en erreur : en erreur depuis vendredi 8 janvier 2027" in text
    assert "⏸️ Flux en pause : en pause (" in text
    assert f"`/veille flux reprendre {paused.id}`" in text
    assert "💤 Flux muet : aucun nouvel article depuis vendredi 27 novembre 2026" in text
    assert "Flux vivant" not in text
    assert "veilleur digest" not in text
    assert "`/veille lettre brouillon`" in text
