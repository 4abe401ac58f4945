"""``veilleur export``: the team's records as one JSON document or one CSV file per table.

The shape is documented by ``docs/export.schema.json`` (a test validates real exports against
it). Every time is ISO-8601 in ``VEILLEUR_TZ`` with its offset, every person is given twice
(``…_id``, the Slack ID, and the name stored in ``people``), mentions in texts become names, and
deleted notes are left out. Columns that later migrations add to items under a ``deadline`` name
are exported as they are found.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.archive.localtime import to_local_iso
from bot.core.names import display_name, mentions_to_names
from storage import export as store
from storage.db import iso
from storage.people import known_names

FORMAT, VERSION = "veilleur-export", 1
TABLES = ("items", "item_sources", "notes", "sessions", "agenda", "decisions", "history")
JSON_FILE = "veilleur-export.json"


class Exporter:
    """Turn stored rows into exported records: local times, names, plain texts."""

    def __init__(self, names: Mapping[str, str], zone: ZoneInfo):
        self.names, self.zone = names, zone

    def time(self, value: str | None) -> str | None:
        return to_local_iso(value, self.zone)

    def person(self, record: dict[str, Any], key: str, user_id: str | None) -> None:
        """Put ``key_id`` (the Slack ID) and ``key`` (the name) in ``record``."""
        record[f"{key}_id"] = user_id or None
        record[key] = display_name(self.names, user_id) or None

    def text(self, value: str) -> str:
        return mentions_to_names(value, self.names)


def _item(ex: Exporter, row: dict, sources: list[dict]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "title": row["title"],
        "link": row["link"],
        "summary": row["summary"],
        "channel_id": row["channel_id"],
        "published_at": ex.time(row["published_at"]),
        "first_seen_at": ex.time(row["first_seen_at"]),
        "status": row["status"],
    }
    ex.person(record, "owner", row["owner"])
    if "added_by" in row:  # a link added by hand (`/veille ajouter`, the shortcut): who did
        ex.person(record, "added_by", row["added_by"])
    record["newsletter"] = bool(row["newsletter"])
    record["note_count"] = row["note_count"]
    for column in (c for c in row if c.startswith("deadline")):
        value = row[column]
        timed = isinstance(value, str) and len(value) > 10
        record[column] = ex.time(value) if timed else value
    record["sources"] = sources
    return record


def _source(ex: Exporter, row: dict) -> dict[str, Any]:
    return {**row, "seen_at": ex.time(row["seen_at"])}


def _note(ex: Exporter, row: dict) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row["id"], "item_id": row["item_id"]}
    ex.person(record, "author", row["author"])
    record["text"] = ex.text(row["text"])
    record["created_at"] = ex.time(row["created_at"])
    record["updated_at"] = ex.time(row["updated_at"])
    return record


def _session(ex: Exporter, row: dict, agenda: list[dict]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "title": row["title"],
        "starts_at": ex.time(row["starts_at"]),
        "place": row["place"],
        "channel_id": row["channel_id"],
        "status": row["status"],
    }
    ex.person(record, "created_by", row["created_by"])
    record["created_at"] = ex.time(row["created_at"])
    record["agenda"] = [{"position": a["position"], "text": ex.text(a["text"])} for a in agenda]
    return record


def _decision(ex: Exporter, row: dict) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["id"],
        "session_id": row["meeting_id"],
        "session_title": row["session_title"],
        "text": ex.text(row["text"]),
    }
    ex.person(record, "owner", row["owner"])
    record["due_date"] = row["due_date"]
    record["status"] = row["status"]
    ex.person(record, "created_by", row["created_by"])
    record["created_at"] = ex.time(row["created_at"])
    record["done_at"] = ex.time(row["done_at"])
    ex.person(record, "done_by", row["done_by"])
    return record


def _event(ex: Exporter, row: dict) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row["id"], "item_id": row["item_id"]}
    ex.person(record, "actor", row["actor"])
    record.update(action=row["action"], detail=row["detail"], at=ex.time(row["at"]))
    return record


def _grouped(rows: list[dict], key: str) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.pop(key), []).append(row)
    return groups


def build_export(
    db: Database, zone: ZoneInfo, now: datetime, since: datetime | None = None
) -> dict[str, Any]:
    """Return the whole export as one JSON-ready document (see docs/export.schema.json)."""
    ex = Exporter(known_names(db), zone)
    after = iso(since) if since else store.NO_LIMIT
    sources = _grouped([_source(ex, r) for r in store.export_sources(db, after)], "item_id")
    agenda = _grouped(store.export_agenda(db, after), "meeting_id")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.astimezone(zone).isoformat(),
        "time_zone": zone.key,
        "since": since.astimezone(zone).date().isoformat() if since else None,
        "items": [_item(ex, r, sources.get(r["id"], [])) for r in store.export_items(db, after)],
        "notes": [_note(ex, r) for r in store.export_notes(db, after)],
        "sessions": [
            _session(ex, r, agenda.get(r["id"], [])) for r in store.export_sessions(db, after)
        ],
        "decisions": [_decision(ex, r) for r in store.export_decisions(db, after)],
        "history": [_event(ex, r) for r in store.export_history(db, after)],
    }


def csv_tables(document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Return the export as flat tables: nested sources and agenda get tables of their own."""
    items = [{k: v for k, v in item.items() if k != "sources"} for item in document["items"]]
    sources = [{"item_id": i["id"], **s} for i in document["items"] for s in i["sources"]]
    sessions = [{k: v for k, v in s.items() if k != "agenda"} for s in document["sessions"]]
    agenda = [{"session_id": s["id"], **a} for s in document["sessions"] for a in s["agenda"]]
    return {
        "items": items,
        "item_sources": sources,
        "notes": document["notes"],
        "sessions": sessions,
        "agenda": agenda,
        "decisions": document["decisions"],
        "history": document["history"],
    }


def write_json(document: Mapping[str, Any], folder: Path) -> Path:
    """Write the export as ``veilleur-export.json`` in ``folder``; return its path."""
    path = folder / JSON_FILE
    _replace(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return path


def write_csv(document: Mapping[str, Any], folder: Path) -> list[Path]:
    """Write one ``<table>.csv`` per table in ``folder`` (UTF-8 with BOM, for spreadsheets)."""
    written = []
    for table, rows in csv_tables(document).items():
        path = folder / f"{table}.csv"
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", newline="", encoding="utf-8-sig") as handle:
            fields = list(rows[0]) if rows else _EMPTY_HEADERS.get(table, [])
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        partial.replace(path)
        written.append(path)
    return written


def _cell(value: object) -> object:
    """Spell booleans as 0/1 (what spreadsheets and SQLite read back the same)."""
    return int(value) if isinstance(value, bool) else value


def _replace(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` and rename it over: a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


_EMPTY_HEADERS = {
    "items": ["id", "title", "link", "summary", "channel_id", "published_at", "first_seen_at",
              "status", "owner_id", "owner", "newsletter", "note_count"],
    "item_sources": ["item_id", "feed_id", "feed_title", "feed_url", "origin", "link", "seen_at"],
    "notes": ["id", "item_id", "author_id", "author", "text", "created_at", "updated_at"],
    "sessions": ["id", "title", "starts_at", "place", "channel_id", "status", "created_by_id",
                 "created_by", "created_at"],
    "agenda": ["session_id", "position", "text"],
    "decisions": ["id", "session_id", "session_title", "text", "owner_id", "owner", "due_date",
                  "status", "created_by_id", "created_by", "created_at", "done_at", "done_by_id",
                  "done_by"],
    "history": ["id", "item_id", "actor_id", "actor", "action", "detail", "at"],
}  # fmt: skip
