"""Learn the name of whoever acts (claim, note, decision…), after they have been answered."""

from __future__ import annotations

from typing import Any

from bot.core.people import learn_name_in


def learn_actor(context: dict[str, Any], user_id: str | None) -> None:
    """Store the acting person's Slack name if it is missing or a day old; never raises.

    Called from work that already runs in the background, so the ack never waits; Slack is
    asked at most once a day per person (and before the action, so the name is there for the
    minutes or export that follow, and no call outlives the request that caused it).
    """
    config, messenger, clock = context.get("config"), context.get("messenger"), context.get("clock")
    if not (user_id and config and messenger and clock):
        return
    learn_name_in(config.db_path, messenger, user_id, clock())
