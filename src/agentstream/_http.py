"""The rules of plain JSON requests, shared by ``SyncHTTP`` (``_sync_http.py``, requests)
and ``AsyncHTTP`` (``_async_http.py``, httpx), which are hand-written twins like the
event-source drivers: that is where the two IO libraries differ.

Retries follow one rule set (pure, below): a 429, a 5xx, or a failed connection is
retried, with capped full-jitter backoff or the server's Retry-After, but only when the
request is safe to repeat: a GET, HEAD or DELETE, or any request that carries an
``Idempotency-Key`` (the server answers a repeat with the first answer).

Errors are built from the platform's error envelope (``{"error": {"message", "code",
"request_id"}}`` or ``{"detail": ...}``) into the APIStatusError subclasses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import orjson

from ._config import MAX_ERROR_BODY, check_headers, dump_json, retry_after
from ._exceptions import (
    APIStatusError,
    LocalProtocolError,
    RemoteProtocolError,
    error_from_response,
)

__all__ = ["MAX_RESPONSE_BYTES", "BodyLimit", "RetryPolicy", "answer", "encode_body", "segment"]

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
    """The retry rules, shared by both twins."""

    def __init__(self, max_retries: int) -> None:
        self.max_retries = max_retries

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
