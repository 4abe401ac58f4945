"""`/porteur` through the real HTTP endpoint, signed like Slack, answered by the stand-in (issue 14)."""

from __future__ import annotations

import pytest

from storage import holders as store
from storage.db import connect
from tests.holders.conftest import ADMIN, ask

CLERMONT = "Puy Solidaire structure:association territoire:Clermont-Ferrand réseau:cerapcoop"
LYON = (
    "École élémentaire Jean Macé structure:établissement scolaire territoire:Lyon réseau:RESACOOP"
)


@pytest.fixture
def two_holders(holders_app):
    assert ask(holders_app, f"ajouter {CLERMONT}").startswith(
        "Porteur n° 1 ajouté : *Puy Solidaire*"
    )
    assert ask(holders_app, f"add {LYON}", user="UMARIE").startswith("Porteur n° 2 ajouté")
    return holders_app


def test_ajouter_stores_the_fields_and_makes_the_author_the_referent(two_holders):
    with connect(two_holders.runtime.config.db_path) as db:
        holder = store.get_holder(db, 1)
    assert holder is not None
    assert (holder.name, holder.structure, holder.territory) == (
        "Puy Solidaire", "association", "Clermont-Ferrand",
    )  # fmt: skip
    assert (holder.network, holder.referent, holder.channel_id) == ("CERAPCOOP", "UCAMILLE", "C1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ajouter", "Donnez le nom du porteur"),
        ("ajouter    territoire:Lyon", "Donnez le nom du porteur"),
        (
            "ajouter Collège Est réseau:FORIM",
            "Réseau inconnu : « FORIM ». Écrivez réseau:CERAPCOOP ou réseau:RESACOOP.",
        ),
        ("voir 99", "Aucun porteur n° 99. Voyez la liste avec `/porteur liste`."),
        ("voir douze", "« douze » n'est pas un numéro de porteur."),
        ("voir 99999999999999999999999", "Aucun porteur n° 9223372036854775807"),
        ("suivi 99 Rencontre", "Aucun porteur n° 99."),
        ("supprimer 42", "Aucun porteur n° 42."),
        ("modifier 42 nom:X", "Aucun porteur n° 42."),
        ("chercher", "Donnez des mots à chercher"),
    ],
)
def test_bad_input_gets_a_french_explanation(holders_app, text, expected):
    assert expected in ask(holders_app, text)


def test_liste_tous_miens_and_a_territory(two_holders):
    everything = ask(two_holders, "liste")
    assert everything.startswith("*tous les porteurs* (2)")
    assert (
        "n° 1 · *Puy Solidaire* · association · Clermont-Ferrand · CERAPCOOP · suivi par <@UCAMILLE>"
        in everything
    )
    assert "n° 2 · *École élémentaire Jean Macé*" in everything
    mine = ask(two_holders, "liste miens", user="UMARIE")
    assert "Jean Macé" in mine
    assert "Puy Solidaire" not in mine
    # the territory is compared without case, accents or dashes
    clermont = ask(two_holders, "list clermont ferrand")
    assert "Puy Solidaire" in clermont
    assert "Jean Macé" not in clermont
    assert "Aucun porteur pour les porteurs du territoire « Grenoble »" in ask(
        two_holders, "liste Grenoble"
    )
    assert ask(two_holders, "list all", user="UX").startswith("*tous les porteurs* (2)")


def test_suivi_logs_actions_with_their_day_and_type_and_voir_shows_them(two_holders):
    assert ask(two_holders, "suivi 1 Relecture du budget prévisionnel 12/01/2027 type:conseil") == (
        "Suivi noté pour le porteur n° 1 (Puy Solidaire) : conseil, mardi 12 janvier 2027."
    )
    # a past date is the point of a log; « hier » counts from today (Monday 15 March 2027)
    assert ask(two_holders, "log 1 Orientée vers le Fonsolidaire hier type:orientation").endswith(
        "orientation, dimanche 14 mars 2027."
    )
    assert ask(two_holders, "suivi 1 Premier rendez-vous type:RDV date:3 février 2027").endswith(
        "rendez-vous, mercredi 3 février 2027."
    )
    # no date: today; no type: « autre »; a trailing lone number stays text
    assert ask(two_holders, "suivi 1 Atelier pour 12").endswith("autre, lundi 15 mars 2027.")
    detail = ask(two_holders, "voir 1")
    assert detail.startswith("n° 1 · *Puy Solidaire*")
    assert "Référent·e : <@UCAMILLE>" in detail
    assert "*Suivi* (4), le plus récent d'abord" in detail
    log = [line for line in detail.splitlines() if line.startswith("• ")]
    assert log == [
        "• lundi 15 mars 2027 · autre · <@UCAMILLE> : Atelier pour 12",
        "• dimanche 14 mars 2027 · orientation · <@UCAMILLE> : Orientée vers le Fonsolidaire",
        "• mercredi 3 février 2027 · rendez-vous · <@UCAMILLE> : Premier rendez-vous",
        "• mardi 12 janvier 2027 · conseil · <@UCAMILLE> : Relecture du budget prévisionnel",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("suivi 1 Rencontre 31/02/2027", "Le 31 février 2027 n'existe pas."),
        ("suivi 1 Rencontre date:32 mars 2027", "Le 32 mars 2027 n'existe pas."),
        ("suivi 1 Rencontre date:bientôt", "Je ne comprends pas la date « bientot »"),
        ("suivi 1 Rencontre date:demain", "le mardi 16 mars 2027 n'est pas encore passé"),
        ("suivi 1 Rencontre 20 avril 2027", "le mardi 20 avril 2027 n'est pas encore passé"),
        ("suivi 1 Rencontre 12 mars", "Donnez la date complète de l'action, avec l'année"),
        ("suivi 1 Rencontre date:lundi", "Donnez la date complète de l'action, avec l'année"),
        ("suivi 1 Rencontre lundi 12 janvier 2027", "Le jour de la semaine ne correspond pas"),
        (
            "suivi 1 Rencontre type:apéro",
            "Type inconnu : « apéro ». Choisissez type:rendez-vous, type:conseil",
        ),
        ("suivi 1 type:conseil", "Décrivez l'action d'accompagnement"),
        ("suivi 1 hier", "Décrivez l'action d'accompagnement"),
        ("suivi", "Donnez le numéro du porteur"),
    ],
)
def test_suivi_refuses_bad_dates_types_and_empty_text_in_french(two_holders, text, expected):
    assert expected in ask(two_holders, text)
    with connect(two_holders.runtime.config.db_path) as db:
        assert store.list_actions(db, 1) == []


def test_modifier_changes_fields_and_only_the_referent_hands_the_holder_over(two_holders):
    assert ask(two_holders, "modifier 1 territoire:Puy-de-Dôme nom:Puy Solidaire 63") == (
        "Porteur n° 1 modifié : territoire, nom."
    )
    assert "Puy Solidaire 63" in ask(two_holders, "liste puy de dome")
    assert "Réseau inconnu" in ask(two_holders, "edit 1 réseau:ONU")
    assert "Écrivez par exemple `/porteur modifier 3 territoire:Lyon`" in ask(
        two_holders, "modifier 1 Lyon"
    )
    refused = ask(two_holders, "modifier 1 référent:<@UMARIE|marie>", user="UMARIE")
    assert "Seul·e le ou la référent·e (<@UCAMILLE>) ou un admin" in refused
    assert (
        ask(two_holders, "modifier 1 référent:<@UMARIE|marie>")
        == "Porteur n° 1 modifié : référent·e."
    )
    assert "suivi par <@UMARIE>" in ask(two_holders, "liste miens", user="UMARIE")


def test_chercher_folds_accents_and_searches_the_log(two_holders):
    found = ask(two_holders, "chercher ecole")
    assert found.startswith("*Porteurs trouvés pour « ecole »*")
    assert "École élémentaire Jean Macé" in found
    assert "Puy Solidaire" not in found
    assert "Jean Macé" in ask(two_holders, "search ÉLÉMENTAIRE lyon")
    ask(two_holders, "suivi 1 Orientée vers la coopération décentralisée hier")
    assert "Puy Solidaire" in ask(two_holders, "chercher cooperation decentralisee")
    assert ask(two_holders, "chercher zorglub") == "Aucun porteur ne correspond à « zorglub »."
    assert "&lt;!channel&gt;" in ask(two_holders, "chercher <!channel>")


def test_supprimer_is_for_the_referent_or_an_admin_and_erases_everything(two_holders):
    ask(two_holders, "suivi 1 Relecture du dossier hier")
    refused = ask(two_holders, "supprimer 1", user="UMARIE")
    assert (
        "Vous ne pouvez pas effacer le porteur n° 1 : seul·e son ou sa référent·e (<@UCAMILLE>)"
        in refused
    )
    with connect(two_holders.runtime.config.db_path) as db:
        assert store.get_holder(db, 1) is not None
    assert ask(two_holders, "supprimer 1") == (
        "Porteur n° 1 (Puy Solidaire) effacé, avec tout son suivi et ses liens vers les articles."
    )
    assert ask(two_holders, "delete 2", user=ADMIN).startswith("Porteur n° 2 (École élémentaire")
    with connect(two_holders.runtime.config.db_path) as db:
        assert db.execute("SELECT count(*) FROM holders").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM holder_actions").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM holders_fts").fetchone()[0] == 0
    assert ask(two_holders, "chercher relecture") == "Aucun porteur ne correspond à « relecture »."
    assert "Aucun porteur n° 1." in ask(two_holders, "voir 1")


def test_a_holder_named_like_a_mention_pings_nobody(holders_app):
    ask(holders_app, "ajouter <!channel> territoire:<@U999>")
    listed = ask(holders_app, "liste")
    assert "<!channel>" not in listed
    assert "<@U999>" not in listed
    assert "&lt;!channel&gt;" in listed


def test_aide_lists_every_subcommand_with_examples_in_french(holders_app):
    helped = ask(holders_app, "aide")
    for word in ("ajouter", "liste", "voir", "suivi", "modifier", "chercher", "lier", "supprimer"):
        assert f"`/porteur {word}" in helped
    assert "*Exemples*" in helped
    assert "`/porteur suivi 1 Relecture du budget prévisionnel 12/01/2027 type:conseil`" in helped
    assert "Je ne connais pas" in ask(holders_app, "zorglub") or "`/porteur ajouter" in ask(
        holders_app, "zorglub"
    )
