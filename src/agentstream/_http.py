"""Plain JSON requests for the platform clients, sync and async, with retries.

Retries follow one rule set (pure, below): a 429, a 5xx, or a failed connection is
retried, with capped full-jitter backoff or the server's Retry-After, but only when the
request is safe to repeat: a GET, HEAD or DELETE, or any request that carries an
``Idempotency-Key`` (the server answers a repeat with the first answer).

Errors are built from the platform's error envelope (``{"error": {"message", "code",
"request_id"}}`` or ``{"detail": ...}``) into the APIStatusError subclasses.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from typing import Any

import anyio
import httpx
import orjson
import requests

from ._config import retry_after
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    error_from_response,
)

__all__ = ["AsyncHTTP", "SyncHTTP"]

#: Backoff between request retries: 0.5 s doubling, capped at 8 s, full jitter.
RETRY_BASE = 0.5
RETRY_CAP = 8.0
#: A Retry-After longer than this is not waited for: the error is raised.
MAX_RETRY_AFTER = 60.0
SAFE_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _answer(method: str, url: str, status: int, headers: Mapping[str, str], body: bytes) -> Any:
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


class _Policy:
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


class SyncHTTP:
    """JSON over requests with the retry rules. The session is the caller's or ours."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.timeout = timeout
        self.session = session if session is not None else requests.Session()
        self.owns_session = session is None
        self._policy = _Policy(max_retries)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send; return the parsed JSON body. Raises APIStatusError / APIConnectionError."""
        url = self.base_url + path
        merged = {**self.headers, **(headers or {})}
        body = orjson.dumps(json) if json is not None else None
        if body is not None:
            merged.setdefault("Content-Type", "application/json")
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, url, merged, body, params)
            except (APIStatusError, APIConnectionError) as error:
                wait = self._policy.delay(attempt, error)
                if wait is None or not self._policy.repeatable(method, merged):
                    raise
                time.sleep(wait)

    def _once(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        params: Mapping[str, Any] | None,
    ) -> Any:
        try:
            response = self.session.request(
                method, url, headers=headers, data=body, params=params, timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise APITimeoutError(f"{type(exc).__name__}: {exc}") from exc
        except requests.RequestException as exc:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return _answer(method, url, response.status_code, response.headers, response.content)

    def close(self) -> None:
        if self.owns_session:
            self.session.close()


class AsyncHTTP:
    """JSON over httpx with the retry rules; the twin of SyncHTTP."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)
        self.timeout = timeout
        self.client = client if client is not None else httpx.AsyncClient()
        self.owns_client = client is None
        self._policy = _Policy(max_retries)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send; return the parsed JSON body. Raises APIStatusError / APIConnectionError."""
        url = self.base_url + path
        merged = {**self.headers, **(headers or {})}
        body = orjson.dumps(json) if json is not None else None
        if body is not None:
            merged.setdefault("Content-Type", "application/json")
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._once(method, url, merged, body, params)
            except (APIStatusError, APIConnectionError) as error:
                wait = self._policy.delay(attempt, error)
                if wait is None or not self._policy.repeatable(method, merged):
                    raise
                await anyio.sleep(wait)

    async def _once(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        params: Mapping[str, Any] | None,
    ) -> Any:
        try:
            response = await self.client.request(
                method, url, headers=headers, content=body, params=params, timeout=self.timeout
            )
        except httpx.TimeoutException as exc:
            raise APITimeoutError(f"{type(exc).__name__}: {exc}") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return _answer(method, url, response.status_code, response.headers, response.content)

    async def aclose(self) -> None:
        if self.owns_client:
            await self.client.aclose()
