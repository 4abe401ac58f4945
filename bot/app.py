"""Build the Bolt app: Web API client, shared context, once-only delivery, French errors.

Dependencies reach listeners through one global middleware that fills Bolt's context with
``config``, ``messenger``, ``clock``, ``runtime``, ``routers`` and ``home_parts``. Bolt passes any
context key to a listener that has a parameter of that name (``def handle(ack, config: Config,
messenger: Messenger)``), so tests can call listeners with their own.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

import handlers
from bot import features
from bot.core.config import Config
from bot.core.feature import Feature
from bot.core.i18n import t
from bot.core.installation import mark_revoked
from bot.core.reply import answer_privately
from bot.core.runtime import Clock, Runtime
from handlers.slack_messenger import SlackMessenger
from storage import deliveries
from storage.db import DatabaseBusy, connect

logger = logging.getLogger(__name__)

# Posting is not idempotent: after a dropped connection Slack may already have the message, so
# chat.postMessage is never re-sent blindly (the caller reconciles through message metadata).
NOT_RETRIED_BLINDLY = ("chat.postMessage",)
ACK_BUSY_TIMEOUT = 1.0


class _SafeRetry(RetryHandler):
    """Retry a wrapped handler's cases except for non-idempotent methods."""

    def __init__(self, inner: RetryHandler):
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.endswith(NOT_RETRIED_BLINDLY):
            return False
        return self.inner._can_retry(state=state, request=request, response=response, error=error)


def build_client(config: Config, timeout: int = 10) -> WebClient:
    """Return a WebClient on SLACK_API_URL that survives 429 (Retry-After) and network blips."""
    client = WebClient(token=config.bot_token or None, base_url=config.api_url, timeout=timeout)
    client.retry_handlers = [
        RateLimitErrorRetryHandler(max_retry_count=3),
        _SafeRetry(ConnectionErrorRetryHandler(max_retry_count=2)),
        _SafeRetry(ServerErrorRetryHandler(max_retry_count=2)),
    ]
    return client


def delivery_key(body: dict[str, Any], headers: dict[str, Any]) -> str | None:
    """Identify one Slack delivery: the event id, else the request signature (replays repeat it)."""
    if body.get("event_id"):
        return "event:" + str(body["event_id"])
    signature = headers.get("x-slack-signature")
    if isinstance(signature, list):
        signature = signature[0] if signature else None
    return "sig:" + hashlib.sha256(signature.encode()).hexdigest()[:32] if signature else None


def build_app(
    config: Config,
    *,
    client: WebClient | None = None,
    clock: Callable[[], datetime] | None = None,
    request_verification: bool = True,
    feature_list: tuple[Feature, ...] = features.FEATURES,
) -> tuple[App, Runtime]:
    """Create the Bolt app with every listener registered, and the runtime its jobs share."""
    features.install_catalogues(feature_list)
    routers = features.routers(feature_list)
    home_parts = features.home_parts(feature_list)
    client = client or build_client(config)
    clock = clock or Clock()
    messenger = SlackMessenger(
        client, on_auth_error=lambda code: mark_revoked(config.db_path, code, clock())
    )
    runtime = Runtime(config=config, messenger=messenger, clock=clock)
    app = App(
        client=client,
        signing_secret=config.signing_secret,
        token_verification_enabled=False,
        request_verification_enabled=request_verification,
        process_before_response=False,
    )

    @app.middleware
    def share_runtime(context: dict, next: Callable[[], BoltResponse]) -> BoltResponse:
        context["config"] = runtime.config
        context["messenger"] = runtime.messenger
        context["clock"] = runtime.clock
        context["runtime"] = runtime
        context["routers"] = routers
        context["home_parts"] = home_parts
        return next()

    @app.middleware
    def once_per_delivery(
        req: BoltRequest, context: dict, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """Process each delivery once: Bolt alone runs a retried event (X-Slack-Retry-Num) again."""
        key = delivery_key(req.body, req.headers)
        if key is None:
            return next()
        try:
            # a short busy timeout: this runs before the ack, which Slack wants within 3 s (S10)
            with connect(config.db_path, busy_timeout=ACK_BUSY_TIMEOUT) as db:
                first = deliveries.claim_delivery(db, key, runtime.now())
        except (DatabaseBusy, sqlite3.Error) as error:
            # better a rare duplicate than a lost click while the database is busy or read-only
            logger.error("could not record delivery %s: %s", key, error)
            first = True
        if not first:
            logger.info("duplicate delivery %s acknowledged and skipped", key)
            return BoltResponse(status=200, body="")
        context["delivery_key"] = key
        return next()

    @app.error
    def apologise(error: Exception, body: dict, context: dict, logger: logging.Logger) -> None:
        """Log the traceback; tell the user in their language, never with a stack trace."""
        key = context.get("delivery_key")
        if key:  # forget the delivery so that Slack's retry gets processed (S2)
            try:
                with connect(config.db_path) as db:
                    deliveries.forget_delivery(db, key)
            except sqlite3.Error as db_error:
                logger.error("could not forget delivery %s: %s", key, db_error)
        busy = isinstance(error, DatabaseBusy) or "database is locked" in str(error)
        if busy:
            logger.warning("database busy: %s", error)
        else:
            logger.exception("listener failed: %s", error)
        tell_user(body, runtime, t("error.busy" if busy else "error.apology", config.lang))

    handlers.register(app, routers)
    return app, runtime


def tell_user(body: dict, runtime: Runtime, text: str) -> None:
    """Send an ephemeral message to whoever caused ``body``, wherever Slack lets us."""
    event = body.get("event") or {}
    user = body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user")
    channel = (
        body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or event.get("channel")
        or (event.get("item") or {}).get("channel")
    )
    if not body.get("response_url"):
        answer_privately(runtime.messenger, channel, user or "", text)
        return
    try:
        _respond(body["response_url"], text)
    except Exception:
        logger.exception("could not tell the user about the failure")


def _respond(response_url: str, text: str) -> None:
    from slack_sdk.webhook import WebhookClient

    WebhookClient(response_url, timeout=5).send(
        text=text, response_type="ephemeral", replace_original=False
    )
