"""`veilleur digest`: the newsletter picks as Markdown and HTML, compared with expected files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from bot.__main__ import cli
from bot.digest.build import newsletter_entries
from bot.digest.newsletter import md_text, render_newsletter
from storage.db import connect
from storage.people import known_names
from tests.digest.conftest import NOW

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "digest"
EXPECTED = {"markdown": "newsletter.md", "html": "newsletter.html"}


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_export_matches_the_expected_file(db_path, seeded, fmt):
    with connect(db_path) as db:
        entries = newsletter_entries(db, NOW)
        names = known_names(db)
    text = render_newsletter(
        entries, NOW - timedelta(days=7), NOW, fmt, "fr", "Europe/Paris", names
    )
    assert text == (FIXTURES / EXPECTED[fmt]).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_cli_writes_the_export_to_a_file(db_path, seeded, tmp_path, fmt):
    target = tmp_path / f"lettre.{fmt}"
    env = {"VEILLEUR_DB": db_path, "VEILLEUR_LANG": "fr", "VEILLEUR_TZ": "Europe/Paris"}
    with time_machine.travel(NOW, tick=False):
        result = CliRunner().invoke(cli, ["digest", "--format", fmt, "-o", str(target)], env=env)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (FIXTURES / EXPECTED[fmt]).read_text("utf-8")


def test_cli_days_widens_the_window_and_prints_to_stdout(db_path, seeded):
    env = {"VEILLEUR_DB": db_path, "VEILLEUR_LANG": "fr"}
    with time_machine.travel(NOW, tick=False):
        week = CliRunner().invoke(cli, ["digest"], env=env)
        month = CliRunner().invoke(cli, ["digest", "--days", "31"], env=env)
    assert week.exit_code == month.exit_code == 0
    assert "Retenu il y a un mois" not in week.output
    assert "## [Retenu il y a un mois](https://example.org/" in month.output
    assert month.output.startswith("# Pour la lettre — du vendredi 11 décembre 2026 au lundi 11")


def test_html_export_links_only_absolute_http_urls(db_path, seeded):
    with connect(db_path) as db:
        entries = newsletter_entries(db, NOW)
    page = render_newsletter(entries, NOW - timedelta(days=7), NOW, "html")
    assert page.count("<a href=") == 3  # the good item and its two sources
    assert "javascript:" not in page
    assert "<script>" not in page
    assert "http://evil.example" not in page


def test_empty_export_says_nothing_was_kept(db_path):
    page = render_newsletter([], NOW - timedelta(days=7), NOW, "markdown", "en")
    assert page == (
        "# For the newsletter — from Monday 4 January 2027 to Monday 11 January 2027\n\n"
        "No item kept for the newsletter in this period.\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[bank](http://evil)", r"\[bank\]\(http://evil\)"),
        ("<b>gras</b> & *x*", r"&lt;b&gt;gras&lt;/b&gt; &amp; \*x\*"),
        ("- pas une liste", r"\- pas une liste"),
        ("1. pas une liste", r"1\. pas une liste"),
        ("# pas un titre", r"\# pas un titre"),
        ("2027-2028, sans souci", "2027-2028, sans souci"),
        ("deux\nlignes", "deux lignes"),
    ],
)
def test_markdown_text_cannot_make_markup(text, expected):
    assert md_text(text) == expected
