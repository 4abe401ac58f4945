"""`veilleur archive`: the database in French, local times, names, read-only (issue 15)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from bot.archive.localtime import offset_periods
from bot.archive.metadata import VIEW_TEXTS
from bot.archive.serve import build_copy
from storage.archive import CANNED_QUERIES, VIEWS
from tests.archive.demo import build_demo_database
from tests.e2e.botprocess import ROOT, free_port

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = str(tmp_path / "team" / "veilleur.db")
    Path(path).parent.mkdir()
    build_demo_database(path)
    return path


def _digest(folder: Path) -> dict[str, str]:
    # -shm is SQLite's shared-memory index, where every reader (even read-only) marks its place
    files = sorted(p for p in folder.iterdir() if not p.name.endswith("-shm"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_the_copy_leaves_the_teams_database_untouched(demo_db, tmp_path):
    team = Path(demo_db).parent
    before = _digest(team)
    build_copy(demo_db, tmp_path, "Europe/Paris")
    assert _digest(team) == before


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Sydney"])
def test_local_times_in_sql_match_zoneinfo_across_dst_changes(zone):
    periods = offset_periods(ZoneInfo(zone), 2015, 2030)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE z (debut TEXT, fin TEXT, decalage TEXT)")
    conn.executemany("INSERT INTO z VALUES (?, ?, ?)", periods)
    sql = (
        "SELECT strftime('%Y-%m-%d %H:%M', ?1, (SELECT decalage FROM z"
        " WHERE debut <= ?1 AND ?1 < fin))"
    )
    rng = random.Random(15)
    moments = [datetime(2015, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(8_000_000))
               for _ in range(400)]  # fmt: skip
    # and the minutes either side of each change
    for start, _, _ in periods[1:]:
        change = datetime.fromisoformat(start)
        moments += [change - timedelta(minutes=1), change, change + timedelta(minutes=1)]
    for moment in moments:
        stored = moment.isoformat()
        expected = moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        assert conn.execute(sql, [stored]).fetchone()[0] == expected, stored


def test_every_shown_view_and_column_has_a_french_description(demo_db, tmp_path):
    copy, metadata_path = build_copy(demo_db, tmp_path, "Europe/Paris")
    metadata = json.loads(metadata_path.read_text())
    tables = metadata["databases"]["archives"]["tables"]
    conn = sqlite3.connect(copy)
    objects = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
    shown = [name for name in objects if objects[name] in ("table", "view")
             and not tables.get(name, {}).get("hidden")]  # fmt: skip
    assert sorted(shown) == sorted(VIEWS)
    for view in shown:
        assert tables[view]["title"] == VIEW_TEXTS[view][0]
        names = [row[1] for row in conn.execute(f'PRAGMA table_info("{view}")')]
        assert set(names) <= set(tables[view]["columns"]), view
    for internal in ("_sqlite_migrations", "app_state", "reminders_sent", "slack_events_seen",
                     "items_fts_data", "notes_fts_config", "_fuseau_horaire", "people"):  # fmt: skip
        assert tables[internal] == {"hidden": True}
    assert set(metadata["databases"]["archives"]["queries"]) == set(CANNED_QUERIES)


def test_canned_queries_answer_on_the_copy(demo_db, tmp_path):
    copy, _ = build_copy(demo_db, tmp_path, "Europe/Paris")
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE feeds SET last_error = 'not_found', error_count = 3 WHERE id = 2")
    errors = conn.execute(CANNED_QUERIES["flux_en_erreur"]).fetchall()
    assert [(row[0], row[3], row[4]) for row in errors] == [(2, "page introuvable (erreur 404)", 3)]
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    conn.execute("UPDATE meetings SET starts_at = ? WHERE id = 4", [later])
    states = dict(conn.execute('SELECT "n°", "état" FROM "sessions"').fetchall())
    assert (states[1], states[4]) == ("passée", "prévue")  # 2015, and in a month
    open_by_owner = conn.execute(CANNED_QUERIES["decisions_ouvertes_par_responsable"]).fetchall()
    assert [row[0] for row in open_by_owner] == ["Camille Martin"]
    # "this month" is the local month of now: claims dated now are counted
    now = datetime.now(UTC).isoformat()
    conn.execute("UPDATE item_events SET at = ? WHERE action = 'claimed'", [now])
    taken = conn.execute(CANNED_QUERIES["articles_pris_ce_mois"]).fetchall()
    assert sorted(taken) == [("Alix Durand", 1), ("Camille Martin", 1)]


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _children(pid: int) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += task.read_text().split()
    return found


@pytest.fixture
def archive_server(demo_db, tmp_path):
    """`python -m bot archive` on a free port of 127.0.0.1, stopped by pid at the end."""
    port = free_port()
    env = {**os.environ, "VEILLEUR_DB": demo_db, "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "",
           "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}  # fmt: skip
    log = (tmp_path / "archive.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "archive", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "archive.log").read_text()
            try:
                if _get(port, "/-/versions.json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the archive did not answer within 60 s")
        yield process, port, tmp_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        log.close()


def test_archive_serves_french_pages_and_json_read_only_then_stops_cleanly(archive_server, demo_db):
    process, port, tmp_path = archive_server
    status, html = _get(port, "/archives/articles")
    assert status == 200
    assert "Articles de la veille" in html
    assert "Chaque article repéré par la veille" in html
    assert "Festival des Solidarités 2027" in html
    assert "Camille Martin" in html
    assert "UVOUS" not in html
    status, body = _get(port, "/archives/articles.json?_shape=array&_sort=" + quote("n°"))
    rows = json.loads(body)
    assert (rows[0]["titre"][:28], rows[0]["état"], rows[0]["pris par"], rows[0]["vu le"]) == (
        "Festival des Solidarités 202", "pris", "Camille Martin", "2026-06-15 12:00",
    )  # fmt: skip
    # full-text search, accents folded, on items and on notes
    _, body = _get(port, "/archives/articles.json?_shape=array&_search=solidarite")
    assert sorted(row["n°"] for row in json.loads(body)) == [2, 4, 5]  # 5: the call for proposals
    _, body = _get(port, "/archives/notes.json?_shape=array&_search=relayer")
    assert [n["auteur"] for n in json.loads(body)] == ["Camille Martin"]
    _, body = _get(port, "/archives/notes.json?_shape=array")
    assert "Note effacée ensuite" not in body
    status, html = _get(port, "/archives/flux_en_erreur")
    assert status == 200
    assert "Flux en erreur" in html
    _, index = _get(port, "/archives")
    assert "app_state" not in index
    assert "slack_events_seen" not in index
    status, _ = _get(port, "/archives.db")
    assert status in (403, 404)  # no download of the copy and its internal tables
    # written, it is refused: immutable
    status, body = _get(port, "/archives.json?sql=" + quote("DELETE FROM items"))
    assert status == 400 or "error" in body
    assert _children(process.pid) == []
    copies = list(tmp_path.glob("veilleur-archive-*"))
    assert len(copies) == 1
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    assert not list(tmp_path.glob("veilleur-archive-*")), "the copy is removed at the end"


def test_archive_without_a_database_says_so_in_french(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "archive"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "VEILLEUR_DB": str(tmp_path / "absent.db"), "PYTHONPATH": str(ROOT),
             "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""},
    )  # fmt: skip
    assert result.returncode == 2
    assert "Aucune base trouvée" in result.stderr
    assert "Traceback" not in result.stderr
