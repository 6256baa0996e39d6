"""Everruns types, generated from schema/everruns/ by codegen/. DO NOT EDIT.

Regenerate with ``make codegen``; ``make check`` fails when this file is stale.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._base import wire_dict


@attrs.frozen(kw_only=True)
class EventContext:
    """Correlation and tracing context of an event; every field is optional and the object may be empty."""

    turn_id: str | None = None
    """Turn the event belongs to."""
    input_message_id: str | None = None
    """User message that started the turn."""
    exec_id: str | None = None
    """Execution id."""
    trace_id: str | None = None
    """Trace id."""
    span_id: str | None = None
    """Span id."""
    parent_span_id: str | None = None
    """Parent span id."""


@attrs.frozen(kw_only=True)
class TokenUsage:
    """Token usage statistics (the cost fields come from the everruns-sdk model)."""

    input_tokens: int
    """Input tokens."""
    output_tokens: int
    """Output tokens."""
    cache_read_tokens: int | None = None
    """Input tokens served from the prompt cache."""
    cache_creation_tokens: int | None = None
    """Input tokens written to the prompt cache."""
    actual_cost_usd: float | None = None
    """Actual cost in US dollars."""
    effective_cost_usd: float | None = None
    """Effective cost in US dollars."""
    estimated_cost_usd: float | None = None
    """Estimated cost in US dollars."""


@attrs.frozen(kw_only=True)
class ModelMetadata:
    """Which model produced an output."""

    model: str
    """Model name."""
    model_id: str | None = None
    """Model id."""
    provider_id: str | None = None
    """Provider id."""


@attrs.frozen(kw_only=True)
class ToolCall:
    """A tool call requested by the model."""

    id: str
    """Tool call id, answered by `tool_call_id` in results."""
    name: str
    """Tool name."""
    arguments: dict[str, Any]
    """Tool arguments."""


@attrs.frozen(kw_only=True)
class ContentPart:
    """One part of a message's content: text, an image, a tool call or a tool result."""

    type: str
    """Part kind. Known values `text`, `image`, `image_file`, `tool_call`, `tool_result` (open set)."""
    text: str | None = None
    """Text of a `text` part."""
    base64: str | None = None
    """Base64 image data of an `image` part."""
    media_type: str | None = None
    """Media type of an image."""
    url: str | None = None
    """Image URL."""
    filename: str | None = None
    """File name of an `image_file` part."""
    image_id: str | None = None
    """Stored image id."""
    id: str | None = None
    """Tool call id of a `tool_call` part."""
    name: str | None = None
    """Tool name of a `tool_call` part."""
    arguments: dict[str, Any] | None = None
    """Arguments of a `tool_call` part."""
    tool_call_id: str | None = None
    """Tool call a `tool_result` part answers."""
    result: Any | None = None
    """Result of a `tool_result` part, any JSON value."""
    error: str | None = None
    """Error of a failed `tool_result` part."""


MessagePhase: TypeAlias = str
"""
Message phase. Known values `commentary` and `final_answer` (open set).
"""


ErrorDisclosure: TypeAlias = str
"""
How much error detail is disclosed. Known values `generic`, `standard`, `detailed` (open set).
"""


@attrs.frozen(kw_only=True)
class Message:
    """A message in a session's conversation."""

    id: str
    """Message id."""
    role: str
    """Author role. Known values `system`, `user`, `agent`, `tool_result` (everruns-sdk) and `assistant` (documentation); open set."""
    content: list[ContentPart]
    """Content parts in order."""
    created_at: str
    """When the message was created (ISO 8601)."""
    phase: MessagePhase | None = None
    phase_source: str | None = None
    """Where the phase came from: `provider` or `derived` (open set)."""
    metadata: dict[str, Any] | None = None
    """Message metadata."""
    thinking: str | None = None
    """Thinking text attached to the message."""
    thinking_signature: str | None = None
    """Provider signature of the thinking text."""
    controls: dict[str, Any] | None = None
    """Runtime controls the message was sent with."""


SessionTask: TypeAlias = dict[str, Any]
"""
Snapshot of a session task. Payload not documented by the platform; kept as an open object.
"""


BudgetEventData: TypeAlias = dict[str, Any]
"""
Payload of the `budget.*` events. Payload not documented by the platform; kept as an open object.
"""


SessionStatus: TypeAlias = str
"""
Session status. Known values `started`, `active`, `idle`, `waitingfortoolresults` (open set).
"""


@attrs.frozen(kw_only=True)
class Session:
    """A session, one instance of the agentic loop; only `status` and its values are documented in the API reference, so the other fields are inferred from the everruns-sdk `Session` model."""

    id: str
    """Session id."""
    organization_id: str
    """Owning organisation."""
    harness_id: str
    """Harness the session runs on."""
    status: SessionStatus
    created_at: str
    """Creation time (ISO 8601)."""
    updated_at: str
    """Last update (ISO 8601)."""
    agent_id: str | None = None
    """Agent the session runs."""
    title: str | None = None
    """Session title."""
    model_id: str | None = None
    """Model override."""
    workspace_id: str | None = None
    """Workspace."""
    parent_session_id: str | None = None
    """Parent session, for forks and subagents."""
    tags: list[str] | None = None
    """Session tags."""
    started_at: str | None = None
    """When the session started (ISO 8601)."""
    finished_at: str | None = None
    """When the session finished (ISO 8601)."""
    usage: TokenUsage | None = None
    """Cumulative token usage."""
    preview: str | None = None
    """Short preview of the conversation."""
    output_preview: str | None = None
    """Short preview of the latest output."""


@attrs.frozen(kw_only=True)
class Error:
    """The error."""

    code: str
    """Error code."""
    message: str
    """Error message."""


@attrs.frozen(kw_only=True)
class ErrorEnvelope:
    """Body of an Everruns API error response."""

    error: Error
    """The error."""


@attrs.frozen(kw_only=True)
class ActCompletedData:
    """Payload (`data`) of a `act.completed` event."""

    completed: bool
    """Whether every call finished."""
    success_count: int
    """Calls that succeeded."""
    error_count: int
    """Calls that failed."""
    duration_ms: int | None = None
    """Duration in milliseconds."""
    headline: str | None = None
    """One-line summary."""


@attrs.frozen(kw_only=True)
class ActCompletedEvent:
    """The agent finished executing the tool calls of a reasoning step."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ActCompletedData
    type: Literal["act.completed"] = "act.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ActToolCall:
    """A tool call as listed by `act.started`."""

    id: str
    """Tool call id."""
    name: str
    """Tool name."""
    display_name: str | None = None
    """Display name of the tool."""
    narration: str | None = None
    """Narration shown while it runs."""
    completed_narration: str | None = None
    """Narration shown when it is done."""


BudgetExhaustedData: TypeAlias = BudgetEventData
"""
Payload (`data`) of a `budget.exhausted` event (`BudgetEventData`).
"""


@attrs.frozen(kw_only=True)
class BudgetExhaustedEvent:
    """The session's budget is exhausted. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: BudgetExhaustedData
    type: Literal["budget.exhausted"] = "budget.exhausted"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


BudgetPausedData: TypeAlias = BudgetEventData
"""
Payload (`data`) of a `budget.paused` event (`BudgetEventData`).
"""


@attrs.frozen(kw_only=True)
class BudgetPausedEvent:
    """The session was paused because of its budget. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: BudgetPausedData
    type: Literal["budget.paused"] = "budget.paused"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


BudgetResumedData: TypeAlias = BudgetEventData
"""
Payload (`data`) of a `budget.resumed` event (`BudgetEventData`).
"""


@attrs.frozen(kw_only=True)
class BudgetResumedEvent:
    """The session resumed after a budget pause. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: BudgetResumedData
    type: Literal["budget.resumed"] = "budget.resumed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


BudgetWarningData: TypeAlias = BudgetEventData
"""
Payload (`data`) of a `budget.warning` event (`BudgetEventData`).
"""


@attrs.frozen(kw_only=True)
class BudgetWarningEvent:
    """The session's budget is close to its limit. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: BudgetWarningData
    type: Literal["budget.warning"] = "budget.warning"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class CapabilityUsageRecord:
    """One capability usage record."""

    capability_id: str
    """Capability id."""
    usage_kind: str
    """Kind of usage. Known values `configured`, `resolved`, `exposed`, `invoked`, `effect_ran` (open set)."""
    capability_name: str | None = None
    """Capability name."""
    tool_name: str | None = None
    """Tool involved."""
    usage_count: int | None = None
    """How many times."""
    duration_ms: int | None = None
    """Duration in milliseconds."""


@attrs.frozen(kw_only=True)
class ConnectedFrame:
    """SSE lifecycle frame sent when the stream opens; it is not an event envelope, and the wire payload has no `type` key because the SSE `event:` name carries it."""

    status: str
    """Always `connected`."""
    type: Literal["connected"] | None = None
    """The SSE `event:` name; absent from the wire payload and filled in by the decoder when needed."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ContextCompactedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `context.compacted` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ContextCompactedEvent:
    """The conversation context was compacted. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ContextCompactedData
    type: Literal["context.compacted"] = "context.compacted"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ContextCompactingData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `context.compacting` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ContextCompactingEvent:
    """The server is compacting the conversation context. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ContextCompactingData
    type: Literal["context.compacting"] = "context.compacting"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ContextCompactionFailedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `context.compaction.failed` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ContextCompactionFailedEvent:
    """Context compaction failed. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ContextCompactionFailedData
    type: Literal["context.compaction.failed"] = "context.compaction.failed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ContextCompactionSkippedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `context.compaction.skipped` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ContextCompactionSkippedEvent:
    """Context compaction was skipped. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ContextCompactionSkippedData
    type: Literal["context.compaction.skipped"] = "context.compaction.skipped"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class DisconnectingFrame:
    """SSE lifecycle frame sent before the server closes the stream (connection cycling); it is not an event envelope, and the client reconnects with `since_id` after `retry_ms`."""

    reason: str
    """Why the server disconnects, for example `connection_cycle`."""
    type: Literal["disconnecting"] | None = None
    """The SSE `event:` name; absent from the wire payload and filled in by the decoder when needed."""
    retry_ms: int | None = 100
    """Milliseconds to wait before reconnecting; 100 when absent."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


FileWrittenData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `file.written` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class FileWrittenEvent:
    """A file was written in the session's workspace. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: FileWrittenData
    type: Literal["file.written"] = "file.written"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class InputMessageData:
    """Payload (`data`) of a `input.message` event."""

    message: Message


@attrs.frozen(kw_only=True)
class InputMessageEvent:
    """A user (or tool-result) message was added to the session."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: InputMessageData
    type: Literal["input.message"] = "input.message"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class LlmTool:
    """A tool definition offered to the model."""

    name: str
    """Tool name."""
    description: str | None = None
    """Description."""


@attrs.frozen(kw_only=True)
class LlmOutput:
    """What the model produced."""

    text: str | None = None
    """Generated text."""
    tool_calls: list[ToolCall] | None = None
    """Requested tool calls."""


@attrs.frozen(kw_only=True)
class LlmMetadata:
    """Metadata of the model call; its fields are named by the documentation but not typed, so they are all optional."""

    model: str | None = None
    """Model name."""
    provider: str | None = None
    """Provider."""
    usage: TokenUsage | None = None
    duration_ms: int | None = None
    """Duration in milliseconds."""
    time_to_first_token_ms: int | None = None
    """Latency to the first token, in milliseconds."""
    success: bool | None = None
    """Whether the call succeeded."""
    finish_reasons: list[str] | None = None
    """Provider finish reasons."""


@attrs.frozen(kw_only=True)
class OutputMessageCompletedData:
    """Payload (`data`) of a `output.message.completed` event."""

    message: Message
    metadata: ModelMetadata | None = None
    usage: TokenUsage | None = None
    error_code: str | None = None
    """Machine-readable error code, for example `provider_rate_limited`."""
    error_fields: dict[str, Any] | None = None
    """Structured details of the error."""
    error_disclosure: ErrorDisclosure | None = None


@attrs.frozen(kw_only=True)
class OutputMessageCompletedEvent:
    """The output message is complete; `message` is authoritative."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: OutputMessageCompletedData
    type: Literal["output.message.completed"] = "output.message.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class OutputMessageDeltaData:
    """Payload (`data`) of a `output.message.delta` event."""

    turn_id: str
    """Turn id."""
    message_id: str
    """Id of the message being written."""
    delta: str
    """New text since the previous delta."""
    accumulated: str
    """All text of the message so far."""
    phase: MessagePhase | None = None


@attrs.frozen(kw_only=True)
class OutputMessageDeltaEvent:
    """A chunk of the output message text (deltas are batched about every 100 ms)."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: OutputMessageDeltaData
    type: Literal["output.message.delta"] = "output.message.delta"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class OutputMessageReplacedData:
    """Payload (`data`) of a `output.message.replaced` event."""

    turn_id: str
    """Turn id."""
    message_id: str
    """Id of the replaced message."""
    guardrail_capability_id: str
    """Capability that holds the guardrail."""
    guardrail_id: str
    """Guardrail that fired."""
    reason_code: str
    """Why the message was replaced."""
    replacement: str
    """Text that replaces the message."""


@attrs.frozen(kw_only=True)
class OutputMessageReplacedEvent:
    """A guardrail replaced an output message, so text already streamed for `message_id` must be discarded in favour of `replacement`."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: OutputMessageReplacedData
    type: Literal["output.message.replaced"] = "output.message.replaced"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class OutputMessageStartedData:
    """Payload (`data`) of a `output.message.started` event."""

    turn_id: str
    """Turn id."""
    message_id: str
    """Id of the message being written."""
    model: str | None = None
    """Model name."""
    iteration: int | None = None
    """Loop iteration within the turn."""
    phase: MessagePhase | None = None
    reasoning_state: Any | None = None
    """Provider reasoning state carried across iterations."""


@attrs.frozen(kw_only=True)
class OutputMessageStartedEvent:
    """The agent started writing an output message."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: OutputMessageStartedData
    type: Literal["output.message.started"] = "output.message.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonCompletedData:
    """Payload (`data`) of a `reason.completed` event."""

    success: bool
    """Whether the model call succeeded."""
    has_tool_calls: bool
    """Whether the model asked for tools."""
    tool_call_count: int
    """How many tools it asked for."""
    text_preview: str | None = None
    """Start of the generated text."""
    error: str | None = None
    """Error of a failed call."""
    duration_ms: int | None = None
    """Duration in milliseconds."""
    usage: TokenUsage | None = None


@attrs.frozen(kw_only=True)
class ReasonCompletedEvent:
    """A reasoning step (model call) finished."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonCompletedData
    type: Literal["reason.completed"] = "reason.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonItemData:
    """Payload (`data`) of a `reason.item` event."""

    turn_id: str
    """Turn id."""
    provider: str
    """Provider that produced the item."""
    item_id: str
    """Provider item id."""
    summary: list[str]
    """Summary paragraphs."""
    model: str | None = None
    """Model name."""
    token_count: int | None = None
    """Reasoning tokens used."""


@attrs.frozen(kw_only=True)
class ReasonItemEvent:
    """A provider reasoning item with its summary."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonItemData
    type: Literal["reason.item"] = "reason.item"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ReasonRecoveredData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `reason.recovered` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ReasonRecoveredEvent:
    """A reasoning step recovered from an error. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonRecoveredData
    type: Literal["reason.recovered"] = "reason.recovered"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonStartedData:
    """Payload (`data`) of a `reason.started` event."""

    agent_id: str
    """Agent id."""
    metadata: ModelMetadata | None = None


@attrs.frozen(kw_only=True)
class ReasonStartedEvent:
    """The agent started a reasoning step (a model call)."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonStartedData
    type: Literal["reason.started"] = "reason.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonThinkingCompletedData:
    """Payload (`data`) of a `reason.thinking.completed` event."""

    turn_id: str
    """Turn id."""
    thinking: str
    """The complete thinking text."""


@attrs.frozen(kw_only=True)
class ReasonThinkingCompletedEvent:
    """The model's thinking text is complete."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonThinkingCompletedData
    type: Literal["reason.thinking.completed"] = "reason.thinking.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonThinkingDeltaData:
    """Payload (`data`) of a `reason.thinking.delta` event."""

    turn_id: str
    """Turn id."""
    delta: str
    """New thinking text."""
    accumulated: str
    """All thinking text so far."""


@attrs.frozen(kw_only=True)
class ReasonThinkingDeltaEvent:
    """A chunk of the model's thinking text."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonThinkingDeltaData
    type: Literal["reason.thinking.delta"] = "reason.thinking.delta"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasonThinkingStartedData:
    """Payload (`data`) of a `reason.thinking.started` event."""

    turn_id: str
    """Turn id."""
    model: str | None = None
    """Model name."""


@attrs.frozen(kw_only=True)
class ReasonThinkingStartedEvent:
    """The model started producing thinking text."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ReasonThinkingStartedData
    type: Literal["reason.thinking.started"] = "reason.thinking.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ScheduleTriggeredData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `schedule.triggered` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ScheduleTriggeredEvent:
    """A schedule triggered work in the session. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ScheduleTriggeredData
    type: Literal["schedule.triggered"] = "schedule.triggered"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionActivatedData:
    """Payload (`data`) of a `session.activated` event."""

    turn_id: str
    """Turn id."""
    input_message_id: str
    """Message that started the turn."""


@attrs.frozen(kw_only=True)
class SessionActivatedEvent:
    """The session became active because a turn started."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: SessionActivatedData
    type: Literal["session.activated"] = "session.activated"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionIdledData:
    """Payload (`data`) of a `session.idled` event."""

    turn_id: str
    """Turn id."""
    iterations: int | None = None
    """Iterations of the last turn."""
    usage: TokenUsage | None = None
    """Cumulative usage of the session."""


@attrs.frozen(kw_only=True)
class SessionIdledEvent:
    """The session became idle after a turn."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: SessionIdledData
    type: Literal["session.idled"] = "session.idled"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionModelChangedData:
    """Payload (`data`) of a `session.model.changed` event."""

    model_id: str
    """New model id."""
    model_name: str
    """New model name."""
    previous_model_id: str | None = None
    """Previous model id."""
    previous_model_name: str | None = None
    """Previous model name."""


@attrs.frozen(kw_only=True)
class SessionModelChangedEvent:
    """The session switched to another model."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: SessionModelChangedData
    type: Literal["session.model.changed"] = "session.model.changed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionStartedData:
    """Payload (`data`) of a `session.started` event."""

    harness_id: str
    """Harness the session runs on."""
    agent_id: str | None = None
    """Agent id."""
    model_id: str | None = None
    """Model id."""


@attrs.frozen(kw_only=True)
class SessionStartedEvent:
    """The session started."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: SessionStartedData
    type: Literal["session.started"] = "session.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class SessionTitleUpdatedData:
    """Payload (`data`) of a `session.title.updated` event."""

    previous_title: str | None
    """Title before the change; null when there was none."""
    title: str
    """New title."""


@attrs.frozen(kw_only=True)
class SessionTitleUpdatedEvent:
    """The session's title changed."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: SessionTitleUpdatedData
    type: Literal["session.title.updated"] = "session.title.updated"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TaskCreatedData:
    """Payload (`data`) of a `task.created` event."""

    task: SessionTask


@attrs.frozen(kw_only=True)
class TaskCreatedEvent:
    """A session task was created; `task` is its snapshot."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TaskCreatedData
    type: Literal["task.created"] = "task.created"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TaskMessageReceivedData:
    """Payload (`data`) of a `task.message.received` event."""

    task_id: str
    """Task id."""
    message: Any
    """The message; its shape is not documented, so any JSON value."""


@attrs.frozen(kw_only=True)
class TaskMessageReceivedEvent:
    """A message was received from a session task."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TaskMessageReceivedData
    type: Literal["task.message.received"] = "task.message.received"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TaskMessageSentData:
    """Payload (`data`) of a `task.message.sent` event."""

    task_id: str
    """Task id."""
    message: Any
    """The message; its shape is not documented, so any JSON value."""


@attrs.frozen(kw_only=True)
class TaskMessageSentEvent:
    """A message was sent to a session task."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TaskMessageSentData
    type: Literal["task.message.sent"] = "task.message.sent"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TaskUpdatedData:
    """Payload (`data`) of a `task.updated` event."""

    task: SessionTask


@attrs.frozen(kw_only=True)
class TaskUpdatedEvent:
    """A session task changed; `task` is its new snapshot."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TaskUpdatedData
    type: Literal["task.updated"] = "task.updated"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolCallRepairedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `tool.call_repaired` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ToolCallRepairedEvent:
    """The server repaired a malformed tool call. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolCallRepairedData
    type: Literal["tool.call_repaired"] = "tool.call_repaired"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCallRequestedData:
    """Payload (`data`) of a `tool.call_requested` event."""

    tool_calls: list[ToolCall] | None = None
    """Requested calls."""
    message: Message | None = None
    """Message whose `tool_call` content parts are the requested calls, used when `tool_calls` is absent."""


@attrs.frozen(kw_only=True)
class ToolCallRequestedEvent:
    """The model asked for client-side tools, which the client runs and answers through `POST /v1/sessions/{id}/tool-results`."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolCallRequestedData
    type: Literal["tool.call_requested"] = "tool.call_requested"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCompletedData:
    """Payload (`data`) of a `tool.completed` event."""

    tool_call_id: str
    """Tool call id."""
    tool_name: str
    """Tool name."""
    success: bool
    """Whether the call succeeded."""
    status: str
    """Outcome. Known values `success`, `error`, `timeout`, `cancelled` (open set)."""
    result: list[ContentPart] | None = None
    """Result content."""
    error: str | None = None
    """Error message."""
    duration_ms: int | None = None
    """Duration in milliseconds."""
    tool_call_fingerprint: str | None = None
    """Fingerprint of the call."""
    tool_result_fingerprint: str | None = None
    """Fingerprint of the result."""
    display_name: str | None = None
    """Display name of the tool."""
    capability_id: str | None = None
    """Capability id."""
    capability_name: str | None = None
    """Capability name."""
    narration: str | None = None
    """Narration to show."""


@attrs.frozen(kw_only=True)
class ToolCompletedEvent:
    """A tool call finished; this event is authoritative for its result."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolCompletedData
    type: Literal["tool.completed"] = "tool.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


ToolHostedCallData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `tool.hosted_call` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class ToolHostedCallEvent:
    """The provider ran a hosted tool on the agent's behalf. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolHostedCallData
    type: Literal["tool.hosted_call"] = "tool.hosted_call"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolOutputDeltaData:
    """Payload (`data`) of a `tool.output.delta` event."""

    tool_call_id: str
    """Tool call id."""
    tool_name: str
    """Tool name."""
    delta: str
    """Output chunk."""
    stream: str
    """Which stream the chunk came from, for example `stdout` or `stderr`."""


@attrs.frozen(kw_only=True)
class ToolOutputDeltaEvent:
    """A chunk of a running tool's output stream (informational; `tool.completed` carries the result)."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolOutputDeltaData
    type: Literal["tool.output.delta"] = "tool.output.delta"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolProgressData:
    """Payload (`data`) of a `tool.progress` event."""

    tool_call_id: str
    """Tool call id."""
    tool_name: str
    """Tool name."""
    message: str
    """Progress message."""
    display_name: str | None = None
    """Display name of the tool."""


@attrs.frozen(kw_only=True)
class ToolProgressEvent:
    """A progress message from a running tool."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolProgressData
    type: Literal["tool.progress"] = "tool.progress"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolStartedData:
    """Payload (`data`) of a `tool.started` event."""

    tool_call: ToolCall
    tool_call_fingerprint: str | None = None
    """Fingerprint of the call, for deduplication."""
    display_name: str | None = None
    """Display name of the tool."""
    narration: str | None = None
    """Narration to show."""


@attrs.frozen(kw_only=True)
class ToolStartedEvent:
    """A tool call started running."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ToolStartedData
    type: Literal["tool.started"] = "tool.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TranscriptRepairedData:
    """Payload (`data`) of a `transcript.repaired` event."""

    tool_call_id: str
    """Tool call id."""
    action: str
    """Repair action. Known values `replay`, `synthesize` (open set)."""
    tool_name: str | None = None
    """Tool name."""


@attrs.frozen(kw_only=True)
class TranscriptRepairedEvent:
    """The server repaired the transcript for a tool call that had no result, by replaying or synthesizing one."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TranscriptRepairedData
    type: Literal["transcript.repaired"] = "transcript.repaired"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnCancelledData:
    """Payload (`data`) of a `turn.cancelled` event."""

    turn_id: str
    """Turn id."""
    reason: str | None = None
    """Why it was cancelled."""
    usage: TokenUsage | None = None


@attrs.frozen(kw_only=True)
class TurnCancelledEvent:
    """The turn was cancelled."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TurnCancelledData
    type: Literal["turn.cancelled"] = "turn.cancelled"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnCompletedData:
    """Payload (`data`) of a `turn.completed` event."""

    turn_id: str
    """Turn id."""
    iterations: int
    """Reason/act iterations the turn took."""
    duration_ms: int | None = None
    """Turn duration in milliseconds."""
    usage: TokenUsage | None = None
    input_content: str | None = None
    """Text of the input message."""
    final_message_id: str | None = None
    """Id of the final output message."""
    final_answer_preview: str | None = None
    """Start of the final answer."""
    time_to_first_token_ms: int | None = None
    """Latency to the first output token, in milliseconds."""
    tool_call_count: int | None = None
    """Tool calls made during the turn."""
    llm_call_count: int | None = None
    """Model calls made during the turn."""
    status: str | None = None
    """Final status of the turn."""


@attrs.frozen(kw_only=True)
class TurnCompletedEvent:
    """The turn finished successfully."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TurnCompletedData
    type: Literal["turn.completed"] = "turn.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnFailedData:
    """Payload (`data`) of a `turn.failed` event."""

    turn_id: str
    """Turn id."""
    error: str
    """Error message, safe to show."""
    error_code: str | None = None
    """Machine-readable error code, for example `provider_rate_limited`."""
    error_fields: dict[str, Any] | None = None
    """Structured details of the error."""
    error_disclosure: ErrorDisclosure | None = None


@attrs.frozen(kw_only=True)
class TurnFailedEvent:
    """The turn failed."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TurnFailedData
    type: Literal["turn.failed"] = "turn.failed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnSealedData:
    """Payload (`data`) of a `turn.sealed` event."""

    turn_id: str
    """Turn id."""
    reason: str
    """Why the turn was sealed. Known values `no_progress`, `budget` (open set)."""
    detail: str | None = None
    """Human-readable detail."""
    iterations: int | None = None
    """Iterations done."""
    usage: TokenUsage | None = None


@attrs.frozen(kw_only=True)
class TurnSealedEvent:
    """The turn was sealed without completing because it stopped making progress or ran out of budget."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TurnSealedData
    type: Literal["turn.sealed"] = "turn.sealed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnStartedData:
    """Payload (`data`) of a `turn.started` event."""

    turn_id: str
    """Turn id."""
    input_message_id: str
    """Message that started the turn."""
    input_content: str | None = None
    """Text of the input message."""
    agent_id: str | None = None
    """Agent id."""
    agent_name: str | None = None
    """Agent name."""
    agent_description: str | None = None
    """Agent description."""


@attrs.frozen(kw_only=True)
class TurnStartedEvent:
    """A turn started in response to an input message."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: TurnStartedData
    type: Literal["turn.started"] = "turn.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceInputTranscriptCompletedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.input_transcript.completed` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceInputTranscriptCompletedEvent:
    """The transcript of the user's speech is complete. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceInputTranscriptCompletedData
    type: Literal["voice.input_transcript.completed"] = "voice.input_transcript.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceInputTranscriptDeltaData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.input_transcript.delta` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceInputTranscriptDeltaEvent:
    """A chunk of the transcript of the user's speech. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceInputTranscriptDeltaData
    type: Literal["voice.input_transcript.delta"] = "voice.input_transcript.delta"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceOutputTranscriptCompletedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.output_transcript.completed` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceOutputTranscriptCompletedEvent:
    """The transcript of the agent's speech is complete. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceOutputTranscriptCompletedData
    type: Literal["voice.output_transcript.completed"] = "voice.output_transcript.completed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceOutputTranscriptDeltaData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.output_transcript.delta` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceOutputTranscriptDeltaEvent:
    """A chunk of the transcript of the agent's speech. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceOutputTranscriptDeltaData
    type: Literal["voice.output_transcript.delta"] = "voice.output_transcript.delta"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceSessionEndedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.session.ended` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceSessionEndedEvent:
    """A voice session ended. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceSessionEndedData
    type: Literal["voice.session.ended"] = "voice.session.ended"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceSessionFailedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.session.failed` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceSessionFailedEvent:
    """A voice session failed. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceSessionFailedData
    type: Literal["voice.session.failed"] = "voice.session.failed"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


VoiceSessionStartedData: TypeAlias = dict[str, Any]
"""
Payload (`data`) of a `voice.session.started` event. Payload not documented by the platform; kept as an open object.
"""


@attrs.frozen(kw_only=True)
class VoiceSessionStartedEvent:
    """A voice session started. Payload not documented by the platform; kept as an open object."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: VoiceSessionStartedData
    type: Literal["voice.session.started"] = "voice.session.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class MessageInput:
    """The message to add."""

    role: str
    """Author role: `user`, or `tool_result` for tool results (open set)."""
    content: list[ContentPart]
    """Content parts."""


@attrs.frozen(kw_only=True)
class Controls:
    """Runtime controls for processing the message."""

    error_disclosure: ErrorDisclosure | None = None
    hints: dict[str, Any] | None = None
    """Hints for the runtime."""
    locale: str | None = None
    """Locale, for example `en-GB`."""
    model_id: str | None = None
    """Model override for this message."""
    reasoning: Any | None = None
    """Reasoning settings."""


@attrs.frozen(kw_only=True)
class CreateMessageRequest:
    """Body of `POST /v1/sessions/{id}/messages`: a user message to add to the session."""

    message: MessageInput
    controls: Controls | None = None
    metadata: dict[str, Any] | None = None
    """Message metadata."""
    tags: list[str] | None = None
    """Message tags."""


@attrs.frozen(kw_only=True)
class ByTypeItem:
    """Count of one event type."""

    count: int
    """Number of events."""
    event_type: str
    """Event type."""


@attrs.frozen(kw_only=True)
class EventsSummary:
    """Counts of a session's events from `GET /v1/sessions/{id}/events/summary`."""

    by_type: list[ByTypeItem]
    """Counts per event type."""
    error_count: int
    """Number of error events."""
    total: int
    """Total number of events."""
    turn_count: int
    """Number of turns."""
    first_ts: str | None = None
    """Time of the first event (ISO 8601)."""
    last_ts: str | None = None
    """Time of the last event (ISO 8601)."""


@attrs.frozen(kw_only=True)
class SessionList:
    """One page of sessions from `GET /v1/sessions`."""

    data: list[Session]
    """Sessions on this page."""
    total: int
    """Total number of matching sessions."""
    offset: int
    """Offset of this page."""
    limit: int
    """Page size."""


@attrs.frozen(kw_only=True)
class ToolResult:
    """The result (or error) of one client-side tool call."""

    tool_call_id: str
    """The tool call answered."""
    result: Any | None = None
    """The result, any JSON value."""
    error: str | None = None
    """Error message when the tool failed."""


@attrs.frozen(kw_only=True)
class ToolResultsRequest:
    """Body of `POST /v1/sessions/{id}/tool-results`: results of client-side tool calls requested by `tool.call_requested`."""

    tool_results: list[ToolResult]
    """One entry per answered tool call."""


@attrs.frozen(kw_only=True)
class Event:
    """The Everruns event envelope shared by every event type (`GET .../sse`, `GET .../events`)."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits (a UUIDv7); pass it back as `since_id` to resume."""
    type: str
    """Event type, for example `output.message.delta`."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: Any
    """Per-type payload; see the schema of each event type."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    sequence: int | None = None
    """Atomic per-session sequence number; the server orders events by it."""
    tags: list[str] | None = None
    """Tags attached to the event."""


@attrs.frozen(kw_only=True)
class ActStartedData:
    """Payload (`data`) of a `act.started` event."""

    tool_calls: list[ActToolCall]
    """Tool calls about to run."""
    headline: str | None = None
    """One-line summary of the step."""


@attrs.frozen(kw_only=True)
class ActStartedEvent:
    """The agent started executing the tool calls of a reasoning step."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: ActStartedData
    type: Literal["act.started"] = "act.started"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class CapabilityUsageData:
    """Payload (`data`) of a `capability.usage` event."""

    records: list[CapabilityUsageRecord]
    """Usage records."""


@attrs.frozen(kw_only=True)
class CapabilityUsageEvent:
    """Records how the session's capabilities were configured, resolved, exposed, invoked or ran effects."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: CapabilityUsageData
    type: Literal["capability.usage"] = "capability.usage"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class LlmGenerationData:
    """Payload (`data`) of a `llm.generation` event."""

    messages: list[Any]
    """Messages sent to the model."""
    tools: list[LlmTool]
    """Tools offered to the model."""
    output: LlmOutput
    metadata: LlmMetadata


@attrs.frozen(kw_only=True)
class LlmGenerationEvent:
    """A full record of one model call: the messages and tools sent, the output and its metadata."""

    id: str
    """Event id: `event_` followed by 32 lowercase hex digits; pass it back as `since_id` to resume."""
    ts: str
    """When the event was recorded (ISO 8601, milliseconds)."""
    session_id: str
    """Session the event belongs to."""
    context: EventContext
    data: LlmGenerationData
    type: Literal["llm.generation"] = "llm.generation"
    sequence: int | None = None
    """Per-session sequence number; events are ordered by it."""
    metadata: Any | None = None
    """Event metadata, any JSON value."""
    tags: list[str] | None = None
    """Tags attached to the event."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class EventList:
    """Events from `GET /v1/sessions/{id}/events`, in sequence order."""

    data: list[Event]
    """The events."""
    total: int | None = None
    """Total number of matching events."""


EVENT_TYPES: dict[str, type[Any]] = {
    "act.completed": ActCompletedEvent,
    "act.started": ActStartedEvent,
    "budget.exhausted": BudgetExhaustedEvent,
    "budget.paused": BudgetPausedEvent,
    "budget.resumed": BudgetResumedEvent,
    "budget.warning": BudgetWarningEvent,
    "capability.usage": CapabilityUsageEvent,
    "connected": ConnectedFrame,
    "context.compacted": ContextCompactedEvent,
    "context.compacting": ContextCompactingEvent,
    "context.compaction.failed": ContextCompactionFailedEvent,
    "context.compaction.skipped": ContextCompactionSkippedEvent,
    "disconnecting": DisconnectingFrame,
    "file.written": FileWrittenEvent,
    "input.message": InputMessageEvent,
    "llm.generation": LlmGenerationEvent,
    "output.message.completed": OutputMessageCompletedEvent,
    "output.message.delta": OutputMessageDeltaEvent,
    "output.message.replaced": OutputMessageReplacedEvent,
    "output.message.started": OutputMessageStartedEvent,
    "reason.completed": ReasonCompletedEvent,
    "reason.item": ReasonItemEvent,
    "reason.recovered": ReasonRecoveredEvent,
    "reason.started": ReasonStartedEvent,
    "reason.thinking.completed": ReasonThinkingCompletedEvent,
    "reason.thinking.delta": ReasonThinkingDeltaEvent,
    "reason.thinking.started": ReasonThinkingStartedEvent,
    "schedule.triggered": ScheduleTriggeredEvent,
    "session.activated": SessionActivatedEvent,
    "session.idled": SessionIdledEvent,
    "session.model.changed": SessionModelChangedEvent,
    "session.started": SessionStartedEvent,
    "session.title.updated": SessionTitleUpdatedEvent,
    "task.created": TaskCreatedEvent,
    "task.message.received": TaskMessageReceivedEvent,
    "task.message.sent": TaskMessageSentEvent,
    "task.updated": TaskUpdatedEvent,
    "tool.call_repaired": ToolCallRepairedEvent,
    "tool.call_requested": ToolCallRequestedEvent,
    "tool.completed": ToolCompletedEvent,
    "tool.hosted_call": ToolHostedCallEvent,
    "tool.output.delta": ToolOutputDeltaEvent,
    "tool.progress": ToolProgressEvent,
    "tool.started": ToolStartedEvent,
    "transcript.repaired": TranscriptRepairedEvent,
    "turn.cancelled": TurnCancelledEvent,
    "turn.completed": TurnCompletedEvent,
    "turn.failed": TurnFailedEvent,
    "turn.sealed": TurnSealedEvent,
    "turn.started": TurnStartedEvent,
    "voice.input_transcript.completed": VoiceInputTranscriptCompletedEvent,
    "voice.input_transcript.delta": VoiceInputTranscriptDeltaEvent,
    "voice.output_transcript.completed": VoiceOutputTranscriptCompletedEvent,
    "voice.output_transcript.delta": VoiceOutputTranscriptDeltaEvent,
    "voice.session.ended": VoiceSessionEndedEvent,
    "voice.session.failed": VoiceSessionFailedEvent,
    "voice.session.started": VoiceSessionStartedEvent,
}


RESOURCE_TYPES: dict[str, type[Any]] = {
    "ContentPart": ContentPart,
    "CreateMessageRequest": CreateMessageRequest,
    "EventList": EventList,
    "EventsSummary": EventsSummary,
    "Message": Message,
    "Session": Session,
    "SessionList": SessionList,
    "ToolResultsRequest": ToolResultsRequest,
}


PARAM_TYPES: dict[str, type[Any]] = {}


#: Every event class of this platform.
AnyEvent: TypeAlias = (
    ActCompletedEvent
    | ActStartedEvent
    | BudgetExhaustedEvent
    | BudgetPausedEvent
    | BudgetResumedEvent
    | BudgetWarningEvent
    | CapabilityUsageEvent
    | ConnectedFrame
    | ContextCompactedEvent
    | ContextCompactingEvent
    | ContextCompactionFailedEvent
    | ContextCompactionSkippedEvent
    | DisconnectingFrame
    | FileWrittenEvent
    | InputMessageEvent
    | LlmGenerationEvent
    | OutputMessageCompletedEvent
    | OutputMessageDeltaEvent
    | OutputMessageReplacedEvent
    | OutputMessageStartedEvent
    | ReasonCompletedEvent
    | ReasonItemEvent
    | ReasonRecoveredEvent
    | ReasonStartedEvent
    | ReasonThinkingCompletedEvent
    | ReasonThinkingDeltaEvent
    | ReasonThinkingStartedEvent
    | ScheduleTriggeredEvent
    | SessionActivatedEvent
    | SessionIdledEvent
    | SessionModelChangedEvent
    | SessionStartedEvent
    | SessionTitleUpdatedEvent
    | TaskCreatedEvent
    | TaskMessageReceivedEvent
    | TaskMessageSentEvent
    | TaskUpdatedEvent
    | ToolCallRepairedEvent
    | ToolCallRequestedEvent
    | ToolCompletedEvent
    | ToolHostedCallEvent
    | ToolOutputDeltaEvent
    | ToolProgressEvent
    | ToolStartedEvent
    | TranscriptRepairedEvent
    | TurnCancelledEvent
    | TurnCompletedEvent
    | TurnFailedEvent
    | TurnSealedEvent
    | TurnStartedEvent
    | VoiceInputTranscriptCompletedEvent
    | VoiceInputTranscriptDeltaEvent
    | VoiceOutputTranscriptCompletedEvent
    | VoiceOutputTranscriptDeltaEvent
    | VoiceSessionEndedEvent
    | VoiceSessionFailedEvent
    | VoiceSessionStartedEvent
)
