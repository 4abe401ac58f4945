"""The item lists (free, mine, all, newsletter) as queries."""

from __future__ import annotations

from collections.abc import Collection

from sqlite_utils import Database

from bot.items.states import ItemList, ItemStatus
from storage.search import Page, list_items


def list_page(
    db: Database,
    which: ItemList,
    user: str,
    *,
    limit: int = 10,
    offset: int = 0,
    since: str | None = None,
    channels: Collection[str] | None = None,
) -> Page:
    """Return one page of the list ``which`` as seen by ``user``, newest first."""
    criteria: dict = {
        ItemList.FREE: {"status": ItemStatus.OPEN},
        ItemList.MINE: {"status": ItemStatus.CLAIMED, "owner": user},
        ItemList.NEWSLETTER: {"newsletter": True},
        ItemList.ALL: {},
    }[which]
    return list_items(db, **criteria, limit=limit, offset=offset, since=since, channels=channels)
