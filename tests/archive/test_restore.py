"""`veilleur restore` and the daily backups: refused while the bot runs, checked, kept N (issue 15)."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from bot.archive.backups import back_up_today, daily_backups, run_daily_backup
from bot.archive.running import hold_run_lock
from bot.config import load_config
from bot.core.config import Config, ConfigError
from bot.core.runtime import Runtime
from storage.backup import backup_database
from storage.db import close_idle_connections, connect
from tests.archive.demo import build_demo_database
from tests.e2e.botprocess import running_bot

PARIS = ZoneInfo("Europe/Paris")


def _env(db_path: Path) -> dict[str, str]:
    return {"VEILLEUR_DB": str(db_path), "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}


def _count(path: Path, table: str = "items") -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def team(tmp_path) -> tuple[Path, Path]:
    """A live database and a backup of it taken before two more items arrived."""
    live = tmp_path / "veilleur.db"
    build_demo_database(str(live))
    saved = tmp_path / "saved.db"
    backup_database(live, saved)
    with connect(live) as db:
        db.conn.execute("DELETE FROM items_fts")
        db.conn.execute("UPDATE items SET title = 'changé après la sauvegarde'")
        db.conn.commit()
    close_idle_connections()
    return live, saved


def test_restore_brings_the_backup_back_and_keeps_the_old_database(team):
    live, saved = team
    result = CliRunner().invoke(cli, ["restore", str(saved)], env=_env(live))
    assert result.exit_code == 0, result.output
    assert "restaurée depuis" in result.output
    with sqlite3.connect(live) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM items ORDER BY id")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert titles[0].startswith("Festival des Solidarités")
    kept = list(live.parent.glob("veilleur.db.avant-restauration-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("SELECT title FROM items").fetchone()[0] == "changé après la sauvegarde"


def test_restore_is_refused_while_the_bot_runs_then_works_once_it_stopped(tmp_path):
    with running_bot(tmp_path) as bot:
        saved = tmp_path / "saved.db"
        backup_database(tmp_path / "veilleur.db", saved)
        result = CliRunner().invoke(
            cli, ["restore", str(saved)], env=_env(tmp_path / "veilleur.db")
        )
        assert result.exit_code == 1
        assert "Veilleur tourne encore" in result.output
        assert f"processus {bot.process.pid}" in result.output
        assert "Rien n'a été restauré" in result.output
        bot.process.send_signal(signal.SIGTERM)
        bot.process.wait(30)
    result = CliRunner().invoke(cli, ["restore", str(saved)], env=_env(tmp_path / "veilleur.db"))
    assert result.exit_code == 0, result.output


def test_restore_is_refused_while_a_follower_or_the_shell_holds_the_database(team):
    live, saved = team
    held = hold_run_lock(str(live))  # what every bot process takes at start
    try:
        result = CliRunner().invoke(cli, ["restore", str(saved)], env=_env(live))
    finally:
        held.close()
    assert result.exit_code == 1
    assert "Veilleur tourne encore" in result.output
    assert _count(live) == 5
    assert not list(live.parent.glob("*.avant-restauration-*"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 200, "n'est pas une sauvegarde saine"),
        (b"these are not the pages you are looking for", "n'est pas une sauvegarde saine"),
    ],
)
def test_a_broken_file_is_refused_before_anything_changes(team, tmp_path, content, message):
    live, _ = team
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = live.read_bytes()
    result = CliRunner().invoke(cli, ["restore", str(bad)], env=_env(live))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert live.read_bytes() == before


def test_a_corrupted_page_fails_the_integrity_check(team, tmp_path):
    live, saved = team
    damaged = tmp_path / "damaged.db"
    data = bytearray(saved.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # scribble over every b-tree page but the first
        data[offset : offset + 8] = b"\xff" * 8
    damaged.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["restore", str(damaged)], env=_env(live))
    assert result.exit_code == 1
    assert "n'est pas une sauvegarde saine" in result.output


def test_another_programs_database_is_refused(team, tmp_path):
    live, _ = team
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = CliRunner().invoke(cli, ["restore", str(other)], env=_env(live))
    assert result.exit_code == 1
    assert "items is missing" in result.output


def test_a_missing_backup_exits_2_without_a_traceback(team, tmp_path):
    live, _ = team
    result = CliRunner().invoke(cli, ["restore", str(tmp_path / "nope.db")], env=_env(live))
    assert result.exit_code == 2
    assert "nope.db n'existe pas" in result.output
    assert "Traceback" not in result.output


def test_restore_over_a_database_with_a_pending_wal_keeps_only_the_backup(team):
    live, saved = team
    # a bot killed with uncheckpointed WAL frames: they must not come back over the restore
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE items SET title = 'dans le WAL'")
    writer.commit()
    assert Path(f"{live}-wal").stat().st_size > 0
    result = CliRunner().invoke(cli, ["restore", str(saved)], env=_env(live))
    writer.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(live) as conn:
        assert conn.execute(
            "SELECT count(*) FROM items WHERE title = 'dans le WAL'"
        ).fetchone() == (0,)


# --- the daily backups ---------------------------------------------------------------------


def test_daily_backup_writes_once_a_day_and_keeps_the_last_n(tmp_path):
    live = tmp_path / "veilleur.db"
    build_demo_database(str(live))
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes-perso.txt").write_text("pas à nous")
    start = datetime(2027, 3, 20, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    written = []
    for day in range(10):
        for hour in (0, 1, 5):  # the hourly job, and restarts, on the same day
            now = start + timedelta(days=day, hours=hour)
            written.append(back_up_today(str(live), folder, 3, now, PARIS))
    made = [path.name for path in written if path]
    assert len(made) == 11  # 23:30 and 00:30 the next day are two local days
    assert made[:2] == ["veilleur-2027-03-20.db", "veilleur-2027-03-21.db"]
    assert [p.name for p in daily_backups(folder)] == made[-3:]
    assert (folder / "notes-perso.txt").exists()
    assert _count(daily_backups(folder)[-1]) == 5


def test_a_partial_copy_left_by_a_crash_is_replaced_and_never_counted(tmp_path):
    live = tmp_path / "veilleur.db"
    build_demo_database(str(live))
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    stale = folder / "veilleur-2027-01-10.db.partial"
    stale.write_bytes(b"half a copy")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    (folder / "veilleur-2027-01-11.db.partial").write_bytes(b"half of today's copy")
    path = back_up_today(str(live), folder, 7, now, PARIS)
    assert path == folder / "veilleur-2027-01-11.db"
    assert _count(path) == 5
    assert not stale.exists()
    assert [p.name for p in daily_backups(folder)] == ["veilleur-2027-01-11.db"]


def test_the_job_does_nothing_without_a_backup_folder(tmp_path):
    live = tmp_path / "veilleur.db"
    build_demo_database(str(live))
    runtime = Runtime(Config(db_path=str(live)), messenger=None, clock=lambda: datetime.now(UTC))
    run_daily_backup(runtime)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith("veilleur.db")
    )
    folder = tmp_path / "b"
    folder.mkdir()
    runtime = Runtime(
        Config(db_path=str(live), backup_dir=str(folder), backup_keep=2),
        messenger=None,
        clock=lambda: datetime.now(UTC),
    )
    run_daily_backup(runtime)
    assert len(daily_backups(folder)) == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VEILLEUR_BACKUP_DIR": "/no/such/folder"}, "VEILLEUR_BACKUP_DIR '/no/such/folder'"),
        ({"VEILLEUR_BACKUP_KEEP": "0"}, "VEILLEUR_BACKUP_KEEP doit être un nombre de fichiers"),
        ({"VEILLEUR_BACKUP_KEEP": "sept"}, "VEILLEUR_BACKUP_KEEP doit être un nombre de fichiers"),
    ],
)
def test_backup_settings_are_checked_at_start(tmp_path, env, message):
    with pytest.raises(ConfigError) as error:
        load_config({**env, "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert any(message in problem for problem in error.value.problems)


def test_backup_settings_are_read(tmp_path):
    config = load_config(
        {"VEILLEUR_DB": str(tmp_path / "v.db"), "VEILLEUR_BACKUP_DIR": str(tmp_path),
         "VEILLEUR_BACKUP_KEEP": "14"}
    )  # fmt: skip
    assert (config.backup_dir, config.backup_keep) == (str(tmp_path), 14)
