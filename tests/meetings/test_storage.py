"""Storage of sessions, agenda points, decisions and the reminders sent-log."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage import decisions, meetings, reminders

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
STARTS = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def _session(db) -> meetings.Meeting:
    return meetings.add_meeting(
        db, title="Temps de travail", starts_at=STARTS, place="Lyon", channel_id="C1",
        created_by="U1", now=NOW,
    )  # fmt: skip


def test_session_round_trips_in_utc(db) -> None:
    session = _session(db)
    assert session.starts_at == STARTS
    assert meetings.get_meeting(db, session.id).reminder_offsets == "7d 1d 1h"


def test_agenda_points_are_numbered_in_order(db) -> None:
    session = _session(db)
    for text in ("Veille", "Représentations", "Outils de suivi", "SSI"):
        meetings.add_agenda_point(db, session.id, text)
    agenda = meetings.list_agenda(db, session.id)
    assert [(p.position, p.text) for p in agenda] == [
        (1, "Veille"), (2, "Représentations"), (3, "Outils de suivi"), (4, "SSI"),
    ]  # fmt: skip


def test_m1_same_idempotency_key_records_one_decision(db) -> None:
    session = _session(db)
    first, created = decisions.add_decision(
        db, meeting_id=session.id, text="Mutualiser la veille", owner="U2",
        due_date=date(2027, 1, 20), created_by="U1", now=NOW, idempotency_key="view:V1",
    )  # fmt: skip
    again, created_again = decisions.add_decision(
        db, meeting_id=session.id, text="Mutualiser la veille", owner="U2",
        due_date=date(2027, 1, 20), created_by="U1", now=NOW, idempotency_key="view:V1",
    )  # fmt: skip
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert len(decisions.list_decisions(db)) == 1


def test_decision_search_folds_accents_and_matches_prefixes(db) -> None:
    session = _session(db)
    decisions.add_decision(
        db, meeting_id=session.id, text="Préparer l'échéancier de la Semaine de la solidarité",
        owner=None, due_date=None, created_by="U1", now=NOW,
    )  # fmt: skip
    decisions.add_decision(
        db, meeting_id=session.id, text="Partager les outils de suivi", owner=None,
        due_date=None, created_by="U1", now=NOW,
    )  # fmt: skip
    assert [d.text[:8] for d in decisions.search_decisions(db, "echeancier solidarite")] == [
        "Préparer"
    ]
    assert [d.text[:8] for d in decisions.search_decisions(db, "OUTIL")] == ["Partager"]
    assert decisions.search_decisions(db, 'quote" OR *') == []


def test_claim_is_taken_once_and_retried_only_when_pending(db) -> None:
    key = reminders.ReminderKey("session", 1, "1h", STARTS)
    row = reminders.claim(db, key, NOW)
    assert row is not None
    assert row.status == "sending"
    assert reminders.claim(db, key, NOW) is None
    reminders.mark_retry(db, row.id, NOW, "http_500")
    assert reminders.claim(db, key, NOW).status == "sending"
    reminders.mark_sent(db, row.id, NOW, "123.456")
    assert reminders.claim(db, key, NOW) is None
    assert reminders.get(db, key).attempts == 2
