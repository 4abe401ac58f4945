"""VEILLEUR_PUBLIC_URL: the bot's address from outside, for the personal calendar addresses."""

from __future__ import annotations

import pytest

from bot.config import load_config
from bot.core.config import ConfigError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("https://veilleur.example.org", "https://veilleur.example.org"),
        ("https://veilleur.example.org/", "https://veilleur.example.org"),
        ("https://example.org/veilleur/", "https://example.org/veilleur"),  # behind a proxy path
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
    ],
)
def test_public_url_is_read_without_its_trailing_slash(tmp_path, value, expected):
    config = load_config({"VEILLEUR_PUBLIC_URL": value, "VEILLEUR_DB": str(tmp_path / "v.db")})
    assert config.public_url == expected


@pytest.mark.parametrize(
    "value", ["veilleur.example.org", "ftp://example.org", "https://", "https://x.org/?a=1"]
)
def test_a_public_url_that_is_no_web_address_is_refused(tmp_path, value):
    with pytest.raises(ConfigError) as error:
        load_config({"VEILLEUR_PUBLIC_URL": value, "VEILLEUR_DB": str(tmp_path / "v.db")})
    [line] = error.value.problems
    assert line.startswith("VEILLEUR_PUBLIC_URL")
    assert repr(value.rstrip("/")) in line
