"""The deadline read from real-looking French calls for proposals: found, or nothing — never wrong.

Each row is (title, summary, the deadline a careful reader takes from it or None), read as of
20 November 2026 in Paris. None means the text has no single closing day (none, two, a month
alone, a contradiction, a past day). The bot may miss a deadline (it then proposes nothing) but
must never propose another date; how many it finds is the measure the README quotes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.calls.extract import detect_deadline, parse_due_date
from bot.meetings.dates import DateError

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
D = date

CALLS = [
    # --- a deadline the text states plainly: it must be found ---
    ("Appel à projets Jeunesse 2027", "Date limite de dépôt : 15 janvier 2027.", D(2027, 1, 15)),
    ("Appel à projets ECSI", "La date limite de dépôt des dossiers est fixée au 31 janvier 2027.", D(2027, 1, 31)),
    ("Fonds de soutien aux microprojets", "Clôture le 3 mars.", D(2027, 3, 3)),
    ("Programme Erasmus+ : appel à candidatures", "Candidatures jusqu'au 12/02/2027 inclus.", D(2027, 2, 12)),
    ("Prix de la solidarité internationale", "Envoyez votre dossier avant le 30 avril.", D(2027, 4, 30)),
    ("Appel à manifestation d'intérêt", "Date limite : vendredi 15 janvier 2027 à 12h.", D(2027, 1, 15)),
    ("AAP Région Auvergne-Rhône-Alpes", "Les dossiers sont à déposer avant le 1er février 2027 sur la plateforme.", D(2027, 2, 1)),
    ("Appel à projets FSPI", "Date limite de réception des candidatures : 28/02/2027", D(2027, 2, 28)),
    ("Bourse Jeunes solidaires", "Clôture des candidatures le 10 décembre 2026.", D(2026, 12, 10)),
    ("Appel à initiatives citoyennes", "Les candidatures sont ouvertes jusqu'au 20 janvier 2027.", D(2027, 1, 20)),
    ("Concours photo Regards croisés", "Date limite d'envoi des photos : 5 mars 2027", D(2027, 3, 5)),
    ("Appel à projets Éducation à la citoyenneté", "Deadline : 15.01.2027", D(2027, 1, 15)),
    ("Appel à projets PRA-OSIM", "Dépôt des dossiers au plus tard le 22 février 2027.", D(2027, 2, 22)),
    ("Festival des Solidarités : inscriptions", "Fin des inscriptions le 30 septembre 2027.", D(2027, 9, 30)),
    ("Appel à projets Agence des micro-projets", "Date limite de soumission : lundi 1er mars 2027", D(2027, 3, 1)),
    ("Appel à candidatures Volontariat", "Vous pouvez postuler jusqu'au 14 février 2027.", D(2027, 2, 14)),
    ("Appel à projets Ville de Lyon", "La date de clôture est le 8 janvier 2027.", D(2027, 1, 8)),
    ("Subvention « Coopération décentralisée »", "Les demandes doivent être transmises avant le 15 décembre.", D(2026, 12, 15)),
    ("Appel à projets 2027 de la Fondation", "Date limite : 2027-03-31", D(2027, 3, 31)),
    ("Appel à propositions UE", "Échéance : 26 janvier 2027 (17h, heure de Bruxelles).", D(2027, 1, 26)),
    ("Trophées de l'engagement", "Candidatures avant le 12 avril 2027 via le formulaire en ligne.", D(2027, 4, 12)),
    ("Appel à projets Tandems solidaires", "Date limite de dépôt des candidatures : 19/01/2027.", D(2027, 1, 19)),
    ("Appel à projets Jeunesse et solidarité", "Les associations ont jusqu'au 3 février 2027 pour répondre.", D(2027, 2, 3)),
    ("Dispositif JSI / VVVSI", "La date limite de candidature a été reportée au 18 mars 2027.", D(2027, 3, 18)),
    ("Appel à projets Migrations et développement", "Clôture de l'appel : 27 février 2027", D(2027, 2, 27)),
    ("Appel à candidatures Résidence", "Date limite de candidature le 9 décembre 2026 à minuit.", D(2026, 12, 9)),
    ("Appel à projets FDVA 2", "Dépôt des demandes jusqu'au 31/01/2027 sur Le Compte Asso.", D(2027, 1, 31)),
    ("Appel à projets Erasmus+ Jeunesse", "Les dossiers doivent être déposés au plus tard le 5 février 2027 à 12h00.", D(2027, 2, 5)),
    ("Prix Coopération internationale des collectivités", "Date limite de dépôt : 1er avril", D(2027, 4, 1)),
    ("Appel à projets Climat et solidarité", "Il est possible de candidater jusqu'au 15 mars 2027.", D(2027, 3, 15)),
    ("Appel à contributions : revue Altermondes", "Propositions à envoyer avant le 20 décembre 2026.", D(2026, 12, 20)),
    ("Appel à projets Santé mondiale", "L'appel clôture le 2 mars 2027.", D(2027, 3, 2)),
    ("Appel à candidatures : formation des porteurs", "Date limite des inscriptions : 11 janvier 2027", D(2027, 1, 11)),
    ("Microprojets 2027", "Le dépôt des pré-projets est ouvert jusqu'au 25 janvier 2027.", D(2027, 1, 25)),
    ("Appel à projets Fondation de France", "Date limite de réception des dossiers le jeudi 4 février 2027.", D(2027, 2, 4)),
    ("Appel à projets Alimentation durable", "Clôture des dépôts : 16/03/2027 à 23h59", D(2027, 3, 16)),
    ("Appel à projets Égalité femmes-hommes", "Dossiers à renvoyer avant le 28 février.", D(2027, 2, 28)),
    ("Appel à projets Culture et coopération", "La date limite de dépôt est prolongée jusqu'au 10 février 2027.", D(2027, 2, 10)),
    ("Appel à manifestation d'intérêt Tiers-lieux", "Réponses attendues au plus tard le 7 janvier 2027.", D(2027, 1, 7)),
    ("Appel à projets Eau et assainissement", "Candidature en ligne. Date limite : 29 janvier 2027. Jury en avril.", D(2027, 1, 29)),
    ("Appel à projets ESS", "Lancé le 2 novembre 2026, il clôture le 8 février 2027.", D(2027, 2, 8)),
    ("Appel à candidatures Service civique international", "Candidatures ouvertes du 1er décembre jusqu'au 15 janvier 2027.", D(2027, 1, 15)),
    ("Appel à projets Numérique solidaire", "Date limite de dépôt des dossiers : 12 févr. 2027", D(2027, 2, 12)),
    ("Programme Initiatives jeunesse", "Date limite de dépôt : 15 janv. 2027", D(2027, 1, 15)),
    ("Appel à projets Sport et développement", "Date limite de dépôt : 14 fév 2027", D(2027, 2, 14)),
    ("Appel à projets Mobilité internationale", "Date limite de dépôt : premier mars 2027", D(2027, 3, 1)),
    ("Appel à projets Jumelages", "Date limite de dépôt : 31/03/27", D(2027, 3, 31)),
    ("Appel à projets « Semaine de la solidarité »", "Inscriptions jusqu'au 30 juin 2027, pour une semaine du 14 au 22 novembre 2027.", D(2027, 6, 30)),
    ("Appel à projets Éducation au développement", "Date limite de dépôt : 15 janvier 2027. Résultats le 3 mars 2027.", D(2027, 1, 15)),
    # --- nothing to read, or the text is unclear: nothing must be proposed ---
    ("Appel à projets 2027", "Deux sessions : date limite le 15 janvier 2027 ou le 15 mai 2027.", None),
    ("Appel à projets Jeunesse", "Dates limites : 15 janvier 2027 et 15 avril 2027.", None),
    ("Appel à projets", "Date limite de pré-dépôt : 10 janvier 2027. Date limite de dépôt complet : 28 février 2027.", None),
    ("Appel à projets Coopération", "Date limite : jeudi 15 janvier 2027.", None),  # the 15th is a Friday
    ("Appel à projets Solidarité", "Date limite de dépôt : 30 février 2027.", None),  # no such day
    ("Appel à projets 2025", "Date limite de dépôt : 15 janvier 2025.", None),  # already past
    ("Appel à projets Territoires", "Clôture fin mars.", None),
    ("Appel à projets Europe", "Candidatures avant le 15.", None),
    ("Appel à projets Jeunesse", "Date limite : mi-avril 2027.", None),
    ("Exposition « Visages du Sahel »", "À voir jusqu'au 5 mai 2027 à la médiathèque.", None),
    ("Rencontre régionale des acteurs", "Rendez-vous le 12 décembre 2026 à Lyon.", None),
    ("Webinaire : monter un projet européen", "Le 14 janvier 2027 de 10h à 12h.", None),
    ("Retour sur les Assises de la coopération", "Les Assises se sont tenues le 4 octobre 2026.", None),
    ("Festival des Solidarités", "Du 13 au 29 novembre 2026 partout en France.", None),
    ("Nouvelle publication du réseau", "Le rapport annuel est en ligne depuis le 2 novembre.", None),
    ("Appel à projets Fonds Climat", "Date limite de dépôt : 15 janvier 2027 / 15 mars 2027 selon le volet.", None),
    ("Appel à projets Agriculture", "Date limite de dépôt précisée prochainement.", None),
    ("Offre d'emploi : chargé·e de mission", "Prise de poste avant le 1er février 2027.", None),
    ("Assemblée générale", "Merci de vous inscrire jusqu'au 3 décembre auprès du secrétariat.", D(2026, 12, 3)),
    ("Appel à projets Jeunesse", "Date limite de dépôt : le 15 janvier 2027 à minuit (heure de Paris).", D(2027, 1, 15)),
    ("Appel à propositions", "Réponse souhaitée d'ici le 5 février 2027.", D(2027, 2, 5)),
    # --- a deadline a person reads, that the bot misses (counted, never wrong) ---
    ("Appel à projets", "Candidatures du 1er décembre 2026 au 15 février 2027.", D(2027, 2, 15)),
    ("Appel à projets Solidarité locale", "Les dossiers complets doivent nous parvenir pour le 20 janvier 2027.", D(2027, 1, 20)),
    ("Appel à projets Culture", "Dépôt : 12 mars 2027, sur la plateforme régionale.", D(2027, 3, 12)),
    ("Appel à candidatures", "Ouvert jusqu'au quinze janvier 2027.", D(2027, 1, 15)),
]  # fmt: skip


@pytest.mark.parametrize(("title", "summary", "expected"), CALLS, ids=range(len(CALLS)))
def test_no_wrong_date_is_ever_proposed(title, summary, expected):
    assert detect_deadline(title, summary, now=NOW).day in (expected, None)


def test_the_table_is_large_and_most_stated_deadlines_are_found():
    found = [detect_deadline(t, s, now=NOW).day for t, s, _ in CALLS]
    stated = [expected for *_, expected in CALLS if expected is not None]
    assert len(CALLS) >= 60
    assert [day for day, (*_, e) in zip(found, CALLS, strict=True) if day and day != e] == []
    # README: 52 of the 56 stated deadlines are found; the 4 misses are the last rows.
    assert (sum(day is not None for day in found), len(stated)) == (52, 56)


def test_a_deadline_in_a_title_counts_too():
    assert detect_deadline("Appel à projets : clôture le 3 mars 2027", "", now=NOW).day == D(
        2027, 3, 3
    )


def test_two_phrases_naming_the_same_day_agree():
    text = "Date limite : 15 janvier 2027. Rappel : clôture des candidatures le 15/01/2027."
    assert detect_deadline("Appel à projets", text, now=NOW).day == D(2027, 1, 15)


def test_a_year_left_out_follows_when_the_item_was_seen():
    seen_in_march = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    assert detect_deadline("Appel à projets", "Clôture le 3 mars.", now=seen_in_march).day == D(
        2028, 3, 3
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("15/01/2027", D(2027, 1, 15)), ("vendredi 15 janvier 2027", D(2027, 1, 15)),
     ("14 fév 2027", D(2027, 2, 14)), ("2027-03-31", D(2027, 3, 31))],
)  # fmt: skip
def test_a_typed_deadline_is_read_by_the_same_grammar(typed, expected):
    assert parse_due_date(typed, now=NOW) == expected


@pytest.mark.parametrize("typed", ["jeudi 15 janvier 2027", "30/02/2027", "hier", "bientôt"])
def test_a_typed_deadline_that_cannot_be_right_is_refused(typed):
    with pytest.raises(DateError):
        parse_due_date(typed, now=NOW)
