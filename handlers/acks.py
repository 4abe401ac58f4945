"""Keep Slack's 3-second acknowledgement whatever a listener does.

Two rules hold for every listener, registered by us or by a test:

- a listener never raises into Bolt: Bolt's thread runner turns an exception raised after
  ``ack()`` into "no ack" (Slack then gets HTTP 404 after 3 s and shows its own failure notice), so
  :class:`GuardedListener` catches it, keeps (or gives) the ack and hands the error to the
  composition root, which tells the person;
- slow work never holds the threads that acknowledge: events and button clicks are acknowledged
  at once and run on :class:`Background`, a bounded executor; slash commands and modals submit
  their slow part to it themselves (it is in the context as ``background``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.listener.custom_listener import CustomListener
from slack_bolt.request import BoltRequest

logger = logging.getLogger(__name__)

Failure = Callable[[Exception, dict[str, Any], dict[str, Any]], None]
"""What to do when work fails: ``(error, body, context)``; it tells the person and logs."""

# Button clicks carry no answer in their ack, so they are acknowledged before they run.
ACK_FIRST_TYPES = ("block_actions",)


class MalformedPayload(ValueError):
    """A signed body of a shape Slack does not send: logged once, answered 400, nothing written."""


class Overloaded(RuntimeError):
    """The background queue is full: the person is asked to try again."""


class Background:
    """Run slow work on a bounded pool; at most ``queue`` jobs wait, failures go to ``on_failure``."""

    def __init__(self, on_failure: Failure, workers: int = 16, queue: int = 200):
        self.on_failure = on_failure
        self._slots = threading.BoundedSemaphore(workers + queue)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background")

    def run(self, body: dict[str, Any], context: dict[str, Any], job: Callable[[], Any]) -> bool:
        """Start ``job`` later; return False (and tell the person) when too much is waiting."""
        if not self._slots.acquire(blocking=False):
            logger.warning("background queue full: a request is refused")
            self.on_failure(Overloaded("background queue full"), body, context)
            return False
        try:
            self._executor.submit(self._run, body, context, job)
        except RuntimeError as error:  # shutting down
            self._slots.release()
            logger.warning("background work refused while stopping: %s", error)
            return False
        return True

    def _run(self, body: dict[str, Any], context: dict[str, Any], job: Callable[[], Any]) -> None:
        try:
            job()
        except MalformedPayload as error:
            logger.warning("malformed %s payload ignored: %s", body.get("type"), error)
        except Exception as error:
            self.on_failure(error, body, context)
        finally:
            self._slots.release()

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Stop taking work; with ``wait``, let the running jobs finish (``timeout`` s at most).

        Return whether every worker thread has ended.
        """
        self._executor.shutdown(wait=False, cancel_futures=not wait)
        if not wait:
            return False
        ends = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._executor._threads):
            thread.join(None if ends is None else max(0.0, ends - time.monotonic()))
        return not any(thread.is_alive() for thread in self._executor._threads)


class GuardedListener(CustomListener):
    """A Bolt listener that never raises and, for events and clicks, runs in the background."""

    background: Background

    @classmethod
    def of(
        cls, listener: CustomListener, background: Background, base_logger: logging.Logger | None
    ) -> GuardedListener:
        """Return ``listener`` with the same matchers, middleware and function, guarded."""
        guarded = cls(
            app_name=listener.app_name,
            ack_function=listener.ack_function,
            lazy_functions=listener.lazy_functions,
            matchers=listener.matchers,
            middleware=listener.middleware,
            auto_acknowledgement=listener.auto_acknowledgement,
            ack_timeout=listener.ack_timeout,
            base_logger=base_logger,
        )
        guarded.background = background
        return guarded

    def run_ack_function(
        self, *, request: BoltRequest, response: BoltResponse
    ) -> BoltResponse | None:
        if self.auto_acknowledgement or request.body.get("type") in ACK_FIRST_TYPES:
            request.context.ack()  # events are acked already; a click's ack carries nothing
            self.background.run(
                request.body, request.context, lambda: self._run_safely(request, response)
            )
            return None
        return self._run_safely(request, response)

    def _run_safely(self, request: BoltRequest, response: BoltResponse) -> BoltResponse | None:
        ack = request.context.ack
        try:
            return super().run_ack_function(request=request, response=response)
        except MalformedPayload as error:
            logger.warning("malformed %s payload refused: %s", request.body.get("type"), error)
            if ack.response is None:
                ack.response = BoltResponse(status=400, body="")
        except Exception as error:
            if ack.response is None:
                ack()  # Slack hears 200 and no notice of its own: we tell the person ourselves
            self.background.on_failure(error, request.body, request.context)
        return None
