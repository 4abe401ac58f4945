"""The who-sees-what rule on its own: cache lifetime, unknown channels, Slack failures (issue 11)."""

from __future__ import annotations

from bot.core.messenger import MessengerError
from bot.core.visibility import TTL, Visibility
from tests.fakes import RecordingMessenger


class Counting(RecordingMessenger):
    asked: int = 0
    fail_with: str | None = None

    def channel_members(self, channel):
        self.asked += 1
        if self.fail_with:
            raise MessengerError(self.fail_with)
        return super().channel_members(channel)


def test_membership_is_cached_at_most_five_minutes():
    slack, now = Counting(private={"G1": {"U1"}}), [0.0]
    rule = Visibility(slack, clock=lambda: now[0])
    assert rule.can_see("U1", "G1")
    assert rule.can_see("U1", "G1")
    assert slack.asked == 1
    slack.private["G1"] = {"U2"}
    now[0] = TTL + 1
    assert not rule.can_see("U1", "G1")
    assert slack.asked == 2
    assert TTL <= 300


def test_unknown_or_unfound_channels_are_private():
    class Vague(RecordingMessenger):
        def conversation_info(self, channel):
            if channel == "GGONE":
                raise MessengerError("channel_not_found")
            return {}

    rule = Visibility(Vague())
    assert not rule.can_see("U1", "CWHAT")
    assert not rule.can_see("U1", "GGONE")
    assert rule.can_see("U1", "")  # typed at the command line: no channel to hide it in


def test_an_outage_hides_private_content_only():
    slack = Counting(private={"G1": {"U1"}})
    slack.fail_with = "ratelimited"
    sight = Visibility(slack).visible_channels("U1", ["G1", "C1"])
    assert sight.channels == frozenset({"C1"})
    assert sight.unsure
