"""The knobs of a stream and the HTTP rules the stream machine applies, as data and pure
functions: the constants of backoff and limits, ``StreamConfig``, the reading of
``Retry-After`` and ``Content-Type``, and what a caller may put in a request (JSON a
body can carry, header values HTTP can carry), checked before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import attrs
import orjson

from ._exceptions import ConfigError, LocalProtocolError, public_url
from ._sse import DEFAULT_MAX_EVENT_BYTES

__all__ = [
    "BACKOFF_CAP",
    "FIRST_CONNECT_TIMEOUT",
    "INITIAL_RETRY",
    "MAX_ERROR_BODY",
    "MAX_RETRY_AFTER",
    "StreamConfig",
    "base_url_hint",
    "check_base_url",
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
#: Seconds a first connection may take, its retries included, before UnreachableError:
#: a server that was never reached is most likely not there (a wrong URL, a server not
#: started), and saying so at once beats retrying for minutes.
FIRST_CONNECT_TIMEOUT = 5.0


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
        first_connect_timeout: seconds (retries included) a stream that never opened
            keeps trying to connect before UnreachableError; once a connection opened,
            ``max_reconnect_attempts`` / ``max_reconnect_time`` alone apply. None: no
            separate limit.
        connect_hint: appended to the UnreachableError's message (a platform client
            names its base URL's variable).
    """

    read_timeout: float | None = 60.0
    idle_timeout: float | None = None
    initial_retry: float = INITIAL_RETRY
    max_reconnect_attempts: int | None = 10
    max_reconnect_time: float | None = None
    max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES
    comments: bool = False
    first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT
    connect_hint: str = ""


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


def check_base_url(url: str, variable: str, *, path: str = "") -> str:
    """`url` (from ``base_url=`` or the environment variable `variable`) without its
    trailing slash, once it is a URL requests can be sent to: an ``http`` or ``https``
    scheme, a host, and, when `path` is given (m8tes: ``/api/v2``), a path (the API's
    prefix: a bare host would answer every request with 404).

    Raises:
        ConfigError: what is wrong and the fix, naming base_url= and `variable`.
    """
    shown = public_url(url)
    where = f"the base URL {shown!r} (from base_url= or {variable})"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ConfigError(f"{where} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        bare = url.split("?", 1)[0].rsplit("@", 1)[-1]
        fixed = shown if "://" in url else f"https://{bare}"
        raise ConfigError(f"{where} needs an http:// or https:// scheme and a host, e.g. {fixed!r}")
    if path and parts.path.strip("/") == "":
        raise ConfigError(f"{where} lacks the API's path: use {shown.rstrip('/') + path!r}")
    return url.rstrip("/")


def base_url_hint(argument: str, variable: str) -> str:
    """What an UnreachableError of a platform client adds: where its URL comes from."""
    return f"is the server running there? The URL comes from {argument} or {variable}"


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
