"""`veilleur porteurs export`: the year's support actions, compared with expected files (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from bot.holders.export import csv_cell, md_cell
from bot.holders.fields import territory_key
from storage import holders as store
from storage.db import connect
from storage.people import remember_name

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "holders"
NOW = datetime(2027, 12, 20, 9, 0, tzinfo=UTC)


def holder(db, name, structure, territory, network, referent) -> int:
    return store.add_holder(
        db, name=name, structure=structure, territory=territory,
        territory_key=territory_key(territory), network=network, referent=referent,
        channel_id="C1", now=NOW,
    )  # fmt: skip


@pytest.fixture
def env(db_path) -> dict[str, str]:
    with connect(db_path) as db:
        remember_name(db, "UCAMILLE", "Camille Besson", NOW)
        remember_name(db, "UMARIE", "Marie Rey", NOW)
        puy = holder(
            db, "Puy Solidaire", "association", "Clermont-Ferrand", "CERAPCOOP", "UCAMILLE"
        )
        ecole = holder(
            db, "École Jean Macé", "établissement scolaire", "Lyon", "RESACOOP", "UMARIE"
        )
        loose = holder(db, "Collectif | Tambacounda", "", "", "", "UNOBODY")
        actions = [
            (puy, "UCAMILLE", "rendez-vous", "Premier rendez-vous : échange de jeunes avec Kaolack", "2027-01-12"),
            (puy, "UCAMILLE", "conseil", "Budget relu avec <@UMARIE>", "2027-02-03"),
            (puy, "UMARIE", "orientation", "=HYPERLINK(\"http://evil\") vers le Fonsolidaire", "2027-03-14"),
            (ecole, "UMARIE", "formation", "Atelier *ECSI* pour la Semaine de la solidarité", "2027-11-18"),
            (loose, "UNOBODY", "autre", "Appel reçu", "2027-06-01"),
            (puy, "UCAMILLE", "conseil", "L'an passé : ne compte pas", "2026-12-31"),
            (ecole, "UMARIE", "conseil", "L'an prochain : ne compte pas", "2028-01-01"),
        ]  # fmt: skip
        for holder_id, author, kind, text, day in actions:
            store.add_action(db, holder_id, author=author, kind=kind, text=text, day=day, now=NOW)
    return {
        "VEILLEUR_DB": db_path,
        "SLACK_BOT_TOKEN": "",
        "SLACK_APP_TOKEN": "",
        "VEILLEUR_LANG": "fr",
    }


@pytest.mark.parametrize(
    ("fmt", "expected"), [("csv", "export-2027.csv"), ("markdown", "export-2027.md")]
)
def test_export_matches_the_expected_file(env, tmp_path, fmt, expected):
    target = tmp_path / expected
    result = CliRunner().invoke(
        cli, ["porteurs", "export", "--format", fmt, "--annee", "2027", "-o", str(target)], env=env
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (FIXTURES / expected).read_text(encoding="utf-8")


def test_export_to_stdout_and_an_empty_year(env):
    result = CliRunner().invoke(
        cli, ["porteurs", "export", "--format", "markdown", "--year", "2030"], env=env
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "# Accompagnement des porteurs de projet — 2030\n\nAucune action d'accompagnement notée en 2030.\n"
    )
    refused = CliRunner().invoke(cli, ["porteurs", "export", "--format", "pdf"], env=env)
    assert refused.exit_code == 2


def test_an_erased_holder_leaves_the_export(env, db_path):
    with connect(db_path) as db:
        assert store.erase_holder(db, 1)
    result = CliRunner().invoke(cli, ["porteurs", "export", "--annee", "2027"], env=env)
    assert "Puy Solidaire" not in result.output
    assert "École Jean Macé" in result.output


@pytest.mark.parametrize(
    ("value", "expected"), [("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("Lyon", "Lyon")]
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert csv_cell(value) == expected


def test_markdown_cells_cannot_break_the_table():
    assert md_cell("a | b\n*c* <d>") == r"a \| b \*c\* \<d\>"
