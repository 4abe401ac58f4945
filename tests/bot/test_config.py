"""Settings are validated at start, one clear line per problem."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.core.config import ConfigError


def test_defaults_give_the_shell_mode_in_french_and_paris(tmp_path):
    config = load_config({"VEILLEUR_DB": str(tmp_path / "v.db")})
    assert (config.mode, config.lang, config.tz, config.port) == (
        "shell",
        "fr",
        "Europe/Paris",
        3000,
    )
    assert config.api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "socket"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "http"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "shell"),
    ],
)
def test_run_mode_follows_the_tokens(tmp_path, env, mode):
    assert load_config({**env, "VEILLEUR_DB": str(tmp_path / "v.db")}).mode == mode


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN must start with 'xoxb-'"),
        ({"VEILLEUR_LANG": "de"}, "VEILLEUR_LANG must be one of fr, en"),
        ({"VEILLEUR_TZ": "Europe/Lyon"}, "VEILLEUR_TZ 'Europe/Lyon' is not a known time zone"),
        ({"VEILLEUR_DB": "/no/such/folder/v.db"}, "does not exist"),
        ({"PORT": "http"}, "PORT must be a number"),
        ({"VEILLEUR_ALLOW_PRIVATE_URLS": "yes"}, "VEILLEUR_ALLOW_PRIVATE_URLS must be 0 or 1"),
    ],
)
def test_each_bad_setting_gets_one_clear_line(tmp_path, env, message):
    env = {"VEILLEUR_DB": str(tmp_path / "v.db"), **env}
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    assert len(raised.value.problems) == 1
    assert message in raised.value.problems[0]


def test_several_problems_are_all_reported(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(
            {
                "SLACK_BOT_TOKEN": "nope",
                "VEILLEUR_LANG": "xx",
                "VEILLEUR_DB": str(tmp_path / "v.db"),
            }
        )
    assert len(raised.value.problems) == 2


def test_database_path_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="not a writable file"):
        load_config({"VEILLEUR_DB": str(tmp_path)})


def test_admins_accept_commas_and_spaces(tmp_path):
    config = load_config({"VEILLEUR_ADMINS": "U1, U2 U3", "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert config.admins == {"U1", "U2", "U3"}
    assert config.is_admin("U2")
    assert not config.is_admin("U9")


def test_dotenv_file_is_read_when_present(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("VEILLEUR_LANG=en\n")
    monkeypatch.delenv("VEILLEUR_LANG", raising=False)
    monkeypatch.setenv("VEILLEUR_DB", str(tmp_path / "v.db"))
    assert load_config().lang == "en"


@pytest.mark.parametrize("minutes", ["0", "1441", "abc", "-5", "2.5"])
def test_poll_minutes_outside_one_minute_to_one_day_is_refused(tmp_path, minutes):
    with pytest.raises(ConfigError) as raised:
        load_config({"VEILLEUR_POLL_MINUTES": minutes, "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert raised.value.problems == [
        f"VEILLEUR_POLL_MINUTES must be a number of minutes between 1 and 1440, not {minutes!r}."
    ]


@pytest.mark.parametrize(("minutes", "expected"), [("1", 1), ("1440", 1440), ("", 15), (None, 15)])
def test_poll_minutes_is_read_with_fifteen_by_default(tmp_path, minutes, expected):
    env = {"VEILLEUR_DB": str(tmp_path / "v.db")}
    if minutes is not None:
        env["VEILLEUR_POLL_MINUTES"] = minutes
    assert load_config(env).poll_minutes == expected
