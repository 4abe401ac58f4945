"""Decisions: parse `/decision <texte> [@responsable] [échéance <date>] [session:<n°>]` and record.

The text is stored exactly as typed (mentions and all); it is escaped only when shown (M2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.reply import UserError
from bot.meetings.dates import parse_date
from bot.meetings.sessions import current_or_latest_session, get_session
from storage import decisions as decision_store
from storage.decisions import Decision
from storage.meetings import Meeting

_SESSION = re.compile(r"(?:^|\s)session:#?(\d+)\b", re.IGNORECASE)
_DUE = re.compile(r"\s(?:échéance|echeance|due|pour le|avant le)\s+(.+)$", re.IGNORECASE)
_TRAILING_MENTION = re.compile(r"\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>\s*$")


@dataclass(frozen=True)
class DecisionRequest:
    """What `/decision` understood."""

    text: str
    owner: str | None
    due_date: date | None
    session_id: int | None


def parse_decision_request(
    text: str, *, now: datetime, tz: str | ZoneInfo, lang: str = "fr"
) -> DecisionRequest:
    """Pull the session, due date and owner (a trailing mention) out of the typed text."""
    session_id = None
    if match := _SESSION.search(text):
        session_id = int(match[1])
        text = text[: match.start()] + text[match.end() :]
    due = None
    if match := _DUE.search(" " + text):
        due = parse_date(match[1], now=now, tz=tz, lang=lang)
        text = (" " + text)[: match.start()]
    owner = None
    if match := _TRAILING_MENTION.search(text):
        owner = match[1]
        text = text[: match.start()]
    text = text.strip()
    if not text:
        raise UserError(t("meetings.error.empty_decision", lang))
    return DecisionRequest(text, owner, due, session_id)


def target_session(
    db: Database, request: DecisionRequest, *, channel_id: str, now: datetime, lang: str
) -> Meeting:
    """Return the session named with session:<n°>, else the channel's current or latest one."""
    if request.session_id is not None:
        return get_session(db, request.session_id, lang)
    meeting = current_or_latest_session(db, channel_id, now)
    if meeting is None:
        raise UserError(t("meetings.error.no_session_here", lang))
    return meeting


def record_decision(
    db: Database,
    request: DecisionRequest,
    *,
    channel_id: str,
    user_id: str,
    now: datetime,
    lang: str,
    idempotency_key: str | None = None,
) -> tuple[Decision, Meeting, bool]:
    """Record a decision once per idempotency key; return it, its session, and if it is new."""
    meeting = target_session(db, request, channel_id=channel_id, now=now, lang=lang)
    decision, created = decision_store.add_decision(
        db,
        meeting_id=meeting.id,
        text=request.text,
        owner=request.owner,
        due_date=request.due_date,
        created_by=user_id,
        now=now,
        idempotency_key=idempotency_key,
    )
    return decision, meeting, created


def mark_decision_done(
    db: Database, decision_id: int, *, user_id: str, now: datetime, lang: str
) -> Decision:
    """Mark a decision done; its owner gets no more reminders."""
    decision = decision_store.mark_done(db, decision_id, by=user_id, now=now)
    if decision is None:
        raise UserError(t("meetings.error.decision_not_found", lang, id=decision_id))
    return decision
