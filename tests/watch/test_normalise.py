import pytest

from bot.watch.normalise import fold, matches_keywords, parse_keywords, title_key


def test_fold_ignores_case_and_accents():
    assert fold("  ÉLAN\n Été ") == "elan ete"


def test_title_key_ignores_punctuation():
    assert title_key("Migrations : « l'Été » solidaire !") == title_key(
        "migrations l ete solidaire"
    )


@pytest.mark.parametrize(
    ("keywords", "text", "expected"),
    [
        ((), "anything", True),
        (("migration",), "Les MIGRATIONS en Europe", True),
        (("éducation",), "education populaire", True),
        (("education",), "Éducation populaire", True),
        (("eau",), "un nouveau projet", False),
        (("eau", "climat"), "le Climat change", True),
        (("coopération décentralisée",), "La coopération  décentralisée", True),
    ],
)
def test_keyword_filter_is_case_and_accent_insensitive(keywords, text, expected):
    assert matches_keywords(keywords, text, "") is expected


def test_parse_keywords_keeps_quoted_phrases():
    assert parse_keywords('eau, climat "coopération décentralisée" eau') == (
        "eau",
        "climat",
        "coopération décentralisée",
    )
