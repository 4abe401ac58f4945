"""A session's minutes in Markdown: date, place, agenda, decisions with owners and due dates."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from bot.core.dates import format_date, format_datetime
from bot.core.i18n import t
from bot.core.names import display_name, mentions_to_names
from bot.meetings.sessions import get_session
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.decisions import Decision
from storage.people import known_names


def _one_line(text: str) -> str:
    """Collapse newlines so that one decision stays one Markdown list item."""
    return " ".join(text.split())


def _decision_item(decision: Decision, lang: str, tz: str, names: Mapping[str, str]) -> str:
    """Return one decision as a Markdown list item (people by name: the reader has no Slack)."""
    parts = [f"**#{decision.id}** {mentions_to_names(_one_line(decision.text), names)}"]
    if decision.owner:
        parts.append(t("minutes.owner", lang, owner=f"@{display_name(names, decision.owner)}"))
    if decision.due_date:
        parts.append(t("minutes.due", lang, due=format_date(decision.due_date, lang)))
    if decision.done and decision.done_at:
        parts.append(t("minutes.done", lang, when=format_date(decision.done_at, lang, tz)))
    else:
        parts.append(t("minutes.open", lang))
    return "- " + " — ".join(parts)


def render_minutes(
    db: Database, meeting_id: int, lang: str = "fr", tz: str = "Europe/Paris"
) -> str:
    """Return the Markdown minutes of a session."""
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
    decisions = decision_store.list_decisions(db, meeting_id=meeting.id)
    names = known_names(db)
    lines += [_decision_item(d, lang, tz, names) for d in decisions] or [
        t("minutes.no_decisions", lang)
    ]
    return "\n".join(lines) + "\n"
