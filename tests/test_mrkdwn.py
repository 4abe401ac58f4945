"""Feed text in Slack mrkdwn (F14, O7)."""

import pytest

from bot.core.mrkdwn import BLOCK_TEXT_LIMIT, escape, link, safe_text

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
