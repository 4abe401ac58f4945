"""Decisions: parse `/decision <texte> [@responsable] [échéance <date>] [session:<n°>]` and record.

The text is stored exactly as typed (mentions and all); it is escaped only when shown (M2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.core.i18n import t
from bot.core.reply import UserError
from bot.meetings.dates import parse_date
from bot.meetings.sessions import NAMED, decision_session, get_session
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


@dataclass(frozen=True)
class Placement:
    """The session a decision went to (None: « hors session ») and which rule chose it."""

    meeting: Meeting | None
    rule: str  # sessions.NAMED, IN_PROGRESS, UPCOMING, PAST or UNFILED


def target_session(
    db: Database, request: DecisionRequest, *, channel_id: str, now: datetime, lang: str
) -> Placement:
    """Return the session named with session:<n°>, else the one the channel's rules choose."""
    if request.session_id is not None:
        return Placement(get_session(db, request.session_id, lang), NAMED)
    meeting, rule = decision_session(db, channel_id, now)
    return Placement(meeting, rule)


def record_decision(
    db: Database,
    request: DecisionRequest,
    *,
    channel_id: str,
    user_id: str,
    now: datetime,
    lang: str,
    idempotency_key: str | None = None,
) -> tuple[Decision, Placement, bool]:
    """Record a decision once per idempotency key; return it, where it went, and if it is new."""
    placement = target_session(db, request, channel_id=channel_id, now=now, lang=lang)
    decision, created = decision_store.add_decision(
        db,
        meeting_id=placement.meeting.id if placement.meeting else None,
        text=request.text,
        owner=request.owner,
        due_date=request.due_date,
        created_by=user_id,
        now=now,
        idempotency_key=idempotency_key,
        channel_id=channel_id,
    )
    if not created and decision.meeting_id != (placement.meeting.id if placement.meeting else None):
        meeting = get_session(db, decision.meeting_id, lang) if decision.meeting_id else None
        placement = Placement(meeting, NAMED)
    return decision, placement, created


def get_live_decision(db: Database, decision_id: int, lang: str) -> Decision:
    """Return a decision that exists and is not deleted, or raise a friendly error."""
    decision = decision_store.get_decision(db, decision_id)
    if decision is None:
        raise UserError(t("meetings.error.decision_not_found", lang, id=decision_id))
    if decision.deleted:
        raise UserError(t("decisions.error.deleted", lang, id=decision_id))
    return decision


def may_change(decision: Decision, user_id: str, is_admin: bool) -> bool:
    """Return whether this person may correct the decision: its author, its owner or an admin."""
    return is_admin or user_id in (decision.created_by, decision.owner)


def _check(decision: Decision, user_id: str, is_admin: bool, lang: str) -> None:
    """Refuse a correction by someone who is neither author, owner nor admin."""
    if not may_change(decision, user_id, is_admin):
        raise UserError(t("decisions.error.not_yours", lang, id=decision.id))


def mark_decision_done(
    db: Database, decision_id: int, *, user_id: str, now: datetime, lang: str
) -> Decision:
    """Mark a decision done; its owner gets no more reminders."""
    get_live_decision(db, decision_id, lang)
    decision = decision_store.mark_done(db, decision_id, by=user_id, now=now)
    if decision is None:
        raise UserError(t("meetings.error.decision_not_found", lang, id=decision_id))
    return decision


def edit_decision(
    db: Database, decision_id: int, text: str, *, user_id: str, is_admin: bool, now: datetime,
    tz: str | ZoneInfo, lang: str,
) -> Decision:  # fmt: skip
    """Replace a decision's text (a trailing @owner or « échéance <date> » changes those too)."""
    decision = get_live_decision(db, decision_id, lang)
    _check(decision, user_id, is_admin, lang)
    request = parse_decision_request(text, now=now, tz=tz, lang=lang)
    changed = decision_store.update_decision(
        db, decision_id, by=user_id, now=now, text=request.text, owner=request.owner,
        due_date=request.due_date,
    )  # fmt: skip
    if request.session_id is not None:
        get_session(db, request.session_id, lang)
        changed = decision_store.move_decision(
            db, decision_id, request.session_id, by=user_id, now=now
        )
    return changed  # type: ignore[return-value]


def delete_decision(
    db: Database, decision_id: int, *, user_id: str, is_admin: bool, now: datetime, lang: str
) -> Decision:
    """Delete a decision: it leaves the lists and reminders, its history stays in the minutes."""
    decision = get_live_decision(db, decision_id, lang)
    _check(decision, user_id, is_admin, lang)
    return decision_store.delete_decision(db, decision_id, by=user_id, now=now)  # type: ignore[return-value]


def reopen_decision(
    db: Database, decision_id: int, *, user_id: str, is_admin: bool, now: datetime, lang: str
) -> Decision:
    """Reopen a done (or deleted) decision."""
    decision = decision_store.get_decision(db, decision_id)
    if decision is None:
        raise UserError(t("meetings.error.decision_not_found", lang, id=decision_id))
    _check(decision, user_id, is_admin, lang)
    if decision.status == "open":
        raise UserError(t("decisions.error.already_open", lang, id=decision_id))
    return decision_store.reopen_decision(db, decision_id, by=user_id, now=now)  # type: ignore[return-value]


UNDO_WINDOW = timedelta(minutes=5)


def undo_decision(
    db: Database, decision_id: int, *, user_id: str, is_admin: bool, now: datetime, lang: str
) -> Decision:
    """Undo the recording of a decision, by its author (or an admin) within UNDO_WINDOW."""
    decision = get_live_decision(db, decision_id, lang)
    if not (is_admin or user_id == decision.created_by):
        raise UserError(t("decisions.error.undo_not_yours", lang, id=decision_id))
    if now - decision.created_at > UNDO_WINDOW:
        raise UserError(t("decisions.error.undo_too_late", lang, id=decision_id))
    return decision_store.delete_decision(  # type: ignore[return-value]
        db, decision_id, by=user_id, now=now, action="undone"
    )


def move_decision(
    db: Database, decision_id: int, meeting_id: int | None, *, user_id: str, is_admin: bool,
    now: datetime, lang: str,
) -> tuple[Decision, Meeting | None]:  # fmt: skip
    """File a decision under another session of its channel, or « hors session » (None)."""
    decision = get_live_decision(db, decision_id, lang)
    _check(decision, user_id, is_admin, lang)
    meeting = get_session(db, meeting_id, lang) if meeting_id is not None else None
    if meeting is not None and decision.channel_id and meeting.channel_id != decision.channel_id:
        # a session of another channel reads as missing: its channel may be private
        raise UserError(t("meetings.error.not_found", lang, id=meeting_id))
    moved = decision_store.move_decision(db, decision_id, meeting_id, by=user_id, now=now)
    return moved, meeting  # type: ignore[return-value]
