"""AsyncStreamManager: the one async-only piece of the platform clients.

An async resource method that streams (``runs.create(...)``) cannot be both a coroutine
and an async context manager, yet users write both ``stream = await runs.create(...)``
and ``async with runs.create(...) as stream``. The method returns this object, which is
both. Its sync twin is the stream itself (a context manager already), so
``codegen/unasync.py`` rewrites ``AsyncStreamManager(stream)`` to ``stream``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["AsyncStreamManager"]


class _Closeable(Protocol):
    async def aclose(self) -> None: ...


S = TypeVar("S", bound=_Closeable)


class AsyncStreamManager(Generic[S]):
    """Await it for the stream, or use it as ``async with ... as stream`` to have the
    stream closed on the way out."""

    def __init__(self, stream: S) -> None:
        self._stream = stream

    def __await__(self) -> Generator[Any, None, S]:
        return self._get().__await__()

    async def _get(self) -> S:
        return self._stream

    async def __aenter__(self) -> S:
        return self._stream

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stream.aclose()
