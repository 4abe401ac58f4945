"""The App Home's deadlines part: the coming month's deadlines, the person's own first.

Only items of channels the viewer may see are shown (who sees what, ``bot/core/visibility``).
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.calls.deadlines import coming_deadlines
from bot.calls.render import deadline_line, mrkdwn
from bot.core.i18n import t
from bot.core.mrkdwn import fit_lines
from bot.core.visibility import viewer_channels

HOME_DAYS = 30
HOME_LINES = 10


def build_calls_home(db: Database, user: str, lang: str, tz: str, now: datetime) -> list[dict]:
    """Return the Home blocks of the deadlines in the next 30 days (none: no section)."""
    items = coming_deadlines(db, now, tz, HOME_DAYS, viewer_channels())
    if not items:
        return []
    items.sort(key=lambda item: item.owner != user)  # stable: soonest first within each group
    lines = [deadline_line(item, lang) for item in items[:HOME_LINES]]
    more = t("calls.list.more", lang, count="{count}")
    text = fit_lines(t("calls.home.title", lang), lines, 2900, more, total=len(items))
    return [{"type": "divider"}, {"type": "section", "text": mrkdwn(text)}]
