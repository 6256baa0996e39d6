"""The knobs of a stream and the HTTP rules the stream machine applies, as data and pure
functions: the constants of backoff and limits, ``StreamConfig``, the reading of
``Retry-After`` and ``Content-Type``, and what a caller may put in a request (JSON a
body can carry, header values HTTP can carry), checked before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import attrs
import orjson

from ._exceptions import LocalProtocolError
from ._sse import DEFAULT_MAX_EVENT_BYTES

__all__ = [
    "BACKOFF_CAP",
    "INITIAL_RETRY",
    "MAX_ERROR_BODY",
    "MAX_RETRY_AFTER",
    "StreamConfig",
    "check_headers",
    "dump_json",
    "is_event_stream",
    "retry_after",
]

#: The ceiling of the exponential backoff, in seconds.
BACKOFF_CAP = 30.0
#: The base delay when the server never sent ``retry:``, in seconds.
INITIAL_RETRY = 1.0
#: A Retry-After longer than this is not waited for: the error is raised instead.
MAX_RETRY_AFTER = 300.0
#: Bytes of an error response body kept for the error.
MAX_ERROR_BODY = 64 * 1024


@attrs.frozen(kw_only=True)
class StreamConfig:
    """The knobs of one stream. Times are in seconds.

    Attributes:
        read_timeout: liveness; no bytes for this long means the connection is dead.
        idle_timeout: progress; no real event for this long raises StreamIdleTimeout.
        initial_retry: base reconnect delay until the server sends ``retry:``.
        max_reconnect_attempts: failed connections in a row before giving up (None: no cap).
        max_reconnect_time: seconds without progress before giving up (None: no cap).
        max_event_bytes: the decoder's cap on one event (None: no cap).
        comments: deliver comment lines as Comment items.
    """

    read_timeout: float | None = 60.0
    idle_timeout: float | None = None
    initial_retry: float = INITIAL_RETRY
    max_reconnect_attempts: int | None = 10
    max_reconnect_time: float | None = None
    max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES
    comments: bool = False


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a Retry-After header: delta-seconds, or an HTTP-date measured
    against the response's own Date header (so no wall clock is needed)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # RFC 9110: delay-seconds = 1*DIGIT
        return float(value)
    try:
        delta = parsedate_to_datetime(value) - parsedate_to_datetime(headers["date"])
    except (KeyError, TypeError, ValueError, IndexError):  # TypeError: naive vs aware
        return None
    return max(0.0, delta.total_seconds())


def is_event_stream(headers: Mapping[str, str]) -> bool:
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "text/event-stream"


def check_headers(headers: Mapping[str, str]) -> None:
    """Refuse a header value HTTP cannot carry (non-ASCII, a line break, a control
    character) before the HTTP library fails on it with an untyped error. The message
    names the header, never its value: it may be a key.

    Raises:
        LocalProtocolError: the header and what to fix.
    """
    for name, value in headers.items():
        if not isinstance(value, str):
            raise LocalProtocolError(f"header {name!r} must be a str, not {type(value).__name__}")
        if not value.isascii() or not value.isprintable():
            raise LocalProtocolError(
                f"header {name!r} has a value HTTP cannot carry (non-ASCII or a control"
                " character); API keys and other header values must be printable ASCII"
            )


def dump_json(value: Any) -> bytes:
    """`value` as a JSON body.

    Raises:
        LocalProtocolError: it cannot be JSON (bytes, a lone surrogate, a non-str key...),
            with what to fix.
    """
    try:
        return orjson.dumps(value)
    except TypeError as exc:  # orjson.JSONEncodeError is a TypeError
        raise LocalProtocolError(
            f"the request body cannot be sent as JSON: {exc} (send str, int, float, bool,"
            " None, lists and dicts with str keys; decode bytes first)"
        ) from None
