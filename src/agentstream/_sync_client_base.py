# Generated from _async_client_base.py by codegen/unasync.py (`make codegen`): do not edit.
"""ClientBase: what every platform client shares (per-call copies, the last
response, closing).

This file is generated from the async source; edit that one.

A platform client sets ``base_url``, ``timeout`` and ``_http`` (its SyncHTTP), and
implements ``_bind``: make its resource objects (``client.runs``, ``client.sessions``,
...) on its current ``_http``. ``with_options`` calls it on the copy it makes, so the
copy's resources speak through the copy's limits.
"""

from __future__ import annotations

import copy

from typing_extensions import Self

from ._http import ResponseInfo
from ._sync_http import SyncHTTP

__all__ = ["ClientBase"]


class ClientBase:
    """The base of the platform clients: ``with_options``, ``last_response``, closing."""

    base_url: str
    timeout: float
    _http: SyncHTTP

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool, when this client made it."""
        self._http.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"
