"""shipit-agent servers: ``Shipit`` / ``AsyncShipit``, and the typed layer of both of
shipit's SSE formats for any shipit-based app (``ShipitResumePolicy``, ``decode_event``).

Each twin is imported on first use, so ``Shipit`` never loads httpx and ``AsyncShipit``
never loads requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._adapter import ShipitAdapter, decode_event
    from ._async_client import (
        AsyncChat,
        AsyncChatStream,
        AsyncCompletions,
        AsyncRunStream,
        AsyncShipit,
    )
    from ._chat import decode_chunk
    from ._policy import ShipitResumePolicy
    from ._run_stream import ShipitEvent, ShipitServerError
    from ._sync_client import Chat, ChatStream, Completions, RunStream, Shipit

__all__ = [
    "AsyncChat",
    "AsyncChatStream",
    "AsyncCompletions",
    "AsyncRunStream",
    "AsyncShipit",
    "Chat",
    "ChatStream",
    "Completions",
    "RunStream",
    "Shipit",
    "ShipitAdapter",
    "ShipitEvent",
    "ShipitResumePolicy",
    "ShipitServerError",
    "decode_chunk",
    "decode_event",
]

_WHERE = {
    "AsyncChat": "._async_client",
    "AsyncChatStream": "._async_client",
    "AsyncCompletions": "._async_client",
    "AsyncRunStream": "._async_client",
    "AsyncShipit": "._async_client",
    "Chat": "._sync_client",
    "ChatStream": "._sync_client",
    "Completions": "._sync_client",
    "RunStream": "._sync_client",
    "Shipit": "._sync_client",
    "ShipitAdapter": "._adapter",
    "ShipitEvent": "._run_stream",
    "ShipitResumePolicy": "._policy",
    "ShipitServerError": "._run_stream",
    "decode_chunk": "._chat",
    "decode_event": "._adapter",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
