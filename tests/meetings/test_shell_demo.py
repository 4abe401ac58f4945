"""A newcomer's tour: `veilleur shell --demo` shows the 11 January session and fires a reminder."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_shell import run_cli

ROOT = str(Path(__file__).resolve().parents[2])  # this checkout, not an installed copy


def test_demo_shows_the_work_session_then_fast_forwards_to_its_reminder(tmp_path) -> None:
    lines = "/session liste\n/session voir 4\n/decision liste 3\n:rappel\n:quitter\n"
    result = run_cli(["shell", "--demo"], lines, tmp_path, PYTHONPATH=ROOT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "n° 4 · lundi 11 janvier" in out
    assert "Temps de travail CERAPCOOP et RESACOOP, à Lyon" in out
    assert "Clermont-Ferrand" in out
    assert "jeudi 12 novembre 2015" in out
    assert "4. Semaine de la solidarité internationale" in out
    assert "(ECSI)" in out
    assert "Horloge avancée" in out
    reminder = out[out.index("Horloge avancée") :]
    assert ":bell: *Rappel* : *Temps de travail CERAPCOOP et RESACOOP*" in reminder
    assert "1. Mutualiser la veille" in reminder
