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


def render_decision_line(decision: Decision, lang: str = "fr", numbered: bool = True) -> str:
    """Return "#12 text — @owner — échéance mardi 12 janvier 2027".

    ``numbered=False`` leaves out "#12", for a message that already says « Décision n° 12 ».
    """
    owner = mention(decision.owner)
    return t(
        "meetings.decision_line" if numbered else "meetings.decision_line_bare",
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


def blocks_for(text: str) -> list[dict]:
    """Return long mrkdwn text as section blocks of whole lines (the minutes, in Slack)."""
    return _blocks(text)


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


DM_KEYS = {"0d": "meetings.dm_due_today", "overdue": "meetings.dm_overdue"}


def render_decision_dm(
    decision: Decision, *, lang: str, today: bool = False, offset_key: str = ""
) -> str:
    """Return the direct message to a decision's owner: before, on, or the day after its due date."""
    key = DM_KEYS.get(offset_key or ("0d" if today else ""), "meetings.dm_due_soon")
    due = format_date(decision.due_date, lang) if decision.due_date else ""
    return t(key, lang, id=decision.id, text=user_text(decision.text), due=due)


# Buttons on a decision's confirmation (handled in handlers/meetings.py)
DECISION_MOVE = "decision_move"
DECISION_UNDO = "decision_undo"
UNFILED_VALUE = "none"
MOVED = "moved"  # the confirmation after a move says so rather than "notée"
MAX_OPTIONS = 20


def _plain(text: str, limit: int = 75) -> dict:
    """Return a plain_text object within Slack's length for option labels."""
    return {"type": "plain_text", "text": cut(text, limit) or "-", "emoji": False}


def session_option_label(meeting: Meeting | None, lang: str, tz: ZoneInfo | str) -> str:
    """Return "n° 4 · 11/01/2027 · Point veille" (or « hors session ») for the move select."""
    if meeting is None:
        return t("decisions.unfiled_option", lang)
    day = format_date(meeting.starts_at, lang, tz)
    return t("decisions.session_option", lang, id=meeting.id, when=day, title=meeting.title)


def decision_actions(
    decision: Decision, sessions: list[Meeting], lang: str, tz: ZoneInfo | str
) -> dict:
    """Return the actions block: a select to move the decision, and « Annuler » (undo)."""
    choices: list[Meeting | None] = [m for m in sessions if m.id != decision.meeting_id]
    choices = choices[:MAX_OPTIONS]
    if decision.meeting_id is not None:
        choices.append(None)
    elements = []
    if choices:
        options = [
            {
                "text": _plain(session_option_label(m, lang, tz)),
                "value": f"{decision.id}:{m.id if m else UNFILED_VALUE}",
            }
            for m in choices
        ]
        elements.append({
            "type": "static_select", "action_id": DECISION_MOVE, "options": options,
            "placeholder": _plain(t("decisions.move_placeholder", lang)),
        })  # fmt: skip
    elements.append({
        "type": "button", "action_id": DECISION_UNDO, "value": str(decision.id),
        "text": _plain(t("decisions.undo_button", lang)),
    })  # fmt: skip
    return {"type": "actions", "block_id": f"decision_{decision.id}", "elements": elements}


def render_decision_confirmation(
    decision: Decision,
    meeting: Meeting | None,
    rule: str,
    sessions: list[Meeting],
    lang: str,
    tz: ZoneInfo | str,
) -> tuple[str, list[dict]]:
    """Return the public confirmation: where the decision went and why, with move and undo."""
    line = render_decision_line(decision, lang, numbered=False)
    verb = "moved" if rule == MOVED else "recorded"
    if meeting is None:
        text = t(f"decisions.{verb}_unfiled", lang, id=decision.id, line=line)
    else:
        text = t(
            f"decisions.{verb}", lang, id=decision.id, session=meeting.id,
            title=user_text(meeting.title, 150), when=format_date(meeting.starts_at, lang, tz),
            rule=t(f"decisions.rule.{rule}", lang) if verb == "recorded" else "", line=line,
        )  # fmt: skip
    hint = t("decisions.recorded_hint", lang, id=decision.id)
    blocks = [section(text), context(hint), decision_actions(decision, sessions, lang, tz)]
    return text, blocks


def context(text: str) -> dict:
    """Return a small grey line under a message."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}
