"""The httpx side of an exchange, shared by AsyncEventSource and AsyncHTTP: one request
sent hop by hop through its redirects (the rules are ``_redirects.py``). Deadlines are
cancel scopes around these calls, in the callers: with httpx, cancelling a read in
progress is all it takes."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import anyio
import httpx

from ._exceptions import APIConnectionError, APITimeoutError, scrub
from ._policy import Request
from ._redirects import Redirects

__all__ = ["aclose_shielded", "map_error", "open_response", "wire_headers"]


def map_error(exc: BaseException) -> APIConnectionError:
    """httpx errors -> ours. The message names the cause, never a header."""
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    error = kind(f"{type(exc).__name__}: {scrub(str(exc))}")
    error.__cause__ = exc
    return error


def wire_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as the wire wants them: a non-ASCII value (a Last-Event-ID, say) goes
    as UTF-8, as the SSE spec says, where httpx would refuse anything but ASCII."""
    return [(k.encode("ascii"), v.encode("utf-8")) for k, v in headers.items()]


async def aclose_shielded(response: httpx.Response) -> None:
    """Close `response`, even in a cancelled scope, never raising."""
    with anyio.CancelScope(shield=True):
        with contextlib.suppress(Exception):
            await response.aclose()


async def open_response(
    client: httpx.AsyncClient,
    redirects: Redirects,
    *,
    timeout: httpx.Timeout | float,
    params: Mapping[str, Any] | None = None,
) -> httpx.Response:
    """Send ``redirects.request`` and follow its redirects; the final response, its
    body unread. `params` go with the first hop only (a Location carries its own query).

    Raises:
        RemoteProtocolError: too many redirects, or one to a location that is not http(s).
        httpx.HTTPError: as httpx raises it.
    """
    request: Request | None = redirects.request
    while request is not None:
        response = await client.send(
            client.build_request(
                request.method,
                request.url,
                headers=wire_headers(request.headers),
                content=request.body,
                params=params,
                timeout=timeout,
            ),
            stream=True,
            follow_redirects=False,
        )
        try:
            request = redirects.follow(response.status_code, response.headers)
        except BaseException:
            await aclose_shielded(response)
            raise
        if request is None:
            return response
        await aclose_shielded(response)
        params = None
    raise AssertionError("unreachable")  # pragma: no cover
