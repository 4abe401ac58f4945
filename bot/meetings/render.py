"""Messages about sessions and decisions: pure functions of domain objects, all user text escaped.

User text (titles, places, agenda points, decision text) is escaped for mrkdwn so that
``<!channel>`` or ``<@U1>`` typed in a decision is shown, never turned into a mention (M2), and
clipped so that a 10,000-character decision cannot make Slack refuse the message.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.mrkdwn import BLOCK_TEXT_LIMIT, cut, is_user_id, safe_text, slack_len
from storage.decisions import Decision
from storage.meetings import AgendaPoint, Meeting

TEXT_LIMIT = 300


def user_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """Return user-typed text safe to show in mrkdwn: one line, cut, escaped, at most ``limit``."""
    return safe_text(text, limit)


def place_line(meeting: Meeting, lang: str) -> str:
    """Return ", à Lyon" or nothing."""
    return t("meetings.place", lang, place=user_text(meeting.place, 100)) if meeting.place else ""


def mention(user_id: str | None) -> str:
    """Return a mention for a well-formed user id, else nothing (never raw user text)."""
    return user_id if is_user_id(user_id) else ""


def render_decision_line(decision: Decision, lang: str = "fr") -> str:
    """Return "#12 text — @owner — échéance mardi 12 janvier 2027"."""
    owner = mention(decision.owner)
    return t(
        "meetings.decision_line",
        lang,
        id=decision.id,
        text=user_text(decision.text),
        owner=t("meetings.decision_owner", lang, owner=owner) if owner else "",
        due=t("meetings.decision_due", lang, due=format_date(decision.due_date, lang))
        if decision.due_date
        else "",
        done=t("meetings.decision_done", lang) if decision.done else "",
    )


def session_fields(meeting: Meeting, lang: str, tz: ZoneInfo | str) -> dict[str, object]:
    """Return what every session message names: its number, title, date and place, made safe."""
    return {
        "id": meeting.id,
        "title": user_text(meeting.title, 150),
        "when": format_datetime(meeting.starts_at, lang, tz),
        "place": place_line(meeting, lang),
    }


def render_session_line(meeting: Meeting, lang: str, tz: ZoneInfo | str) -> str:
    """Return one line of `/session liste`."""
    cancelled = t("meetings.cancelled", lang) if meeting.cancelled else ""
    return t(
        "meetings.session_line", lang, **session_fields(meeting, lang, tz), cancelled=cancelled
    )


def render_agenda(meeting: Meeting, agenda: list[AgendaPoint], lang: str) -> str:
    """Return the numbered agenda, or a hint on how to add to it."""
    if not agenda:
        return t("meetings.agenda_empty", lang, id=meeting.id)
    lines = [f"{point.position}. {user_text(point.text)}" for point in agenda]
    return "\n".join([t("meetings.agenda_title", lang), *lines])


MAX_BLOCKS = 40  # Slack allows 50 blocks a message


def section(text: str) -> dict:
    """Return a mrkdwn section Slack shows verbatim: people's text is never auto-linked."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _blocks(text: str) -> list[dict]:
    """Wrap mrkdwn text into section blocks of at most 3000 characters each (whole lines)."""
    chunks, current = [], ""
    for line in text.split("\n"):
        line = cut(line, BLOCK_TEXT_LIMIT)
        if current and slack_len(current) + slack_len(line) + 1 > BLOCK_TEXT_LIMIT:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return [section(c) for c in chunks[:MAX_BLOCKS]]


def render_announcement(
    meeting: Meeting, agenda: list[AgendaPoint], lang: str, tz: ZoneInfo | str
) -> tuple[str, list[dict]]:
    """Return the text and blocks announcing a new session in its channel."""
    head = t("meetings.announce", lang, **session_fields(meeting, lang, tz))
    body = "\n".join([head, render_agenda(meeting, agenda, lang)])
    return head, _blocks(body)


def render_reminder(
    meeting: Meeting,
    agenda: list[AgendaPoint],
    decisions: list[Decision],
    *,
    late: bool,
    lang: str,
    tz: ZoneInfo | str,
) -> tuple[str, list[dict]]:
    """Return a reminder: the session, its agenda and the open decisions due before it."""
    late_mark = t("meetings.late", lang) if late else ""
    head = t("meetings.reminder", lang, **session_fields(meeting, lang, tz), late=late_mark)
    parts = [head, render_agenda(meeting, agenda, lang)]
    if decisions:
        parts.append(t("meetings.decisions_title", lang))
        parts.extend(f"• {render_decision_line(d, lang)}" for d in decisions[:20])
    return head, _blocks("\n".join(parts))


def render_decision_dm(decision: Decision, *, today: bool, lang: str) -> str:
    """Return the direct message sent to a decision's owner before its due date."""
    key = "meetings.dm_due_today" if today else "meetings.dm_due_soon"
    due = format_date(decision.due_date, lang) if decision.due_date else ""
    return t(key, lang, id=decision.id, text=user_text(decision.text), due=due)
