"""AsyncClientBase: what every platform client shares (per-call copies, the last
response, closing).

This file is the async source; its sync twin is generated from it.

A platform client sets ``base_url``, ``timeout`` and ``_http`` (its AsyncHTTP), and
implements ``_bind``: make its resource objects (``client.runs``, ``client.sessions``,
...) on its current ``_http``. ``with_options`` calls it on the copy it makes, so the
copy's resources speak through the copy's limits.
"""

from __future__ import annotations

import copy

from typing_extensions import Self

from ._async_http import AsyncHTTP
from ._http import ResponseInfo

__all__ = ["AsyncClientBase"]


class AsyncClientBase:
    """The base of the platform clients: ``with_options``, ``last_response``, closing."""

    base_url: str
    timeout: float
    _http: AsyncHTTP

    def _bind(self) -> None:
        """(Re)make this client's resource objects on its current ``_http``."""
        raise NotImplementedError

    def with_options(self, *, timeout: float | None = None, max_retries: int | None = None) -> Self:
        """A copy of this client with another `timeout` and/or `max_retries`, sharing
        its connection pool (closing the copy leaves the pool to this client)."""
        new = copy.copy(self)
        new._http = self._http.with_options(timeout=timeout, max_retries=max_retries)
        new.timeout = new._http.timeout
        new._bind()
        return new

    @property
    def last_response(self) -> ResponseInfo | None:
        """The response of this client's last JSON call in the current thread or task
        (``status_code``, ``headers``, ``request_id``), or None; see the README's
        conventions."""
        return self._http.last_response

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, when this client made it."""
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"
