"""`/veille voir n`: the item, its sources, status, history and notes, as Block Kit."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.mrkdwn import escape
from bot.items.render.status import status_line, when
from storage.claims import ItemEvent
from storage.items import Item, Source
from storage.notes import Note

MAX_SECTION = 2900  # Slack caps a section's text at 3000 characters


def _title(item: Item) -> str:
    title = escape(item.title or item.link or "?")
    link = item.link or ""
    if link.startswith(("http://", "https://")) and "|" not in link and ">" not in link:
        return f"*#{item.id} <{escape(link)}|{title}>*"
    return f"*#{item.id} {title}*"


def _sources(sources: list[Source]) -> str:
    lines = []
    for source in sources:
        label = escape(source.feed_title) + (f" ({escape(source.origin)})" if source.origin else "")
        lines.append(f"• {label}" + (f" — {escape(source.link)}" if source.link else ""))
    return "\n".join(lines)


def _history(events: list[ItemEvent], lang: str, tz: str) -> str:
    return "\n".join(
        f"• {when(e.at, lang, tz)} — <@{e.actor}> {t(f'items.event.{e.action}', lang)}"
        for e in events
    )


def _notes(notes: list[Note], lang: str, tz: str) -> str:
    return "\n".join(
        f"• <@{n.author}> ({when(n.created_at, lang, tz)}) : {escape(n.text)}" for n in notes
    )


def _section(text: str) -> dict:
    if len(text) > MAX_SECTION:
        text = text[: MAX_SECTION - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


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
        head += f"\n{escape(item.summary)}"
    blocks = [_section(head)]
    if sources:
        blocks.append(_section(f"{t('items.detail.sources', lang)}\n{_sources(sources)}"))
    history = _history(events, lang, tz) or t("items.detail.no_history", lang)
    blocks.append(_section(f"{t('items.detail.history', lang)}\n{history}"))
    written = _notes(notes, lang, tz) or t("items.detail.no_notes", lang, n=item.id)
    blocks.append(_section(f"{t('items.detail.notes', lang)}\n{written}"))
    text = f"#{item.id} {escape(item.title)} — {status_line(item, len(notes), lang)}"
    return text, blocks
