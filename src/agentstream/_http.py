"""The rules of plain JSON requests, shared by ``SyncHTTP`` (``_sync_http.py``, requests)
and ``AsyncHTTP`` (``_async_http.py``, httpx), which are hand-written twins like the
event-source drivers: that is where the two IO libraries differ.

Retries follow one rule set (pure, below): a 429, a 5xx, or a failed connection is
retried, with capped full-jitter backoff or the server's Retry-After, but only when the
request is safe to repeat: a GET, HEAD or DELETE, or any request that carries an
``Idempotency-Key`` (the server answers a repeat with the first answer).

Fail fast: until a client has had any answer from its server, a failed connection is
retried for ``first_connect_timeout`` seconds in all (each try's connect timeout is at
most that too), and the give-up is UnreachableError naming the URL and where the base
URL comes from (``hint``). A client whose server answered once keeps ``max_retries``.

Errors are built from the platform's error envelope (``{"error": {"message", "code",
"request_id"}}`` or ``{"detail": ...}``) into the APIStatusError subclasses.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any, TypedDict
from urllib.parse import quote, urlencode

import attrs
import orjson

from ._config import FIRST_CONNECT_TIMEOUT, MAX_ERROR_BODY, check_headers, dump_json, retry_after
from ._exceptions import (
    APIStatusError,
    LocalProtocolError,
    RemoteProtocolError,
    UnreachableError,
    cannot_connect,
    error_from_response,
    public_url,
    redact_headers,
    unreachable,
)

__all__ = [
    "EXTRAS",
    "MAX_RESPONSE_BYTES",
    "BodyLimit",
    "RequestExtras",
    "ResponseInfo",
    "RetryPolicy",
    "answer",
    "check_extras",
    "encode_body",
    "last_response",
    "pop_extras",
    "read_extras",
    "record_response",
    "request_id_of",
    "segment",
    "stream_request",
    "unexpected",
    "with_extras",
]

#: The largest JSON answer read (a platform's resources are kilobytes): a bigger one is
#: a RemoteProtocolError, not a process that grows without bound.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024

#: Backoff between request retries: 0.5 s doubling, capped at 8 s, full jitter.
RETRY_BASE = 0.5
RETRY_CAP = 8.0
#: A Retry-After longer than this is not waited for: the error is raised.
MAX_RETRY_AFTER = 60.0
SAFE_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def answer(method: str, url: str, status: int, headers: Mapping[str, str], body: bytes) -> Any:
    """The parsed JSON of a success; the typed error of a failure (both twins)."""
    if status >= 400:
        lowered = {k.lower(): v for k, v in headers.items()}
        raise error_from_response(
            method, url, status, lowered, body, retry_after=retry_after(lowered)
        )
    try:
        return orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The platform's request id: the ``X-Request-Id`` header (m8tes, Everruns, shipit
    servers behind a proxy) or ``Request-Id`` (Anthropic), any case; None without one."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return lowered.get("x-request-id") or lowered.get("request-id") or None


@attrs.frozen(kw_only=True)
class ResponseInfo:
    """What a JSON call's response said besides its body: ``client.last_response``.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers, names lowercased, secrets (``Set-Cookie``)
            redacted.
        request_id: the platform's request id (``X-Request-Id`` or ``Request-Id``), or
            None when the server sent none.
        method: the request's method.
        url: the URL it was sent to, without its query string.
    """

    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    method: str
    url: str

    @classmethod
    def of(cls, method: str, url: str, status: int, headers: Mapping[str, str]) -> ResponseInfo:
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(
            status_code=status,
            headers=redact_headers(lowered),
            request_id=request_id_of(lowered),
            method=method,
            url=public_url(url),
        )


#: The last JSON response of the current thread or task, with the client family (a
#: client and its ``with_options`` copies) that received it.
_LAST: ContextVar[tuple[object, ResponseInfo] | None] = ContextVar(
    "agentstream_last_response", default=None
)


def record_response(family: object, info: ResponseInfo) -> None:
    """Remember `info` as `family`'s last response, in this thread or task."""
    _LAST.set((family, info))


def last_response(family: object) -> ResponseInfo | None:
    """`family`'s last response in this thread or task (another client's, or one in
    another thread or task, is not it)."""
    last = _LAST.get()
    return last[1] if last is not None and last[0] is family else None


class BodyLimit:
    """How much of a response body the twins read, as they read it: everything up to
    `limit` for a success (more is an error), the first MAX_ERROR_BODY bytes of a
    failure (what the error keeps; the rest is never read)."""

    def __init__(self, method: str, url: str, status: int, limit: int) -> None:
        self.failed = status >= 400
        self.limit = MAX_ERROR_BODY if self.failed else limit
        self._where = f"{method} {url.split('?', 1)[0]}"
        self.parts: list[bytes] = []
        self.size = 0

    def take(self, chunk: bytes) -> bool:
        """Keep `chunk` (cut at the limit); False once no more is wanted.

        Raises:
            RemoteProtocolError: a success answer outgrew the limit.
        """
        room = self.limit - self.size
        if len(chunk) > room:
            if not self.failed:
                raise RemoteProtocolError(
                    f"the answer to {self._where} is larger than {self.limit} bytes"
                )
            chunk = chunk[:room]
        self.parts.append(chunk)
        self.size += len(chunk)
        return self.size < self.limit

    def body(self) -> bytes:
        return b"".join(self.parts)


class RetryPolicy:
    """The retry rules, shared by both twins.

    Args:
        max_retries: retries of a failed request that is safe to repeat.
        first_connect_timeout: seconds in all for the tries of a client that never had
            an answer (None: only max_retries bounds them).
        hint: added to an UnreachableError's message.
    """

    def __init__(
        self,
        max_retries: int,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        hint: str = "",
    ) -> None:
        self.max_retries = max_retries
        self.first_connect_timeout = first_connect_timeout
        self.hint = hint
        #: True once the server answered anything (any status): the URL is right.
        self.reached = False

    def connect_timeout(self, timeout: float) -> float:
        """The connect timeout of one try: `timeout`, or less while never reached."""
        first = self.first_connect_timeout
        return timeout if self.reached or first is None else min(timeout, first)

    def give_up(
        self,
        url: str,
        attempt: int,
        elapsed: float,
        error: BaseException,
        wait: float | None,
        repeatable: bool,
    ) -> BaseException | None:
        """The error to raise after try `attempt` failed with `error`, `elapsed` seconds
        after the first; None to retry after `wait` seconds (``delay``'s answer). A
        client never reached gives up with UnreachableError once retrying is over or
        would pass ``first_connect_timeout``."""
        never = not self.reached and cannot_connect(error)
        first = self.first_connect_timeout
        over = never and first is not None and wait is not None and elapsed + wait > first
        if wait is not None and repeatable and not over:
            return None
        if never and not isinstance(error, UnreachableError):
            return unreachable(url, attempt, elapsed, error, self.hint)
        return error

    @staticmethod
    def repeatable(method: str, headers: Mapping[str, str]) -> bool:
        return method in SAFE_METHODS or any(k.lower() == "idempotency-key" for k in headers)

    def delay(self, attempt: int, error: BaseException) -> float | None:
        """Seconds to wait before retry `attempt` (from 1), or None: don't retry."""
        if attempt > self.max_retries:
            return None
        if isinstance(error, APIStatusError):
            if error.status_code not in RETRY_STATUSES:
                return None
            after: float | None = getattr(error, "retry_after", None)
            after = after if after is not None else retry_after(error.headers)
            if after is not None:
                return after if after <= MAX_RETRY_AFTER else None
        ceiling: float = min(RETRY_CAP, RETRY_BASE * 2.0 ** (attempt - 1))
        return ceiling * random.random()


def segment(value: object, what: str) -> str:
    """`value` as one path segment: an id string, percent-quoted, so that nothing a
    caller passes (``"../../admin/keys"``, ``"x?y"``) can leave its place in the path
    and take the credentials elsewhere.

    Raises:
        LocalProtocolError: not a non-empty string, or a dot segment.
    """
    if type(value) is not str or not value or value in (".", ".."):
        raise LocalProtocolError(f"{what} must be a non-empty id string, not {value!r:.40}")
    return quote(value, safe="")


def encode_body(
    base: Mapping[str, str], extra: Mapping[str, str] | None, json: Any
) -> tuple[dict[str, str], bytes | None]:
    """The merged headers and the JSON body of a request (both twins)."""
    merged = {**base, **(extra or {})}
    check_headers(merged)
    body = dump_json(json) if json is not None else None
    if body is not None:
        merged.setdefault("Content-Type", "application/json")
    return merged, body


class RequestExtras(TypedDict, total=False):
    """Per-call additions to the request, for what the SDK does not know yet; every
    JSON method of every platform client takes them.

    Keys:
        extra_body: fields merged into the JSON body (they win over the SDK's); the
            body, for a request that has none.
        extra_headers: headers added to this call's request (they follow the client's
            secret and redirect rules, as its own headers do).
        extra_query: query parameters added to this call's URL.
    """

    extra_body: Mapping[str, Any]
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]


#: The names of the request extras.
EXTRAS = frozenset(RequestExtras.__annotations__)


def unexpected(what: str, unknown: Iterable[str], valid: Iterable[str]) -> TypeError:
    """The TypeError of a call `what` given keyword arguments it does not take: it names
    them and the valid ones (the request extras among them)."""
    names = ", ".join(sorted(set(valid) | EXTRAS))
    return TypeError(
        f"{what}() got unexpected keyword argument(s): {', '.join(sorted(unknown))}; valid:"
        f" {names}. To send a field the SDK does not know, pass extra_body={{...}}"
    )


def check_extras(what: str, extras: Mapping[str, Any]) -> RequestExtras:
    """`extras` (a method's ``**extras``) when every name is a request extra.

    Raises:
        TypeError: another name (the message names the valid ones).
    """
    unknown = set(extras) - EXTRAS
    if unknown:
        raise unexpected(what, unknown, ())
    return extras  # type: ignore[return-value]


def pop_extras(options: dict[str, Any]) -> RequestExtras:
    """Take the request extras out of a method's ``**options`` (the rest stays)."""
    return {name: options.pop(name) for name in EXTRAS & set(options)}  # type: ignore[return-value]


def read_extras(extras: RequestExtras) -> RequestExtras:
    """The extras that also go with the read a call makes after its write (a cancel's
    follow-up GET): the headers and the query, not the body."""
    return {name: extras[name] for name in ("extra_headers", "extra_query") if name in extras}  # type: ignore[return-value]


def with_extras(
    json: Any,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    extra_body: Mapping[str, Any] | None,
    extra_query: Mapping[str, Any] | None,
    extra_headers: Mapping[str, str] | None,
) -> tuple[Any, Mapping[str, Any] | None, Mapping[str, str] | None]:
    """A request's body, query and headers with the caller's extras merged in (the
    extras win); both twins.

    Raises:
        TypeError: `extra_body` for a body that is not a JSON object.
    """
    if extra_body:
        if json is not None and not isinstance(json, Mapping):
            raise TypeError("extra_body needs a JSON object body to merge into")
        json = {**(json or {}), **extra_body}
    if extra_query:
        params = {**(params or {}), **extra_query}
    if extra_headers:
        headers = {**(headers or {}), **extra_headers}
    return json, params, headers


def stream_request(
    path: str,
    json: Any,
    headers: Mapping[str, str] | None,
    extras: RequestExtras | None,
) -> tuple[str, Any, Mapping[str, str] | None]:
    """A stream's path (its query included), body and headers with the caller's extras
    merged in, as ``with_extras`` does for a JSON call: the stream's first request is
    made of them, and every reconnect re-sends it through the resume policy, which adds
    its cursor to that query (both twins).

    Raises:
        TypeError: `extra_body` for a body that is not a JSON object.
    """
    if not extras:
        return path, json, headers
    json, query, headers = with_extras(
        json,
        None,
        headers,
        extras.get("extra_body"),
        extras.get("extra_query"),
        extras.get("extra_headers"),
    )
    if query:
        path += ("&" if "?" in path else "?") + urlencode(query, doseq=True)
    return path, json, headers
