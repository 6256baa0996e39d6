"""Everruns sessions: ``Everruns`` / ``AsyncEverruns``, their resources and streams.

Each twin is imported on first use, so ``Everruns`` never loads httpx and
``AsyncEverruns`` never loads requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._async_client import AsyncEverruns, AsyncSessions
    from ._async_resources import (
        AsyncEvents,
        AsyncMessages,
        AsyncQuestionAnswers,
        AsyncToolApprovals,
        AsyncToolResults,
    )
    from ._async_streams import AsyncSessionStream, AsyncTurnStream, ToolHandler
    from ._common import EventTypeError, EverrunsConfigError
    from ._policy import SessionResumePolicy
    from ._stream_parts import EverrunsEvent
    from ._sync_client import Everruns, Sessions
    from ._sync_resources import Events, Messages, QuestionAnswers, ToolApprovals, ToolResults
    from ._sync_streams import SessionStream, TurnStream

__all__ = [
    "AsyncEvents",
    "AsyncEverruns",
    "AsyncMessages",
    "AsyncQuestionAnswers",
    "AsyncSessionStream",
    "AsyncSessions",
    "AsyncToolApprovals",
    "AsyncToolResults",
    "AsyncTurnStream",
    "EventTypeError",
    "Events",
    "Everruns",
    "EverrunsConfigError",
    "EverrunsEvent",
    "Messages",
    "QuestionAnswers",
    "SessionResumePolicy",
    "SessionStream",
    "Sessions",
    "ToolApprovals",
    "ToolHandler",
    "ToolResults",
    "TurnStream",
]

_WHERE = {
    "AsyncEverruns": "._async_client",
    "AsyncSessions": "._async_client",
    "AsyncEvents": "._async_resources",
    "AsyncMessages": "._async_resources",
    "AsyncQuestionAnswers": "._async_resources",
    "AsyncToolApprovals": "._async_resources",
    "AsyncToolResults": "._async_resources",
    "AsyncSessionStream": "._async_streams",
    "AsyncTurnStream": "._async_streams",
    "ToolHandler": "._async_streams",
    "EventTypeError": "._common",
    "EverrunsConfigError": "._common",
    "SessionResumePolicy": "._policy",
    "EverrunsEvent": "._stream_parts",
    "Everruns": "._sync_client",
    "Sessions": "._sync_client",
    "Events": "._sync_resources",
    "Messages": "._sync_resources",
    "QuestionAnswers": "._sync_resources",
    "ToolApprovals": "._sync_resources",
    "ToolResults": "._sync_resources",
    "SessionStream": "._sync_streams",
    "TurnStream": "._sync_streams",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
