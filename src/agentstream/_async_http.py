"""AsyncHTTP: a platform client's JSON requests and event sources.

This file is the async source; its sync twin is generated from it.
The rules (retries, errors) live in ``_http.py``; what httpx and requests do
differently (one exchange bounded as a whole) in ``_httpx_io.fetch`` and its twin.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import httpx

from ._config import FIRST_CONNECT_TIMEOUT
from ._exceptions import APIConnectionError, APIStatusError
from ._http import (
    MAX_RESPONSE_BYTES,
    RequestExtras,
    ResponseInfo,
    RetryPolicy,
    answer,
    encode_body,
    last_response,
    record_response,
    stream_request,
    with_extras,
)
from ._httpx_io import fetch
from ._observe import log_request_give_up, log_retry
from ._policy import Request, ResumePolicy
from ._redirects import MAX_REDIRECTS, Redirects, secret_names

if TYPE_CHECKING:
    from ._async import AsyncEventSource

__all__ = ["AsyncHTTP"]


class AsyncHTTP:
    """JSON with the retry rules, on the caller's connection pool or our own.

    Args:
        base_url: prepended to every path.
        headers: sent with every request (the platform's auth among them).
        timeout: seconds for one exchange as a whole, however slowly its headers or
            body trickle in: connecting, redirects, headers and body (each retry has its
            own); also the connect timeout and the headers timeout of event sources.
            Past it, APITimeoutError names the method, the URL without its query and
            ``timeout``.
        max_retries: retries of a failed request that is safe to repeat.
        client: an httpx.AsyncClient to use (the caller keeps ownership).
        max_response_bytes: the largest JSON answer read.
        secret_headers: header names that are secrets besides the defaults
            (Authorization, Proxy-Authorization, Cookie, X-Api-Key, Api-Key): none
            follows a redirect to another origin, here or on the event sources.
        max_redirects: redirects followed per request (RemoteProtocolError past it).
        first_connect_timeout: seconds, retries included, that a client whose server
            never answered keeps trying to connect before UnreachableError (the event
            sources' first connection too). None: only max_retries bounds it.
        hint: where the base URL comes from (``"check base_url= or M8TES_BASE_URL"``),
            added to an UnreachableError's message.
        idle_timeout: the event sources' progress timeout (None: no limit).
    """

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_retries: int,
        client: httpx.AsyncClient | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        hint: str = "",
        idle_timeout: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_response_bytes = max_response_bytes
        self.headers = dict(headers)
        self.timeout = timeout
        self.max_retries = max_retries
        self.client = client if client is not None else httpx.AsyncClient()
        self.owns_client = client is None
        self.secret_headers = secret_names(secret_headers)
        self.max_redirects = max_redirects
        self.first_connect_timeout = first_connect_timeout
        self.idle_timeout = idle_timeout
        #: This client and its copies (``with_options``): whose last response is whose.
        self.family: object = object()
        self._policy = RetryPolicy(max_retries, first_connect_timeout, hint)

    def with_options(
        self, *, timeout: float | None = None, max_retries: int | None = None
    ) -> AsyncHTTP:
        """A copy with another `timeout` and/or `max_retries`, on the same connection
        pool (closing the copy does not close it)."""
        copy = AsyncHTTP(
            self.base_url,
            self.headers,
            timeout=self.timeout if timeout is None else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            client=self.client,
            max_response_bytes=self.max_response_bytes,
            secret_headers=self.secret_headers,
            max_redirects=self.max_redirects,
            first_connect_timeout=self.first_connect_timeout,
            hint=self.hint,
            idle_timeout=self.idle_timeout,
        )
        copy.family = self.family
        copy._policy.reached = self._policy.reached
        return copy

    @property
    def hint(self) -> str:
        """Where the base URL comes from, added to an UnreachableError's message (JSON
        calls and event sources alike); a program with its own options (the CLI's
        ``--base-url``) sets its own."""
        return self._policy.hint

    @hint.setter
    def hint(self, hint: str) -> None:
        self._policy.hint = hint

    @property
    def last_response(self) -> ResponseInfo | None:
        """The last JSON response this client (or a copy) got in this task or thread."""
        return last_response(self.family)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send; return the parsed JSON body. Raises APIStatusError / APIConnectionError.

        The caller's ``extra_*`` (see ``RequestExtras``) are merged into the body, the
        query and the headers; they win over the SDK's own values.
        """
        json, params, headers = with_extras(
            json, params, headers, extra_body, extra_query, extra_headers
        )
        url = self.base_url + path
        merged, body = encode_body(self.headers, headers, json)
        attempt = 0
        start = time.monotonic()
        policy = self._policy
        while True:
            attempt += 1
            try:
                return await self._once(method, url, merged, body, params)
            except (APIStatusError, APIConnectionError) as error:
                wait = policy.delay(attempt, error)
                repeatable = policy.repeatable(method, merged)
                elapsed = time.monotonic() - start
                final = policy.give_up(url, attempt, elapsed, error, wait, repeatable)
                if final is not None:
                    log_request_give_up(method, url, attempt, error, merged)
                    if final is error:
                        raise
                    raise final from error
                assert wait is not None
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
        redirects = Redirects(
            Request(method=method, url=url, headers=headers, body=body),
            self.secret_headers,
            self.max_redirects,
        )
        status, response_headers, content = await fetch(
            self.client,
            redirects,
            timeout=self.timeout,
            connect=self._policy.connect_timeout(self.timeout),
            params=params,
            max_bytes=self.max_response_bytes,
            opened=self._reached,
        )
        record_response(self.family, ResponseInfo.of(method, url, status, response_headers))
        return answer(method, url, status, response_headers, content)

    def _reached(self) -> None:
        """A server answered: from now on, connection failures get the long budget."""
        self._policy.reached = True

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
        idle_timeout: float | None = None,
        extras: RequestExtras | None = None,
    ) -> AsyncEventSource:
        """An SSE source for `path` on this client's connection pool, with its headers;
        the pool stays this client's (closing the source does not close it).

        Its headers wait at most ``timeout`` (``headers_timeout``); `idle_timeout` (None:
        this client's ``idle_timeout``) bounds the time between real events, however
        many bytes trickle in between; redirects follow this client's ``secret_headers``
        and ``max_redirects``; a first connection fails fast as this client's JSON calls
        do (``first_connect_timeout``, UnreachableError with the ``hint``). The caller's
        `extras` (see ``RequestExtras``) join the stream's request, which every
        reconnect re-sends.
        """
        path, json, headers = stream_request(path, json, headers, extras)
        from ._async import AsyncEventSource  # the stream machinery: with the first stream

        return AsyncEventSource(
            self.base_url + path,
            method=method,
            headers={**self.headers, **(headers or {})},
            json=json,
            client=self.client,
            connect_timeout=self.timeout,
            headers_timeout=self.timeout,
            read_timeout=read_timeout,
            idle_timeout=idle_timeout if idle_timeout is not None else self.idle_timeout,
            max_reconnect_attempts=max_reconnect_attempts,
            retry=retry,
            policy=policy,
            secret_headers=self.secret_headers,
            max_redirects=self.max_redirects,
            first_connect_timeout=self.first_connect_timeout,
            connect_hint=self.hint,
        )

    async def aclose(self) -> None:
        """Close the connection pool, when this client made it."""
        if self.owns_client:
            await self.client.aclose()
