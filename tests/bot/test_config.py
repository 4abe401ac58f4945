"""Settings are validated at start, one clear line per problem."""

from __future__ import annotations

import pytest

from bot.config import load_config, missing_tokens_notice
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
        ({"VEILLEUR_LANG": "de"}, "VEILLEUR_LANG doit valoir l'une de ces langues : fr, en"),
        ({"VEILLEUR_TZ": "Europe/Lyon"}, "VEILLEUR_TZ 'Europe/Lyon' is not a known time zone"),
        ({"VEILLEUR_DB": "/no/such/folder/v.db"}, "does not exist"),
        ({"PORT": "http"}, "PORT must be a number"),
        ({"VEILLEUR_ALLOW_PRIVATE_URLS": "yes"}, "VEILLEUR_ALLOW_PRIVATE_URLS must be 0 or 1"),
    ],
)
def test_each_bad_setting_gets_one_clear_line(tmp_path, env, message):
    env = {"VEILLEUR_DB": str(tmp_path / "v.db"), "VEILLEUR_LANG": "en", **env}
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
    with pytest.raises(ConfigError, match="n'est pas un fichier où écrire"):
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
        f"VEILLEUR_POLL_MINUTES doit être un nombre de minutes entre 1 et 1440, pas {minutes!r}."
    ]


@pytest.mark.parametrize(("minutes", "expected"), [("1", 1), ("1440", 1440), ("", 15), (None, 15)])
def test_poll_minutes_is_read_with_fifteen_by_default(tmp_path, minutes, expected):
    env = {"VEILLEUR_DB": str(tmp_path / "v.db")}
    if minutes is not None:
        env["VEILLEUR_POLL_MINUTES"] = minutes
    assert load_config(env).poll_minutes == expected


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "Aucun jeton Slack n'est configuré"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "il manque SLACK_APP_TOKEN (Socket Mode) ou SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_SIGNING_SECRET": "s"},
            "SLACK_SIGNING_SECRET est défini, mais il manque SLACK_BOT_TOKEN",
        ),
    ],
)
def test_each_missing_or_half_set_token_is_named(tmp_path, env, named):
    # issue 12: a signing secret alone is not "no token at all"
    config = load_config({**env, "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert config.mode == "shell"
    assert named in missing_tokens_notice(config)


def test_an_app_token_without_bot_token_names_the_bot_token(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config({"SLACK_APP_TOKEN": "xapp-1", "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert raised.value.problems == [
        "SLACK_APP_TOKEN est défini, mais il manque SLACK_BOT_TOKEN (le jeton du bot, xoxb-…)."
    ]


def test_problems_are_french_by_default_and_english_on_demand(tmp_path):
    base = {"PORT": "http", "VEILLEUR_DB": str(tmp_path / "v.db")}
    with pytest.raises(ConfigError) as french:
        load_config(base)
    with pytest.raises(ConfigError) as english:
        load_config({**base, "VEILLEUR_LANG": "en"})
    assert french.value.problems == ["PORT doit être un nombre entre 1 et 65535, pas 'http'."]
    assert english.value.problems == ["PORT must be a number between 1 and 65535, not 'http'."]
