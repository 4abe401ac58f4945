"""/session and /decision through the router, with a recording messenger (no Slack)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.config import Config
from bot.core.router import CommandContext
from bot.features import routers
from bot.meetings.submissions import submit_decision, submit_session
from storage import decisions as decision_store
from storage import meetings as meeting_store
from tests.meetings.helpers import make_session

ROUTERS = routers()


def dispatch(command: str, ctx: CommandContext, text: str):
    """Run ``command text`` as Slack would, through the router the app builds."""
    return ROUTERS[command].dispatch(ctx, text)


NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(db_path, messenger) -> CommandContext:
    return CommandContext(
        user_id="U1", channel_id="C1", config=Config(db_path=str(db_path)), messenger=messenger,
        clock=lambda: NOW, trigger_id="T.1",
    )  # fmt: skip


def test_session_add_spells_the_date_out_and_announces_in_the_channel(ctx, messenger) -> None:
    reply = dispatch("/session", ctx, "ajouter Temps de travail 11 janvier 2027 10h à Lyon")
    assert (
        "Session n° 1 créée : *Temps de travail* — lundi 11 janvier 2027 à 10 h 00, à Lyon"
        in reply.text
    )
    assert "7 j avant, 1 j avant, 1 h avant" in reply.text
    assert messenger.posts[0]["channel"] == "C1"
    assert "Nouvelle session" in messenger.posts[0]["text"]


def test_session_add_with_reminders_and_english_alias(ctx) -> None:
    reply = dispatch("/session", ctx, "ADD Point d'étape lundi prochain 14h30 rappels 2j 1h")
    assert "lundi 30 novembre 2026 à 14 h 30" in reply.text
    assert "2 j avant, 1 h avant" in reply.text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("ajouter Réunion 28 mars 2027 2h30 à Lyon", "heure d'été"),
        ("ajouter Réunion 26 novembre 2026 10h", "passée"),
        ("ajouter Réunion bientôt", "Je n'ai pas trouvé de date"),
        ("ajouter Réunion 11 janvier 2027 10h rappels souvent", "rappels 7j 1j 1h"),
        ("voir douze", "n'est pas un numéro"),
        ("voir 42", "pas de session n° 42"),
        ("deplacer 1", "par exemple"),
    ],
)
def test_session_errors_are_french_with_an_example(ctx, text, fragment) -> None:
    assert fragment in dispatch("/session", ctx, text).text


def test_session_without_arguments_opens_the_form(ctx, messenger) -> None:
    calls = []
    messenger.open_modal = lambda trigger, view: calls.append((trigger, view))
    dispatch("/session", ctx, "ajouter")
    assert calls[0][1]["callback_id"] == "session_add"


def test_session_agenda_list_show_move_cancel(ctx, messenger) -> None:
    dispatch("/session", ctx, "ajouter Temps de travail 11 janvier 2027 10h à Lyon")
    assert "Point 1 ajouté" in dispatch("/session", ctx, "ordre 1 Mutualiser la veille").text
    assert "Point 2 ajouté" in dispatch("/session", ctx, "agenda 1 <!here> SSI").text
    shown = dispatch("/session", ctx, "voir 1").text
    assert "1. Mutualiser la veille" in shown
    assert "2. &lt;!here&gt; SSI" in shown
    assert "lundi 11 janvier 2027" in dispatch("/session", ctx, "liste").text
    moved = dispatch("/session", ctx, "déplacer 1 12 janvier 2027 14h").text
    # issue 12: the notice is posted in the channel once, the author is only pointed to it
    assert moved.startswith("C'est annoncé dans <#")
    assert "mardi 12 janvier 2027 à 14 h 00" in messenger.posts[-1]["text"]
    assert "annulée" not in dispatch("/session", ctx, "annuler 1").text
    assert "annulée" in messenger.posts[-1]["text"]
    assert "annulée" in dispatch("/session", ctx, "ordre 1 encore").text
    assert [p["text"][:3] for p in messenger.posts] == [":ca", ":ar", ":x:"]


def test_decision_goes_to_the_current_or_latest_session_and_says_which(ctx, db_path) -> None:
    make_session(db_path, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), title="Ancienne")
    make_session(db_path, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), title="Dernière")
    make_session(db_path, datetime(2026, 12, 20, 9, 0, tzinfo=UTC), title="Future")
    reply = dispatch("/decision", ctx, "Mutualiser la veille <@U2|bob> échéance 15 janvier 2027")
    assert reply.public
    assert "dans la session n° 2 *Dernière*" in reply.text
    assert "<@U2>" in reply.text
    assert "vendredi 15 janvier 2027" in reply.text
    with_session = dispatch("/decision", ctx, "Partager les outils session:1")
    assert "session n° 1 *Ancienne*" in with_session.text


def test_decision_without_any_session_explains_session_option(ctx) -> None:
    assert "session:&lt;n°&gt;" in dispatch("/decision", ctx, "Une idée").text.replace(
        "<n°>", "&lt;n°&gt;"
    )


def test_decision_list_done_and_search_fold_accents(ctx, db_path) -> None:
    make_session(db_path, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    dispatch("/decision", ctx, "Préparer l'échéancier SSI <@U1>")
    dispatch("/decision", ctx, "Partager les outils de suivi <@U2>")
    assert "#1" in dispatch("/decision", ctx, "liste miennes").text
    assert "#2" not in dispatch("/decision", ctx, "liste miennes").text
    assert "fait" in dispatch("/decision", ctx, "fait 1").text
    assert "#1" not in dispatch("/decision", ctx, "liste ouvertes").text
    assert "#1" in dispatch("/decision", ctx, "liste 1").text
    assert "#1" in dispatch("/decision", ctx, "chercher echeancier").text
    assert "Aucune décision" in dispatch("/decision", ctx, "search zorglub").text


def test_m1_decision_modal_submitted_twice_records_one_decision(ctx, db_path) -> None:
    make_session(db_path, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    values = {"text": "Mutualiser la veille", "owner": "U2", "due": "2027-01-15", "session": ""}
    first = submit_decision(ctx, values, "modal:abc")
    second = submit_decision(ctx, values, "modal:abc")
    assert "Décision n° 1 notée" in first.reply.text
    assert "déjà notée (n° 1)" in second.reply.text
    with ctx_db(db_path) as db:
        assert len(decision_store.list_decisions(db)) == 1


def test_m1_session_modal_submitted_twice_creates_and_announces_one_session(
    ctx, db_path, messenger
) -> None:
    values = {"title": "Temps de travail", "when": "11 janvier 2027 10h", "place": "Lyon"}
    submit_session(ctx, values, "modal:s1")
    submit_session(ctx, values, "modal:s1")
    with ctx_db(db_path) as db:
        assert len(meeting_store.list_meetings(db)) == 1
    assert len(messenger.posts) == 1


def test_session_modal_shows_field_errors_in_french(ctx) -> None:
    outcome = submit_session(ctx, {"title": "", "when": "31 octobre 2027 2h30"}, "modal:x")
    assert set(outcome.errors) == {"title", "when"}
    assert "deux fois" in outcome.errors["when"]


def ctx_db(db_path):
    from storage.db import connect

    return connect(db_path)


def test_session_announcement_joins_a_public_channel_when_not_in_it(ctx, messenger) -> None:
    from bot.core.messenger import MessengerError

    joined = []
    messenger.failures = [MessengerError("not_in_channel")]
    messenger.join = joined.append
    reply = dispatch("/session", ctx, "ajouter Temps de travail 11 janvier 2027 10h à Lyon")
    assert joined == ["C1"]
    assert len(messenger.posts) == 1
    assert "invitez-moi" not in reply.text


def test_session_in_a_private_channel_without_the_bot_says_how_to_invite_it(ctx, messenger) -> None:
    from bot.core.messenger import MessengerError

    messenger.failures = [MessengerError("not_in_channel"), MessengerError("not_in_channel")]
    reply = dispatch("/session", ctx, "ajouter Temps de travail 11 janvier 2027 10h à Lyon")
    assert "Session n° 1 créée" in reply.text
    assert "/invite @Veilleur" in reply.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("fait", "Indiquez le numéro de la décision"),
        ("fait trois", "« trois » n'est pas un numéro de décision"),
    ],
)
def test_decision_done_without_a_good_number_talks_about_decisions(ctx, text, said):
    answer = dispatch("/decision", ctx, text).text
    assert said in answer
    assert "session" not in answer.split("(")[0]


@pytest.mark.parametrize("text", ["supprimer 5", "annuler 5", "rouvrir #5", "EFFACER n°5"])
def test_a_word_and_a_number_is_not_recorded_as_a_public_decision(ctx, messenger, text):
    reply = dispatch("/decision", ctx, text)
    assert reply.text.startswith("Rien n'est noté")
    assert not reply.public
    assert "Aucune décision" in dispatch("/decision", ctx, "liste").text


def test_a_sentence_with_a_number_is_still_a_decision(ctx, db_path):
    make_session(db_path, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), title="Dernière")
    reply = dispatch("/decision", ctx, "Relancer les 3 partenaires du projet")
    assert reply.public
    assert "notée" in reply.text
