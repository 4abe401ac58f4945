"""The local shell: the README's first command lands in a French chat that answers commands."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from bot.local.shell import parse_duration, render_blocks
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
