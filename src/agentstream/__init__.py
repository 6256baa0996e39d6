"""agentstream: stream, resume and test AI-agent event streams, sync and async.

The generic client is ``EventSource`` (requests) and ``AsyncEventSource`` (httpx): a
WHATWG-exact Server-Sent Events reader that reconnects with ``Last-Event-ID``, honours
``retry:``, backs off with jitter, and detects dead and stuck connections.
"""

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
    StreamIdleTimeout,
    StreamInterruptedError,
    UnprocessableEntityError,
)
from ._machine import StreamState
from ._policy import LastEventIdPolicy, Request, ResumePolicy, Verdict
from ._sse import Comment, ServerSentEvent, SSEDecoder, encode, encode_comment
from ._sync import EventSource

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AgentStreamError",
    "AsyncEventSource",
    "AuthenticationError",
    "BadRequestError",
    "Comment",
    "ConflictError",
    "EventDecodeError",
    "EventSource",
    "InternalServerError",
    "LastEventIdPolicy",
    "LocalProtocolError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ReconnectExhausted",
    "RemoteProtocolError",
    "Request",
    "ResumePolicy",
    "SSEDecoder",
    "ServerSentEvent",
    "StreamIdleTimeout",
    "StreamInterruptedError",
    "StreamState",
    "UnprocessableEntityError",
    "Verdict",
    "__version__",
    "encode",
    "encode_comment",
]
