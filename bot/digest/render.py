"""The weekly digest as Slack Block Kit: counts, free items, who has what, newsletter picks,
upcoming sessions and decisions falling due.

Every piece of feed or user text goes through :mod:`bot.core.mrkdwn` (escaped, on one line, cut), and
every mrkdwn text object is ``verbatim`` so Slack links nothing by itself (F14). Slack allows 50
blocks per message and 3000 characters per section text; this stays far below the first and
cuts each list to fit the second, saying how many lines were left out.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.calls.render import digest_block as deadlines_block
from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.mrkdwn import BLOCK_TEXT_LIMIT, fit_lines, link, safe_text
from bot.core.mrkdwn import mention as user_mention
from bot.core.plural import tn
from bot.digest.build import Digest
from bot.digest.health import health_lines
from storage.decisions import Decision
from storage.items import Item
from storage.meetings import Meeting

MAX_BLOCKS = 50
LIST_LINES = {"done": 5, "free": 10, "flagged": 15}


def mention(user_id: str | None) -> str:
    """Return ``<@U…>`` for a real Slack user id; anything else is shown escaped, never pinged."""
    return user_mention(user_id)


def item_line(item: Item, with_owner: bool = False) -> str:
    """Return "• *#12* <link|title>" for an item, escaped, optionally with who holds it."""
    line = f"• *#{item.id}* {link(item.link, item.title or '?', 300)}"
    return f"{line} — {mention(item.owner)}" if with_owner and item.owner else line


def session_line(meeting: Meeting, lang: str, zone: ZoneInfo) -> str:
    """Return "• lundi 11 janvier 2027 à 10 h 00 — title · place"."""
    line = f"• {format_datetime(meeting.starts_at, lang, zone)} — {safe_text(meeting.title, 300)}"
    return f"{line} · {safe_text(meeting.place, 200)}" if meeting.place else line


def decision_line(decision: Decision, today: date, lang: str) -> str:
    """Return "• #3 text — due date — @owner", flagged when overdue."""
    due = t("digest.decisions.due", lang, date=format_date(decision.due_date, lang))
    parts = [f"• #{decision.id} {safe_text(decision.text, 400)}", due]
    if decision.owner:
        parts.append(mention(decision.owner))
    if decision.due_date < today:
        parts.append(t("digest.decisions.overdue", lang))
    return " — ".join(parts)


def mrkdwn(text: str) -> dict:
    """Return a mrkdwn text object that Slack shows verbatim (no automatic links or mentions)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict:
    """Return a mrkdwn section that Slack shows verbatim (no automatic links or mentions)."""
    return {"type": "section", "text": mrkdwn(text)}


def list_block(title: str, lines: list[str], total: int = 0, more: str = "") -> dict:
    """Return a section with a title and as many lines as fit in 3000 characters.

    ``total`` is how many lines there are in all (``lines`` may be the first few only); when
    some are not shown, ``more`` (with a ``{count}`` placeholder) says how many.
    """
    return section(fit_lines(title, lines, BLOCK_TEXT_LIMIT, more, total))


def _items_block(key: str, items: list[Item], lang: str, command_key: str) -> dict:
    """Return a titled list of the first few items, and how to see the rest."""
    lines = [item_line(item, with_owner=key == "done") for item in items[: LIST_LINES[key]]]
    more = t("digest.more", lang, count="{count}", command=t(command_key, lang))
    return list_block(t(f"digest.{key}.title", lang), lines, len(items), more)


def build_digest_message(
    digest: Digest, lang: str = "fr", tz: str | ZoneInfo = "Europe/Paris"
) -> tuple[str, list[dict]]:
    """Return the fallback text and the blocks of the digest."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    since, until = format_date(digest.since, lang, zone), format_date(digest.until, lang, zone)
    counts = {
        "new": len(digest.new),
        "done": len(digest.done),
        "dismissed": len(digest.dismissed),
        "free": len(digest.free),
    }
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": t("digest.title", lang)}},
        {"type": "context", "elements": [
            mrkdwn(t("digest.period", lang, since=since, until=until)),
        ]},
        section(t("digest.counts", lang, **counts)),
    ]  # fmt: skip
    if digest.done:
        blocks.append(_items_block("done", digest.done, lang, "digest.command.all"))
    if digest.free:
        blocks.append(_items_block("free", digest.free, lang, "digest.command.free"))
    blocks += [_claims_block(digest, lang), _flagged_block(digest, lang), {"type": "divider"}]
    blocks += [_sessions_block(digest, lang, zone), _decisions_block(digest, lang, zone)]
    if digest.deadlines:
        blocks.append(deadlines_block(list(digest.deadlines), lang))
    if digest.health:
        more = t("digest.more", lang, count="{count}", command="/veille flux")
        lines = health_lines(digest.health, lang, zone)
        blocks.append(list_block(t("digest.health.title", lang), lines, len(lines), more))
    blocks.append({"type": "context", "elements": [
        mrkdwn(t("digest.footer", lang)),
    ]})  # fmt: skip
    counted = {name: tn(f"digest.fallback.{name}", lang, int(n)) for name, n in counts.items()}
    fallback = t("digest.fallback", lang, since=since, until=until, **counted)
    return fallback, blocks[:MAX_BLOCKS]


def _claims_block(digest: Digest, lang: str) -> dict:
    lines = [
        "• " + t("digest.claims.line", lang, owner=mention(owner), count=count)
        for owner, count in digest.claims
    ] or [t("digest.claims.none", lang)]
    return list_block(t("digest.claims.title", lang), lines)


def _flagged_block(digest: Digest, lang: str) -> dict:
    if not digest.flagged:
        return section(f"{t('digest.flagged.title', lang)}\n{t('digest.flagged.none', lang)}")
    return _items_block("flagged", digest.flagged, lang, "digest.command.flagged")


def _sessions_block(digest: Digest, lang: str, zone: ZoneInfo) -> dict:
    lines = [session_line(m, lang, zone) for m in digest.sessions]
    return list_block(t("digest.sessions.title", lang), lines or [t("digest.sessions.none", lang)])


def _decisions_block(digest: Digest, lang: str, zone: ZoneInfo) -> dict:
    today = digest.until.astimezone(zone).date()
    lines = [decision_line(d, today, lang) for d in digest.decisions]
    return list_block(
        t("digest.decisions.title", lang), lines or [t("digest.decisions.none", lang)]
    )
