"""agentstream: stream, resume and test AI-agent event streams, sync and async.

The platform clients (``M8tes``, ``Everruns``, ``ManagedAgents``, ``Shipit``, each with its
``Async`` twin) hand out one stream object (``with ... as stream``, ``iter_text()``, ``.text``,
``.transcript``, ``on(...)``). The generic client is ``EventSource`` (requests) and
``AsyncEventSource`` (httpx): a WHATWG-exact Server-Sent Events reader that reconnects
with ``Last-Event-ID``, honours ``retry:``, backs off with jitter, and detects dead and
stuck connections.

Importing the package is cheap: every name but the exceptions is loaded on first use
(PEP 562), so neither requests nor httpx nor any platform's generated types load until
something needs them.
"""

from __future__ import annotations

# Private aliases: every public name bound here is in __all__.
import importlib as _importlib
import typing as _typing

from ._exceptions import (
    ActionRequiredError,
    AgentStreamError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ConflictError,
    EventDecodeError,
    InternalServerError,
    LocalProtocolError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    RateLimitError,
    ReconnectExhausted,
    RemoteProtocolError,
    RunFailedError,
    StreamIdleTimeout,
    StreamInterruptedError,
    UnprocessableEntityError,
    UnreachableError,
)

if _typing.TYPE_CHECKING:
    from ._accumulate import ToolCall, Transcript
    from ._async import AsyncEventSource
    from ._async_stream import AsyncEventStream
    from ._observe import ReconnectInfo, StreamStats
    from ._policy import LastEventIdPolicy, Request, ResumePolicy, Verdict
    from ._sse import Comment, ServerSentEvent, SSEDecoder, encode, encode_comment
    from ._states import StreamState
    from ._sync import EventSource
    from ._sync_stream import EventStream
    from .providers.everruns import AsyncEverruns, Everruns
    from .providers.m8tes import AsyncM8tes, AsyncRunStream, M8tes, RunStream
    from .providers.managed_agents import AsyncManagedAgents, ManagedAgents
    from .providers.shipit import AsyncShipit, Shipit
    from .types import UnknownEvent

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ActionRequiredError",
    "AgentStreamError",
    "AsyncEventSource",
    "AsyncEventStream",
    "AsyncEverruns",
    "AsyncM8tes",
    "AsyncManagedAgents",
    "AsyncRunStream",
    "AsyncShipit",
    "AuthenticationError",
    "BadRequestError",
    "Comment",
    "ConfigError",
    "ConflictError",
    "EventDecodeError",
    "EventSource",
    "EventStream",
    "Everruns",
    "InternalServerError",
    "LastEventIdPolicy",
    "LocalProtocolError",
    "M8tes",
    "ManagedAgents",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReconnectExhausted",
    "ReconnectInfo",
    "RemoteProtocolError",
    "Request",
    "ResumePolicy",
    "RunFailedError",
    "RunStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Shipit",
    "StreamIdleTimeout",
    "StreamInterruptedError",
    "StreamState",
    "StreamStats",
    "ToolCall",
    "Transcript",
    "UnknownEvent",
    "UnprocessableEntityError",
    "UnreachableError",
    "Verdict",
    "__version__",
    "encode",
    "encode_comment",
]

_LAZY = {
    "AsyncEventSource": "._async",
    "AsyncEventStream": "._async_stream",
    "AsyncEverruns": ".providers.everruns",
    "AsyncManagedAgents": ".providers.managed_agents",
    "AsyncShipit": ".providers.shipit",
    "AsyncM8tes": ".providers.m8tes",
    "AsyncRunStream": ".providers.m8tes",
    "Comment": "._sse",
    "EventSource": "._sync",
    "EventStream": "._sync_stream",
    "Everruns": ".providers.everruns",
    "ManagedAgents": ".providers.managed_agents",
    "Shipit": ".providers.shipit",
    "LastEventIdPolicy": "._policy",
    "M8tes": ".providers.m8tes",
    "Request": "._policy",
    "ResumePolicy": "._policy",
    "ReconnectInfo": "._observe",
    "RunStream": ".providers.m8tes",
    "SSEDecoder": "._sse",
    "ServerSentEvent": "._sse",
    "StreamState": "._states",
    "StreamStats": "._observe",
    "ToolCall": "._accumulate",
    "Transcript": "._accumulate",
    "UnknownEvent": ".types",
    "Verdict": "._policy",
    "encode": "._sse",
    "encode_comment": "._sse",
}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # the next lookup is a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
