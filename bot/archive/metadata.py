"""The archive's Datasette metadata: French titles and descriptions, hidden internals, queries.

Only what is described here is shown: every other table of the copy (the raw tables, migrations,
``app_state``, sent-logs, FTS shadow tables, and any table a later migration adds) is hidden,
so a new internal table never appears undescribed. A test checks that every column of every
shown view has a French description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storage.archive import CANNED_QUERIES, NOTES_FTS, VIEWS

DATABASE = "archives"
LOCAL_TIME = "heure locale, heure d'été comprise"

VIEW_TEXTS: dict[str, tuple[str, str]] = {
    "articles": (
        "Articles de la veille",
        "Chaque article repéré par la veille, son état, qui l'a pris et où il a été vu.",
    ),
    "notes": ("Notes", "Les notes écrites sur les articles (les notes supprimées n'y sont pas)."),
    "sessions": ("Sessions", "Les sessions de travail et réunions, avec leur ordre du jour."),
    "décisions": ("Décisions", "Les décisions prises en session, leur responsable et échéance."),
    "historique": (
        "Historique des articles",
        "Qui a pris, traité, écarté ou annoté quoi, et quand.",
    ),
    "flux": ("Flux suivis", "Les flux RSS, Atom et JSON Feed suivis et leur état de santé."),
}

COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "n°": "numéro de l'article (celui des commandes /veille)",
        "titre": "titre de l'article",
        "lien": "adresse de l'article sur son site",
        "résumé": "résumé donné par le flux",
        "état": "libre, pris, traité ou écarté",
        "pris par": "la personne qui s'en occupe, ou qui l'a traité ou écarté",
        "pour la lettre": "oui s'il est retenu pour la lettre d'information",
        "vu dans": "les flux où l'article a été vu",
        "origine": "l'origine de ces flux (Lyon, Clermont-Ferrand…)",
        "vu le": f"première fois que la veille l'a vu ({LOCAL_TIME})",
        "publié le": f"date de publication annoncée par le flux ({LOCAL_TIME})",
        "notes": "nombre de notes",
        "canal": "canal Slack où il a été publié",
        "échéance": "date limite de l'appel ou de l'action, quand elle est connue",
    },
    "notes": {
        "n°": "numéro de la note",
        "texte": "texte de la note",
        "auteur": "qui l'a écrite",
        "article": "titre de l'article annoté",
        "n° article": "numéro de l'article annoté",
        "écrite le": f"date de la note ({LOCAL_TIME})",
        "modifiée le": f"dernière modification ({LOCAL_TIME})",
    },
    "sessions": {
        "n°": "numéro de la session (celui des commandes /session)",
        "titre": "titre de la session",
        "date": f"début de la session ({LOCAL_TIME})",
        "lieu": "lieu de la session",
        "état": "prévue, passée ou annulée",
        "ordre du jour": "les points de l'ordre du jour, dans l'ordre",
        "décisions": "nombre de décisions rattachées",
        "créée par": "qui a créé la session",
        "canal": "canal Slack de la session",
    },
    "décisions": {
        "n°": "numéro de la décision (celui des commandes /decision)",
        "texte": "texte de la décision",
        "responsable": "qui doit la mettre en œuvre",
        "échéance": "date à laquelle elle doit être faite",
        "état": "ouverte ou faite",
        "session": "session où elle a été prise",
        "n° session": "numéro de cette session",
        "prise le": f"quand elle a été notée ({LOCAL_TIME})",
        "faite le": f"quand elle a été marquée faite ({LOCAL_TIME})",
        "faite par": "qui l'a marquée faite",
        "notée par": "qui l'a notée",
    },
    "historique": {
        "n°": "numéro de l'événement",
        "quand": f"moment de l'action ({LOCAL_TIME})",
        "qui": "la personne qui a agi",
        "quoi": "pris, lâché, traité, écarté, rouvert, pour la lettre, note…",
        "article": "titre de l'article",
        "n° article": "numéro de l'article",
    },
    "flux": {
        "n°": "numéro du flux (celui de /veille flux)",
        "titre": "titre du flux",
        "adresse": "adresse du flux",
        "origine": "origine du flux (réseau, ville)",
        "canal": "canal Slack où ses articles sont publiés",
        "articles": "nombre d'articles vus dans ce flux",
        "dernière lecture réussie": f"dernière lecture sans erreur ({LOCAL_TIME})",
        "dernière erreur": "la dernière erreur de lecture, en clair",
        "échecs de suite": "nombre de lectures échouées d'affilée",
        "en pause": "oui si le flux n'est plus lu (à reprendre avec /veille flux reprendre)",
        "ajouté par": "qui a ajouté le flux",
    },
}

QUERY_TEXTS: dict[str, tuple[str, str]] = {
    "articles_pris_ce_mois": (
        "Articles pris par personne ce mois-ci",
        "Combien d'articles chacun a pris depuis le 1er du mois (heure locale).",
    ),
    "decisions_ouvertes_par_responsable": (
        "Décisions ouvertes par responsable",
        "Les décisions pas encore faites, regroupées par responsable, les plus urgentes d'abord.",
    ),
    "flux_en_erreur": (
        "Flux en erreur",
        "Les flux dont la dernière lecture a échoué, ceux en pause d'abord.",
    ),
}

FACETS = {
    "articles": ["état", "pris par", "pour la lettre"],
    "décisions": ["état", "responsable"],
    "historique": ["quoi", "qui"],
}
SEARCH = {"articles": ("items_fts", "n°"), "notes": (NOTES_FTS, "n°")}
SORT_DESC = {"articles": "n°", "notes": "n°", "historique": "n°", "sessions": "date"}


def _view(view: str) -> dict[str, Any]:
    title, description = VIEW_TEXTS[view]
    entry: dict[str, Any] = {"title": title, "description": description, "columns": COLUMNS[view]}
    if view in FACETS:
        entry["facets"] = FACETS[view]
    if view in SEARCH:
        entry["fts_table"], entry["fts_pk"] = SEARCH[view]
    if view in SORT_DESC:
        entry["sort_desc"] = SORT_DESC[view]
    return entry


def build_metadata(objects: Mapping[str, str], tz: str = "Europe/Paris") -> dict[str, Any]:
    """Return Datasette's metadata for a copy holding ``objects`` (name → table or view)."""
    tables: dict[str, Any] = {view: _view(view) for view in VIEWS if view in objects}
    for name, kind in objects.items():
        if kind == "table":
            tables[name] = {"hidden": True}
    queries = {
        key: {"sql": CANNED_QUERIES[key], "title": title, "description": description}
        for key, (title, description) in QUERY_TEXTS.items()
    }
    return {
        "title": "Archives de Veilleur — CERAPCOOP et RESACOOP",
        "description": (
            "La mémoire durable de la veille partagée, des notes, des sessions et des décisions,"
            f" en lecture seule. Heures locales ({tz}) ; noms à la place des identifiants Slack."
        ),
        "databases": {
            DATABASE: {
                "title": "Archives de l'équipe",
                "description": (
                    "Copie en lecture seule de la base de Veilleur, prise au lancement de"
                    " `veilleur archive`. Cherchez dans les articles et les notes avec la zone"
                    " de recherche de leur page."
                ),
                "tables": tables,
                "queries": queries,
            }
        },
    }
