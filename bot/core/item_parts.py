"""Blocks that other features add to an item's message (a call's deadline), between its text and buttons.

The items feature draws the message; a feature that builds on items (``Feature.item_part``) may
add a few blocks without the items feature knowing it. The composition root installs the parts
once at start, from the table of contents (``bot.features.install_catalogues``), as it installs
the messages: importing a module never adds a part. A part that fails is logged and left out,
so a broken deadline never stops an item from being posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from storage.items import Item

logger = logging.getLogger(__name__)

ItemPart = Callable[[Item, str, str], list[dict]]
"""``part(item, lang, tz)`` → blocks."""
_INSTALLED: list[ItemPart] = []


def install_item_parts(parts: Iterable[ItemPart]) -> None:
    """Make these the parts every item message shows."""
    _INSTALLED[:] = list(parts)


def item_part_blocks(item: Item, lang: str, tz: str) -> list[dict]:
    """Return every installed part's blocks for this item, in order."""
    blocks: list[dict] = []
    for part in _INSTALLED:
        try:
            blocks += part(item, lang, tz)
        except Exception:  # an item must still be posted without its extra blocks
            logger.exception("item message: part %s failed", getattr(part, "__name__", part))
    return blocks
