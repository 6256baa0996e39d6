"""Common types, generated from schema/common/ by codegen/. DO NOT EDIT.

Regenerate with ``make codegen``; ``make check`` fails when this file is stale.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from ._base import wire_dict

Platform: TypeAlias = str
"""
Source platform, named like its schema directory. Open string; known values: everruns, m8tes, managed_agents, shipit.
"""


RawType: TypeAlias = str
"""
Wire `type` of the platform event this was derived from (e.g. `agent.message`, `text-delta`, `text_delta`).
"""


EventId: TypeAlias = str | None
"""
Identifier of the source event on the wire, when it has one (Managed Agents `sevt_…`, Everruns `event_…`, shipit sequence number as a string).
"""


@attrs.frozen(kw_only=True)
class Usage:
    """Token usage and cost in one shape for every platform; fields a platform does not report are absent."""

    input_tokens: int
    """Input (prompt) tokens, excluding cache reads and writes where the platform separates them."""
    output_tokens: int
    """Output (completion) tokens."""
    cache_read_tokens: int | None = None
    """Input tokens read from a prompt cache."""
    cache_creation_tokens: int | None = None
    """Input tokens written to a prompt cache."""
    cost_usd: float | None = None
    """Cost in US dollars, as reported or estimated by the platform."""


ToolKind: TypeAlias = str
"""
Who runs the tool. Open string; known values: builtin (the platform or agent runtime runs it), mcp (a tool of an MCP server), custom (the client runs it and must send the result back).
"""


@attrs.frozen(kw_only=True)
class ActionRequired:
    """The agent waits for the client: approve a tool call, answer a question, or return a custom tool's result (one event per pending request)."""

    platform: Platform
    raw_type: RawType
    kind: str
    """What is needed. Open string; known values: approval, question, custom_tool_result."""
    request_id: str
    """Identifier the answer must reference (e.g. the tool-use event id on Managed Agents, the permission request id on m8tes, the action id on shipit)."""
    type: Literal["action_required"] = "action_required"
    event_id: EventId | None = None
    call_id: str | None = None
    """Tool call concerned, when there is one."""
    tool_name: str | None = None
    """Tool concerned, when there is one."""
    arguments: dict[str, Any] | None = None
    """Arguments of the tool call awaiting approval or a result."""
    prompt: str | None = None
    """Question or explanation to show the user."""
    options: list[str] | None = None
    """Suggested answers to a question."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ReasoningDelta:
    """A piece of model reasoning (thinking) text, to append to what was received before."""

    platform: Platform
    raw_type: RawType
    text: str
    """Reasoning text to append."""
    type: Literal["reasoning_delta"] = "reasoning_delta"
    event_id: EventId | None = None
    message_id: str | None = None
    """Groups the deltas of one reasoning block, when the platform identifies them."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class StreamError:
    """The platform reported an error in the stream (the agent's, not a transport failure)."""

    platform: Platform
    raw_type: RawType
    message: str
    """Human-readable error message."""
    retryable: bool
    """Whether the platform retries by itself or retrying may succeed."""
    type: Literal["stream_error"] = "stream_error"
    event_id: EventId | None = None
    code: str | None = None
    """Platform error code or type, e.g. model_overloaded_error."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TextDelta:
    """A piece of assistant answer text, to append to what was received before."""

    platform: Platform
    raw_type: RawType
    text: str
    """Text to append."""
    type: Literal["text_delta"] = "text_delta"
    event_id: EventId | None = None
    message_id: str | None = None
    """Groups the deltas of one message, when the platform identifies messages."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TextReplaced:
    """The text already streamed for one message is discarded and replaced (a guardrail rewrote it): the transcript shows the replacement, not the discarded deltas."""

    platform: Platform
    raw_type: RawType
    message_id: str
    """The message whose streamed text is replaced (the message_id of its text deltas)."""
    text: str
    """The replacement text."""
    type: Literal["text_replaced"] = "text_replaced"
    event_id: EventId | None = None
    reason: str | None = None
    """Why, in the platform's words (a guardrail's reason code), when given."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCallArgumentsDelta:
    """A piece of a tool call's arguments as the model streams them (usually partial JSON)."""

    platform: Platform
    raw_type: RawType
    call_id: str
    """The tool call."""
    delta: str
    """Argument text to append."""
    type: Literal["tool_call_arguments_delta"] = "tool_call_arguments_delta"
    event_id: EventId | None = None
    name: str | None = None
    """Tool name, when the platform repeats it."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCallFinished:
    """A tool call finished, with its result or error."""

    platform: Platform
    raw_type: RawType
    call_id: str
    """The tool call."""
    is_error: bool
    """Whether the call failed or was refused."""
    type: Literal["tool_call_finished"] = "tool_call_finished"
    event_id: EventId | None = None
    name: str | None = None
    """Tool name, when known."""
    result: Any | None = None
    """Tool output as the platform gave it: text, content blocks or other JSON; null when there is none."""
    status: str | None = None
    """Finer outcome. Open string; known values: completed, failed, denied, cancelled, timeout."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class ToolCallStarted:
    """The agent started a tool call."""

    platform: Platform
    raw_type: RawType
    call_id: str
    """Tool call identifier, used by the other tool_call_* events and by answers; agentstream derives a stable one when the platform gives none."""
    name: str
    """Tool name."""
    type: Literal["tool_call_started"] = "tool_call_started"
    event_id: EventId | None = None
    arguments: dict[str, Any] | None = None
    """Complete arguments, when known at start; otherwise they arrive as tool_call_arguments_delta events."""
    kind: ToolKind | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class TurnEnded:
    """The agent's turn ended; no more events for this turn follow."""

    platform: Platform
    raw_type: RawType
    stop_reason: str
    """Why the turn ended. Open string; known values: end_turn, max_tokens, tool_use, requires_action, refusal, cancelled, error, budget_reached, retries_exhausted, terminated."""
    type: Literal["turn_ended"] = "turn_ended"
    event_id: EventId | None = None
    detail: str | None = None
    """Extra detail from the platform, e.g. a refusal explanation or an error message."""
    usage: Usage | None = None
    """Usage of the turn or run, when the platform reports it with the end."""

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


@attrs.frozen(kw_only=True)
class UsageReported:
    """Token usage and cost reported by the platform."""

    platform: Platform
    raw_type: RawType
    usage: Usage
    cumulative: bool
    """True when the figures are running totals for the session or run (replace earlier ones); false when they cover one model request (add them up)."""
    type: Literal["usage"] = "usage"
    event_id: EventId | None = None

    _raw: dict[str, Any] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def raw(self) -> dict[str, Any]:
        """This event as it was on the wire, unknown fields included."""
        return self._raw if self._raw is not None else wire_dict(self)


EVENT_TYPES: dict[str, type[Any]] = {
    "action_required": ActionRequired,
    "reasoning_delta": ReasoningDelta,
    "stream_error": StreamError,
    "text_delta": TextDelta,
    "text_replaced": TextReplaced,
    "tool_call_arguments_delta": ToolCallArgumentsDelta,
    "tool_call_finished": ToolCallFinished,
    "tool_call_started": ToolCallStarted,
    "turn_ended": TurnEnded,
    "usage": UsageReported,
}


RESOURCE_TYPES: dict[str, type[Any]] = {}


PARAM_TYPES: dict[str, type[Any]] = {}


#: Every event class of this platform.
AnyEvent: TypeAlias = (
    ActionRequired
    | ReasoningDelta
    | StreamError
    | TextDelta
    | TextReplaced
    | ToolCallArgumentsDelta
    | ToolCallFinished
    | ToolCallStarted
    | TurnEnded
    | UsageReported
)
