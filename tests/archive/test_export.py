"""`veilleur export`: one documented JSON shape, CSV per table, the database's content (issue 15)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from storage import calls as call_store
from storage.db import connect, write
from tests.archive.demo import build_demo_database

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs/export.schema.json").read_text())


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = str(tmp_path / "veilleur.db")
    build_demo_database(path)
    return path


def _env(db_path: str) -> dict[str, str]:
    return {"VEILLEUR_DB": db_path, "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}


def _export(db_path: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["export", *args], env=_env(db_path))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _count(db_path: str, sql: str) -> int:
    with connect(db_path) as db:
        return db.conn.execute(sql).fetchone()[0]


def test_the_json_export_follows_its_documented_schema(demo_db):
    document = _export(demo_db)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_refuses_what_the_export_must_not_hold():
    bad = {"format": "veilleur-export", "version": 1, "exported_at": "2026-06-15T10:00:00",
           "time_zone": "Europe/Paris", "since": None, "items": [], "notes": [],
           "sessions": [], "decisions": [], "history": []}  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):  # a time without its offset
        jsonschema.validate(bad, SCHEMA)


def test_counts_match_the_database_and_deleted_notes_are_left_out(demo_db):
    document = _export(demo_db)
    assert len(document["items"]) == _count(demo_db, "SELECT count(*) FROM items") == 5
    assert len(document["notes"]) == _count(demo_db, "SELECT count(*) FROM notes WHERE deleted = 0")
    assert len(document["notes"]) == 2
    assert "Note effacée ensuite" not in json.dumps(document, ensure_ascii=False)
    assert len(document["sessions"]) == _count(demo_db, "SELECT count(*) FROM meetings")
    assert len(document["decisions"]) == _count(demo_db, "SELECT count(*) FROM decisions")
    assert len(document["history"]) == _count(demo_db, "SELECT count(*) FROM item_events")
    sources = sum(len(item["sources"]) for item in document["items"])
    assert sources == _count(demo_db, "SELECT count(*) FROM item_sources")


def test_rows_have_names_local_times_sources_and_agenda(demo_db):
    document = _export(demo_db)
    first = document["items"][0]
    assert first["title"].startswith("Festival des Solidarités 2027")
    assert (first["status"], first["owner_id"], first["owner"]) == (
        "claimed",
        "UVOUS",
        "Camille Martin",
    )
    # 10:00 UTC on 15 June is noon in Paris (summer time)
    assert first["first_seen_at"] == "2026-06-15T12:00:00+02:00"
    assert [s["feed_title"] for s in first["sources"]] == [
        "RESACOOP — actualités",
        "CERAPCOOP — actualités",
    ]
    note = document["notes"][0]
    assert (note["author"], note["text"]) == (
        "Camille Martin",
        "À relayer avec @Alix Durand dans la lettre",
    )
    work = next(s for s in document["sessions"] if s["title"].startswith("Temps de travail"))
    assert work["starts_at"].endswith("T10:00:00+01:00")  # 11 January, winter time
    assert len(work["agenda"]) == 4
    assert work["agenda"][0]["text"].startswith("Mutualiser la veille")
    open_decision = next(d for d in document["decisions"] if d["status"] == "open")
    assert open_decision["owner"] == "Camille Martin"
    assert document["history"][0]["action"] == "claimed"


def test_csv_writes_one_file_per_table_matching_the_json(demo_db, tmp_path):
    out = tmp_path / "export"
    result = CliRunner().invoke(
        cli, ["export", "--format", "csv", "-o", str(out)], env=_env(demo_db)
    )
    assert result.exit_code == 0, result.output
    assert "5 articles, 2 notes" in result.output
    document = _export(demo_db)
    tables = {}
    for name in ("items", "item_sources", "notes", "sessions", "agenda", "decisions", "history"):
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    assert len(tables["items"]) == len(document["items"])
    assert len(tables["item_sources"]) == _count(demo_db, "SELECT count(*) FROM item_sources")
    assert len(tables["agenda"]) == _count(demo_db, "SELECT count(*) FROM agenda_points")
    assert tables["items"][0]["owner"] == "Camille Martin"
    assert tables["items"][0]["title"] == document["items"][0]["title"]
    assert tables["notes"][1]["text"] == "Note gardée"
    assert not list(out.glob("*.partial"))


def test_since_keeps_only_newer_records(demo_db):
    document = _export(demo_db, "--since", "2026-06-01")
    assert document["since"] == "2026-06-01"
    assert len(document["items"]) == 5  # all seen on 15 June
    assert [s["title"] for s in document["sessions"]] == ["Temps de travail CERAPCOOP et RESACOOP"]
    assert document["decisions"] == []  # recorded at the 2015 meeting
    assert _export(demo_db, "--since", "2026-07-01")["items"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "11/01/2027"], "Date non comprise"),
        (["-o", "/proc/nope/export"], "Impossible d'écrire dans /proc/nope/export"),
    ],
)
def test_bad_values_get_one_french_line_and_status_2(demo_db, args, message):
    result = CliRunner().invoke(cli, ["export", *args], env=_env(demo_db))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_database_is_not_created(tmp_path):
    missing = tmp_path / "absent.db"
    result = CliRunner().invoke(cli, ["export"], env=_env(str(missing)))
    assert result.exit_code == 2
    assert "Aucune base trouvée" in result.output
    assert not missing.exists()


def test_an_item_deadline_column_is_exported_when_it_exists(demo_db):
    # another part of the bot adds item deadlines; the export must carry them as found
    with connect(demo_db) as db:
        db.conn.execute("ALTER TABLE items ADD COLUMN deadline TEXT")
        db.conn.execute("UPDATE items SET deadline = '2027-01-15' WHERE id = 1")
        db.conn.commit()
    document = _export(demo_db)
    assert document["items"][0]["deadline"] == "2027-01-15"
    assert document["items"][1]["deadline"] is None
    jsonschema.validate(document, SCHEMA)


def test_a_link_added_by_hand_names_who_added_it_and_its_set_deadline(demo_db, tmp_path):
    with connect(demo_db) as db, write(db):
        db.conn.execute(
            "INSERT INTO people (user_id, name, updated_at) VALUES ('UADDER', 'Awa Diop', "
            "'2026-11-30T08:00:00+00:00') ON CONFLICT (user_id) DO UPDATE SET name = 'Awa Diop'"
        )
        item = call_store.create_added_item(
            db, "CVEILLE", title="Fonds d'appui aux initiatives", link="https://example.org/f",
            canonical_url="example.org/f", title_key="fonds", summary="", user="UADDER",
            now=datetime(2026, 12, 1, 9, tzinfo=UTC),
        )  # fmt: skip
        call_store.set_deadline(db, item, date(2027, 2, 12), "UADDER",
                                datetime(2026, 12, 1, 10, tzinfo=UTC))  # fmt: skip
    document = _export(demo_db)
    jsonschema.validate(document, SCHEMA)
    [added] = [i for i in document["items"] if i["id"] == item]
    assert (added["added_by_id"], added["added_by"]) == ("UADDER", "Awa Diop")
    assert (added["deadline_state"], added["deadline_on"]) == ("set", "2027-02-12")
    assert added["deadline_set_at"] == "2026-12-01T11:00:00+01:00"  # VEILLEUR_TZ, not UTC
    from_feed = next(i for i in document["items"] if i["id"] != item)
    assert (from_feed["added_by_id"], from_feed["added_by"]) == (None, None)
    result = CliRunner().invoke(
        cli, ["export", "--format", "csv", "-o", str(tmp_path / "csv")], env=_env(demo_db)
    )
    assert result.exit_code == 0, result.output
    header = (tmp_path / "csv" / "items.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "added_by" in header.split(",")
