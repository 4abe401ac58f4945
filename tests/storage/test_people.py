from datetime import UTC, datetime

import pytest

from bot.core.names import display_name, mentions_to_names
from storage.people import known_names, remember_name

NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)


def test_a_name_is_stored_and_refreshed(db):
    remember_name(db, "U2BRUNO", "Bruno", NOW)
    remember_name(db, "U2BRUNO", "Bruno Martin", NOW)
    assert known_names(db) == {"U2BRUNO": "Bruno Martin"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pris par <@U2BRUNO>", "pris par @Bruno"),
        ("<@U2BRUNO|bruno> et <@U9X>", "@Bruno et @U9X"),
        ("rien à changer", "rien à changer"),
    ],
)
def test_mentions_become_names_outside_slack(text, expected):
    assert mentions_to_names(text, {"U2BRUNO": "Bruno"}) == expected


def test_nobody_has_no_name():
    assert display_name({}, None) == ""
