"""How up to date an item's Slack message is: the number of sources (« vu dans ») it shows."""

from __future__ import annotations

from sqlite_utils import Database


def mark_sources_shown(db: Database, item_id: int, count: int) -> None:
    """Record that the item's message now shows ``count`` sources (never lowers the count)."""
    db.execute(
        "UPDATE items SET sources_shown = MAX(sources_shown, ?) WHERE id = ?", [count, item_id]
    )


def stale_messages(db: Database, item_ids: list[int] | None = None) -> list[int]:
    """Return posted items whose message shows fewer sources than they have (all, or of ``item_ids``)."""
    sql = (
        "SELECT items.id FROM items WHERE items.post_state = 'posted'"
        " AND items.message_ts IS NOT NULL AND items.sources_shown <"
        " (SELECT COUNT(*) FROM item_sources s WHERE s.item_id = items.id)"
    )
    params: list[int] = []
    if item_ids is not None:
        sql += f" AND items.id IN ({', '.join('?' * len(item_ids))})"
        params = list(item_ids)
    return [row[0] for row in db.execute(sql + " ORDER BY items.id", params)]
