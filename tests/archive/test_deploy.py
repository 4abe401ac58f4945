"""The deployment files stay true to the code: .env.example, manifest.json, Dockerfile, unit."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner
from dotenv import dotenv_values

from bot.__main__ import STOP_BUDGET_SECONDS, cli
from bot.config import load_config
from tests.e2e.botprocess import free_port, running_bot

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r'env\.get\("([A-Z][A-Z0-9_]+)"')


def settings_read_by_the_config() -> set[str]:
    return set(SETTING.findall((ROOT / "bot/config.py").read_text()))


def test_env_example_lists_every_setting_the_config_reads_with_a_line_of_help():
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = [line.split("=", 1)[0] for line in lines if line and not line.startswith("#")]
    assert len(listed) == len(set(listed))
    assert set(listed) == settings_read_by_the_config()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[index - 1].startswith("# "), f"{line} has no line of help above it"


def test_env_example_holds_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # VEILLEUR_DB=veilleur.db must be writable where it is read
    values = {k: v or "" for k, v in dotenv_values(ROOT / ".env.example").items()}
    assert load_config(values) == load_config({})


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    assert {name for name in settings_read_by_the_config() if f"`{name}`" not in readme} == set()


def test_manifest_json_is_what_veilleur_manifest_prints():
    # other commands and events change the manifest: regenerate with `veilleur manifest > manifest.json`
    result = CliRunner().invoke(
        cli, ["manifest"], env={"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}
    )
    assert result.exit_code == 0, result.output
    assert (ROOT / "manifest.json").read_text() == result.output
    assert json.loads(result.output)["settings"]["socket_mode_enabled"] is True


def _healthcheck_command() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.M)
    assert match, "the Dockerfile has a HEALTHCHECK in exec form"
    return json.loads(match.group(1))


def test_dockerfile_runs_slim_as_a_user_with_the_database_on_a_volume():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users
    assert users[-1] not in ("root", "0")
    assert 'VOLUME ["/data"]' in text
    assert "VEILLEUR_DB=/data/veilleur.db" in text
    assert re.search(r'^CMD \["veilleur"\]$', text, re.M)
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package in packages["packages"]["find"]["include"]:
        assert f"COPY {package.rstrip('*')} " in text


def test_the_healthcheck_passes_on_a_healthy_bot_and_fails_without_one(tmp_path):
    command = _healthcheck_command()
    assert command[0] == "python"
    with running_bot(tmp_path) as bot:
        env = {"PORT": str(bot.port), "PATH": "/usr/bin:/bin"}
        ok = subprocess.run([sys.executable, *command[1:]], env=env, timeout=30)
        assert ok.returncode == 0
    down = subprocess.run(
        [sys.executable, *command[1:]], env={"PORT": str(free_port())}, timeout=30,
        capture_output=True,
    )  # fmt: skip
    assert down.returncode != 0
    # Socket Mode has no HTTP server: the check must not fail it
    socket = subprocess.run([sys.executable, *command[1:]], env={"SLACK_APP_TOKEN": "xapp-1"})
    assert socket.returncode == 0


def test_systemd_unit_runs_veilleur_and_waits_for_its_clean_stop():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(ROOT / "deploy/veilleur.service")
    service = unit["Service"]
    assert shlex.split(service["ExecStart"])[0].endswith("/veilleur")
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > STOP_BUDGET_SECONDS
    assert service["RestartPreventExitStatus"] == "2"  # a configuration error
    assert service["User"] != "root"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_pyproject_gives_the_veilleur_command_and_the_archive_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["veilleur"] == "bot.__main__:main"
    assert any(dep.startswith("datasette") for dep in project["optional-dependencies"]["archive"])
