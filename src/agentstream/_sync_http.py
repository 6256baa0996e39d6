"""SyncHTTP: a platform client's JSON requests and event sources over requests.

The twin of ``_async_http.py``; both are hand-written, as the drivers are, because this
is where requests and httpx differ. The rules (retries, errors) live in ``_http.py``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests

from ._exceptions import APIConnectionError, APIStatusError, APITimeoutError
from ._http import MAX_RESPONSE_BYTES, BodyLimit, RetryPolicy, answer, encode_body
from ._observe import log_request_give_up, log_retry
from ._policy import ResumePolicy
from ._sync import EventSource

__all__ = ["SyncHTTP"]

CHUNK = 64 * 1024


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
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_response_bytes = max_response_bytes
        self.headers = dict(headers)
        self.timeout = timeout
        self.session = session if session is not None else requests.Session()
        self.owns_session = session is None
        self._policy = RetryPolicy(max_retries)

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
        merged, body = encode_body(self.headers, headers, json)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, url, merged, body, params)
            except (APIStatusError, APIConnectionError) as error:
                wait = self._policy.delay(attempt, error)
                if wait is None or not self._policy.repeatable(method, merged):
                    log_request_give_up(method, url, attempt, error, merged)
                    raise
                log_retry(method, url, attempt, wait, error, merged)
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
                method,
                url,
                headers=headers,
                data=body,
                params=params,
                timeout=self.timeout,
                stream=True,  # read as far as the limit, no further
            )
            with response:
                limit = BodyLimit(method, url, response.status_code, self.max_response_bytes)
                for chunk in response.iter_content(CHUNK):
                    if not limit.take(chunk):
                        break
        except requests.Timeout as exc:
            raise APITimeoutError(f"{type(exc).__name__}: {exc}") from exc
        except requests.RequestException as exc:
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
    ) -> EventSource:
        """An SSE source for `path` on this client's session, with its headers; the
        session stays this client's (closing the source does not close it)."""
        return EventSource(
            self.base_url + path,
            method=method,
            headers={**self.headers, **(headers or {})},
            json=json,
            session=self.session,
            connect_timeout=self.timeout,
            read_timeout=read_timeout,
            max_reconnect_attempts=max_reconnect_attempts,
            retry=retry,
            policy=policy,
        )

    def close(self) -> None:
        """Close the session, when this client made it."""
        if self.owns_session:
            self.session.close()
