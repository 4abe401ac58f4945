"""The local shell: the README's first command lands in a French chat that answers commands."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from bot.local.shell import parse_duration, readable, render_blocks
from bot.logs import RedactSecrets


def run_cli(args: list[str], stdin: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "VEILLEUR_"))}
    environment.update(VEILLEUR_DB=str(tmp_path / "shell.db"), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
    )


def test_no_tokens_says_what_to_set_then_opens_the_french_shell(tmp_path):
    result = run_cli([], "/veille aide\n/session zorglub\n:quitter\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Aucun jeton Slack n'est configuré" in out
    assert "SLACK_BOT_TOKEN" in out
    assert "`/veille chercher <mots> [page <n>]` — rechercher dans les articles et les notes" in out
    assert "Commande inconnue : `/session zorglub`" in out
    assert out.rstrip().endswith("À bientôt !")


def test_a_bot_token_alone_says_what_is_missing_not_that_nothing_is_set(tmp_path):
    result = run_cli([], ":quitter\n", tmp_path, SLACK_BOT_TOKEN="xoxb-1-2-abc")
    assert result.returncode == 0, result.stderr
    assert "Aucun jeton Slack n'est configuré" not in result.stdout
    assert "il manque SLACK_APP_TOKEN (Socket Mode) ou SLACK_SIGNING_SECRET" in result.stdout


def test_a_mistyped_command_gets_a_french_answer_not_a_developer_warning(tmp_path):
    result = run_cli(["shell"], "/veile aide\n:quitter\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Slack ne connaît pas la commande `/veile`" in result.stdout
    assert "`/veille`, `/session`, `/decision`" in result.stdout
    assert "Unhandled request" not in result.stdout + result.stderr


def test_shell_speaks_english_when_asked(tmp_path):
    result = run_cli(["shell"], "/veille help\n:quit\n", tmp_path, VEILLEUR_LANG="en")
    assert "search items and notes" in result.stdout
    assert result.stdout.rstrip().endswith("Bye!")


def test_bad_settings_print_one_line_each_and_exit_2(tmp_path):
    result = run_cli([], "", tmp_path, SLACK_BOT_TOKEN="xoxp-wrong", VEILLEUR_LANG="de")
    assert result.returncode == 2
    lines = [
        line for line in result.stderr.splitlines() if line.startswith("Erreur de configuration : ")
    ]
    assert len(lines) == 2


def test_manifest_command_prints_json(tmp_path):
    result = run_cli(["manifest"], "", tmp_path)
    assert '"command": "/veille"' in result.stdout


def test_durations_for_moving_the_clock():
    assert parse_duration("2j").days == 2
    assert parse_duration("3h").seconds == 3 * 3600
    assert parse_duration("30min").seconds == 1800
    assert parse_duration("bientôt") is None


def test_blocks_render_readably():
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Titre*"}},
        {
            "type": "actions",
            "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Je prends"}}],
        },
    ]
    assert render_blocks(blocks) == "*Titre*\n  [Je prends]"


def test_logs_never_contain_tokens_or_the_signing_secret():
    record = logging.LogRecord(
        "x", logging.INFO, "f", 1, "token %s secret %s", ("xoxb-123-abc", "s3cr3t-value"), None
    )
    RedactSecrets(("s3cr3t-value",)).filter(record)
    assert "xoxb-123" not in record.getMessage()
    assert "s3cr3t-value" not in record.getMessage()


# issue 12, point 12: the shell plays several people, shows the App Home and forms, reads well


def test_messages_print_readably_names_channels_links_and_entities():
    text = "<@U2> a pris <https://ex.org/a?b=1&amp;c=2|Appel &amp; projets> dans <#CVEILLE> <!here>"
    assert readable(text, {"U2": "Bruno"}) == (
        "@Bruno a pris Appel & projets (https://ex.org/a?b=1&c=2) dans #veille @here"
    )
    assert readable("<@UVOUS> &lt;b&gt;") == "@vous <b>"


def test_two_people_race_for_an_item_and_see_names_not_ids(tmp_path):
    script = "/veille prendre 1\n:moi U2\n/veille prendre 1\n!fait 1\n:moi\n:quitter\n"
    result = run_cli(["shell", "--demo"], script, tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Vous avez pris l'article 1" in out
    assert "Vous jouez maintenant @U2" in out
    assert "Trop tard : l'article 1 est déjà pris par @vous." in out
    assert "[Je prends]" in out
    for markup in ("<@", "&amp;", "&lt;"):
        assert markup not in out


def test_admin_is_played_from_the_settings(tmp_path):
    script = "/veille flux retirer 1\n:admin\n:quitter\n"
    result = run_cli(["shell"], script, tmp_path, VEILLEUR_ADMINS="UADM")
    assert "Seuls les administrateurs de Veilleur peuvent faire cela" in result.stdout
    assert "Vous jouez maintenant @UADM" in result.stdout
    alone = run_cli(["shell"], ":admin\n:quitter\n", tmp_path)
    assert "VEILLEUR_ADMINS est vide : tout le monde est admin" in alone.stdout


def test_home_is_shown_as_text(tmp_path):
    result = run_cli(["shell", "--demo"], ":accueil\n:quitter\n", tmp_path)
    assert "[Accueil de l'app] :" in result.stdout
    assert "*Prochaines sessions*" in result.stdout
    assert "*Mes décisions ouvertes*" in result.stdout


def test_session_form_is_typed_field_by_field_and_refused_fields_asked_again(tmp_path):
    script = (
        "/session ajouter\nPoint veille\nmardi de la semaine des quatre jeudis\nLyon\n\n"
        "11 janvier 2027 10h\n/session liste\n:quitter\n"
    )
    result = run_cli(["shell"], script, tmp_path)
    out = result.stdout
    assert "[formulaire : Nouvelle session]" in out
    assert "Rappels (facultatif · proposé : 7j 1j 1h) :" in out
    assert "Le formulaire refuse : Précisez l'heure" in out
    assert out.count("Date et heure") == 2  # asked again, alone
    assert "Session n° 1 créée : *Point veille* — lundi 11 janvier 2027 à 10 h 00, à Lyon" in out
    assert "Formulaire ouvert." not in out


def test_decision_form_takes_a_person_and_a_date(tmp_path):
    script = (
        "/session ajouter Point veille 11 janvier 2027 10h à Lyon\n"
        "/decision ajouter\nMutualiser la veille\nU2\n15 janvier 2027\n1\n/decision liste\n:quitter\n"
    )
    out = run_cli(["shell"], script, tmp_path).stdout
    assert "Responsable (facultatif · une personne, par exemple U2) :" in out
    assert "Mutualiser la veille — @U2 — échéance vendredi 15 janvier 2027" in out


def test_english_shell_frames_and_form(tmp_path):
    result = run_cli(["shell"], "/session add\n\n:quit\n:quit\n", tmp_path, VEILLEUR_LANG="en")
    out = result.stdout
    assert "[only visible to you]:" in out
    assert "[form: New session]" in out
    assert "Reminders (optional · proposed: 7d 1d 1h): " in out
    assert "visible par vous" not in out
    assert "formulaire" not in out


def test_a_menu_under_a_message_lists_its_choices():
    from bot.local.shell import render_blocks

    menu = {"type": "static_select", "placeholder": {"type": "plain_text", "text": "Changer"},
            "options": [{"text": {"type": "plain_text", "text": "n° 3"}, "value": "3"},
                        {"text": {"type": "plain_text", "text": "Hors session"}, "value": "x"}]}  # fmt: skip
    button = {"type": "button", "text": {"type": "plain_text", "text": "Annuler"}}
    shown = render_blocks([{"type": "actions", "elements": [menu, button]}])
    assert shown == "  [Changer : n° 3 | Hors session] [Annuler]"
