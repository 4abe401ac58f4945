"""Demo sessions for ``veilleur shell --demo``: the two networks' 2015 meetings and the next
11 January work session in Lyon with its four agenda points (facts from shared/context)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import decisions as decision_store
from storage import meetings as meeting_store

CHANNEL = "CVEILLE"  # the shell's channel (bot.local.shell.CHANNEL_ID)
ORGANISER = "UVOUS"  # the shell's user (bot.local.shell.USER_ID)
PARIS = ZoneInfo("Europe/Paris")

PAST_SESSIONS = [
    ("Rencontre élus et techniciens des Régions Auvergne et Rhône-Alpes, CERAPCOOP et RESACOOP", date(2015, 11, 9), "Lyon"),
    ("Rencontre techniciens des Régions Auvergne et Rhône-Alpes et CERAPCOOP", date(2015, 11, 12), "Clermont-Ferrand"),
    ("Rencontre techniciens CERAPCOOP et RESACOOP", date(2015, 12, 7), "Clermont-Ferrand"),
]  # fmt: skip
WORK_SESSION = "Temps de travail CERAPCOOP et RESACOOP"
AGENDA = [
    "Mutualiser la veille sur l'actualité nationale et internationale (solidarité et coopération internationales)",
    "Confronter les travaux sur les représentations de la solidarité internationale (CERAPCOOP) et le projet européen REDDSO (RESACOOP)",
    "Partager les outils de suivi et de capitalisation de l'accompagnement des porteurs de projets",
    "Semaine de la solidarité internationale : RESACOOP envisage d'en devenir coordinateur (CORAS)",
]
DECISIONS = [
    ("Placer l'éducation à la citoyenneté et à la solidarité internationale (ECSI) au cœur des missions des deux réseaux", None, True),
    ("Rendre compte du travail commun sur les sites Internet et dans les lettres d'information des deux réseaux", ORGANISER, False),
    ("Fixer un temps de travail le 11 janvier à Lyon sur quatre points précis", ORGANISER, True),
]  # fmt: skip


def next_january_11(now: datetime) -> datetime:
    """Return the next 11 January at 10:00 in Paris after ``now``."""
    year = now.astimezone(PARIS).year
    start = datetime(year, 1, 11, 10, 0, tzinfo=PARIS)
    if start <= now:
        start = datetime(year + 1, 1, 11, 10, 0, tzinfo=PARIS)
    return start.astimezone(UTC)


def load_meetings_demo(db: Database, now: datetime) -> None:
    """Add the demo sessions, agenda and decisions once (idempotent)."""
    if any(m.title == WORK_SESSION for m in meeting_store.list_meetings(db)):
        return
    last = None
    for title, day, place in PAST_SESSIONS:
        starts = datetime.combine(day, datetime.min.time(), tzinfo=PARIS).replace(hour=10)
        last = meeting_store.add_meeting(
            db, title=title, starts_at=starts.astimezone(UTC), place=place,
            channel_id=CHANNEL, created_by=ORGANISER, now=starts.astimezone(UTC),
        )  # fmt: skip
    work = meeting_store.add_meeting(
        db, title=WORK_SESSION, starts_at=next_january_11(now), place="Lyon",
        channel_id=CHANNEL, created_by=ORGANISER, now=now,
    )  # fmt: skip
    for point in AGENDA:
        meeting_store.add_agenda_point(db, work.id, point)
    due = (next_january_11(now).astimezone(PARIS)).date().replace(day=8)
    for text, owner, done in DECISIONS:
        decision, _ = decision_store.add_decision(
            db, meeting_id=last.id, text=text, owner=owner, due_date=None if done else due,
            created_by=ORGANISER, now=last.starts_at, idempotency_key=f"demo:{text[:40]}",
        )  # fmt: skip
        if done:
            decision_store.mark_done(db, decision.id, by=ORGANISER, now=last.starts_at)
