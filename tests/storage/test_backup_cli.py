"""`veilleur backup`: a copy of the live database, never a silent mistake."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from bot.__main__ import cli


def backup(db_path, *args: str):
    env = {"VEILLEUR_DB": str(db_path), "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}
    return CliRunner().invoke(cli, ["backup", *map(str, args)], env=env)


def tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_d6_backup_copies_the_live_database(db_path, tmp_path):
    target = tmp_path / "copie.db"
    result = backup(db_path, target)
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output
    assert {"items", "meetings", "decisions"} <= tables(target)


def test_backup_run_in_the_wrong_folder_writes_nothing_and_says_why(tmp_path):
    target = tmp_path / "copie.db"
    result = backup(tmp_path / "ailleurs.db", target)
    assert result.exit_code == 2  # a bad path: exit 2 (issue 12)
    assert "Aucune base à sauvegarder" in result.output
    assert not target.exists()
    assert not (tmp_path / "ailleurs.db").exists()  # no empty database made on the way


def test_an_existing_backup_is_kept_unless_forced(db_path, tmp_path):
    target = tmp_path / "copie.db"
    target.write_bytes(b"an older backup")
    refused = backup(db_path, target)
    assert refused.exit_code == 2
    assert "existe déjà" in refused.output
    assert target.read_bytes() == b"an older backup"
    forced = backup(db_path, target, "--force")
    assert forced.exit_code == 0, forced.output
    assert "items" in tables(target)


def test_backup_to_a_missing_folder_says_so_without_a_traceback(db_path, tmp_path):
    result = backup(db_path, tmp_path / "absent" / "copie.db")
    assert result.exit_code == 2
    assert "Sauvegarde impossible" in result.output
    assert "Traceback" not in result.output
