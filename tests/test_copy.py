"""The copy a person reads, in both languages (issue 12: French that reads well, English complete).

Every catalogue message is formatted with sample values and checked for what a reader would trip on:
« (s) », placeholders left in, double spaces, nested parentheses, « 1 articles », French in English.
"""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from bot import features
from bot.core import messages as core_messages
from bot.core.dates import format_date
from bot.core.i18n import catalogue_keys, t
from bot.core.plural import FORMS, plural, plural_form, tn
from bot.core.router import Router
from bot.watch.errors import FetchError

LANGS = ("fr", "en")
# Words only French uses: none may reach a reader of the English catalogue (command words excepted
# where they are the command's own name, /veille).
FRENCH_WORDS = re.compile(
    r"\b(les?|la|des|du|une?|et|ou|pour|dans|avec|sans|voir|liste|lettre|libres|miennes|toutes|"
    r"échéance|ouvertes|origine|ajouter|chercher|prendre|lâcher|fait|écarter|rouvrir|résumé|flux|"
    r"retirer|reprendre|annuler|déplacer|deplacer|ordre|avant|jours|aide|quitter|avancer|rappels?|"
    r"canal|mots|séance|session:&lt;n°&gt;|n°|article|articles|formulaire|accueil|moi)\b",
    re.IGNORECASE,
)
AGREEMENT_ERRORS = re.compile(
    r"\b1 (articles|notes|échecs|autres|nouveaux|traités|écartés|libres|items|failures|sessions)\b"
)


def fields(template: str) -> set[str]:
    """Return the placeholder names of a str.format template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(key: str, lang: str, number: int) -> str:
    """Format message ``key`` with sample values (every number-like placeholder is ``number``)."""
    template = t(key, lang)
    samples = {
        name: number if name in NUMERIC else SAMPLE.get(name, "Xyz") for name in fields(template)
    }
    return t(key, lang, **samples) if samples else template


NUMERIC = {"n", "id", "count", "posted", "position", "session", "new", "done", "dismissed", "free",
           "first", "last", "total", "day", "month", "year", "status", "low", "high", "item"}  # fmt: skip
SAMPLE = {"channel": "C1", "owner": "U2", "title": "Festisol", "reason": "timeout"}


def declared_keys(lang: str) -> list[str]:
    """Return every key the catalogues declare (read at collection, before they are installed)."""
    catalogues = [core_messages.MESSAGES] + [f.catalogue for f in features.FEATURES if f.catalogue]
    return sorted({key for catalogue in catalogues for key in catalogue.get(lang, {})})


def all_keys() -> list[tuple[str, str]]:
    return [(lang, key) for lang in LANGS for key in declared_keys(lang)]


@pytest.mark.parametrize(("lang", "key"), all_keys())
@pytest.mark.parametrize("number", [1, 2])
def test_every_message_reads_cleanly_once_formatted(lang, key, number):
    if key.endswith(".one") and plural_form(number, lang) != "one":
        number = 1  # each plural form is read with a count it is chosen for
    if key.endswith(".other") and plural_form(number, lang) != "other":
        number = 2
    text = render(key, lang, number)
    assert not re.search(r"(?<!http)\(s\)|\(e\)s?|\(x\)", text), text
    assert "{" not in text and "}" not in text, text  # noqa: PT018 — one reason: a placeholder left
    assert "  " not in text, text
    assert "dans #canal" not in text, text  # a placeholder that never names the real channel
    assert "@Veilleur dans #" not in text, text
    assert not AGREEMENT_ERRORS.search(text), text
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth <= 1, f"nested parentheses: {text}"


@pytest.mark.parametrize("key", declared_keys("en"))
def test_english_messages_have_no_french_words(key):
    text = render(key, "en", 2)
    text = re.sub(r"/veille|Veilleur|CERAPCOOP|RESACOOP|origin:|VEILLEUR_\w+", "", text)
    assert not FRENCH_WORDS.search(text), (key, FRENCH_WORDS.search(text).group(0), text)


def test_same_counted_keys_in_both_languages():
    for lang in LANGS:
        keys = catalogue_keys(lang)
        for key in keys:
            if key.endswith(".one"):
                assert key.removesuffix(".one") + ".other" in keys, (lang, key)


@pytest.mark.parametrize(
    ("key", "params", "one", "two"),
    [
        ("items.notes_count", {}, "1 note", "2 notes"),
        ("items.home.more", {}, "… et 1 autre.", "… et 2 autres."),
        ("watch.list.articles", {}, "1 article", "2 articles"),
        ("watch.add.posted", {}, "Le plus récent est publié", "Les 2 plus récents sont publiés"),
        ("digest.fallback.new", {}, "1 nouveau", "2 nouveaux"),
        ("item.group.text", {}, "1 nouvel article de veille", "2 nouveaux articles de veille"),
        ("watch.error.failures", {"reason": "délai dépassé"}, "1 échec", "2 échecs de suite"),
    ],
)
def test_french_counts_agree_for_one_and_two(key, params, one, two):
    assert tn(key, "fr", 1, **params).startswith(one)
    assert tn(key, "fr", 2, **params).startswith(two)


def test_plural_rules_are_babel_s():
    assert [plural_form(n, "fr") for n in (0, 1, 2, 1_000_000)] == ["one", "one", "other", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert plural(0, "en", one="{count} item", other="{count} items") == "0 items"
    assert set(FORMS) == {"one", "other"}


def test_first_of_the_month_is_1er_in_french_only():
    assert format_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert format_date(date(2026, 12, 2)) == "mercredi 2 décembre 2026"
    assert format_date(date(2026, 12, 1), "en") == "Tuesday 1 December 2026"


def test_a_status_that_was_not_kept_leaves_no_empty_parentheses():
    assert FetchError("server_error").describe("fr") == "erreur du serveur du site"
    assert (
        FetchError("http_status", status=418).describe("en")
        == "unexpected answer from the site (error 418)"
    )


def test_failure_counts_do_not_nest_parentheses():
    reason = FetchError("not_found").describe("fr")
    text = t(
        "watch.list.paused", "fr", id=1, reason=tn("watch.error.failures", "fr", 3, reason=reason)
    )
    assert text == (
        " · :double_vertical_bar: en pause, 3 échecs de suite, le dernier : page introuvable "
        "(erreur 404) : `/veille flux reprendre 1`"
    )


def test_one_word_for_sessions_in_french():
    french = " ".join(t(key, "fr") for key in catalogue_keys("fr"))
    assert "séance" not in french.lower()


def routers() -> dict[str, Router]:
    return features.routers()


@pytest.mark.parametrize("command", ["/veille", "/session", "/decision", "/porteur"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_help_has_examples_and_reads_in_its_language(command, lang):
    text = routers()[command].help(lang).text
    examples = "*Exemples*" if lang == "fr" else "*Examples*"
    (line,) = [line for line in text.splitlines() if line.startswith(examples)]
    assert 2 <= line.count(f"`{command}") <= 3
    assert ("*Bon à savoir*" if lang == "fr" else "*Good to know*") in text
    if lang == "en":
        cleaned = re.sub(r"/veille|Veilleur|origin:|VEILLEUR_\w+", "", text)
        assert not FRENCH_WORDS.search(cleaned), FRENCH_WORDS.search(cleaned).group(0)


@pytest.mark.parametrize("lang", LANGS)
def test_veille_help_introduces_the_three_commands_and_the_hidden_syntax(lang):
    text = routers()["/veille"].help(lang).text
    intro = text.splitlines()[1]
    assert "`/session`" in intro
    assert "`/decision`" in intro
    assert "`/porteur`" in intro
    assert "page 2" in text
    assert "public" in text
    assert ":newspaper:" in text  # how to take an item out of the newsletter
    assert "session:&lt;n" in routers()["/decision"].help(lang).text


@pytest.mark.parametrize(
    ("command", "alias", "name"),
    [
        ("/veille", "view", "voir"),
        ("/veille", "summary", "résumé"),
        ("/session", "view", "voir"),
        ("/veille", "take", "prendre"),
        ("/veille", "add", "ajouter"),
        ("/veille", "deadline", "échéance"),
        ("/veille", "deadlines", "échéances"),
        ("/veille", "newsletter", "lettre"),
        ("/porteur", "add", "ajouter"),
        ("/porteur", "view", "voir"),
        ("/porteur", "log", "suivi"),
        ("/porteur", "edit", "modifier"),
        ("/porteur", "search", "chercher"),
        ("/porteur", "link", "lier"),
        ("/porteur", "delete", "supprimer"),
        ("/decision", "undo", "annuler"),
        ("/session", "minutes", "compte-rendu"),
    ],
)
def test_english_aliases(command, alias, name):
    assert routers()[command].find(alias).name == name


def test_f_a_server_error_keeps_its_status_from_the_poll_to_the_feed_list(db_path):
    from bot.watch.commands import feed_line
    from bot.watch.poller import FeedOutcome, PollReport, PollSettings, apply_outcome
    from storage.db import connect, write
    from storage.feeds import get_feed
    from tests.watch.helpers import NOW, make_feed

    feed = make_feed(db_path)
    with connect(db_path) as db, write(db):
        outcome = FeedOutcome(feed, error=FetchError("server_error", status=502))
        apply_outcome(db, outcome, NOW, PollSettings(), PollReport())
    with connect(db_path) as db:
        stored = get_feed(db, feed.id)
    line = feed_line(stored, 0, "fr", "Europe/Paris")
    assert "erreur du serveur du site (erreur 502)" in line
    assert "(erreur )" not in line
    english = feed_line(stored, 0, "en", "Europe/Paris")
    assert "the site's server failed (error 502)" in english


@pytest.mark.parametrize("stored", ["server_error", "server_error:503", "http_status", "gone"])
@pytest.mark.parametrize("lang", LANGS)
def test_feed_health_lines_read_well_with_and_without_a_status(stored, lang):
    from zoneinfo import ZoneInfo

    from bot.digest.health import FeedHealth, health_lines
    from bot.watch.notices import pause_reason
    from storage.feeds import Feed

    fields_ = {name: None for name in Feed.__dataclass_fields__}
    feed = Feed(**{**fields_, "id": 3, "url": "https://ex.org/f", "title": "Flux", "paused": False,
                   "last_error": stored, "error_count": 2, "keywords": (),
                   "added_at": "2027-01-01T09:00:00+00:00"})  # fmt: skip
    paused = Feed(**{**vars(feed), "paused": True, "paused_reason": stored})
    lines = health_lines(
        FeedHealth(failing=[feed], paused=[paused]), lang, ZoneInfo("Europe/Paris")
    )
    lines.append(pause_reason(feed, lang))
    for line in lines:
        assert not re.search(r"(erreur|error) \)", line), line
        assert ":503" not in line, line
        depth = 0
        for char in line:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, f"nested parentheses: {line}"
    if stored.endswith(":503"):
        assert ("erreur 503" if lang == "fr" else "error 503") in lines[0]


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_newsletter_draft_says_so_once(lang):
    import json
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.digest.draft import build_draft_message

    since, until = datetime(2027, 1, 4, tzinfo=UTC), datetime(2027, 1, 11, tzinfo=UTC)
    text, blocks = build_draft_message([], since, until, lang, ZoneInfo("Europe/Paris"))
    shown = json.dumps(blocks, ensure_ascii=False) + text
    assert ("0 article" if lang == "fr" else "0 items") not in shown
    assert shown.count(t("newsletter.empty", lang)) == 2  # once in the blocks, once as fallback
