"""Meta-tests that keep the code, the docs and the Slack manifest honest."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bot.core.i18n import catalogue_keys, t
from bot.features import routers
from bot.manifest import BOT_EVENTS, build_manifest

ROOT = Path(__file__).resolve().parent.parent
SLACK_ALLOWED = {"bot/app.py", "bot/__main__.py"}
ROUTERS = routers()


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize(
    "path", python_files("bot", "storage"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_domain_and_storage_never_import_slack(path):
    if str(path.relative_to(ROOT)) in SLACK_ALLOWED:
        return
    text = path.read_text()
    assert "slack_bolt" not in text
    assert "slack_sdk" not in text


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "format", "--check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ["1.0.0"])
def test_manifest_validates_against_slacks_schema(version):
    schema = json.loads(
        (ROOT / f"tests/fixtures/manifest-schema/manifest.schema.{version}.json").read_text()
    )
    for url in (None, "https://veilleur.example.org/slack/events"):
        jsonschema.validate(build_manifest(url), schema)


def test_every_manifest_command_has_a_router_and_the_reverse():
    manifest_commands = {c["command"] for c in build_manifest()["features"]["slash_commands"]}
    assert manifest_commands == set(ROUTERS)


def test_every_subscribed_event_has_a_listener_and_the_reverse():
    from bot.manifest import event_type
    from handlers.events import NO_OP_EVENTS, REVOKING_EVENTS, VISIBILITY_EVENTS

    listened = set(NO_OP_EVENTS) | set(REVOKING_EVENTS) | set(VISIBILITY_EVENTS)
    for path in python_files("handlers"):
        listened.update(re.findall(r'app\.event\("([a-z_]+)"\)', path.read_text()))
    assert {event_type(e) for e in BOT_EVENTS} == listened


@pytest.mark.parametrize("command", sorted(ROUTERS))
def test_every_subcommand_is_in_the_help_in_both_languages_and_in_the_readme(command):
    readme = (ROOT / "README.md").read_text()
    router = ROUTERS[command]
    for lang in ("fr", "en"):
        help_text = router.help(lang).text
        for sub in router.subcommands.values():
            assert t(sub.help, lang) in help_text
            assert sub.help in catalogue_keys(lang), (lang, sub.help)
    for sub in router.subcommands.values():
        if sub.name not in ("aide", "ajouter") or command != "/decision":
            assert f"{command} {sub.name}" in readme or sub.name == "ajouter", (command, sub.name)


def test_french_and_english_catalogues_have_the_same_keys():
    assert catalogue_keys("fr") == catalogue_keys("en")


def test_changelog_has_an_unreleased_section():
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci/run").read_text()
    command = re.search(
        r"```sh\n(python3 -m venv .venv && .venv/bin/pip install -q -e '\.\[test\]' && .venv/bin/python -m pytest)\n```",
        readme,
    )
    assert command, "README must give the test command"
    assert command.group(1) in ci


def test_every_case_code_in_a_test_name_is_explained_in_tests_readme():
    explained = set(
        re.findall(r"^\| ([SOFRDM]\d+) \|", (ROOT / "tests/README.md").read_text(), re.M)
    )
    used = set()
    for path in python_files("tests"):
        used |= {code.upper() for code in re.findall(r"def test_([sofrdm]\d+)_", path.read_text())}
    assert used, "no case code found in the test names"
    assert used <= explained, sorted(used - explained)


def test_no_message_holds_a_slack_control_sequence_by_mistake():
    # In mrkdwn, "<url>" or "<n>" is read as a link or a control sequence and shown mangled;
    # placeholders in help texts are written &lt;url&gt; (Slack shows <url>). Only mentions
    # and channel links built from ids (<@{owner}>, <#{channel}>) may open an angle bracket.
    stray = re.compile(r"<(?![@#]\{)")
    for lang in ("fr", "en"):
        for key in sorted(catalogue_keys(lang)):
            assert not stray.search(t(key, lang)), (lang, key, t(key, lang))
