"""AsyncHTTP: a platform client's JSON requests and event sources over httpx.

The twin of ``_sync_http.py``; both are hand-written, as the drivers are, because this
is where requests and httpx differ. The rules (retries, errors) live in ``_http.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio
import httpx

from ._async import AsyncEventSource
from ._exceptions import APIConnectionError, APIStatusError, APITimeoutError
from ._http import MAX_RESPONSE_BYTES, BodyLimit, RetryPolicy, answer, encode_body
from ._observe import log_request_give_up, log_retry
from ._policy import ResumePolicy

__all__ = ["AsyncHTTP"]


class AsyncHTTP:
    """JSON over httpx with the retry rules; the client is the caller's or ours."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        client: httpx.AsyncClient | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_response_bytes = max_response_bytes
        self.headers = dict(headers)
        self.timeout = timeout
        self.client = client if client is not None else httpx.AsyncClient()
        self.owns_client = client is None
        self._policy = RetryPolicy(max_retries)

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
        merged, body = encode_body(self.headers, headers, json)
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._once(method, url, merged, body, params)
            except (APIStatusError, APIConnectionError) as error:
                wait = self._policy.delay(attempt, error)
                if wait is None or not self._policy.repeatable(method, merged):
                    log_request_give_up(method, url, attempt, error, merged)
                    raise
                log_retry(method, url, attempt, wait, error, merged)
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
            request = self.client.build_request(
                method, url, headers=headers, content=body, params=params, timeout=self.timeout
            )
            response = await self.client.send(request, stream=True)  # read to the limit
            try:
                limit = BodyLimit(method, url, response.status_code, self.max_response_bytes)
                async for chunk in response.aiter_bytes():
                    if not limit.take(chunk):
                        break
            finally:
                await response.aclose()
        except httpx.TimeoutException as exc:
            raise APITimeoutError(f"{type(exc).__name__}: {exc}") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{type(exc).__name__}: {exc}") from exc
        return answer(method, url, response.status_code, response.headers, limit.body())

    def event_source(
        self,
        path: str,
        *,
        policy: ResumePolicy,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        read_timeout: float | None,
        max_reconnect_attempts: int | None,
        retry: float,
    ) -> AsyncEventSource:
        """An SSE source for `path` on this client's httpx client, with its headers; the
        client stays this one's (closing the source does not close it)."""
        return AsyncEventSource(
            self.base_url + path,
            method=method,
            headers={**self.headers, **(headers or {})},
            json=json,
            client=self.client,
            connect_timeout=self.timeout,
            read_timeout=read_timeout,
            max_reconnect_attempts=max_reconnect_attempts,
            retry=retry,
            policy=policy,
        )

    async def aclose(self) -> None:
        """Close the httpx client, when this client made it."""
        if self.owns_client:
            await self.client.aclose()
