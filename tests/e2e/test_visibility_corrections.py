"""Who sees what for what came after the rule (issues 11, 12, 14): corrections, decisions
recorded outside any session, reminders and project holders follow the channel rule too.

GPRIV is private (members U1, U2); U3 is not a member. A refused number reads like a missing one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.i18n import t
from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.decisions import add_decision
from storage.holders import add_holder
from storage.meetings import add_meeting
from tests.e2e.test_visibility import ask
from tests.items.conftest import insert_item

PRIVATE, PUBLIC = "GPRIV", "CPUB"
NOW = datetime.now(UTC)


@pytest.fixture
def board(app_server, db):
    """A private board session with a decision, a decision outside any session, a holder."""
    app_server.slack.make_private(PRIVATE, "U1", "U2")
    meeting = add_meeting(db, title="Conseil restreint", starts_at=NOW + timedelta(days=2),
                          place="Lyon", channel_id=PRIVATE, created_by="U1", now=NOW)  # fmt: skip
    filed, _ = add_decision(db, meeting_id=meeting.id, text="Budget confidentiel", owner="U1",
                            due_date=None, created_by="U1", now=NOW)  # fmt: skip
    unfiled, _ = add_decision(db, meeting_id=None, text="Choix du prestataire secret", owner="U1",
                              due_date=None, created_by="U1", now=NOW,
                              channel_id=PRIVATE)  # fmt: skip
    holder = add_holder(db, name="Association Discrète", structure="", territory="Lyon",
                        territory_key="lyon", network="RESACOOP", referent="U1",
                        channel_id=PRIVATE, now=NOW)  # fmt: skip
    item = insert_item(db, "Appel réservé", channel_id=PRIVATE, first_seen_at=NOW)
    return {"meeting": meeting.id, "filed": filed.id, "unfiled": unfiled.id, "holder": holder,
            "item": item}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["renommer {meeting} Autre titre", "lieu {meeting} Paris", "retirer {meeting} 1",
     "rétablir {meeting}", "rappels {meeting}", "compte-rendu {meeting}",
     "deplacer {meeting} 20 janvier 2027 10h", "annuler {meeting}"],
)  # fmt: skip
def test_non_member_cannot_correct_or_read_a_private_session(app_server, board, db, text):
    answer = ask(app_server, "/session", text.format(**board), "U3")
    assert answer.startswith(t("meetings.error.not_found", "fr", id=board["meeting"]))
    meeting = meeting_store.get_meeting(db, board["meeting"])
    assert (meeting.title, meeting.place, meeting.status) == ("Conseil restreint", "Lyon",
                                                             "scheduled")  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["modifier {id} Nouveau texte", "supprimer {id}", "rouvrir {id}", "annuler {id}",
     "deplacer {id} hors-session", "fait {id}"],
)  # fmt: skip
@pytest.mark.parametrize("which", ["filed", "unfiled"])
def test_non_member_cannot_correct_a_private_decision(app_server, board, db, text, which):
    number = board[which]
    answer = ask(app_server, "/decision", text.format(id=number), "U3")
    assert answer.startswith(t("meetings.error.decision_not_found", "fr", id=number))
    decision = decision_store.get_decision(db, number)
    assert decision.status == "open"
    assert decision.text in ("Budget confidentiel", "Choix du prestataire secret")


def test_a_decision_outside_any_session_belongs_to_its_channel(app_server, board):
    for text in ("liste", "liste hors-session", "chercher prestataire"):
        assert "prestataire secret" not in ask(app_server, "/decision", text, "U3")
        assert "prestataire secret" in ask(app_server, "/decision", text, "U1", channel=PRIVATE)


def test_reminders_listing_names_no_private_session(app_server, board):
    assert "Conseil restreint" not in ask(app_server, "/session", "rappels", "U3")
    assert "Conseil restreint" in ask(app_server, "/session", "rappels", "U1")


def test_a_decision_typed_in_a_channel_without_session_is_kept_for_that_channel(app_server, db):
    app_server.slack.make_private("GLONE", "U1")
    ask(app_server, "/decision", "Ouvrir un compte commun", "U1", channel="GLONE")
    (decision,) = [d for d in decision_store.list_decisions(db) if "compte commun" in d.text]
    assert (decision.meeting_id, decision.channel_id) == (None, "GLONE")
    assert "compte commun" not in ask(app_server, "/decision", "liste", "U3")


@pytest.mark.parametrize("text", ["liste", "liste tous", "voir {holder}", "chercher discrete",
                                  "suivi {holder} Rendez-vous", "supprimer {holder}"])  # fmt: skip
def test_non_member_sees_no_private_holder(app_server, board, text):
    answer = ask(app_server, "/porteur", text.format(**board), "U3")
    assert "Discrète" not in answer
    member = ask(app_server, "/porteur", f"voir {board['holder']}", "U1")
    assert "Association Discrète" in member


def test_a_private_item_cannot_be_kept_for_a_holder_by_a_non_member(app_server, board, db):
    public_holder = add_holder(db, name="Collège Ouvert", structure="", territory="Lyon",
                               territory_key="lyon", network="RESACOOP", referent="U3",
                               channel_id=PUBLIC, now=NOW)  # fmt: skip
    answer = ask(app_server, "/porteur", f"lier {public_holder} {board['item']}", "U3")
    assert answer.startswith(t("holders.error.no_item", "fr", n=board["item"]))


def test_private_minutes_are_posted_only_in_their_own_channel(app_server, board):
    meeting = board["meeting"]
    refused = ask(app_server, "/session", f"compte-rendu {meeting} public", "U1", channel=PUBLIC)
    assert refused.startswith("Cette session appartient au canal privé")
    assert "Conseil restreint" not in refused
    posted = ask(app_server, "/session", f"compte-rendu {meeting} public", "U1", channel=PRIVATE)
    assert "Conseil restreint" in posted
    alone = ask(app_server, "/session", f"compte-rendu {meeting}", "U1", channel=PUBLIC)
    assert "Conseil restreint" in alone  # shown to U1 alone, who is a member
