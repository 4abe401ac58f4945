"""The local shell: a terminal chat that goes through the same Bolt app and handlers.

What you type becomes the payload Slack would send (a slash command, a reaction on an item's
message, a reply in its thread, a button click), signed and delivered to the app by ``deliver``.
The Web API calls the bot makes are answered by :mod:`bot.local.localslack` and printed here.
Slack-free on purpose: ``bot/__main__.py`` wires in the Bolt app.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO
from urllib.parse import urlencode

from bot.core.dates import format_datetime
from bot.core.i18n import t
from bot.core.mrkdwn import plain
from bot.core.names import mentions_to_names
from bot.core.runtime import Clock
from bot.items.states import BUTTONS
from bot.local.localslack import TEAM_ID, Call, LocalSlack
from storage.db import connect
from storage.items import get_item
from storage.people import known_names

USER_ID = "UVOUS"
CHANNEL_ID = "CVEILLE"
CHANNEL_NAME = "veille"
# Returns the HTTP status, or (status, body) when the body matters (a form's field errors).
Deliver = Callable[[str, str], "int | tuple[int, str]"]
MAX_FORM_ROUNDS = 3  # a form with errors is asked again at most this many times
DURATION = re.compile(r"^(\d+)\s*(j|d|h|min|m)$")
# `!prendre 12`, `!fait 12`…: the words of each item button (bot.items.states.BUTTONS)
BUTTON_WORDS = {word: button.action_id for button in BUTTONS for word in button.shell_words}


def parse_duration(text: str) -> timedelta | None:
    """Parse ``2j``, ``3h``, ``30min`` (or ``2d``) into a timedelta."""
    match = DURATION.match(text.strip().lower())
    if not match:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    return {
        "j": timedelta(days=amount),
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
    }.get(unit, timedelta(minutes=amount))


def render_blocks(blocks: list[dict]) -> str:
    """Turn Block Kit into readable terminal lines."""
    lines: list[str] = []
    for block in blocks or []:
        kind = block.get("type")
        if kind in ("section", "header") and block.get("text"):
            lines.append(block["text"].get("text", ""))
        for field in block.get("fields") or []:
            lines.append(field.get("text", ""))
        if kind == "context":
            lines.append(
                "  "
                + "  ".join(e.get("text", "") for e in block.get("elements", []) if "text" in e)
            )
        if kind == "actions":
            labels = [_control_label(e) for e in block.get("elements", [])]
            lines.append("  " + " ".join(f"[{label}]" for label in labels))
        if kind == "divider":
            lines.append("  ────")
    return "\n".join(lines)


def _control_label(element: dict) -> str:
    """Return a button's label, or a menu's placeholder and choices (« Déplacer : A | B »)."""
    if element.get("type") == "button":
        return (element.get("text") or {}).get("text", "")
    placeholder = (element.get("placeholder") or {}).get("text", "")
    options = [(o.get("text") or {}).get("text", "") for o in element.get("options") or []]
    return f"{placeholder} : {' | '.join(options)}" if options else placeholder


_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]*)>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")


def readable(text: str, names: Mapping[str, str] | None = None) -> str:
    """Show Slack markup as a person reads it: @names, #channels, "label (url)", & not &amp;."""
    known = {USER_ID: "vous", **(names or {})}
    text = mentions_to_names(text, known)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or _channel_name(m.group(1))), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return plain(text)


def _channel_name(channel_id: str) -> str:
    return CHANNEL_NAME if channel_id == CHANNEL_ID else channel_id


def describe_call(
    call: Call, names: Mapping[str, str] | None = None, lang: str = "fr"
) -> str | None:
    """Say in one readable paragraph what the bot did in Slack, or None for plumbing calls."""
    p = call.params
    body = readable(render_blocks(p.get("blocks") or []) or p.get("text", ""), names)
    if call.method == "chat.postMessage":
        channel = str(p.get("channel", ""))
        where = "#" + _channel_name(channel) if channel.startswith(("C", "G")) else channel
        if channel.startswith(("U", "D")):  # a direct message
            where = t("shell.frame.dm", lang, who=readable(f"<@{channel}>", names))
        thread = t("shell.frame.thread", lang) if p.get("thread_ts") else ""
        return t("shell.frame.post", lang, where=where + thread, body=body)
    if call.method == "chat.update":
        return t("shell.frame.update", lang, body=body)
    if call.method in ("chat.postEphemeral", "response_url"):
        public = p.get("response_type") == "in_channel"
        return t("shell.frame.public" if public else "shell.frame.private", lang, body=body)
    if call.method == "views.publish":
        home = readable(render_blocks((p.get("view") or {}).get("blocks", [])), names)
        return t("shell.frame.home", lang, body=home)
    return None


@dataclass
class Shell:
    """Read lines, turn them into Slack payloads, print what the bot answers."""

    deliver: Deliver
    stand_in: LocalSlack
    clock: Clock
    db_path: str
    lang: str = "fr"
    tz: str = "Europe/Paris"
    run_jobs: Callable[[], None] = lambda: None
    jobs_at_start: bool = False
    commands: tuple[str, ...] = ("/veille", "/session", "/decision")  # what the app answers
    out: TextIO = sys.stdout
    admins: tuple[str, ...] = ()  # VEILLEUR_ADMINS: who `:admin` plays
    user: str = USER_ID  # who is typing: `:moi U2` plays someone else
    lines: TextIO = sys.stdin
    pending_form: dict | None = None  # the form the bot just opened, to fill in field by field
    interactive: bool = False

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show_call(self, call: Call) -> None:
        if call.method == "views.open":  # filled in after this line's answers are printed
            self.pending_form = call.params.get("view") or {}
            return
        text = describe_call(call, self.names(), self.lang)
        if text:
            self.say(text)

    def names(self) -> dict[str, str]:
        """Return the names Slack gave people, so messages show @Name rather than <@U…>."""
        with connect(self.db_path) as db:
            return {
                **known_names(db),
                USER_ID: t("shell.you", self.lang),
            }  # "vous", as the shell speaks

    def run(self, lines: TextIO = sys.stdin, prompt: bool = True) -> None:
        self.lines, self.interactive = lines, prompt
        self.say(t("shell.welcome", self.lang))
        if self.jobs_at_start:  # post the demo's news now rather than at the first poll
            before = len(self.stand_in.calls)
            self.run_jobs()
            self.wait_for_output(before)
        while True:
            if prompt:
                print("> ", end="", file=self.out, flush=True)
            line = lines.readline()
            if not line:
                break
            if not self.handle(line.strip()):
                break
        self.say(t("shell.bye", self.lang))

    def handle(self, line: str) -> bool:
        """Handle one line; return False to quit."""
        if not line:
            return True
        if line in (":quitter", ":quit", ":q", "exit", "quit"):
            return False
        before = len(self.stand_in.calls)
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            if command.lower() not in self.commands:  # Slack itself would refuse it
                known = ", ".join(f"`{name}`" for name in self.commands)
                self.say(t("shell.unknown_command", self.lang, command=command, known=known))
                return True
            self.send_command(command.lower(), text)
        elif line[0] in "+-" and line[1:2] == ":":
            self.react(line)
        elif line.startswith(">"):
            self.reply_in_thread(line[1:])
        elif line.startswith("!"):
            self.click(line[1:])
        elif line.split()[0] in (":avancer", ":advance"):
            self.advance(line.split(maxsplit=1)[1] if " " in line else "")
        elif line in (":rappel", ":reminder"):
            self.advance_to_next_reminder()
        elif line in (":aide", ":help"):
            self.say(t("shell.welcome", self.lang))
        elif line.split()[0] in (":moi", ":me"):
            self.play(line.split()[1] if len(line.split()) > 1 else "")
        elif line == ":admin":
            self.play_admin()
        elif line in (":accueil", ":home"):
            self.open_home()
        else:
            self.say(t("shell.unknown", self.lang))
        self.wait_for_output(before)
        if self.pending_form is not None:
            self.fill_form(self.pending_form)
        return True

    def play(self, who: str) -> None:
        """Type as someone else from now on (``:moi U2``; ``:moi`` alone: back to yourself)."""
        who = who.strip().lstrip("@").upper() or USER_ID
        if not re.match(r"^[UW][A-Z0-9]+$", who):
            self.say(t("shell.bad_user", self.lang, who=who))
            return
        self.user = who
        name = readable(f"<@{who}>", self.names())
        self.say(t("shell.playing", self.lang, who=name))

    def play_admin(self) -> None:
        """Type as the first of VEILLEUR_ADMINS (everyone is an admin while it is empty)."""
        if not self.admins:
            self.say(t("shell.everyone_admin", self.lang))
            return
        self.play(self.admins[0])

    def open_home(self) -> None:
        """Open the App Home tab, as a click on Veilleur in Slack's sidebar does."""
        event = {"type": "app_home_opened", "user": self.user, "channel": "DVEILLEUR",
                 "tab": "home", "event_ts": f"{time.time():.6f}"}  # fmt: skip
        self.send_event(event)

    def fill_form(self, view: dict) -> None:
        """Ask each field of the form the bot opened, submit it, ask again what Slack refused."""
        self.pending_form = None
        title = ((view.get("title") or {}).get("text")) or ""
        self.say(t("shell.form.open", self.lang, title=title))
        fields = [b for b in view.get("blocks", []) if b.get("type") == "input"]
        answers: dict[str, str] = {}
        todo = fields
        for _round in range(MAX_FORM_ROUNDS):
            for block in todo:
                answers[block["block_id"]] = self.ask_field(block)
            errors = self.submit_form(view, fields, answers)
            if not errors:
                return
            for error in errors.values():
                self.say(t("shell.form.error", self.lang, error=readable(error)))
            todo = [b for b in fields if b["block_id"] in errors]
        self.say(t("shell.form.given_up", self.lang))

    def ask_field(self, block: dict) -> str:
        """Print one field's label (and hint, default) and read the answer from the input."""
        label = (block.get("label") or {}).get("text", block.get("block_id", ""))
        element = block.get("element") or {}
        extras = [(block.get("hint") or {}).get("text", "")]
        extras.append(t("shell.form.optional", self.lang) if block.get("optional") else "")
        kind = element.get("type")
        extras.append(
            t(f"shell.form.{kind}", self.lang) if kind in ("users_select", "datepicker") else ""
        )
        initial = element.get("initial_value", "")
        extras.append(t("shell.form.default", self.lang, value=initial) if initial else "")
        details = " · ".join(part for part in extras if part)
        colon = ": " if self.lang == "en" else " : "
        question = f"  {label}" + (f" ({details})" if details else "") + colon
        print(question, end="", file=self.out, flush=True)
        answer = self.lines.readline().strip()
        if not self.interactive:  # a terminal echoes the Enter key already
            print(file=self.out, flush=True)
        return answer or initial

    def submit_form(
        self, view: dict, fields: list[dict], answers: dict[str, str]
    ) -> dict[str, str]:
        """Send the form as Slack's view_submission; return the field errors the bot gave."""
        values = {}
        for block in fields:
            kind = (block.get("element") or {}).get("type", "plain_text_input")
            value = answers.get(block["block_id"], "")
            key = {"users_select": "selected_user", "datepicker": "selected_date"}.get(
                kind, "value"
            )
            if kind == "users_select":
                value = value.lstrip("@").upper() or None
            values[block["block_id"]] = {"value": {"type": kind, key: value or None}}
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID},
            "user": {"id": self.user, "name": self.user.lower()},
            "api_app_id": "AVEILLEUR",
            "trigger_id": f"shell.{time.time()}",
            "view": {**view, "id": f"V{time.time_ns()}", "state": {"values": values}},
        }
        before = len(self.stand_in.calls)
        answer = self.deliver(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
        body = answer[1] if isinstance(answer, tuple) else ""
        try:
            errors = (json.loads(body) if body else {}).get("errors") or {}
        except (ValueError, AttributeError):
            errors = {}
        if not errors:
            self.wait_for_output(before)
        return errors

    def wait_for_output(self, before: int, quiet: float = 0.3, limit: float = 8.0) -> None:
        """Give the bot's background listeners time to answer before the next prompt."""
        deadline, last_count, last_change = time.monotonic() + limit, before, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.stand_in.calls)
            if count != last_count:
                last_count, last_change = count, time.monotonic()
            elif (count > before and time.monotonic() - last_change > quiet) or (
                count == before and time.monotonic() - last_change > 1.5
            ):
                return
            time.sleep(0.02)

    def send_command(self, command: str, text: str) -> None:
        form = {
            "token": "shell",
            "team_id": TEAM_ID,
            "channel_id": CHANNEL_ID,
            "channel_name": CHANNEL_NAME,
            "user_id": self.user,
            "user_name": self.user.lower(),
            "command": command,
            "text": text,
            "response_url": self.stand_in.response_url,
            "trigger_id": f"shell.{time.time()}",
        }
        self.deliver(urlencode(form), "application/x-www-form-urlencoded")

    def item_message(self, number: str) -> tuple[str, str] | None:
        if not number.isdigit():
            return None
        with connect(self.db_path) as db:
            item = get_item(db, int(number))
        return (item.channel_id, item.message_ts) if item and item.message_ts else None

    def react(self, line: str) -> None:
        match = re.match(r"^([+-]):([a-z0-9_+-]+):?\s+(\d+)$", line)
        target = self.item_message(match.group(3)) if match else None
        if not match or not target:
            self.say(t("shell.no_item", self.lang, item=match.group(3) if match else line))
            return
        kind = "reaction_added" if match.group(1) == "+" else "reaction_removed"
        event = {
            "type": kind,
            "user": self.user,
            "reaction": match.group(2),
            "item_user": "UVEILLEUR",
            "item": {"type": "message", "channel": target[0], "ts": target[1]},
            "event_ts": f"{time.time():.6f}",
        }
        self.send_event(event)

    def reply_in_thread(self, rest: str) -> None:
        number, _, text = rest.strip().partition(" ")
        target = self.item_message(number)
        if not target:
            self.say(t("shell.no_item", self.lang, item=number))
            return
        event = {
            "type": "message",
            "user": self.user,
            "text": text,
            "channel": target[0],
            "ts": f"{time.time():.6f}",
            "thread_ts": target[1],
            "channel_type": "channel",
        }
        self.send_event(event)

    def click(self, rest: str) -> None:
        word, _, number = rest.strip().partition(" ")
        target = self.item_message(number.strip())
        if word not in BUTTON_WORDS or not target:
            self.say(t("shell.no_item", self.lang, item=number or rest))
            return
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "user": {"id": self.user, "name": self.user.lower()},
            "channel": {"id": target[0]},
            "message": {"ts": target[1]},
            "container": {"type": "message", "message_ts": target[1], "channel_id": target[0]},
            "trigger_id": f"shell.{time.time()}",
            "response_url": self.stand_in.response_url,
            "api_app_id": "AVEILLEUR",
            "actions": [
                {
                    "action_id": BUTTON_WORDS[word],
                    "block_id": "item_actions",
                    "type": "button",
                    "value": number.strip(),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        self.deliver(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def send_event(self, event: dict) -> None:
        body = {
            "token": "shell",
            "team_id": TEAM_ID,
            "api_app_id": "AVEILLEUR",
            "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UVEILLEUR", "is_bot": True}],
        }
        self.deliver(json.dumps(body), "application/json")

    def advance_to_next_reminder(self) -> None:
        """Move the clock to the next session reminder and let the jobs send it."""
        from bot.meetings.delivery import next_due_at

        due = next_due_at(self.db_path, self.clock(), self.tz)
        if due is None:
            self.say(t("meetings.shell.no_reminder", self.lang))
            return
        now = self.clock.advance(due - self.clock() + timedelta(seconds=1))
        self.say(t("shell.clock", self.lang, when=format_datetime(now, self.lang, self.tz)))
        self.run_jobs()

    def advance(self, text: str) -> None:
        delta = parse_duration(text)
        if delta is None:
            self.say(t("shell.unknown", self.lang))
            return
        now = self.clock.advance(delta)
        self.say(t("shell.clock", self.lang, when=format_datetime(now, self.lang, self.tz)))
        self.run_jobs()
