"""Issue 12 through the real HTTP endpoint: where a decision lands, reserved words, corrections
(of decisions and sessions) with their single notice, reminders listing, minutes in Slack, and
the overdue-decision DM sent once across a restart. Each test asserts what a person sees."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import decisions as decision_store
from storage import meetings as meeting_store
from storage.db import connect
from tests.conftest import start_app_server

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PAST_2015 = datetime(2015, 12, 7, 9, 0, tzinfo=UTC)
LYON_2027 = "ajouter Point veille 11 janvier 2027 10h à Lyon"


class Clock:
    """A clock the test moves (the undo window is 5 minutes)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def served(config, slack_api, clock):
    """The app on its HTTP endpoint, UADMIN the only Veilleur admin."""
    app_server, server = start_app_server(
        replace(config, admins=frozenset({"UADMIN"})), slack_api, clock=clock
    )
    yield app_server
    server.close()


def _say(served, slack_api, command: str, text: str, user: str = "U1", channel: str = "C1"):
    """Type a command and return what Slack was told to show (the response_url call)."""
    before = len(slack_api.calls_to("response_url"))
    served.command(command, text, user=user, channel=channel)
    return slack_api.wait_for("response_url", before + 1)[before].params


def _click(served, slack_api, action: dict, user: str = "U1"):
    """Click a control on a message in C1 and return what the bot answered."""
    before = len(slack_api.calls_to("response_url"))
    served.action({"user": {"id": user}, "channel": {"id": "C1"}, "actions": [action]})
    return slack_api.wait_for("response_url", before + 1)[before].params


def _past_session(db_path: str, starts: datetime = PAST_2015, channel: str = "C1"):
    with connect(db_path) as db:
        return meeting_store.add_meeting(
            db, title="Rencontre techniciens CERAPCOOP et RESACOOP", starts_at=starts,
            place="Clermont-Ferrand", channel_id=channel, created_by="U1", now=starts,
        )  # fmt: skip


def _decisions(db_path: str):
    with connect(db_path) as db:
        return decision_store.list_decisions(db, include_deleted=True)


def _posts_containing(slack_api, fragment: str) -> list[dict]:
    return [
        c.params for c in slack_api.calls_to("chat.postMessage") if fragment in c.params["text"]
    ]


# --- placement ---------------------------------------------------------------------------


def test_upcoming_lyon_session_wins_over_a_2015_meeting(served, slack_api, config) -> None:
    _past_session(config.db_path)
    _say(served, slack_api, "/session", LYON_2027)
    shown = _say(served, slack_api, "/decision", "Mutualiser la veille")
    assert shown["response_type"] == "in_channel"
    assert "notée dans la session n° 2 *Point veille*" in shown["text"]
    assert "lundi 11 janvier 2027, la prochaine session du canal" in shown["text"]
    controls = next(b for b in shown["blocks"] if b["type"] == "actions")["elements"]
    select, undo = controls
    labels = [o["text"]["text"] for o in select["options"]]
    assert labels[0].startswith("n° 1 · lundi 7 décembre 2015")
    assert labels[-1] == "Hors session"
    assert undo["text"]["text"] == "Annuler"
    assert _decisions(config.db_path)[0].meeting_id == 2


def test_a_session_in_progress_comes_first(served, slack_api, config, clock) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    _past_session(config.db_path, starts=NOW - timedelta(hours=1))
    shown = _say(served, slack_api, "/decision", "Relancer les partenaires")
    assert "session n° 2" in shown["text"]
    assert "la session en cours" in shown["text"]


def test_only_past_sessions_the_latest_is_chosen(served, slack_api, config) -> None:
    _past_session(config.db_path, starts=PAST_2015 - timedelta(days=30))
    _past_session(config.db_path)
    shown = _say(served, slack_api, "/decision", "Relancer les partenaires")
    assert "session n° 2" in shown["text"]
    assert "la dernière session du canal" in shown["text"]


def test_no_session_in_the_channel_records_it_outside_any_session(served, slack_api, config):
    _past_session(config.db_path, channel="CAUTRE")
    shown = _say(served, slack_api, "/decision", "Mutualiser la veille")
    assert shown["response_type"] == "in_channel"
    assert "Décision n° 1 notée hors session (ce canal n'a aucune session)" in shown["text"]
    assert "session:" not in shown["text"]
    assert _decisions(config.db_path)[0].meeting_id is None
    listed = _say(served, slack_api, "/decision", "liste hors-session")
    assert "#1 Mutualiser la veille" in listed["text"]


# --- reserved words ----------------------------------------------------------------------

RESERVED = [
    "supprimer", "modifier", "rouvrir", "annuler", "delete", "edit", "reopen", "undo",
    "fait", "done", "deplacer", "move",
]  # fmt: skip


@pytest.mark.parametrize("word", RESERVED)
def test_reserved_words_are_refused_and_nothing_is_stored(served, slack_api, config, word):
    _say(served, slack_api, "/session", LYON_2027)
    for text in (f"{word} le budget 2027", f"{word} 5"):
        shown = _say(served, slack_api, "/decision", text)
        assert shown["response_type"] == "ephemeral"
        assert "notée" not in shown["text"]
    assert _decisions(config.db_path) == []
    assert _posts_containing(slack_api, "Décision") == []


def test_reserved_word_refusal_says_how_to_record_such_a_decision(served, slack_api) -> None:
    shown = _say(served, slack_api, "/decision", "supprimer les frais de port")
    assert shown["text"].startswith("Rien n'est noté")
    assert "`/decision ajouter supprimer …`" in shown["text"]


# --- decision corrections and permissions ------------------------------------------------


def _record(
    served, slack_api, text: str = "Mutualiser la veille <@U2BOB> échéance 15 janvier 2027"
):
    _say(served, slack_api, "/session", LYON_2027)
    return _say(served, slack_api, "/decision", text)


def test_edit_delete_reopen_author_and_admin_yes_stranger_no(served, slack_api, config) -> None:
    _record(served, slack_api)
    refused = _say(served, slack_api, "/decision", "modifier 1 Autre chose", user="U3EVE")
    assert (
        "Seuls l'auteur de la décision n° 1, son responsable ou un administrateur"
        in refused["text"]
    )
    assert refused["response_type"] == "ephemeral"
    refused = _say(served, slack_api, "/decision", "supprimer 1", user="U3EVE")
    assert "Seuls l'auteur" in refused["text"]
    edited = _say(served, slack_api, "/decision", "modifier 1 Mutualiser la veille avec RESACOOP")
    assert edited["response_type"] == "in_channel"
    assert "Décision n° 1 modifiée par <@U1> : Mutualiser la veille avec RESACOOP" in edited["text"]
    by_owner = _say(
        served, slack_api, "/decision", "edit 1 Mutualiser la veille à deux", user="U2BOB"
    )
    assert "modifiée par <@U2BOB>" in by_owner["text"]
    deleted = _say(served, slack_api, "/decision", "supprimer 1", user="UADMIN")
    assert "Décision n° 1 supprimée par <@UADMIN>" in deleted["text"]
    assert "n'est pas" not in _say(served, slack_api, "/decision", "liste 1")["text"]
    assert "#1" not in _say(served, slack_api, "/decision", "liste 1")["text"]
    assert (
        "Seuls l'auteur" in _say(served, slack_api, "/decision", "rouvrir 1", user="U3EVE")["text"]
    )
    reopened = _say(served, slack_api, "/decision", "reopen 1")
    assert "Décision n° 1 rouverte par <@U1>" in reopened["text"]
    minutes = _say(served, slack_api, "/session", "compte-rendu 1")["text"]
    assert (
        "modifiée le vendredi 27 novembre 2026 par <@U1> (avant : « Mutualiser la veille »)"
        in minutes
    )
    assert "supprimée le vendredi 27 novembre 2026 par <@UADMIN>" in minutes
    assert "rouverte le vendredi 27 novembre 2026 par <@U1>" in minutes


def test_undo_button_within_five_minutes_then_too_late(served, slack_api, config, clock) -> None:
    shown = _record(served, slack_api, "Mutualiser la veille")
    undo = next(b for b in shown["blocks"] if b["type"] == "actions")["elements"][-1]
    click = {"action_id": undo["action_id"], "value": undo["value"], "type": "button"}
    refused = _click(served, slack_api, click, user="U3EVE")
    assert "Seul l'auteur de la décision n° 1" in refused["text"]
    assert refused["replace_original"] is False
    answered = _click(served, slack_api, click)
    assert answered["replace_original"] is True
    assert "~Décision n° 1~ annulée par <@U1> : Mutualiser la veille" in answered["text"]
    assert _decisions(config.db_path)[0].status == "deleted"
    assert (
        "annulée le vendredi 27 novembre 2026 par <@U1>"
        in _say(served, slack_api, "/session", "compte-rendu 1")["text"]
    )
    late = _say(served, slack_api, "/decision", "Partager les outils de suivi")
    late_undo = next(b for b in late["blocks"] if b["type"] == "actions")["elements"][-1]
    clock.now = NOW + timedelta(minutes=6)
    too_late = _click(
        served, slack_api, {"action_id": "decision_undo", "value": late_undo["value"]}
    )
    assert "Trop tard pour annuler" in too_late["text"]
    assert "`/decision supprimer 2`" in too_late["text"]
    assert _decisions(config.db_path)[1].status == "open"


def test_move_select_files_the_decision_under_the_chosen_session(served, slack_api, config):
    _past_session(config.db_path)
    shown = _record(served, slack_api, "Mutualiser la veille")
    select = next(b for b in shown["blocks"] if b["type"] == "actions")["elements"][0]
    option = next(o for o in select["options"] if o["text"]["text"].startswith("n° 1"))
    moved = _click(
        served, slack_api,
        {"action_id": select["action_id"], "type": "static_select", "selected_option": option},
    )  # fmt: skip
    assert moved["replace_original"] is True
    assert "Décision n° 1 déplacée dans la session n° 1" in moved["text"]
    assert _decisions(config.db_path)[0].meeting_id == 1
    stranger = _click(
        served, slack_api,
        {"action_id": "decision_move", "selected_option": {"value": "1:none"}}, user="U3EVE",
    )  # fmt: skip
    assert "Seuls l'auteur" in stranger["text"]
    assert _decisions(config.db_path)[0].meeting_id == 1


# --- session corrections, each announced once --------------------------------------------


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("renommer 1 Point veille et SSI", "Session n° 1 renommée : *Point veille et SSI* (avant : Point veille)"),
        ("lieu 1 Maison des associations", "nouveau lieu, Maison des associations"),
        ("retirer 1 outils", "Point 2 retiré de l'ordre du jour de la session n° 1"),
        ("retirer 1 1", "Point 1 retiré de l'ordre du jour de la session n° 1"),
        ("rename 1 Point veille et SSI", "Session n° 1 renommée"),
        ("place 1 aucun", "plus de lieu indiqué"),
        ("remove 1 2", "Point 2 retiré"),
    ],
)  # fmt: skip
def test_each_session_correction_is_announced_once(served, slack_api, text, notice) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    _say(served, slack_api, "/session", "ordre 1 Mutualiser la veille")
    _say(served, slack_api, "/session", "ordre 1 Partager les outils de suivi")
    posts_before = len(slack_api.calls_to("chat.postMessage"))
    shown = _say(served, slack_api, "/session", text)
    assert notice in shown["text"]
    assert shown["response_type"] == "in_channel"  # seen once, by everyone
    time.sleep(0.3)
    assert len(slack_api.calls_to("chat.postMessage")) == posts_before  # no second copy
    assert len(slack_api.calls_to("response_url")) == 4


def test_removing_a_point_renumbers_the_agenda(served, slack_api) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    for point in ("Mutualiser la veille", "Partager les outils", "Semaine de la solidarité"):
        _say(served, slack_api, "/session", f"ordre 1 {point}")
    _say(served, slack_api, "/session", "retirer 1 Partager les outils")
    shown = _say(served, slack_api, "/session", "voir 1")["text"]
    assert "1. Mutualiser la veille\n2. Semaine de la solidarité" in shown
    missing = _say(served, slack_api, "/session", "retirer 1 budget")
    assert "n'a pas de point « budget »" in missing["text"]


def test_cancel_then_restore_each_announced_once(served, slack_api) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    cancelled = _say(served, slack_api, "/session", "annuler 1")
    restored = _say(served, slack_api, "/session", "rétablir 1")
    assert (
        "Session n° 1 *Point veille* du lundi 11 janvier 2027 à 10 h 00 annulée"
        in cancelled["text"]
    )
    assert "Session n° 1 *Point veille* rétablie" in restored["text"]
    assert [cancelled["response_type"], restored["response_type"]] == ["in_channel"] * 2
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # the creation's announcement only
    again = _say(served, slack_api, "/session", "restore 1")
    assert "n'est pas annulée" in again["text"]


def test_a_correction_typed_in_another_channel_is_posted_in_the_sessions_own(served, slack_api):
    _say(served, slack_api, "/session", LYON_2027)
    shown = _say(served, slack_api, "/session", "renommer 1 Point veille et SSI", channel="CAUTRE")
    assert shown["response_type"] == "ephemeral"
    assert shown["text"] == "C'est fait, et annoncé dans <#C1>."
    posted = _posts_containing(slack_api, "renommée")
    assert [p["channel"] for p in posted] == ["C1"]


# --- reminders listing and minutes -------------------------------------------------------


def test_rappels_lists_what_will_be_sent_and_when_in_paris_time(served, slack_api) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    _say(served, slack_api, "/decision", "Mutualiser la veille <@U2BOB> échéance 15 janvier 2027")
    one = _say(served, slack_api, "/session", "rappels 1")["text"]
    assert (
        "*Rappels de la session n° 1* Point veille (lundi 11 janvier 2027 à 10 h 00) — heure de Paris"
        in one
    )
    assert "• lundi 4 janvier 2027 à 10 h 00 — 7 j avant : à venir" in one
    assert "• dimanche 10 janvier 2027 à 10 h 00 — 1 j avant : à venir" in one
    assert "• lundi 11 janvier 2027 à 9 h 00 — 1 h avant : à venir" in one
    assert "message privé à <@U2BOB> pour la décision n° 1 (le lendemain de l'échéance" in one
    every = _say(served, slack_api, "/session", "reminders")["text"]
    lines = every.splitlines()
    assert lines[0] == "*Prochains rappels* (heure de Paris) :"
    assert lines[1].startswith("• lundi 4 janvier 2027 à 10 h 00 — session n° 1 Point veille")
    assert "samedi 16 janvier 2027 à 9 h 00 — message privé à <@U2BOB>" in lines[-1]
    _say(served, slack_api, "/session", "annuler 1")
    assert "aucun rappel ne sera envoyé" in _say(served, slack_api, "/session", "rappels 1")["text"]


def test_compte_rendu_is_private_by_default_and_public_on_request(served, slack_api) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    _say(served, slack_api, "/session", "ordre 1 Mutualiser la veille")
    _say(served, slack_api, "/decision", "Partager les outils <@U2BOB> échéance 15 janvier 2027")
    private = _say(served, slack_api, "/session", "compte-rendu 1")
    assert private["response_type"] == "ephemeral"
    assert "*Compte rendu — Point veille*" in private["text"]
    assert "1. Mutualiser la veille" in private["text"]
    assert "responsable : <@U2BOB>" in private["text"]  # a mention: Slack shows the name
    assert "@U2BOB " not in private["text"].replace("<@U2BOB>", "")
    public = _say(served, slack_api, "/session", "minutes 1 public")
    assert public["response_type"] == "in_channel"
    assert public["text"] == private["text"]
    assert json.dumps(public["blocks"]).count("Partager les outils") == 1


# --- overdue decision DM -----------------------------------------------------------------


def _tick(config, slack_api, now: datetime) -> None:
    """Run one reminders tick in a fresh process: a restart keeps nothing but the database."""
    subprocess.run(
        [sys.executable, "-m", "tests.meetings.slack_reminder_process", config.db_path,
         slack_api.url, now.isoformat()],
        cwd=ROOT, check=True, timeout=60,
    )  # fmt: skip


def test_overdue_decision_owner_reminded_once_the_day_after_across_a_restart(
    served, slack_api, config
) -> None:
    _say(served, slack_api, "/session", LYON_2027)
    _say(served, slack_api, "/decision", "Mutualiser la veille <@U2BOB> échéance 15 janvier 2027")
    _say(served, slack_api, "/decision", "Partager les outils <@U3EVE> échéance 15 janvier 2027")
    _say(served, slack_api, "/decision", "fait 2", user="U3EVE")
    paris_9h_due_day = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 in Paris (winter)
    paris_9h_day_after = paris_9h_due_day + timedelta(days=1)
    _tick(config, slack_api, paris_9h_due_day)
    assert "aujourd'hui" in slack_api.messages["D2BOB"][0]["text"]
    _tick(config, slack_api, paris_9h_day_after - timedelta(minutes=1))
    assert len(slack_api.messages["D2BOB"]) == 1  # nothing more before 09:00 the day after
    _tick(config, slack_api, paris_9h_day_after)
    _tick(config, slack_api, paris_9h_day_after + timedelta(minutes=1))  # after a restart
    _tick(config, slack_api, paris_9h_day_after + timedelta(days=1))
    dms = slack_api.messages["D2BOB"]
    assert len(dms) == 2
    assert (
        "La décision #1 dont vous êtes responsable devait être faite le vendredi 15 janvier 2027"
        in dms[1]["text"]
    )
    assert "`/decision fait 1`" in dms[1]["text"]
    assert "D3EVE" not in slack_api.messages  # done: nothing


def test_overdue_dm_is_not_sent_after_the_grace_week(config, slack_api) -> None:
    with connect(config.db_path) as db:
        decision_store.add_decision(
            db, meeting_id=None, text="Vieille décision", owner="U2BOB",
            due_date=datetime(2027, 1, 15).date(), created_by="U1", now=NOW,
        )  # fmt: skip
    _tick(config, slack_api, datetime(2027, 1, 25, 8, 0, tzinfo=UTC))
    assert "D2BOB" not in slack_api.messages  # an upgrade does not DM every old overdue decision
