"""Sign requests exactly as Slack does (v0 HMAC-SHA256), for the shell and the tests."""

from __future__ import annotations

import hashlib
import hmac
import time


def slack_signature(secret: str, timestamp: str, body: str) -> str:
    """Return ``v0=<hex>`` over ``v0:{timestamp}:{body}``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    """Return the headers Slack would send with ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": slack_signature(secret, stamp, body),
    }
