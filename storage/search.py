"""Find items: full-text search over titles, summaries and notes, and the paged lists.

``items_fts`` uses ``unicode61 remove_diacritics 2``, so "coopération" and "cooperation" are the
same word on both sides. Results are ranked by bm25 with the title weighing most.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlite_utils import Database

from storage.channels import in_channels
from storage.items import ITEM_SELECT, Item, item_from_row

LISTS = ("libres", "miennes", "toutes", "lettre")
TITLE_WEIGHT, SUMMARY_WEIGHT, NOTES_WEIGHT = 10.0, 4.0, 2.0
RANK_WINDOW = 1000
COUNT_CAP = 1000  # counting every match of a vague query costs more than it tells
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Page:
    """One page of items plus how many matched (``capped``: at least that many)."""

    items: list[Item]
    total: int
    offset: int
    limit: int
    capped: bool = False

    @property
    def has_more(self) -> bool:
        """Tell whether another page follows this one."""
        if self.capped:
            return len(self.items) == self.limit
        return self.offset + len(self.items) < self.total


def capped_count(db: Database, sql: str, params: list) -> tuple[int, bool]:
    """Count the rows of ``sql`` up to COUNT_CAP; return (count, whether it stopped there)."""
    found = db.execute(f"SELECT count(*) FROM ({sql} LIMIT {COUNT_CAP + 1})", params).fetchone()[0]
    return min(found, COUNT_CAP), found > COUNT_CAP


def fts_query(text: str) -> str:
    """Turn free words into a safe FTS5 query: every word must match, the last as a prefix."""
    words = _WORD.findall(text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_items(
    db: Database,
    text: str,
    *,
    limit: int = 10,
    offset: int = 0,
    channels: Collection[str] | None = None,
) -> Page:
    """Return the items matching ``text``, best first, one page at a time.

    Ranking (bm25) costs time for every match, so when more than :data:`RANK_WINDOW` items
    match, only the most recent ``RANK_WINDOW`` matches are ranked; older matches follow,
    newest first. A vague query stays fast on a large archive; precise ones are fully ranked.
    """
    query = fts_query(text)
    if not query:
        return Page([], 0, offset, limit)
    seen, marks = in_channels("channel_id", channels)  # who sees what (bot/core/visibility)
    if channels is not None:
        query_params = [query, *marks]
        match = f"items_fts MATCH ? AND rowid IN (SELECT id FROM items WHERE {seen})"
    else:
        query_params, match = [query], "items_fts MATCH ?"
    total, capped = capped_count(db, f"SELECT rowid FROM items_fts WHERE {match}", query_params)
    edge = None  # the oldest match inside the ranking window, when the window is full
    if capped or total > RANK_WINDOW:
        edge = db.execute(
            f"SELECT rowid FROM items_fts WHERE {match} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [*query_params, RANK_WINDOW - 1],
        ).fetchone()
    floor = edge[0] if edge else 0
    ids: list[int] = []
    if edge is None or offset < RANK_WINDOW:
        ids += [row[0] for row in db.execute(
            f"SELECT rowid FROM items_fts WHERE {match} AND rowid >= ? "
            "ORDER BY bm25(items_fts, ?, ?, ?), rowid DESC LIMIT ? OFFSET ?",
            [*query_params, floor, TITLE_WEIGHT, SUMMARY_WEIGHT, NOTES_WEIGHT, limit, offset],
        )]  # fmt: skip
    if edge is not None and len(ids) < limit:
        ids += [row[0] for row in db.execute(
            f"SELECT rowid FROM items_fts WHERE {match} AND rowid < ? "
            "ORDER BY rowid DESC LIMIT ? OFFSET ?",
            [*query_params, floor, limit - len(ids), max(offset - RANK_WINDOW, 0)],
        )]  # fmt: skip
    return Page(_items_by_id(db, ids), total, offset, limit, capped)


def _items_by_id(db: Database, ids: list[int]) -> list[Item]:
    """Fetch items keeping the order of ``ids``."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.query(ITEM_SELECT + f" WHERE items.id IN ({marks})", ids)
    by_id = {row["id"]: item_from_row(row) for row in rows}
    return [by_id[item_id] for item_id in ids if item_id in by_id]


def list_items(
    db: Database,
    *,
    status: str | None = None,
    owner: str | None = None,
    newsletter: bool | None = None,
    since: str | None = None,
    limit: int = 10,
    offset: int = 0,
    channels: Collection[str] | None = None,
) -> Page:
    """Return one page of the items matching every criterion given, newest first."""
    seen, params = in_channels("channel_id", channels)  # who sees what (bot/core/visibility)
    conditions = [seen]
    if status is not None:
        conditions.append("status = ?")
        params.append(status)
    if owner is not None:
        conditions.append("owner = ?")
        params.append(owner)
    if newsletter is not None:
        conditions.append("newsletter = ?")
        params.append(int(newsletter))
    if since is not None:
        conditions.append("first_seen_at >= ?")
        params.append(since)
    where = " AND ".join(conditions)
    total, capped = capped_count(db, f"SELECT 1 FROM items WHERE {where}", params)
    rows = db.query(
        ITEM_SELECT + f" WHERE {where} ORDER BY items.first_seen_at DESC, items.id DESC"
        " LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page([item_from_row(row) for row in rows], total, offset, limit, capped)
