"""The one error type of fetching and parsing, with a stable code and a translated description."""

from __future__ import annotations

from bot.core.i18n import t

# Codes after which the feed should be paused at once rather than retried with back-off.
PERMANENT_CODES = frozenset({"gone", "scheme", "credentials", "address", "invalid"})
# Codes the server uses to ask for patience: back off, honouring Retry-After.
THROTTLE_CODES = frozenset({"rate_limited", "unavailable"})
# Codes whose text names the HTTP status: the feed keeps it as "server_error:502" (see ``stored``).
STATUS_CODES = frozenset({"server_error", "http_status"})
# "too_heavy" (a document that broke the parser sandbox's limits, see sandbox.py) is in neither:
# it backs off like a failed fetch and pauses the feed after MAX_FAILURES, never retried at once.


class FetchError(Exception):
    """A feed could not be fetched or read; ``code`` is stable, ``describe`` is for people."""

    def __init__(self, code: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(code if status is None else f"{code} ({status})")
        self.code = code
        self.status = status
        self.retry_after = retry_after

    def __reduce__(self) -> tuple:
        # Parsing runs in a process pool: keep status and Retry-After across pickling.
        return (_rebuild, (self.code, self.status, self.retry_after))

    @property
    def permanent(self) -> bool:
        """Tell whether retrying cannot help (410, forbidden address...)."""
        return self.code in PERMANENT_CODES

    def describe(self, lang: str = "fr") -> str:
        """Return the reason in plain words, in ``lang``."""
        if self.status is None and self.code in STATUS_CODES:
            return t(f"watch.error.{self.code}.no_status", lang)  # never « (erreur ) »
        return t(f"watch.error.{self.code}", lang, status=self.status)

    @property
    def stored(self) -> str:
        """Return what the feed keeps as its last error: the code, with the status it names."""
        if self.status is not None and self.code in STATUS_CODES:
            return f"{self.code}:{self.status}"
        return self.code

    @classmethod
    def from_stored(cls, text: str) -> FetchError:
        """Return the error a feed kept (``stored``): "server_error:502" keeps its 502."""
        code, _, status = text.partition(":")
        return cls(code, status=int(status) if status.isdigit() else None)


def _rebuild(code: str, status: int | None, retry_after: float | None) -> FetchError:
    return FetchError(code, status=status, retry_after=retry_after)
