"""Feed HTML reduced to text (regex stripping, same results as html.parser on feed summaries)."""

import time

import pytest

from bot.watch.text import html_to_text


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
