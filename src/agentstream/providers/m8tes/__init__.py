"""The m8tes Runs API: ``M8tes`` / ``AsyncM8tes`` and their run streams.

Each twin is imported on first use, so ``M8tes`` never loads httpx and ``AsyncM8tes``
never loads requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._async_client import AsyncM8tes, AsyncRuns
    from ._async_run_stream import AsyncRunStream
    from ._policy import RunResumePolicy
    from ._run_stream import M8tesEvent
    from ._sync_client import M8tes, Runs
    from ._sync_run_stream import RunStream

__all__ = [
    "AsyncM8tes",
    "AsyncRunStream",
    "AsyncRuns",
    "M8tes",
    "M8tesEvent",
    "RunResumePolicy",
    "RunStream",
    "Runs",
]

_WHERE = {
    "AsyncM8tes": "._async_client",
    "AsyncRunStream": "._async_run_stream",
    "AsyncRuns": "._async_client",
    "M8tes": "._sync_client",
    "M8tesEvent": "._run_stream",
    "RunResumePolicy": "._policy",
    "RunStream": "._sync_run_stream",
    "Runs": "._sync_client",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
