"""When a stream reconnects after a failure, and when it gives up: a base class of the
stream machine (``_machine.py``), apart because it is its own rule set.

Backoff. A reconnect that follows a connection which delivered something waits
``jitter * base`` (base = the server's ``retry:`` or ``initial_retry``); each further
failure in a row doubles the ceiling up to BACKOFF_CAP ("full jitter": the wait is
uniform between 0 and the ceiling). A 429 or 5xx with Retry-After waits what it says.
After ``max_reconnect_attempts`` failures in a row, or ``max_reconnect_time`` seconds
without progress, the machine gives up with ReconnectExhausted naming the last cause.

Failing fast. Until a connection has opened, the server may simply not be there (a
wrong URL, a server not started): connection failures (no HTTP status) then get
``first_connect_timeout`` seconds in all, and the give-up is UnreachableError (an
APIConnectionError and a ReconnectExhausted) naming the URL and the config's
``connect_hint``. A stream that opened once keeps the longer budget above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._commands import Command, Wait
from ._config import BACKOFF_CAP, MAX_RETRY_AFTER, StreamConfig
from ._exceptions import ReconnectExhausted, cannot_connect, unreachable
from ._observe import ReconnectInfo, reconnect_info
from ._policy import Request
from ._states import StreamState

__all__ = ["ReconnectSchedule"]


class ReconnectSchedule:
    """The schedule's part of the machine's state (set by ``StreamMachine.__init__``)."""

    request: Request
    config: StreamConfig
    state: StreamState
    retry_ms: int | None
    attempts: int
    last_cause: BaseException | None
    connections: int
    reconnects: int
    reconnect: ReconnectInfo | None
    _clock: Callable[[], float]
    _random: Callable[[], float]
    _decoder: Any
    _streak_start: float | None
    _started: float

    def _fail(self, error: BaseException) -> list[Command]:
        raise NotImplementedError  # the machine's

    def _reconnect(self, cause: BaseException, retry_after: float | None = None) -> list[Command]:
        """Schedule the next connection after a failure, or give up."""
        self.last_cause = cause
        now = self._clock()
        if self._streak_start is None:
            self._streak_start = now
        self.attempts += 1
        limit = self.config.max_reconnect_attempts
        if limit is not None and self.attempts > limit:
            return self._give_up()
        delay = retry_after if retry_after is not None else self.backoff(self.attempts - 1)
        budget = self.config.max_reconnect_time
        if budget is not None and now + delay - self._streak_start > budget:
            return self._give_up()
        first = self.config.first_connect_timeout
        if first is not None and self._never_reached() and now + delay - self._started > first:
            return self._give_up()
        self.state = StreamState.WAITING
        self._decoder = None
        self.reconnects += 1
        self.reconnect = reconnect_info(cause, self.attempts, delay, self.request.headers)
        return [Wait(delay)]

    def backoff(self, failures: int) -> float:
        """Full-jitter exponential backoff after `failures` earlier failures in a row."""
        base = self.retry_ms / 1000 if self.retry_ms is not None else self.config.initial_retry
        # A server's retry above the cap is honoured (up to MAX_RETRY_AFTER); only the
        # doubling stops at the cap.
        base = min(base, MAX_RETRY_AFTER)
        ceiling: float = min(max(BACKOFF_CAP, base), base * 2.0 ** min(failures, 32))
        return ceiling * self._random()

    def _never_reached(self) -> bool:
        """No connection opened yet and the last failure had no HTTP status: nothing
        may be listening at the URL (the fail-fast rule of the module docstring)."""
        return self.connections == 0 and cannot_connect(self.last_cause)

    def _give_up(self) -> list[Command]:
        if self._never_reached():
            return self._fail(
                unreachable(
                    self.request.url,
                    self.attempts,
                    self._clock() - self._started,
                    self.last_cause,
                    self.config.connect_hint,
                )
            )
        error = ReconnectExhausted(
            "could not reconnect", attempts=self.attempts, last_cause=self.last_cause
        )
        error.__cause__ = self.last_cause
        return self._fail(error)
