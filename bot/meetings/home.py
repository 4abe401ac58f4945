"""The App Home's meetings part: upcoming sessions and the viewer's open decisions."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.mrkdwn import fit_lines
from bot.core.visibility import viewer_channels
from bot.meetings.render import render_decision_line, render_session_line
from storage.decisions import list_decisions
from storage.meetings import list_scheduled_since

HOME_SESSIONS = 5
HOME_DECISIONS = 10


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def build_meetings_home(db: Database, user: str, lang: str, tz: str, now: datetime) -> list[dict]:
    """Return Block Kit blocks listing the next sessions and ``user``'s open decisions."""
    seen = viewer_channels()  # who sees what (bot/core/visibility)
    sessions = [m for m in list_scheduled_since(db, now) if seen is None or m.channel_id in seen]
    sessions = sessions[:HOME_SESSIONS]
    decisions = list_decisions(db, status="open", owner=user, channels=seen)[:HOME_DECISIONS]
    none = t("meetings.home.none", lang)
    session_lines = [render_session_line(m, lang, tz) for m in sessions] or [none]
    decision_lines = ["• " + render_decision_line(d, lang) for d in decisions] or [none]
    # whole lines only, within Slack's 3,000 characters a section (a cut could split a link)
    return [
        _section(fit_lines(t("meetings.home.upcoming", lang), session_lines, 2900)),
        _section(fit_lines(t("meetings.home.my_decisions", lang), decision_lines, 2900)),
    ]
