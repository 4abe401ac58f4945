"""Feed text in Slack mrkdwn (F14, O7)."""

import re

import pytest

from bot.core.mrkdwn import (
    BLOCK_TEXT_LIMIT,
    URL_LINK_LIMIT,
    clean,
    escape,
    fit_lines,
    link,
    mention,
    safe_lines,
    safe_text,
    slack_len,
)

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C123>",
    "<!subteam^S1>",
    "<http://evil|bank.com>",
    "<https://evil.example>",
]


@pytest.mark.parametrize("sequence", HOSTILE)
def test_f14_control_sequences_are_escaped(sequence):
    out = safe_text(f"Alerte {sequence} fin")
    assert "<" not in out
    assert ">" not in out
    assert "&lt;" + sequence[1:-1] + "&gt;" in out


def test_f14_already_escaped_html_stays_visible_text():
    assert safe_text("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"


def test_f14_newlines_collapse_and_fences_are_neutralised():
    out = safe_text("a" + "\n" * 500 + "```code```  *gras*")
    assert "\n" not in out
    assert "```" not in out
    assert out.startswith("a ")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,x", "slack://open", "file:///etc/passwd", "/relative"],
)
def test_f14_only_absolute_http_links_become_links(url):
    assert link(url, "Titre") == "Titre"


def test_f14_link_escapes_label_and_url():
    assert link("https://ex.org/?a=1&b=2", "<!channel> & co") == (
        "<https://ex.org/?a=1&amp;b=2|&lt;!channel&gt; &amp; co>"
    )
    assert link("https://ex.org/a|b", "x") == "x"


def test_o7_long_text_is_cut_within_the_block_limit():
    out = safe_text("mot " * 10_000)
    assert len(out) <= BLOCK_TEXT_LIMIT
    assert out.endswith("…")


def test_o7_escaping_never_pushes_text_over_the_limit():
    out = safe_text("&" * 5000, 3000)
    assert len(out) <= 3000
    assert out.endswith("…")
    assert out[:-1].replace("&amp;", "") == ""  # only whole escapes, none cut in half


def test_escape_is_exactly_the_three_characters():
    assert escape("a & b < c > d *e*") == "a &amp; b &lt; c &gt; d *e*"


@pytest.mark.parametrize("limit", range(2, 60))
def test_o7_a_cut_never_splits_an_entity(limit):
    out = safe_text("a&b<c>" * 50, limit)
    assert len(out) <= limit
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)


def test_o7_emoji_are_counted_as_slack_counts_them():
    out = safe_text("😀" * 3000, 3000)
    assert slack_len(out) <= 3000
    assert len(out) < 1600  # each emoji is two UTF-16 code units


def test_o7_a_too_long_url_is_shown_shortened_not_linked():
    url = "https://example.org/dossier/" + "q=1&" * 700
    out = link(url, "Appel à projets")
    assert "<" not in out
    assert out.startswith("Appel à projets (example.org/dossier/")
    assert out.endswith("…)")
    assert len(out) <= 500
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)


def test_o7_a_url_within_the_bound_stays_a_link():
    url = "https://example.org/?" + "a" * (URL_LINK_LIMIT - 30)
    assert link(url, "Titre") == f"<{url}|Titre>"


def test_o7_a_url_of_ampersands_is_measured_after_escaping():
    url = "https://example.org/?" + "&" * 300  # 321 characters, 1,221 once escaped
    assert "<" not in link(url, "Titre")


def test_f14_nul_controls_and_bidi_overrides_are_removed():
    hostile = "a\x00b\x01c\x1b\u202ed\u2066e\u2069f\u202ag\x7f"
    assert clean(hostile) == "abcdefg"
    assert escape(hostile) == "abcdefg"
    assert safe_text(hostile) == "abcdefg"
    assert link("https://ex.org/\u202e", hostile) == "abcdefg"  # such a URL is never linked


def test_f14_safe_lines_keeps_line_breaks_and_escapes():
    assert (
        safe_lines("un <!here>\n\n\x00deux & trois\n```")
        == "un &lt;!here&gt;\ndeux &amp; trois\n''"
    )


def test_o7_fit_lines_keeps_whole_lines_and_counts_the_rest():
    lines = [f"<https://ex.org/{n}|ligne {n}>" for n in range(500)]
    out = fit_lines("*Titre*", lines, 3000, "… et {count} autres")
    assert slack_len(out) <= 3000
    shown = out.count("<https://")
    assert out.count("<") == out.count(">") == shown
    assert out.endswith(f"… et {500 - shown} autres")


def test_f14_only_user_ids_become_mentions():
    assert mention("UALICE") == "<@UALICE>"
    assert mention("<!channel>") == "&lt;!channel&gt;"
