"""Claude Managed Agents sessions: ``ManagedAgents`` / ``AsyncManagedAgents``.

Each twin is imported on first use, so ``ManagedAgents`` never loads httpx and
``AsyncManagedAgents`` never loads requests. The constructors of the events a client
sends (``user_message``, ``custom_tool_result``, ...) are plain functions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._async_client import AsyncManagedAgents, AsyncSessions
    from ._async_events import (
        AsyncCursorPage,
        AsyncEvents,
        AsyncSessionStream,
        AsyncThreadEvents,
        AsyncThreads,
        AsyncTurnStream,
    )
    from ._common import (
        ActionNotHandledError,
        ManagedAgentsEvent,
        TurnOutcome,
    )
    from ._params import (
        custom_tool_result,
        define_outcome,
        interrupt,
        system_message,
        tool_confirmation,
        tool_result,
        user_message,
    )
    from ._policy import SessionResumePolicy
    from ._sync_client import ManagedAgents, Sessions
    from ._sync_events import CursorPage, Events, SessionStream, ThreadEvents, Threads, TurnStream

__all__ = [
    "ActionNotHandledError",
    "AsyncCursorPage",
    "AsyncEvents",
    "AsyncManagedAgents",
    "AsyncSessionStream",
    "AsyncSessions",
    "AsyncThreadEvents",
    "AsyncThreads",
    "AsyncTurnStream",
    "CursorPage",
    "Events",
    "ManagedAgents",
    "ManagedAgentsEvent",
    "SessionResumePolicy",
    "SessionStream",
    "Sessions",
    "ThreadEvents",
    "Threads",
    "TurnOutcome",
    "TurnStream",
    "custom_tool_result",
    "define_outcome",
    "interrupt",
    "system_message",
    "tool_confirmation",
    "tool_result",
    "user_message",
]

_WHERE = {
    "ActionNotHandledError": "._common",
    "AsyncCursorPage": "._async_events",
    "AsyncEvents": "._async_events",
    "AsyncManagedAgents": "._async_client",
    "AsyncSessionStream": "._async_events",
    "AsyncSessions": "._async_client",
    "AsyncThreadEvents": "._async_events",
    "AsyncThreads": "._async_events",
    "AsyncTurnStream": "._async_events",
    "CursorPage": "._sync_events",
    "Events": "._sync_events",
    "ManagedAgents": "._sync_client",
    "ManagedAgentsEvent": "._common",
    "SessionResumePolicy": "._policy",
    "SessionStream": "._sync_events",
    "Sessions": "._sync_client",
    "ThreadEvents": "._sync_events",
    "Threads": "._sync_events",
    "TurnOutcome": "._common",
    "TurnStream": "._sync_events",
    "custom_tool_result": "._params",
    "define_outcome": "._params",
    "interrupt": "._params",
    "system_message": "._params",
    "tool_confirmation": "._params",
    "tool_result": "._params",
    "user_message": "._params",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
