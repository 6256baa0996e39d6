"""Every error agentstream raises, in one place.

The tree::

    AgentStreamError
    ├── APIError                      the platform answered, or we could not reach it
    │   ├── APIStatusError            a non-success HTTP status (.status_code, .body, ...)
    │   │   ├── BadRequestError           400
    │   │   ├── AuthenticationError       401
    │   │   ├── PermissionDeniedError     403
    │   │   ├── NotFoundError             404
    │   │   ├── ConflictError             409
    │   │   ├── UnprocessableEntityError  422
    │   │   ├── RateLimitError            429 (.retry_after)
    │   │   └── InternalServerError       5xx
    │   └── APIConnectionError        no response: refused, reset, DNS, TLS
    │       ├── APITimeoutError       connect or read timed out
    │       └── UnreachableError      a first connection never made (also a ReconnectExhausted)
    ├── ProtocolError                 the SSE conversation broke a rule
    │   ├── LocalProtocolError        we (or our caller) misused the API
    │   └── RemoteProtocolError       the server sent something we can't accept
    ├── StreamIdleTimeout             no real event for idle_timeout (heartbeats don't count)
    ├── ReconnectExhausted            gave up reconnecting (.last_cause)
    ├── ConfigError                   a client set up wrongly (no key, a base URL without
    │                                 its scheme or path): raised at construction, with the fix
    ├── EventDecodeError              an event's data is not what its type says
    ├── StreamInterruptedError        a stream ended before its terminal event
    ├── RunFailedError                a run ended in failure (stream_text; raise_on_error)
    └── ActionRequiredError           a run waits for a human and nothing answers it

Errors from requests and httpx never escape: the drivers translate them at their edge.
Messages and reprs never contain credentials: headers are redacted before they are stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from ._redact import SECRET_HEADERS, public_url, redact_headers, scrub

__all__ = [
    "SECRET_HEADERS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ActionRequiredError",
    "AgentStreamError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "EventDecodeError",
    "InternalServerError",
    "LocalProtocolError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReconnectExhausted",
    "RemoteProtocolError",
    "RunFailedError",
    "StreamIdleTimeout",
    "StreamInterruptedError",
    "UnprocessableEntityError",
    "UnreachableError",
    "cannot_connect",
    "error_from_response",
    "public_url",
    "redact_headers",
    "scrub",
    "status_error",
    "timeout_error",
    "unreachable",
]


def timeout_error(what: str, url: str, limit: str, seconds: float) -> APITimeoutError:
    """The APITimeoutError of a deadline that fired: what did not happen, where (the URL
    without its query) and which limit, e.g. ``no response headers from
    http://h/stream within 2 s (headers_timeout)``. Its ``limit`` names the limit: a
    deadline of ours, not a connection that could not be made."""
    error = APITimeoutError(f"{what} {public_url(url)} within {seconds:g} s ({limit})")
    error.limit = limit
    return error


def cannot_connect(error: BaseException | None) -> bool:
    """`error` says a connection could not be made (refused, DNS, TLS, connect timeout),
    not that a server answered (a status) or was too slow (a deadline of ours)."""
    return isinstance(error, APIConnectionError) and getattr(error, "limit", None) is None


class AgentStreamError(Exception):
    """Base class of every error agentstream raises."""


class APIError(AgentStreamError):
    """The platform could not be reached, or it answered with an error."""


class APIStatusError(APIError):
    """The server answered with a status that is not a success.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers, secrets redacted.
        body: the response body, decoded as JSON when it is JSON, else text.
        request_id: the platform's request id, when the body or headers carry one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        request_id: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.headers = redact_headers(headers or {})
        self.body = body
        self.request_id = request_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status_code={self.status_code})"


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: missing or wrong credentials."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not yours)."""


class ConflictError(APIStatusError):
    """409: the resource is not in a state that allows this."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` holds the server's delay in seconds, if given."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(
    message: str,
    *,
    status_code: int,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    request_id: str | None = None,
    retry_after: float | None = None,
    code: str | None = None,
) -> APIStatusError:
    """Build the most specific APIStatusError subclass for `status_code`."""
    kwargs: dict[str, Any] = {
        "status_code": status_code,
        "headers": headers,
        "body": body,
        "request_id": request_id,
        "code": code,
    }
    if status_code == 429:
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    if status_code >= 500:
        return InternalServerError(message, **kwargs)
    return _STATUS_CLASSES.get(status_code, APIStatusError)(message, **kwargs)


def _parse_body(body: bytes) -> Any:
    try:
        return orjson.loads(body) if body else ""
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")


def error_from_response(
    method: str,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    retry_after: float | None = None,
) -> APIStatusError:
    """An APIStatusError from a response, reading the platforms' error envelopes
    (``{"error": {"message", "code"|"error_code", "request_id"}}`` or ``{"detail": ...}``).

    The message names the method and the URL without its query string (which may carry
    a token); the request id comes from the body or the ``X-Request-Id`` header.
    """
    parsed = _parse_body(body)
    message = f"HTTP {status} from {method} {url.split('?', 1)[0]}"
    code = request_id = None
    if isinstance(parsed, dict):
        error = parsed.get("error")
        if isinstance(error, dict):
            message = str(error.get("message") or message)
            code = error.get("code") or error.get("error_code")
            request_id = error.get("request_id")
        elif isinstance(error, str):
            message = error
        elif "detail" in parsed:
            message = str(parsed["detail"])
    lowered = {k.lower(): v for k, v in headers.items()}
    return status_error(
        message,
        status_code=status,
        headers=lowered,
        body=parsed,
        request_id=request_id or lowered.get("x-request-id"),
        retry_after=retry_after,
        code=code,
    )


class APIConnectionError(APIError):
    """No response: the connection was refused, reset, or failed before a status arrived."""


class APITimeoutError(APIConnectionError):
    """Connecting, or waiting for the next bytes, took longer than the timeout.

    Attributes:
        limit: the name of the deadline that fired (``"timeout"``, ``"headers_timeout"``,
            ``"read_timeout"``), or None when the HTTP library timed out connecting.
    """

    limit: str | None = None


class ProtocolError(AgentStreamError):
    """The SSE conversation broke a rule. Never raised directly: see the two subclasses."""


class LocalProtocolError(ProtocolError):
    """Our side broke a rule: an API was used in a state that does not allow it."""


class RemoteProtocolError(ProtocolError):
    """The server broke a rule: an oversized event, a wrong content type, a bad frame."""


class StreamIdleTimeout(AgentStreamError):
    """No real event arrived for `idle_timeout` seconds, although the connection was alive.

    Heartbeats and comments keep a connection alive but are not progress. The error is
    retryable: ``restart()`` resumes from the last event id without losing anything.
    """

    retryable = True

    def __init__(self, idle_timeout: float, url: str | None = None) -> None:
        where = f" from {public_url(url)}" if url is not None else ""
        super().__init__(f"no event received{where} for {idle_timeout:g} s (idle_timeout)")
        self.idle_timeout = idle_timeout


class ReconnectExhausted(AgentStreamError):
    """Reconnecting failed too often or for too long. `last_cause` says why the last try failed."""

    def __init__(self, message: str, *, attempts: int, last_cause: BaseException | None) -> None:
        detail = f": {type(last_cause).__name__}: {last_cause}" if last_cause else ""
        super().__init__(f"{message} after {attempts} attempt(s){detail}")
        self.attempts = attempts
        self.last_cause = last_cause


class UnreachableError(APIConnectionError, ReconnectExhausted):
    """A first connection could not be made: nothing answered at the URL (refused, no
    such host, TLS, or no answer in time) within ``first_connect_timeout`` seconds or
    the retries allowed. The message names the URL (without its query) and, for a
    platform client, where its base URL comes from (``base_url=`` or the environment
    variable). A server that was reached once gets the longer reconnect budget instead.

    Both an APIConnectionError and a ReconnectExhausted: ``attempts`` and ``last_cause``
    say how often it was tried and why the last try failed.
    """

    def __init__(self, message: str, *, attempts: int, last_cause: BaseException | None) -> None:
        Exception.__init__(self, message)
        self.attempts = attempts
        self.last_cause = last_cause


def unreachable(
    url: str, attempts: int, elapsed: float, cause: BaseException | None, hint: str = ""
) -> UnreachableError:
    """The UnreachableError of a first connection to `url` that failed `attempts` times
    over `elapsed` seconds; `hint` (a platform client's) says where the URL comes from."""
    detail = f": {type(cause).__name__}: {cause}" if cause is not None else ""
    where = hint or "is a server listening there?"
    error = UnreachableError(
        f"could not connect to {public_url(url)} ({attempts} attempt(s) in {elapsed:.1f} s)"
        f"{detail}; {where}",
        attempts=attempts,
        last_cause=cause,
    )
    error.__cause__ = cause
    return error


class ConfigError(AgentStreamError, ValueError):
    """A client is set up wrongly: a missing key, a base URL without its scheme, or
    without the API's path. Raised when the client is made, with what to fix."""


class EventDecodeError(AgentStreamError):
    """An event's data could not be decoded into its type. `path` names the bad field."""

    def __init__(self, message: str, *, event_type: str | None = None, path: str = "") -> None:
        super().__init__(message)
        self.event_type = event_type
        self.path = path


class StreamInterruptedError(AgentStreamError):
    """A stream ended before its platform's terminal event and could not be resumed.

    Everything delivered before the interruption stays available on the stream object.
    """

    def __init__(self, message: str, *, delivered: int = 0, **context: Any) -> None:
        super().__init__(message)
        self.delivered = delivered
        self.context = context


class RunFailedError(AgentStreamError):
    """A run or turn ended in failure. The one-liners (``stream_text``) raise it by
    default; streams raise it when asked (``raise_on_error=True``).

    Attributes:
        errors: the error events the stream delivered (common ``StreamError``s).
        text: the text the run wrote before it failed ("" when unknown).
        run: the platform's record of the run, when it was fetched (m8tes: the Run).
        run_id: the m8tes run, when known.
        session_id: the Everruns or Managed Agents session, when known.
        context: everything the platform adds (m8tes: ``run_id``, ``run``; Everruns:
            ``session_id``, ``turn_id``; shipit: ``generation``).
    """

    def __init__(
        self, message: str, *, errors: tuple[Any, ...] = (), text: str = "", **context: Any
    ) -> None:
        super().__init__(message)
        self.errors = errors
        self.text = text
        self.context = context
        self.run: Any = context.get("run")
        self.run_id: Any = context.get("run_id")
        self.session_id: str | None = context.get("session_id")


class ActionRequiredError(AgentStreamError):
    """A run stopped for a human (a tool approval, a question) and nothing answers it.

    The message says what waits and how to answer it. The run keeps waiting on the
    platform: answer it, then join it again or wait for it.

    Attributes:
        request: the pending request (m8tes: the ``PermissionRequest``; Managed Agents:
            the pending event).
        run_id: the m8tes run, when known.
        session_id: the session, on the platforms that have sessions.
    """

    def __init__(
        self,
        message: str,
        *,
        request: Any = None,
        run_id: Any = None,
        session_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.request = request
        self.run_id = run_id
        self.session_id = session_id
