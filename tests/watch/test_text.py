"""Feed HTML reduced to text (regex stripping, same results as html.parser on feed summaries)."""

import time

import pytest

from bot.watch.text import html_to_text, plain_text, strip_controls


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Un <b>texte</b></p><p>riche</p>", "Un texte riche"),
        ('<a title="a > b" href="x">lien</a> suite', "lien suite"),
        ("avant<script>alert('<p>x</p>')</script>après", "avantaprès"),
        ("<!-- <script> -->visible<!-- fin -->", "visible"),
        ("<style>p{color:red}</style>Corps", "Corps"),
        ("&lt;b&gt; reste du texte &amp; co", "<b> reste du texte & co"),
        ("a < b et c > d", "a < b et c > d"),
        ("ligne<br/>suivante<BR>encore", "ligne suivante encore"),
        ("<picture>im</picture><span>age</span>", "image"),
        ("non fermé <script>x()", "non fermé"),
        ("<!DOCTYPE html><html><head><title>T</title></head><body>B</body></html>", "B"),
    ],
)
def test_html_becomes_text(markup, text):
    assert html_to_text(markup) == text


@pytest.mark.parametrize("piece", ["<p", '<a "', "<a x='", "<" + "a" * 50, "<!--"])
def test_pathological_markup_is_cut_quickly(piece):
    started = time.process_time()
    html_to_text(piece * 20000, 1000)
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("a\x00b\x01c\x08d\x0ee\x1ff\x7fg", "abcdefg"),
        ("RTLO\u202eexe.pdf \u202a\u202b\u202c\u202d", "RTLOexe.pdf "),
        ("\u2066isolé\u2069 \u2067x\u2068", "isolé x"),
        ("lone \ud800\udfff surrogates", "lone  surrogates"),
        ("tab\tnew\nline\r\x0b\x0c kept", "tab\tnew\nline\r\x0b\x0c kept"),
        ("emoji 👩\u200d💻 é\u0301 \x85\x9d", "emoji 👩\u200d💻 é\u0301 \x85\x9d"),
    ],
)
def test_f14_control_and_bidi_characters_are_removed(text, clean):
    assert strip_controls(text) == clean


def test_plain_text_is_kept_as_typed_but_cleaned_and_collapsed():
    assert (
        plain_text("a &copy=2 &amp; <b>x</b>\u202e\n\t fin", 100) == "a &copy=2 &amp; <b>x</b> fin"
    )
    assert plain_text("x" * 50, 10) == "x" * 10


def test_html_entities_for_controls_are_removed_after_decoding():
    assert html_to_text("<p>a&#x202E;b&#8238;c&#127;d&#x2066;e</p>") == "abcde"
