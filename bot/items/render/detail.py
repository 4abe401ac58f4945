"""`/veille voir n`: the item, its sources, status, history and notes, as Block Kit.

Feed and user text goes through :mod:`bot.core.mrkdwn` (cleaned, escaped, cut before it is
joined) and every section is ``verbatim``; each list keeps whole lines within Slack's
3,000 characters and says how many it left out.
"""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.mrkdwn import (
    escape,
    fit_lines,
    link,
    mention,
    safe_lines,
    safe_text,
    short_url,
)
from bot.items.render.status import status_line, when
from storage.claims import ItemEvent
from storage.items import Item, Source
from storage.notes import Note

MAX_SECTION = 2900  # Slack caps a section's text at 3000 characters
TITLE_LIMIT = 300
SUMMARY_LIMIT = 1500
NOTE_LIMIT = 1000
SOURCE_LINK_LIMIT = 300
FALLBACK_LIMIT = 300


def _title(item: Item) -> str:
    return f"*#{item.id} {link(item.link, item.title or item.link or '?', TITLE_LIMIT)}*"


def _source_link(url: str) -> str:
    shown = escape(url)
    return shown if len(shown) <= SOURCE_LINK_LIMIT else short_url(url)


def _sources(sources: list[Source]) -> list[str]:
    lines = []
    for source in sources:
        label = safe_text(source.feed_title, 200)
        if source.origin:
            label += f" ({safe_text(source.origin, 100)})"
        lines.append(f"• {label}" + (f" — {_source_link(source.link)}" if source.link else ""))
    return lines


def _history(events: list[ItemEvent], lang: str, tz: str) -> list[str]:
    return [
        f"• {when(e.at, lang, tz)} — {mention(e.actor)} {t(f'items.event.{e.action}', lang)}"
        for e in events
    ]


def _notes(notes: list[Note], lang: str, tz: str) -> list[str]:
    return [
        f"• {mention(n.author)} ({when(n.created_at, lang, tz)}) : {safe_text(n.text, NOTE_LIMIT)}"
        for n in notes
    ]


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _list_section(title: str, lines: list[str], lang: str) -> dict:
    more = t("item.group.more", lang, count="{count}")
    return _section(fit_lines(title, lines, MAX_SECTION, more))


def build_item_detail(
    item: Item,
    sources: list[Source],
    events: list[ItemEvent],
    notes: list[Note],
    lang: str,
    tz: str,
) -> tuple[str, list[dict]]:
    """Return the fallback text and the blocks describing one item in full."""
    head = f"{_title(item)}\n{status_line(item, len(notes), lang)}"
    if item.summary:
        head += f"\n{safe_lines(item.summary, SUMMARY_LIMIT)}"
    blocks = [_section(head)]
    if sources:
        blocks.append(_list_section(t("items.detail.sources", lang), _sources(sources), lang))
    history = _history(events, lang, tz) or [t("items.detail.no_history", lang)]
    blocks.append(_list_section(t("items.detail.history", lang), history, lang))
    written = _notes(notes, lang, tz) or [t("items.detail.no_notes", lang, n=item.id)]
    blocks.append(_list_section(t("items.detail.notes", lang), written, lang))
    title = safe_text(f"#{item.id} {item.title or ''}", FALLBACK_LIMIT)
    text = f"{title} — {status_line(item, len(notes), lang)}"
    return text, blocks
