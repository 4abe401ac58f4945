"""OPML as other feed readers write it: deep trees, odd spellings, bare &, includes, big lists."""

import sys
import time
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from bot.watch.opml import MAX_DEPTH, OpmlError, load_opml, read_opml, write_opml
from storage.db import connect
from storage.feeds import POLL_INTERVAL, list_feeds
from tests.watch.helpers import make_feed


def opml(body: str, head: str = "") -> bytes:
    """Wrap outlines in a minimal OPML 2.0 document."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<opml version="2.0">'
        f"<head><title>Abonnements</title></head><body>{body}</body></opml>"
    ).encode()


def nested(depth: int) -> bytes:
    """Return a feed at the bottom of ``depth - 1`` nested folders."""
    folders = "".join(f'<outline text="d{i}">' for i in range(depth - 1))
    feed = '<outline type="rss" text="Fond" xmlUrl="https://example.org/deep"/>'
    return opml(folders + feed + "</outline>" * (depth - 1))


@pytest.fixture
def runner(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("VEILLEUR_DB", db_path)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.fixture
def audit():
    """Record files opened (but Python's own) and network use during the test."""
    events = []
    active = [True]

    def hook(event, args):
        if not active[0]:
            return
        if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            events.append((event, str(args[0:2])))
        elif event == "open" and not _ours(str(args[0])):
            events.append((event, str(args[0])))

    sys.addaudithook(hook)
    yield events
    active[0] = False


def _ours(path: str) -> bool:
    """Tell whether a file is one the test itself opens (Python modules, the OPML, the DB)."""
    return "__pycache__" in path or path.endswith((".py", ".pyc", ".opml", ".db", "-journal"))


def run_import(runner, tmp_path, data: bytes, *args: str):
    """Run `veilleur feeds import` on a file holding ``data`` into channel C1."""
    source = tmp_path / "abonnements.opml"
    source.write_bytes(data)
    return runner.invoke(cli, ["feeds", "import", str(source), "--channel", "C1", *args])


def imported(db_path) -> list[tuple[str, str, str]]:
    with connect(db_path) as db:
        return [(f.url, f.title, f.origin) for f in list_feeds(db)]


# 1. Depth: an explicit stack, a limit, a French line (no RecursionError).


def test_5000_nested_outlines_give_one_french_line_not_a_traceback(runner, db_path, tmp_path):
    result = run_import(runner, tmp_path, nested(5000))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # not a RecursionError
    assert result.output.strip() == "fichier OPML trop imbriqué (plus de 100 niveaux de dossiers)"
    assert imported(db_path) == []


def test_nesting_up_to_the_limit_is_read_with_its_whole_path():
    outlines = read_opml(nested(MAX_DEPTH))
    assert [o.url for o in outlines] == ["https://example.org/deep"]
    assert len(outlines[0].folders) == MAX_DEPTH - 1
    with pytest.raises(OpmlError) as info:
        read_opml(nested(MAX_DEPTH + 1))
    assert info.value.code == "too_deep"


def test_a_deep_tree_under_the_limit_still_fails_fast_past_it():
    started = time.monotonic()
    with pytest.raises(OpmlError):
        read_opml(nested(200_000))
    assert time.monotonic() - started < 5  # stops at level 101, does not build the tree


# F7 for OPML: no DTD is ever used; a DOCTYPE the head-stripping misses refuses the file.

BILLION_LAUGHS = (
    '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
    + "]>"
)


@pytest.mark.parametrize(
    "doctype",
    [
        BILLION_LAUGHS,
        BILLION_LAUGHS.replace(">", ">\n"),
        '<!DOCTYPE opml [<!ENTITY j SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE opml [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    ],
)
def test_f7_opml_entities_are_neither_expanded_nor_opened(audit, doctype):
    data = opml('<outline text="x &j;&j;" xmlUrl="https://example.org/&j;"/>', head=doctype)
    started = time.monotonic()
    try:
        outlines = read_opml(data)
    except OpmlError:
        outlines = []
    assert time.monotonic() - started < 1.0
    assert all(len(o.title) < 50 and "root:" not in o.title for o in outlines)
    assert audit == []


def test_f7_a_doctype_past_the_head_is_removed_not_expanded(runner, db_path, tmp_path):
    late = '<?xml version="1.0"?><!--' + "x" * 70_000 + "-->" + BILLION_LAUGHS
    data = (
        late.encode()
        + b'<opml version="2.0"><body><outline text="&j;" xmlUrl="https://example.org/f"/></body></opml>'
    )
    started = time.monotonic()
    found = load_opml(data)
    assert time.monotonic() - started < 5
    # the DTD is gone wherever it stood, so "&j;" is an unknown reference kept as text
    assert [(o.title, o.url) for o in found.outlines] == [("&j;", "https://example.org/f")]
    result = run_import(runner, tmp_path, data)
    assert "1 ajouté," in result.output
    assert [url for url, _, _ in imported(db_path)] == ["https://example.org/f"]


# 2. xmlURL in every spelling.


@pytest.mark.parametrize("name", ["xmlUrl", "xmlURL", "xmlurl", "XMLURL"])
def test_xmlurl_is_read_whatever_its_case(name):
    data = opml(f'<outline TEXT="LiveJournal" {name}="https://example.org/{name}"/>')
    assert [(o.url, o.title) for o in read_opml(data)] == [
        (f"https://example.org/{name}", "LiveJournal")
    ]


# 3. Bare & in attributes: read leniently, with one warning line.

AMPERSANDS = opml(
    '<outline text="Solidarité & coopération" title="Solidarité & coopération">'
    '<outline type="rss" text="AT&T &amp; Cie" xmlUrl="https://example.org/feed?a=1&b=2"/>'
    '<outline type="rss" text="Caf&eacute; &#233;t&#xE9; &nbsp;ok &inconnu;"'
    ' xmlUrl="https://example.org/cafe"/>'
    "</outline>"
)


def test_bare_ampersands_are_read_leniently_and_said_once(runner, db_path, tmp_path):
    result = run_import(runner, tmp_path, AMPERSANDS)
    assert result.exit_code == 0, result.output
    warning = "attention : le fichier contenait des & non échappés : lu quand même"
    assert result.output.count(warning) == 1
    assert "2 ajoutés, 0 déjà suivi, 0 refusé" in result.output
    assert imported(db_path) == [
        ("https://example.org/feed?a=1&b=2", "AT&T & Cie", "Solidarité & coopération"),
        ("https://example.org/cafe", "Café été \xa0ok &inconnu;", "Solidarité & coopération"),
    ]


def test_a_well_formed_file_is_read_strictly_without_warning():
    assert not load_opml(
        opml('<outline text="A &amp; B" xmlUrl="https://example.org/a"/>')
    ).unescaped_ampersands


def test_a_broken_file_with_a_bare_ampersand_reports_the_first_error():
    with pytest.raises(OpmlError) as info:
        load_opml(b'<opml><body><outline text="A & B" xmlUrl="https://example.org/a"')
    assert info.value.code == "syntax"
    assert "line 1" in info.value.detail


# 4. Included lists and links are not feeds.


def test_source_link_and_include_outlines_are_not_imported(runner, db_path, tmp_path):
    data = opml(
        '<outline type="rss" text="Vrai flux" xmlUrl="https://example.org/feed"/>'
        '<outline type="include" text="Liste incluse" url="https://example.org/other.opml"/>'
        '<outline type="link" text="Lien" url="https://example.org/list.opml"/>'
        '<outline type="source" text="Abonnements de Zoé" xmlUrl="https://example.org/zoe.opml">'
        '<outline type="rss" text="copie" xmlUrl="https://example.org/copie"/></outline>'
    )
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert "1 ajouté, 0 déjà suivi, 0 refusé, 3 ignorés" in result.output
    assert "ignoré : https://example.org/other.opml : liste OPML incluse" in result.output
    assert "ignoré : https://example.org/zoe.opml : sous-liste" in result.output
    assert imported(db_path) == [("https://example.org/feed", "Vrai flux", "")]


# 5. OPML 2.0 category="/a/b" when there is no folder.


def test_category_path_gives_the_origin_when_there_is_no_folder():
    data = opml(
        '<outline type="rss" text="A" xmlUrl="https://example.org/a" category="/RESACOOP/Actualités"/>'
        '<outline type="rss" text="B" xmlUrl="https://example.org/b" category="climat,/Lyon"/>'
        '<outline type="rss" text="C" xmlUrl="https://example.org/c" category="climat"/>'
        '<outline text="Dossier"><outline type="rss" text="D" xmlUrl="https://example.org/d"'
        ' category="/Ailleurs"/></outline>'
    )
    assert [(o.title, o.category) for o in read_opml(data)] == [
        ("A", "RESACOOP \u203a Actualités"),
        ("B", "Lyon"),
        ("C", ""),  # a tag says what a feed is about, not where it comes from
        ("D", "Dossier"),  # the folder wins
    ]


# 6. Nested folders survive export and re-import.


def test_nested_folders_round_trip_through_export_and_import(runner, db_path, tmp_path):
    data = opml(
        '<outline text="RESACOOP"><outline text="Actualités">'
        '<outline type="rss" text="Brèves" xmlUrl="https://example.org/breves"/>'
        '</outline><outline type="rss" text="Agenda" xmlUrl="https://example.org/agenda"/></outline>'
    )
    assert run_import(runner, tmp_path, data).exit_code == 0
    first = imported(db_path)
    assert first == [
        ("https://example.org/breves", "Brèves", "RESACOOP \u203a Actualités"),
        ("https://example.org/agenda", "Agenda", "RESACOOP"),
    ]
    exported = runner.invoke(cli, ["feeds", "export"]).stdout_bytes
    assert b'<outline text="RESACOOP" title="RESACOOP">\n      <outline text="Actualit' in exported
    assert exported.count(b'text="RESACOOP"') == 1  # one folder, not one per feed
    assert [(o.url, o.folders) for o in read_opml(exported)] == [
        ("https://example.org/breves", ("RESACOOP", "Actualités")),
        ("https://example.org/agenda", ("RESACOOP",)),
    ]
    result = runner.invoke(cli, ["feeds", "import", "-", "--channel", "C2"], input=exported)
    assert result.exit_code == 0, result.output
    with connect(db_path) as db:
        again = [(f.url, f.title, f.origin) for f in list_feeds(db, "C2")]
    assert again == first


def test_export_of_an_absurdly_long_origin_path_stays_within_the_depth_limit(db_path):
    feed = make_feed(db_path, origin=" \u203a ".join(f"n{i}" for i in range(500)))
    outlines = read_opml(write_opml([feed]))
    assert len(outlines[0].folders) == MAX_DEPTH - 1
    assert outlines[0].category == feed.origin  # nothing lost: the rest is in the last folder


# 7. Big imports: --yes above 500, first polls spread over the interval.


def many(count: int) -> bytes:
    return opml(
        "".join(
            f'<outline type="rss" text="F{i}" xmlUrl="https://example.org/f{i}"/>'
            for i in range(count)
        )
    )


def test_an_import_of_more_than_500_feeds_asks_for_yes(runner, db_path, tmp_path):
    result = run_import(runner, tmp_path, many(501))
    assert result.exit_code == 1
    assert "le fichier liste 501 flux (plus de 500)" in result.output
    assert "relancez avec --yes" in result.output
    assert imported(db_path) == []
    assert run_import(runner, tmp_path, many(500)).exit_code == 0  # 500 is fine


def test_imported_feeds_first_polls_are_spread_over_the_interval(runner, db_path, tmp_path):
    started = time.monotonic()
    result = run_import(runner, tmp_path, many(600), "--yes")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert "600 ajoutés" in result.output
    assert elapsed < 60
    with connect(db_path) as db:
        feeds = list_feeds(db)
    due = sorted(datetime.fromisoformat(f.next_poll_at) for f in feeds)
    added = datetime.fromisoformat(feeds[0].added_at)
    assert due[0] == added  # the first is read at once
    assert due[-1] < added + POLL_INTERVAL
    assert due[-1] - due[0] > POLL_INTERVAL * 0.99
    # evenly: every minute of the interval gets its share (40 feeds), none gets them all
    per_minute = [sum(1 for d in due if (d - added).total_seconds() // 60 == m) for m in range(15)]
    assert per_minute == [40] * 15


# 8. Refused entries: one French line each, exit 1, the others added.


def test_refused_entries_give_one_line_each_and_exit_1(runner, db_path, tmp_path):
    data = opml(
        '<outline type="rss" text="Bon" xmlUrl="https://example.org/bon"/>'
        '<outline type="rss" text="Interne" xmlUrl="http://192.168.1.1/feed"/>'
        '<outline type="rss" text="JS" xmlUrl="javascript:alert(1)"/>'
    )
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "refusé :" in line]
    assert lines == [
        "  refusé : http://192.168.1.1/feed : adresse non autorisée (réseau privé ou local)",
        "  refusé : javascript:alert(1) : seules les adresses http(s) sont acceptées",
    ]
    assert imported(db_path) == [("https://example.org/bon", "Bon", "")]


def test_an_all_good_import_exits_0(runner, tmp_path):
    result = run_import(runner, tmp_path, many(3))
    assert result.exit_code == 0, result.output


# 9. Import fetches nothing, even with private addresses allowed.


def test_import_fetches_nothing_even_when_private_urls_are_allowed(
    runner, db_path, tmp_path, monkeypatch, feeds, audit
):
    monkeypatch.setenv("VEILLEUR_ALLOW_PRIVATE_URLS", "1")
    feeds.route("/feed", body=b"<rss/>")
    data = opml(
        f'<outline type="rss" text="Local" xmlUrl="{feeds.url("/feed")}"/>'
        '<outline type="rss" text="Nom" xmlUrl="https://example.org/named"/>'
    )
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert "2 ajoutés" in result.output
    assert feeds.hits.total() == 0
    assert [e for e in audit if e[0] != "open"] == []  # no DNS look-up, no connection


def test_first_polls_are_spread_over_the_configured_interval(
    runner, db_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("VEILLEUR_POLL_MINUTES", "60")
    result = run_import(runner, tmp_path, many(120))
    assert result.exit_code == 0, result.output
    with connect(db_path) as db:
        feeds = list_feeds(db)
    due = sorted(datetime.fromisoformat(f.next_poll_at) for f in feeds)
    added = datetime.fromisoformat(feeds[0].added_at)
    assert timedelta(minutes=59) < due[-1] - added < timedelta(minutes=60)
