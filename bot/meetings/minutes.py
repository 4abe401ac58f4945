"""A session's minutes: date, place, agenda, decisions with owners, due dates and corrections.

Two renderings of the same content: Markdown for the command line (people by name, from the
``people`` table: the reader has no Slack at hand) and Slack mrkdwn for `/session compte-rendu`
(people as mentions, which Slack shows by name; every typed text escaped).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.names import display_name, mentions_to_names
from bot.meetings.render import mention, user_text
from bot.meetings.sessions import get_session
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.decisions import Decision, DecisionEvent
from storage.people import known_names

Who = Callable[[str | None], str]
Text = Callable[[str], str]
HISTORY_ACTIONS = ("edited", "moved", "deleted", "undone", "reopened")


def _one_line(text: str) -> str:
    """Collapse newlines so that one decision stays one Markdown list item."""
    return " ".join(text.split())


def _history(event: DecisionEvent, who: Who, text: Text, lang: str, tz: ZoneInfo | str) -> str:
    """Return one correction as a phrase with its verb: « modifiée le … par … (avant : « … ») »."""
    fields = {"when": format_date(event.at, lang, tz), "who": who(event.actor)}
    if event.action == "edited":
        return t("minutes.history.edited", lang, **fields, old=text(event.detail))
    if event.action == "moved":
        source = (
            t("minutes.history.from_session", lang, id=event.detail)
            if event.detail
            else t("minutes.history.from_unfiled", lang)
        )
        return t("minutes.history.moved", lang, **fields, source=source)
    return t(f"minutes.history.{event.action}", lang, **fields)


def _decision_parts(
    decision: Decision, who: Who, text: Text, lang: str, tz: ZoneInfo | str
) -> list[str]:
    """Return the pieces of one decision's line: text, owner, due date, state."""
    parts = [text(decision.text)]
    if decision.owner:
        parts.append(t("minutes.owner", lang, owner=who(decision.owner)))
    if decision.due_date:
        parts.append(t("minutes.due", lang, due=format_date(decision.due_date, lang)))
    if decision.deleted:
        parts.append(t("minutes.deleted", lang))
    elif decision.done and decision.done_at:
        parts.append(t("minutes.done", lang, when=format_date(decision.done_at, lang, tz)))
    else:
        parts.append(t("minutes.open", lang))
    return parts


def _corrections(db: Database, decision: Decision) -> list[DecisionEvent]:
    """Return the corrections worth showing in the minutes (not the « fait » click)."""
    return [e for e in decision_store.list_events(db, decision.id) if e.action in HISTORY_ACTIONS]


def render_minutes(
    db: Database,
    meeting_id: int,
    lang: str = "fr",
    tz: str = "Europe/Paris",
    names: Mapping[str, str] | None = None,
) -> str:
    """Return the Markdown minutes of a session, people by name (the reader has no Slack).

    ``names`` defaults to the names stored in the people table.
    """
    known = known_names(db) if names is None else names

    def who(user_id: str | None) -> str:
        return "@" + display_name(known, user_id)

    def text(typed: str) -> str:
        return mentions_to_names(_one_line(typed), known)

    meeting = get_session(db, meeting_id, lang)
    lines = [f"# {_one_line(meeting.title)}", ""]
    lines.append(
        f"- **{t('minutes.date', lang)}** : {format_datetime(meeting.starts_at, lang, tz)}"
    )
    if meeting.place:
        lines.append(f"- **{t('minutes.place', lang)}** : {_one_line(meeting.place)}")
    lines.append(f"- **{t('minutes.session', lang)}** : {meeting.id}")
    if meeting.cancelled:
        lines.append(f"- **{t('minutes.status', lang)}** : {t('minutes.cancelled', lang)}")
    lines += ["", f"## {t('minutes.agenda', lang)}", ""]
    agenda = meeting_store.list_agenda(db, meeting.id)
    lines += [f"{p.position}. {_one_line(p.text)}" for p in agenda] or [
        t("minutes.no_agenda", lang)
    ]
    lines += ["", f"## {t('minutes.decisions', lang)}", ""]
    decisions = decision_store.list_decisions(db, meeting_id=meeting.id, include_deleted=True)
    for decision in decisions:
        parts = _decision_parts(decision, who, text, lang, tz)
        head = f"~~#{decision.id}~~" if decision.deleted else f"**#{decision.id}**"
        lines.append(f"- {head} " + " — ".join(parts))
        lines += [f"  - {_history(e, who, text, lang, tz)}" for e in _corrections(db, decision)]
    if not decisions:
        lines.append(t("minutes.no_decisions", lang))
    return "\n".join(lines) + "\n"


def render_minutes_slack(
    db: Database, meeting_id: int, lang: str = "fr", tz: str = "Europe/Paris"
) -> str:
    """Return the minutes in Slack mrkdwn: people as mentions, typed text escaped."""

    def who(user_id: str | None) -> str:
        return f"<@{user_id}>" if mention(user_id) else "?"

    meeting = get_session(db, meeting_id, lang)
    lines = [t("minutes.slack_title", lang, title=user_text(meeting.title, 150))]
    lines.append(f"• *{t('minutes.date', lang)}* : {format_datetime(meeting.starts_at, lang, tz)}")
    if meeting.place:
        lines.append(f"• *{t('minutes.place', lang)}* : {user_text(meeting.place, 100)}")
    lines.append(f"• *{t('minutes.session', lang)}* : {meeting.id}")
    if meeting.cancelled:
        lines.append(f"• *{t('minutes.status', lang)}* : {t('minutes.cancelled', lang)}")
    lines += ["", f"*{t('minutes.agenda', lang)}*"]
    agenda = meeting_store.list_agenda(db, meeting.id)
    lines += [f"{p.position}. {user_text(p.text)}" for p in agenda] or [
        t("minutes.no_agenda", lang)
    ]
    lines += ["", f"*{t('minutes.decisions', lang)}*"]
    decisions = decision_store.list_decisions(db, meeting_id=meeting.id, include_deleted=True)
    for decision in decisions:
        parts = _decision_parts(decision, who, user_text, lang, tz)
        head = f"~n° {decision.id}~" if decision.deleted else f"*n° {decision.id}*"
        lines.append(f"• {head} " + " — ".join(parts))
        lines += [
            f"    ↳ {_history(e, who, user_text, lang, tz)}" for e in _corrections(db, decision)
        ]
    if not decisions:
        lines.append(t("minutes.no_decisions", lang))
    return "\n".join(lines)
