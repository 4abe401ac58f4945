"""`veilleur feeds import|export` (OPML)."""

import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from bot.watch.opml import read_opml
from storage.db import connect
from storage.feeds import list_feeds

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Abonnements</title></head><body>
<outline text="Lyon" title="Lyon">
  <outline type="rss" text="RESACOOP" xmlUrl="https://www.resacoop.org/feed"/>
  <outline type="rss" text="RESACOOP bis" xmlUrl="HTTPS://WWW.resacoop.org/feed/"/>
</outline>
<outline type="rss" text="CERAPCOOP" xmlUrl="https://cerapcoop.org/rss?utm_source=x"/>
<outline type="rss" text="Interne" xmlUrl="http://10.0.0.5/feed"/>
<outline type="rss" text="Fichier" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


@pytest.fixture
def runner(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("VEILLEUR_DB", db_path)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_import_adds_refuses_with_reasons_and_skips_duplicates(runner, db_path, tmp_path):
    source = tmp_path / "abonnements.opml"
    source.write_bytes(OPML)
    result = runner.invoke(cli, ["feeds", "import", str(source), "--channel", "C1"])
    assert result.exit_code == 1, result.output  # refused entries: the run says so by its status
    assert "2 ajoutés, 1 déjà suivi, 2 refusés" in result.output
    assert "http://10.0.0.5/feed : adresse non autorisée" in result.output
    assert "file:///etc/passwd : seules les adresses http(s) sont acceptées" in result.output
    with connect(db_path) as db:
        feeds = list_feeds(db)
    assert [(f.title, f.origin, f.channel_id) for f in feeds] == [
        ("RESACOOP", "Lyon", "C1"),
        ("CERAPCOOP", "", "C1"),
    ]
    again = runner.invoke(cli, ["feeds", "import", str(source), "--channel", "C1"])
    assert "0 ajouté, 3 déjà suivis" in again.output


def test_export_round_trips_through_opml(runner, tmp_path):
    source = tmp_path / "abonnements.opml"
    source.write_bytes(OPML)
    runner.invoke(cli, ["feeds", "import", str(source), "--channel", "C1", "--origin", "RESACOOP"])
    result = runner.invoke(cli, ["feeds", "export"])
    assert result.exit_code == 0
    outlines = read_opml(result.stdout_bytes)
    assert [(o.url, o.title, o.category) for o in outlines] == [
        ("https://www.resacoop.org/feed", "RESACOOP", "RESACOOP"),
        ("https://cerapcoop.org/rss?utm_source=x", "CERAPCOOP", "RESACOOP"),
    ]


def test_import_of_a_broken_file_says_why(runner, tmp_path):
    source = tmp_path / "cassé.opml"
    source.write_bytes(b"<opml><body><outline")
    result = runner.invoke(cli, ["feeds", "import", str(source), "--channel", "C1"])
    assert result.exit_code != 0
    assert "fichier OPML illisible" in result.output
