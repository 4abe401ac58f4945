"""`veilleur minutes <id>` and `veilleur sessions ics` write the exports."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from click.testing import CliRunner

from bot.__main__ import cli
from bot.meetings.demo import load_meetings_demo
from storage.db import connect

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _env(db_path) -> dict[str, str]:
    with connect(db_path) as db:
        load_meetings_demo(db, NOW)
    return {"VEILLEUR_DB": str(db_path), "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}


def test_minutes_command_prints_markdown(db_path) -> None:
    result = CliRunner().invoke(cli, ["minutes", "4"], env=_env(db_path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Temps de travail CERAPCOOP et RESACOOP\n")
    assert "## Ordre du jour" in result.output


def test_minutes_of_unknown_session_exits_with_a_french_error(db_path) -> None:
    result = CliRunner().invoke(cli, ["minutes", "99"], env=_env(db_path))
    assert result.exit_code == 2  # a bad argument (issue 12)
    assert "pas de session n° 99" in result.output


def test_sessions_ics_writes_a_calendar_file(db_path, tmp_path) -> None:
    target = tmp_path / "sessions.ics"
    result = CliRunner().invoke(cli, ["sessions", "ics", "-o", str(target)], env=_env(db_path))
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 4


def test_calendar_export_to_a_missing_folder_says_so_without_a_traceback(db_path, tmp_path) -> None:
    target = tmp_path / "absent" / "seances.ics"
    result = CliRunner().invoke(cli, ["sessions", "ics", "-o", str(target)], env=_env(db_path))
    assert result.exit_code == 2
    assert f"Impossible d'écrire {target}" in result.output
    assert "Traceback" not in result.output
