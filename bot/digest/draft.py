"""`/veille lettre brouillon`: the newsletter draft in Slack, privately, as Block Kit.

Each item kept « pour la lettre » in the period gets one section: linked title, summary, where
it was seen, and its notes with their authors (mentions: inside Slack, Slack shows the names).
Feed and note text is escaped and ``verbatim`` (F14); a message holds 50 blocks, so past
:data:`MAX_ITEMS` items the last block says how many more the command-line export has.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.mrkdwn import BLOCK_TEXT_LIMIT, fit_lines, link, mention, safe_text
from bot.core.plural import tn
from bot.digest.build import NewsletterEntry
from bot.digest.newsletter import title_line
from storage.items import Source

MAX_ITEMS = 45  # + header, period, footer: under Slack's 50 blocks
SUMMARY_LIMIT = 600
NOTE_LIMIT = 500


def _mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _source(source: Source) -> str:
    label = safe_text(source.feed_title, 200)
    if source.origin:
        label += f" ({safe_text(source.origin, 100)})"
    return link(source.link, label, 300) if source.link else label


def entry_section(entry: NewsletterEntry, lang: str) -> dict:
    """Return one item of the draft: title, summary, sources, notes signed by their authors."""
    item = entry.item
    head = f"*#{item.id} {link(item.link, item.title or '?', 300)}*"
    lines = []
    if item.summary:
        lines.append(safe_text(item.summary, SUMMARY_LIMIT))
    if entry.sources:
        seen = ", ".join(_source(s) for s in entry.sources)
        lines.append(t("newsletter.draft.seen_in", lang, sources=seen))
    if entry.notes:
        lines.append(tn("newsletter.draft.notes", lang, len(entry.notes)))
        lines += [
            f"• {safe_text(note.text, NOTE_LIMIT)} — {mention(note.author)}" for note in entry.notes
        ]
    more = t("newsletter.draft.more_lines", lang, count="{count}")
    return {"type": "section", "text": _mrkdwn(fit_lines(head, lines, BLOCK_TEXT_LIMIT, more))}


def build_draft_message(
    entries: list[NewsletterEntry], since: datetime, until: datetime, lang: str, zone: ZoneInfo
) -> tuple[str, list[dict]]:
    """Return the fallback text and blocks of the newsletter draft for the period."""
    title = title_line(since, until, lang, zone)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": safe_text(title, 150)}},
    ]
    if entries:
        count = tn("newsletter.draft.count", lang, len(entries))
        blocks.append({"type": "context", "elements": [_mrkdwn(count)]})
    else:  # « 0 article retenu » and « Aucun article retenu » would say the same thing twice
        blocks.append({"type": "section", "text": _mrkdwn(t("newsletter.empty", lang))})
    blocks += [entry_section(entry, lang) for entry in entries[:MAX_ITEMS]]
    footer = t("newsletter.draft.footer", lang)
    if len(entries) > MAX_ITEMS:
        footer = tn("newsletter.draft.more", lang, len(entries) - MAX_ITEMS) + " " + footer
    blocks.append({"type": "context", "elements": [_mrkdwn(footer)]})
    summary = (
        tn("newsletter.draft.count", lang, len(entries)) if entries else t("newsletter.empty", lang)
    )
    return f"{title} — {summary}", blocks
