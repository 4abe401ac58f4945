"""Names instead of Slack IDs wherever text leaves Slack (minutes, newsletter, exports, CLI).

Inside Slack a mention stays ``<@U…>`` (Slack shows the name, and keeps it current); outside, the
reader has no Slack to ask, so the ID is replaced by the name stored in the ``people`` table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def display_name(names: Mapping[str, str], user_id: str | None) -> str:
    """Return ``user_id``'s name, or the ID when the name is unknown ("" for nobody)."""
    if not user_id:
        return ""
    return names.get(user_id) or user_id


def mentions_to_names(text: str, names: Mapping[str, str]) -> str:
    """Replace every ``<@U…>`` mention in ``text`` by ``@Name`` (``@U…`` when unknown)."""
    return MENTION.sub(lambda match: "@" + display_name(names, match.group(1)), text)
