"""The command line speaks the team's language (issue 12: French CLI help, English complete).

Every ``veilleur`` group and command is walked from the click tree and its ``--help`` read in
French and in English; click's own words (« Usage », its errors) and the features' output lines
follow VEILLEUR_LANG too.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from tests.test_copy import FRENCH_WORDS

# Words a French reader would see as English (command and option names are taken out first).
ENGLISH_WORDS = re.compile(
    r"\b(the|of|to|and|with|without|for|from|file|write|show|this|message|exit|usage|"
    r"commands|command|every|default|only|folder|run|print|items|feeds|output|text|"
    r"integer|range|filename|required|copy|database|args)\b",
    re.IGNORECASE,
)
# French words beyond test_copy's list that click's help would show.
MORE_FRENCH = re.compile(
    r"\b(fichier|dossier|écrire|afficher|défaut|obligatoire|commandes?|utilisation|nombre|texte|"
    r"exporter|importer|lancer|copier)\b",
    re.IGNORECASE,
)


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Return the path of every group and command under ``group`` (itself included)."""
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def run(args: list[str], lang: str, db_path: str):
    env = {"VEILLEUR_LANG": lang, "VEILLEUR_DB": str(db_path), "SLACK_BOT_TOKEN": ""}
    return CliRunner().invoke(cli, args, env=env)


def prose(help_text: str, path: tuple[str, ...]) -> str:
    """Return the help without what is not prose: the usage's program, names, options, choices."""
    names = {"veilleur", "cli", *path}
    kept = []
    section = ""
    for line in help_text.splitlines():
        stripped = line.strip()
        if line and not line.startswith(" "):
            section = stripped
        if section.lower().startswith(("commandes", "commands")) and line.startswith("  "):
            stripped = stripped.partition(" ")[2]  # the subcommand's own name
        stripped = re.sub(
            r"--?[\w-]+|\[[a-z|]+\]|\[?\d<=x<=\d+\]?|C…|OPML_FILE|SESSION_ID", "", stripped
        )
        words = [w for w in stripped.split() if w.strip("[].,") not in names]
        kept.append(" ".join(words))
    return "\n".join(kept).replace("/slack/events", "")


def test_the_walk_finds_every_command_group():
    paths = {" ".join(path) for path in command_paths()}
    assert {"", "feeds", "feeds import", "sessions ics", "porteurs export", "backup"} <= paths
    assert {"export", "restore", "archive", "digest", "minutes", "shell", "manifest"} <= paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "veilleur")
def test_every_help_is_french_by_default_and_english_in_english(path, db_path):
    french = run([*path, "--help"], "fr", db_path)
    english = run([*path, "--help"], "en", db_path)
    assert french.exit_code == 0, french.output
    assert english.exit_code == 0, english.output
    for output in (french.output, english.output):
        assert "cli." not in output  # no catalogue key reaches a person
    assert french.output.startswith("Utilisation :")
    assert english.output.startswith("Usage:")
    found = ENGLISH_WORDS.search(prose(french.output, path))
    assert not found, (found.group(0), french.output)
    cleaned = prose(english.output, path)
    found = FRENCH_WORDS.search(cleaned) or MORE_FRENCH.search(cleaned)
    assert not found, (found.group(0), english.output)


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (["bakup"], "Pas de commande « bakup »", "No such command 'bakup'"),
        (["digest", "--days", "0"], "n'est pas entre les bornes permises", "is not in the range"),
        (["minutes", "abc"], "n'est pas un nombre entier", "is not a whole number"),
        (["backup"], "Argument manquant 'DESTINATION'", "Missing argument 'DESTINATION'"),
        (["digest", "--format", "pdf"], "n'est pas l'un de ces choix", "is not one of"),
    ],
)
def test_click_says_its_errors_in_the_team_s_language(args, french, english, db_path):
    result = run(args, "fr", db_path)
    assert result.exit_code == 2
    assert "Erreur : " in result.output, result.output
    assert french in result.output, result.output
    result = run(args, "en", db_path)
    assert result.exit_code == 2
    assert "Error: " in result.output, result.output
    assert english in result.output, result.output
    assert "Erreur" not in result.output


def test_a_missing_input_file_is_refused_in_words_not_in_the_system_s_english(db_path, tmp_path):
    missing = str(tmp_path / "absent.opml")
    result = run(["feeds", "import", missing, "--channel", "C1"], "fr", db_path)
    assert result.exit_code == 2
    assert "Impossible d'ouvrir" in result.output
    assert "introuvable" in result.output
    assert "No such file" not in result.output
    result = run(["feeds", "import", missing, "--channel", "C1"], "en", db_path)
    assert "Cannot open" in result.output
    assert "no such file or folder" in result.output


@pytest.mark.parametrize("command", [["digest"], ["porteurs", "export"], ["feeds", "export"]])
def test_an_output_file_in_a_missing_folder_is_one_line_in_the_team_s_language(
    command, db_path, tmp_path
):
    target = str(tmp_path / "absent" / "sortie.txt")
    result = run([*command, "-o", target], "fr", db_path)
    assert result.exit_code == 2  # a bad path (issue 12)
    assert "introuvable" in result.output, result.output
    assert "No such file" not in result.output
    assert "Traceback" not in result.output
    result = run([*command, "-o", target], "en", db_path)
    assert "no such file or folder" in result.output, result.output


def test_backup_and_restore_speak_english_in_english(db_path, tmp_path):
    target = tmp_path / "copie.db"
    assert "Backup written to" in run(["backup", str(target)], "en", db_path).output
    again = run(["backup", str(target)], "en", db_path)
    assert again.exit_code == 2
    assert "already exists: nothing was written (add --force" in again.output
    missing = run(["restore", str(tmp_path / "absent.db")], "en", db_path)
    assert "does not exist or is not a file: nothing was restored" in missing.output
    assert "rien" not in missing.output
    export = run(["export", "--format", "csv", "-o", str(tmp_path / "csv")], "en", db_path)
    assert export.exit_code == 0, export.output
    assert "Export written (0 items, 0 notes, 0 sessions, 0 decisions, 0 events)" in export.output


def test_opml_errors_and_skipped_lines_follow_the_language(db_path, tmp_path):
    deep = tmp_path / "deep.opml"
    folders = "".join(f'<outline text="d{i}">' for i in range(150))
    deep.write_text(f"<opml><body>{folders}{'</outline>' * 150}</body></opml>")
    result = run(["feeds", "import", str(deep), "--channel", "C1"], "en", db_path)
    assert result.exit_code == 1
    assert result.output.strip() == "OPML file nested too deep (more than 100 levels of folders)"
    listed = tmp_path / "list.opml"
    listed.write_text(
        '<opml><body><outline type="include" text="Autre" url="https://example.org/a.opml"/>'
        '<outline type="rss" text="A &amp; B" xmlUrl="http://127.0.0.1:9/feed"/></body></opml>'
    )
    result = run(["feeds", "import", str(listed), "--channel", "C1"], "en", db_path)
    assert "skipped: https://example.org/a.opml: an included OPML list, not a feed" in result.output
    assert "refused: http://127.0.0.1:9/feed: address not allowed" in result.output
    assert "ignoré" not in result.output
    assert "refusé" not in result.output
    result = run(["feeds", "import", str(listed), "--channel", "C1"], "fr", db_path)
    assert "ignoré : https://example.org/a.opml : liste OPML incluse" in result.output
