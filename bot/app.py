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
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.middleware.request_verification import RequestVerification
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
from slack_sdk.signature import SignatureVerifier

import handlers
from bot import features
from bot.core.config import Config
from bot.core.feature import Feature
from bot.core.i18n import t
from bot.core.installation import mark_revoked
from bot.core.reply import UserError, answer_privately
from bot.core.runtime import Clock, Runtime
from handlers.acks import Background, GuardedListener, Overloaded
from handlers.slack_messenger import SlackMessenger
from storage import deliveries
from storage.db import DatabaseBusy, connect

logger = logging.getLogger(__name__)

# Posting is not idempotent: after a dropped connection Slack may already have the message, so
# chat.postMessage is never re-sent blindly (the caller reconciles through message metadata).
NOT_RETRIED_BLINDLY = ("chat.postMessage",)
ACK_BUSY_TIMEOUT = 1.0
# Threads that run listeners up to their ack (slow work goes to Background, see handlers.acks).
ACK_THREADS = 16
UNAVAILABLE_SIGNS = ("disk i/o error", "database or disk is full", "readonly database")
OUTAGE_LOG_EVERY = 60.0
OUTAGE_ALERT_EVERY = 600.0  # a flapping disk alerts at most this often


def is_unavailable(error: BaseException) -> bool:
    """Tell whether ``error`` says the database cannot be written (full disk, read-only file)."""
    return isinstance(error, sqlite3.OperationalError) and any(
        sign in str(error).lower() for sign in UNAVAILABLE_SIGNS
    )


class Outage:
    """One database outage at a time: an ERROR line per minute at most, one alert per incident.

    An incident starts at the first failed write and ends when a write succeeds again (the
    delivery record every request makes).
    """

    def __init__(self, alert: Callable[[str], None], clock: Callable[[], float] = time.monotonic):
        self._alert = alert
        self._clock = clock
        self._lock = threading.Lock()
        self._ongoing = False
        self._logged_at: float | None = None
        self._alerted_at: float | None = None

    def failed(self, error: BaseException) -> None:
        """Count a failed write: log it (rate-limited) and alert the admins once per incident."""
        with self._lock:
            now = self._clock()
            log = self._logged_at is None or now - self._logged_at >= OUTAGE_LOG_EVERY
            if log:
                self._logged_at = now
            first = not self._ongoing and (
                self._alerted_at is None or now - self._alerted_at >= OUTAGE_ALERT_EVERY
            )
            self._ongoing = True
            if first:
                self._alerted_at = now
        if log:
            logger.error(
                "ALERT: the database cannot be written (%s): Veilleur is unavailable", error
            )
        if first:
            self._alert(str(error))

    def recovered(self) -> None:
        """End the incident, if any, because a write just succeeded."""
        with self._lock:
            ended, self._ongoing = self._ongoing, False
        if ended:
            logger.warning("the database can be written again: Veilleur is available")


class GuardedApp(App):
    """A Bolt app whose every listener is guarded (see handlers.acks), tests' ones included."""

    def __init__(self, *, background: Background, **kwargs: Any):
        self.background = background
        super().__init__(**kwargs)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Answer app_rate_limited and refuse malformed bodies before Bolt's middleware reads them."""
        body = req.body if isinstance(req.body, dict) else {}
        problem = malformed(body)
        if problem is None and body.get("type") != "app_rate_limited":
            return super().dispatch(req)
        if self._verifies and not self._signed(req):
            return BoltResponse(status=401, body="")
        if problem is None:
            logger.warning(
                "Slack dropped events for a minute: app_rate_limited (minute %s)",
                body.get("minute_rate_limited"),
            )
            return BoltResponse(status=200, body="")
        logger.warning("malformed %s body refused: %s", body.get("type"), problem)
        # an event is answered 200 so that Slack does not retry what we will never read
        return BoltResponse(status=200 if body.get("type") == "event_callback" else 400, body="")

    def _signed(self, req: BoltRequest) -> bool:
        """Check Slack's signature as Bolt's RequestVerification middleware does."""
        timestamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        try:
            verifier = SignatureVerifier(self._signing_secret)
            return verifier.is_valid(req.raw_body, timestamp, signature)
        except (TypeError, ValueError):
            return False

    @property
    def _verifies(self) -> bool:
        return any(isinstance(m, RequestVerification) for m in self._middleware_list)

    def _register_listener(self, *args: Any, **kwargs: Any) -> Any:
        returned = super()._register_listener(*args, **kwargs)
        listener = self._listeners[-1]
        self._listeners[-1] = GuardedListener.of(listener, self.background, self._base_logger)
        return returned


def malformed(body: dict[str, Any]) -> str | None:
    """Say what is wrong with a body Bolt received, if its shape is one Slack never sends."""
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "event is not an object with a type"
        if event["type"] == "message" and "text" in event and not isinstance(event["text"], str):
            return "message text is not a string"
    elif kind == "block_actions":
        actions = body.get("actions")
        if not (actions and isinstance(actions, list) and isinstance(actions[0], dict)):
            return "interactivity without actions"
    elif kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("type"), str):
            return "view is not an object with a type"
        if not isinstance(view.get("private_metadata", ""), str):
            return "private_metadata is not a string"
    return None


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
    outage = Outage(lambda reason: alert_admins(runtime, reason))

    def forget(key: str) -> None:
        try:
            with connect(config.db_path) as db:
                deliveries.forget_delivery(db, key)
        except sqlite3.Error as db_error:
            if is_unavailable(db_error):
                outage.failed(db_error)
            else:
                logger.error("could not forget delivery %s: %s", key, db_error)

    def report(error: Exception, body: dict, context: dict) -> None:
        """Log the failure; tell the user in their language, never with a stack trace."""
        key = context.get("delivery_key")
        if key:  # forget the delivery so that Slack's retry gets processed (S2)
            forget(key)
        if is_unavailable(error):
            outage.failed(error)
            key = "error.unavailable"
        elif isinstance(error, DatabaseBusy) or "database is locked" in str(error):
            logger.warning("database busy: %s", error)
            key = "error.busy"
        elif isinstance(error, Overloaded):
            key = "error.overloaded"
        elif isinstance(error, UserError):  # a friendly sentence a listener did not catch
            tell_user(body, runtime, str(error))
            return
        else:
            logger.error("listener failed: %s", error, exc_info=error)
            key = "error.apology"
        tell_user(body, runtime, t(key, config.lang))

    background = Background(report)
    app = GuardedApp(
        background=background,
        client=client,
        signing_secret=config.signing_secret,
        token_verification_enabled=False,
        request_verification_enabled=request_verification,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=ACK_THREADS, thread_name_prefix="ack"),
    )

    @app.middleware
    def share_runtime(context: dict, next: Callable[[], BoltResponse]) -> BoltResponse:
        context["config"] = runtime.config
        context["messenger"] = runtime.messenger
        context["clock"] = runtime.clock
        context["runtime"] = runtime
        context["routers"] = routers
        context["home_parts"] = home_parts
        context["background"] = background
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
            outage.recovered()
        except (DatabaseBusy, sqlite3.Error) as error:
            # better a rare duplicate than a lost click while the database is busy or read-only
            if is_unavailable(error):
                outage.failed(error)
            else:
                logger.error("could not record delivery %s: %s", key, error)
            first = True
        if not first:
            logger.info("duplicate delivery %s acknowledged and skipped", key)
            return BoltResponse(status=200, body="")
        context["delivery_key"] = key
        return next()

    @app.error
    def apologise(error: Exception, body: dict, context: dict) -> None:
        """Report what escaped the listener guard (a middleware or matcher failure)."""
        report(error, body, context)

    handlers.register(app, routers)
    return app, runtime


def alert_admins(runtime: Runtime, reason: str) -> None:
    """Tell each VEILLEUR_ADMINS member by DM that the database cannot be written."""
    for admin in sorted(runtime.config.admins):
        try:
            runtime.messenger.direct_message(
                admin, t("error.outage_alert", runtime.config.lang, reason=reason)
            )
        except Exception as error:
            logger.warning("could not alert admin %s: %s", admin, error)


def _object(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def tell_user(body: dict, runtime: Runtime, text: str) -> None:
    """Send an ephemeral message to whoever caused ``body``, wherever Slack lets us."""
    event = _object(body.get("event"))
    user = body.get("user_id") or _object(body.get("user")).get("id") or event.get("user")
    channel = (
        body.get("channel_id")
        or _object(body.get("channel")).get("id")
        or event.get("channel")
        or _object(event.get("item")).get("channel")
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
