"""Seeing what a stream does between its events: reconnects, counters, log records.

The stream machine decides every reconnect (``_machine.py``); when it does, it records a
ReconnectInfo built here: the cause as text (error type and message, secrets removed),
the attempt and the delay. The event sources (``_eventsource.py``) hand that value to
the caller's callbacks and to the ``agentstream`` logger, outside the machine, and read
the machine's counters into a StreamStats. Everything here but the logging is pure.

What is logged, on the ``agentstream`` logger (the package adds only a NullHandler, so
nothing shows unless the application configures logging):

- DEBUG ``connecting``: each connection a stream opens (method and URL);
- INFO ``reconnecting``: each reconnect a stream schedules (reason, attempt, delay);
- INFO ``retrying``: each retry of a JSON request (reason, retry number, delay);
- WARNING ``gave up``: a stream out of reconnect attempts, a JSON request out of retries.

Never logged: a header value, a URL's query string or user info, a body. Records are made
only on those occasions, never per event or per chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import attrs

from ._exceptions import SECRET_HEADERS, APIStatusError, public_url, scrub

__all__ = ["ReconnectInfo", "StreamStats", "log", "reconnect_info", "safe_text"]

#: The package's logger. The NullHandler keeps Python's last-resort handler from
#: printing the package's warnings when the application configured no logging.
log = logging.getLogger("agentstream")
log.addHandler(logging.NullHandler())

#: A reason longer than this is cut (a server's error message can be long).
MAX_REASON = 300
REDACTED = "<redacted>"


@attrs.frozen(kw_only=True)
class ReconnectInfo:
    """A reconnect the stream is about to make, handed to ``on_reconnect`` callbacks
    (and to ``on(reconnect=...)``) before it waits.

    Attributes:
        attempt: failed connections in a row, this one included (1 for the first retry
            after a failure); 0 when the server asked for the reconnect, which is not a
            failure and does not count towards ``max_reconnect_attempts``.
        delay: seconds the stream waits before it connects again.
        reason: what happened, as ``"<error type>: <message>"`` (the message with no
            header value, no query string and no user info).
        error_type: the name of the error's class (``"APITimeoutError"``,
            ``"InternalServerError"``, ...); None when the server asked for it.
        status: the HTTP status that caused it (a 429 or a 5xx), if one did.
    """

    attempt: int
    delay: float
    reason: str
    error_type: str | None = None
    status: int | None = None


@attrs.frozen(kw_only=True)
class StreamStats:
    """What a stream has done so far, read at once from its counters (``.stats``).

    Attributes:
        connections: connections opened (a response accepted as the event stream).
        reconnects: reconnects scheduled by the stream itself, after a failure or because
            the server asked (a ``restart()`` by the caller is not counted).
        bytes_received: body bytes read from the event streams (history fetched by a
            backfill is not counted).
        events_delivered: events handed to the iteration (heartbeats and skipped
            duplicates are not counted).
        last_error: the last error seen, as ``"<error type>: <message>"``, redacted like
            ReconnectInfo.reason; None while there was none.
    """

    connections: int = 0
    reconnects: int = 0
    bytes_received: int = 0
    events_delivered: int = 0
    last_error: str | None = None


def _secrets(headers: Mapping[str, str]) -> list[str]:
    """The secret header values (and their token after a scheme such as Bearer)."""
    found: list[str] = []
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS and isinstance(value, str) and value.strip():
            found.append(value)
            token = value.partition(" ")[2].strip()
            if len(token) >= 4:
                found.append(token)
    return sorted(found, key=len, reverse=True)  # the whole value before its token


def safe_text(text: str, headers: Mapping[str, str] | None = None) -> str:
    """`text` with every secret value of `headers`, every query string and every URL's
    user info replaced, and cut to MAX_REASON characters."""
    for secret in _secrets(headers or {}):
        text = text.replace(secret, REDACTED)
    text = scrub(text)
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 3] + "..."


def describe(error: BaseException | None, headers: Mapping[str, str] | None = None) -> str | None:
    """``"<error type>: <message>"`` for `error`, redacted; None for None."""
    if error is None:
        return None
    return safe_text(f"{type(error).__name__}: {error}", headers)


def reconnect_info(
    cause: BaseException, attempt: int, delay: float, headers: Mapping[str, str]
) -> ReconnectInfo:
    """The ReconnectInfo of a reconnect after `cause` (the request's `headers` name the
    secrets to keep out of the reason)."""
    status = cause.status_code if isinstance(cause, APIStatusError) else None
    reason = describe(cause, headers)
    assert reason is not None
    return ReconnectInfo(
        attempt=attempt,
        delay=delay,
        reason=reason,
        error_type=type(cause).__name__,
        status=status,
    )


def asked(event_type: str, delay: float) -> ReconnectInfo:
    """The ReconnectInfo of a reconnect the server asked for with an event."""
    reason = safe_text(f"the server asked to reconnect ({event_type or 'message'!r})")
    return ReconnectInfo(attempt=0, delay=delay, reason=reason)


# -- log records ------------------------------------------------------------------------


def log_connect(method: str, url: str) -> None:
    """DEBUG: a stream opens a connection."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("connecting: %s %s", method, public_url(url))


def log_reconnect(method: str, url: str, info: ReconnectInfo) -> None:
    """INFO: a stream will reconnect."""
    log.info(
        "reconnecting: %s %s in %.3f s (attempt %d): %s",
        method,
        public_url(url),
        info.delay,
        info.attempt,
        info.reason,
    )


def log_give_up(method: str, url: str, attempts: int, reason: str | None) -> None:
    """WARNING: a stream or a JSON request stops trying."""
    log.warning("gave up: %s %s after %d attempts: %s", method, public_url(url), attempts, reason)


def log_retry(
    method: str,
    url: str,
    retry: int,
    delay: float,
    error: BaseException,
    headers: Mapping[str, str],
) -> None:
    """INFO: a JSON request will be sent again (`retry` counts from 1) after `error`."""
    log.info(
        "retrying: %s %s in %.3f s (retry %d): %s",
        method,
        public_url(url),
        delay,
        retry,
        describe(error, headers),
    )


def log_request_give_up(
    method: str, url: str, attempts: int, error: BaseException, headers: Mapping[str, str]
) -> None:
    """WARNING: a JSON request that was retried fails for good (once tried, it is not
    logged: the caller gets the error)."""
    if attempts > 1:
        log_give_up(method, url, attempts, describe(error, headers))


def call_all(callbacks: list[Any], value: object) -> None:
    """Call each callback with `value`, in registration order (a copy of the list, so a
    callback may register or remove one). An exception stops the round and propagates."""
    for callback in tuple(callbacks):
        callback(value)
