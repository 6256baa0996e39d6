"""agentstream: stream, resume and test AI-agent event streams, sync and async.

The generic client is ``EventSource`` (requests) and ``AsyncEventSource`` (httpx): a
WHATWG-exact Server-Sent Events reader that reconnects with ``Last-Event-ID``, honours
``retry:``, backs off with jitter, and detects dead and stuck connections.
"""

from ._accumulate import ToolCall, Transcript
from ._async import AsyncEventSource
from ._exceptions import (
    AgentStreamError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
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
)
from ._machine import StreamState
from ._policy import LastEventIdPolicy, Request, ResumePolicy, Verdict
from ._sse import Comment, ServerSentEvent, SSEDecoder, encode, encode_comment
from ._stream import AsyncEventStream, EventStream
from ._sync import EventSource
from .providers.m8tes import AsyncM8tes, AsyncRunStream, M8tes, RunStream
from .types import UnknownEvent

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AgentStreamError",
    "AsyncEventSource",
    "AsyncEventStream",
    "AsyncM8tes",
    "AsyncRunStream",
    "AuthenticationError",
    "BadRequestError",
    "Comment",
    "ConflictError",
    "EventDecodeError",
    "EventSource",
    "EventStream",
    "InternalServerError",
    "LastEventIdPolicy",
    "LocalProtocolError",
    "M8tes",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReconnectExhausted",
    "RemoteProtocolError",
    "Request",
    "ResumePolicy",
    "RunFailedError",
    "RunStream",
    "SSEDecoder",
    "ServerSentEvent",
    "StreamIdleTimeout",
    "StreamInterruptedError",
    "StreamState",
    "ToolCall",
    "Transcript",
    "UnknownEvent",
    "UnprocessableEntityError",
    "Verdict",
    "__version__",
    "encode",
    "encode_comment",
]
