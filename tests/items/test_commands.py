"""`/veille` item subcommands, called as the router calls them (ctx, args) -> Reply."""

from __future__ import annotations

import json

import pytest

from bot.core.reply import UserError
from bot.digest.commands import newsletter_command  # `/veille lettre` lives with the newsletter
from bot.items.commands import (
    claim_command,
    dismiss_command,
    done_command,
    list_command,
    note_command,
    release_command,
    reopen_command,
    search_command,
    show_command,
)
from storage import claims, notes
from tests.fakes import RecordingMessenger
from tests.items.fakes import command_context


@pytest.fixture
def messenger():
    return RecordingMessenger()


@pytest.fixture
def ctx(db_path, messenger):
    return lambda user="UALICE", **kw: command_context(db_path, messenger, user, **kw)


def test_claim_command_updates_the_item_message_with_the_owner(ctx, make_item, db, messenger):
    item_id = make_item(message_ts="1799990000.000777")
    reply = claim_command(ctx(), f"#{item_id}")
    assert reply.text.startswith(f"Vous avez pris l'article {item_id}")
    assert not reply.public
    [(_, channel, ts, text, blocks)] = messenger.updates()
    assert (channel, ts) == ("CVEILLE", "1799990000.000777")
    assert "👀 Pris par <@UALICE>" in json.dumps(blocks, ensure_ascii=False)
    assert "👀 Pris par <@UALICE>" in text


def test_claim_command_when_taken_is_a_user_error_naming_the_owner(ctx, make_item, messenger):
    item_id = make_item()
    claim_command(ctx("UALICE"), str(item_id))
    with pytest.raises(UserError, match=r"déjà pris par <@UALICE>"):
        claim_command(ctx("UBOB"), str(item_id))
    assert len(messenger.updates()) == 1


@pytest.mark.parametrize("args", ["", "abc", "-3"])
def test_missing_number_explains_usage(ctx, args):
    with pytest.raises(
        UserError, match="Indiquez le numéro de l'article : `/veille prendre &lt;n&gt;`"
    ):
        claim_command(ctx(), args)


def test_release_of_someone_elses_item_needs_a_listed_admin(ctx, make_item, db):
    item_id = make_item()
    claim_command(ctx("UALICE"), str(item_id))
    with pytest.raises(UserError, match="seul·e <@UALICE> ou un·e admin"):
        release_command(ctx("UBOB"), str(item_id))
    admin = ctx("UADMIN", admins=("UADMIN",))
    assert "lâché" in release_command(admin, str(item_id)).text
    assert claims.get_item(db, item_id).status == "open"


def test_done_dismiss_reopen_and_newsletter_commands(ctx, make_item, db, messenger):
    first, second = make_item(), make_item()
    done_command(ctx(), str(first))
    dismiss_command(ctx(), str(second))
    newsletter_command(ctx("UBOB"), str(first))
    reopen_command(ctx(), str(second))
    assert claims.get_item(db, first).status == "done"
    assert claims.get_item(db, first).newsletter
    assert claims.get_item(db, second).status == "open"
    assert len(messenger.updates()) == 4


def test_note_command_stores_then_updates_count(ctx, make_item, db, messenger):
    item_id = make_item()
    reply = note_command(ctx("UBOB"), f"{item_id} À relayer aux adhérents")
    assert reply.text == f"Note ajoutée à l'article {item_id}."
    assert [n.text for n in notes.list_notes(db, item_id)] == ["À relayer aux adhérents"]
    assert "Libre · 1 note" in messenger.updates()[-1][3]  # issue 12: never « note(s) »


def test_note_is_kept_when_slack_update_fails(db_path, make_item, db):
    failing = RecordingMessenger(fail_update=RuntimeError("http_500"))
    item_id = make_item()
    reply = note_command(command_context(db_path, failing, "UBOB"), f"{item_id} garde-moi")
    assert "Note ajoutée" in reply.text
    assert notes.count_notes(db, item_id) == 1


def test_show_command_renders_detail(ctx, make_item):
    item_id = make_item("Rencontre régionale")
    note_command(ctx("UBOB"), f"{item_id} salle 3")
    reply = show_command(ctx(), f"{item_id}")
    assert "salle 3" in json.dumps(reply.blocks, ensure_ascii=False)
    with pytest.raises(UserError, match="Je ne trouve pas l'article 404"):
        show_command(ctx(), "404")


@pytest.mark.parametrize(("args", "title"), [("", "Articles libres"), ("MIENNES", "Mes articles"),
                                             ("Toutes 2", "Tous les articles"), ("lettre", "Articles pour la lettre"),
                                             ("all", "Tous les articles")])  # fmt: skip
def test_list_command_kinds_are_accent_and_case_insensitive(ctx, make_item, args, title):
    for _ in range(12):
        make_item()
    reply = list_command(ctx(), args)
    assert reply.text.startswith(title)


def test_list_command_unknown_kind(ctx):
    with pytest.raises(UserError, match="Liste inconnue « rouges »"):
        list_command(ctx(), "rouges")


def test_search_command_pages_and_reports_none(ctx, make_item):
    for n in range(12):
        make_item(f"Coopération {n}")
    first = search_command(ctx(), "cooperation")
    assert first.text.startswith("Résultats pour « cooperation » (1 à 10 sur 12)")
    second = search_command(ctx(), "cooperation page 2")
    assert "(11 à 12 sur 12)" in second.text
    assert search_command(ctx(), "<zzz>").text == "Aucun article ne correspond à « &lt;zzz&gt; »."
    with pytest.raises(UserError, match="Que cherchez-vous"):
        search_command(ctx(), "  ")
